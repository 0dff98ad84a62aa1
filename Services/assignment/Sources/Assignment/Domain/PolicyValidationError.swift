import Shared

/// Everything wrong with a routing policy document, each problem named by its JSON path
/// (`weights.winRate`, `sla.firstContactMinutes`; `$` is the document itself).
///
/// All problems are reported at once so a business user can fix a document in one round trip.
public struct PolicyValidationError: Error, Sendable, Equatable, CustomStringConvertible {
    public var issues: [RuleProblem]

    public init(issues: [RuleProblem]) {
        self.issues = issues
    }

    /// The failing paths in report order, handy for HTTP 422 bodies and tests.
    public var paths: [String] { issues.map(\.path) }

    public var description: String {
        "invalid routing policy: " + issues.map(\.description).joined(separator: "; ")
    }
}
