import Shared
import Foundation

/// A submission in the form the CRM stores, matches and scores: phones in E.164, emails lower-cased,
/// names cleaned, a company match key, codes (source, industry, region) lower-cased, and the region
/// filled in from the province when the source did not send one.
public struct NormalizedLead: Sendable, Hashable {
    public struct Contact: Sendable, Hashable, Codable {
        public var name: String?
        public var phone: PhoneNumber?
        public var email: String?
        public var wecomId: String?
        public var title: String?

        public init(name: String? = nil, phone: PhoneNumber? = nil, email: String? = nil,
                    wecomId: String? = nil, title: String? = nil) {
            self.name = name
            self.phone = phone
            self.email = email
            self.wecomId = wecomId
            self.title = title
        }
    }

    public struct Company: Sendable, Hashable, Codable {
        public var name: String?
        /// See `CompanyKey`: what company names are compared on.
        public var matchKey: String?
        public var industry: String?
        public var size: String?
        public var region: String?
        public var province: String?

        public init(name: String? = nil, matchKey: String? = nil, industry: String? = nil,
                    size: String? = nil, region: String? = nil, province: String? = nil) {
            self.name = name
            self.matchKey = matchKey
            self.industry = industry
            self.size = size
            self.region = region
            self.province = province
        }
    }

    public struct Interest: Sendable, Hashable, Codable {
        public var productLine: String?
        public var budget: Double?
        public var currency: String?
        public var notes: String?

        public init(productLine: String? = nil, budget: Double? = nil, currency: String? = nil,
                    notes: String? = nil) {
            self.productLine = productLine
            self.budget = budget
            self.currency = currency
            self.notes = notes
        }
    }

    public var submissionId: String
    public var source: String
    /// When the source received the lead; the intake's clock when the source did not say.
    public var receivedAt: Date
    public var contact: Contact
    public var company: Company
    public var interest: Interest
    public var attributes: [String: JSONValue]

    public init(submissionId: String, source: String, receivedAt: Date, contact: Contact = Contact(),
                company: Company = Company(), interest: Interest = Interest(),
                attributes: [String: JSONValue] = [:]) {
        self.submissionId = submissionId
        self.source = source
        self.receivedAt = receivedAt
        self.contact = contact
        self.company = company
        self.interest = interest
        self.attributes = attributes
    }

    /// The identities to match existing leads on, in a fixed order (phone, email, WeCom id).
    public var identities: [LeadIdentity] {
        var identities: [LeadIdentity] = []
        if let phone = contact.phone { identities.append(LeadIdentity(kind: .phone, value: phone.e164)) }
        if let email = contact.email { identities.append(LeadIdentity(kind: .email, value: email)) }
        if let wecomId = contact.wecomId { identities.append(LeadIdentity(kind: .wecomId, value: wecomId)) }
        return identities
    }

    /// Field paths a completeness rule may name, in document order.
    public static let completenessFields = [
        "contact.name", "contact.phone", "contact.email", "contact.wecomId", "contact.title",
        "company.name", "company.industry", "company.size", "company.region", "company.province",
        "interest.productLine", "interest.budget", "interest.currency", "interest.notes",
    ]

    /// Whether a field from `completenessFields` has a value; nil for any other path.
    public func hasValue(at field: String) -> Bool? {
        switch field {
        case "contact.name": contact.name != nil
        case "contact.phone": contact.phone != nil
        case "contact.email": contact.email != nil
        case "contact.wecomId": contact.wecomId != nil
        case "contact.title": contact.title != nil
        case "company.name": company.name != nil
        case "company.industry": company.industry != nil
        case "company.size": company.size != nil
        case "company.region": company.region != nil
        case "company.province": company.province != nil
        case "interest.productLine": interest.productLine != nil
        case "interest.budget": interest.budget != nil
        case "interest.currency": interest.currency != nil
        case "interest.notes": interest.notes != nil
        default: nil
        }
    }
}

/// `receivedAt` is written as RFC 3339 whatever the encoder's date strategy, because this value
/// goes into event payloads read by other services.
extension NormalizedLead: Codable {
    private enum CodingKeys: String, CodingKey {
        case submissionId, source, receivedAt, contact, company, interest, attributes
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let receivedAtText = try container.decode(String.self, forKey: .receivedAt)
        guard let receivedAt = Timestamp.parse(receivedAtText) else {
            throw DecodingError.dataCorruptedError(forKey: .receivedAt, in: container,
                                                   debugDescription: "expected an RFC 3339 timestamp")
        }
        self.init(
            submissionId: try container.decode(String.self, forKey: .submissionId),
            source: try container.decode(String.self, forKey: .source),
            receivedAt: receivedAt,
            contact: try container.decodeIfPresent(Contact.self, forKey: .contact) ?? Contact(),
            company: try container.decodeIfPresent(Company.self, forKey: .company) ?? Company(),
            interest: try container.decodeIfPresent(Interest.self, forKey: .interest) ?? Interest(),
            attributes: try container.decodeIfPresent([String: JSONValue].self, forKey: .attributes) ?? [:]
        )
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(submissionId, forKey: .submissionId)
        try container.encode(source, forKey: .source)
        try container.encode(Timestamp.format(receivedAt), forKey: .receivedAt)
        try container.encode(contact, forKey: .contact)
        try container.encode(company, forKey: .company)
        try container.encode(interest, forKey: .interest)
        try container.encode(attributes, forKey: .attributes)
    }
}
