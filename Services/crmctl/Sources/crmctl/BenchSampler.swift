import CRMBench
import Foundation
import Shared
import Synchronization

/// Once a second during `bench pipeline`: the intake group's lag against what the bench posted
/// (its own delivery reports: Tansu under-reports watermarks, docs/TANSU.md), assignment's lag as
/// the broker reports it, leads accepted but not yet routed, and each watched process's resident
/// memory and CPU (Postgres and the broker with their child processes).
final class Sampler: Sendable {
    struct Sample: Sendable {
        var at: Int64
        var phase: String
        var intakeLag: Int64?
        var assignmentLag: Int64?
        var inFlight: Int
        var usage: [String: ProcessUsage]
    }

    private struct State {
        var phase = "start"
        var ends: [Int32: Int64] = [:]
        var samples: [Sample] = []
        var stopped = false
    }

    private let admin: KafkaAdmin
    private let intakeGroup: String
    private let assignmentGroup: String
    private let processes: [WatchedProcess]
    private let events: LeadEventCollector
    private let state = Mutex(State())

    init(admin: KafkaAdmin, intakeGroup: String, assignmentGroup: String, processes: [WatchedProcess], events: LeadEventCollector) {
        self.admin = admin
        self.intakeGroup = intakeGroup
        self.assignmentGroup = assignmentGroup
        self.processes = processes
        self.events = events
    }

    var timeline: [Sample] { state.withLock { $0.samples } }

    func begin(_ phase: String) { state.withLock { $0.phase = phase } }
    func stop() { state.withLock { $0.stopped = true } }

    /// Partition ends the broker acknowledged to the poster (one past the highest offset), as they
    /// come: the intake lag of a sample is measured against them.
    func acknowledged(_ ends: [Int32: Int64]) {
        state.withLock { $0.ends.merge(ends, uniquingKeysWith: max) }
    }

    func run() async {
        while !state.withLock({ $0.stopped }) && !Task.isCancelled {
            let at = KafkaTimestamp.now()
            let intake = try? await admin.groupLag(group: intakeGroup, topics: [Shared.Topics.leadIntake], timeout: .seconds(2))
            let assignment = try? await admin.groupLag(group: assignmentGroup, topics: [Shared.Topics.leadEvents], timeout: .seconds(2))
            let snapshot = events.snapshot
            let usage = Dictionary(processes.compactMap { process in process.usage.map { (process.name, $0) } },
                                   uniquingKeysWith: { first, _ in first })
            state.withLock { state in
                let intakeLag = intake.map { lags in
                    lags.reduce(Int64(0)) { sum, lag in
                        guard let end = state.ends[lag.partition.partition] else { return sum }
                        return sum + max(0, end - (lag.committed ?? end))
                    }
                }
                state.samples.append(Sample(
                    at: at, phase: state.phase, intakeLag: intakeLag, assignmentLag: assignment.map { $0.reduce(0) { $0 + $1.lag } },
                    inFlight: max(0, snapshot.leads.count - snapshot.routedCount), usage: usage))
            }
            try? await Task.sleep(for: .seconds(1))
        }
    }

    /// Peak memory and average CPU of each process over a phase's samples.
    func usage(of phase: String) -> [String: PhaseResult.Usage] {
        let samples = timeline.filter { $0.phase == phase }
        var result: [String: PhaseResult.Usage] = [:]
        for process in processes {
            let series = samples.compactMap { sample in sample.usage[process.name].map { (sample.at, $0) } }
            guard let first = series.first, let last = series.last else { continue }
            let seconds = Double(last.0 - first.0) / 1000
            let used = last.1.cpuSeconds - first.1.cpuSeconds
            result[process.name] = PhaseResult.Usage(
                peakResidentBytes: series.map(\.1.residentBytes).max() ?? 0, cpuPercent: seconds > 0 ? used / seconds * 100 : 0,
                cpuSeconds: used, withChildren: process.withChildren)
        }
        return result
    }

    func peaks(of phase: String) -> (intakeLag: Int64, inFlight: Int) {
        let samples = timeline.filter { $0.phase == phase }
        return (samples.compactMap(\.intakeLag).max() ?? 0, samples.map(\.inFlight).max() ?? 0)
    }

    static func resourceHeader(_ processes: [String]) -> String {
        // The row prints the processes in name order, each right-aligned in 10 + name characters.
        processes.compactMap { WatchedProcess(argument: $0) }.map(\.name).sorted().map { name in
            let title = "\(name) MB/CPU%"
            return String(repeating: " ", count: max(1, 11 + name.count - title.count)) + title
        }.joined()
    }

    static func csv(_ samples: [Sample]) -> String {
        let names = Set(samples.flatMap { $0.usage.keys }).sorted()
        var lines = ["unix_ms,phase,intake_lag,assignment_lag_reported,in_flight" + names.map { ",\($0)_rss_mb,\($0)_cpu_s" }.joined()]
        for sample in samples {
            var line = "\(sample.at),\(sample.phase),\(sample.intakeLag.map(String.init) ?? ""),\(sample.assignmentLag.map(String.init) ?? ""),\(sample.inFlight)"
            for name in names {
                if let usage = sample.usage[name] {
                    line += String(format: ",%.1f,%.2f", Double(usage.residentBytes) / 1_048_576, usage.cpuSeconds)
                } else {
                    line += ",,"
                }
            }
            lines.append(line)
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
