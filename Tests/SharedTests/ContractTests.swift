import Foundation
import Testing
@testable import Shared

@Suite("Event contracts")
struct ContractTests {
    struct Sample: Codable, Sendable, Equatable { var leadId: String; var score: Int }

    @Test("an envelope round-trips with RFC 3339 UTC timestamps")
    func envelopeRoundTrip() throws {
        let envelope = EventEnvelope(
            type: "LeadAccepted", occurredAt: Date(timeIntervalSince1970: 1_795_000_000.25),
            aggregateId: "lead-1", correlationId: "web-1", payload: Sample(leadId: "lead-1", score: 42))
        let data = try CRMJSON.encoder().encode(envelope)
        let text = String(decoding: data, as: UTF8.self)
        #expect(text.contains(#""occurredAt":"2026-11-18T"#))
        #expect(text.contains(#"Z""#))
        let decoded = try CRMJSON.decoder().decode(EventEnvelope<Sample>.self, from: data)
        #expect(decoded.payload == Sample(leadId: "lead-1", score: 42))
        #expect(decoded.eventId == envelope.eventId)
        #expect(abs(decoded.occurredAt.timeIntervalSince(envelope.occurredAt)) < 0.001)
        let header = try EventHeader.decode(Array(data))
        #expect(header.type == "LeadAccepted" && header.aggregateId == "lead-1" && header.causationId == nil)
    }

    @Test("timestamps with offsets and without fractions are read", arguments: [
        ("2026-11-23T09:30:00+08:00", 1_795_397_400.0),
        ("2026-11-23T01:30:00Z", 1_795_397_400.0),
        ("2026-11-23T01:30:00.500Z", 1_795_397_400.5),
    ])
    func timestamps(text: String, epoch: Double) throws {
        let date = try #require(Timestamp.parse(text))
        #expect(abs(date.timeIntervalSince1970 - epoch) < 0.001)
    }

    @Test("a message that is not an envelope is refused")
    func notAnEnvelope() {
        #expect(throws: DecodingError.self) { try EventHeader.decode(Array(#"{"type":"LeadAccepted"}"#.utf8)) }
    }

    @Test("every public topic and one dead-letter topic per service")
    func topics() {
        #expect(Topics.all.count == 11)
        #expect(Topics.all.contains("crm.dlq.lead-intake"))
        #expect(Set(Topics.all).count == Topics.all.count)
    }

    @Test("phone numbers and e-mail addresses are masked")
    func masking() {
        #expect(Masking.phone("+8613800138000") == "+861*******000")
        #expect(Masking.email("zhang.wei@example.com") == "z***@example.com")
        #expect(Masking.email("@x") == "***")
    }
}
