import Testing
import Assignment

@Suite("Routing factors")
struct FactorScorerTests {
    @Test func regionMatchIsOneOnlyForCoveredRegionCaseInsensitively() {
        let rep = Fixture.rep("r1", regions: ["East", "north"])
        #expect(FactorScorer.regionMatch(rep: rep, lead: Fixture.lead(region: "east")) == 1)
        #expect(FactorScorer.regionMatch(rep: rep, lead: Fixture.lead(region: "south")) == 0)
        #expect(FactorScorer.regionMatch(rep: rep, lead: Fixture.lead(region: nil)) == 0)
    }

    @Test func productLineMatch() {
        let rep = Fixture.rep("r1", productLines: ["medical_devices", "consumables"])
        #expect(FactorScorer.productLineMatch(rep: rep, lead: Fixture.lead(productLine: "consumables")) == 1)
        #expect(FactorScorer.productLineMatch(rep: rep, lead: Fixture.lead(productLine: "software")) == 0)
        #expect(FactorScorer.productLineMatch(rep: rep, lead: Fixture.lead(productLine: nil)) == 0)
    }

    @Test func industryExperience() {
        let rep = Fixture.rep("r1", industries: ["pharma_retail"])
        #expect(FactorScorer.industryExperience(rep: rep, lead: Fixture.lead(industry: "PHARMA_RETAIL")) == 1)
        #expect(FactorScorer.industryExperience(rep: rep, lead: Fixture.lead(industry: "manufacturing")) == 0)
    }

    @Test func winRateUsesBetaPriorForNewAndExperiencedReps() {
        let prior = WinRatePrior(alpha: 1, beta: 4)
        // New rep: the prior alone, 1 / 5.
        #expect(approx(FactorScorer.winRate(load: .idle, prior: prior), 0.2))
        // 1 win out of 1 lead is not a 100% rep: (1 + 1) / (1 + 5).
        #expect(approx(FactorScorer.winRate(load: RepLoad(assignedInWindow: 1, convertedInWindow: 1), prior: prior), 2.0 / 6))
        // 40 of 100: (40 + 1) / (100 + 5).
        #expect(approx(FactorScorer.winRate(load: RepLoad(assignedInWindow: 100, convertedInWindow: 40), prior: prior), 41.0 / 105))
        // More conversions than assignments (late events) are capped: (3 + 1) / (3 + 5).
        #expect(approx(FactorScorer.winRate(load: RepLoad(assignedInWindow: 3, convertedInWindow: 7), prior: prior), 0.5))
    }

    @Test func priorRateAndWeightConvertToAlphaBeta() {
        let prior = WinRatePrior(priorRate: 0.25, priorWeight: 8, windowDays: 60)
        #expect(prior.alpha == 2)
        #expect(prior.beta == 6)
        #expect(prior.windowDays == 60)
        #expect(approx(prior.rate(assigned: 0, converted: 0), 0.25))
    }

    @Test func loadIndexFromOpenLeadsOverdueTasksAndWins() {
        let rep = Fixture.rep("r1", capacity: 10)
        let settings = LoadIndexSettings(overdueTaskPenalty: 0.05, weeklyWinPenalty: 0.02)
        #expect(FactorScorer.loadIndex(rep: rep, load: .idle, settings: settings) == 1)
        #expect(approx(FactorScorer.loadIndex(rep: rep, load: RepLoad(openLeads: 4), settings: settings), 0.6))
        // 1 - 0.4 - 2 * 0.05 - 3 * 0.02 = 0.44
        #expect(approx(FactorScorer.loadIndex(
            rep: rep, load: RepLoad(openLeads: 4, overdueTasks: 2, winsThisWeek: 3), settings: settings), 0.44))
        // Penalties cannot push it below 0.
        #expect(FactorScorer.loadIndex(rep: rep, load: RepLoad(openLeads: 9, overdueTasks: 10), settings: settings) == 0)
        #expect(FactorScorer.loadIndex(rep: Fixture.rep("r0", capacity: 0), load: .idle, settings: settings) == 0)
    }

    @Test func scoreSeniorityFitFavoursSeniorRepsForHighScores() {
        #expect(FactorScorer.scoreSeniorityFit(score: 100, seniority: 5) == 1)
        #expect(FactorScorer.scoreSeniorityFit(score: 100, seniority: 1) == 0)
        #expect(FactorScorer.scoreSeniorityFit(score: 0, seniority: 1) == 1)
        #expect(FactorScorer.scoreSeniorityFit(score: 50, seniority: 3) == 1)
        // Ideal seniority for 75 is 4; a level-2 rep is two levels away.
        #expect(FactorScorer.scoreSeniorityFit(score: 75, seniority: 2) == 0.5)
        // Out-of-range inputs are clamped (score 150 -> 100, seniority 9 -> 5).
        #expect(FactorScorer.scoreSeniorityFit(score: 150, seniority: 9) == 1)
    }

    @Test func fairnessIsRelativeToBusiestEligibleRep() {
        #expect(FactorScorer.fairness(recentAssignments: 0, maxRecentAssignments: 0) == 1)
        #expect(FactorScorer.fairness(recentAssignments: 0, maxRecentAssignments: 8) == 1)
        #expect(FactorScorer.fairness(recentAssignments: 2, maxRecentAssignments: 8) == 0.75)
        #expect(FactorScorer.fairness(recentAssignments: 8, maxRecentAssignments: 8) == 0)
    }
}
