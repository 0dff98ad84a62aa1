import Shared
/// A submission that passed validation: the message as sent (typed, unknown fields moved into
/// `attributes`) and its normalized form. The touch history keeps the bytes as received.
public struct ValidatedSubmission: Sendable, Hashable {
    public var submission: LeadSubmission
    public var lead: NormalizedLead

    public init(submission: LeadSubmission, lead: NormalizedLead) {
        self.submission = submission
        self.lead = lead
    }
}
