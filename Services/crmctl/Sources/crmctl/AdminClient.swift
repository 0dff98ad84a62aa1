import ArgumentParser
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Shared

/// Options of commands that talk to a service's HTTP admin routes.
struct AdminOptions: ParsableArguments {
    @Option(help: "Base URL of the service that owns the rules (default: lead-intake $CRM_LEAD_INTAKE_URL or http://127.0.0.1:8081 for scoring, assignment $CRM_ASSIGNMENT_URL or http://127.0.0.1:8082 for routing).")
    var url: String?

    @Option(help: "API key sent as X-API-Key (default: $CRM_API_KEY or local-dev-key).")
    var apiKey: String = ProcessInfo.processInfo.environment["CRM_API_KEY"] ?? "local-dev-key"

    @Option(help: "Who makes the change, for the audit trail (default: $CRM_ACTOR or $USER).")
    var actor: String = ProcessInfo.processInfo.environment["CRM_ACTOR"] ?? ProcessInfo.processInfo.environment["USER"] ?? "crmctl"

    func validate() throws {
        guard let url else { return }
        guard let parsed = URL(string: url), let scheme = parsed.scheme, ["http", "https"].contains(scheme), parsed.host != nil else {
            throw ValidationError("--url must be an http(s) URL like http://127.0.0.1:8081, not \(url)")
        }
    }

    /// A client of the service owning rule documents of `kind` (or of lead-intake).
    func client(forRuleKind kind: String = "scoring") -> AdminClient {
        let environment = ProcessInfo.processInfo.environment
        let (service, fallback) = kind == "routing"
            ? ("assignment", environment["CRM_ASSIGNMENT_URL"] ?? "http://127.0.0.1:8082")
            : ("lead-intake", environment["CRM_LEAD_INTAKE_URL"] ?? "http://127.0.0.1:8081")
        let base = url ?? fallback
        return AdminClient(base: base.hasSuffix("/") ? String(base.dropLast()) : base, apiKey: apiKey, actor: actor, service: service)
    }
}

/// A JSON-over-HTTP call to a service's /v1 routes, with the answers every admin command handles
/// the same way: 401, 404, 422 validation errors, and anything unexpected.
struct AdminClient {
    var base: String
    var apiKey: String
    var actor: String
    /// The service behind `base`, named in error messages.
    var service: String

    struct Response {
        var status: Int
        var body: Data
        /// The body as JSON, nil when it is not JSON.
        var json: JSONValue? { try? JSONValue.parse(body) }
    }

    func send(_ method: String, _ path: String, body: Data? = nil, headers: [String: String] = [:]) async throws -> Response {
        guard let url = URL(string: base + path) else {
            report("not a valid URL: \(base + path)")
            throw ExitCode.failure
        }
        var request = URLRequest(url: url, timeoutInterval: 30)
        request.httpMethod = method
        request.setValue(apiKey, forHTTPHeaderField: "X-API-Key")
        request.setValue(actor, forHTTPHeaderField: "X-Actor")
        request.setValue("application/json", forHTTPHeaderField: "Accept")
        if let body {
            request.httpBody = body
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        }
        // The caller's headers win (a CSV upload says text/csv).
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        let session = URLSession(configuration: .ephemeral)
        defer { session.finishTasksAndInvalidate() }
        do {
            let (data, response) = try await session.data(for: request)
            return Response(status: (response as? HTTPURLResponse)?.statusCode ?? 0, body: data)
        } catch {
            report("cannot reach \(service) at \(base): \(error.localizedDescription) (is it running? `make run` starts it)")
            throw ExitCode.failure
        }
    }

    /// Reports a non-success answer and returns the exit code for it: 2 for a refused document
    /// (422, each error as `path: problem`), 1 for anything else.
    func failure(_ response: Response, _ what: String) -> ExitCode {
        let object = response.json?.objectValue
        let message = object?["error"]?.stringValue
        switch response.status {
        case 422:
            let errors = object?["errors"]?.arrayValue ?? []
            report("\(what): refused, \(errors.count) error(s):")
            for error in errors {
                let path = error.objectValue?["path"]?.stringValue ?? "(document)"
                let problem = error.objectValue?["problem"]?.stringValue ?? "\(error)"
                report("\(path): \(problem)")
            }
            if errors.isEmpty { report(message ?? String(decoding: response.body, as: UTF8.self)) }
            return ExitCode(2)
        case 401:
            report("\(what): unauthorized: \(message ?? "no error text") (pass --api-key or set CRM_API_KEY)")
        case 404:
            report("\(what): not found: \(message ?? "no such route at \(base); is this the \(service) service?")")
        default:
            let text = message ?? String(decoding: response.body.prefix(500), as: UTF8.self)
            report("\(what): \(service) answered HTTP \(response.status): \(text)")
        }
        return ExitCode.failure
    }

    /// The body of a 200 answer as a JSON object, or a failure report for anything else.
    func object(_ response: Response, _ what: String) throws -> [String: JSONValue] {
        guard response.status == 200 else { throw failure(response, what) }
        guard let object = response.json?.objectValue else {
            report("\(what): \(service) answered 200 without a JSON object: \(String(decoding: response.body.prefix(500), as: UTF8.self))")
            throw ExitCode.failure
        }
        return object
    }
}

extension JSONValue {
    /// Pretty-printed with sorted keys, so `get > f.json; edit; set f.json` diffs cleanly.
    var prettyText: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(self)).map { String(decoding: $0, as: UTF8.self) } ?? "null"
    }

    /// A short plain rendering for tables: strings without quotes, integers without ".0", null as "-".
    var plainText: String {
        switch self {
        case .null: "-"
        case .string(let text): text
        case .number(let value): value.rounded() == value && abs(value) < 1e15 ? String(Int64(value)) : String(value)
        case .bool(let value): String(value)
        case .array, .object: prettyText.replacingOccurrences(of: "\n", with: " ")
        }
    }
}
