import Shared
/// Walks an untyped JSON document, collecting every problem with its path instead of stopping at the
/// first, so the business user sees the whole list. Paths are dotted (`sla.followUpDays`); the
/// document itself is `$`.
struct PolicyReader {
    private(set) var issues: [RuleProblem] = []

    enum NumberRule {
        case nonNegative
        case positive
        /// 0 ... 1 inclusive.
        case fraction
        /// Strictly between 0 and 1.
        case openFraction
    }

    static func path(_ parent: String, _ key: String) -> String {
        parent.isEmpty ? key : parent + "." + key
    }

    mutating func fail(_ path: String, _ message: String) {
        issues.append(.init(path: path.isEmpty ? "$" : path, problem: message))
    }

    /// The members of the object at `path`, after reporting keys outside `keys` (in sorted order).
    /// `nil` when the value is absent (not an error: the caller applies defaults) or not an object.
    mutating func object(_ value: JSONValue?, at path: String, keys: [String]) -> [String: JSONValue]? {
        guard let value else { return nil }
        guard case .object(let members) = value else {
            fail(path, "expected an object, got \(value.kindDescription)")
            return nil
        }
        for key in members.keys.sorted() where !keys.contains(key) {
            fail(Self.path(path, key), "unknown key (allowed: \(keys.joined(separator: ", ")))")
        }
        return members
    }

    mutating func bool(_ value: JSONValue?, at path: String) -> Bool? {
        guard let value else { return nil }
        guard case .bool(let flag) = value else {
            fail(path, "expected a boolean, got \(value.kindDescription)")
            return nil
        }
        return flag
    }

    mutating func string(_ value: JSONValue?, at path: String) -> String? {
        guard let value else { return nil }
        guard case .string(let text) = value else {
            fail(path, "expected a string, got \(value.kindDescription)")
            return nil
        }
        return text
    }

    mutating func requirement(
        _ value: JSONValue?, at path: String, allowed: [MatchRequirement] = MatchRequirement.allCases
    ) -> MatchRequirement? {
        guard let text = string(value, at: path) else { return nil }
        guard let requirement = MatchRequirement(rawValue: text), allowed.contains(requirement) else {
            let names = allowed.map(\.rawValue).joined(separator: ", ")
            fail(path, "must be one of \(names) (got \"\(text)\")")
            return nil
        }
        return requirement
    }

    mutating func number(_ value: JSONValue?, at path: String, _ rule: NumberRule) -> Double? {
        guard let value else { return nil }
        guard case .number(let number) = value, number.isFinite else {
            fail(path, "expected a number, got \(value.kindDescription)")
            return nil
        }
        let shown = Self.format(number)
        switch rule {
        case .nonNegative where number < 0:
            fail(path, "must not be negative (got \(shown))")
        case .positive where number <= 0:
            fail(path, "must be greater than 0 (got \(shown))")
        case .fraction where number < 0 || number > 1:
            fail(path, "must be between 0 and 1 (got \(shown))")
        case .openFraction where number <= 0 || number >= 1:
            fail(path, "must be greater than 0 and less than 1 (got \(shown))")
        default:
            return number
        }
        return nil
    }

    mutating func integer(_ value: JSONValue?, at path: String, minimum: Int) -> Int? {
        guard let value else { return nil }
        guard case .number(let number) = value, number.isFinite else {
            fail(path, "expected a whole number, got \(value.kindDescription)")
            return nil
        }
        guard number.rounded() == number, abs(number) < 1e15 else {
            fail(path, "must be a whole number (got \(Self.format(number)))")
            return nil
        }
        let whole = Int(number)
        guard whole >= minimum else {
            fail(path, "must be at least \(minimum) (got \(whole))")
            return nil
        }
        return whole
    }

    /// `-1` rather than `-1.0` in messages: users wrote integers.
    static func format(_ number: Double) -> String {
        if number.rounded() == number, abs(number) < 1e15 { return String(Int(number)) }
        return String(number)
    }
}
