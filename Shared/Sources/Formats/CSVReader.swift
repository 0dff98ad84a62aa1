/// An RFC 4180 reader: comma-separated fields, fields in double quotes may hold commas, line
/// breaks and doubled quotes (`""` is one `"`). Records end at LF, CRLF or a lone CR.
///
/// Works on UTF-8 bytes, not `Character`s: Swift treats CRLF as one grapheme, and the bytes that
/// matter here (`,` `"` CR LF) never occur inside a multi-byte UTF-8 sequence. The caller checks
/// that the text is UTF-8 and removes a byte order mark first.
///
/// Lenient where spreadsheets are sloppy and the meaning is still clear (a `"` inside an unquoted
/// field is kept as a character), strict where it is not (text after a closing quote, a quote never
/// closed): such a record is reported with the line it starts on and reading goes on at the next line.
public enum CSVReader {
    public enum Problem: Error, Sendable, Hashable, CustomStringConvertible {
        /// A quoted field runs to the end of the file.
        case unterminatedQuote(field: Int)
        /// `"abc"x`: something other than a comma or line end after a closing quote.
        case textAfterClosingQuote(field: Int)

        public var description: String {
            switch self {
            case .unterminatedQuote(let field):
                "field \(field) opens a quote that is never closed (a quote inside a quoted field must be doubled: \"\")"
            case .textAfterClosingQuote(let field):
                "field \(field) has text after its closing quote (a quote inside a quoted field must be doubled: \"\")"
            }
        }
    }

    public struct Record: Sendable, Hashable {
        /// The 1-based line the record starts on (records with quoted line breaks span several lines).
        public var line: Int
        public var result: Result<[String], Problem>

        public init(line: Int, result: Result<[String], Problem>) {
            self.line = line
            self.result = result
        }
    }

    private static let comma = UInt8(ascii: ","), quote = UInt8(ascii: "\""), cr = UInt8(ascii: "\r"), lf = UInt8(ascii: "\n")

    private enum State {
        case fieldStart, unquoted, quoted, quoteInQuoted, skippingBadRecord
    }

    /// Every record of `bytes` in order. Empty lines are skipped (they are not records with one empty field).
    public static func records(_ bytes: [UInt8]) -> [Record] {
        var records: [Record] = []
        var fields: [String] = []
        var field: [UInt8] = []
        var state = State.fieldStart
        var line = 1
        var recordLine = 1
        var problem: Problem?
        var index = 0

        func endField() {
            fields.append(String(decoding: field, as: UTF8.self))
            field.removeAll(keepingCapacity: true)
        }
        func endRecord() {
            if let problem {
                records.append(Record(line: recordLine, result: .failure(problem)))
            } else if !(fields.count == 1 && fields[0].isEmpty && state != .quoteInQuoted) {
                records.append(Record(line: recordLine, result: .success(fields)))
            }
            fields.removeAll()
            problem = nil
            state = .fieldStart
        }

        while index < bytes.count {
            let byte = bytes[index]
            index += 1
            let isLineEnd = byte == lf || byte == cr
            if isLineEnd {
                // CRLF is one line end.
                if byte == cr, index < bytes.count, bytes[index] == lf { index += 1 }
            }
            switch state {
            case .fieldStart, .unquoted:
                if byte == comma {
                    endField()
                    state = .fieldStart
                } else if isLineEnd {
                    endField()
                    endRecord()
                    line += 1
                    recordLine = line
                } else if byte == quote && state == .fieldStart {
                    state = .quoted
                } else {
                    field.append(byte)
                    state = .unquoted
                }
            case .quoted:
                if byte == quote {
                    state = .quoteInQuoted
                } else if isLineEnd {
                    // A line break inside quotes is data; keep it as LF whatever the file uses.
                    field.append(lf)
                    line += 1
                } else {
                    field.append(byte)
                }
            case .quoteInQuoted:
                if byte == quote {
                    field.append(quote)
                    state = .quoted
                } else if byte == comma {
                    endField()
                    state = .fieldStart
                } else if isLineEnd {
                    endField()
                    endRecord()
                    line += 1
                    recordLine = line
                } else {
                    problem = .textAfterClosingQuote(field: fields.count + 1)
                    field.removeAll(keepingCapacity: true)
                    state = .skippingBadRecord
                }
            case .skippingBadRecord:
                if isLineEnd {
                    endRecord()
                    line += 1
                    recordLine = line
                }
            }
        }
        // End of input: close the last record unless the input ended with a line break.
        switch state {
        case .quoted:
            records.append(Record(line: recordLine, result: .failure(.unterminatedQuote(field: fields.count + 1))))
        case .skippingBadRecord:
            endRecord()
        case .unquoted, .quoteInQuoted:
            endField()
            endRecord()
        case .fieldStart:
            // After a comma the record has a trailing empty field; after a line break nothing is open.
            if !fields.isEmpty {
                endField()
                endRecord()
            }
        }
        return records
    }
}
