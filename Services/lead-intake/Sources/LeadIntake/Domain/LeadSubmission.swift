import Shared
/// The message any integration posts to `crm.lead.intake` (SPEC 3.1), after type checking.
///
/// Values are as sent (not normalized; see `NormalizedLead` for that), except that unknown fields,
/// top-level or nested, have been moved into `attributes` under their dotted path
/// (e.g. `"contact.nickname"`), so nothing a source sent is lost.
public struct LeadSubmission: Sendable, Hashable, Codable {
    public struct Contact: Sendable, Hashable, Codable {
        public var name: String?
        public var phone: String?
        public var email: String?
        public var wecomId: String?
        public var title: String?

        public init(name: String? = nil, phone: String? = nil, email: String? = nil,
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
        public var industry: String?
        public var size: String?
        public var region: String?
        public var province: String?

        public init(name: String? = nil, industry: String? = nil, size: String? = nil,
                    region: String? = nil, province: String? = nil) {
            self.name = name
            self.industry = industry
            self.size = size
            self.region = region
            self.province = province
        }
    }

    public struct Interest: Sendable, Hashable, Codable {
        public var productLine: String?
        /// Sources sometimes send the budget as a numeric string ("850000"); it is a number here.
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

    /// The idempotency key: the same id twice is one submission.
    public var submissionId: String
    public var source: String
    /// RFC 3339 text as sent; the parsed instant is `NormalizedLead.receivedAt`.
    public var receivedAt: String?
    public var contact: Contact
    public var company: Company
    public var interest: Interest
    public var attributes: [String: JSONValue]

    public init(submissionId: String, source: String, receivedAt: String? = nil,
                contact: Contact = Contact(), company: Company = Company(),
                interest: Interest = Interest(), attributes: [String: JSONValue] = [:]) {
        self.submissionId = submissionId
        self.source = source
        self.receivedAt = receivedAt
        self.contact = contact
        self.company = company
        self.interest = interest
        self.attributes = attributes
    }
}

/// Everything but `submissionId` and `source` may be missing, as in the contract.
extension LeadSubmission {
    private enum CodingKeys: String, CodingKey {
        case submissionId, source, receivedAt, contact, company, interest, attributes
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            submissionId: try container.decode(String.self, forKey: .submissionId),
            source: try container.decode(String.self, forKey: .source),
            receivedAt: try container.decodeIfPresent(String.self, forKey: .receivedAt),
            contact: try container.decodeIfPresent(Contact.self, forKey: .contact) ?? Contact(),
            company: try container.decodeIfPresent(Company.self, forKey: .company) ?? Company(),
            interest: try container.decodeIfPresent(Interest.self, forKey: .interest) ?? Interest(),
            attributes: try container.decodeIfPresent([String: JSONValue].self, forKey: .attributes) ?? [:])
    }
}
