/// A scored dimension of the rep-to-lead match. Raw values double as the JSON keys under `weights`
/// and as the `factor` field of the emitted `reasons`.
public enum RoutingFactor: String, Codable, Sendable, CaseIterable {
    case regionMatch
    case productLineMatch
    case industryExperience
    case winRate
    case loadIndex
    case scoreSeniorityFit
    case fairness
}
