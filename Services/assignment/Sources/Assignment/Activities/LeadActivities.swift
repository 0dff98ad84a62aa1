import Foundation
import Logging
import PostgresNIO
import Shared

/// What reps and supervisors do to an assigned lead: record an activity (which resets or stops its
/// SLA timers and emits LeadContacted / LeadConverted / LeadLost) or reassign it (LeadReassigned).
public struct LeadActivities: Sendable {
    /// Activities a rep records; the first three keep the lead open.
    public enum Activity: String, Codable, Sendable, CaseIterable {
        case contacted, followUp = "follow_up", meeting, converted, lost
    }

    /// Why a request cannot be carried out; each says what to do.
    public enum Refusal: Error, Equatable, CustomStringConvertible {
        case noOpenAssignment(UUID)
        case unknownRep(String)
        case repUnavailable(String)
        case repAtCapacity(String, capacity: Int)
        case alreadyAssigned(UUID, to: String)

        public var description: String {
            switch self {
            case .noOpenAssignment(let lead): "Lead \(lead.uuidString.lowercased()) has no open assignment; it may be closed, queued in the pool or unknown."
            case .unknownRep(let rep): "There is no rep \(rep)."
            case .repUnavailable(let rep): "Rep \(rep) is inactive; activate the rep or choose another."
            case .repAtCapacity(let rep, let capacity): "Rep \(rep) already has \(capacity) open leads, the capacity; raise it or choose another rep."
            case .alreadyAssigned(let lead, let rep): "Lead \(lead.uuidString.lowercased()) is already with \(rep)."
            }
        }
    }

    private let client: PostgresClient
    private let policies: RuleDocumentCache<RoutingPolicy>
    private let store: AssignmentStore
    private let producer: String
    private let logger: Logger
    private let now: @Sendable () -> Date

    public init(client: PostgresClient, routingPolicies: RuleStore, outboxProducer: String, logger: Logger,
                now: @escaping @Sendable () -> Date = Date.init) {
        self.client = client
        self.policies = RoutingPolicyStore.cache(routingPolicies)
        self.store = AssignmentStore(logger: logger)
        self.producer = outboxProducer
        self.logger = logger
        self.now = now
    }

    /// Records an activity of the lead's current owner.
    public func record(_ activity: Activity, lead: UUID, notes: String?, by actor: String) async throws {
        let at = now()
        let policy = try await policies.current().rules
        try await client.unitOfWork(logger: logger) { connection in
            guard let repId = try await openOwner(of: lead, on: connection) else { throw Refusal.noOpenAssignment(lead) }
            try await connection.query("""
                INSERT INTO lead_activities (lead_id, rep_id, kind, notes, at, recorded_by)
                VALUES (\(lead), \(repId), \(activity.rawValue), \(notes), \(at), \(actor))
                """, logger: logger)
            let type: LeadEventType
            switch activity {
            case .contacted, .followUp, .meeting:
                try await connection.query("""
                    UPDATE assignments SET status = 'contacted', contacted_at = coalesce(contacted_at, \(at))
                    WHERE lead_id = \(lead) AND current
                    """, logger: logger)
                let kind = LeadActivity(rawValue: activity.rawValue) ?? .contacted
                try await store.apply(AssignmentChanges(timerPlans: [(lead, repId, SLAPlan.after(.activity(kind, at: at), policy: policy))]),
                                      now: at, on: connection)
                type = .leadContacted
            case .converted, .lost:
                // The rep's counter first: routing locks the rep's row before the rep's daily
                // counters (migration 8), which a conversion's update of the assignment moves.
                try await store.apply(AssignmentChanges(openLeadDeltas: [repId: -1]), now: at, on: connection)
                try await connection.query("""
                    UPDATE assignments SET status = \(activity.rawValue), closed_at = \(at) WHERE lead_id = \(lead) AND current
                    """, logger: logger)
                try await store.cancelAllTimers(of: [lead], now: at, on: connection)
                type = activity == .converted ? .leadConverted : .leadLost
            }
            try await Outbox.append([try OutboxMessage(topic: Topics.leadEvents, envelope: EventEnvelope(
                type: type.rawValue, aggregateId: lead.uuidString.lowercased(), correlationId: "activity-\(UUID.random().uuidString.lowercased())",
                payload: LeadActivityRecorded(leadId: lead, repId: repId, activity: activity.rawValue, notes: notes, at: at)))],
                producer: producer, on: connection, logger: logger)
        }
    }

    /// A supervisor moves an open (or queued) lead to another rep, within that rep's capacity.
    public func reassign(lead: UUID, to repId: String, reason: String?, by actor: String) async throws {
        let at = now()
        let (version, policy) = try await policies.current()
        try await client.unitOfWork(logger: logger) { connection in
            let current = try await connection.query("""
                SELECT rep_id FROM assignments WHERE lead_id = \(lead) AND current AND status IN ('open', 'contacted', 'queued')
                FOR UPDATE
                """, logger: logger).collect().first.map { try $0.decode(String?.self) }
            guard let previous = current else { throw Refusal.noOpenAssignment(lead) }
            if previous == repId { throw Refusal.alreadyAssigned(lead, to: repId) }
            // The target's free slot is a capacity decision: under the routing lock, as routers take it.
            _ = try await store.lockRouting(on: connection)
            var reps: [String: (active: Bool, capacity: Int, open: Int)] = [:]
            let rows = try await connection.query("""
                SELECT id, active, capacity, open_leads FROM reps WHERE id = ANY(\([repId] + (previous.map { [$0] } ?? [])))
                """, logger: logger)
            for try await (id, active, capacity, open) in rows.decode((String, Bool, Int, Int).self) { reps[id] = (active, capacity, open) }
            guard let target = reps[repId] else { throw Refusal.unknownRep(repId) }
            guard target.active else { throw Refusal.repUnavailable(repId) }
            guard target.open < target.capacity else { throw Refusal.repAtCapacity(repId, capacity: target.capacity) }

            try await connection.query("""
                UPDATE assignments SET status = 'reassigned', current = false, closed_at = \(at) WHERE lead_id = \(lead) AND current
                """, logger: logger)
            let reasons = AssignmentReasons(manual: .init(by: actor, reason: reason))
            var delta = [repId: 1]
            if let previous { delta[previous] = -1 }
            let row = AssignmentRow(
                leadId: lead, repId: repId, queue: nil, status: "open", policyVersion: version, reasons: reasons, assignedAt: at)
            try await store.apply(AssignmentChanges(
                assignments: [row], openLeadDeltas: delta, timerPlans: [(lead, repId, SLAPlan.after(.reassigned(at: at), policy: policy))]),
                now: at, on: connection)
            try await Outbox.append([try OutboxMessage(topic: Topics.leadEvents, envelope: EventEnvelope(
                type: LeadEventType.leadReassigned.rawValue, aggregateId: lead.uuidString.lowercased(),
                correlationId: "reassign-\(UUID.random().uuidString.lowercased())",
                payload: LeadReassigned(leadId: lead, fromRepId: previous, toRepId: repId, by: actor, reason: reason, at: at)))],
                producer: producer, on: connection, logger: logger)
        }
    }

    /// The rep holding the lead open, with the assignment row locked.
    private func openOwner(of lead: UUID, on connection: PostgresConnection) async throws -> String? {
        try await connection.query("""
            SELECT rep_id FROM assignments WHERE lead_id = \(lead) AND current AND status IN ('open', 'contacted') FOR UPDATE
            """, logger: logger).collect().first?.decode(String.self)
    }
}
