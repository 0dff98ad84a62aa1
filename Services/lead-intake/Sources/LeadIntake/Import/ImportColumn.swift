import Foundation

/// Where the values of one CSV column go in the submission JSON (SPEC 3.1).
///
/// Header names are matched without regard to case, spaces, `_` and `-` ("Submission ID",
/// "wecom_id", "productLine"), by their short name ("phone") or their dotted path
/// ("contact.phone"). A column the contract does not know goes into `attributes` under its header,
/// so nothing in the file is lost.
enum ImportColumn: Hashable, Sendable {
    /// A string at a dotted path: "submissionId", "contact.phone", "attributes.campaign".
    case string(path: String)
    /// `interest.budget`: a number when the cell is numeric ("850000", "850,000"), else the text,
    /// so the validator names the field.
    case budget
    /// `attributes.tags`: a list separated by `;` (or the full-width `；`).
    case tags
    /// A column without a header name: its cells must be empty.
    case unnamed

    init(header: String) {
        let trimmed = header.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.isEmpty {
            self = .unnamed
            return
        }
        let key = Self.key(trimmed)
        if let known = Self.known[key] {
            self = known
        } else if key.hasPrefix("attributes."), trimmed.count > "attributes.".count {
            self = .string(path: "attributes." + trimmed.dropFirst("attributes.".count))
        } else {
            self = .string(path: "attributes." + trimmed)
        }
    }

    /// The submission path the column fills, for messages and duplicate detection.
    var path: String? {
        switch self {
        case .string(let path): path
        case .budget: "interest.budget"
        case .tags: "attributes.tags"
        case .unnamed: nil
        }
    }

    /// Columns that say who the person is; a file without any of them cannot import a single row.
    static let identityPaths: Set = ["contact.phone", "contact.email", "contact.wecomId"]

    private static func key(_ header: String) -> String {
        header.lowercased().filter { $0 != " " && $0 != "_" && $0 != "-" }
    }

    private static let known: [String: ImportColumn] = {
        let paths: [(path: String, aliases: [String])] = [
            ("submissionId", ["submissionid"]),
            ("source", ["source"]),
            ("receivedAt", ["receivedat"]),
            ("contact.name", ["name", "contactname"]),
            ("contact.phone", ["phone", "mobile"]),
            ("contact.email", ["email"]),
            ("contact.wecomId", ["wecomid"]),
            ("contact.title", ["title"]),
            ("company.name", ["company", "companyname"]),
            ("company.industry", ["industry"]),
            ("company.size", ["size", "companysize"]),
            ("company.region", ["region"]),
            ("company.province", ["province"]),
            ("interest.productLine", ["productline"]),
            ("interest.currency", ["currency"]),
            ("interest.notes", ["notes"]),
        ]
        var table: [String: ImportColumn] = [:]
        for (path, aliases) in paths {
            for alias in aliases + [path.lowercased()] { table[alias] = .string(path: path) }
        }
        for alias in ["budget", "interest.budget"] { table[alias] = .budget }
        for alias in ["tags", "attributes.tags"] { table[alias] = .tags }
        return table
    }()
}
