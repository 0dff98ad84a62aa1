/// A rep who could not take the lead, and every reason why.
public struct RejectedCandidate: Codable, Sendable, Equatable, Hashable {
    public var repId: String
    public var reasons: [RejectionReason]

    public init(repId: String, reasons: [RejectionReason]) {
        self.repId = repId
        self.reasons = reasons
    }
}
