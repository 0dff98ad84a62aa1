import Foundation
import Shared

/// Reads a batch import file (CSV or JSON Lines) into submissions (SPEC 3.1), one per row, each
/// checked by `SubmissionValidator` so bad rows are reported by line before anything is posted.
///
/// - CSV (RFC 4180): a header row names the columns (`ImportColumn`: submissionId, source,
///   receivedAt, name, phone, email, wecomId, title, company, industry, size, region, province,
///   productLine, budget, currency, notes, tags, or dotted paths like `contact.phone`); `tags` are
///   separated by `;`; other columns go into `attributes`. Empty cells are absent fields.
/// - JSON Lines: one submission object per line, posted as written unless a default is filled in.
///
/// In both, a missing `submissionId` becomes `import-<file base name>-<line>` (deterministic, so
/// importing the same file twice posts the same ids and the intake ignores the repeats) and a
/// missing `source` becomes `defaultSource`. Blank lines (and CSV rows of empty cells) are skipped.
public struct LeadImportFile: Sendable {
    public enum Format: String, Sendable, CaseIterable {
        case csv, jsonl

        /// The format a file name's extension says: `.csv`, or `.jsonl` / `.ndjson`.
        public init?(fileName: String) {
            switch URL(fileURLWithPath: fileName).pathExtension.lowercased() {
            case "csv": self = .csv
            case "jsonl", "ndjson": self = .jsonl
            default: return nil
            }
        }
    }

    public var format: Format
    /// The file name without directory and extension, used in generated submission ids.
    public var baseName: String
    public var defaultSource: String
    public var validator: SubmissionValidator

    public init(format: Format, fileName: String, defaultSource: String = "import", validator: SubmissionValidator = SubmissionValidator()) {
        self.format = format
        self.baseName = URL(fileURLWithPath: fileName).deletingPathExtension().lastPathComponent
        self.defaultSource = defaultSource
        self.validator = validator
    }

    /// The id a row without one gets.
    public func generatedSubmissionId(line: Int) -> String {
        "import-\(baseName)-\(line)"
    }

    /// Every row of the file with its line number, in file order. Throws only when the file as a
    /// whole cannot be read (a CSV that is not UTF-8 or has no usable header); a bad row is a failed `ImportRow`.
    public func rows(from data: Data, now: Date) throws(LeadImportFileError) -> [ImportRow] {
        var bytes = [UInt8](data)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        let drafts: [Draft]
        switch format {
        case .csv:
            try Self.requireUTF8(bytes)
            drafts = try csvDrafts(bytes)
        case .jsonl:
            // Lines stand alone: one that is not UTF-8 is a bad row (the validator says so), not a bad file.
            drafts = jsonLinesDrafts(bytes)
        }
        var firstLineById: [String: Int] = [:]
        return drafts.map { draft in
            let row = validate(draft, now: now)
            guard let id = row.submissionId, row.error == nil else { return row }
            if let earlier = firstLineById[id] {
                return ImportRow(line: row.line, result: .failure(ImportRowError(
                    "\(SubmissionReader.quoted(id)) is already used on line \(earlier); the intake would take this row for the same submission and ignore it",
                    field: "submissionId")), submissionId: id)
            }
            firstLineById[id] = row.line
            return row
        }
    }

    // MARK: - Rows before validation

    /// A row turned into submission bytes (or refused for its format) but not yet validated.
    private struct Draft {
        var line: Int
        var result: Result<Data, ImportRowError>
        /// A JSON line as written: defaults are filled in only if the validator misses them.
        var asWritten = false
    }

    private func validate(_ draft: Draft, now: Date) -> ImportRow {
        guard case .success(let data) = draft.result else {
            return ImportRow(line: draft.line, result: draft.result)
        }
        switch validator.validate(bytes: data, now: now) {
        case .success(let validated):
            return ImportRow(line: draft.line, result: .success(data), submissionId: validated.submission.submissionId)
        case .failure(let rejection):
            // Parsing is the costly part of validation, so a line is only parsed again when it lacks
            // a default: most lines are posted byte for byte after one pass.
            if draft.asWritten, Self.missesDefault(rejection), case .object(var root)? = try? JSONValue.parse(data),
               fillDefaults(&root, line: draft.line) {
                return validate(Draft(line: draft.line, result: Self.encode(root)), now: now)
            }
            return ImportRow(line: draft.line, result: .failure(ImportRowError(rejection: rejection)))
        }
    }

    /// The validator found `submissionId` or `source` absent, null or blank.
    private static func missesDefault(_ rejection: LeadRejection) -> Bool {
        rejection.errors.contains { ($0.field == "submissionId" || $0.field == "source") && $0.reason == .missingField }
    }

    /// Fills `submissionId` and `source` when absent, null or blank; other wrong values are left for
    /// the validator to name. Returns whether anything was filled.
    private func fillDefaults(_ root: inout [String: JSONValue], line: Int) -> Bool {
        var changed = false
        if Self.isBlank(root["submissionId"]) {
            root["submissionId"] = .string(generatedSubmissionId(line: line))
            changed = true
        }
        if Self.isBlank(root["source"]) {
            root["source"] = .string(defaultSource)
            changed = true
        }
        return changed
    }

    private static func isBlank(_ value: JSONValue?) -> Bool {
        switch value {
        case nil, .null?: true
        case .string(let text)?: text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty
        default: false
        }
    }

    private static func encode(_ root: [String: JSONValue]) -> Result<Data, ImportRowError> {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        do {
            return .success(try encoder.encode(JSONValue.object(root)))
        } catch {
            return .failure(ImportRowError("cannot be written as JSON: \(error)"))
        }
    }

    // MARK: - JSON Lines

    private func jsonLinesDrafts(_ bytes: [UInt8]) -> [Draft] {
        var drafts: [Draft] = []
        for (index, lineBytes) in bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).enumerated() {
            let line = index + 1
            var content = Array(lineBytes)
            if content.last == UInt8(ascii: "\r") { content.removeLast() }
            guard content.contains(where: { !Self.isASCIIWhitespace($0) }) else { continue }
            drafts.append(Draft(line: line, result: .success(Data(content)), asWritten: true))
        }
        return drafts
    }

    private static func isASCIIWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0D || byte == 0x0A
    }

    // MARK: - CSV

    private func csvDrafts(_ bytes: [UInt8]) throws(LeadImportFileError) -> [Draft] {
        let records = CSVReader.records(bytes)
        guard let headerRecord = records.first else {
            throw LeadImportFileError("the file is empty; a CSV import starts with a header row naming its columns")
        }
        let header: [String]
        switch headerRecord.result {
        case .success(let fields): header = fields
        case .failure(let problem): throw LeadImportFileError(line: headerRecord.line, "header row: \(problem)")
        }
        let columns = header.map(ImportColumn.init(header:))
        try Self.checkHeader(columns, header: header, line: headerRecord.line)

        var drafts: [Draft] = []
        for record in records.dropFirst() {
            switch record.result {
            case .failure(let problem):
                drafts.append(Draft(line: record.line, result: .failure(ImportRowError(problem.description))))
            case .success(let fields):
                if fields.allSatisfy({ Self.trim($0).isEmpty }) { continue }
                drafts.append(Draft(line: record.line, result: submission(fields, columns: columns, line: record.line)))
            }
        }
        return drafts
    }

    private static func checkHeader(_ columns: [ImportColumn], header: [String], line: Int) throws(LeadImportFileError) {
        var columnByPath: [String: Int] = [:]
        for (index, column) in columns.enumerated() {
            guard let path = column.path else { continue }
            if let earlier = columnByPath[path] {
                throw LeadImportFileError(line: line, "columns \(earlier + 1) (\"\(trim(header[earlier]))\") and \(index + 1) (\"\(trim(header[index]))\") both fill \(path)")
            }
            columnByPath[path] = index
        }
        if !columns.contains(where: { $0.path.map(ImportColumn.identityPaths.contains) ?? false }) {
            throw LeadImportFileError(line: line,
                "the header has no phone, email or wecomId column, so every row would be rejected (columns: \(header.map(trim).joined(separator: ", ")))")
        }
    }

    private func submission(_ fields: [String], columns: [ImportColumn], line: Int) -> Result<Data, ImportRowError> {
        var fields = fields
        if fields.count > columns.count, fields[columns.count...].allSatisfy({ Self.trim($0).isEmpty }) {
            // Trailing empty cells past the header (spreadsheets add them) carry nothing.
            fields.removeLast(fields.count - columns.count)
        }
        guard fields.count == columns.count else {
            return .failure(ImportRowError(
                "has \(fields.count) field(s) but the header has \(columns.count); a comma inside a value needs the value in double quotes"))
        }
        var root: [String: JSONValue] = [:]
        var problems: [ImportRowError.Problem] = []
        for (index, (column, raw)) in zip(columns, fields).enumerated() {
            let text = Self.trim(raw)
            if text.isEmpty { continue }
            switch column {
            case .unnamed:
                problems.append(.init(field: nil, problem: "column \(index + 1) has a value but no name in the header"))
            case .string(let path):
                Self.set(.string(text), at: path, in: &root)
            case .budget:
                Self.set(Self.number(text).map(JSONValue.number) ?? .string(text), at: "interest.budget", in: &root)
            case .tags:
                let tags = text.split(whereSeparator: { $0 == ";" || $0 == "；" }).map(Self.trim).filter { !$0.isEmpty }
                Self.set(.array(tags.map(JSONValue.string)), at: "attributes.tags", in: &root)
            }
        }
        if !problems.isEmpty { return .failure(ImportRowError(problems: problems)) }
        _ = fillDefaults(&root, line: line)
        return Self.encode(root)
    }

    /// Sets `value` at "key" or "object.key" (one level: attributes keep dots in their names).
    private static func set(_ value: JSONValue, at path: String, in root: inout [String: JSONValue]) {
        guard let dot = path.firstIndex(of: ".") else {
            root[path] = value
            return
        }
        let objectKey = String(path[..<dot])
        var object = root[objectKey]?.objectValue ?? [:]
        object[String(path[path.index(after: dot)...])] = value
        root[objectKey] = .object(object)
    }

    /// A plain number as spreadsheets write it ("850000", "850,000", "1.5e6"); nil otherwise, so
    /// the text goes on and the validator names the field.
    private static func number(_ text: String) -> Double? {
        let compact = text.filter { !$0.isWhitespace && $0 != "," }
        guard !compact.isEmpty, compact.allSatisfy({ $0.isASCII && ($0.isNumber || "+-.eE".contains($0)) }),
              let value = Double(compact), value.isFinite else { return nil }
        return value
    }

    private static func trim<S: StringProtocol>(_ text: S) -> String {
        text.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    // MARK: - Encoding

    /// CSV files must be UTF-8: Excel on Chinese Windows saves "CSV" as GB18030, which would turn
    /// every name into mojibake, so the file is refused with the first line that is not UTF-8.
    private static func requireUTF8(_ bytes: [UInt8]) throws(LeadImportFileError) {
        if String(validating: bytes, as: UTF8.self) != nil { return }
        for (index, line) in bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).enumerated()
        where String(validating: line, as: UTF8.self) == nil {
            throw LeadImportFileError(line: index + 1,
                "is not UTF-8 text; save the file as UTF-8 (in Excel: \"CSV UTF-8\"), not GBK/GB18030")
        }
        throw LeadImportFileError("the file is not UTF-8 text")
    }
}
