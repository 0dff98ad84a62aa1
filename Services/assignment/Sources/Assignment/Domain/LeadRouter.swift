import Foundation

/// Chooses the rep for a lead: filter by eligibility, avoid previous owners, score the rest by the
/// policy's weighted factors, and break exact ties round-robin.
///
/// A pure function of its inputs: the handler loads candidates, loads and the cursor inside the
/// assignment transaction (under the routing lock), calls `route`, and persists the decision and
/// `nextRoundRobinCursor` in that same transaction, so concurrent instances cannot exceed capacity.
public enum LeadRouter {
    /// Totals closer than this are a tie; floating-point sums of equal inputs may differ in the last bits.
    public static let tieTolerance = 1e-9

    public static func route(
        lead: LeadToRoute,
        candidates: [RepCandidate],
        policy: RoutingPolicy,
        now: Date,
        roundRobinCursor: Int
    ) -> RoutingDecision {
        guard !candidates.isEmpty else {
            return unassignable(policy, .noCandidates, "No reps are available to route to.", rejected: [])
        }

        // Indices, not copies: a candidate holds a whole rep profile, and copying 200 of them several
        // times per lead (retaining every string and array of each) was a tenth of assignment's CPU.
        var eligible: [Int] = []
        var rejected: [RejectedCandidate] = []
        for index in candidates.indices {
            let reasons = policy.eligibility.rejections(
                rep: candidates[index].rep, load: candidates[index].load, lead: lead, now: now)
            if reasons.isEmpty {
                eligible.append(index)
            } else {
                rejected.append(RejectedCandidate(repId: candidates[index].rep.id, reasons: reasons))
            }
        }

        // Previous owners are avoided whenever anyone else qualifies; if only they qualify, the lead
        // goes to the pool (see UnassignableReason.Code.onlyPreviousOwners).
        let fresh = eligible.filter { !lead.previousOwners.contains(candidates[$0].rep.id) }
        if fresh.isEmpty && !eligible.isEmpty {
            let owners = eligible.map { candidates[$0].rep.id }.sorted()
            rejected += owners.map { RejectedCandidate(repId: $0, reasons: [.previousOwner]) }
            let message = "Only previous owners (\(owners.joined(separator: ", "))) are eligible; "
                + "the lead goes to the pool for someone new."
            return unassignable(policy, .onlyPreviousOwners, message, rejected: rejected)
        }
        guard !fresh.isEmpty else {
            return unassignable(policy, .noEligibleRep, noEligibleMessage(rejected), rejected: rejected)
        }

        let maxRecent = fresh.map { candidates[$0].load.recentAssignments }.max() ?? 0
        let scored = fresh.map { index in
            let reasons = contributions(for: candidates[index], lead: lead, policy: policy, maxRecentAssignments: maxRecent)
            return (repId: candidates[index].rep.id, reasons: reasons, total: reasons.reduce(0) { $0 + $1.contribution })
        }

        let best = scored.map(\.total).max()!
        let tied = scored.filter { $0.total >= best - tieTolerance }.sorted { $0.repId < $1.repId }
        if tied.count == 1 {
            let winner = tied[0]
            return .assigned(.init(
                repId: winner.repId, totalScore: winner.total, reasons: winner.reasons,
                tieBreak: nil, nextRoundRobinCursor: roundRobinCursor))
        }
        let index = nonNegativeModulo(roundRobinCursor, tied.count)
        let winner = tied[index]
        let nextCursor = roundRobinCursor == Int.max ? 0 : roundRobinCursor + 1
        return .assigned(.init(
            repId: winner.repId, totalScore: winner.total, reasons: winner.reasons,
            tieBreak: TieBreak(tiedRepIds: tied.map(\.repId), cursor: roundRobinCursor, chosenIndex: index),
            nextRoundRobinCursor: nextCursor))
    }

    /// Every factor's contribution for one candidate, in `RoutingFactor` order.
    /// `maxRecentAssignments` is the busiest eligible rep's count, which the fairness factor is relative to.
    public static func contributions(
        for candidate: RepCandidate, lead: LeadToRoute, policy: RoutingPolicy, maxRecentAssignments: Int
    ) -> [FactorContribution] {
        let rep = candidate.rep
        let load = candidate.load
        return RoutingFactor.allCases.map { factor in
            let raw: Double = switch factor {
            case .regionMatch: FactorScorer.regionMatch(rep: rep, lead: lead)
            case .productLineMatch: FactorScorer.productLineMatch(rep: rep, lead: lead)
            case .industryExperience: FactorScorer.industryExperience(rep: rep, lead: lead)
            case .winRate: FactorScorer.winRate(load: load, prior: policy.winRate)
            case .loadIndex: FactorScorer.loadIndex(rep: rep, load: load, settings: policy.loadIndex)
            case .scoreSeniorityFit: FactorScorer.scoreSeniorityFit(score: lead.score, seniority: rep.seniority)
            case .fairness: FactorScorer.fairness(
                recentAssignments: load.recentAssignments, maxRecentAssignments: maxRecentAssignments)
            }
            return FactorContribution(factor: factor, rawValue: raw, weight: policy.effectiveWeight(factor))
        }
    }

    private static func unassignable(
        _ policy: RoutingPolicy, _ code: UnassignableReason.Code, _ message: String,
        rejected: [RejectedCandidate]
    ) -> RoutingDecision {
        .unassignable(.init(
            queue: policy.fallbackQueue,
            reason: UnassignableReason(code: code, message: message),
            rejectedCandidates: rejected.sorted { $0.repId < $1.repId }))
    }

    /// "None of 3 reps is eligible: 2 at capacity, 1 on leave."
    private static func noEligibleMessage(_ rejected: [RejectedCandidate]) -> String {
        var counts: [RejectionReason: Int] = [:]
        for candidate in rejected {
            for reason in candidate.reasons { counts[reason, default: 0] += 1 }
        }
        let parts = RejectionReason.allCases.compactMap { reason in
            counts[reason].map { "\($0) \(reason.phrase)" }
        }
        let noun = rejected.count == 1 ? "rep" : "reps"
        return "None of \(rejected.count) \(noun) is eligible: \(parts.joined(separator: ", "))."
    }

    private static func nonNegativeModulo(_ value: Int, _ modulus: Int) -> Int {
        let remainder = value % modulus
        return remainder >= 0 ? remainder : remainder + modulus
    }
}
