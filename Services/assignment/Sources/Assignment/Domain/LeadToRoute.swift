/// The parts of an accepted lead that routing looks at.
///
/// Region, product line and industry are optional because intake accepts leads without them; a
/// missing value simply never matches (so a `required` filter on it leaves the lead unassignable and
/// it goes to the fallback queue, where a person can look at it).
public struct LeadToRoute: Codable, Sendable, Equatable, Hashable {
    public var leadId: String
    /// Intake score, 0 ... 100 (values outside are clamped).
    public var score: Int
    public var region: String?
    public var productLine: String?
    public var industry: String?
    public var language: String?
    /// Reps who owned this lead before (e.g. it came back from the public pool); avoided when possible.
    public var previousOwners: Set<String>

    public init(
        leadId: String,
        score: Int,
        region: String? = nil,
        productLine: String? = nil,
        industry: String? = nil,
        language: String? = nil,
        previousOwners: Set<String> = []
    ) {
        self.leadId = leadId
        self.score = score
        self.region = region
        self.productLine = productLine
        self.industry = industry
        self.language = language
        self.previousOwners = previousOwners
    }
}
