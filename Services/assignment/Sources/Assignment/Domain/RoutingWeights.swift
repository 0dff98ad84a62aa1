/// Business-editable weight per factor. Each factor's raw value is in 0 ... 1, so a weight reads as
/// "points this factor is worth"; only ratios between weights matter for who wins.
public struct RoutingWeights: Encodable, Sendable, Equatable, Hashable {
    public var regionMatch: Double
    public var productLineMatch: Double
    public var industryExperience: Double
    public var winRate: Double
    public var loadIndex: Double
    public var scoreSeniorityFit: Double
    public var fairness: Double

    public init(
        regionMatch: Double = 0,
        productLineMatch: Double = 0,
        industryExperience: Double = 0,
        winRate: Double = 0,
        loadIndex: Double = 0,
        scoreSeniorityFit: Double = 0,
        fairness: Double = 0
    ) {
        self.regionMatch = regionMatch
        self.productLineMatch = productLineMatch
        self.industryExperience = industryExperience
        self.winRate = winRate
        self.loadIndex = loadIndex
        self.scoreSeniorityFit = scoreSeniorityFit
        self.fairness = fairness
    }

    public subscript(factor: RoutingFactor) -> Double {
        get {
            switch factor {
            case .regionMatch: regionMatch
            case .productLineMatch: productLineMatch
            case .industryExperience: industryExperience
            case .winRate: winRate
            case .loadIndex: loadIndex
            case .scoreSeniorityFit: scoreSeniorityFit
            case .fairness: fairness
            }
        }
        set {
            switch factor {
            case .regionMatch: regionMatch = newValue
            case .productLineMatch: productLineMatch = newValue
            case .industryExperience: industryExperience = newValue
            case .winRate: winRate = newValue
            case .loadIndex: loadIndex = newValue
            case .scoreSeniorityFit: scoreSeniorityFit = newValue
            case .fairness: fairness = newValue
            }
        }
    }
}
