import Foundation
import Hummingbird
import Shared

/// `POST /v1/leads/:id/activities` `{"activity": "contacted|follow_up|meeting|converted|lost", "notes": "..."}`
/// and `POST /v1/leads/:id/reassign` `{"repId": "...", "reason": "..."}`; the actor is `X-Actor`.
struct ActivityRoutes: Sendable {
    let activities: LeadActivities

    struct ActivityRequest: Codable { var activity: LeadActivities.Activity; var notes: String? }
    struct ReassignRequest: Codable { var repId: String; var reason: String? }
    struct Done: Codable { var leadId: String; var status: String }

    func register<Context: RequestContext>(on v1: RouterGroup<Context>) {
        v1.post("leads/:id/activities") { request, context in
            try await respond(request, context) { lead, body, actor in
                guard let activity = try? JSONDecoder().decode(ActivityRequest.self, from: body) else {
                    let kinds = LeadActivities.Activity.allCases.map(\.rawValue).joined(separator: ", ")
                    return JSONResponse.error(.badRequest, "Send {\"activity\": one of \(kinds), \"notes\": optional text}.")
                }
                try await activities.record(activity.activity, lead: lead, notes: activity.notes, by: actor)
                return JSONResponse.make(.ok, Done(leadId: lead.uuidString.lowercased(), status: activity.activity.rawValue))
            }
        }
        v1.post("leads/:id/reassign") { request, context in
            try await respond(request, context) { lead, body, actor in
                guard let reassign = try? JSONDecoder().decode(ReassignRequest.self, from: body), !reassign.repId.isEmpty else {
                    return JSONResponse.error(.badRequest, "Send {\"repId\": \"the new owner\", \"reason\": optional text}.")
                }
                try await activities.reassign(lead: lead, to: reassign.repId, reason: reassign.reason, by: actor)
                return JSONResponse.make(.ok, Done(leadId: lead.uuidString.lowercased(), status: "reassigned to \(reassign.repId)"))
            }
        }
    }

    private func respond<Context: RequestContext>(
        _ request: Request, _ context: Context, _ body: (UUID, Data, String) async throws -> Response
    ) async throws -> Response {
        guard let lead = context.parameters.get("id").flatMap(UUID.init(uuidString:)) else {
            return JSONResponse.error(.badRequest, "The lead id must be a UUID.")
        }
        var request = request
        let bytes = try await request.bodyBytes(limit: 16 * 1024)
        let actor = request.header("X-Actor").map { String($0.prefix(200)) } ?? "api"
        do {
            return try await body(lead, Data(bytes), actor)
        } catch let refusal as LeadActivities.Refusal {
            switch refusal {
            case .noOpenAssignment, .unknownRep: return JSONResponse.error(.notFound, refusal.description)
            default: return JSONResponse.error(.conflict, refusal.description)
            }
        }
    }
}
