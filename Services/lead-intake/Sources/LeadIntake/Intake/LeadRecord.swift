import Foundation
import Shared

/// A row of `leads`: what the CRM knows about one person. Encoded with snake_case keys, it is also
/// the JSON the repository hands Postgres (`jsonb_to_recordset`) for set-based writes.
struct LeadRecord: Codable, Sendable, Equatable {
    var id: UUID
    var submissionId: String
    var source: String
    var receivedAt: Date
    var contactName: String?
    var phone: String?
    var email: String?
    var wecomId: String?
    var title: String?
    var companyName: String?
    var companyKey: String?
    var industry: String?
    var companySize: String?
    var region: String?
    var province: String?
    var productLine: String?
    var budget: Double?
    var currency: String?
    var notes: String?
    var attributes: [String: JSONValue]
    var score: Int
    var scoreBreakdown: [ScorePoints]
    var scoringVersion: Int

    // Column names. Explicit rather than a snake_case key strategy: a strategy would also rewrite
    // the keys inside `attributes`.
    enum CodingKeys: String, CodingKey {
        case id, source, phone, email, title, industry, region, province, budget, currency, notes, attributes, score
        case submissionId = "submission_id", receivedAt = "received_at", contactName = "contact_name"
        case wecomId = "wecom_id", companyName = "company_name", companyKey = "company_key"
        case companySize = "company_size", productLine = "product_line", scoreBreakdown = "score_breakdown"
        case scoringVersion = "scoring_version"
    }

    /// A new lead from its first submission.
    init(id: UUID, lead: NormalizedLead, score: LeadScore, scoringVersion: Int) {
        self.id = id
        submissionId = lead.submissionId
        source = lead.source
        receivedAt = lead.receivedAt
        contactName = lead.contact.name
        phone = lead.contact.phone?.e164
        email = lead.contact.email
        wecomId = lead.contact.wecomId
        title = lead.contact.title
        companyName = lead.company.name
        companyKey = lead.company.matchKey
        industry = lead.company.industry
        companySize = lead.company.size
        region = lead.company.region
        province = lead.company.province
        productLine = lead.interest.productLine
        budget = lead.interest.budget
        currency = lead.interest.currency
        notes = lead.interest.notes
        attributes = lead.attributes
        self.score = score.total
        scoreBreakdown = score.breakdown.map { ScorePoints(rule: $0.rule, points: $0.points, detail: $0.detail) }
        self.scoringVersion = scoringVersion
    }

    /// Fills the fields this lead lacks from another submission of the same person. Known values
    /// are never overwritten: the first source wins, later ones complete. Returns the filled fields.
    mutating func fillMissing(from lead: NormalizedLead) -> [String] {
        var filled: [String] = []
        func fill<Value>(_ field: WritableKeyPath<LeadRecord, Value?>, _ value: Value?, _ name: String) {
            guard self[keyPath: field] == nil, let value else { return }
            self[keyPath: field] = value
            filled.append(name)
        }
        fill(\.contactName, lead.contact.name, "contact.name")
        fill(\.phone, lead.contact.phone?.e164, "contact.phone")
        fill(\.email, lead.contact.email, "contact.email")
        fill(\.wecomId, lead.contact.wecomId, "contact.wecomId")
        fill(\.title, lead.contact.title, "contact.title")
        fill(\.companyName, lead.company.name, "company.name")
        fill(\.companyKey, lead.company.matchKey, "company.matchKey")
        fill(\.industry, lead.company.industry, "company.industry")
        fill(\.companySize, lead.company.size, "company.size")
        fill(\.region, lead.company.region, "company.region")
        fill(\.province, lead.company.province, "company.province")
        fill(\.productLine, lead.interest.productLine, "interest.productLine")
        fill(\.budget, lead.interest.budget, "interest.budget")
        fill(\.currency, lead.interest.currency, "interest.currency")
        fill(\.notes, lead.interest.notes, "interest.notes")
        for (key, value) in lead.attributes where attributes[key] == nil {
            attributes[key] = value
            filled.append("attributes.\(key)")
        }
        return filled
    }

    var contactInfo: LeadContactInfo {
        LeadContactInfo(name: contactName, phone: phone, email: email, wecomId: wecomId, title: title)
    }

    var companyInfo: LeadCompanyInfo {
        LeadCompanyInfo(name: companyName, industry: industry, size: companySize, region: region, province: province)
    }

    var interestInfo: LeadInterestInfo {
        LeadInterestInfo(productLine: productLine, budget: budget, currency: currency, notes: notes)
    }

    /// The JSON the database side reads and writes: column names as keys, RFC 3339 timestamps.
    static let databaseEncoder = CRMJSON.encoder()
    static let databaseDecoder = CRMJSON.decoder()

    /// A lead row as the database renders it (`to_jsonb(leads)::text`).
    static func fromDatabase(_ json: String) throws -> LeadRecord {
        try databaseDecoder.decode(LeadRecord.self, from: Data(json.utf8))
    }
}
