import Foundation
import Hummingbird
import Logging
import PostgresNIO
import Shared

/// Rep administration: `PUT /v1/reps/{id}` (a rep as JSON; 422 with every problem by field),
/// `GET /v1/reps[?team=]`, `GET /v1/reps/{id}`, `POST /v1/reps/import` (a CSV file; good rows stored
/// in one transaction, bad rows reported by line).
public struct RepRoutes: Sendable {
    public static let maxImportBytes = 8 << 20

    let admin: RepAdmin

    public init(client: PostgresClient, logger: Logger) {
        admin = RepAdmin(client: client, logger: logger)
    }

    struct Problems: Codable { var errors: [RepProblem] }
    struct Reps: Codable { var reps: [StoredRep] }

    public func register<Context: RequestContext>(on v1: RouterGroup<Context>) {
        v1.post("reps/import") { request, _ in
            var request = request
            let body = try await request.bodyBytes(limit: Self.maxImportBytes)
            switch try await admin.importCSV(body) {
            case .imported(let result): return JSONResponse.make(.ok, result)
            case .rejected(let result): return JSONResponse.make(.unprocessableContent, result)
            }
        }
        v1.put("reps/:id") { request, context in
            var request = request
            guard let id = Self.pathRepId(context), !id.isEmpty else {
                return JSONResponse.error(.badRequest, "Name the rep in the path: /v1/reps/{id}.")
            }
            let body = try await request.bodyBytes(limit: RepDocument.maxBytes)
            switch try await admin.put(id: id, body: body) {
            case .stored(let stored): return JSONResponse.make(.ok, stored)
            case .invalid(let problems): return JSONResponse.make(.unprocessableContent, Problems(errors: problems))
            }
        }
        v1.get("reps") { request, _ in
            let team = request.uri.queryParameters.get("team").map { String($0) }.flatMap { $0.isEmpty ? nil : $0 }
            return JSONResponse.make(.ok, Reps(reps: try await admin.repository.list(team: team, client: admin.client)))
        }
        v1.get("reps/:id") { _, context in
            let id = Self.pathRepId(context) ?? ""
            guard let stored = try await admin.repository.get(id, client: admin.client) else {
                return JSONResponse.error(.notFound, "No rep \(id).")
            }
            return JSONResponse.make(.ok, stored)
        }
    }
}

/// The `:id` path parameter, percent-decoded (Hummingbird decodes query parameters, not path
/// segments, and rep ids may be any text such as `李娜`).
extension RepRoutes {
    static func pathRepId<Context: RequestContext>(_ context: Context) -> String? {
        context.parameters.get("id").map { $0.removingPercentEncoding ?? $0 }
    }
}
