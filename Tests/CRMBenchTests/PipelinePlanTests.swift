import CRMBench
import Testing

@Suite("Bench pipeline plan")
struct PipelinePlanTests {
    @Test("without restarts, one warm-up opens one segment holding every rate and full speed")
    func oneSegment() {
        let plan = PipelinePlan(rates: [200, 500], seconds: 10, maxCount: 1_000, restartEachRate: false)
        #expect(plan.segments.count == 1)
        #expect(plan.phases.map(\.label) == ["warm-up", "200", "500", "max"])
        #expect(plan.phases.map(\.range) == [0..<40, 40..<2_040, 2_040..<7_040, 7_040..<8_040])
        #expect(plan.phases.map(\.rate) == [20, 200, 500, nil])
        #expect(plan.count == 8_040)
    }

    @Test("with restarts, every rate and full speed is a segment with a warm-up of its own, and no submission is posted twice")
    func segmentPerRate() {
        let plan = PipelinePlan(rates: [200, 500], seconds: 10, maxCount: 1_000, restartEachRate: true)
        #expect(plan.segments.map { $0.map(\.label) } == [["warm-up", "200"], ["warm-up", "500"], ["warm-up", "max"]])
        let ranges = plan.phases.map(\.range)
        #expect(ranges.first?.lowerBound == 0)
        for (earlier, later) in zip(ranges, ranges.dropFirst()) { #expect(earlier.upperBound == later.lowerBound) }
        #expect(plan.count == 3 * PipelinePlan.warmUpCount + 2_000 + 5_000 + 1_000)
        #expect(plan.phases.filter(\.isWarmUp).allSatisfy { $0.range.count == PipelinePlan.warmUpCount && $0.rate == PipelinePlan.warmUpRate })
    }

    @Test("no full-speed phase when its count is 0; fractional rates keep their label")
    func labels() {
        let plan = PipelinePlan(rates: [12.5], seconds: 4, maxCount: 0, restartEachRate: true)
        #expect(plan.phases.map(\.label) == ["warm-up", "12.5"])
        #expect(plan.phases.last?.range.count == 50)
    }
}
