import Shared
/// Applies a scoring rule document to a normalized lead. Pure: same lead and rules, same score.
///
/// Each section contributes independently, in document order. Within a section: one industry,
/// source and region; the one budget band containing the budget; the best-scoring title keyword;
/// every present completeness field; every matching tag; every matching attribute rule.
/// Rules worth 0 points are left out of the breakdown.
public enum LeadScorer {
    public static func score(lead: NormalizedLead, rules: ScoringRules) -> LeadScore {
        var breakdown: [ScoreContribution] = []
        func add(_ rule: String, _ points: Int, _ detail: String) {
            if points != 0 { breakdown.append(ScoreContribution(rule: rule, points: points, detail: detail)) }
        }

        if let industry = lead.company.industry, let (name, points) = lookup(industry, in: rules.industries) {
            add(ScoringRulesSection.industries.path(name: name), points, "industry \(industry)")
        }
        if let budget = lead.interest.budget,
           let index = rules.budgetBands.firstIndex(where: { $0.contains(budget) }) {
            let band = rules.budgetBands[index]
            add(ScoringRulesSection.budgetBands.path(index: index), band.points,
                "budget \(budget.amountText) in \(band.rangeText)")
        }
        if let (name, points) = lookup(lead.source, in: rules.sources) {
            add(ScoringRulesSection.sources.path(name: name), points, "source \(lead.source)")
        }
        if let title = lead.contact.title, let (index, keyword) = bestKeyword(in: title, rules.titleKeywords) {
            add(ScoringRulesSection.titleKeywords.path(index: index), keyword.points,
                "title \"\(title)\" contains \"\(keyword.keyword)\"")
        }
        if let region = lead.company.region, let (name, points) = lookup(region, in: rules.regions) {
            add(ScoringRulesSection.regions.path(name: name), points, "region \(region)")
        }
        for field in rules.completeness.keys.sorted() where lead.hasValue(at: field) == true {
            add(ScoringRulesSection.completeness.path(name: field), rules.completeness[field]!, "\(field) present")
        }
        let leadTags = Set(tags(of: lead).map(ScoringRules.matchingForm))
        for tag in rules.tags.keys.sorted() where leadTags.contains(ScoringRules.matchingForm(tag)) {
            add(ScoringRulesSection.tags.path(name: tag), rules.tags[tag]!, "tag \(tag)")
        }
        for (index, rule) in rules.attributes.enumerated() {
            guard let value = lead.attributes[rule.key], value != .null else { continue }
            if let expected = rule.equals {
                guard matches(value, expected) else { continue }
                add(ScoringRulesSection.attributes.path(index: index), rule.points, "attribute \(rule.key) = \(expected)")
            } else {
                add(ScoringRulesSection.attributes.path(index: index), rule.points, "attribute \(rule.key) present")
            }
        }
        return LeadScore(total: breakdown.reduce(0) { $0 + $1.points }, breakdown: breakdown)
    }

    /// Case-insensitive lookup of a lead value among rule names; the name as written in the rules.
    private static func lookup(_ value: String, in entries: [String: Int]) -> (name: String, points: Int)? {
        let form = ScoringRules.matchingForm(value)
        guard !form.isEmpty else { return nil }
        // Sorted so a document with case-variants (refused by validation) still scores deterministically.
        for name in entries.keys.sorted() where ScoringRules.matchingForm(name) == form {
            return (name, entries[name]!)
        }
        return nil
    }

    /// Highest points wins; on a tie the keyword listed first.
    private static func bestKeyword(in title: String, _ keywords: [ScoringRules.TitleKeyword])
        -> (index: Int, keyword: ScoringRules.TitleKeyword)? {
        let titleForm = ScoringRules.matchingForm(title)
        var best: (index: Int, keyword: ScoringRules.TitleKeyword)?
        for (index, keyword) in keywords.enumerated() {
            let form = ScoringRules.matchingForm(keyword.keyword)
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

    private static func matches(_ value: JSONValue, _ expected: String) -> Bool {
        let form = ScoringRules.matchingForm(expected)
        switch value {
        case .string(let text): return ScoringRules.matchingForm(text) == form
        case .number(let number): return number.amountText == form
        case .bool(let flag): return String(flag) == form
        case .array(let items): return items.contains { matches($0, expected) }
        case .null, .object: return false
        }
    }
}
