import ArgumentParser
import CRMBench
import Foundation
import Logging
import PostgresNIO
import Shared

/// `crmctl bench pipeline`: the intake -> assignment benchmark (issue 5, SPEC 5). Drives the intake
/// topic with an open-loop generator at fixed rates and then at full speed, and measures, from the
/// broker timestamps of each intake message and of its lead's LeadAssigned event, the latency
/// percentiles per rate; throughput; consumer lag, in-flight leads and each service's memory and
/// CPU once a second. Prints a table, writes CSV files and an SVG plot, and audits the end state
/// (every submission one lead, every lead one routing decision) like the fault drills do.
struct BenchPipeline: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pipeline",
        abstract: "Intake -> assignment latency and throughput at fixed rates and at maximum; prints a table, writes CSV and SVG.",
        discussion: """
            Needs lead-intake and assignment running (`make bench` starts them, loads the roster and the \
            routing policy, and passes --process for the memory and CPU figures). The mix is the one of \
            `crmctl bench intake`; one generator feeds every phase, so a later phase's duplicates are people \
            of earlier phases. A phase ends when every one of its submissions is accepted, merged or \
            rejected and every accepted lead routed (or after --drain-seconds).

            Exit status: 0 figures printed and the audit clean, 2 the audit found lost, duplicated or \
            misrouted leads, 1 failure.
            """)
    @OptionGroup var broker: BrokerOptions
    @Option(help: "Offered rates in leads/s, comma-separated; each runs --seconds.") var rates = "200,500,1000,2000"
    @Option(help: "Seconds per fixed-rate phase.") var seconds = 20
    @Option(help: "Submissions of the full-speed phase (0: none).") var maxCount = 20_000
    @Option(help: "Share of submissions that are a known person again through another channel.") var duplicates = 0.3
    @Option(help: "Share of malformed submissions.") var malformed = 0.02
    @Option(help: "Seed of the generator.") var seed: UInt64 = 1
    @Option(help: "Run id in submission ids and identities: lower-case letters and digits (default: from the clock).") var runId: String?
    @Option(help: "Give up on a phase's stragglers this many seconds after its last post.") var drainSeconds = 120
    @Option(help: "A service process to sample, as name=pid (repeatable).") var process: [String] = []
    @Option(help: "Postgres or the broker, as name=pid: CPU with its child processes, no memory budget (repeatable).")
    var processTree: [String] = []
    @Option(help: "Consumer group of the intake.") var intakeGroup = "lead-intake.intake"
    @Option(help: "Consumer group of assignment.") var assignmentGroup = "assignment.lead-events"
    @Option(help: "Directory for pipeline-phases.csv, pipeline-timeline.csv, pipeline-latency-by-second.csv and pipeline-latency.svg.") var outDir = ".data/bench"
    @Option(help: """
        Shell command run before each rate from the second on, while the bench's own Kafka clients are closed \
        (`make bench` restarts the broker and the services: every rate then starts on an empty broker, each with a \
        warm-up of its own). Without it every rate runs on the same broker, one after the other.
        """)
    var restartCommand: String?

    func validate() throws {
        guard parsedRates != nil else { throw ValidationError("--rates must be positive numbers separated by commas, e.g. 200,500,1000") }
        guard seconds > 0, maxCount >= 0, drainSeconds > 0 else { throw ValidationError("--seconds and --drain-seconds must be positive, --max-count at least 0") }
        guard (0...1).contains(duplicates), (0...1).contains(malformed), duplicates + malformed <= 1 else {
            throw ValidationError("--duplicates and --malformed are shares between 0 and 1 that add up to at most 1")
        }
        if let runId, runId.isEmpty || runId.count > 16 || !runId.allSatisfy({ $0.isASCII && ($0.isLowercase || $0.isNumber) }) {
            throw ValidationError("--run-id must be 1-16 lower-case letters and digits")
        }
        for entry in process + processTree where WatchedProcess(argument: entry) == nil {
            throw ValidationError("--process and --process-tree must be name=pid, not \(entry)")
        }
    }

    private var parsedRates: [Double]? {
        let values = rates.split(separator: ",").map { Double($0.trimmingCharacters(in: .whitespaces)) }
        guard !values.isEmpty, values.allSatisfy({ ($0 ?? 0) > 0 }) else { return nil }
        return values.compactMap { $0 }
    }

    func run() async throws {
        let runId = self.runId ?? String(UInt64(Date().timeIntervalSince1970), radix: 36)
        let plan = PipelinePlan(rates: parsedRates ?? [], seconds: seconds, maxCount: maxCount, restartEachRate: restartCommand != nil)
        guard plan.count <= LeadGenerator.maxPeople else {
            report("the run would post \(plan.count) submissions; at most \(LeadGenerator.maxPeople) (fewer rates, --seconds or --max-count)")
            throw ExitCode.failure
        }
        let generator = LeadGenerator(count: plan.count, duplicateShare: duplicates, malformedShare: malformed, seed: seed, runId: runId, now: Date())
        let (submissions, tally) = generator.generate()
        print("bench pipeline: run \(runId), seed \(seed), \(plan.count) submissions (\(BenchIntake.describe(tally.outcomes))), ids \(generator.prefix)*")
        print("  phases: " + plan.segments.map { $0.map { "\($0.label) \($0.range.count)" }.joined(separator: ", ") }
            .joined(separator: restartCommand == nil ? ", " : "; restart; "))

        var results: [PhaseResult] = []
        var timeline: [Sampler.Sample] = []
        var rejected: [String: RejectionCollector.Found] = [:]
        for (index, segment) in plan.segments.enumerated() {
            if index > 0, let restartCommand { try await restart(restartCommand) }
            let outcome = try await runSegment(segment, of: submissions, prefix: generator.prefix)
            results += outcome.results
            timeline += outcome.timeline
            rejected.merge(outcome.rejected) { first, _ in first }
        }

        // The end state, audited like the fault drills'.
        let audit = try await audit(prefix: generator.prefix, posted: submissions.map(PipelineAudit.Posted.init), rejected: Set(rejected.keys))
        try write(results: results, timeline: timeline)
        printTable(results, audit: audit)
        if !audit.isClean { throw ExitCode(2) }
    }

    /// The phases of one start of the system, with the bench's own clients made for it and closed
    /// after it (before a restart, no client of ours may touch the broker: Tansu creates a topic a
    /// metadata request names, with the wrong partition count).
    private func runSegment(
        _ segment: [PipelinePlan.Phase], of submissions: [LeadGenerator.Submission], prefix: String
    ) async throws -> (results: [PhaseResult], timeline: [Sampler.Sample], rejected: [String: RejectionCollector.Found]) {
        // Pid files are read again: a restart started new processes.
        let watched = process.compactMap { WatchedProcess(argument: $0) } + processTree.compactMap { WatchedProcess(argument: $0, withChildren: true) }
        print("  sampling " + (watched.isEmpty ? "no processes" : watched.map { "\($0.name) (pid \($0.pid))" }.joined(separator: ", ")))
        let events = try LeadEventCollector(config: broker.config("bench-events"), prefix: prefix, logger: broker.logger)
        let rejections = try RejectionCollector(config: broker.config("bench-rejections"), prefix: prefix, logger: broker.logger)
        guard try await events.waitUntilAssigned(timeout: .seconds(60)), try await rejections.waitUntilAssigned(timeout: .seconds(60)) else {
            report("the bench's readers of \(Shared.Topics.leadEvents) and \(Shared.Topics.leadRejected) got no partitions within 60 s")
            throw ExitCode.failure
        }
        let producer = try KafkaProducer(config: broker.config("bench"), logger: broker.logger)
        let poster = OpenLoopPoster(producer: producer)
        let sampler = Sampler(admin: try broker.admin(), intakeGroup: intakeGroup, assignmentGroup: assignmentGroup,
                              processes: watched, events: events)

        var results: [PhaseResult] = []
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await events.run() }
            group.addTask { try await rejections.run() }
            group.addTask { await sampler.run() }
            defer {
                events.stop()
                rejections.stop()
                sampler.stop()
            }
            for phase in segment {
                sampler.begin(phase.label)
                let slice = submissions[phase.range]
                print("  \(phase.label): posting \(slice.count)" + (phase.rate.map { " at \(Int($0))/s" } ?? " at full speed"))
                let started = KafkaTimestamp.now()
                let log = try await poster.post(slice, rate: phase.rate, acknowledged: { sampler.acknowledged($0) })
                let ids = slice.map(\.submissionId)
                let done = await events.wait(timeout: .seconds(drainSeconds)) { state in
                    let rejected = rejections.keys
                    return ids.allSatisfy { state.isDone($0, rejected: rejected) }
                }
                let finished = KafkaTimestamp.now()
                let peaks = sampler.peaks(of: phase.label)
                let result = PhaseResult(phase: phase.label, offered: phase.rate, log: log, state: events.snapshot,
                                         started: started, finished: finished, complete: done, usage: sampler.usage(of: phase.label),
                                         peakIntakeLag: peaks.intakeLag, peakInFlight: peaks.inFlight)
                if !done {
                    report("\(phase.label): not every submission was processed and routed within \(drainSeconds) s of the last post")
                }
                print("    " + result.line)
                if !phase.isWarmUp { results.append(result) }
                // Let the pipeline settle before the next rate.
                try await Task.sleep(for: .seconds(2))
            }
            try await Task.sleep(for: .seconds(1))
        }
        await producer.close()
        return (results, sampler.timeline, rejections.keys)
    }

    /// `/bin/sh -c command`, waited for on a thread of its own (waitpid blocks). Not Foundation's
    /// `Process`: its termination handler never ran in this process (the child stayed a zombie).
    static func runShell(_ command: String) async throws -> Int32 {
        var pid: pid_t = 0
        let arguments = ["/bin/sh", "-c", command]
        var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        let spawned = posix_spawn(&pid, "/bin/sh", nil, nil, &argv, environ)
        guard spawned == 0 else { throw POSIXError(POSIXErrorCode(rawValue: spawned) ?? .EINVAL) }
        let child = pid
        return await withCheckedContinuation { continuation in
            Thread.detachNewThread {
                var status: Int32 = 0
                while waitpid(child, &status, 0) == -1 && errno == EINTR {}
                // WIFEXITED / WEXITSTATUS: the low 7 bits are the signal, the next 8 the exit code.
                let signal = status & 0x7f
                continuation.resume(returning: signal == 0 ? (status >> 8) & 0xff : 128 + signal)
            }
        }
    }

    /// Runs `--restart-command` while none of the bench's clients is open; fails the run if it fails.
    private func restart(_ command: String) async throws {
        print("  restart: \(command)")
        // The command writes to the same output: ours first, in order (nil flushes every stream).
        fflush(nil)
        let status = try await Self.runShell(command)
        guard status == 0 else {
            report("--restart-command exited with status \(status): \(command)")
            throw ExitCode.failure
        }
    }

    private func audit(prefix: String, posted: [PipelineAudit.Posted], rejected: Set<String>) async throws -> PipelineAudit.Report {
        let logger = broker.logger
        return try await withDatabase(logger: logger, timeout: .seconds(300)) { client in
            let observed = try await PipelineAudit.observe(client: client, prefix: prefix, rejectedOrDeadLettered: rejected, logger: logger)
            return PipelineAudit.evaluate(posted: posted, observed: observed, region: .preferred)
        }
    }

    // MARK: - Output

    private func printTable(_ results: [PhaseResult], audit: PipelineAudit.Report) {
        print("")
        print("rate      posted  leads  p50 ms  p95 ms  p99 ms  max ms  thr/s  intake lag  in flight " + Sampler.resourceHeader(process))
        for result in results { print(result.row) }
        printCPU(results)
        print("")
        print("p99 ms by second of posting (where the tail of each phase was)")
        for result in results where !result.latencyBySecond.isEmpty {
            print("  " + result.rateLabel + ": " + result.p99BySecond)
        }
        print("")
        print("audit: " + audit.summary + (audit.isClean ? " (clean)" : " (NOT CLEAN)"))
        for example in audit.examples { print("  " + example) }
        print("")
        print("budgets (SPEC 5):")
        let at500 = results.first { $0.offered == 500 }
        print("  p99 intake -> LeadAssigned <= 250 ms at 500/s: " + Self.verdict(at500?.latency.map { Double($0.p99) }, atMost: 250, unit: "ms"))
        print("  p50 <= 50 ms at 500/s: " + Self.verdict(at500?.latency.map { Double($0.p50) }, atMost: 50, unit: "ms"))
        let sustained = results.filter { $0.complete && $0.keptUp }.map(\.throughput).max()
        print("  sustained >= 2,000 leads/s: " + Self.verdict(sustained, atLeast: 2000, unit: "leads/s")
              + " (the highest throughput of a phase that kept up with its rate or ran at full speed)")
        for name in Set(results.flatMap { $0.usage.filter { !$0.value.withChildren }.keys }).sorted() {
            let peak = results.compactMap { $0.usage[name]?.peakResidentBytes }.max().map { Double($0) / 1_048_576 }
            print("  \(name) resident < 150 MB: " + Self.verdict(peak, below: 150, unit: "MB"))
        }
        print("")
        print("written: \(outDir)/pipeline-phases.csv, \(outDir)/pipeline-timeline.csv, \(outDir)/pipeline-latency-by-second.csv, \(outDir)/pipeline-latency.svg")
    }

    /// Where the CPU went, per phase: every watched process in percent of one core and in seconds
    /// per 1,000 submissions. The second figure is the steadier one between runs: latency under
    /// saturation swings with scheduling, the work per submission much less.
    private func printCPU(_ results: [PhaseResult]) {
        let names = Set(results.flatMap { $0.usage.keys }).sorted()
        guard !names.isEmpty else { return }
        print("")
        print("CPU, % of one core (s per 1,000 submissions)")
        print("rate    " + names.map { $0.count >= 18 ? " " + $0 : String(repeating: " ", count: 19 - $0.count) + $0 }.joined() + "       total")
        for result in results {
            let rate = result.rateLabel.padding(toLength: 8, withPad: " ", startingAt: 0)
            var line = rate
            var total = PhaseResult.Usage(peakResidentBytes: 0, cpuPercent: 0)
            for name in names {
                let usage = result.usage[name]
                total.cpuPercent += usage?.cpuPercent ?? 0
                total.cpuSeconds += usage?.cpuSeconds ?? 0
                let cell = usage.map { Self.cpuCell($0, posted: result.posted) } ?? "-"
                line += String(repeating: " ", count: max(1, max(19, name.count + 1) - cell.count)) + cell
            }
            let cell = Self.cpuCell(total, posted: result.posted)
            print(line + String(repeating: " ", count: max(1, 19 - cell.count)) + cell)
        }
    }

    static func cpuCell(_ usage: PhaseResult.Usage, posted: Int) -> String {
        String(format: "%.0f (%.2f)", usage.cpuPercent, posted > 0 ? usage.cpuSeconds / Double(posted) * 1000 : 0)
    }

    static func verdict(_ value: Double?, atMost limit: Double? = nil, atLeast floor: Double? = nil, below: Double? = nil, unit: String) -> String {
        guard let value else { return "not measured" }
        let met = (limit.map { value <= $0 } ?? true) && (floor.map { value >= $0 } ?? true) && (below.map { value < $0 } ?? true)
        return String(format: "%.0f %@ %@", value, unit, met ? "(met)" : "(MISSED)")
    }

    private func write(results: [PhaseResult], timeline: [Sampler.Sample]) throws {
        try FileManager.default.createDirectory(atPath: outDir, withIntermediateDirectories: true)
        var phases = ["phase,offered_per_s,posted,posted_per_s,max_poster_lateness_ms,leads,assigned,pooled,p50_ms,p95_ms,p99_ms,max_ms,mean_ms,throughput_per_s,complete"]
        for result in results { phases.append(result.csv) }
        try (phases.joined(separator: "\n") + "\n").write(toFile: outDir + "/pipeline-phases.csv", atomically: true, encoding: .utf8)
        try Sampler.csv(timeline).write(toFile: outDir + "/pipeline-timeline.csv", atomically: true, encoding: .utf8)
        let bySecond = ["phase,second,leads,p50_ms,p95_ms,p99_ms,max_ms"] + results.flatMap(\.csvBySecond)
        try (bySecond.joined(separator: "\n") + "\n").write(toFile: outDir + "/pipeline-latency-by-second.csv", atomically: true, encoding: .utf8)
        let plot = LatencyPlot(
            title: "intake -> LeadAssigned latency (\(Processors.active) cores)",
            points: results.compactMap { result in
                result.latency.map { LatencyPlot.Point(label: result.phase, p50: Double($0.p50), p95: Double($0.p95), p99: Double($0.p99)) }
            },
            budget: 250)
        try plot.svg.write(toFile: outDir + "/pipeline-latency.svg", atomically: true, encoding: .utf8)
    }
}
