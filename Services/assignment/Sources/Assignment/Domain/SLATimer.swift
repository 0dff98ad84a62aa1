import Foundation

/// A durable timer for one lead: stored in Postgres as (leadId, kind, dueAt), fired once by the scheduler.
///
/// A lead holds at most one pending timer per kind, so scheduling a kind replaces the pending one.
public struct SLATimer: Codable, Sendable, Equatable, Hashable {
    public enum Kind: String, Codable, Sendable, CaseIterable {
        /// Nudge the rep shortly before the first-contact deadline.
        case firstContactReminder = "first_contact_reminder"
        /// First contact missed: LeadEscalated to the supervisor.
        case firstContactBreach = "first_contact_breach"
        /// No follow-up for `followUpDays` after the last contact: LeadEscalated to the supervisor.
        case followUpEscalation = "follow_up_escalation"
        /// No activity for `returnToPoolDays`: LeadReturnedToPool, then re-routing away from the owner.
        case returnToPool = "return_to_pool"
    }

    public var kind: Kind
    public var dueAt: Date

    public init(kind: Kind, dueAt: Date) {
        self.kind = kind
        self.dueAt = dueAt
    }
}
