import CRMTestSupport
import Foundation
import PostgresNIO
import Shared
@testable import LeadIntake

/// An intake handler on a fresh, migrated database with default scoring rules (version 1).
struct IntakeHarness: Sendable {
    let client: PostgresClient
    let settings: PostgresSettings
    let producer: KafkaProducer
    let scoring: RuleStore
    let handler: IntakeHandler

    static func run<T: Sendable>(_ body: @Sendable (IntakeHarness) async throws -> T) async throws -> T {
        let admin = try KafkaAdmin(config: TestInfrastructure.kafkaConfig(), logger: TestInfrastructure.logger)
        try await admin.createTopics(Topics.all, partitions: 6)
        return try await TestInfrastructure.withFreshDatabase { client, settings in
            let producer = try KafkaProducer(config: TestInfrastructure.kafkaConfig(), logger: TestInfrastructure.logger)
            let harness = try await IntakeHarness(client: client, settings: settings, producer: producer)
            do {
                let result = try await body(harness)
                await producer.close()
                return result
            } catch {
                await producer.close()
                throw error
            }
        }
    }

    init(client: PostgresClient, settings: PostgresSettings, producer: KafkaProducer) async throws {
        self.client = client
        self.settings = settings
        self.producer = producer
        scoring = RuleStore(kind: "scoring", client: client, logger: TestInfrastructure.logger)
        try await scoring.seedIfEmpty(document: ScoringRules.defaultJSON)
        handler = IntakeHandler(client: client, producer: producer, scoringRules: scoring, outboxProducer: "lead-intake", logger: TestInfrastructure.logger)
    }

    /// Intake messages as the consumer would hand them over (offsets are this batch's positions).
    static func messages(_ values: [String], partition: Int32 = 0, firstOffset: Int64 = 0) -> [KafkaMessage] {
        values.enumerated().map { index, value in
            KafkaMessage(topic: Topics.leadIntake, partition: partition, offset: firstOffset + Int64(index),
                         key: Array(TestInfrastructure.unique("key").utf8), value: Array(value.utf8))
        }
    }

    static func submission(
        _ id: String, source: String = "web_form", name: String? = "张伟", phone: String? = nil, email: String? = nil,
        wecomId: String? = nil, company: String? = "华东医药连锁有限公司", receivedAt: String? = nil, extra: [String: Any] = [:]
    ) -> String {
        var contact: [String: Any] = [:]
        contact["name"] = name
        contact["phone"] = phone
        contact["email"] = email
        contact["wecomId"] = wecomId
        var object: [String: Any] = ["submissionId": id, "source": source, "contact": contact]
        if let company { object["company"] = ["name": company, "province": "浙江", "industry": "pharma_retail"] }
        object["receivedAt"] = receivedAt
        for (key, value) in extra { object[key] = value }
        let data = try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
        return String(decoding: data, as: UTF8.self)
    }

    func count(_ sql: String) async throws -> Int {
        try await client.query(PostgresQuery(unsafeSQL: sql)).collect().first?.decode(Int.self) ?? -1
    }

    /// The lead a submission ended in.
    func leadId(of submission: String) async throws -> UUID {
        try await client.query("SELECT lead_id FROM lead_submissions WHERE submission_id = \(submission)").collect()[0].decode(UUID.self)
    }

    /// Outbox events of one type, decoded.
    func events<P: Decodable & Sendable>(_ type: LeadEventType, as: P.Type) async throws -> [EventEnvelope<P>] {
        let rows = try await client.query("SELECT payload FROM outbox WHERE event_type = \(type.rawValue) ORDER BY id").collect()
        return try rows.map { try CRMJSON.decoder().decode(EventEnvelope<P>.self, from: Data(try $0.decode(String.self).utf8)) }
    }
}
