import CRMTestSupport
import Foundation
import PostgresNIO
import Shared
import Testing
@testable import Assignment

@Suite("Assignment routing against Postgres")
struct RoutingIntegrationTests {
    typealias H = AssignmentHarness

    static let east = Rep(id: "rep-east", name: "陈静", teamId: "east-team", supervisorId: "sup-east", regions: ["east"],
                          productLines: ["medical_devices"], industries: ["pharma_retail"], capacity: 50)
    static let north = Rep(id: "rep-north", name: "刘洋", teamId: "north-team", supervisorId: "sup-north", regions: ["north"],
                           productLines: ["medical_devices"], capacity: 50)

    @Test("a lead goes to the rep whose region, product line and industry match, with reasons and policy version")
    func routesByMatch() async throws {
        try await H.run { h in
            try await h.addReps([Self.east, Self.north])
            let lead = UUID()
            try await h.handler.handle([H.accepted(lead, region: "east")])
            #expect(try await h.owner(of: lead) == "rep-east")
            let assigned = try #require(try await h.events(.leadAssigned, as: LeadAssigned.self).first)
            #expect(assigned.payload.repId == "rep-east")
            #expect(assigned.payload.teamId == "east-team")
            #expect(assigned.payload.policyVersion == 1)
            #expect(Set(assigned.payload.reasons.map(\.factor)) == Set(RoutingFactor.allCases.map(\.rawValue)))
            #expect(abs(assigned.payload.reasons.reduce(0) { $0 + $1.contribution } - assigned.payload.totalScore) < 1e-9)
            #expect(assigned.correlationId == "sub-\(lead)")
            // First-contact reminder and breach, and the return-to-pool clock (follow-up starts at first contact).
            let kinds = try await h.client.query("SELECT kind FROM sla_timers WHERE rep_id = 'rep-east' ORDER BY due_at")
                .collect().map { try $0.decode(String.self) }
            #expect(kinds == ["first_contact_reminder", "first_contact_breach", "return_to_pool"])
        }
    }

    @Test("inactive reps and reps on leave never receive leads; nobody eligible means the pool, with a reason")
    func inactiveAndLeaveSkipped() async throws {
        try await H.run { h in
            var inactive = Self.east
            inactive.active = false
            var onLeave = Self.north
            onLeave.regions = ["east"]
            onLeave.onLeave = [LeavePeriod(start: h.clock.now.addingTimeInterval(-86_400), end: h.clock.now.addingTimeInterval(86_400))]
            try await h.addReps([inactive, onLeave])
            let lead = UUID()
            try await h.handler.handle([H.accepted(lead)])
            #expect(try await h.owner(of: lead) == nil)
            let pooled = try #require(try await h.events(.leadReturnedToPool, as: LeadReturnedToPool.self).first)
            #expect(pooled.payload.reason == "no_eligible_rep")
            #expect(try await h.count("SELECT count(*) FROM assignments WHERE status = 'queued'") == 1)
        }
    }

    @Test("a LeadAccepted delivered twice (in one batch and again later) assigns the lead once")
    func duplicateDeliveryAssignsOnce() async throws {
        try await H.run { h in
            try await h.addReps([Self.east])
            let message = H.accepted()
            try await h.handler.handle([message, message])
            try await h.handler.handle([message])
            #expect(try await h.count("SELECT count(*) FROM assignments") == 1)
            #expect(try await h.count("SELECT count(*) FROM outbox WHERE event_type = 'LeadAssigned'") == 1)
            #expect(try await h.loadIsConsistent())
        }
    }

    @Test("later leads of a batch see the earlier ones in the reps' loads: capacity holds and the load spreads")
    func batchSeesItsOwnAssignments() async throws {
        try await H.run { h in
            let small = Rep(id: "rep-a", name: "Rep A", teamId: "team", regions: ["east"], capacity: 2)
            let other = Rep(id: "rep-b", name: "Rep B", teamId: "team", regions: ["east"], capacity: 3)
            try await h.addReps([small, other])
            try await h.handler.handle((0..<6).map { _ in H.accepted() })
            #expect(try await h.count("SELECT open_leads FROM reps WHERE id = 'rep-a'") == 2)
            #expect(try await h.count("SELECT open_leads FROM reps WHERE id = 'rep-b'") == 3)
            #expect(try await h.count("SELECT count(*) FROM assignments WHERE status = 'queued'") == 1)
            #expect(try await h.loadIsConsistent())
        }
    }

    @Test("instances routing a burst at once never exceed a rep's capacity nor assign a lead twice")
    func capacityUnderConcurrency() async throws {
        try await H.run { h in
            let reps = (1...3).map { Rep(id: "rep-\($0)", name: "Rep \($0)", teamId: "team", regions: ["east"], capacity: 5) }
            try await h.addReps(reps)
            let leads = (0..<60).map { _ in H.accepted() }
            // Four instances, each with its own connection pool, each seeing every lead (as after a
            // rebalance) in tiny batches: the most overlap between their transactions.
            try await withThrowingTaskGroup(of: Void.self) { group in
                for instance in 0..<4 {
                    group.addTask {
                        try await TestInfrastructure.withClient(h.settings) { client in
                            let handler = H.handler(client: client, policies: h.policies, clock: h.clock)
                            let order = instance % 2 == 0 ? leads : leads.reversed()
                            for chunk in stride(from: 0, to: order.count, by: 2) { try await handler.handle(Array(order[chunk..<chunk + 2])) }
                        }
                    }
                }
                try await group.waitForAll()
            }
            #expect(try await h.count("SELECT count(*) FROM assignments WHERE rep_id IS NOT NULL") == 15)
            #expect(try await h.count("SELECT count(*) FROM assignments WHERE status = 'queued'") == 45)
            #expect(try await h.count("SELECT count(DISTINCT lead_id) FROM assignments") == 60)
            #expect(try await h.count("SELECT count(*) FROM assignments") == 60)
            #expect(try await h.count("SELECT max(open_leads) FROM reps") == 5)
            #expect(try await h.loadIsConsistent())
        }
    }

    @Test("routing does not wait for a rep it does not assign to (a lead of that rep closing in another transaction)")
    func routingLocksOnlyTheRepsItAssigns() async throws {
        try await H.run { h in
            try await h.addReps([Self.east, Self.north])
            try await h.limitLockWaits(seconds: 3)
            try await h.client.withConnection { other in
                // What recording an activity does to the owner's counter, left uncommitted meanwhile.
                try await other.query("BEGIN", logger: TestInfrastructure.logger)
                try await other.query("UPDATE reps SET open_leads = open_leads WHERE id = 'rep-north'", logger: TestInfrastructure.logger)
                try await TestInfrastructure.withClient(h.settings) { client in
                    let lead = UUID()
                    try await H.handler(client: client, policies: h.policies, clock: h.clock).handle([H.accepted(lead, region: "east")])
                    #expect(try await h.owner(of: lead) == "rep-east")
                }
                try await other.query("ROLLBACK", logger: TestInfrastructure.logger)
            }
        }
    }

    @Test("a manual reassignment and a rep import wait for a router in flight (the routing lock)")
    func capacityDecisionsWaitForRouting() async throws {
        try await H.run { h in
            try await h.addReps([Self.east, Self.north])
            let lead = UUID()
            try await h.handler.handle([H.accepted(lead, region: "east")])
            try await h.limitLockWaits(seconds: 2)
            try await h.client.withConnection { router in
                // A router between reading the reps and writing its assignments.
                try await router.query("BEGIN", logger: TestInfrastructure.logger)
                _ = try await AssignmentStore(logger: TestInfrastructure.logger).lockRouting(on: router)
                try await TestInfrastructure.withClient(h.settings) { client in
                    let activities = LeadActivities(client: client, routingPolicies: h.policies, outboxProducer: "assignment",
                                                    logger: TestInfrastructure.logger, now: { h.clock.now })
                    // It would take the slot the router may be giving away: it waits (here until lock_timeout).
                    let reassigned = await #expect(throws: PSQLError.self) {
                        try await activities.reassign(lead: lead, to: "rep-north", reason: nil, by: "sup-1")
                    }
                    #expect(reassigned?.serverInfo?[.sqlState] == "55P03")
                    var smaller = Self.north
                    smaller.capacity = 1
                    let imported = await #expect(throws: PSQLError.self) {
                        try await RepRepository(logger: TestInfrastructure.logger).upsert([smaller], client: client)
                    }
                    #expect(imported?.serverInfo?[.sqlState] == "55P03")
                }
                try await router.query("ROLLBACK", logger: TestInfrastructure.logger)
            }
            #expect(try await h.owner(of: lead) == "rep-east")
        }
    }

    @Test("supervisors reassigning while instances route never push a rep past its capacity")
    func reassignmentAndRoutingShareCapacity() async throws {
        try await H.run { h in
            let roomy = Rep(id: "rep-a", name: "Rep A", teamId: "team", regions: ["east"], capacity: 100)
            let small = Rep(id: "rep-b", name: "Rep B", teamId: "team", regions: ["east"], capacity: 4)
            try await h.addReps([roomy, small])
            let first = (0..<8).map { _ in H.accepted() }
            try await h.handler.handle(first)
            let onA = try await h.client.query("SELECT lead_id FROM assignments WHERE current AND rep_id = 'rep-a'")
                .collect().map { try $0.decode(UUID.self) }
            let leads = (0..<40).map { _ in H.accepted() }
            try await withThrowingTaskGroup(of: Void.self) { group in
                for instance in 0..<2 {
                    group.addTask {
                        try await TestInfrastructure.withClient(h.settings) { client in
                            let handler = H.handler(client: client, policies: h.policies, clock: h.clock)
                            let order = instance == 0 ? leads : leads.reversed()
                            for chunk in stride(from: 0, to: order.count, by: 2) { try await handler.handle(Array(order[chunk..<chunk + 2])) }
                        }
                    }
                }
                group.addTask {
                    for lead in onA {
                        do {
                            try await h.activities.reassign(lead: lead, to: "rep-b", reason: nil, by: "sup-1")
                        } catch is LeadActivities.Refusal {}  // rep-b full: refused, as it should be
                    }
                }
                try await group.waitForAll()
            }
            #expect(try await h.count("SELECT open_leads FROM reps WHERE id = 'rep-b'") <= 4)
            #expect(try await h.count("SELECT count(*) FROM assignments WHERE current") == 48)
            #expect(try await h.loadIsConsistent())
        }
    }

    @Test("routing reads a rep's profile once per version: unchanged reps come from the cache, an edited rep is read again")
    func repProfilesReadOncePerVersion() async throws {
        try await H.run { h in
            try await h.addReps([Self.east, Self.north])
            let store = AssignmentStore(logger: TestInfrastructure.logger)
            let profiles = RepProfileCache()
            let first = try await h.client.withConnection { try await store.activeReps(profiles: profiles, on: $0) }
            #expect(first.map(\.rep.regions) == [["east"], ["north"]])
            // Written behind the service's back (no new updated_at): the cached profile stands.
            var moved = Self.north
            moved.regions = ["west"]
            let profile = String(decoding: try CRMJSON.encoder().encode(moved), as: UTF8.self)
            try await h.client.query("UPDATE reps SET profile = \(profile)::jsonb, open_leads = 2 WHERE id = 'rep-north'")
            let second = try await h.client.withConnection { try await store.activeReps(profiles: profiles, on: $0) }
            #expect(second.map(\.rep.regions) == [["east"], ["north"]])
            #expect(second.map(\.openLeads) == [0, 2])
            // Edited as the service edits: a new version, read again.
            moved.regions = ["south"]
            try await RepRepository(logger: TestInfrastructure.logger).upsert([moved], client: h.client)
            let third = try await h.client.withConnection { try await store.activeReps(profiles: profiles, on: $0) }
            #expect(third.map(\.rep.regions) == [["east"], ["south"]])
            #expect(third.map(\.openLeads) == [0, 2])
        }
    }

    @Test("a routing policy change applies to the next lead without restart")
    func policyChangeWithoutRestart() async throws {
        try await H.run { h in
            try await h.addReps([Self.north])
            let first = UUID()
            try await h.handler.handle([H.accepted(first, region: "east")])
            #expect(try await h.owner(of: first) == "rep-north", "region is only preferred by default")
            var strict = RoutingPolicy.default
            strict.eligibility.region = .required
            let document = String(decoding: try strict.jsonData(), as: UTF8.self)
            #expect(RoutingPolicyStore.validate(document).isEmpty)
            #expect(try await h.policies.set(document: document, actor: "ops") == 2)
            let second = UUID()
            try await h.handler.handle([H.accepted(second, region: "east")])
            #expect(try await h.owner(of: second) == nil)
            let versions = try await h.client.query("SELECT policy_version FROM assignments ORDER BY id").collect().map { try $0.decode(Int.self) }
            #expect(versions == [1, 2])
        }
    }

    @Test("ties go round the tied reps with a cursor kept across batches; the stored reasons are the decision's")
    func roundRobinAcrossBatchesAndStoredReasons() async throws {
        try await H.run { h in
            var west = Self.east
            west.id = "rep-west"
            try await h.addReps([Self.east, west])
            // Only region counts, and both reps cover east: every lead is a tie between the two.
            let document = String(decoding: try Fixture.policy(RoutingWeights(regionMatch: 1)).jsonData(), as: UTF8.self)
            #expect(try await h.policies.set(document: document, actor: "ops") == 2)
            var owners: [String] = []
            for _ in 0..<4 {
                let lead = UUID()
                try await h.handler.handle([H.accepted(lead, region: "east")])  // one batch each: the cursor is read back
                owners.append(try #require(try await h.owner(of: lead)))
            }
            #expect(owners == ["rep-east", "rep-west", "rep-east", "rep-west"])
            #expect(try await h.count("SELECT position FROM routing_cursor WHERE scope = 'global'") == 4)

            let stored = try #require(try await h.client.query("SELECT reasons::text FROM assignments ORDER BY id DESC LIMIT 1")
                .collect().first?.decode(String.self))
            let reasons = try CRMJSON.decoder().decode(AssignmentReasons.self, from: Data(stored.utf8))
            let event = try #require(try await h.events(.leadAssigned, as: LeadAssigned.self).last)
            #expect(reasons.factors == event.payload.reasons)
            #expect(reasons.totalScore == event.payload.totalScore)
            #expect(reasons.tieBreak?.tiedRepIds == ["rep-east", "rep-west"])
            #expect(reasons.tieBreak?.cursor == 3)
        }
    }

    @Test("a policy document with mistakes is refused with their paths")
    func invalidPolicy() {
        let problems = RoutingPolicyStore.validate(#"{"weights": {"winRate": -1}, "sla": {"firstContactMinutes": 0}, "surprise": true}"#)
        let paths = Set(problems.map(\.path))
        #expect(paths.contains("weights.winRate"))
        #expect(paths.contains("sla.firstContactMinutes"))
        #expect(paths.contains("surprise"))
    }
}
