import ArgumentParser
import Foundation
import Shared

struct Rules: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Read, change, audit and roll back versioned rule documents (lead-intake: scoring).",
        discussion: """
            Talks to the lead-intake admin routes /v1/rules/<kind>. A change takes effect without a restart \
            and is audited with --actor. Round trip: `crmctl rules get scoring > s.json`, edit, \
            `crmctl rules set scoring s.json`.
            Exit status: 0 done, 2 the document was refused (each error printed as path: problem), 1 failure.
            """,
        subcommands: [Get.self, SetDocument.self, History.self, Rollback.self])

    static let kinds = ["scoring", "routing"]

    /// The kind argument every rules command takes.
    struct Kind: ParsableArguments {
        @Argument(help: "Rule kind: \(Rules.kinds.joined(separator: ", ")).") var kind: String

        func validate() throws {
            guard Rules.kinds.contains(kind) else {
                throw ValidationError("unknown rule kind \(kind); known: \(Rules.kinds.joined(separator: ", "))")
            }
        }

        var path: String { "/v1/rules/\(kind)" }
    }

    struct Get: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the current rule document (pretty JSON on stdout; version and author on stderr).")
        @OptionGroup var kind: Kind
        @OptionGroup var admin: AdminOptions

        func run() async throws {
            let client = admin.client(forRuleKind: kind.kind)
            let answer = try client.object(try await client.send("GET", kind.path), "get \(kind.kind) rules")
            guard let document = answer["document"] else {
                report("get \(kind.kind) rules: the answer has no document: \(JSONValue.object(answer).plainText)")
                throw ExitCode.failure
            }
            report("\(kind.kind) rules version \(answer["version"]?.plainText ?? "?") by \(answer["createdBy"]?.plainText ?? "?") at \(answer["createdAt"]?.plainText ?? "?")")
            print(document.prettyText)
        }
    }

    /// `rules set` (not named Set: that would hide Swift's Set in this namespace).
    struct SetDocument: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "set",
            abstract: "Store a rule document as the new version (validated by the service).")
        @OptionGroup var kind: Kind
        @Argument(help: "JSON file with the rule document; - reads stdin.") var file: String
        @Option(help: "Why, kept with the version (sent as X-Comment).") var comment: String?
        @OptionGroup var admin: AdminOptions

        func run() async throws {
            let data = try readInput(file)
            // The service validates the document; this only catches a file that is not JSON at all.
            guard case .object? = try? JSONValue.parse(data) else {
                report("\(file): not a JSON object; a rule document is one JSON object (see `crmctl rules get \(kind.kind)`)")
                throw ExitCode(2)
            }
            let client = admin.client(forRuleKind: kind.kind)
            let answer = try client.object(try await client.send("PUT", kind.path, body: data, headers: comment.map { ["X-Comment": $0] } ?? [:]), "set \(kind.kind) rules")
            print("\(kind.kind) rules: version \(answer["version"]?.plainText ?? "?") stored and in effect (by \(admin.actor))")
        }
    }

    struct History: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the versions and the audit trail of a rule kind.")
        @OptionGroup var kind: Kind
        @OptionGroup var admin: AdminOptions
        @Flag(help: "Print the service's JSON answer instead of tables.") var json = false

        func run() async throws {
            let client = admin.client(forRuleKind: kind.kind)
            let answer = try client.object(try await client.send("GET", kind.path + "/history"), "\(kind.kind) rules history")
            if json {
                print(JSONValue.object(answer).prettyText)
                return
            }
            let versions = answer["versions"]?.arrayValue ?? []
            print("version\tcreated by\tcreated at\tcomment")
            for version in versions.compactMap(\.objectValue) {
                print([version["version"], version["createdBy"], version["createdAt"], version["comment"]]
                    .map { ($0 ?? .null).plainText }.joined(separator: "\t"))
            }
            let audit = answer["audit"]?.arrayValue ?? []
            print("")
            print("at\taction\tactor\told version\tnew version")
            for entry in audit.compactMap(\.objectValue) {
                print([entry["at"], entry["action"], entry["actor"], entry["oldVersion"], entry["newVersion"]]
                    .map { ($0 ?? .null).plainText }.joined(separator: "\t"))
            }
        }
    }

    struct Rollback: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Make an earlier version current again (stored as a new version, audited).")
        @OptionGroup var kind: Kind
        @Option(help: "The version to restore.") var version: Int
        @OptionGroup var admin: AdminOptions

        func validate() throws {
            guard version > 0 else { throw ValidationError("--version must be a positive version number") }
        }

        func run() async throws {
            let client = admin.client(forRuleKind: kind.kind)
            let body = Data(#"{"version": \#(version)}"#.utf8)
            let answer = try client.object(try await client.send("POST", kind.path + "/rollback", body: body), "roll back \(kind.kind) rules")
            print("\(kind.kind) rules: version \(version) restored as version \(answer["version"]?.plainText ?? "?") (by \(admin.actor))")
        }
    }
}
