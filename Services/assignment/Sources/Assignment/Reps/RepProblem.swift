/// One thing wrong with a rep, named by its field path (`capacity`, `workingHours.startMinute`,
/// `onLeave[1].end`), for 422 answers: `{"errors": [{"field": ..., "problem": ...}]}`.
public struct RepProblem: Codable, Sendable, Hashable, CustomStringConvertible {
    public var field: String
    public var problem: String

    public init(field: String, problem: String) {
        self.field = field
        self.problem = problem
    }

    public var description: String { "\(field): \(problem)" }
}

/// A row of a rep CSV import that was not imported: its 1-based line in the file (the line the
/// record starts on), the column (or `row` / `header` for the record as a whole) and what is wrong.
public struct RepImportProblem: Codable, Sendable, Hashable, CustomStringConvertible {
    public var line: Int
    public var field: String
    public var problem: String

    public init(line: Int, field: String, problem: String) {
        self.line = line
        self.field = field
        self.problem = problem
    }

    public var description: String { "line \(line): \(field): \(problem)" }
}

/// Every problem of a rep that cannot be stored (the failure of `RepDocument.read` and `RepCSV.rep(from:)`).
public struct RepValidationError: Error, Sendable, Hashable, CustomStringConvertible {
    public var problems: [RepProblem]

    public init(_ problems: [RepProblem]) {
        self.problems = problems
    }

    /// The failing fields in report order.
    public var fields: [String] { problems.map(\.field) }

    public var description: String { problems.map(\.description).joined(separator: "; ") }
}
