import Foundation
import Shared

/// One open (open or contacted) lead of a rep, for `GET /v1/reps/{id}/leads`.
public struct RepLeadView: Codable, Sendable, Equatable {
    @LowercasedUUID public var leadId: UUID
    public var status: String
    public var assignedAt: Date
    public var contactedAt: Date?
    public var policyVersion: Int
    public var score: Int
    public var region: String?
    public var productLine: String?
    public var industry: String?

    public init(leadId: UUID, status: String, assignedAt: Date, contactedAt: Date?, policyVersion: Int,
                score: Int, region: String?, productLine: String?, industry: String?) {
        self.leadId = leadId
        self.status = status
        self.assignedAt = assignedAt
        self.contactedAt = contactedAt
        self.policyVersion = policyVersion
        self.score = score
        self.region = region
        self.productLine = productLine
        self.industry = industry
    }
}

/// `GET /v1/reps/{id}/leads`: the rep's open leads, oldest assignment first.
public struct RepLeads: Codable, Sendable, Equatable {
    public var repId: String
    /// The capacity counter (`reps.open_leads`); equals `leads.count` when the tables are consistent.
    public var openLeads: Int
    public var capacity: Int
    public var leads: [RepLeadView]
}

/// One row of the `assignments` table: an assignment to a rep or a queue, and how it ended.
public struct AssignmentView: Codable, Sendable, Equatable {
    public var id: Int64
    @LowercasedUUID public var leadId: UUID
    public var repId: String?
    /// The team queue or public pool, when no rep could take the lead.
    public var queue: String?
    public var status: String
    public var current: Bool
    public var policyVersion: Int
    /// Every routing factor's contribution (or the reason the lead was queued), as recorded.
    public var reasons: JSONValue
    public var assignedAt: Date
    public var contactedAt: Date?
    public var closedAt: Date?
}

/// What routing knew of the lead.
public struct RoutedLeadView: Codable, Sendable, Equatable {
    public var score: Int
    public var region: String?
    public var productLine: String?
    public var industry: String?
    public var language: String?
    public var acceptedAt: Date
}

/// `GET /v1/assignments/{leadId}`: the current assignment and every assignment of the lead, oldest first.
public struct AssignmentHistory: Codable, Sendable, Equatable {
    @LowercasedUUID public var leadId: UUID
    public var lead: RoutedLeadView?
    /// `nil` only while no row is current (between closing one assignment and opening the next).
    public var current: AssignmentView?
    public var history: [AssignmentView]
}

/// `GET /v1/fairness`: assignments per rep in a window, with the Gini coefficient. Encodes flat: the
/// window and filters next to the `FairnessReport` fields.
public struct FairnessView: Codable, Sendable, Equatable {
    public var windowDays: Int
    public var minScore: Int
    public var team: String?
    /// The window, `from <= assignedAt <= to`.
    public var from: Date
    public var to: Date
    public var report: FairnessReport

    public init(windowDays: Int, minScore: Int, team: String?, from: Date, to: Date, report: FairnessReport) {
        self.windowDays = windowDays
        self.minScore = minScore
        self.team = team
        self.from = from
        self.to = to
        self.report = report
    }

    private enum CodingKeys: String, CodingKey {
        case windowDays, minScore, team, from, to
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        windowDays = try container.decode(Int.self, forKey: .windowDays)
        minScore = try container.decode(Int.self, forKey: .minScore)
        team = try container.decodeIfPresent(String.self, forKey: .team)
        from = try container.decode(Date.self, forKey: .from)
        to = try container.decode(Date.self, forKey: .to)
        report = try FairnessReport(from: decoder)
    }

    public func encode(to encoder: any Encoder) throws {
        try report.encode(to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(windowDays, forKey: .windowDays)
        try container.encode(minScore, forKey: .minScore)
        try container.encodeIfPresent(team, forKey: .team)
        try container.encode(from, forKey: .from)
        try container.encode(to, forKey: .to)
    }
}
