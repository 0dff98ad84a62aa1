/// Beta prior for the win-rate factor, so a new rep with 1 win out of 1 lead does not outrank a
/// veteran with 40 out of 100: rate = (converted + alpha) / (assigned + alpha + beta).
///
/// Documents may give it as `alpha`/`beta` or, more readable for business users, as `priorRate`
/// (the rate assumed for a rep with no history) and `priorWeight` (how many leads that assumption
/// is worth); `alpha = priorRate * priorWeight`, `beta = (1 - priorRate) * priorWeight`.
public struct WinRatePrior: Encodable, Sendable, Equatable, Hashable {
    public var alpha: Double
    public var beta: Double
    /// How far back `RepLoad.assignedInWindow` / `convertedInWindow` look.
    public var windowDays: Int

    public init(alpha: Double, beta: Double, windowDays: Int = 90) {
        self.alpha = alpha
        self.beta = beta
        self.windowDays = windowDays
    }

    public init(priorRate: Double, priorWeight: Double, windowDays: Int = 90) {
        self.init(alpha: priorRate * priorWeight, beta: (1 - priorRate) * priorWeight, windowDays: windowDays)
    }

    /// Smoothed conversion rate; converted counts above assigned (late events) are capped.
    public func rate(assigned: Int, converted: Int) -> Double {
        let n = Double(max(0, assigned))
        let k = min(Double(max(0, converted)), n)
        return (k + alpha) / (n + alpha + beta)
    }
}
