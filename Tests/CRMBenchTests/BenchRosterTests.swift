import Assignment
import CRMBench
import Testing

@Suite("Bench roster")
struct BenchRosterTests {
    @Test("every region and product line of the generated leads has reps, and the CSV imports cleanly")
    func coversEveryPair() throws {
        let roster = BenchRoster(reps: 200, capacity: 500)
        let parsed = RepCSV.parse(Array(roster.csv.utf8))
        #expect(parsed.problems.isEmpty, "\(parsed.problems)")
        #expect(parsed.reps.count == 200)
        for region in LeadGenerator.regions {
            for line in LeadGenerator.productLines {
                let covering = parsed.reps.filter { $0.regions.contains(region) && $0.productLines.contains(line) }
                #expect(covering.count >= 2, "\(region)/\(line) has \(covering.count) rep(s)")
            }
        }
        #expect(parsed.reps.allSatisfy { $0.capacity == 500 && $0.active })
        #expect(Set(parsed.reps.map(\.id)).count == 200)
    }

    @Test("a small roster still covers every region")
    func smallRoster() {
        let roster = BenchRoster(reps: 14, capacity: 10)
        #expect(Set(roster.members.map(\.region)) == Set(LeadGenerator.regions))
    }

    @Test("the drills' policy requires the region, the bench's prefers it; both ignore working hours")
    func policies() throws {
        let strict = try RoutingPolicy.parse(json: BenchRoster.strictRoutingPolicy)
        #expect(strict.eligibility.region == .required)
        #expect(strict.eligibility.productLine == .preferred)
        #expect(strict.eligibility.respectWorkingHours == false)
        let bench = try RoutingPolicy.parse(json: BenchRoster.routingPolicy)
        #expect(bench.eligibility.region == .preferred)
        #expect(bench.eligibility.respectWorkingHours == false)
    }
}
