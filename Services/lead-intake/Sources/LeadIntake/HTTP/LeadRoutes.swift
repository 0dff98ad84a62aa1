import Foundation
import Hummingbird
import Logging
import Shared

/// `POST /v1/leads` (same JSON as the intake topic; published there, answered 202),
/// `GET /v1/leads/{id}` (with its touches), `GET /v1/leads?phone=&email=&wecomId=`,
/// `GET /v1/duplicates?status=open&limit=100`.
struct LeadRoutes: Sendable {
    let producer: KafkaProducer
    let queries: LeadQueries
    let validator: SubmissionValidator

    struct Queued: Codable { var submissionId: String; var topic: String; var partition: Int32; var offset: Int64 }
    struct Leads: Codable { var leads: [LeadView] }
    struct Duplicates: Codable { var duplicates: [PossibleDuplicateView] }

    func register<Context: RequestContext>(on v1: RouterGroup<Context>) {
        v1.post("leads") { request, _ in try await post(request) }
        v1.get("leads/:id") { _, context in
            guard let id = context.parameters.get("id").flatMap(UUID.init(uuidString:)) else {
                return JSONResponse.error(.badRequest, "The lead id must be a UUID.")
            }
            guard let lead = try await queries.lead(id) else {
                return JSONResponse.error(.notFound, "No lead \(id.uuidString.lowercased()).")
            }
            return JSONResponse.make(.ok, lead)
        }
        v1.get("leads") { request, _ in try await find(request) }
        v1.get("duplicates") { request, _ in
            let parameters = request.uri.queryParameters
            let status = parameters.get("status").map { String($0) } ?? "open"
            guard ["open", "merged", "dismissed"].contains(status) else {
                return JSONResponse.error(.badRequest, "status must be open, merged or dismissed.")
            }
            let limit = min(max(parameters.get("limit").flatMap { Int(String($0)) } ?? 100, 1), 1000)
            return JSONResponse.make(.ok, Duplicates(duplicates: try await queries.possibleDuplicates(status: status, limit: limit)))
        }
    }

    /// Validates synchronously so the caller hears about bad input now (400 with the field errors),
    /// then publishes the body unchanged: the intake consumer is the one door into the database.
    private func post(_ request: Request) async throws -> Response {
        var request = request
        let body = try await request.bodyBytes(limit: SubmissionValidator.maxBytes)
        switch validator.validate(bytes: body, now: Date()) {
        case .failure(let rejection):
            return JSONResponse.make(.badRequest, RejectedSubmission(rejection: rejection, original: []).withoutOriginal)
        case .success(let submission):
            let submissionId = submission.lead.submissionId
            let report = try await producer.send(ProducerRecord(
                topic: Topics.leadIntake, key: Array(submissionId.utf8), value: body,
                headers: [KafkaHeader(key: "received-via", text: "http")]))
            return JSONResponse.make(.accepted, Queued(submissionId: submissionId, topic: report.topic, partition: report.partition, offset: report.offset))
        }
    }

    private func find(_ request: Request) async throws -> Response {
        let parameters = request.uri.queryParameters
        var identities: [LeadIdentity] = []
        if let phone = parameters.get("phone") {
            guard let e164 = PhoneNormalizer.e164(String(phone)) else {
                return JSONResponse.error(.badRequest, "phone: not a phone number.")
            }
            identities.append(LeadIdentity(kind: .phone, value: e164))
        }
        if let email = parameters.get("email") {
            guard let normalized = EmailNormalizer.email(String(email)) else {
                return JSONResponse.error(.badRequest, "email: not an e-mail address.")
            }
            identities.append(LeadIdentity(kind: .email, value: normalized))
        }
        if let wecomId = parameters.get("wecomId") {
            identities.append(LeadIdentity(kind: .wecomId, value: TextNormalizer.normalize(String(wecomId))))
        }
        guard !identities.isEmpty else {
            return JSONResponse.error(.badRequest, "Give at least one of phone, email, wecomId.")
        }
        return JSONResponse.make(.ok, Leads(leads: try await queries.leads(with: identities)))
    }
}

extension RejectedSubmission {
    /// For HTTP answers: the caller has its own body, echoing it back helps nobody.
    struct Answer: Codable { var reason: String; var message: String; var errors: [FieldError] }
    var withoutOriginal: Answer { Answer(reason: reason, message: message, errors: errors) }
}
