import Testing
import Assignment

@Suite("Fairness report")
struct FairnessReportTests {
    @Test func equalDistributionIsZero() {
        #expect(FairnessReport.gini([5, 5, 5, 5]) == 0)
        #expect(FairnessReport.gini([1]) == 0)
    }

    @Test(arguments: [2, 4, 5, 10])
    func oneTakesAllIsNMinusOneOverN(reps: Int) {
        let counts = [12] + Array(repeating: 0, count: reps - 1)
        #expect(approx(FairnessReport.gini(counts), Double(reps - 1) / Double(reps)))
    }

    @Test func knownDistributions() {
        // Pairwise |differences| sum to 20 over 2 * 4^2 * mean 2.5 = 80.
        #expect(approx(FairnessReport.gini([1, 2, 3, 4]), 0.25))
        #expect(approx(FairnessReport.gini([4, 3, 2, 1]), 0.25))   // order does not matter
        // [0, 0, 1, 1]: differences sum 8 over 2 * 16 * 0.5 = 16.
        #expect(approx(FairnessReport.gini([0, 0, 1, 1]), 0.5))
    }

    @Test func nothingDistributedIsZero() {
        #expect(FairnessReport.gini([]) == 0)
        #expect(FairnessReport.gini([0, 0, 0]) == 0)
    }

    @Test func summaryOfADistribution() {
        let report = FairnessReport(counts: ["a": 1, "b": 4, "c": 3, "d": 2, "e": 0])
        #expect(report.repCount == 5)
        #expect(report.total == 10)
        #expect(report.mean == 2)
        #expect(report.median == 2)
        #expect(report.min == 0)
        #expect(report.max == 4)
        // Pairwise |differences| sum to 40 over 2 * 25 * 2 = 100.
        #expect(approx(report.gini, 0.4))
        #expect(report.reps.map(\.repId) == ["b", "c", "d", "a", "e"])
        #expect(report.reps.map(\.share) == [0.4, 0.3, 0.2, 0.1, 0])
    }

    @Test func tiedCountsSortByRepIdAndEvenMedianAverages() {
        let report = FairnessReport(counts: ["x": 2, "m": 2, "a": 5, "q": 1])
        #expect(report.reps.map(\.repId) == ["a", "m", "x", "q"])
        #expect(report.median == 2)
        let empty = FairnessReport(counts: [:])
        #expect(empty.gini == 0 && empty.mean == 0 && empty.median == 0 && empty.reps.isEmpty)
    }
}
