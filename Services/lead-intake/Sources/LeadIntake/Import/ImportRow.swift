import Foundation

/// One row of an import file: the line it starts on and either the submission JSON (SPEC 3.1) to
/// post, already checked by `SubmissionValidator`, or why the row is refused.
public struct ImportRow: Sendable, Hashable {
    /// 1-based line in the file (a CSV record with quoted line breaks spans several; this is its first).
    public var line: Int
    public var result: Result<Data, ImportRowError>
    /// The row's submissionId (given or generated), the Kafka key to post it with; nil for a bad row
    /// whose id could not be read.
    public var submissionId: String?

    public init(line: Int, result: Result<Data, ImportRowError>, submissionId: String? = nil) {
        self.line = line
        self.result = result
        self.submissionId = submissionId
    }

    public var submission: Data? {
        if case .success(let data) = result { data } else { nil }
    }

    public var error: ImportRowError? {
        if case .failure(let error) = result { error } else { nil }
    }
}

/// Why a row is not posted: each problem names the field when there is one, so the operator can
/// print `line 17: contact.phone: not a phone number: ...` and fix the file.
public struct ImportRowError: Error, Sendable, Hashable, CustomStringConvertible {
    public struct Problem: Sendable, Hashable, CustomStringConvertible {
        /// Dotted submission path ("contact.phone") or nil for a problem with the whole row.
        public var field: String?
        public var problem: String

        public init(field: String?, problem: String) {
            self.field = field
            self.problem = problem
        }

        public var description: String {
            field.map { "\($0): \(problem)" } ?? problem
        }
    }

    public var problems: [Problem]
    /// The validator's rejection code when the validator refused the row (what the intake would
    /// publish to `crm.lead.rejected`); nil for problems of the file format itself.
    public var reason: LeadRejection.Reason?

    public init(problems: [Problem], reason: LeadRejection.Reason? = nil) {
        self.problems = problems
        self.reason = reason
    }

    public init(_ problem: String, field: String? = nil) {
        self.init(problems: [Problem(field: field, problem: problem)])
    }

    /// The validator's verdict as row problems: every field error, or its message when it has none.
    public init(rejection: LeadRejection) {
        let problems = rejection.errors.isEmpty
            ? [Problem(field: nil, problem: rejection.message)]
            : rejection.errors.map { Problem(field: $0.field, problem: $0.problem) }
        self.init(problems: problems, reason: rejection.reason)
    }

    public var description: String {
        problems.map(\.description).joined(separator: "; ")
    }
}

/// A problem with the file as a whole: nothing in it can be imported as it is.
public struct LeadImportFileError: Error, Sendable, Hashable, CustomStringConvertible {
    public var line: Int?
    public var message: String

    public init(line: Int? = nil, _ message: String) {
        self.line = line
        self.message = message
    }

    public var description: String {
        line.map { "line \($0): \(message)" } ?? message
    }
}
