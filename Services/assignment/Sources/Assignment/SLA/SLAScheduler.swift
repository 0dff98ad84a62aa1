import Foundation
import Logging
import Metrics
import PostgresNIO
import ServiceLifecycle
import Shared

/// Fires due SLA timers: reminders to the rep, escalations to the supervisor, and the return of
/// neglected leads to the pool followed by re-routing away from their owners.
///
/// Timers live in Postgres, so they survive restarts; several instances may run, and
/// `FOR UPDATE SKIP LOCKED` hands each due timer to exactly one of them. The clock is injected so
/// tests can move time instead of waiting for hours.
public struct SLAScheduler: Service {
    private let client: PostgresClient
    private let policies: RuleDocumentCache<RoutingPolicy>
    private let store: AssignmentStore
    private let engine: RoutingEngine
    private let logger: Logger
    private let now: @Sendable () -> Date
    private let interval: Duration
    private let batchSize: Int

    public init(
        client: PostgresClient, routingPolicies: RuleStore, outboxProducer: String, logger: Logger,
        interval: Duration = .seconds(1), batchSize: Int = 200, now: @escaping @Sendable () -> Date = Date.init
    ) {
        self.client = client
        self.policies = RoutingPolicyStore.cache(routingPolicies)
        self.store = AssignmentStore(logger: logger)
        // Returns to the pool are rare: read the history every time.
        self.engine = RoutingEngine(store: store, history: RepHistoryCache(maxAge: .zero), producer: outboxProducer, logger: logger)
        self.logger = logger
        self.now = now
        self.interval = interval
        self.batchSize = batchSize
    }

    public func run() async throws {
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            do {
                while try await fireDue() == batchSize, !Task.isShuttingDownGracefully {}
            } catch {
                logger.warning("SLA timers could not fire; next round retries", metadata: ["error": "\(String(reflecting: error))"])
            }
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
        }
    }

    private struct DueTimer {
        var id: Int64
        var leadId: UUID
        var kind: SLATimer.Kind?
        var repId: String?
        var dueAt: Date
    }

    /// Fires the timers due at `now()`; returns how many it took (fired or found stale).
    @discardableResult
    public func fireDue() async throws -> Int {
        let at = now()
        let (version, policy) = try await policies.current()
        return try await client.unitOfWork(logger: logger) { connection -> Int in
            var due: [DueTimer] = []
            let rows = try await connection.query("""
                SELECT id, lead_id, kind, rep_id, due_at FROM sla_timers
                WHERE fired_at IS NULL AND cancelled_at IS NULL AND due_at <= \(at)
                ORDER BY due_at, id LIMIT \(batchSize)
                FOR UPDATE SKIP LOCKED
                """, logger: logger)
            for try await (id, leadId, kind, repId, dueAt) in rows.decode((Int64, UUID, String, String?, Date).self) {
                due.append(DueTimer(id: id, leadId: leadId, kind: SLATimer.Kind(rawValue: kind), repId: repId, dueAt: dueAt))
            }
            guard !due.isEmpty else { return 0 }
            if due.contains(where: { $0.kind == .returnToPool }) {
                // Returning a lead frees a slot and re-routing decides on capacity: both under the
                // routing lock, taken before any rep row, as routers do.
                _ = try await store.lockRouting(on: connection)
            }
            let owners = try await currentOwners(of: due.map(\.leadId), on: connection)
            let supervisors = try await supervisors(of: Set(due.compactMap(\.repId)), on: connection)

            var events: [OutboxMessage] = []
            var returned: [(DueTimer, String)] = []
            for timer in due {
                // A timer of an owner who no longer has the lead open is stale: it fires silently.
                guard let kind = timer.kind, let repId = timer.repId, owners[timer.leadId] == repId else { continue }
                let payload = LeadSLAEvent(leadId: timer.leadId, repId: repId, supervisorId: supervisors[repId] ?? nil,
                                           timer: kind.rawValue, dueAt: timer.dueAt)
                switch kind {
                case .firstContactReminder:
                    events.append(try event(.leadReminderDue, timer, payload))
                case .firstContactBreach, .followUpEscalation:
                    events.append(try event(.leadEscalated, timer, payload))
                case .returnToPool:
                    returned.append((timer, repId))
                }
                Counter(label: "crm_sla_timers_fired_total", dimensions: [("kind", kind.rawValue)]).increment()
            }

            var requests: [RoutingEngine.Request] = []
            for (timer, repId) in returned {
                try await connection.query("""
                    UPDATE assignments SET status = 'returned', current = false, closed_at = \(at)
                    WHERE lead_id = \(timer.leadId) AND current
                    """, logger: logger)
                try await store.apply(AssignmentChanges(openLeadDeltas: [repId: -1]), now: at, on: connection)
                events.append(try event(.leadReturnedToPool, timer, LeadReturnedToPool(
                    leadId: timer.leadId, previousRepId: repId, queue: policy.fallbackQueue, reason: "no_activity",
                    message: "No activity for \(policy.sla.returnToPoolDays) days; back to the pool and routed again.", at: at)))
                guard var lead = try await store.routedLead(timer.leadId, on: connection) else { continue }
                lead.previousOwners = try await store.previousOwners(of: timer.leadId, on: connection)
                requests.append(RoutingEngine.Request(
                    leadId: timer.leadId, lead: lead, correlationId: "sla-timer-\(timer.id)", causationId: nil, previousRepId: repId))
            }
            try await store.cancelAllTimers(of: returned.map(\.0.leadId), now: at, on: connection)
            try await connection.query("UPDATE sla_timers SET fired_at = \(at) WHERE id = ANY(\(due.map(\.id)))", logger: logger)
            try await Outbox.append(events, producer: engine.producer, on: connection, logger: logger)
            try await engine.route(requests, policy: policy, policyVersion: version, now: at, on: connection)
            return due.count
        }
    }

    /// The rep holding each lead open now (assigned or contacted).
    private func currentOwners(of leads: [UUID], on connection: PostgresConnection) async throws -> [UUID: String] {
        var owners: [UUID: String] = [:]
        let rows = try await connection.query("""
            SELECT lead_id, rep_id FROM assignments
            WHERE current AND status IN ('open', 'contacted') AND lead_id = ANY(\(leads.map(\.uuidString))::uuid[])
            FOR UPDATE
            """, logger: logger)
        for try await (leadId, repId) in rows.decode((UUID, String).self) { owners[leadId] = repId }
        return owners
    }

    private func supervisors(of reps: Set<String>, on connection: PostgresConnection) async throws -> [String: String?] {
        var supervisors: [String: String?] = [:]
        let rows = try await connection.query("SELECT id, supervisor_id FROM reps WHERE id = ANY(\(Array(reps)))", logger: logger)
        for try await (id, supervisor) in rows.decode((String, String?).self) { supervisors[id] = supervisor }
        return supervisors
    }

    private func event<P: Codable & Sendable>(_ type: LeadEventType, _ timer: DueTimer, _ payload: P) throws -> OutboxMessage {
        try OutboxMessage(topic: Topics.leadEvents, envelope: EventEnvelope(
            type: type.rawValue, aggregateId: timer.leadId.uuidString.lowercased(), correlationId: "sla-timer-\(timer.id)", payload: payload))
    }
}
