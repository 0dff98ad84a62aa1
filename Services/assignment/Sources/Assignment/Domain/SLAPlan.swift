import Foundation

/// What to do with a lead's timers after an event: delete every pending timer whose kind is in
/// `cancel`, then insert `schedule`. `cancel` also lists kinds that are being rescheduled, so
/// applying a plan is one DELETE and one INSERT, and applying it twice (a duplicate event) is harmless.
public struct SLAPlan: Sendable, Equatable, Hashable {
    public var schedule: [SLATimer]
    public var cancel: [SLATimer.Kind]

    public init(schedule: [SLATimer] = [], cancel: [SLATimer.Kind] = []) {
        self.schedule = schedule
        self.cancel = cancel
    }

    private static let day: TimeInterval = 24 * 60 * 60

    /// The timer plan for `event` under the policy's SLA settings.
    ///
    /// - assigned / reassigned: the owner starts over: first-contact reminder (if configured) and breach
    ///   at +firstContactMinutes, and the inactivity clock at +returnToPoolDays; any follow-up timer of
    ///   a previous owner is dropped.
    /// - any activity (contacted, follow-up, meeting): the lead has been touched, so first-contact
    ///   timers stop; the follow-up escalation restarts at +followUpDays and the inactivity clock at
    ///   +returnToPoolDays.
    /// - converted, lost, returned to pool: nothing is owed any more; every timer is cancelled.
    ///
    /// Days are 24-hour periods: deadlines are instants, independent of anyone's time zone.
    public static func after(_ event: LeadLifecycleEvent, sla: SLASettings) -> SLAPlan {
        switch event {
        case .assigned(let at), .reassigned(let at):
            let breach = at.addingTimeInterval(TimeInterval(sla.firstContactMinutes) * 60)
            var timers: [SLATimer] = []
            if sla.reminderMinutesBeforeBreach > 0 {
                let reminder = breach.addingTimeInterval(-TimeInterval(sla.reminderMinutesBeforeBreach) * 60)
                timers.append(SLATimer(kind: .firstContactReminder, dueAt: reminder))
            }
            timers.append(SLATimer(kind: .firstContactBreach, dueAt: breach))
            timers.append(SLATimer(kind: .returnToPool, dueAt: at.addingTimeInterval(Double(sla.returnToPoolDays) * day)))
            return SLAPlan(schedule: timers, cancel: SLATimer.Kind.allCases)

        case .activity(_, let at):
            return SLAPlan(
                schedule: [
                    SLATimer(kind: .followUpEscalation, dueAt: at.addingTimeInterval(Double(sla.followUpDays) * day)),
                    SLATimer(kind: .returnToPool, dueAt: at.addingTimeInterval(Double(sla.returnToPoolDays) * day)),
                ],
                cancel: SLATimer.Kind.allCases)

        case .converted, .lost, .returnedToPool:
            return SLAPlan(schedule: [], cancel: SLATimer.Kind.allCases)
        }
    }

    public static func after(_ event: LeadLifecycleEvent, policy: RoutingPolicy) -> SLAPlan {
        after(event, sla: policy.sla)
    }
}
