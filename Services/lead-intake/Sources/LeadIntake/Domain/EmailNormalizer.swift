import Foundation

/// Trims, folds and lower-cases an email address and checks it is plausible.
///
/// Deliberately not full RFC 5322: addresses typed into forms and badge scanners fail in simple ways
/// (spaces, a full-width "＠" or "。" from a Chinese IME, a missing domain), and those are what we
/// catch. The whole address is lower-cased because emails are matched for de-duplication and no mail
/// provider our customers use has case-sensitive mailboxes.
public enum EmailNormalizer {
    public enum Problem: Error, Sendable, Hashable, CustomStringConvertible {
        case empty
        case containsSpace
        case missingAt
        case multipleAt
        case emptyLocalPart
        case invalidLocalPart
        case invalidDomain
        case tooLong

        public var description: String {
            switch self {
            case .empty: "is empty"
            case .containsSpace: "contains a space"
            case .missingAt: "has no \"@\""
            case .multipleAt: "has more than one \"@\""
            case .emptyLocalPart: "has nothing before the \"@\""
            case .invalidLocalPart: "has a part before the \"@\" with invalid characters or dots"
            case .invalidDomain: "has no valid domain after the \"@\" (like example.com)"
            case .tooLong: "is longer than 254 characters"
            }
        }
    }

    /// The normalized address, or nil when it is not a plausible email address.
    public static func email(_ raw: String) -> String? {
        try? normalize(raw).get()
    }

    public static func normalize(_ raw: String) -> Result<String, Problem> {
        // "。" (U+3002) is the IME full stop people type instead of "." in "example。com".
        let folded = TextNormalizer.foldFullWidth(raw).replacingOccurrences(of: "\u{3002}", with: ".")
        let email = folded.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
        guard !email.isEmpty else { return .failure(.empty) }
        guard !email.contains(where: \.isWhitespace) else { return .failure(.containsSpace) }
        guard email.count <= 254 else { return .failure(.tooLong) }
        let parts = email.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count >= 2 else { return .failure(.missingAt) }
        guard parts.count == 2 else { return .failure(.multipleAt) }
        let (local, domain) = (parts[0], parts[1])
        guard !local.isEmpty else { return .failure(.emptyLocalPart) }
        guard isValidLocalPart(local) else { return .failure(.invalidLocalPart) }
        guard isValidDomain(domain) else { return .failure(.invalidDomain) }
        return .success(email)
    }

    private static let localSpecials = Set("!#$%&'*+/=?^_`{|}~.-")

    private static func isValidLocalPart(_ local: Substring) -> Bool {
        local.count <= 64
            && !local.hasPrefix(".") && !local.hasSuffix(".") && !local.contains("..")
            && local.allSatisfy { $0.isLetter || $0.isNumber || localSpecials.contains($0) }
    }

    /// At least two labels, each 1-63 letters/digits/hyphens not starting or ending with a hyphen,
    /// and a top-level domain of two or more characters that is not all digits.
    private static func isValidDomain(_ domain: Substring) -> Bool {
        let labels = domain.split(separator: ".", omittingEmptySubsequences: false)
        guard domain.count <= 253, labels.count >= 2, let tld = labels.last,
              tld.count >= 2, !tld.allSatisfy(\.isNumber)
        else { return false }
        return labels.allSatisfy { label in
            (1...63).contains(label.count) && !label.hasPrefix("-") && !label.hasSuffix("-")
                && label.allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" }
        }
    }
}
