import CRMTestSupport
import Foundation
import PostgresNIO
import Shared
import Testing
@testable import Assignment

@Suite("SLA timers, activities and the pool against Postgres")
struct SLAIntegrationTests {
    typealias H = AssignmentHarness
    static let reps = [
        Rep(id: "rep-a", name: "A", teamId: "t", supervisorId: "sup-1", regions: ["east"], capacity: 100),
        Rep(id: "rep-b", name: "B", teamId: "t", supervisorId: "sup-1", regions: ["east"], capacity: 100),
    ]

    @Test("due timers fire exactly once across two scheduler instances and after a restart")
    func timersFireOnce() async throws {
        try await H.run { h in
            try await h.addReps(Self.reps)
            try await h.handler.handle((0..<30).map { _ in H.accepted() })
            h.clock.advance(by: 2 * 3600 + 60)  // past the 2 h first-contact SLA
            try await TestInfrastructure.withClient(h.settings) { otherClient in
                let other = SLAScheduler(client: otherClient, routingPolicies: h.policies, outboxProducer: "assignment",
                                         logger: TestInfrastructure.logger, batchSize: 7, now: { h.clock.now })
                async let a: Void = { while try await h.scheduler.fireDue() > 0 {} }()
                async let b: Void = { while try await other.fireDue() > 0 {} }()
                _ = try await (a, b)
            }
            #expect(try await h.count("SELECT count(*) FROM outbox WHERE event_type = 'LeadReminderDue'") == 30)
            #expect(try await h.count("SELECT count(*) FROM outbox WHERE event_type = 'LeadEscalated'") == 30)
            // A restarted scheduler (a new instance) finds nothing left to fire at the same time.
            let restarted = SLAScheduler(client: h.client, routingPolicies: h.policies, outboxProducer: "assignment",
                                         logger: TestInfrastructure.logger, now: { h.clock.now })
            #expect(try await restarted.fireDue() == 0)
            let escalation = try #require(try await h.events(.leadEscalated, as: LeadSLAEvent.self).first)
            #expect(escalation.payload.supervisorId == "sup-1")
            #expect(escalation.payload.timer == "first_contact_breach")
        }
    }

    @Test("contact stops the first-contact timers; silence for days escalates; 30 days returns the lead and re-routes it to someone else")
    func lifecycle() async throws {
        try await H.run { h in
            try await h.addReps(Self.reps)
            let lead = UUID()
            try await h.handler.handle([H.accepted(lead)])
            let owner = try #require(try await h.owner(of: lead))
            h.clock.advance(by: 30 * 60)
            try await h.activities.record(.contacted, lead: lead, notes: "called, interested", by: owner)
            #expect(try await h.count("SELECT count(*) FROM outbox WHERE event_type = 'LeadContacted'") == 1)

            h.clock.advance(by: 3 * 3600)
            #expect(try await h.scheduler.fireDue() == 0, "first-contact timers were cancelled by the contact")

            h.clock.advance(by: 3 * 86_400)
            #expect(try await h.scheduler.fireDue() == 1)
            let escalation = try #require(try await h.events(.leadEscalated, as: LeadSLAEvent.self).last)
            #expect(escalation.payload.timer == "follow_up_escalation")

            h.clock.advance(by: 27 * 86_400)
            #expect(try await h.scheduler.fireDue() == 1)
            let returned = try #require(try await h.events(.leadReturnedToPool, as: LeadReturnedToPool.self).first)
            #expect(returned.payload.previousRepId == owner)
            #expect(returned.payload.reason == "no_activity")
            let reassigned = try #require(try await h.events(.leadAssigned, as: LeadAssigned.self).last)
            #expect(reassigned.payload.previousRepId == owner)
            #expect(reassigned.payload.repId != owner)
            #expect(try await h.owner(of: lead) == reassigned.payload.repId)
            #expect(try await h.loadIsConsistent())
        }
    }

    @Test("timer plans of one batch cancel only their own kinds of their own leads")
    func timerPlansCancelTheirKinds() async throws {
        try await H.run { h in
            try await h.addReps(Self.reps)
            let (a, b, c) = (UUID(), UUID(), UUID())
            try await h.handler.handle([H.accepted(a), H.accepted(b), H.accepted(c)])
            let store = AssignmentStore(logger: TestInfrastructure.logger)
            let at = h.clock.now
            try await h.client.unitOfWork(logger: TestInfrastructure.logger) { connection in
                try await store.apply(AssignmentChanges(timerPlans: [
                    (a, nil, SLAPlan(cancel: [.firstContactReminder, .firstContactBreach])),
                    (b, nil, SLAPlan(cancel: [.returnToPool])),
                    (b, nil, SLAPlan(schedule: [SLATimer(kind: .followUpEscalation, dueAt: at)], cancel: [.returnToPool])),
                ]), now: at, on: connection)
            }
            func pending(_ lead: UUID) async throws -> [String] {
                try await h.client.query("""
                    SELECT kind FROM sla_timers WHERE lead_id = \(lead) AND fired_at IS NULL AND cancelled_at IS NULL ORDER BY kind
                    """).collect().map { try $0.decode(String.self) }
            }
            #expect(try await pending(a) == ["return_to_pool"])
            #expect(try await pending(b) == ["first_contact_breach", "first_contact_reminder", "follow_up_escalation"])
            #expect(try await pending(c) == ["first_contact_breach", "first_contact_reminder", "return_to_pool"])
        }
    }

    @Test("conversion closes the lead: load freed, timers cancelled, LeadConverted emitted; later activities are refused")
    func conversion() async throws {
        try await H.run { h in
            try await h.addReps([Self.reps[0]])
            let lead = UUID()
            try await h.handler.handle([H.accepted(lead)])
            try await h.activities.record(.converted, lead: lead, notes: "signed", by: "rep-a")
            #expect(try await h.count("SELECT open_leads FROM reps WHERE id = 'rep-a'") == 0)
            #expect(try await h.count("SELECT count(*) FROM sla_timers WHERE fired_at IS NULL AND cancelled_at IS NULL") == 0)
            let converted = try #require(try await h.events(.leadConverted, as: LeadActivityRecorded.self).first)
            #expect(converted.payload.repId == "rep-a" && converted.payload.notes == "signed")
            await #expect(throws: LeadActivities.Refusal.noOpenAssignment(lead)) {
                try await h.activities.record(.contacted, lead: lead, notes: nil, by: "rep-a")
            }
            // The conversion counts for the win-rate factor.
            #expect(try await h.count("SELECT count(*) FROM assignments WHERE status = 'converted' AND rep_id = 'rep-a'") == 1)
        }
    }

    @Test("a supervisor reassigns within the new rep's capacity; at capacity it is refused")
    func reassignment() async throws {
        try await H.run { h in
            var small = Self.reps[1]
            small.capacity = 1
            var only = Self.reps[0]
            only.regions = ["east"]
            try await h.addReps([only, small])
            let first = UUID()
            let second = UUID()
            try await h.handler.handle([H.accepted(first), H.accepted(second)])
            let fromA = try await h.owner(of: first) == "rep-a" ? first : second
            let other = fromA == first ? second : first
            if try await h.owner(of: other) == "rep-b" {
                await #expect(throws: LeadActivities.Refusal.repAtCapacity("rep-b", capacity: 1)) {
                    try await h.activities.reassign(lead: fromA, to: "rep-b", reason: nil, by: "sup-1")
                }
                try await h.activities.record(.lost, lead: other, notes: nil, by: "rep-b")
            }
            try await h.activities.reassign(lead: fromA, to: "rep-b", reason: "speaks Cantonese", by: "sup-1")
            #expect(try await h.owner(of: fromA) == "rep-b")
            let event = try #require(try await h.events(.leadReassigned, as: LeadReassigned.self).last)
            #expect(event.payload.fromRepId == "rep-a" && event.payload.toRepId == "rep-b" && event.payload.by == "sup-1")
            let reasons = try await h.client.query("SELECT reasons::text FROM assignments WHERE lead_id = \(fromA) AND current")
                .collect().first?.decode(String.self)
            #expect(reasons == #"{"manual": {"by": "sup-1", "reason": "speaks Cantonese"}}"#)
            #expect(try await h.loadIsConsistent())
        }
    }
}
