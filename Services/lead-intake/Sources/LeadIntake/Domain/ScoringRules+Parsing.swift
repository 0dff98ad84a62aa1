import Shared
import Foundation

extension ScoringRules {
    /// Reads a rule document strictly: unknown keys, wrong types and semantic problems
    /// (see `validate()`) are all reported, each with its path. Nothing is guessed or dropped.
    public static func parse(json: Data) throws(ScoringRulesError) -> ScoringRules {
        guard let root = try? JSONValue.parse(json) else {
            throw ScoringRulesError(errors: [RuleProblem(path: "$", problem: "not valid JSON")])
        }
        var reader = ScoringRulesReader()
        let rules = reader.read(root)
        // Semantic checks only for sections that were read completely: indices in a section with
        // a malformed entry would otherwise point at the wrong rule.
        let semantic = ScoringRulesSection.allCases
            .filter { !reader.malformedSections.contains($0) }
            .flatMap { rules.validate(section: $0) }
        let errors = reader.errors + semantic
        guard errors.isEmpty else { throw ScoringRulesError(errors: errors) }
        return rules
    }

    public static func parse(json: String) throws(ScoringRulesError) -> ScoringRules {
        try parse(json: Data(json.utf8))
    }
}

/// The structural half of `ScoringRules.parse`: shapes, types and keys, by path.
struct ScoringRulesReader {
    private(set) var errors: [RuleProblem] = []
    private(set) var malformedSections: Set<ScoringRulesSection> = []

    private mutating func fail(_ path: String, _ problem: String, section: ScoringRulesSection? = nil) {
        errors.append(RuleProblem(path: path, problem: problem))
        if let section { malformedSections.insert(section) }
    }

    mutating func read(_ root: JSONValue) -> ScoringRules {
        var rules = ScoringRules()
        guard case .object(let document) = root else {
            fail("$", "a rule document must be a JSON object, got \(root.kindDescription)")
            malformedSections = Set(ScoringRulesSection.allCases)
            return rules
        }
        for key in document.keys.sorted() where key != "description" && ScoringRulesSection(rawValue: key) == nil {
            if key == "version" {
                fail(key, "is not part of the document: versions are assigned when the document is stored")
            } else {
                let known = ["description"] + ScoringRulesSection.allCases.map(\.rawValue)
                fail(key, "unknown key; expected one of \(known.joined(separator: ", "))")
            }
        }
        switch document["description"] {
        case nil, .null?: break
        case .string(let text)?: rules.description = text
        case let other?: fail("description", "expected a string, got \(other.kindDescription)")
        }
        rules.industries = namedPoints(document, .industries)
        rules.sources = namedPoints(document, .sources)
        rules.regions = namedPoints(document, .regions)
        rules.completeness = namedPoints(document, .completeness)
        rules.tags = namedPoints(document, .tags)
        rules.budgetBands = ruleObjects(document, .budgetBands, required: ["min", "points"], optional: ["max"]) { reader, item, path in
            guard let min = reader.number(item["min"], path: "\(path).min"),
                  let points = reader.points(item["points"], path: "\(path).points")
            else { return nil }
            var max: Double?
            if let value = item["max"], value != .null {
                guard let number = reader.number(value, path: "\(path).max") else { return nil }
                max = number
            }
            return ScoringRules.BudgetBand(min: min, max: max, points: points)
        }
        rules.titleKeywords = ruleObjects(document, .titleKeywords, required: ["keyword", "points"], optional: []) { reader, item, path in
            guard let keyword = reader.string(item["keyword"], path: "\(path).keyword"),
                  let points = reader.points(item["points"], path: "\(path).points")
            else { return nil }
            return ScoringRules.TitleKeyword(keyword: keyword, points: points)
        }
        rules.attributes = ruleObjects(document, .attributes, required: ["key", "points"], optional: ["equals"]) { reader, item, path in
            guard let key = reader.string(item["key"], path: "\(path).key"),
                  let points = reader.points(item["points"], path: "\(path).points")
            else { return nil }
            var equals: String?
            if let value = item["equals"], value != .null {
                guard let text = reader.string(value, path: "\(path).equals") else { return nil }
                equals = text
            }
            return ScoringRules.AttributeRule(key: key, equals: equals, points: points)
        }
        return rules
    }

    /// `{"name": points, ...}`; absent or null means no rules of this kind.
    private mutating func namedPoints(_ document: [String: JSONValue], _ section: ScoringRulesSection) -> [String: Int] {
        guard let value = document[section.rawValue], value != .null else { return [:] }
        guard case .object(let entries) = value else {
            fail(section.rawValue, "expected an object of name -> points, got \(value.kindDescription)", section: section)
            return [:]
        }
        var result: [String: Int] = [:]
        for name in entries.keys.sorted() {
            if let points = points(entries[name], path: section.path(name: name)) {
                result[name] = points
            } else {
                malformedSections.insert(section)
            }
        }
        return result
    }

    /// `[{...}, ...]` with exactly the given keys; absent or null means no rules of this kind.
    private mutating func ruleObjects<Rule>(
        _ document: [String: JSONValue], _ section: ScoringRulesSection,
        required: [String], optional: [String],
        build: (inout ScoringRulesReader, [String: JSONValue], String) -> Rule?
    ) -> [Rule] {
        guard let value = document[section.rawValue], value != .null else { return [] }
        guard case .array(let items) = value else {
            fail(section.rawValue, "expected an array of rules, got \(value.kindDescription)", section: section)
            return []
        }
        var rules: [Rule] = []
        for (index, item) in items.enumerated() {
            let path = section.path(index: index)
            guard case .object(let fields) = item else {
                fail(path, "expected an object, got \(item.kindDescription)", section: section)
                continue
            }
            var complete = true
            for key in fields.keys.sorted() where !required.contains(key) && !optional.contains(key) {
                fail("\(path).\(key)", "unknown key; expected \((required + optional).joined(separator: ", "))", section: section)
            }
            for key in required where fields[key] == nil || fields[key] == .null {
                fail("\(path).\(key)", "is required", section: section)
                complete = false
            }
            guard complete else { continue }
            if let rule = build(&self, fields, path) {
                rules.append(rule)
            } else {
                malformedSections.insert(section)
            }
        }
        return rules
    }

    private mutating func points(_ value: JSONValue?, path: String) -> Int? {
        guard case .number(let number)? = value, number.rounded() == number, abs(number) <= 1_000_000_000 else {
            fail(path, "expected a whole number of points, got \(value.map(Self.describe) ?? "nothing")")
            return nil
        }
        return Int(number)
    }

    private mutating func number(_ value: JSONValue?, path: String) -> Double? {
        guard case .number(let number)? = value else {
            fail(path, "expected a number, got \(value.map(Self.describe) ?? "nothing")")
            return nil
        }
        return number
    }

    private mutating func string(_ value: JSONValue?, path: String) -> String? {
        guard case .string(let text)? = value else {
            fail(path, "expected a string, got \(value.map(Self.describe) ?? "nothing")")
            return nil
        }
        return text
    }

    private static func describe(_ value: JSONValue) -> String {
        if case .number(let number) = value { return "\(number.amountText)" }
        return value.kindDescription
    }
}
