import Shared
/// Reads typed fields out of a parsed submission while collecting every problem by field path,
/// so one rejection lists all of them. Also collects fields the contract does not know.
struct SubmissionReader {
    private(set) var errors: [FieldError] = []
    /// Unknown fields by dotted path ("referrer", "contact.nickname"), to be kept in `attributes`.
    private(set) var unknownFields: [String: JSONValue] = [:]

    mutating func fail(_ field: String, _ problem: String, _ reason: LeadRejection.Reason) {
        errors.append(FieldError(field: field, problem: problem, reason: reason))
    }

    func hasError(at field: String) -> Bool {
        errors.contains { $0.field == field }
    }

    /// A string field; nil when absent or null. Any other type is recorded as `wrong_type`.
    mutating func string(_ key: String, in object: [String: JSONValue], path: String) -> String? {
        switch object[key] {
        case nil, .null?: return nil
        case .string(let value)?: return value
        case let other?:
            fail(path, "expected a string, got \(other.kindDescription)", .wrongType)
            return nil
        }
    }

    /// A nested object; nil when absent or null. Any other type is recorded as `wrong_type`.
    mutating func object(_ key: String, in object: [String: JSONValue], path: String) -> [String: JSONValue]? {
        switch object[key] {
        case nil, .null?: return nil
        case .object(let value)?: return value
        case let other?:
            fail(path, "expected an object, got \(other.kindDescription)", .wrongType)
            return nil
        }
    }

    /// A number, also accepted as a numeric string ("850000", "850,000"), since spreadsheets and
    /// form builders often send numbers as text. Anything else is `wrong_type`.
    mutating func number(_ key: String, in object: [String: JSONValue], path: String) -> Double? {
        switch object[key] {
        case nil, .null?: return nil
        case .number(let value)?: return value
        case .string(let text)?:
            let compact = text.filter { !$0.isWhitespace && $0 != "," }
            if compact.isEmpty { return nil }
            // Double("nan"), Double("inf") and hex floats parse; a budget is none of those.
            if compact.allSatisfy({ $0.isASCIIDigit || "+-.eE".contains($0) }),
               let value = Double(compact), value.isFinite {
                return value
            }
            fail(path, "expected a number, got the string \(Self.quoted(text))", .wrongType)
            return nil
        case let other?:
            fail(path, "expected a number, got \(other.kindDescription)", .wrongType)
            return nil
        }
    }

    /// Records the keys of `object` that are not in `known` as unknown fields under `prefix`.
    mutating func keepUnknown(in object: [String: JSONValue], known: Set<String>, prefix: String?) {
        for (key, value) in object where !known.contains(key) {
            unknownFields[prefix.map { "\($0).\(key)" } ?? key] = value
        }
    }

    /// A short quoted excerpt of a bad value for messages (bounded: messages go into logs and topics).
    static func quoted(_ text: String) -> String {
        text.count <= 40 ? "\"\(text)\"" : "\"\(text.prefix(40))…\""
    }
}
