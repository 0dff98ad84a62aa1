import Foundation

/// The value published on `crm.lead.rejected` (SPEC 3.3): the rejection plus the original message,
/// as text when it is UTF-8 and as base64 otherwise, so nothing is lost even for binary garbage.
public struct RejectedSubmission: Sendable, Hashable, Codable {
    public enum OriginalEncoding: String, Sendable, Hashable, Codable {
        case utf8
        case base64
    }

    public var reason: String
    public var message: String
    public var errors: [FieldError]
    public var original: String
    public var originalEncoding: OriginalEncoding

    public init(rejection: LeadRejection, original: [UInt8]) {
        self.reason = rejection.reason.rawValue
        self.message = rejection.message
        self.errors = rejection.errors
        if let text = String(validating: original, as: UTF8.self) {
            self.original = text
            self.originalEncoding = .utf8
        } else {
            self.original = Data(original).base64EncodedString()
            self.originalEncoding = .base64
        }
    }
}
