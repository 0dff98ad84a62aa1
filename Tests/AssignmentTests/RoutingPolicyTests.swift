import Shared
import Foundation
import Testing
import Assignment

@Suite("Routing policy document")
struct RoutingPolicyTests {
    /// The issues `json` is rejected with; empty when it parses.
    func issues(_ json: String) -> [RuleProblem] {
        do {
            _ = try RoutingPolicy.parse(json: json)
            return []
        } catch {
            return error.issues
        }
    }

    func paths(_ json: String) -> [String] { issues(json).map(\.path) }

    @Test func defaultPolicyValues() {
        let policy = RoutingPolicy.default
        #expect(policy.sla == SLASettings(firstContactMinutes: 120, reminderMinutesBeforeBreach: 30,
                                          followUpDays: 3, returnToPoolDays: 30))
        #expect(policy.fallbackQueue == "public_pool")
        #expect(policy.winRate == WinRatePrior(alpha: 1, beta: 4, windowDays: 90))
        #expect(policy.eligibility == EligibilityFilter(region: .preferred, productLine: .preferred,
                                                        industry: .preferred, language: .ignored,
                                                        respectWorkingHours: true))
        #expect(policy.weights[.regionMatch] == 3)
        #expect(policy.weights[.fairness] == 2)
    }

    @Test func emptyDocumentIsTheDefaultPolicy() throws {
        #expect(try RoutingPolicy.parse(json: "{}") == .default)
    }

    @Test func fullDocumentParses() throws {
        let policy = try RoutingPolicy.parse(json: """
        {
          "eligibility": {"region": "required", "productLine": "preferred", "industry": "ignored",
                          "language": "required", "respectWorkingHours": false},
          "weights": {"regionMatch": 0, "productLineMatch": 2.5, "industryExperience": 1, "winRate": 1.5,
                      "loadIndex": 2, "scoreSeniorityFit": 0.5, "fairness": 3},
          "winRate": {"priorRate": 0.3, "priorWeight": 10, "windowDays": 60},
          "loadIndex": {"overdueTaskPenalty": 0.1, "weeklyWinPenalty": 0},
          "fairness": {"windowDays": 14},
          "sla": {"firstContactMinutes": 60, "reminderMinutesBeforeBreach": 15, "followUpDays": 2,
                  "returnToPoolDays": 21},
          "fallbackQueue": "east_pool"
        }
        """)
        #expect(policy.eligibility == EligibilityFilter(region: .required, productLine: .preferred,
                                                        industry: .ignored, language: .required,
                                                        respectWorkingHours: false))
        #expect(policy.weights == RoutingWeights(regionMatch: 0, productLineMatch: 2.5, industryExperience: 1,
                                                 winRate: 1.5, loadIndex: 2, scoreSeniorityFit: 0.5, fairness: 3))
        #expect(approx(policy.winRate.alpha, 3))
        #expect(approx(policy.winRate.beta, 7))
        #expect(policy.winRate.windowDays == 60)
        #expect(policy.loadIndex == LoadIndexSettings(overdueTaskPenalty: 0.1, weeklyWinPenalty: 0))
        #expect(policy.fairness.windowDays == 14)
        #expect(policy.sla == SLASettings(firstContactMinutes: 60, reminderMinutesBeforeBreach: 15,
                                          followUpDays: 2, returnToPoolDays: 21))
        #expect(policy.fallbackQueue == "east_pool")
        #expect(policy.effectiveWeight(.industryExperience) == 0)
        #expect(policy.effectiveWeight(.productLineMatch) == 2.5)
    }

    @Test func omittedSLAKeysTakeDefaultsAndShortSLAGetsHalfwayReminder() throws {
        let policy = try RoutingPolicy.parse(json: #"{"sla": {"firstContactMinutes": 40}}"#)
        #expect(policy.sla == SLASettings(firstContactMinutes: 40, reminderMinutesBeforeBreach: 20,
                                          followUpDays: 3, returnToPoolDays: 30))
    }

    @Test func encodedPolicyRoundTripsThroughStrictParser() throws {
        var policy = RoutingPolicy.default
        policy.eligibility.region = .required
        policy.weights.winRate = 4.25
        policy.winRate = WinRatePrior(priorRate: 0.25, priorWeight: 8, windowDays: 30)
        let data = try policy.jsonData()
        #expect(try RoutingPolicy.parse(data: data) == policy)
        // Codable goes through the same validator.
        #expect(try JSONDecoder().decode(RoutingPolicy.self, from: data) == policy)
    }

    @Test func jsonDecoderRejectsInvalidDocumentsToo() {
        #expect(throws: PolicyValidationError.self) {
            try JSONDecoder().decode(RoutingPolicy.self, from: Data(#"{"fallbackQueue": ""}"#.utf8))
        }
    }

    @Test func unknownKeysAreNamedByPath() {
        let found = issues(#"{"weight": {}, "sla": {"firstContactMinutes": 60, "followupDays": 3}}"#)
        #expect(found.map(\.path) == ["weight", "sla.followupDays"])
        #expect(found[1].problem == "unknown key (allowed: firstContactMinutes, reminderMinutesBeforeBreach, followUpDays, returnToPoolDays)")
    }

    @Test func negativeWeightNamesTheWeight() {
        let found = issues("""
        {"weights": {"regionMatch": 1, "productLineMatch": 1, "industryExperience": 1, "winRate": -0.5,
                     "loadIndex": 1, "scoreSeniorityFit": 1, "fairness": 1}}
        """)
        #expect(found == [.init(path: "weights.winRate", problem: "must not be negative (got -0.5)")])
    }

    @Test func allZeroWeightsAreRejected() {
        let found = issues("""
        {"weights": {"regionMatch": 0, "productLineMatch": 0, "industryExperience": 0, "winRate": 0,
                     "loadIndex": 0, "scoreSeniorityFit": 0, "fairness": 0}}
        """)
        #expect(found == [.init(path: "weights", problem: "at least one weight must be greater than 0")])
    }

    @Test func partialWeightTableListsEveryMissingFactor() {
        #expect(paths(#"{"weights": {"regionMatch": 1, "productLineMatch": 1, "winRate": 1, "loadIndex": 1}}"#)
                == ["weights.industryExperience", "weights.scoreSeniorityFit", "weights.fairness"])
    }

    @Test func wrongTypesAreNamed() {
        let found = issues("""
        {"weights": {"regionMatch": "high", "productLineMatch": true, "industryExperience": 1, "winRate": 1,
                     "loadIndex": 1, "scoreSeniorityFit": 1, "fairness": 1},
         "eligibility": {"respectWorkingHours": "yes"}, "fallbackQueue": 7, "fairness": []}
        """)
        #expect(found == [
            .init(path: "eligibility.respectWorkingHours", problem: "expected a boolean, got a string"),
            .init(path: "weights.regionMatch", problem: "expected a number, got a string"),
            .init(path: "weights.productLineMatch", problem: "expected a number, got a boolean"),
            .init(path: "fairness", problem: "expected an object, got an array"),
            .init(path: "fallbackQueue", problem: "expected a string, got a number"),
        ])
    }

    @Test func badEnumValues() {
        let found = issues(#"{"eligibility": {"region": "mandatory", "language": "preferred"}}"#)
        #expect(found == [
            .init(path: "eligibility.region", problem: "must be one of required, preferred, ignored (got \"mandatory\")"),
            .init(path: "eligibility.language", problem: "must be one of required, ignored (got \"preferred\")"),
        ])
    }

    @Test func slaDurationsMustBePositiveWholeNumbers() {
        #expect(issues(#"{"sla": {"firstContactMinutes": 0}}"#)
                == [.init(path: "sla.firstContactMinutes", problem: "must be at least 1 (got 0)")])
        #expect(issues(#"{"sla": {"firstContactMinutes": -30}}"#).map(\.path) == ["sla.firstContactMinutes"])
        #expect(issues(#"{"sla": {"followUpDays": 1.5}}"#)
                == [.init(path: "sla.followUpDays", problem: "must be a whole number (got 1.5)")])
        #expect(paths(#"{"sla": {"returnToPoolDays": 0}}"#) == ["sla.returnToPoolDays"])
        #expect(paths(#"{"sla": {"reminderMinutesBeforeBreach": -1}}"#) == ["sla.reminderMinutesBeforeBreach"])
    }

    @Test func slaCrossFieldRules() {
        #expect(issues(#"{"sla": {"firstContactMinutes": 30, "reminderMinutesBeforeBreach": 30}}"#)
                == [.init(path: "sla.reminderMinutesBeforeBreach", problem: "must be less than sla.firstContactMinutes (30)")])
        #expect(issues(#"{"sla": {"followUpDays": 5, "returnToPoolDays": 5}}"#)
                == [.init(path: "sla.returnToPoolDays", problem: "must be greater than sla.followUpDays (5)")])
        // An invalid firstContactMinutes is reported once, not again through the cross-field rule.
        #expect(paths(#"{"sla": {"firstContactMinutes": 0, "reminderMinutesBeforeBreach": 10}}"#)
                == ["sla.firstContactMinutes"])
    }

    @Test func winRatePriorForms() {
        #expect(issues(#"{"winRate": {"alpha": 1, "priorRate": 0.2}}"#)
                == [.init(path: "winRate", problem: "give either alpha and beta or priorRate and priorWeight, not both")])
        #expect(issues(#"{"winRate": {"alpha": 2}}"#)
                == [.init(path: "winRate.beta", problem: "required together with winRate.alpha")])
        #expect(paths(#"{"winRate": {"alpha": 0, "beta": 3}}"#) == ["winRate.alpha"])
        #expect(issues(#"{"winRate": {"priorRate": 1, "priorWeight": 5}}"#)
                == [.init(path: "winRate.priorRate", problem: "must be greater than 0 and less than 1 (got 1)")])
        #expect(paths(#"{"winRate": {"windowDays": 0}}"#) == ["winRate.windowDays"])
    }

    @Test func loadIndexPenaltiesAreFractions() {
        #expect(issues(#"{"loadIndex": {"overdueTaskPenalty": 1.5}}"#)
                == [.init(path: "loadIndex.overdueTaskPenalty", problem: "must be between 0 and 1 (got 1.5)")])
    }

    @Test func emptyFallbackQueue() {
        #expect(issues(#"{"fallbackQueue": "  "}"#) == [.init(path: "fallbackQueue", problem: "must not be empty")])
    }

    @Test func notJSONOrNotAnObject() {
        #expect(issues("{weights: 1") == [.init(path: "$", problem: "not valid JSON")])
        #expect(issues("[1, 2]") == [.init(path: "$", problem: "expected an object, got an array")])
    }

    @Test func everyProblemIsReportedAtOnce() throws {
        let error = #expect(throws: PolicyValidationError.self) {
            try RoutingPolicy.parse(json: #"{"sla": {"firstContactMinutes": 0, "followUpDays": 0}, "fallbackQueue": "", "extra": 1}"#)
        }
        #expect(error?.paths == ["extra", "sla.firstContactMinutes", "sla.followUpDays", "fallbackQueue"])
        #expect(error?.description.hasPrefix("invalid routing policy: extra: unknown key") == true)
    }
}
