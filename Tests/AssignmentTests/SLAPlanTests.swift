import Foundation
import Testing
import Assignment

@Suite("SLA plans")
struct SLAPlanTests {
    let at = Fixture.date("2026-11-23T02:00:00Z")

    @Test func assignmentSchedulesReminderBreachAndPoolReturn() {
        let plan = SLAPlan.after(.assigned(at: at), policy: .default)
        #expect(plan.schedule == [
            SLATimer(kind: .firstContactReminder, dueAt: Fixture.date("2026-11-23T03:30:00Z")),
            SLATimer(kind: .firstContactBreach, dueAt: Fixture.date("2026-11-23T04:00:00Z")),
            SLATimer(kind: .returnToPool, dueAt: Fixture.date("2026-12-23T02:00:00Z")),
        ])
        #expect(plan.cancel == SLATimer.Kind.allCases)
    }

    @Test func reassignmentRestartsClocksForTheNewOwner() {
        let sla = SLASettings(firstContactMinutes: 45, reminderMinutesBeforeBreach: 0, followUpDays: 2, returnToPoolDays: 10)
        let plan = SLAPlan.after(.reassigned(at: at), sla: sla)
        // No reminder when reminderMinutesBeforeBreach is 0; the old follow-up timer is cancelled.
        #expect(plan.schedule == [
            SLATimer(kind: .firstContactBreach, dueAt: Fixture.date("2026-11-23T02:45:00Z")),
            SLATimer(kind: .returnToPool, dueAt: Fixture.date("2026-12-03T02:00:00Z")),
        ])
        #expect(plan.cancel.contains(.followUpEscalation))
        #expect(plan.cancel.contains(.firstContactReminder))
    }

    @Test func contactStopsFirstContactTimersAndStartsFollowUp() {
        let contactedAt = Fixture.date("2026-11-23T03:10:00Z")
        let plan = SLAPlan.after(.activity(.contacted, at: contactedAt), policy: .default)
        #expect(plan.schedule == [
            SLATimer(kind: .followUpEscalation, dueAt: Fixture.date("2026-11-26T03:10:00Z")),
            SLATimer(kind: .returnToPool, dueAt: Fixture.date("2026-12-23T03:10:00Z")),
        ])
        #expect(plan.cancel == [.firstContactReminder, .firstContactBreach, .followUpEscalation, .returnToPool])
    }

    @Test func everyActivityResetsFollowUpAndInactivity() {
        let later = Fixture.date("2026-11-25T09:00:00Z")
        for activity in LeadActivity.allCases {
            let plan = SLAPlan.after(.activity(activity, at: later), policy: .default)
            #expect(plan.schedule.map(\.dueAt) == [Fixture.date("2026-11-28T09:00:00Z"), Fixture.date("2026-12-25T09:00:00Z")])
        }
    }

    @Test func outcomesAndPoolReturnCancelEverything() {
        for event: LeadLifecycleEvent in [.converted(at: at), .lost(at: at), .returnedToPool(at: at)] {
            let plan = SLAPlan.after(event, policy: .default)
            #expect(plan.schedule.isEmpty)
            #expect(plan.cancel == [.firstContactReminder, .firstContactBreach, .followUpEscalation, .returnToPool])
        }
    }

    @Test func timerKindsHaveStableStorageCodes() {
        #expect(SLATimer.Kind.allCases.map(\.rawValue)
                == ["first_contact_reminder", "first_contact_breach", "follow_up_escalation", "return_to_pool"])
        #expect(LeadActivity.followUp.rawValue == "follow_up")
    }
}
