import Foundation

// Payloads of `crm.lead.events` written by lead-intake (SPEC 3.3). Consumers (assignment,
// notifications, reporting) decode them from here, so producer and consumers share one definition.

/// A lead's person, normalized: phone in E.164, e-mail lower-cased.
public struct LeadContactInfo: Codable, Sendable, Hashable {
    public var name: String?
    public var phone: String?
    public var email: String?
    public var wecomId: String?
    public var title: String?

    public init(name: String? = nil, phone: String? = nil, email: String? = nil, wecomId: String? = nil, title: String? = nil) {
        self.name = name
        self.phone = phone
        self.email = email
        self.wecomId = wecomId
        self.title = title
    }
}

public struct LeadCompanyInfo: Codable, Sendable, Hashable {
    public var name: String?
    public var industry: String?
    public var size: String?
    public var region: String?
    public var province: String?

    public init(name: String? = nil, industry: String? = nil, size: String? = nil, region: String? = nil, province: String? = nil) {
        self.name = name
        self.industry = industry
        self.size = size
        self.region = region
        self.province = province
    }
}

public struct LeadInterestInfo: Codable, Sendable, Hashable {
    public var productLine: String?
    public var budget: Double?
    public var currency: String?
    public var notes: String?

    public init(productLine: String? = nil, budget: Double? = nil, currency: String? = nil, notes: String? = nil) {
        self.productLine = productLine
        self.budget = budget
        self.currency = currency
        self.notes = notes
    }
}

/// One scoring rule's contribution to a lead's score.
public struct ScorePoints: Codable, Sendable, Hashable {
    public var rule: String
    public var points: Int
    public var detail: String

    public init(rule: String, points: Int, detail: String) {
        self.rule = rule
        self.points = points
        self.detail = detail
    }
}

/// A new lead: the first submission of a person no existing lead knows.
public struct LeadAccepted: Codable, Sendable, Hashable {
    @LowercasedUUID public var leadId: UUID
    public var submissionId: String
    public var source: String
    public var receivedAt: Date
    public var contact: LeadContactInfo
    public var company: LeadCompanyInfo
    public var interest: LeadInterestInfo
    public var attributes: [String: JSONValue]
    public var score: Int
    public var scoreBreakdown: [ScorePoints]
    /// The scoring rule version the score was computed with.
    public var scoringVersion: Int

    public init(
        leadId: UUID, submissionId: String, source: String, receivedAt: Date, contact: LeadContactInfo,
        company: LeadCompanyInfo, interest: LeadInterestInfo, attributes: [String: JSONValue], score: Int,
        scoreBreakdown: [ScorePoints], scoringVersion: Int
    ) {
        self.leadId = leadId
        self.submissionId = submissionId
        self.source = source
        self.receivedAt = receivedAt
        self.contact = contact
        self.company = company
        self.interest = interest
        self.attributes = attributes
        self.score = score
        self.scoreBreakdown = scoreBreakdown
        self.scoringVersion = scoringVersion
    }
}

/// A submission of a person an existing lead already knows: attached to that lead as a touch.
public struct LeadMerged: Codable, Sendable, Hashable {
    @LowercasedUUID public var leadId: UUID
    public var submissionId: String
    public var source: String
    public var receivedAt: Date
    /// The identities that matched: "phone", "email", "wecomId".
    public var matchedOn: [String]
    /// Fields the lead lacked and this submission filled, e.g. "contact.email".
    public var filledFields: [String]

    public init(leadId: UUID, submissionId: String, source: String, receivedAt: Date, matchedOn: [String], filledFields: [String]) {
        self.leadId = leadId
        self.submissionId = submissionId
        self.source = source
        self.receivedAt = receivedAt
        self.matchedOn = matchedOn
        self.filledFields = filledFields
    }
}
