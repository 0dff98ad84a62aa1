import Foundation
import CRMBench
import Testing

@Suite("Bench measurements")
struct MeasurementTests {
    @Test("percentiles are nearest-rank: observed values, p99 of 1..1000 is 990")
    func percentiles() throws {
        let summary = try #require(LatencySummary(Array(1...1000).map(Int64.init).shuffled()))
        #expect(summary.count == 1000)
        #expect(summary.p50 == 500)
        #expect(summary.p95 == 950)
        #expect(summary.p99 == 990)
        #expect(summary.max == 1000)
        #expect(summary.mean == 500.5)
        #expect(LatencySummary([]) == nil)
        let one = try #require(LatencySummary([42]))
        #expect([one.p50, one.p95, one.p99, one.max] == [42, 42, 42, 42])
    }

    @Test("process usage from /proc: VmRSS in kB, utime + stime after a command name with spaces and parentheses")
    func procParsing() throws {
        let status = "Name:\tlead-intake\nVmPeak:\t  300000 kB\nVmRSS:\t   51200 kB\nThreads:\t9\n"
        let stat = "4242 (lead (intake) x) S 1 4242 4242 0 -1 4194304 100 0 0 0 250 50 0 0 20 0 9 0 100 0 0"
        let usage = try #require(ProcessUsage.parse(status: status, stat: stat, ticksPerSecond: 100))
        #expect(usage.residentBytes == 51_200 * 1024)
        #expect(usage.cpuSeconds == 3.0)
        #expect(ProcessUsage.parse(status: "Name: x\n", stat: stat, ticksPerSecond: 100) == nil)
        #expect(ProcessUsage.parse(status: status, stat: "4242 (x) S 1", ticksPerSecond: 100) == nil)
    }

    @Test("a process tree's CPU: the parent's own and reaped children's times, plus its live children's; others are left out")
    func processTreeCPU() throws {
        let postmaster = "500 (postgres) S 1 500 500 0 -1 4194560 100 0 0 0 250 50 10 5 20 0 1 0 100 0 0"
        let backend = "501 (postgres: crm crm 127.0.0.1(4242) idle) S 500 500 500 0 -1 4194560 100 0 0 0 100 20 0 0 20 0 1 0 100 0 0"
        let stranger = "777 (tansu) S 1 777 777 0 -1 4194560 100 0 0 0 900 90 0 0 20 0 1 0 100 0 0"
        let cpu = try #require(ProcessUsage.treeCPUSeconds(pid: 500, rootStat: postmaster, otherStats: [backend, stranger], ticksPerSecond: 100))
        #expect(abs(cpu - 4.35) < 1e-9)
        #expect(ProcessUsage.treeCPUSeconds(pid: 500, rootStat: "500 (postgres) S 1", otherStats: [], ticksPerSecond: 100) == nil)
        let own = try #require(ProcessUsage.read(pid: getpid()))
        let tree = try #require(ProcessUsage.readTree(pid: getpid()))
        #expect(tree.cpuSeconds >= own.cpuSeconds)
        #expect(tree.residentBytes > 1_000_000)
    }

    @Test("this process can be read from /proc")
    func readsSelf() throws {
        let usage = try #require(ProcessUsage.read(pid: getpid()))
        #expect(usage.residentBytes > 1_000_000)
    }

    @Test("watched processes are given as name=pid")
    func watchedProcess() {
        #expect(WatchedProcess(argument: "assignment=123") == WatchedProcess(name: "assignment", pid: 123))
        #expect(WatchedProcess(argument: "assignment") == nil)
        #expect(WatchedProcess(argument: "=12") == nil)
        #expect(WatchedProcess(argument: "x=-1") == nil)
        #expect(WatchedProcess(argument: "x=abc") == nil)
        #expect(WatchedProcess(argument: "postgres=500", withChildren: true) == WatchedProcess(name: "postgres", pid: 500, withChildren: true))
    }

    @Test("a watched process given as name=@file takes its pid from the pid file when made, so a restarted service is found again")
    func watchedProcessFromPidFile() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("bench-\(UUID().uuidString).pid").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try "4242\n".write(toFile: path, atomically: true, encoding: .utf8)
        #expect(WatchedProcess(argument: "lead-intake=@\(path)") == WatchedProcess(name: "lead-intake", pid: 4242))
        try "4343\n".write(toFile: path, atomically: true, encoding: .utf8)
        #expect(WatchedProcess(argument: "broker=@\(path)", withChildren: true) == WatchedProcess(name: "broker", pid: 4343, withChildren: true))
        try "not a pid".write(toFile: path, atomically: true, encoding: .utf8)
        #expect(WatchedProcess(argument: "broker=@\(path)") == nil)
        #expect(WatchedProcess(argument: "broker=@\(path).missing") == nil)
    }

    @Test("a phase's latency runs from the intake message's timestamp to its lead's LeadAssigned; merged and pooled ones are not in it")
    func phaseResult() throws {
        var log = OpenLoopPoster.Log()
        log.postedAt = ["s1": 1_000, "s2": 1_010, "s3": 1_020, "s4": 1_030]
        log.firstMilliseconds = 1_000
        log.lastMilliseconds = 1_030
        var state = LeadEventCollector.State()
        state.leadOfSubmission = ["s1": "l1", "s2": "l2", "s3": "l3"]
        state.leads = ["l1", "l2", "l3"]
        state.assigned["l1"] = .init(timestamp: 1_040, repId: "r1", queue: nil, deliveries: 1)
        state.assigned["l2"] = .init(timestamp: 1_110, repId: "r2", queue: nil, deliveries: 2)
        state.pooled["l3"] = .init(timestamp: 1_050, repId: nil, queue: "public_pool", deliveries: 1)
        state.merged = ["s4"]
        let result = PhaseResult(phase: "500", offered: 500, log: log, state: state, started: 1_000, finished: 1_200,
                                 complete: true, usage: [:])
        #expect(result.leads == 3)
        #expect(result.assigned == 2)
        #expect(result.pooled == 1)
        #expect(result.latency?.p50 == 40)
        #expect(result.latency?.max == 100)
        #expect(result.throughput == 20)
        #expect(!result.keptUp, "4 submissions in 0.2 s is 20/s, not 500/s")
        #expect(result.csv.hasPrefix("500,500,4,"))
    }

    @Test("latency by second of posting places the slow leads in time, over assigned leads only")
    func latencyBySecond() throws {
        var log = OpenLoopPoster.Log()
        var state = LeadEventCollector.State()
        log.firstMilliseconds = 10_000
        // Second 0: three leads of 20-40 ms; second 2: one of 900 ms and one pooled; none in second 1.
        for (index, (postedAt, latency)) in [(10_000, 20), (10_400, 30), (10_999, 40), (12_000, 900), (12_500, 0)].enumerated() {
            log.postedAt["s\(index)"] = Int64(postedAt)
            state.leadOfSubmission["s\(index)"] = "l\(index)"
            if latency > 0 {
                state.assigned["l\(index)"] = .init(timestamp: Int64(postedAt + latency), repId: "r1", queue: nil, deliveries: 1)
            } else {
                state.pooled["l\(index)"] = .init(timestamp: Int64(postedAt + 5), repId: nil, queue: "public_pool", deliveries: 1)
            }
        }
        log.lastMilliseconds = 12_500
        let result = PhaseResult(phase: "500", offered: 500, log: log, state: state, started: 10_000, finished: 13_500,
                                 complete: true, usage: [:])
        #expect(result.latencyBySecond.map(\.second) == [0, 2])
        #expect(result.latencyBySecond.map(\.latency.count) == [3, 1])
        #expect(result.latencyBySecond.map(\.latency.p99) == [40, 900])
        #expect(result.p99BySecond == "0s 40 2s 900")
        #expect(result.csvBySecond == ["500,0,3,30,40,40,40", "500,2,1,900,900,900,900"])
    }

    @Test("the latency plot has one line per percentile with a point per phase, and the budget")
    func plot() {
        let plot = LatencyPlot(title: "a < b", points: [
            .init(label: "200", p50: 12, p95: 30, p99: 45),
            .init(label: "500", p50: 15, p95: 60, p99: 90),
            .init(label: "max", p50: 900, p95: 4000, p99: 5200),
        ], budget: 250)
        let svg = plot.svg
        #expect(svg.hasPrefix("<svg"))
        #expect(svg.components(separatedBy: "<polyline").count - 1 == 3)
        #expect(svg.components(separatedBy: "<circle").count - 1 == 9)
        #expect(svg.contains("budget 250 ms"))
        #expect(svg.contains("a &lt; b"))
        #expect(svg.contains("10000 ms"), "the axis reaches the decade above the largest value")
    }
}
