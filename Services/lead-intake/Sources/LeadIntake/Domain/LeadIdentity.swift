/// A normalized identity a person is matched on exactly: the same phone, email or WeCom id is the
/// same person. `kind.rawValue` is what `LeadMerged.matchedOn` lists.
public struct LeadIdentity: Sendable, Hashable, Codable, CustomStringConvertible {
    public enum Kind: String, Sendable, Hashable, Codable, CaseIterable {
        case phone
        case email
        case wecomId
    }

    public var kind: Kind
    /// E.164 phone, lower-cased email, or WeCom id as issued (case-sensitive).
    public var value: String

    public init(kind: Kind, value: String) {
        self.kind = kind
        self.value = value
    }

    public var description: String { "\(kind.rawValue):\(value)" }
}
