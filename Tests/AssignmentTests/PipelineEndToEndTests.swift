import CRMTestSupport
import Foundation
import PostgresNIO
import Shared
import Testing
@testable import Assignment

/// lead-intake and assignment as deployed, sharing one database: a submission on the intake topic
/// ends as LeadAssigned on `crm.lead.events`, and the rep's activity closes the loop.
@Suite("intake to assignment, end to end")
struct PipelineEndToEndTests {
    let key = ["X-API-Key": "local-dev-key"]

    @Test("a submission on crm.lead.intake ends as LeadAssigned to the matching rep")
    func submissionToAssignment() async throws {
        try await TestInfrastructure.withFreshDatabase(migrated: false) { client, settings in
            // Groups of their own that start at the end of the topics (the local broker's history is
            // not this test's business); posting waits until both hold partitions.
            let prefix = TestInfrastructure.unique("pipeline") + "."
            let environment = [
                "CRM_PG_DATABASE": settings.database, "CRM_CONSUMER_GROUP_PREFIX": prefix,
                "CRM_CONSUMER_START": "latest", "CRM_OUTBOX_POLL_MS": "200",
            ]
            let intake = try ServiceProcess("lead-intake", environment: environment)
            defer { intake.terminate() }
            #expect(await intake.waitUntilConsuming(group: prefix + "lead-intake.intake", timeout: .seconds(60)), "\(intake.standardError)")
            let assignment = try ServiceProcess("assignment", environment: environment)
            defer { assignment.terminate() }
            #expect(await assignment.waitUntilConsuming(group: prefix + AssignmentService.consumerGroup, timeout: .seconds(60)),
                    "\(assignment.standardError)")

            // Two reps through the admin route; only one covers the lead's region.
            for (id, region) in [("rep-hz", "east"), ("rep-bj", "north")] {
                let rep = Rep(id: id, name: id, teamId: "\(region)-team", supervisorId: "sup-\(region)", regions: [region],
                              productLines: ["medical_devices"], capacity: 10_000)
                let body = String(decoding: try CRMJSON.encoder().encode(rep), as: UTF8.self)
                let stored = await assignment.request("PUT", "/v1/reps/\(id)", headers: key, body: body)
                #expect(stored?.status == 200, "\(stored?.body ?? "no answer")")
            }
            var strict = RoutingPolicy.default
            strict.eligibility.region = .required
            let policy = await assignment.request("PUT", "/v1/rules/routing", headers: key,
                                                  body: String(decoding: try strict.jsonData(), as: UTF8.self))
            #expect(policy?.status == 200)

            let reader = try KafkaConsumer(config: TestInfrastructure.kafkaConfig(), groupId: TestInfrastructure.unique("pipeline-reader"),
                                           topics: [Topics.leadEvents], logger: TestInfrastructure.logger)
            _ = try await TestInfrastructure.pollUntilAssigned(reader)
            let submission = TestInfrastructure.unique("web")
            let phone = "137" + String(format: "%08d", Int.random(in: 0..<100_000_000))
            let producer = try KafkaProducer(config: TestInfrastructure.kafkaConfig(), logger: TestInfrastructure.logger)
            try await producer.send(ProducerRecord(topic: Topics.leadIntake, key: submission, value: """
                {"submissionId": "\(submission)", "source": "web_form", "contact": {"name": "王磊", "phone": "\(phone)"},
                 "company": {"name": "杭州康达医疗器械有限公司", "province": "浙江"}, "interest": {"productLine": "medical_devices"}}
                """))
            await producer.close()

            // This database's lead (other lead-intakes on the broker may record the submission too).
            var leadId: UUID?
            let end = ContinuousClock.now + .seconds(60)
            while leadId == nil && ContinuousClock.now < end {
                leadId = try await client.query("SELECT lead_id FROM lead_submissions WHERE submission_id = \(submission)")
                    .collect().first?.decode(UUID.self)
                if leadId == nil { try await Task.sleep(for: .milliseconds(100)) }
            }
            let lead = try #require(leadId).uuidString.lowercased()
            var assigned: EventEnvelope<LeadAssigned>?
            while assigned == nil && ContinuousClock.now < end {
                for message in try await reader.poll(maxMessages: 1000, timeout: .milliseconds(500)) {
                    guard let header = try? EventHeader.decode(message.value), header.type == "LeadAssigned", header.aggregateId == lead else { continue }
                    assigned = try CRMJSON.decoder().decode(EventEnvelope<LeadAssigned>.self, from: Data(message.value))
                }
            }
            await reader.close()
            if assigned == nil {
                let rows = try await client.query(
                    "SELECT coalesce(rep_id, '-') || ' ' || status || ' ' || reasons::text FROM assignments WHERE lead_id = \(UUID(uuidString: lead)!)"
                ).collect().map { try $0.decode(String.self) }
                let outbox = try await client.query(
                    """
                    SELECT o.event_type || CASE WHEN q.id IS NULL THEN ' published' ELSE ' unpublished' END
                    FROM outbox AS o LEFT JOIN outbox_queue AS q ON q.producer = o.producer AND q.id = o.id
                    WHERE o.message_key = \(lead)
                    """
                ).collect().map { try $0.decode(String.self) }
                Issue.record("no LeadAssigned seen; assignments: \(rows); outbox: \(outbox)")
            }
            let event = try #require(assigned)
            #expect(event.payload.repId == "rep-hz", "浙江 is in the east region")
            #expect(event.payload.policyVersion == 2)
            #expect(event.correlationId == submission)

            let contacted = await assignment.request("POST", "/v1/leads/\(lead)/activities", headers: key.merging(["X-Actor": "rep-hz"]) { $1 },
                                                     body: #"{"activity": "contacted", "notes": "需要报价"}"#)
            #expect(contacted?.status == 200)
            let history = await assignment.get("/v1/assignments/\(lead)", headers: key)
            #expect(history?.status == 200)
            #expect(history?.body.contains("contacted") == true)

            intake.terminate()
            assignment.terminate()
            #expect(await intake.waitForExit(timeout: .seconds(10)) == 0)
            #expect(await assignment.waitForExit(timeout: .seconds(10)) == 0)
        }
    }
}
