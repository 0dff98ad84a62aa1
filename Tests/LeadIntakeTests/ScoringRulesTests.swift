import Shared
import Foundation
import Testing
import LeadIntake

struct ScoringRulesTests {
    @Test func defaultDocumentIsValid() throws {
        let rules = try ScoringRules.parse(json: ScoringRules.defaultJSON)
        #expect(rules == ScoringRules.default)
        #expect(rules.validate() == [])
        #expect(rules.budgetBands.count == 4)
        #expect(rules.industries["pharma_retail"] == 20)
    }

    @Test func storedDocumentRoundTrips() throws {
        let data = try JSONEncoder().encode(ScoringRules.default)
        #expect(try ScoringRules.parse(json: data) == ScoringRules.default)
        #expect(try JSONDecoder().decode(ScoringRules.self, from: data) == ScoringRules.default)
    }

    static func errors(_ json: String) -> [RuleProblem] {
        do {
            _ = try ScoringRules.parse(json: json)
            return []
        } catch {
            return error.errors
        }
    }

    @Test func semanticProblemsAreNamedByPath() {
        let errors = Self.errors("""
            {"industries": {"pharma": -5, "PHARMA": 5, "": 1},
             "budgetBands": [
               {"min": 0, "max": 100, "points": 1},
               {"min": 50, "max": 200, "points": 2},
               {"min": 300, "max": 300, "points": 2},
               {"min": -1, "points": 2000},
               {"min": 1000, "points": 1},
               {"min": 5000, "max": 6000, "points": 1}
             ],
             "titleKeywords": [{"keyword": " ", "points": 1}, {"keyword": "CEO", "points": 1}, {"keyword": "ceo", "points": 2}],
             "completeness": {"contact.fax": 1, "contact.email": 1},
             "attributes": [{"key": "", "equals": "", "points": 1}]}
            """)
        #expect(errors == [
            RuleProblem(path: #"industries[""]"#, problem: "name must not be empty"),
            RuleProblem(path: #"industries["pharma"]"#, problem: #"duplicates industries["PHARMA"] (names are compared case-insensitively)"#),
            RuleProblem(path: #"industries["pharma"]"#, problem: "must not be negative"),
            RuleProblem(path: "budgetBands[1].min", problem: "50..<200 overlaps budgetBands[0] (0..<100)"),
            RuleProblem(path: "budgetBands[2].max", problem: "must be greater than min (300)"),
            RuleProblem(path: "budgetBands[3].min", problem: "must be a number of 0 or more"),
            RuleProblem(path: "budgetBands[3].points", problem: "is more than 1000 points"),
            RuleProblem(path: "budgetBands[5].min", problem: "5000..<6000 overlaps budgetBands[4] (1000...)"),
            RuleProblem(path: "titleKeywords[0].keyword", problem: "must not be empty"),
            RuleProblem(path: "titleKeywords[2].keyword", problem: "duplicates titleKeywords[1] (keywords are compared case-insensitively)"),
            RuleProblem(path: #"completeness["contact.fax"]"#, problem: "unknown field; expected one of " + NormalizedLead.completenessFields.joined(separator: ", ")),
            RuleProblem(path: "attributes[0].key", problem: "must not be empty"),
            RuleProblem(path: "attributes[0].equals", problem: "must not be empty; leave it out to match any value"),
        ])
    }

    @Test func structuralProblemsAreNamedByPath() {
        let errors = Self.errors("""
            {"version": 3, "colour": "red",
             "tags": {"x": 1.5},
             "budgetBands": [{"min": "0", "points": 1, "maxx": 5}, 7, {"max": 10}],
             "titleKeywords": {"ceo": 10},
             "regions": {"east": 5, "west": -1}}
            """)
        #expect(errors.map(\.path) == [
            "colour", "version",
            #"tags["x"]"#,
            "budgetBands[0].maxx", "budgetBands[0].min", "budgetBands[1]",
            "budgetBands[2].min", "budgetBands[2].points",
            "titleKeywords",
            // Sections that were read completely still get their semantic checks.
            #"regions["west"]"#,
        ])
        #expect(errors.first { $0.path == "version" }?.problem
            == "is not part of the document: versions are assigned when the document is stored")
        #expect(errors.first { $0.path == #"tags["x"]"# }?.problem == "expected a whole number of points, got 1.5")
        #expect(errors.first { $0.path == "budgetBands[0].min" }?.problem == "expected a number, got a string")
        #expect(errors.first { $0.path == "budgetBands[2].points" }?.problem == "is required")
    }

    static let notDocuments: [(String, String)] = [
        ("", "not valid JSON"),
        ("{", "not valid JSON"),
        ("[]", "a rule document must be a JSON object, got an array"),
        ("null", "a rule document must be a JSON object, got null"),
    ]

    @Test(arguments: notDocuments)
    func notADocument(_ json: String, _ problem: String) {
        #expect(Self.errors(json) == [RuleProblem(path: "$", problem: problem)])
    }

    @Test func validateWorksOnRulesBuiltInCode() {
        let rules = ScoringRules(
            budgetBands: [.init(min: 0, max: 10, points: 1), .init(min: 5, points: 1)],
            titleKeywords: [.init(keyword: "", points: 1)])
        #expect(rules.validate().map(\.path) == ["budgetBands[1].min", "titleKeywords[0].keyword"])
    }

    @Test func errorDescribesEveryProblem() {
        let error = ScoringRulesError(errors: [RuleProblem(path: "a", problem: "x"), RuleProblem(path: "b", problem: "y")])
        #expect(error.description == "invalid scoring rules: a: x; b: y")
    }
}
