import Shared
/// Why a scoring rule document was refused: every problem, each named by its path
/// ("budgetBands[2].min", `industries["pharma_retail"]`) so a business user can find and fix it.
public struct ScoringRulesError: Error, Sendable, Hashable, CustomStringConvertible {
    public var errors: [RuleProblem]

    public init(errors: [RuleProblem]) {
        self.errors = errors
    }

    public var description: String {
        "invalid scoring rules: " + errors.map(\.description).joined(separator: "; ")
    }
}
