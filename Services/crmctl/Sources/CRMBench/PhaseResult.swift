import Foundation

/// The figures of one benchmark phase, computed from what was posted and what the lead events said.
public struct PhaseResult: Sendable {
    /// Memory and CPU of one watched process over a phase.
    public struct Usage: Sendable, Equatable {
        public var peakResidentBytes: Int64
        /// Average CPU over the phase, in percent of one core.
        public var cpuPercent: Double
        /// CPU used during the phase, in seconds.
        public var cpuSeconds: Double
        /// Postgres or the broker, sampled with its child processes: CPU only, no memory budget.
        public var withChildren: Bool

        public init(peakResidentBytes: Int64, cpuPercent: Double, cpuSeconds: Double = 0, withChildren: Bool = false) {
            self.peakResidentBytes = peakResidentBytes
            self.cpuPercent = cpuPercent
            self.cpuSeconds = cpuSeconds
            self.withChildren = withChildren
        }
    }

    public var phase: String
    /// Leads/s asked for; nil at full speed.
    public var offered: Double?
    public var posted: Int
    public var postedPerSecond: Double
    public var maxLatenessMilliseconds: Int64
    /// New leads among the phase's submissions, and how they were routed.
    public var leads: Int
    public var assigned: Int
    public var pooled: Int
    /// Intake message timestamp -> LeadAssigned timestamp, over the phase's assigned leads.
    public var latency: LatencySummary?
    /// The two hops of it: intake message -> LeadAccepted (lead-intake and its relay), and
    /// LeadAccepted -> LeadAssigned (assignment and its relay).
    public var intakeHop: LatencySummary?
    public var assignmentHop: LatencySummary?
    /// The latency of the leads posted in each second of the phase (0 = its first second), so a
    /// tail can be placed in time: start-up, a stall, or a slow growth over the phase.
    public var latencyBySecond: [(second: Int, latency: LatencySummary)]
    /// Submissions processed per second, from the phase's first post to the moment its last one was done.
    public var throughput: Double
    public var complete: Bool
    public var usage: [String: Usage]
    /// Peaks over the phase's samples.
    public var peakIntakeLag: Int64
    public var peakInFlight: Int

    public init(
        phase: String, offered: Double?, log: OpenLoopPoster.Log, state: LeadEventCollector.State,
        started: Int64, finished: Int64, complete: Bool, usage: [String: Usage], peakIntakeLag: Int64 = 0, peakInFlight: Int = 0
    ) {
        self.phase = phase
        self.offered = offered
        posted = log.count
        let postingSeconds = Double(max(1, log.lastMilliseconds - log.firstMilliseconds)) / 1000
        postedPerSecond = Double(log.count) / postingSeconds
        maxLatenessMilliseconds = log.maxLatenessMilliseconds
        var latencies: [Int64] = [], intakeHops: [Int64] = [], assignmentHops: [Int64] = []
        var bySecond: [Int: [Int64]] = [:]
        var leads = 0, assigned = 0, pooled = 0
        for (submission, postedAt) in log.postedAt {
            guard let lead = state.leadOfSubmission[submission] else { continue }
            leads += 1
            if let routed = state.assigned[lead] {
                assigned += 1
                let latency = max(0, routed.timestamp - postedAt)
                latencies.append(latency)
                bySecond[Int(max(0, postedAt - log.firstMilliseconds) / 1000), default: []].append(latency)
                if let accepted = state.acceptedAt[lead] {
                    intakeHops.append(max(0, accepted - postedAt))
                    assignmentHops.append(max(0, routed.timestamp - accepted))
                }
            } else if state.pooled[lead] != nil {
                pooled += 1
            }
        }
        self.leads = leads
        self.assigned = assigned
        self.pooled = pooled
        latency = LatencySummary(latencies)
        intakeHop = LatencySummary(intakeHops)
        assignmentHop = LatencySummary(assignmentHops)
        latencyBySecond = bySecond.sorted { $0.key < $1.key }.compactMap { second, samples in
            LatencySummary(samples).map { (second, $0) }
        }
        throughput = Double(log.count) / (Double(max(1, finished - started)) / 1000)
        self.complete = complete
        self.usage = usage
        self.peakIntakeLag = peakIntakeLag
        self.peakInFlight = peakInFlight
    }

    /// A fixed-rate phase kept up when its submissions were done at 90% of the offered rate or
    /// better (the drain after the last post counts against it); full speed always "keeps up".
    public var keptUp: Bool {
        guard let offered else { return true }
        return throughput >= 0.9 * offered
    }

    public var line: String {
        var figures = latency.map { "p50 \($0.p50) ms, p95 \($0.p95) ms, p99 \($0.p99) ms, max \($0.max) ms" } ?? "no assigned leads"
        if let intakeHop, let assignmentHop {
            figures += " (p50 intake hop \(intakeHop.p50) ms + assignment hop \(assignmentHop.p50) ms)"
        }
        return "\(posted) posted at \(Int(postedPerSecond.rounded()))/s, \(leads) leads (\(assigned) assigned, \(pooled) pooled); "
            + "\(figures); \(Int(throughput.rounded())) submissions/s" + (complete ? "" : " (INCOMPLETE)")
    }

    /// The offered rate as the tables print it: `500/s`, `1k/s`, or `max` at full speed.
    public var rateLabel: String {
        offered.map { PipelinePlan.label($0) + "/s" } ?? "max"
    }

    /// p99 per second of posting, in ms: `0s 120 1s 95 ...`.
    public var p99BySecond: String {
        latencyBySecond.map { "\($0.second)s \($0.latency.p99)" }.joined(separator: " ")
    }

    /// One CSV row per second of posting: phase, second, leads, p50, p95, p99, max.
    public var csvBySecond: [String] {
        latencyBySecond.map { second, latency in
            [phase, String(second), String(latency.count), String(latency.p50), String(latency.p95), String(latency.p99), String(latency.max)]
                .joined(separator: ",")
        }
    }

    public var csv: String {
        func cell(_ value: Int64?) -> String { value.map { String($0) } ?? "" }
        var cells: [String] = [phase, offered.map { String(Int($0)) } ?? "max", String(posted), String(Int(postedPerSecond.rounded()))]
        cells += [String(maxLatenessMilliseconds), String(leads), String(assigned), String(pooled)]
        cells += [cell(latency?.p50), cell(latency?.p95), cell(latency?.p99), cell(latency?.max)]
        cells.append(latency.map { String(format: "%.1f", $0.mean) } ?? "")
        cells += [String(Int(throughput.rounded())), String(complete)]
        return cells.joined(separator: ",")
    }
}
