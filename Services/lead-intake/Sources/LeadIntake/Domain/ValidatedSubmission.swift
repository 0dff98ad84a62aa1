import Shared
/// A submission that passed validation: the message as sent (typed, unknown fields moved into
/// `attributes`) and its normalized form. The raw form is kept for the lead's touch history.
public struct ValidatedSubmission: Sendable, Hashable {
    public var submission: LeadSubmission
    public var lead: NormalizedLead
    /// The submission exactly as received, parsed once: kept with the lead's touch.
    public var document: JSONValue

    public init(submission: LeadSubmission, lead: NormalizedLead, document: JSONValue = .null) {
        self.submission = submission
        self.lead = lead
        self.document = document
    }
}
