import Shared
/// Applies a scoring rule document to a normalized lead. Pure: same lead and rules, same score.
///
/// Each section contributes independently, in document order. Within a section: one industry,
/// source and region; the one budget band containing the budget; the best-scoring title keyword;
/// every present completeness field; every matching tag; every matching attribute rule.
/// Rules worth 0 points are left out of the breakdown.
public struct LeadScorer: Sendable {
    public let rules: ScoringRules
    // Matching forms of the rule names, computed once per rule document instead of once per lead:
    // normalizing every name for every lead was a tenth of the intake's CPU.
    private let industries: [String: (name: String, points: Int)]
    private let sources: [String: (name: String, points: Int)]
    private let regions: [String: (name: String, points: Int)]
    private let titleKeywordForms: [String]
    private let tagForms: [(tag: String, form: String)]
    private let completenessFields: [String]
    private let attributeForms: [String?]

    public init(rules: ScoringRules) {
        self.rules = rules
        industries = Self.byForm(rules.industries)
        sources = Self.byForm(rules.sources)
        regions = Self.byForm(rules.regions)
        titleKeywordForms = rules.titleKeywords.map { ScoringRules.matchingForm($0.keyword) }
        tagForms = rules.tags.keys.sorted().map { ($0, ScoringRules.matchingForm($0)) }
        completenessFields = rules.completeness.keys.sorted()
        attributeForms = rules.attributes.map { $0.equals.map(ScoringRules.matchingForm) }
    }

    public static func score(lead: NormalizedLead, rules: ScoringRules) -> LeadScore {
        LeadScorer(rules: rules).score(lead)
    }

    public func score(_ lead: NormalizedLead) -> LeadScore {
        var breakdown: [ScoreContribution] = []
        func add(_ rule: String, _ points: Int, _ detail: String) {
            if points != 0 { breakdown.append(ScoreContribution(rule: rule, points: points, detail: detail)) }
        }

        if let industry = lead.company.industry, let (name, points) = Self.lookup(industry, in: industries) {
            add(ScoringRulesSection.industries.path(name: name), points, "industry \(industry)")
        }
        if let budget = lead.interest.budget,
           let index = rules.budgetBands.firstIndex(where: { $0.contains(budget) }) {
            let band = rules.budgetBands[index]
            add(ScoringRulesSection.budgetBands.path(index: index), band.points,
                "budget \(budget.amountText) in \(band.rangeText)")
        }
        if let (name, points) = Self.lookup(lead.source, in: sources) {
            add(ScoringRulesSection.sources.path(name: name), points, "source \(lead.source)")
        }
        if let title = lead.contact.title, let (index, keyword) = bestKeyword(in: title) {
            add(ScoringRulesSection.titleKeywords.path(index: index), keyword.points,
                "title \"\(title)\" contains \"\(keyword.keyword)\"")
        }
        if let region = lead.company.region, let (name, points) = Self.lookup(region, in: regions) {
            add(ScoringRulesSection.regions.path(name: name), points, "region \(region)")
        }
        for field in completenessFields where lead.hasValue(at: field) == true {
            add(ScoringRulesSection.completeness.path(name: field), rules.completeness[field]!, "\(field) present")
        }
        let leadTags = Set(Self.tags(of: lead).map(ScoringRules.matchingForm))
        for (tag, form) in tagForms where leadTags.contains(form) {
            add(ScoringRulesSection.tags.path(name: tag), rules.tags[tag]!, "tag \(tag)")
        }
        for (index, rule) in rules.attributes.enumerated() {
            guard let value = lead.attributes[rule.key], value != .null else { continue }
            if let expected = rule.equals, let form = attributeForms[index] {
                guard Self.matches(value, form) else { continue }
                add(ScoringRulesSection.attributes.path(index: index), rule.points, "attribute \(rule.key) = \(expected)")
            } else {
                add(ScoringRulesSection.attributes.path(index: index), rule.points, "attribute \(rule.key) present")
            }
        }
        return LeadScore(total: breakdown.reduce(0) { $0 + $1.points }, breakdown: breakdown)
    }

    /// Rule names by matching form. Names are taken in sorted order and the first keeps a form, so a
    /// document with case-variants (refused by validation) still scores deterministically.
    private static func byForm(_ entries: [String: Int]) -> [String: (name: String, points: Int)] {
        var forms: [String: (name: String, points: Int)] = [:]
        for name in entries.keys.sorted() {
            let form = ScoringRules.matchingForm(name)
            if !form.isEmpty && forms[form] == nil { forms[form] = (name, entries[name]!) }
        }
        return forms
    }

    /// Case-insensitive lookup of a lead value among rule names; the name as written in the rules.
    private static func lookup(_ value: String, in forms: [String: (name: String, points: Int)]) -> (name: String, points: Int)? {
        let form = ScoringRules.matchingForm(value)
        return form.isEmpty ? nil : forms[form]
    }

    /// Highest points wins; on a tie the keyword listed first.
    private func bestKeyword(in title: String) -> (index: Int, keyword: ScoringRules.TitleKeyword)? {
        let titleForm = ScoringRules.matchingForm(title)
        var best: (index: Int, keyword: ScoringRules.TitleKeyword)?
        for (index, keyword) in rules.titleKeywords.enumerated() {
            let form = titleKeywordForms[index]
            guard !form.isEmpty, titleForm.contains(form) else { continue }
            if best == nil || keyword.points > best!.keyword.points { best = (index, keyword) }
        }
        return best
    }

    /// `attributes.tags` as strings: an array of strings (other elements ignored) or one string.
    private static func tags(of lead: NormalizedLead) -> [String] {
        switch lead.attributes["tags"] {
        case .array(let items)?: items.compactMap(\.stringValue)
        case .string(let tag)?: [tag]
        default: []
        }
    }

    /// `form`: the expected value's matching form.
    private static func matches(_ value: JSONValue, _ form: String) -> Bool {
        switch value {
        case .string(let text): return ScoringRules.matchingForm(text) == form
        case .number(let number): return number.amountText == form
        case .bool(let flag): return String(flag) == form
        case .array(let items): return items.contains { matches($0, form) }
        case .null, .object: return false
        }
    }
}
