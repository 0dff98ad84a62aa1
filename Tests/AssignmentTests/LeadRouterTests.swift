import Foundation
import Testing
import Assignment

@Suite("LeadRouter")
struct RouterTests {
    func route(
        _ lead: LeadToRoute = Fixture.lead(), _ candidates: [RepCandidate],
        policy: RoutingPolicy = .default, cursor: Int = 0
    ) -> RoutingDecision {
        LeadRouter.route(lead: lead, candidates: candidates, policy: policy, now: Fixture.now, roundRobinCursor: cursor)
    }

    @Test func reasonsListEveryFactorWithRawValueWeightAndContribution() throws {
        let rep = Fixture.rep("r1", seniority: 4)
        let load = RepLoad(openLeads: 3, overdueTasks: 2, winsThisWeek: 1, recentAssignments: 2,
                           assignedInWindow: 10, convertedInWindow: 3)
        let decision = try #require(route(Fixture.lead(score: 80), [RepCandidate(rep: rep, load: load)]).assigned)

        #expect(decision.repId == "r1")
        #expect(decision.tieBreak == nil)
        #expect(decision.nextRoundRobinCursor == 0)
        #expect(decision.reasons.map(\.factor) == RoutingFactor.allCases)
        let expected: [(RoutingFactor, Double, Double)] = [
            (.regionMatch, 1, 3),
            (.productLineMatch, 1, 3),
            (.industryExperience, 1, 1),
            (.winRate, 4.0 / 15, 2),          // (3 + 1) / (10 + 1 + 4)
            (.loadIndex, 0.58, 2),            // 1 - 3/10 - 2 * 0.05 - 1 * 0.02
            (.scoreSeniorityFit, 0.95, 1),    // ideal 4.2, seniority 4
            (.fairness, 0, 2),                // the only candidate is also the busiest
        ]
        for (reason, (factor, raw, weight)) in zip(decision.reasons, expected) {
            #expect(reason.factor == factor)
            #expect(approx(reason.rawValue, raw), "\(factor) raw")
            #expect(reason.weight == weight, "\(factor) weight")
            #expect(approx(reason.contribution, raw * weight), "\(factor) contribution")
        }
        #expect(approx(decision.totalScore, 3 + 3 + 1 + 8.0 / 15 + 1.16 + 0.95))
    }

    @Test func weightsChangeTheWinner() {
        // "near" covers the region but is busy; "far" does not cover it but is idle.
        let near = RepCandidate(rep: Fixture.rep("near", regions: ["east"]), load: RepLoad(openLeads: 8))
        let far = RepCandidate(rep: Fixture.rep("far", regions: ["west"]), load: .idle)

        let coverageFirst = Fixture.policy(RoutingWeights(regionMatch: 3, loadIndex: 1))
        let decisionA = route(Fixture.lead(), [near, far], policy: coverageFirst)
        #expect(decisionA.repId == "near")
        #expect(approx(decisionA.assigned!.totalScore, 3.2))   // 3 * 1 + 1 * 0.2

        let loadFirst = Fixture.policy(RoutingWeights(regionMatch: 1, loadIndex: 3))
        let decisionB = route(Fixture.lead(), [near, far], policy: loadFirst)
        #expect(decisionB.repId == "far")
        #expect(approx(decisionB.assigned!.totalScore, 3.0))   // 1 * 0 + 3 * 1.0 beats 1 + 0.6
    }

    @Test func seniorRepGetsHighScoreLeadJuniorGetsLowScoreLead() {
        let candidates = [RepCandidate(rep: Fixture.rep("junior", seniority: 1)),
                          RepCandidate(rep: Fixture.rep("senior", seniority: 5))]
        let policy = Fixture.policy(RoutingWeights(scoreSeniorityFit: 1))
        #expect(route(Fixture.lead(score: 95), candidates, policy: policy).repId == "senior")
        #expect(route(Fixture.lead(score: 10), candidates, policy: policy).repId == "junior")
    }

    @Test func fairnessPrefersRepWithFewerRecentAssignments() throws {
        let candidates = [RepCandidate(rep: Fixture.rep("busy"), load: RepLoad(recentAssignments: 6)),
                          RepCandidate(rep: Fixture.rep("quiet"), load: RepLoad(recentAssignments: 2))]
        let decision = try #require(route(Fixture.lead(), candidates, policy: Fixture.policy(RoutingWeights(fairness: 1))).assigned)
        #expect(decision.repId == "quiet")
        #expect(approx(decision.totalScore, 1 - 2.0 / 6))
    }

    @Test func winRatePriorStopsLuckyNewRepFromOutrankingVeteran() {
        let newRep = RepCandidate(rep: Fixture.rep("new"), load: RepLoad(assignedInWindow: 1, convertedInWindow: 1))
        let veteran = RepCandidate(rep: Fixture.rep("vet"), load: RepLoad(assignedInWindow: 100, convertedInWindow: 40))
        // Prior 1/4: new = 2/6 = 0.333, veteran = 41/105 = 0.390.
        let policy = Fixture.policy(RoutingWeights(winRate: 1))
        #expect(route(Fixture.lead(), [newRep, veteran], policy: policy).repId == "vet")
    }

    @Test func ignoredDimensionWeighsZeroInReasons() throws {
        var policy = Fixture.policy(RoutingWeights(regionMatch: 5, loadIndex: 1))
        policy.eligibility.region = .ignored
        let candidates = [RepCandidate(rep: Fixture.rep("in-region", regions: ["east"]), load: RepLoad(openLeads: 5)),
                          RepCandidate(rep: Fixture.rep("elsewhere", regions: ["west"]))]
        let decision = try #require(route(Fixture.lead(), candidates, policy: policy).assigned)
        #expect(decision.repId == "elsewhere")
        let region = try #require(decision.reasons.first { $0.factor == .regionMatch })
        #expect(region.rawValue == 0)
        #expect(region.weight == 0)
        #expect(region.contribution == 0)
    }

    @Test func tiesRotateRoundRobinOverRepsOrderedById() throws {
        let candidates = ["rep-c", "rep-a", "rep-b"].map { RepCandidate(rep: Fixture.rep($0)) }
        let policy = Fixture.policy(RoutingWeights(regionMatch: 1))
        var cursor = 0
        var winners: [String] = []
        for _ in 0..<4 {
            let decision = try #require(route(Fixture.lead(), candidates, policy: policy, cursor: cursor).assigned)
            #expect(decision.tieBreak?.tiedRepIds == ["rep-a", "rep-b", "rep-c"])
            #expect(decision.tieBreak?.cursor == cursor)
            winners.append(decision.repId)
            cursor = decision.nextRoundRobinCursor
        }
        #expect(winners == ["rep-a", "rep-b", "rep-c", "rep-a"])
        #expect(cursor == 4)
    }

    @Test func tieBreakIgnoresRepsBelowTheBestAndHandlesOddCursors() throws {
        let candidates = [RepCandidate(rep: Fixture.rep("b")), RepCandidate(rep: Fixture.rep("a")),
                          RepCandidate(rep: Fixture.rep("z", regions: ["west"]))]
        let policy = Fixture.policy(RoutingWeights(regionMatch: 1))
        let negative = try #require(route(Fixture.lead(), candidates, policy: policy, cursor: -1).assigned)
        #expect(negative.tieBreak == TieBreak(tiedRepIds: ["a", "b"], cursor: -1, chosenIndex: 1))
        #expect(negative.repId == "b")
        #expect(negative.nextRoundRobinCursor == 0)
        let wrapped = try #require(route(Fixture.lead(), candidates, policy: policy, cursor: Int.max).assigned)
        #expect(wrapped.repId == "b")            // Int.max is odd
        #expect(wrapped.nextRoundRobinCursor == 0)
    }

    @Test func totalsWithinToleranceTie() throws {
        // a: load 1 - 0.7 = 0.30000000000000004, fairness 0 (busiest).
        // b: load 1 - 0.8 = 0.19999999999999996, plus 0.1 * fairness 1: equal to a only up to rounding.
        var policy = Fixture.policy(RoutingWeights(loadIndex: 1, fairness: 0.1))
        policy.loadIndex = LoadIndexSettings(overdueTaskPenalty: 0, weeklyWinPenalty: 0)
        let candidates = [
            RepCandidate(rep: Fixture.rep("a"), load: RepLoad(openLeads: 7, recentAssignments: 4)),
            RepCandidate(rep: Fixture.rep("b"), load: RepLoad(openLeads: 8, recentAssignments: 0)),
        ]
        let decision = try #require(route(Fixture.lead(), candidates, policy: policy, cursor: 1).assigned)
        #expect(decision.tieBreak?.tiedRepIds == ["a", "b"])
        #expect(decision.repId == "b")
        #expect(decision.nextRoundRobinCursor == 2)
    }

    @Test func previousOwnerIsAvoidedWhenOthersAreEligible() {
        let candidates = [RepCandidate(rep: Fixture.rep("owner", seniority: 5)),
                          RepCandidate(rep: Fixture.rep("other", seniority: 1))]
        let lead = Fixture.lead(score: 100, previousOwners: ["owner"])
        #expect(route(lead, candidates).repId == "other")
    }

    @Test func onlyPreviousOwnersEligibleSendsLeadToPool() throws {
        let candidates = [RepCandidate(rep: Fixture.rep("owner")),
                          RepCandidate(rep: Fixture.rep("away", active: false))]
        let lead = Fixture.lead(previousOwners: ["owner"])
        let result = try #require(route(lead, candidates).unassignable)
        #expect(result.queue == "public_pool")
        #expect(result.reason.code == .onlyPreviousOwners)
        #expect(result.reason.message == "Only previous owners (owner) are eligible; the lead goes to the pool for someone new.")
        #expect(result.rejectedCandidates == [RejectedCandidate(repId: "away", reasons: [.inactive]),
                                              RejectedCandidate(repId: "owner", reasons: [.previousOwner])])
    }

    @Test func noCandidatesIsUnassignableNotAnError() throws {
        let result = try #require(route(Fixture.lead(), [], policy: Fixture.policy(.init(regionMatch: 1), fallbackQueue: "east_queue")).unassignable)
        #expect(result.queue == "east_queue")
        #expect(result.reason.code == .noCandidates)
        #expect(result.rejectedCandidates.isEmpty)
    }

    @Test func noEligibleRepSummarisesRejections() throws {
        let leave = LeavePeriod(start: Fixture.date("2026-11-20T00:00:00Z"), end: Fixture.date("2026-11-30T00:00:00Z"))
        let candidates = [
            RepCandidate(rep: Fixture.rep("c", active: false)),
            RepCandidate(rep: Fixture.rep("a", capacity: 2), load: RepLoad(openLeads: 2)),
            RepCandidate(rep: Fixture.rep("b", onLeave: [leave], capacity: 2), load: RepLoad(openLeads: 3)),
        ]
        let result = try #require(route(Fixture.lead(), candidates).unassignable)
        #expect(result.reason.code == .noEligibleRep)
        #expect(result.reason.message == "None of 3 reps is eligible: 1 inactive, 1 on leave, 2 at capacity.")
        #expect(result.rejectedCandidates.map(\.repId) == ["a", "b", "c"])
        #expect(result.rejectionCounts == [.inactive: 1, .onLeave: 1, .atCapacity: 2])
    }

    @Test func requiredRegionWithNoMatchingRepGoesToQueue() throws {
        var policy = RoutingPolicy.default
        policy.eligibility.region = .required
        let candidates = [RepCandidate(rep: Fixture.rep("w", regions: ["west"]))]
        let result = try #require(route(Fixture.lead(region: "east"), candidates, policy: policy).unassignable)
        #expect(result.reason.message == "None of 1 rep is eligible: 1 region mismatch.")
        // Preferred instead: the same rep gets the lead without the region points.
        policy.eligibility.region = .preferred
        #expect(route(Fixture.lead(region: "east"), candidates, policy: policy).repId == "w")
    }

    @Test func capacityIsNeverExceededEvenForTheBestMatch() {
        let best = RepCandidate(rep: Fixture.rep("best", capacity: 3, seniority: 5), load: RepLoad(openLeads: 3))
        let other = RepCandidate(rep: Fixture.rep("other", regions: ["west"], seniority: 1), load: RepLoad(openLeads: 9))
        #expect(route(Fixture.lead(score: 100), [best, other]).repId == "other")
    }
}
