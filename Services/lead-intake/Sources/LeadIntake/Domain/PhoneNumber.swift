/// A phone number in E.164 ("+8613800138000"), the form phones are matched on.
public struct PhoneNumber: Sendable, Hashable, Codable, CustomStringConvertible {
    public var e164: String
    /// Digits after "ext", "x", "转", "分机" or "#"; kept for the rep, never used for matching.
    public var extensionNumber: String?

    public init(e164: String, extensionNumber: String? = nil) {
        self.e164 = e164
        self.extensionNumber = extensionNumber
    }

    public var description: String {
        extensionNumber.map { "\(e164) ext. \($0)" } ?? e164
    }
}
