import Shared
/// Semantic checks of a rule document: what is well-formed JSON but still wrong.
extension ScoringRules {
    /// Every problem, each with its path; empty when the rules are usable.
    public func validate() -> [RuleProblem] {
        ScoringRulesSection.allCases.flatMap { validate(section: $0) }
    }

    func validate(section: ScoringRulesSection) -> [RuleProblem] {
        switch section {
        case .industries: Self.validateNamed(industries, section: section)
        case .sources: Self.validateNamed(sources, section: section)
        case .regions: Self.validateNamed(regions, section: section)
        case .tags: Self.validateNamed(tags, section: section)
        case .completeness:
            Self.validateNamed(completeness, section: section, allowedNames: NormalizedLead.completenessFields)
        case .budgetBands: validateBudgetBands()
        case .titleKeywords: validateTitleKeywords()
        case .attributes: validateAttributeRules()
        }
    }

    static func pointsProblem(_ points: Int) -> String? {
        if points < 0 { return "must not be negative" }
        if points > maxPoints { return "is more than \(maxPoints) points" }
        return nil
    }

    /// Names compare case-insensitively and full-width folded, like leads are matched against them.
    static func matchingForm(_ name: String) -> String {
        TextNormalizer.normalize(name).lowercased()
    }

    private static func validateNamed(_ entries: [String: Int], section: ScoringRulesSection,
                                      allowedNames: [String]? = nil) -> [RuleProblem] {
        var errors: [RuleProblem] = []
        var firstByForm: [String: String] = [:]
        for name in entries.keys.sorted() {
            let path = section.path(name: name)
            let form = matchingForm(name)
            if let allowedNames {
                if !allowedNames.contains(name) {
                    errors.append(RuleProblem(path: path, problem: "unknown field; expected one of \(allowedNames.joined(separator: ", "))"))
                }
            } else if form.isEmpty {
                errors.append(RuleProblem(path: path, problem: "name must not be empty"))
            } else if let first = firstByForm[form] {
                errors.append(RuleProblem(path: path, problem: "duplicates \(section.path(name: first)) (names are compared case-insensitively)"))
            } else {
                firstByForm[form] = name
            }
            if let problem = pointsProblem(entries[name]!) {
                errors.append(RuleProblem(path: path, problem: problem))
            }
        }
        return errors
    }

    private func validateBudgetBands() -> [RuleProblem] {
        var errors: [RuleProblem] = []
        var usable: [(index: Int, band: BudgetBand)] = []
        for (index, band) in budgetBands.enumerated() {
            let path = ScoringRulesSection.budgetBands.path(index: index)
            var usableRange = true
            if !band.min.isFinite || band.min < 0 {
                errors.append(RuleProblem(path: "\(path).min", problem: "must be a number of 0 or more"))
                usableRange = false
            } else if band.min > SubmissionValidator.maxBudget {
                errors.append(RuleProblem(path: "\(path).min", problem: "is over the largest accepted budget (1000000000000)"))
                usableRange = false
            }
            if let max = band.max, !max.isFinite || !(max > band.min) {
                errors.append(RuleProblem(path: "\(path).max", problem: "must be greater than min (\(band.min.amountText))"))
                usableRange = false
            }
            if let problem = Self.pointsProblem(band.points) {
                errors.append(RuleProblem(path: "\(path).points", problem: problem))
            }
            guard usableRange else { continue }
            for earlier in usable where band.overlaps(earlier.band) {
                errors.append(RuleProblem(
                    path: "\(path).min",
                    problem: "\(band.rangeText) overlaps \(ScoringRulesSection.budgetBands.path(index: earlier.index)) (\(earlier.band.rangeText))"))
            }
            usable.append((index, band))
        }
        return errors
    }

    private func validateTitleKeywords() -> [RuleProblem] {
        var errors: [RuleProblem] = []
        var firstByForm: [String: Int] = [:]
        for (index, rule) in titleKeywords.enumerated() {
            let path = ScoringRulesSection.titleKeywords.path(index: index)
            let form = Self.matchingForm(rule.keyword)
            if form.isEmpty {
                errors.append(RuleProblem(path: "\(path).keyword", problem: "must not be empty"))
            } else if let first = firstByForm[form] {
                errors.append(RuleProblem(path: "\(path).keyword", problem: "duplicates \(ScoringRulesSection.titleKeywords.path(index: first)) (keywords are compared case-insensitively)"))
            } else {
                firstByForm[form] = index
            }
            if let problem = Self.pointsProblem(rule.points) {
                errors.append(RuleProblem(path: "\(path).points", problem: problem))
            }
        }
        return errors
    }

    private func validateAttributeRules() -> [RuleProblem] {
        var errors: [RuleProblem] = []
        for (index, rule) in attributes.enumerated() {
            let path = ScoringRulesSection.attributes.path(index: index)
            if TextNormalizer.normalize(rule.key).isEmpty {
                errors.append(RuleProblem(path: "\(path).key", problem: "must not be empty"))
            }
            if let equals = rule.equals, Self.matchingForm(equals).isEmpty {
                errors.append(RuleProblem(path: "\(path).equals", problem: "must not be empty; leave it out to match any value"))
            }
            if let problem = Self.pointsProblem(rule.points) {
                errors.append(RuleProblem(path: "\(path).points", problem: problem))
            }
        }
        return errors
    }
}

extension ScoringRules.BudgetBand {
    func overlaps(_ other: Self) -> Bool {
        let upper = max ?? .infinity
        let otherUpper = other.max ?? .infinity
        return min < otherUpper && other.min < upper
    }

    /// "500000..<1000000", or "1000000..." for the open-ended band.
    var rangeText: String {
        max.map { "\(min.amountText)..<\($0.amountText)" } ?? "\(min.amountText)..."
    }
}

extension Double {
    /// Money amounts in messages: "850000", not "850000.0" or "8.5e+05".
    var amountText: String {
        if isFinite, rounded() == self, abs(self) < 1e15 { return String(Int64(self)) }
        return String(self)
    }
}
