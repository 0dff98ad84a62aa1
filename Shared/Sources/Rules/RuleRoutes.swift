import Foundation
import Hummingbird


/// Admin routes for one kind of rule document, under `/rules/<kind>`:
/// `GET` the current version, `PUT` a new one (validated; 422 with every problem by path),
/// `GET history` (versions and audit), `POST rollback {"version": n}`. The actor comes from
/// `X-Actor` and is audited.
public struct RuleRoutes: Sendable {
    public let store: RuleStore
    /// Returns the problems of a document; empty means valid.
    public let validate: @Sendable (String) -> [RuleProblem]

    public init(store: RuleStore, validate: @escaping @Sendable (String) -> [RuleProblem]) {
        self.store = store
        self.validate = validate
    }

    struct VersionAnswer: Codable { var kind: String; var version: Int }
    struct Current: Codable { var kind: String; var version: Int; var createdBy: String; var createdAt: Date; var comment: String?; var document: JSONValue }
    struct Summary: Codable { var version: Int; var createdBy: String; var createdAt: Date; var comment: String? }
    struct History: Codable { var kind: String; var versions: [Summary]; var audit: [RuleAuditEntry] }
    struct Problems: Codable { var errors: [RuleProblem] }
    struct RollbackRequest: Codable { var version: Int }

    public func register<Context: RequestContext>(on group: RouterGroup<Context>) {
        let kind = store.kind
        let rules = group.group(RouterPath("rules/\(kind)"))
        rules.get { _, _ in
            guard let current = try await store.current() else {
                return JSONResponse.error(.notFound, "No \(kind) rules are stored yet.")
            }
            return JSONResponse.make(.ok, Current(
                kind: kind, version: current.version, createdBy: current.createdBy, createdAt: current.createdAt,
                comment: current.comment, document: (try? JSONValue.parse(Data(current.document.utf8))) ?? .null))
        }
        rules.put { request, _ in
            var request = request
            let body = try await request.bodyBytes(limit: 1 << 20)
            let document = String(decoding: body, as: UTF8.self)
            let problems = validate(document)
            guard problems.isEmpty else { return JSONResponse.make(.unprocessableContent, Problems(errors: problems)) }
            let version = try await store.set(document: document, actor: actor(request), comment: request.header("X-Comment"))
            return JSONResponse.make(.ok, VersionAnswer(kind: kind, version: version))
        }
        rules.get("history") { _, _ in
            let versions = try await store.history().map {
                Summary(version: $0.version, createdBy: $0.createdBy, createdAt: $0.createdAt, comment: $0.comment)
            }
            return JSONResponse.make(.ok, History(kind: kind, versions: versions, audit: try await store.audit()))
        }
        rules.post("rollback") { request, _ in
            var request = request
            let body = try await request.bodyBytes(limit: 4096)
            guard let rollback = try? JSONDecoder().decode(RollbackRequest.self, from: Data(body)) else {
                return JSONResponse.error(.badRequest, #"Send {"version": <number>} to roll back to that version."#)
            }
            do {
                let version = try await store.rollback(to: rollback.version, actor: actor(request))
                return JSONResponse.make(.ok, VersionAnswer(kind: kind, version: version))
            } catch let error as RuleStoreError {
                return JSONResponse.error(.notFound, error.description)
            }
        }
    }

    private func actor(_ request: Request) -> String {
        request.header("X-Actor").map { String($0.prefix(200)) } ?? "api"
    }
}
