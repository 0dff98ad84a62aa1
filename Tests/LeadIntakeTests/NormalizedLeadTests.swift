import Foundation
import Testing
import LeadIntake

struct NormalizedLeadTests {
    @Test func encodesReceivedAtAsRFC3339AndRoundTrips() throws {
        let lead = try Fixtures.specLead()
        let data = try JSONEncoder().encode(lead)
        let text = try #require(String(data: data, encoding: .utf8))
        #expect(text.contains(#""receivedAt":"2026-11-23T01:30:00.000Z""#))
        #expect(text.contains(#""budget":850000"#))
        #expect(try JSONDecoder().decode(NormalizedLead.self, from: data) == lead)
    }

    @Test func submissionRoundTripsThroughCodable() throws {
        let submission = try Fixtures.validate(Fixtures.specExample).get().submission
        let data = try JSONEncoder().encode(submission)
        #expect(try JSONDecoder().decode(LeadSubmission.self, from: data) == submission)
    }

    @Test func submissionDecodesWithOnlyTheRequiredFields() throws {
        let submission = try JSONDecoder().decode(LeadSubmission.self, from: Data(#"{"submissionId": "s1", "source": "web"}"#.utf8))
        #expect(submission == LeadSubmission(submissionId: "s1", source: "web"))
    }

    @Test func completenessFieldsAreAllAnswerable() throws {
        let lead = try Fixtures.specLead()
        for field in NormalizedLead.completenessFields {
            #expect(lead.hasValue(at: field) == true, "\(field)")
        }
        #expect(lead.hasValue(at: "contact.fax") == nil)
        #expect(NormalizedLead(submissionId: "s", source: "web", receivedAt: Fixtures.now).hasValue(at: "contact.name") == false)
    }
}
