import Foundation

/// Cleans free text typed by people and IMEs: names, company names, titles.
///
/// Chinese input methods emit full-width ASCII ("ＡＢＣ　１２３") and ideographic spaces, copy-paste
/// brings zero-width characters and tabs; the same name typed three ways must come out the same.
public enum TextNormalizer {
    /// Folds full-width ASCII (U+FF01-U+FF5E) to ASCII and the ideographic space (U+3000) to a space.
    /// Everything else is left alone (CJK text is not touched).
    public static func foldFullWidth(_ text: String) -> String {
        var scalars = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            switch scalar.value {
            case 0xFF01...0xFF5E: scalars.append(Unicode.Scalar(scalar.value - 0xFEE0)!)
            case 0x3000: scalars.append(" ")
            default: scalars.append(scalar)
            }
        }
        return String(scalars)
    }

    /// Full-width folded, canonically composed (NFC), invisible format/control characters removed,
    /// every run of whitespace (tabs, newlines, NBSP, ideographic space) collapsed to one space, trimmed.
    public static func normalize(_ text: String) -> String {
        let folded = foldFullWidth(text)
        // Composition only changes text holding a scalar that can combine or decompose; the names
        // and companies leads bring (ASCII, Latin-1, CJK ideographs) hold none, and composing them
        // anyway was a tenth of the intake's CPU.
        let composed = folded.unicodeScalars.allSatisfy(isComposed) ? folded : folded.precomposedStringWithCanonicalMapping
        var scalars = String.UnicodeScalarView()
        var pendingSpace = false
        for scalar in composed.unicodeScalars {
            if isWhitespace(scalar) {
                pendingSpace = !scalars.isEmpty
                continue
            }
            if isInvisible(scalar) { continue } // zero-width spaces, BOM, stray control bytes
            if pendingSpace {
                scalars.append(" ")
                pendingSpace = false
            }
            scalars.append(scalar)
        }
        return String(scalars)
    }

    /// Scalars NFC leaves as they are whatever surrounds them (NFC_Quick_Check=Yes, never combining):
    /// everything below U+0300 and the CJK unified ideographs.
    private static func isComposed(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0..<0x300, 0x3400...0x4DBF, 0x4E00...0x9FFF: true
        default: false
        }
    }

    private static func isWhitespace(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x20, 0x09...0x0D: true
        case 0x21...0x7E, 0x4E00...0x9FFF: false
        default: scalar.properties.isWhitespace
        }
    }

    /// Format and control characters.
    private static func isInvisible(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0..<0x20, 0x7F: true
        case 0x20...0x7E, 0x4E00...0x9FFF: false
        default:
            switch scalar.properties.generalCategory {
            case .format, .control: true
            default: false
            }
        }
    }

    /// `normalize`, with nil for nil and for text that is empty once cleaned.
    public static func normalizedOrNil(_ text: String?) -> String? {
        guard let text else { return nil }
        let cleaned = normalize(text)
        return cleaned.isEmpty ? nil : cleaned
    }
}
