/// Why a lead went to the fallback queue: a stable code for reports and alerts, and a sentence for people.
public struct UnassignableReason: Codable, Sendable, Equatable, Hashable {
    public enum Code: String, Codable, Sendable, CaseIterable {
        /// The router was offered no reps at all (empty team, misconfigured import).
        case noCandidates = "no_candidates"
        /// Every rep failed at least one eligibility rule.
        case noEligibleRep = "no_eligible_rep"
        /// The only eligible reps owned the lead before. The lead goes to the pool rather than back to
        /// them: it came back precisely because its owner let it sit, and the pool lets someone new claim it.
        case onlyPreviousOwners = "only_previous_owners"
    }

    public var code: Code
    public var message: String

    public init(code: Code, message: String) {
        self.code = code
        self.message = message
    }
}
