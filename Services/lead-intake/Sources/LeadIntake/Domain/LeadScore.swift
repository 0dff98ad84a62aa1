/// A lead's score and why: every rule that gave points, so a rep or manager can see the reasons.
/// The rule document version is recorded next to it by the caller (the version lives in the database).
public struct LeadScore: Sendable, Hashable, Codable {
    public var total: Int
    public var breakdown: [ScoreContribution]

    public init(total: Int, breakdown: [ScoreContribution]) {
        self.total = total
        self.breakdown = breakdown
    }
}

/// Points from one rule, named by its path in the rule document (`budgetBands[1]`,
/// `industries["pharma_retail"]`) with a human-readable reason.
public struct ScoreContribution: Sendable, Hashable, Codable {
    public var rule: String
    public var points: Int
    public var detail: String

    public init(rule: String, points: Int, detail: String) {
        self.rule = rule
        self.points = points
        self.detail = detail
    }
}
