import Foundation

/// What happened to a lead, as far as its SLA timers care.
public enum LeadLifecycleEvent: Sendable, Equatable, Hashable {
    /// Routed to a rep (LeadAssigned), including re-routing after a pool return.
    case assigned(at: Date)
    /// Moved to another rep by a supervisor (LeadReassigned): the new owner gets fresh deadlines.
    case reassigned(at: Date)
    /// A rep activity (`POST /v1/leads/{id}/activities`) other than converted/lost.
    case activity(LeadActivity, at: Date)
    case converted(at: Date)
    case lost(at: Date)
    /// The returnToPool timer fired (LeadReturnedToPool): nobody owns the lead until it is routed again.
    case returnedToPool(at: Date)
}
