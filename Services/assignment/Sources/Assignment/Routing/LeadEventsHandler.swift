import Foundation
import Logging
import Metrics
import PostgresNIO
import Shared

/// Consumes `crm.lead.events` and routes every accepted lead once. Other event types (including
/// this service's own) are not its business and pass. A message that is not an event envelope
/// fails the batch; the pipeline isolates it and sends it to `crm.dlq.assignment`.
public struct LeadEventsHandler: MessageBatchHandler {
    private let client: PostgresClient
    private let policies: RuleDocumentCache<RoutingPolicy>
    private let engine: RoutingEngine
    private let store: AssignmentStore
    /// The inbox's consumer name.
    private let consumer: String
    private let logger: Logger
    private let now: @Sendable () -> Date

    /// `historyMaxAge`: how old the reps' history figures (fairness, win rate, overdue) may get
    /// before they are read again, off the routing transaction (`RepHistoryCache`); capacity is
    /// always read fresh.
    public init(
        client: PostgresClient, routingPolicies: RuleStore, consumer: String, outboxProducer: String, logger: Logger,
        historyMaxAge: Duration = .seconds(2), now: @escaping @Sendable () -> Date = Date.init
    ) {
        self.client = client
        self.policies = RoutingPolicyStore.cache(routingPolicies)
        let store = AssignmentStore(logger: logger)
        self.store = store
        let history = RepHistoryCache(maxAge: historyMaxAge, logger: logger) { reps, policy, now in
            try await client.withLiveConnection { try await store.loads(of: reps, policy: policy, now: now, on: $0) }
        }
        self.engine = RoutingEngine(store: store, history: history, producer: outboxProducer, logger: logger)
        self.consumer = consumer
        self.logger = logger
        self.now = now
    }

    public func handle(_ batch: [KafkaMessage]) async throws {
        let decoder = CRMJSON.decoder()
        var accepted: [EventEnvelope<LeadAccepted>] = []
        for message in batch {
            let header = try EventHeader.decode(message.value)
            guard header.type == LeadEventType.leadAccepted.rawValue else { continue }
            accepted.append(try decoder.decode(EventEnvelope<LeadAccepted>.self, from: Data(message.value)))
        }
        guard !accepted.isEmpty else { return }
        let (version, policy) = try await policies.current()
        let at = now()
        let outcome = try await client.unitOfWork(logger: logger) { [accepted] connection -> RoutingEngine.Outcome in
            var fresh = try await Inbox.claim(accepted.map { $0.eventId.uuidString.lowercased() }, consumer: consumer, on: connection, logger: logger)
            let events = accepted.filter { fresh.remove($0.eventId.uuidString.lowercased()) != nil }
            let routable = try await recordLeads(events.map(\.payload), on: connection)
            let requests = events.filter { routable.contains($0.payload.leadId) }.map { event in
                RoutingEngine.Request(
                    leadId: event.payload.leadId, lead: Self.leadToRoute(event.payload), correlationId: event.correlationId,
                    causationId: event.eventId.uuidString.lowercased(), previousRepId: nil, isFirstRouting: true)
            }
            return try await engine.route(requests, policy: policy, policyVersion: version, now: at, on: connection)
        }
        engine.history.recordCommitted(outcome.opened)
        Counter(label: "crm_assignment_leads_total", dimensions: [("outcome", "assigned")]).increment(by: outcome.assigned)
        Counter(label: "crm_assignment_leads_total", dimensions: [("outcome", "queued")]).increment(by: outcome.queued)
    }

    /// Keeps what routing needs of each lead; returns the leads seen for the first time (a lead is
    /// routed once, even if a second LeadAccepted for it ever appeared under another event id).
    private func recordLeads(_ leads: [LeadAccepted], on connection: PostgresConnection) async throws -> Set<UUID> {
        guard !leads.isEmpty else { return [] }
        struct Row: Codable {
            var leadId: UUID, score: Int, region: String?, productLine: String?, industry: String?, acceptedAt: Date
            enum CodingKeys: String, CodingKey {
                case score, region, industry
                case leadId = "lead_id", productLine = "product_line", acceptedAt = "accepted_at"
            }
        }
        let rows = leads.map {
            Row(leadId: $0.leadId, score: $0.score, region: $0.company.region, productLine: $0.interest.productLine,
                industry: $0.company.industry, acceptedAt: $0.receivedAt)
        }
        let json = String(decoding: try CRMJSON.encoder().encode(rows), as: UTF8.self)
        return Set(try await connection.rows(RecordRoutedLeads(leads: json), logger: logger))
    }

    /// `recordLeads`' statement, prepared: every batch runs it. Returns the leads it inserted.
    struct RecordRoutedLeads: PostgresPreparedStatement {
        static let sql = """
            INSERT INTO routed_leads (lead_id, score, region, product_line, industry, accepted_at)
            SELECT lead_id, score, region, product_line, industry, accepted_at
            FROM jsonb_to_recordset($1::jsonb)
                 AS r(lead_id uuid, score integer, region text, product_line text, industry text, accepted_at timestamptz)
            ON CONFLICT (lead_id) DO NOTHING
            RETURNING lead_id
            """
        typealias Row = UUID

        /// A JSON array of routed_leads rows.
        var leads: String

        func makeBindings() -> PostgresBindings {
            var bindings = PostgresBindings()
            bindings.append(leads)
            return bindings
        }
    }

    static func leadToRoute(_ lead: LeadAccepted) -> LeadToRoute {
        LeadToRoute(leadId: lead.leadId.uuidString.lowercased(), score: lead.score, region: lead.company.region,
                    productLine: lead.interest.productLine, industry: lead.company.industry)
    }
}

/// The routing policy as versioned rule documents (kind `routing`).
public enum RoutingPolicyStore {
    public static let kind = "routing"

    static func cache(_ store: RuleStore) -> RuleDocumentCache<RoutingPolicy> {
        RuleDocumentCache(store: store) { try RoutingPolicy.parse(json: $0) }
    }

    /// Problems of a routing policy document, by path; empty when valid.
    @Sendable
    public static func validate(_ document: String) -> [RuleProblem] {
        do {
            _ = try RoutingPolicy.parse(json: document)
            return []
        } catch {
            return error.issues
        }
    }

    /// The default policy as a document, seeded as version 1.
    public static func defaultDocument() throws -> String {
        String(decoding: try RoutingPolicy.default.jsonData(), as: UTF8.self)
    }
}
