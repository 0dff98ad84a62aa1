import ArgumentParser
import Foundation
import Shared

/// `crmctl reps import FILE.csv`, `crmctl reps list`: the assignment service's rep admin routes.
struct Reps: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Import and list sales reps (assignment service).",
        discussion: """
            Talks to the assignment service's admin routes /v1/reps.
            Exit status of import: 0 every row imported, 2 some rows (or the whole file) refused \
            (each printed as `line N: field: problem`), 1 failure.
            """,
        subcommands: [Import.self, List.self])

    /// Where the assignment service listens and the key it wants.
    struct Options: ParsableArguments {
        @Option(help: "Base URL of the assignment service (default: $CRM_ASSIGNMENT_URL or http://127.0.0.1:8082).")
        var url: String = ProcessInfo.processInfo.environment["CRM_ASSIGNMENT_URL"] ?? "http://127.0.0.1:8082"

        @Option(help: "API key sent as X-API-Key (default: $CRM_API_KEY or local-dev-key).")
        var apiKey: String = ProcessInfo.processInfo.environment["CRM_API_KEY"] ?? "local-dev-key"

        func validate() throws {
            guard let parsed = URL(string: url), let scheme = parsed.scheme, ["http", "https"].contains(scheme), parsed.host != nil else {
                throw ValidationError("--url must be an http(s) URL like http://127.0.0.1:8082, not \(url)")
            }
        }

        var client: AdminClient {
            AdminClient(base: url.hasSuffix("/") ? String(url.dropLast()) : url, apiKey: apiKey,
                        actor: ProcessInfo.processInfo.environment["CRM_ACTOR"] ?? ProcessInfo.processInfo.environment["USER"] ?? "crmctl",
                        service: "assignment")
        }
    }

    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create or update reps from a CSV file; bad rows are reported by line and not imported.",
            discussion: """
                The first line names the columns, in any order: id, name, teamId, capacity (required), \
                supervisorId, regions, productLines, industries, languages (lists separated by ;), \
                workStart, workEnd (HH:MM; both empty = any time), weekdays (mon;tue or mon-fri or 1-5), \
                timeZone (IANA, default Asia/Shanghai), active (true/false, yes/no, 1/0; default true), \
                onLeave (2026-12-01..2026-12-05;2027-01-10, days inclusive in the rep's time zone), \
                seniority (1-5, default 3). A rep's open-lead count is never changed by an import.
                """)

        @Argument(help: "CSV file (UTF-8); - reads stdin.") var file: String
        @OptionGroup var options: Options

        func run() async throws {
            let data = try readInput(file)
            let client = options.client
            let response = try await client.send("POST", "/v1/reps/import", body: data, headers: ["Content-Type": "text/csv; charset=utf-8"])
            guard [200, 422].contains(response.status),
                  let answer = response.json?.objectValue, let errors = answer["errors"]?.arrayValue
            else { throw client.failure(response, "import reps") }

            let lines = errors.map { error -> String in
                let object = error.objectValue ?? [:]
                return "line \(object["line"]?.plainText ?? "?"): \(object["field"]?.plainText ?? "?"): \(object["problem"]?.plainText ?? error.plainText)"
            }
            if response.status == 422 {
                report("\(file): refused, nothing imported:")
                lines.forEach(report)
                throw ExitCode(2)
            }
            print("imported \(answer["imported"]?.plainText ?? "0") rep(s) from \(file)")
            guard !lines.isEmpty else { return }
            report("\(lines.count) problem(s) in rows that were not imported:")
            lines.forEach(report)
            throw ExitCode(2)
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List reps with their open leads and capacity.")

        @Option(help: "Only this team's reps.") var team: String?
        @Flag(help: "Print the service's JSON answer instead of a table.") var json = false
        @OptionGroup var options: Options

        func run() async throws {
            let client = options.client
            var path = "/v1/reps"
            if let team, let encoded = team.addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed.subtracting(CharacterSet(charactersIn: "&=+"))) {
                path += "?team=\(encoded)"
            }
            let answer = try client.object(try await client.send("GET", path), "list reps")
            if json {
                print(JSONValue.object(answer).prettyText)
                return
            }
            let reps = answer["reps"]?.arrayValue ?? []
            let header = ["ID", "NAME", "TEAM", "ACTIVE", "OPEN/CAP", "SENIORITY", "REGIONS", "PRODUCT LINES", "TIME ZONE", "LEAVE"]
            let rows: [[String]] = reps.map { value in
                let rep = value.objectValue ?? [:]
                func list(_ key: String) -> String {
                    let items = (rep[key]?.arrayValue ?? []).map(\.plainText)
                    return items.isEmpty ? "-" : items.joined(separator: ";")
                }
                return [
                    rep["id"]?.plainText ?? "?", rep["name"]?.plainText ?? "?", rep["teamId"]?.plainText ?? "?",
                    rep["active"]?.plainText ?? "?",
                    "\(rep["openLeads"]?.plainText ?? "?")/\(rep["capacity"]?.plainText ?? "?")",
                    rep["seniority"]?.plainText ?? "?", list("regions"), list("productLines"),
                    rep["timeZone"]?.plainText ?? "?", "\(rep["onLeave"]?.arrayValue?.count ?? 0) period(s)",
                ]
            }
            let widths = header.indices.map { column in
                ([header] + rows).map { $0[column].count }.max() ?? 0
            }
            for row in [header] + rows {
                print(row.enumerated().map { index, cell in
                    index == row.count - 1 ? cell : cell.padding(toLength: widths[index], withPad: " ", startingAt: 0)
                }.joined(separator: "  "))
            }
            report("\(rows.count) rep(s)")
        }
    }
}
