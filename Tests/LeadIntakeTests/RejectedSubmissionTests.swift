import Foundation
import Testing
import LeadIntake

struct RejectedSubmissionTests {
    @Test func utf8OriginalIsKeptAsText() throws {
        let rejection = LeadRejection(reason: .notObject, message: "submission must be a JSON object, got an array")
        let message = RejectedSubmission(rejection: rejection, original: Array("[1]".utf8))
        #expect(message.original == "[1]")
        #expect(message.originalEncoding == .utf8)
        let json = try #require(String(data: try JSONEncoder().encode(message), encoding: .utf8))
        #expect(json.contains(#""reason":"not_object""#))
    }

    @Test func binaryOriginalIsKeptAsBase64() {
        let rejection = LeadRejection(reason: .notJSON, message: "submission is not UTF-8 text")
        let message = RejectedSubmission(rejection: rejection, original: [0xFF, 0xFE, 0x00])
        #expect(message.original == "//4A")
        #expect(message.originalEncoding == .base64)
        #expect(message.reason == "not_json")
    }

    @Test func reasonIsTheMostSevereFieldProblem() throws {
        #expect(LeadRejection(fieldErrors: []) == nil)
        let rejection = try #require(LeadRejection(fieldErrors: [
            FieldError(field: "interest.budget", problem: "must not be negative", reason: .outOfRange),
            FieldError(field: "contact.phone", problem: "not a phone number", reason: .invalidPhone),
            FieldError(field: "source", problem: "is required", reason: .missingField),
        ]))
        #expect(rejection.reason == .missingField)
        #expect(rejection.message == "interest.budget: must not be negative; contact.phone: not a phone number; source: is required")
    }
}
