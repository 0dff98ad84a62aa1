/// One problem in a scoring rule document, named by its path ("budgetBands[2].min",
/// `industries["pharma_retail"]`) so a business user can find and fix it.
public struct RuleError: Sendable, Hashable, Codable, CustomStringConvertible {
    public var path: String
    public var problem: String

    public init(path: String, problem: String) {
        self.path = path
        self.problem = problem
    }

    public var description: String { "\(path): \(problem)" }
}

/// A refused rule document: every problem found, not only the first.
public struct ScoringRulesError: Error, Sendable, Hashable, CustomStringConvertible {
    public var errors: [RuleError]

    public init(errors: [RuleError]) {
        self.errors = errors
    }

    public var description: String {
        "invalid scoring rules: " + errors.map(\.description).joined(separator: "; ")
    }
}
