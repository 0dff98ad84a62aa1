import Foundation
import Shared

/// Every write one batch of valid submissions causes, decided before anything is written.
struct IntakePlan: Sendable {
    /// A submission attached to its lead (a touch).
    struct Touch: Sendable, Equatable {
        enum Outcome: String, Sendable { case accepted, merged }
        var submissionId: String
        var leadId: UUID
        var source: String
        var receivedAt: Date
        var outcome: Outcome
        var matchedOn: [String]
        /// The submission as received (JSON text).
        var raw: String
    }

    struct IdentityRow: Sendable, Equatable {
        var identity: LeadIdentity
        var leadId: UUID
    }

    /// Two leads the identities say are one person: one identity points at each. Not merged
    /// automatically (that would rewrite history); flagged for review.
    struct IdentityConflict: Sendable, Equatable {
        var leadId: UUID
        var otherLeadId: UUID
    }

    var newLeads: [LeadRecord] = []
    /// Existing leads whose missing fields a submission filled. Never a lead of `newLeads`: a merge
    /// into one of those fills its row there (LeadRepository writes both in one statement).
    var completedLeads: [LeadRecord] = []
    var identities: [IdentityRow] = []
    var touches: [Touch] = []
    var conflicts: [IdentityConflict] = []
    var accepted: [LeadAccepted] = []
    var merged: [LeadMerged] = []
}
