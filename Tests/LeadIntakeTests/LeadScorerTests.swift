import Shared
import Foundation
import Testing
import LeadIntake

struct LeadScorerTests {
    @Test func specExampleWithDefaultRules() throws {
        let score = LeadScorer.score(lead: try Fixtures.specLead(), rules: .default)
        #expect(score.breakdown == [
            ScoreContribution(rule: #"industries["pharma_retail"]"#, points: 20, detail: "industry pharma_retail"),
            ScoreContribution(rule: "budgetBands[2]", points: 20, detail: "budget 850000 in 500000..<1000000"),
            ScoreContribution(rule: #"sources["web_form"]"#, points: 10, detail: "source web_form"),
            ScoreContribution(rule: "titleKeywords[4]", points: 15, detail: #"title "采购经理" contains "采购""#),
            ScoreContribution(rule: #"regions["east"]"#, points: 5, detail: "region east"),
            ScoreContribution(rule: #"completeness["company.industry"]"#, points: 2, detail: "company.industry present"),
            ScoreContribution(rule: #"completeness["company.name"]"#, points: 3, detail: "company.name present"),
            ScoreContribution(rule: #"completeness["contact.email"]"#, points: 2, detail: "contact.email present"),
            ScoreContribution(rule: #"completeness["contact.name"]"#, points: 2, detail: "contact.name present"),
            ScoreContribution(rule: #"completeness["contact.phone"]"#, points: 3, detail: "contact.phone present"),
            ScoreContribution(rule: #"completeness["contact.title"]"#, points: 2, detail: "contact.title present"),
            ScoreContribution(rule: #"completeness["interest.budget"]"#, points: 3, detail: "interest.budget present"),
            ScoreContribution(rule: #"tags["DTP药房"]"#, points: 10, detail: "tag DTP药房"),
            ScoreContribution(rule: "attributes[0]", points: 5, detail: "attribute campaign present"),
        ])
        #expect(score.total == 102)
    }

    static func lead(budget: Double? = nil, title: String? = nil, source: String = "import",
                     attributes: [String: JSONValue] = [:]) -> NormalizedLead {
        NormalizedLead(submissionId: "s1", source: source, receivedAt: Fixtures.now,
                       contact: NormalizedLead.Contact(title: title),
                       interest: NormalizedLead.Interest(budget: budget), attributes: attributes)
    }

    static let bands: [(Double?, String?)] = [
        (nil, nil),
        (0, nil),  // band 0 is worth 0 points: left out of the breakdown
        (99_999.99, nil),
        (100_000, "budgetBands[1]"),
        (499_999.99, "budgetBands[1]"),
        (500_000, "budgetBands[2]"),
        (999_999, "budgetBands[2]"),
        (1_000_000, "budgetBands[3]"),
        (900_000_000_000, "budgetBands[3]"),
    ]

    @Test(arguments: bands)
    func budgetBandBoundaries(_ budget: Double?, _ rule: String?) {
        let score = LeadScorer.score(lead: Self.lead(budget: budget), rules: .default)
        #expect(score.breakdown.first { $0.rule.hasPrefix("budgetBands") }?.rule == rule)
    }

    @Test func openEndedBandDetail() {
        let score = LeadScorer.score(lead: Self.lead(budget: 2_000_000), rules: .default)
        #expect(score.breakdown.filter { $0.rule.hasPrefix("budgetBands") }
            == [ScoreContribution(rule: "budgetBands[3]", points: 30, detail: "budget 2000000 in 1000000...")])
    }

    static let titles: [(String, String?, Int)] = [
        ("总经理", "titleKeywords[0]", 25),          // not also 经理
        ("销售经理", "titleKeywords[7]", 10),
        ("Purchasing Manager", "titleKeywords[6]", 15),
        ("ＣＥＯ", "titleKeywords[1]", 25),             // full-width folded
        ("Art DIRECTOR", "titleKeywords[3]", 20),
        ("工程师", nil, 0),
    ]

    @Test(arguments: titles)
    func bestTitleKeywordWins(_ title: String, _ rule: String?, _ points: Int) {
        let score = LeadScorer.score(lead: Self.lead(title: title), rules: .default)
        let contributions = score.breakdown.filter { $0.rule.hasPrefix("titleKeywords") }
        #expect(contributions.map(\.rule) == (rule.map { [$0] } ?? []))
        #expect(contributions.map(\.points).reduce(0, +) == points)
    }

    @Test func namesMatchCaseInsensitively() throws {
        let rules = try ScoringRules.parse(json: #"{"sources": {"Web_Form": 7}, "tags": {"vip": 3, "DTP药房": 4}}"#)
        let lead = Self.lead(source: "web_form", attributes: ["tags": .array([.string("VIP"), .number(1), .string("dtp药房")])])
        let score = LeadScorer.score(lead: lead, rules: rules)
        #expect(score.breakdown.map(\.rule) == [#"sources["Web_Form"]"#, #"tags["DTP药房"]"#, #"tags["vip"]"#])
        #expect(score.total == 14)
    }

    @Test func attributeRules() throws {
        let rules = try ScoringRules.parse(json: """
            {"attributes": [
              {"key": "campaign", "equals": "2026-Spring-Expo", "points": 5},
              {"key": "employees", "equals": "500", "points": 3},
              {"key": "channels", "equals": "wecom", "points": 2},
              {"key": "campaign", "equals": "other", "points": 100},
              {"key": "missing", "points": 100}
            ]}
            """)
        let lead = Self.lead(attributes: [
            "campaign": .string("2026-spring-expo"), "employees": .number(500),
            "channels": .array([.string("web"), .string("WeCom")]), "missing": .null,
        ])
        let score = LeadScorer.score(lead: lead, rules: rules)
        #expect(score.breakdown == [
            ScoreContribution(rule: "attributes[0]", points: 5, detail: "attribute campaign = 2026-Spring-Expo"),
            ScoreContribution(rule: "attributes[1]", points: 3, detail: "attribute employees = 500"),
            ScoreContribution(rule: "attributes[2]", points: 2, detail: "attribute channels = wecom"),
        ])
        #expect(score.total == 10)
    }

    @Test func emptyRulesScoreZero() throws {
        let score = LeadScorer.score(lead: try Fixtures.specLead(), rules: try ScoringRules.parse(json: "{}"))
        #expect(score == LeadScore(total: 0, breakdown: []))
    }
}
