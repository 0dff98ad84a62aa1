import Foundation

/// Turns a phone number as people type it into E.164.
///
/// Mainland China is the home market, so numbers without a country code are read as Chinese:
/// mobiles (1[3-9] + 9 digits), landlines with their trunk 0 and area code (010-12345678,
/// 0571-87654321, (021) 6123 4567) and 400/800 service numbers. Any other country needs a "+" or
/// "00" prefix and is only checked for length (8-15 digits including the country code), because
/// guessing foreign numbering plans without a library would reject real customers.
public enum PhoneNormalizer {
    public enum Problem: Error, Sendable, Hashable, CustomStringConvertible {
        case empty
        case invalidCharacter(Character)
        case misplacedPlus
        case invalidExtension
        case invalidCountryCode
        case localNumberWithoutAreaCode
        case notAChinaNumber
        case internationalLength(Int)

        public var description: String {
            switch self {
            case .empty: "is empty"
            case .invalidCharacter(let character): "contains \"\(character)\", which is not part of a phone number"
            case .misplacedPlus: "has a \"+\" that is not at the start"
            case .invalidExtension: "has an extension that is not 1 to 6 digits"
            case .invalidCountryCode: "has a country code starting with 0"
            case .localNumberWithoutAreaCode: "is a local number without an area code"
            case .notAChinaNumber:
                "is not a mainland China mobile (11 digits starting 13-19), landline with area code (0 + area code + 7-8 digits) or 400/800 number"
            case .internationalLength(let count):
                "has \(count) digits; international numbers have 8 to 15 digits including the country code"
            }
        }
    }

    /// The E.164 form, or nil when the text cannot be a phone number.
    public static func e164(_ raw: String) -> String? {
        try? normalize(raw).get().e164
    }

    public static func normalize(_ raw: String) -> Result<PhoneNumber, Problem> {
        let text = unifyDashes(TextNormalizer.foldFullWidth(raw)).lowercased()
        let (main, extensionPart) = splitExtension(text)
        var extensionNumber: String?
        if let extensionPart {
            let digits = extensionPart.trimmingCharacters(in: CharacterSet(charactersIn: " .:-"))
            guard (1...6).contains(digits.count), digits.allSatisfy(\.isASCIIDigit) else {
                return .failure(.invalidExtension)
            }
            extensionNumber = digits
        }

        var digits = ""
        var hasPlus = false
        for character in main {
            if character.isASCIIDigit {
                digits.append(character)
                continue
            }
            switch character {
            case "+":
                guard digits.isEmpty, !hasPlus else { return .failure(.misplacedPlus) }
                hasPlus = true
            case " ", "-", ".", "(", ")", "/": continue
            default:
                if character.isWhitespace { continue }
                return .failure(.invalidCharacter(character))
            }
        }
        guard !digits.isEmpty else { return .failure(.empty) }

        let result: Result<String, Problem>
        if hasPlus {
            result = international(digits)
        } else if digits.hasPrefix("00") {
            result = international(String(digits.dropFirst(2)))
        } else {
            result = domestic(digits)
        }
        return result.map { PhoneNumber(e164: $0, extensionNumber: extensionNumber) }
    }

    // MARK: - Numbering plans

    /// Digits after "+" or "00": a country code and the national number.
    private static func international(_ digits: String) -> Result<String, Problem> {
        if digits.hasPrefix("0") { return .failure(.invalidCountryCode) }
        if digits.hasPrefix("86") {
            var national = Substring(digits.dropFirst(2))
            // "+86 (0)571 8765 4321": the trunk 0 does not belong after the country code, drop it.
            if national.hasPrefix("0") { national = national.dropFirst() }
            return isChinaNational(national) ? .success("+86" + national) : .failure(.notAChinaNumber)
        }
        guard (8...15).contains(digits.count) else { return .failure(.internationalLength(digits.count)) }
        return .success("+" + digits)
    }

    /// Digits without an international prefix: read as a mainland China number.
    private static func domestic(_ digits: String) -> Result<String, Problem> {
        let all = Substring(digits)
        if isChinaMobile(all) { return .success("+86" + all) }
        if all.hasPrefix("0") {
            let national = all.dropFirst()
            if isChinaNational(national) { return .success("+86" + national) }
            return .failure(.notAChinaNumber)
        }
        // "86 138 0013 8000": country code without "+", unambiguous only for mobiles.
        if all.count == 13, all.hasPrefix("86"), isChinaMobile(all.dropFirst(2)) {
            return .success("+" + all)
        }
        if all.count == 10, all.hasPrefix("400") || all.hasPrefix("800") { return .success("+86" + all) }
        if (7...8).contains(all.count) { return .failure(.localNumberWithoutAreaCode) }
        return .failure(.notAChinaNumber)
    }

    /// 11 digits, 1 then 3-9.
    private static func isChinaMobile(_ digits: Substring) -> Bool {
        guard digits.count == 11, digits.first == "1", let second = digits.dropFirst().first else { return false }
        return ("3"..."9").contains(second)
    }

    /// A national significant number (no trunk 0): a mobile, or area code + subscriber number.
    /// Area codes: 10 and 2X are two digits (+8 digits); the rest are three (+7 or 8 digits).
    /// 400/800 service numbers fit the three-digit rule (10 digits).
    private static func isChinaNational(_ digits: Substring) -> Bool {
        guard let first = digits.first else { return false }
        switch first {
        case "1": return isChinaMobile(digits) || (digits.hasPrefix("10") && digits.count == 10)
        case "2": return digits.count == 10
        case "3"..."9": return digits.count == 10 || digits.count == 11
        default: return false
        }
    }

    // MARK: - Text handling

    /// Splits "010-12345678 ext. 123" / "x123" / "转123" / "分机123" / "#123" at the first marker.
    private static func splitExtension(_ text: String) -> (main: Substring, extension: Substring?) {
        let markers = ["extension", "ext.", "ext", "分机", "转", "x", "#"]
        var best: Range<String.Index>?
        for marker in markers {
            guard let range = text.range(of: marker) else { continue }
            if best == nil || range.lowerBound < best!.lowerBound { best = range }
        }
        guard let best else { return (text[...], nil) }
        return (text[..<best.lowerBound], text[best.upperBound...])
    }

    /// Hyphen-like characters from word processors and IMEs become "-".
    private static func unifyDashes(_ text: String) -> String {
        String(text.map { character -> Character in
            switch character {
            case "\u{2010}", "\u{2011}", "\u{2012}", "\u{2013}", "\u{2014}", "\u{2015}", "\u{2212}": "-"
            default: character
            }
        })
    }
}

extension Character {
    /// Only 0-9; `isNumber` would also accept "１", "١" or "1" with a combining mark.
    var isASCIIDigit: Bool { asciiValue.map { (48...57).contains($0) } ?? false }
}
