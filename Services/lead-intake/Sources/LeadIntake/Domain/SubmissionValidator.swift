import Shared
import Foundation

/// The intake's single gate (SPEC 3.1): raw bytes in, a normalized submission or a rejection out.
///
/// It never throws or traps on input: every failure becomes a `LeadRejection` naming the fields,
/// which the handler publishes to `crm.lead.rejected` with the original bytes.
public struct SubmissionValidator: Sendable {
    /// SPEC 3.1: larger messages are rejected before parsing.
    public static let maxBytes = 64 * 1024
    /// A budget above this (one trillion) is a typo or a unit mistake, not a deal.
    public static let maxBudget: Double = 1_000_000_000_000
    public static let maxIdLength = 200

    public var regions: RegionResolver
    /// How far in the past `receivedAt` may be: imports of old leads are fine, decades are not.
    public var maxAge: TimeInterval
    /// How far in the future `receivedAt` may be: source clocks drift and time zones get mislabelled.
    public var maxFutureSkew: TimeInterval

    public init(regions: RegionResolver = .standard, maxAge: TimeInterval = 366 * 86_400,
                maxFutureSkew: TimeInterval = 86_400) {
        self.regions = regions
        self.maxAge = maxAge
        self.maxFutureSkew = maxFutureSkew
    }

    public func validate(bytes: [UInt8], now: Date) -> Result<ValidatedSubmission, LeadRejection> {
        if bytes.count > Self.maxBytes { return .failure(tooLarge(bytes.count)) }
        return validate(bytes: Data(bytes), now: now)
    }

    public func validate(bytes: Data, now: Date) -> Result<ValidatedSubmission, LeadRejection> {
        if bytes.count > Self.maxBytes { return .failure(tooLarge(bytes.count)) }
        guard String(validating: bytes, as: UTF8.self) != nil else {
            return .failure(LeadRejection(reason: .notJSON, message: "submission is not UTF-8 text"))
        }
        guard let json = try? JSONValue.parse(bytes) else {
            return .failure(LeadRejection(reason: .notJSON, message: "submission is not valid JSON"))
        }
        guard case .object(let root) = json else {
            return .failure(LeadRejection(
                reason: .notObject, message: "submission must be a JSON object, got \(json.kindDescription)"))
        }
        // The submission is stored as received (jsonb), and Postgres text cannot hold U+0000.
        guard !Self.holdsNUL(json) else {
            return .failure(LeadRejection(reason: .notJSON, message: "submission holds a \\u0000 (NUL) character; remove it"))
        }
        var reader = SubmissionReader()
        let result = read(root, into: &reader, now: now)
        if let rejection = LeadRejection(fieldErrors: reader.errors) { return .failure(rejection) }
        guard let result else {
            // Unreachable: fields are only nil after an error was recorded. Still no trap on input.
            return .failure(LeadRejection(reason: .missingField, message: "submission is incomplete"))
        }
        return .success(result)
    }

    private static func holdsNUL(_ value: JSONValue) -> Bool {
        switch value {
        case .string(let text): text.utf8.contains(0)
        case .array(let items): items.contains(where: holdsNUL)
        case .object(let fields): fields.contains { $0.key.utf8.contains(0) || holdsNUL($0.value) }
        case .null, .bool, .number: false
        }
    }

    private func tooLarge(_ count: Int) -> LeadRejection {
        LeadRejection(reason: .tooLarge, message: "submission is \(count) bytes; the limit is \(Self.maxBytes)")
    }

    // MARK: - Fields

    private static let topLevelFields: Set = [
        "submissionId", "source", "receivedAt", "contact", "company", "interest", "attributes",
    ]
    private static let contactFields: Set = ["name", "phone", "email", "wecomId", "title"]
    private static let companyFields: Set = ["name", "industry", "size", "region", "province"]
    private static let interestFields: Set = ["productLine", "budget", "currency", "notes"]

    private func read(_ root: [String: JSONValue], into reader: inout SubmissionReader, now: Date) -> ValidatedSubmission? {
        let submissionId = requiredString("submissionId", in: root, reader: &reader)
        let source = requiredString("source", in: root, reader: &reader)
        let receivedAtText = reader.string("receivedAt", in: root, path: "receivedAt")
        let receivedAt = TextNormalizer.normalizedOrNil(receivedAtText)
            .flatMap { checkReceivedAt($0, now: now, reader: &reader) } ?? now

        let contactJSON = reader.object("contact", in: root, path: "contact") ?? [:]
        let companyJSON = reader.object("company", in: root, path: "company") ?? [:]
        let interestJSON = reader.object("interest", in: root, path: "interest") ?? [:]
        let explicitAttributes = reader.object("attributes", in: root, path: "attributes") ?? [:]
        reader.keepUnknown(in: root, known: Self.topLevelFields, prefix: nil)
        reader.keepUnknown(in: contactJSON, known: Self.contactFields, prefix: "contact")
        reader.keepUnknown(in: companyJSON, known: Self.companyFields, prefix: "company")
        reader.keepUnknown(in: interestJSON, known: Self.interestFields, prefix: "interest")

        let contact = LeadSubmission.Contact(
            name: reader.string("name", in: contactJSON, path: "contact.name"),
            phone: reader.string("phone", in: contactJSON, path: "contact.phone"),
            email: reader.string("email", in: contactJSON, path: "contact.email"),
            wecomId: reader.string("wecomId", in: contactJSON, path: "contact.wecomId"),
            title: reader.string("title", in: contactJSON, path: "contact.title"))
        let company = LeadSubmission.Company(
            name: reader.string("name", in: companyJSON, path: "company.name"),
            industry: reader.string("industry", in: companyJSON, path: "company.industry"),
            size: reader.string("size", in: companyJSON, path: "company.size"),
            region: reader.string("region", in: companyJSON, path: "company.region"),
            province: reader.string("province", in: companyJSON, path: "company.province"))
        let interest = LeadSubmission.Interest(
            productLine: reader.string("productLine", in: interestJSON, path: "interest.productLine"),
            budget: reader.number("budget", in: interestJSON, path: "interest.budget"),
            currency: reader.string("currency", in: interestJSON, path: "interest.currency"),
            notes: reader.string("notes", in: interestJSON, path: "interest.notes"))

        let normalizedContact = normalize(contact, reader: &reader)
        if let budget = interest.budget { checkBudget(budget, reader: &reader) }

        guard let submissionId, let source else { return nil }
        let submission = LeadSubmission(
            submissionId: submissionId, source: source, receivedAt: receivedAtText,
            contact: contact, company: company, interest: interest,
            attributes: Self.merge(explicit: explicitAttributes, unknown: reader.unknownFields))
        let lead = NormalizedLead(
            submissionId: submissionId,
            source: TextNormalizer.normalize(source).lowercased(),
            receivedAt: receivedAt,
            contact: normalizedContact,
            company: normalize(company),
            interest: normalize(interest),
            attributes: submission.attributes)
        return ValidatedSubmission(submission: submission, lead: lead)
    }

    /// Explicit attributes win over an unknown field of the same name; the unknown one is then
    /// kept under "_unknown.<path>" so neither is lost.
    private static func merge(explicit: [String: JSONValue], unknown: [String: JSONValue]) -> [String: JSONValue] {
        var attributes = explicit
        for (path, value) in unknown {
            attributes[attributes[path] == nil ? path : "_unknown.\(path)"] = value
        }
        return attributes
    }

    private func requiredString(_ key: String, in root: [String: JSONValue], reader: inout SubmissionReader) -> String? {
        if root[key] == nil || root[key] == JSONValue.null {
            reader.fail(key, "is required", .missingField)
            return nil
        }
        guard let value = reader.string(key, in: root, path: key) else { return nil }
        if TextNormalizer.normalize(value).isEmpty {
            reader.fail(key, "is required and must not be empty", .missingField)
            return nil
        }
        if value.count > Self.maxIdLength {
            reader.fail(key, "is longer than \(Self.maxIdLength) characters", .outOfRange)
            return nil
        }
        return value
    }

    private func checkReceivedAt(_ text: String, now: Date, reader: inout SubmissionReader) -> Date? {
        guard let date = Timestamp.parse(text) else {
            reader.fail("receivedAt", "expected an RFC 3339 timestamp with offset like 2026-11-23T09:30:00+08:00, got \(SubmissionReader.quoted(text))", .wrongType)
            return nil
        }
        if date < now.addingTimeInterval(-maxAge) {
            reader.fail("receivedAt", "is more than \(Int(maxAge / 86_400)) days in the past", .outOfRange)
        } else if date > now.addingTimeInterval(maxFutureSkew) {
            reader.fail("receivedAt", "is more than \(Self.describe(maxFutureSkew)) in the future", .outOfRange)
        }
        return date
    }

    private static func describe(_ interval: TimeInterval) -> String {
        interval >= 86_400 ? "\(Int(interval / 86_400)) day(s)" : "\(Int(interval / 3_600)) hour(s)"
    }

    private func checkBudget(_ budget: Double, reader: inout SubmissionReader) {
        if budget < 0 {
            reader.fail("interest.budget", "must not be negative", .outOfRange)
        } else if budget > Self.maxBudget {
            reader.fail("interest.budget", "is over 1000000000000, which is not a plausible budget", .outOfRange)
        }
    }
}
