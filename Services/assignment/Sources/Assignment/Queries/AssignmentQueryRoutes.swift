import Foundation
import Hummingbird
import Logging
import PostgresNIO
import Shared

/// `GET /v1/reps/{id}/leads` (the rep's open leads), `GET /v1/assignments/{leadId}` (current
/// assignment with reasons, and the history), `GET /v1/fairness?windowDays=7&minScore=0[&team=]`
/// (assignments per rep in the window, with the Gini coefficient).
public struct AssignmentQueryRoutes: Sendable {
    public static let windowDaysRange = 1...366

    let queries: AssignmentQueries

    public init(client: PostgresClient, logger: Logger) {
        queries = AssignmentQueries(client: client, logger: logger)
    }

    public func register<Context: RequestContext>(on v1: RouterGroup<Context>) {
        v1.get("reps/:id/leads") { _, context in
            let id = RepRoutes.pathRepId(context) ?? ""
            guard let leads = try await queries.openLeads(ofRep: id) else {
                return JSONResponse.error(.notFound, "No rep \(id).")
            }
            return JSONResponse.make(.ok, leads)
        }
        v1.get("assignments/:leadId") { _, context in
            guard let leadId = context.parameters.get("leadId").flatMap(UUID.init(uuidString:)) else {
                return JSONResponse.error(.badRequest, "The lead id must be a UUID.")
            }
            guard let history = try await queries.assignments(ofLead: leadId) else {
                return JSONResponse.error(.notFound, "Lead \(leadId.uuidString.lowercased()) has no assignment.")
            }
            return JSONResponse.make(.ok, history)
        }
        v1.get("fairness") { request, _ in
            let parameters = request.uri.queryParameters
            var windowDays = 7, minScore = 0
            if let text = parameters.get("windowDays") {
                guard let value = Int(String(text)), Self.windowDaysRange.contains(value) else {
                    return JSONResponse.error(.badRequest, "windowDays must be a whole number from \(Self.windowDaysRange.lowerBound) to \(Self.windowDaysRange.upperBound), got \(text).")
                }
                windowDays = value
            }
            if let text = parameters.get("minScore") {
                guard let value = Int(String(text)), value >= 0 else {
                    return JSONResponse.error(.badRequest, "minScore must be a whole number >= 0, got \(text).")
                }
                minScore = value
            }
            let team = parameters.get("team").map { String($0) }.flatMap { $0.isEmpty ? nil : $0 }
            return JSONResponse.make(.ok, try await queries.fairness(windowDays: windowDays, minScore: minScore, team: team))
        }
    }
}
