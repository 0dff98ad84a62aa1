import Foundation
import Logging
import PostgresNIO
import Shared

/// Routes leads inside the caller's transaction: takes the routing lock, reads the reps, decides
/// with `LeadRouter`, and writes assignments, capacity counters, the round-robin cursor, SLA timers
/// and events together.
struct RoutingEngine: Sendable {
    let store: AssignmentStore
    /// Where the reps' history figures come from; the caller records committed assignments in it.
    let history: RepHistoryCache
    /// The reps' decoded profiles, re-read only when a rep is edited.
    let profiles = RepProfileCache()
    /// The outbox producer (the service name).
    let producer: String
    let logger: Logger

    struct Request: Sendable {
        var leadId: UUID
        var lead: LeadToRoute
        var correlationId: String
        var causationId: String?
        /// The owner the lead just came back from, if any.
        var previousRepId: String?
        /// The lead has never been routed before, so it holds no SLA timers to cancel. Saves a
        /// statement per batch on the hot path of new leads.
        var isFirstRouting = false
    }

    struct Outcome: Sendable, Equatable {
        var assigned = 0
        var queued = 0
        /// New open leads per rep: for `RepHistoryCache.recordCommitted` once the transaction committed.
        var opened: [String: Int] = [:]
    }

    @discardableResult
    func route(_ requests: [Request], policy: RoutingPolicy, policyVersion: Int, now: Date, on connection: PostgresConnection) async throws -> Outcome {
        guard !requests.isEmpty else { return Outcome() }
        var cursor = try await store.lockRouting(on: connection)
        let reps = try await store.activeReps(profiles: profiles, on: connection)
        let loads = try await history.loads(of: reps, policy: policy, now: now) { [store] in
            try await store.loads(of: reps, policy: policy, now: now, on: connection)
        }
        // Built once per batch; later leads of the batch see earlier ones in the chosen rep's load.
        var candidates = reps.map { RepCandidate(rep: $0.rep, load: loads[$0.rep.id] ?? .idle) }
        let position = Dictionary(candidates.indices.map { (candidates[$0].rep.id, $0) }, uniquingKeysWith: { first, _ in first })

        var outcome = Outcome()
        var rows: [AssignmentRow] = []
        var opened: [String: Int] = [:]
        var plans: [AssignmentChanges.TimerPlan] = []
        var events: [OutboxMessage] = []
        for request in requests {
            switch LeadRouter.route(lead: request.lead, candidates: candidates, policy: policy, now: now, roundRobinCursor: cursor) {
            case .assigned(let decision):
                cursor = decision.nextRoundRobinCursor
                if let index = position[decision.repId] {
                    candidates[index].load.openLeads += 1
                    candidates[index].load.recentAssignments += 1
                    candidates[index].load.assignedInWindow += 1
                }
                opened[decision.repId, default: 0] += 1
                let factors = decision.reasons.map {
                    RoutingReason(factor: $0.factor.rawValue, rawValue: $0.rawValue, weight: $0.weight, contribution: $0.contribution)
                }
                rows.append(AssignmentRow(
                    leadId: request.leadId, repId: decision.repId, queue: nil, status: "open", policyVersion: policyVersion,
                    reasons: AssignmentReasons(totalScore: decision.totalScore, factors: factors, tieBreak: decision.tieBreak),
                    assignedAt: now))
                var plan = SLAPlan.after(.assigned(at: now), policy: policy)
                if request.isFirstRouting { plan.cancel = [] }
                plans.append((request.leadId, decision.repId, plan))
                events.append(try event(.leadAssigned, request, LeadAssigned(
                    leadId: request.leadId, repId: decision.repId, teamId: position[decision.repId].map { candidates[$0].rep.teamId } ?? "", policyVersion: policyVersion,
                    totalScore: decision.totalScore, reasons: factors, tiedRepIds: decision.tieBreak?.tiedRepIds, assignedAt: now,
                    previousRepId: request.previousRepId)))
                outcome.assigned += 1
            case .unassignable(let decision):
                let rejections = Dictionary(uniqueKeysWithValues: decision.rejectionCounts.map { ($0.key.rawValue, $0.value) })
                rows.append(AssignmentRow(
                    leadId: request.leadId, repId: nil, queue: decision.queue, status: "queued", policyVersion: policyVersion,
                    reasons: AssignmentReasons(reason: decision.reason.code.rawValue, message: decision.reason.message, rejections: rejections),
                    assignedAt: now))
                events.append(try event(.leadReturnedToPool, request, LeadReturnedToPool(
                    leadId: request.leadId, previousRepId: request.previousRepId, queue: decision.queue,
                    reason: decision.reason.code.rawValue, message: decision.reason.message, at: now)))
                outcome.queued += 1
            }
        }
        try await store.apply(AssignmentChanges(assignments: rows, openLeadDeltas: opened, cursor: cursor, timerPlans: plans),
                              now: now, on: connection)
        try await Outbox.append(events, producer: producer, on: connection, logger: logger)
        outcome.opened = opened
        return outcome
    }

    private func event<P: Codable & Sendable>(_ type: LeadEventType, _ request: Request, _ payload: P) throws -> OutboxMessage {
        try OutboxMessage(topic: Topics.leadEvents, envelope: EventEnvelope(
            type: type.rawValue, aggregateId: request.leadId.uuidString.lowercased(), correlationId: request.correlationId,
            causationId: request.causationId, payload: payload))
    }
}
