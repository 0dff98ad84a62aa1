import CRMTestSupport
import Foundation
import PostgresNIO
import Shared
import Testing
@testable import LeadIntake

/// The lead-intake executable as deployed: a submission on the intake topic or over HTTP ends as
/// an event on `crm.lead.events`; the query and rule routes answer over HTTP.
@Suite("lead-intake end to end")
struct LeadIntakeEndToEndTests {
    let key = ["X-API-Key": "local-dev-key"]

    /// Reads `crm.lead.events` until the event of `submission` about `leadId` arrived (bounded).
    /// Matching the lead too matters: another lead-intake on the same broker (other tests, another
    /// deployment) may record the same submission in its own database and publish its own event.
    func event(for submission: String, lead leadId: String, reader: KafkaConsumer) async throws -> EventHeader? {
        let end = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < end {
            for message in try await reader.poll(maxMessages: 1000, timeout: .milliseconds(500)) {
                guard let header = try? EventHeader.decode(message.value),
                      header.correlationId == submission, header.aggregateId == leadId else { continue }
                return header
            }
        }
        return nil
    }

    /// The lead this service's database recorded for a submission (bounded wait).
    func leadId(of submission: String, client: PostgresClient) async throws -> String? {
        let end = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < end {
            if let id = try await client.query("SELECT lead_id FROM lead_submissions WHERE submission_id = \(submission)")
                .collect().first?.decode(UUID.self) {
                return id.uuidString.lowercased()
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        return nil
    }

    @Test("Kafka and HTTP submissions become LeadAccepted and LeadMerged; queries and rule admin work")
    func fullFlow() async throws {
        try await TestInfrastructure.withFreshDatabase(migrated: false) { client, settings in
            // A group of its own that starts at the end of the topics: whatever history the local
            // broker holds is not this test's business.
            let prefix = TestInfrastructure.unique("e2e") + "."
            let service = try ServiceProcess("lead-intake", environment: [
                "CRM_PG_DATABASE": settings.database, "CRM_CONSUMER_GROUP_PREFIX": prefix, "CRM_CONSUMER_START": "latest",
            ])
            defer { service.terminate() }
            #expect(await service.waitUntilConsuming(group: prefix + LeadIntakeService.consumerGroup, timeout: .seconds(60)),
                    "\(service.standardError)")
            let reader = try KafkaConsumer(config: TestInfrastructure.kafkaConfig(), groupId: TestInfrastructure.unique("e2e-reader"),
                                           topics: [Topics.leadEvents], logger: TestInfrastructure.logger)
            _ = try await TestInfrastructure.pollUntilAssigned(reader)

            // Through the topic, as an integration posts.
            let phone = "139" + String(format: "%08d", Int.random(in: 0..<100_000_000))
            let first = TestInfrastructure.unique("web")
            let producer = try KafkaProducer(config: TestInfrastructure.kafkaConfig(), logger: TestInfrastructure.logger)
            try await producer.send(ProducerRecord(topic: Topics.leadIntake, key: first, value: IntakeHarness.submission(
                first, phone: phone, email: "\(first)@example.com", company: "浙江华东医药有限公司")))
            await producer.close()
            let leadId = try #require(try await leadId(of: first, client: client))
            let accepted = try #require(try await event(for: first, lead: leadId, reader: reader))
            #expect(accepted.type == "LeadAccepted")

            // Through HTTP, the same person by e-mail from another channel.
            #expect(await service.request("POST", "/v1/leads", body: "{}")?.status == 401)
            #expect(await service.request("POST", "/v1/leads", headers: ["X-API-Key": "wrong-key-123"], body: "{}")?.status == 401)
            let bad = await service.request("POST", "/v1/leads", headers: key, body: #"{"source":"wecom"}"#)
            #expect(bad?.status == 400)
            #expect(bad?.body.contains(#""field":"submissionId""#) == true)
            let second = TestInfrastructure.unique("wecom")
            let posted = await service.request("POST", "/v1/leads", headers: key, body: IntakeHarness.submission(
                second, source: "wecom", name: nil, email: "\(first.uppercased())@EXAMPLE.com", company: nil))
            #expect(posted?.status == 202)
            #expect(posted?.body.contains(second) == true)
            let merged = try #require(try await event(for: second, lead: leadId, reader: reader))
            #expect(merged.type == "LeadMerged")
            await reader.close()

            // Queries.
            let lead = await service.get("/v1/leads/\(accepted.aggregateId)", headers: key)
            #expect(lead?.status == 200)
            #expect(lead?.body.contains(#""submissionId":"\#(second)""#) == true, "the touch is listed")
            #expect(lead?.body.contains(#""phone":"+86\#(phone)""#) == true)
            let found = await service.get("/v1/leads?phone=%2B86%20\(phone)", headers: key)
            #expect(found?.body.contains(accepted.aggregateId) == true)
            #expect(await service.get("/v1/leads/\(UUID().uuidString)", headers: key)?.status == 404)
            #expect(await service.get("/v1/duplicates", headers: key)?.status == 200)

            // Scoring rules: refused with paths, changed, audited, rolled back.
            let current = await service.get("/v1/rules/scoring", headers: key)
            #expect(current?.body.contains(#""version":1"#) == true)
            let refused = await service.request("PUT", "/v1/rules/scoring", headers: key, body: #"{"budgetBands": [{"min": -1, "points": 5}]}"#)
            #expect(refused?.status == 422)
            #expect(refused?.body.contains("budgetBands[0]") == true)
            let changed = await service.request("PUT", "/v1/rules/scoring", headers: key.merging(["X-Actor": "ops@example.com"]) { $1 },
                                                 body: #"{"sources": {"wecom": 40}}"#)
            #expect(changed?.status == 200)
            #expect(changed?.body.contains(#""version":2"#) == true)
            let history = await service.get("/v1/rules/scoring/history", headers: key)
            #expect(history?.body.contains("ops@example.com") == true)
            let rolledBack = await service.request("POST", "/v1/rules/scoring/rollback", headers: key, body: #"{"version": 1}"#)
            #expect(rolledBack?.body.contains(#""version":3"#) == true)
            #expect(await service.request("POST", "/v1/rules/scoring/rollback", headers: key, body: #"{"version": 99}"#)?.status == 404)

            service.terminate()
            #expect(await service.waitForExit(timeout: .seconds(10)) == 0)
            // The group read the intake topic from its start, so other submissions are recorded too;
            // this person is one lead with two touches.
            let touches = try await client.query("""
                SELECT count(*) FROM lead_submissions s JOIN lead_identities i ON i.lead_id = s.lead_id
                WHERE i.kind = 'phone' AND i.value = \("+86" + phone)
                """).collect().first?.decode(Int.self)
            #expect(touches == 2)
        }
    }
}
