/// One problem with one field of a submission, named by its dotted path ("contact.email").
public struct FieldError: Sendable, Hashable, Codable {
    public var field: String
    public var problem: String
    /// The rejection class of this problem; the most severe one becomes `LeadRejection.reason`.
    public var reason: LeadRejection.Reason

    public init(field: String, problem: String, reason: LeadRejection.Reason) {
        self.field = field
        self.problem = problem
        self.reason = reason
    }
}
