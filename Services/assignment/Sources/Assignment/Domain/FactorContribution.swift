/// One line of an assignment's `reasons`: how much a factor added to the winner's total.
///
/// Stored with the assignment and emitted in LeadAssigned, so "why did I get this lead?" is
/// answerable from the event alone: contribution = rawValue * weight, and contributions sum to the total.
public struct FactorContribution: Codable, Sendable, Equatable, Hashable {
    public var factor: RoutingFactor
    /// The factor's normalized value, 0 ... 1.
    public var rawValue: Double
    /// The weight applied (0 for a dimension the policy ignores).
    public var weight: Double
    public var contribution: Double

    public init(factor: RoutingFactor, rawValue: Double, weight: Double) {
        self.factor = factor
        self.rawValue = rawValue
        self.weight = weight
        self.contribution = rawValue * weight
    }
}
