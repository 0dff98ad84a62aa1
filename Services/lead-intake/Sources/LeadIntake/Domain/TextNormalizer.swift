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
        let folded = foldFullWidth(text).precomposedStringWithCanonicalMapping
        var scalars = String.UnicodeScalarView()
        var pendingSpace = false
        for scalar in folded.unicodeScalars {
            if scalar.properties.isWhitespace {
                pendingSpace = !scalars.isEmpty
                continue
            }
            switch scalar.properties.generalCategory {
            case .format, .control: continue // zero-width spaces, BOM, stray control bytes
            default: break
            }
            if pendingSpace {
                scalars.append(" ")
                pendingSpace = false
            }
            scalars.append(scalar)
        }
        return String(scalars)
    }

    /// `normalize`, with nil for nil and for text that is empty once cleaned.
    public static func normalizedOrNil(_ text: String?) -> String? {
        guard let text else { return nil }
        let cleaned = normalize(text)
        return cleaned.isEmpty ? nil : cleaned
    }
}
