/// How leads are scored, as data business users edit (SPEC 4: rules are data).
///
/// Every section is optional; a lead collects points from each section that matches it (see
/// `LeadScorer`). The document carries no version: versions are assigned by the database when a
/// document is stored, and each score records the version it was computed with.
/// Names (industries, sources, regions, tags, keywords) are compared case-insensitively.
public struct ScoringRules: Sendable, Hashable {
    /// Budget in `min..<max` (no `max`: no upper limit) earns `points`. Bands must not overlap.
    public struct BudgetBand: Sendable, Hashable, Codable {
        public var min: Double
        public var max: Double?
        public var points: Int

        public init(min: Double, max: Double? = nil, points: Int) {
            self.min = min
            self.max = max
            self.points = points
        }

        public func contains(_ budget: Double) -> Bool {
            budget >= min && (max.map { budget < $0 } ?? true)
        }
    }

    /// The title contains `keyword` (case-insensitive). Only the best-scoring match counts, so
    /// "总经理" does not also collect the points of "经理".
    public struct TitleKeyword: Sendable, Hashable, Codable {
        public var keyword: String
        public var points: Int

        public init(keyword: String, points: Int) {
            self.keyword = keyword
            self.points = points
        }
    }

    /// The attribute `key` is present (and equals `equals`, case-insensitively, when given; an
    /// array attribute matches when any element does).
    public struct AttributeRule: Sendable, Hashable, Codable {
        public var key: String
        public var equals: String?
        public var points: Int

        public init(key: String, equals: String? = nil, points: Int) {
            self.key = key
            self.equals = equals
            self.points = points
        }
    }

    /// Points for any single rule are 0...maxPoints: a typo like 10000 must not swamp every other rule.
    public static let maxPoints = 1_000

    public var description: String?
    /// Industry code -> points.
    public var industries: [String: Int]
    public var budgetBands: [BudgetBand]
    /// Source name -> points.
    public var sources: [String: Int]
    public var titleKeywords: [TitleKeyword]
    /// Region code -> points.
    public var regions: [String: Int]
    /// Field path (one of `NormalizedLead.completenessFields`) -> points when the field has a value.
    public var completeness: [String: Int]
    /// Tag (in `attributes.tags`) -> points; each matching tag counts.
    public var tags: [String: Int]
    public var attributes: [AttributeRule]

    public init(description: String? = nil, industries: [String: Int] = [:], budgetBands: [BudgetBand] = [],
                sources: [String: Int] = [:], titleKeywords: [TitleKeyword] = [], regions: [String: Int] = [:],
                completeness: [String: Int] = [:], tags: [String: Int] = [:], attributes: [AttributeRule] = []) {
        self.description = description
        self.industries = industries
        self.budgetBands = budgetBands
        self.sources = sources
        self.titleKeywords = titleKeywords
        self.regions = regions
        self.completeness = completeness
        self.tags = tags
        self.attributes = attributes
    }
}

/// Plain Codable for storing and echoing accepted documents. Input from people goes through
/// `ScoringRules.parse(json:)`, which is strict and reports every problem by path.
extension ScoringRules: Codable {
    private enum CodingKeys: String, CodingKey {
        case description, industries, budgetBands, sources, titleKeywords, regions, completeness, tags, attributes
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            description: try c.decodeIfPresent(String.self, forKey: .description),
            industries: try c.decodeIfPresent([String: Int].self, forKey: .industries) ?? [:],
            budgetBands: try c.decodeIfPresent([BudgetBand].self, forKey: .budgetBands) ?? [],
            sources: try c.decodeIfPresent([String: Int].self, forKey: .sources) ?? [:],
            titleKeywords: try c.decodeIfPresent([TitleKeyword].self, forKey: .titleKeywords) ?? [],
            regions: try c.decodeIfPresent([String: Int].self, forKey: .regions) ?? [:],
            completeness: try c.decodeIfPresent([String: Int].self, forKey: .completeness) ?? [:],
            tags: try c.decodeIfPresent([String: Int].self, forKey: .tags) ?? [:],
            attributes: try c.decodeIfPresent([AttributeRule].self, forKey: .attributes) ?? [])
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encodeIfPresent(description, forKey: .description)
        try c.encode(industries, forKey: .industries)
        try c.encode(budgetBands, forKey: .budgetBands)
        try c.encode(sources, forKey: .sources)
        try c.encode(titleKeywords, forKey: .titleKeywords)
        try c.encode(regions, forKey: .regions)
        try c.encode(completeness, forKey: .completeness)
        try c.encode(tags, forKey: .tags)
        try c.encode(attributes, forKey: .attributes)
    }
}
