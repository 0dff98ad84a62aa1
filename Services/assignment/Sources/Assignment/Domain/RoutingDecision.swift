/// The outcome of routing one lead: a rep, or a queue with a reason. Never an error: a lead nobody
/// can take is ordinary business, handled by people working the fallback queue.
public enum RoutingDecision: Sendable, Equatable, Hashable {
    case assigned(Assigned)
    case unassignable(Unassignable)

    public struct Assigned: Codable, Sendable, Equatable, Hashable {
        public var repId: String
        /// Sum of `reasons[].contribution`.
        public var totalScore: Double
        /// Every factor, in `RoutingFactor` order, including those weighing 0.
        public var reasons: [FactorContribution]
        /// Present only when several reps shared the best total.
        public var tieBreak: TieBreak?
        /// The round-robin cursor to persist; equal to the input when no tie was broken.
        public var nextRoundRobinCursor: Int

        public init(
            repId: String, totalScore: Double, reasons: [FactorContribution],
            tieBreak: TieBreak?, nextRoundRobinCursor: Int
        ) {
            self.repId = repId
            self.totalScore = totalScore
            self.reasons = reasons
            self.tieBreak = tieBreak
            self.nextRoundRobinCursor = nextRoundRobinCursor
        }
    }

    /// The round-robin cursor is untouched by an unassignable lead.
    public struct Unassignable: Codable, Sendable, Equatable, Hashable {
        public var queue: String
        public var reason: UnassignableReason
        /// Every candidate with its reasons, sorted by rep id.
        public var rejectedCandidates: [RejectedCandidate]

        public init(queue: String, reason: UnassignableReason, rejectedCandidates: [RejectedCandidate]) {
            self.queue = queue
            self.reason = reason
            self.rejectedCandidates = rejectedCandidates
        }

        /// How many reps were rejected for each reason (a rep may count under several).
        public var rejectionCounts: [RejectionReason: Int] {
            rejectedCandidates.reduce(into: [:]) { counts, candidate in
                for reason in candidate.reasons { counts[reason, default: 0] += 1 }
            }
        }
    }

    /// The chosen rep, if any.
    public var repId: String? {
        if case .assigned(let assigned) = self { return assigned.repId }
        return nil
    }
}
