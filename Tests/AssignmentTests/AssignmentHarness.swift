import CRMTestSupport
import Foundation
import PostgresNIO
import Shared
import Synchronization
@testable import Assignment

/// A clock tests move by hand: SLA timers due in hours fire without waiting.
final class TestClock: Sendable {
    private let current: Mutex<Date>
    init(_ start: Date = Date(timeIntervalSince1970: 1_795_000_000)) { current = Mutex(start) }
    var now: Date { current.withLock { $0 } }
    func advance(by seconds: TimeInterval) { current.withLock { $0 = $0.addingTimeInterval(seconds) } }
}

/// The assignment handler, scheduler and activities on a fresh database with the default policy.
struct AssignmentHarness: Sendable {
    let client: PostgresClient
    let settings: PostgresSettings
    let policies: RuleStore
    let clock: TestClock
    let handler: LeadEventsHandler
    let scheduler: SLAScheduler
    let activities: LeadActivities

    static func run(_ body: @Sendable (AssignmentHarness) async throws -> Void) async throws {
        try await TestInfrastructure.withFreshDatabase { client, settings in
            try await body(try await AssignmentHarness(client: client, settings: settings))
        }
    }

    init(client: PostgresClient, settings: PostgresSettings, clock: TestClock = TestClock()) async throws {
        self.client = client
        self.settings = settings
        self.clock = clock
        policies = RuleStore(kind: RoutingPolicyStore.kind, client: client, logger: TestInfrastructure.logger)
        try await policies.seedIfEmpty(document: try RoutingPolicyStore.defaultDocument())
        handler = Self.handler(client: client, policies: policies, clock: clock)
        scheduler = SLAScheduler(client: client, routingPolicies: policies, outboxProducer: "assignment",
                                 logger: TestInfrastructure.logger, now: { clock.now })
        activities = LeadActivities(client: client, routingPolicies: policies, outboxProducer: "assignment",
                                    logger: TestInfrastructure.logger, now: { clock.now })
    }

    static func handler(client: PostgresClient, policies: RuleStore, clock: TestClock) -> LeadEventsHandler {
        LeadEventsHandler(client: client, routingPolicies: policies, consumer: "assignment.lead-events",
                          outboxProducer: "assignment", logger: TestInfrastructure.logger, now: { clock.now })
    }

    func addReps(_ reps: [Rep]) async throws {
        for rep in reps {
            let profile = String(decoding: try CRMJSON.encoder().encode(rep), as: UTF8.self)
            try await client.query("""
                INSERT INTO reps (id, name, team_id, supervisor_id, active, capacity, profile)
                VALUES (\(rep.id), \(rep.name), \(rep.teamId), \(rep.supervisorId), \(rep.active), \(rep.capacity), \(profile)::jsonb)
                """)
        }
    }

    /// A LeadAccepted message as lead-intake publishes it.
    static func accepted(
        _ leadId: UUID = UUID(), score: Int = 50, region: String? = "east", productLine: String? = "medical_devices",
        industry: String? = "pharma_retail", eventId: UUID = UUID()
    ) -> KafkaMessage {
        let payload = LeadAccepted(
            leadId: leadId, submissionId: "sub-\(leadId)", source: "web_form", receivedAt: Date(),
            contact: LeadContactInfo(name: "张伟", phone: "+8613800138000"),
            company: LeadCompanyInfo(name: "华东医药", industry: industry, region: region),
            interest: LeadInterestInfo(productLine: productLine), attributes: [:], score: score, scoreBreakdown: [], scoringVersion: 1)
        let envelope = EventEnvelope(eventId: eventId, type: "LeadAccepted", aggregateId: leadId.uuidString.lowercased(),
                                     correlationId: payload.submissionId, payload: payload)
        return KafkaMessage(topic: Topics.leadEvents, partition: 0, offset: 0, key: Array(envelope.aggregateId.utf8),
                            value: Array(try! CRMJSON.encoder().encode(envelope)))
    }

    func count(_ sql: String) async throws -> Int {
        try await client.query(PostgresQuery(unsafeSQL: sql)).collect().first?.decode(Int.self) ?? -1
    }

    func events<P: Decodable & Sendable>(_ type: LeadEventType, as: P.Type) async throws -> [EventEnvelope<P>] {
        let rows = try await client.query("SELECT payload FROM outbox WHERE event_type = \(type.rawValue) ORDER BY id").collect()
        return try rows.map { try CRMJSON.decoder().decode(EventEnvelope<P>.self, from: Data(try $0.decode(String.self).utf8)) }
    }

    func owner(of lead: UUID) async throws -> String? {
        try await client.query("SELECT rep_id FROM assignments WHERE lead_id = \(lead) AND current").collect().first?.decode(String?.self) ?? nil
    }

    /// Connections opened from now on give up waiting for a lock after `seconds` (55P03), so a test
    /// of who waits for whom fails instead of hanging. Open a new client after it: pooled connections
    /// keep the setting they started with.
    func limitLockWaits(seconds: Int) async throws {
        try await client.query(PostgresQuery(unsafeSQL: """
            DO $$ BEGIN EXECUTE format('ALTER DATABASE %I SET lock_timeout = %L', current_database(), '\(seconds)s'); END $$
            """))
    }

    /// The capacity counter agrees with the assignments and never exceeds the capacity.
    func loadIsConsistent() async throws -> Bool {
        try await count("""
            SELECT count(*) FROM reps r
            WHERE r.open_leads <> (SELECT count(*) FROM assignments a WHERE a.rep_id = r.id AND a.current AND a.status IN ('open', 'contacted'))
               OR r.open_leads > r.capacity
            """) == 0
    }
}
