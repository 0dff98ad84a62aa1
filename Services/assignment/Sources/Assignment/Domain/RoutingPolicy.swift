import Shared
import Foundation

/// The routing rules document business users edit (via `crmctl rules` or the admin routes).
///
/// The document carries no version of its own: the database numbers each stored revision, and every
/// assignment records that number, so two copies of the same text never disagree about their version.
///
/// Decoding is strict (see `parse(json:)`): unknown keys and out-of-range values are errors naming
/// their JSON path. Omitted sections and keys take the values of `RoutingPolicy.default`, except
/// inside `weights`, where all seven factors must be listed once the section is present.
public struct RoutingPolicy: Codable, Sendable, Equatable, Hashable {
    public var eligibility: EligibilityFilter
    public var weights: RoutingWeights
    public var winRate: WinRatePrior
    public var loadIndex: LoadIndexSettings
    public var fairness: FairnessSettings
    public var sla: SLASettings
    /// Where leads nobody can take go (team queue or public pool), with a reason instead of an error.
    public var fallbackQueue: String

    public init(
        eligibility: EligibilityFilter = EligibilityFilter(),
        weights: RoutingWeights = RoutingPolicy.defaultWeights,
        winRate: WinRatePrior = WinRatePrior(alpha: 1, beta: 4, windowDays: 90),
        loadIndex: LoadIndexSettings = LoadIndexSettings(),
        fairness: FairnessSettings = FairnessSettings(),
        sla: SLASettings = SLASettings(),
        fallbackQueue: String = "public_pool"
    ) {
        self.eligibility = eligibility
        self.weights = weights
        self.winRate = winRate
        self.loadIndex = loadIndex
        self.fairness = fairness
        self.sla = sla
        self.fallbackQueue = fallbackQueue
    }

    /// Coverage first (region, product line), then capacity and fairness, then track record.
    public static let defaultWeights = RoutingWeights(
        regionMatch: 3,
        productLineMatch: 3,
        industryExperience: 1,
        winRate: 2,
        loadIndex: 2,
        scoreSeniorityFit: 1,
        fairness: 2
    )

    /// The policy a fresh installation starts with (prior win rate 20% worth 5 leads, 2 h first contact,
    /// 3 days follow-up, 30 days to the public pool).
    public static let `default` = RoutingPolicy()

    /// The weight actually applied: an `ignored` coverage dimension is neither filtered nor scored.
    public func effectiveWeight(_ factor: RoutingFactor) -> Double {
        switch factor {
        case .regionMatch where eligibility.region == .ignored: 0
        case .productLineMatch where eligibility.productLine == .ignored: 0
        case .industryExperience where eligibility.industry == .ignored: 0
        default: weights[factor]
        }
    }

    /// Strict decoding through the same validator as `parse(json:)`, so a policy can never enter the
    /// system by a laxer path (e.g. being decoded from a database row).
    public init(from decoder: any Decoder) throws {
        let document = try JSONValue(from: decoder)
        self = try RoutingPolicy(validating: document)
    }
}
