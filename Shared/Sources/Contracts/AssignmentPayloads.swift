import Foundation

// Payloads of `crm.lead.events` written by assignment (SPEC 3.3).

/// One routing factor's part in a decision: its raw value (0...1), its weight and the product.
public struct RoutingReason: Codable, Sendable, Hashable {
    public var factor: String
    public var rawValue: Double
    public var weight: Double
    public var contribution: Double

    public init(factor: String, rawValue: Double, weight: Double, contribution: Double) {
        self.factor = factor
        self.rawValue = rawValue
        self.weight = weight
        self.contribution = contribution
    }
}

public struct LeadAssigned: Codable, Sendable, Hashable {
    @LowercasedUUID public var leadId: UUID
    public var repId: String
    public var teamId: String
    public var policyVersion: Int
    public var totalScore: Double
    public var reasons: [RoutingReason]
    /// Reps that tied on the total, when the round-robin cursor decided.
    public var tiedRepIds: [String]?
    public var assignedAt: Date
    /// Set when the lead came back from the pool and is routed again, away from this owner.
    public var previousRepId: String?

    public init(leadId: UUID, repId: String, teamId: String, policyVersion: Int, totalScore: Double, reasons: [RoutingReason],
                tiedRepIds: [String]?, assignedAt: Date, previousRepId: String? = nil) {
        self.leadId = leadId
        self.repId = repId
        self.teamId = teamId
        self.policyVersion = policyVersion
        self.totalScore = totalScore
        self.reasons = reasons
        self.tiedRepIds = tiedRepIds
        self.assignedAt = assignedAt
        self.previousRepId = previousRepId
    }
}

public struct LeadReassigned: Codable, Sendable, Hashable {
    @LowercasedUUID public var leadId: UUID
    public var fromRepId: String?
    public var toRepId: String
    public var by: String
    public var reason: String?
    public var at: Date

    public init(leadId: UUID, fromRepId: String?, toRepId: String, by: String, reason: String?, at: Date) {
        self.leadId = leadId
        self.fromRepId = fromRepId
        self.toRepId = toRepId
        self.by = by
        self.reason = reason
        self.at = at
    }
}

/// A rep's activity on a lead: LeadContacted (contacted, follow_up, meeting), LeadConverted, LeadLost.
public struct LeadActivityRecorded: Codable, Sendable, Hashable {
    @LowercasedUUID public var leadId: UUID
    public var repId: String?
    public var activity: String
    public var notes: String?
    public var at: Date

    public init(leadId: UUID, repId: String?, activity: String, notes: String?, at: Date) {
        self.leadId = leadId
        self.repId = repId
        self.activity = activity
        self.notes = notes
        self.at = at
    }
}

/// An SLA timer fired: LeadEscalated (to the supervisor) or LeadReminderDue (to the rep).
public struct LeadSLAEvent: Codable, Sendable, Hashable {
    @LowercasedUUID public var leadId: UUID
    public var repId: String?
    public var supervisorId: String?
    /// first_contact_reminder, first_contact_breach, follow_up_escalation.
    public var timer: String
    public var dueAt: Date

    public init(leadId: UUID, repId: String?, supervisorId: String?, timer: String, dueAt: Date) {
        self.leadId = leadId
        self.repId = repId
        self.supervisorId = supervisorId
        self.timer = timer
        self.dueAt = dueAt
    }
}

/// A lead in the public pool or a team queue: nobody could take it, or its owner let it sit.
public struct LeadReturnedToPool: Codable, Sendable, Hashable {
    @LowercasedUUID public var leadId: UUID
    public var previousRepId: String?
    public var queue: String
    public var reason: String
    public var message: String
    public var at: Date

    public init(leadId: UUID, previousRepId: String?, queue: String, reason: String, message: String, at: Date) {
        self.leadId = leadId
        self.previousRepId = previousRepId
        self.queue = queue
        self.reason = reason
        self.message = message
        self.at = at
    }
}
