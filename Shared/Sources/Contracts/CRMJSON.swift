import Foundation

/// The one JSON dialect of our topics: RFC 3339 UTC timestamps (with milliseconds when written,
/// with or without fractions when read) and sorted keys so equal events encode to equal bytes.
public enum CRMJSON {
    public static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(Timestamp.format(date))
        }
        return encoder
    }

    public static func decoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let container = try decoder.singleValueContainer()
            let text = try container.decode(String.self)
            guard let date = Timestamp.parse(text) else {
                throw DecodingError.dataCorruptedError(in: container, debugDescription: "not an RFC 3339 timestamp: \(text)")
            }
            return date
        }
        return decoder
    }
}

/// RFC 3339 timestamps.
public enum Timestamp {
    public static func format(_ date: Date) -> String {
        date.formatted(.iso8601.year().month().day().time(includingFractionalSeconds: true).timeZone(separator: .omitted))
    }

    /// Reads offsets (`+08:00`, `Z`) and optional fractions alike; one style, built once, because
    /// every submission's `receivedAt` passes through here.
    private static let parseStyle = Date.ISO8601FormatStyle(includingFractionalSeconds: true)
        .year().month().day().time(includingFractionalSeconds: true).timeZone(separator: .omitted)

    /// Parses an RFC 3339 timestamp. An explicit offset (`Z` or `+08:00`) is required: a local time
    /// without one is ambiguous across sources. The usual form takes the strict reader
    /// (`Timestamp+Strict.swift`); anything else is read by Foundation, as before.
    public static func parse(_ text: String) -> Date? {
        strict(text) ?? lenient(text)
    }

    /// Foundation's reading, after trimming and upper-casing: lenient about what RFC 3339 leaves out
    /// (it rolls 2026-02-30 over into March, takes 24:00 and `+0800`).
    static func lenient(_ text: String) -> Date? {
        let text = text.trimmingCharacters(in: .whitespaces).uppercased()
        guard text.count >= 20, text.contains("T"),
              text.hasSuffix("Z") || text.dropFirst(19).contains(where: { $0 == "+" || $0 == "-" })
        else { return nil }
        return try? Date(text, strategy: parseStyle)
    }
}
