/// A problem in a rule document (scoring, routing, ...), at a JSON path such as `budgetBands[2].min`.
public struct RuleProblem: Codable, Sendable, Hashable, CustomStringConvertible {
    public var path: String
    public var problem: String

    public init(path: String, problem: String) {
        self.path = path
        self.problem = problem
    }

    public var description: String { "\(path): \(problem)" }
}
