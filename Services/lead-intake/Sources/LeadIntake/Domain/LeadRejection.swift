/// Why a submission was refused: what goes to `crm.lead.rejected` (SPEC 3.3) with the original bytes.
public struct LeadRejection: Error, Sendable, Hashable, Codable {
    /// Stable codes integrations and dashboards can count on. Declared from most to least severe:
    /// when a submission has several problems, the first applicable code is the reason.
    public enum Reason: String, Sendable, Hashable, Codable, CaseIterable, Comparable {
        case tooLarge = "too_large"
        case notJSON = "not_json"
        case notObject = "not_object"
        case missingField = "missing_field"
        case wrongType = "wrong_type"
        case noContact = "no_contact"
        case invalidPhone = "invalid_phone"
        case invalidEmail = "invalid_email"
        case outOfRange = "out_of_range"

        public static func < (lhs: Reason, rhs: Reason) -> Bool {
            allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
        }
    }

    public var reason: Reason
    public var message: String
    /// Every field problem found, not only the first, so a source can fix them in one go.
    public var errors: [FieldError]

    public init(reason: Reason, message: String, errors: [FieldError] = []) {
        self.reason = reason
        self.message = message
        self.errors = errors
    }

    /// A rejection for field problems: reason is the most severe, message lists them all.
    /// Nil for an empty list: a rejection always says what was wrong.
    public init?(fieldErrors: [FieldError]) {
        guard let reason = fieldErrors.map(\.reason).min() else { return nil }
        self.reason = reason
        self.errors = fieldErrors
        self.message = fieldErrors.map { "\($0.field): \($0.problem)" }.joined(separator: "; ")
    }
}
