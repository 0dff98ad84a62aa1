/// Which submissions `bench pipeline` posts in which phase, and which phases share one start of
/// the system. A segment is what runs between two restarts (`--restart-command`): its phases
/// share a broker and the services' processes. Each segment opens with a short warm-up, so the
/// first rate after a start does not pay for connections, metadata and group joins.
public struct PipelinePlan: Sendable, Equatable {
    public struct Phase: Sendable, Equatable {
        public static let warmUpLabel = "warm-up"
        public var label: String
        /// Leads/s; nil at full speed.
        public var rate: Double?
        /// Indices into the generated submissions.
        public var range: Range<Int>

        public var isWarmUp: Bool { label == Self.warmUpLabel }
    }

    public static let warmUpCount = 40
    public static let warmUpRate = 20.0

    public var segments: [[Phase]]

    /// `restartEachRate`: every rate (and full speed) is a segment of its own; otherwise one
    /// segment holds them all, in the order given.
    public init(rates: [Double], seconds: Int, maxCount: Int, restartEachRate: Bool) {
        var next = 0
        func phase(_ label: String, _ rate: Double?, _ count: Int) -> Phase {
            defer { next += count }
            return Phase(label: label, rate: rate, range: next..<(next + count))
        }
        var measured: [(label: String, rate: Double?, count: Int)] = rates.map { (Self.label($0), $0, Int($0 * Double(seconds))) }
        if maxCount > 0 { measured.append(("max", nil, maxCount)) }
        var segments: [[Phase]] = []
        for (index, item) in measured.enumerated() {
            if index == 0 || restartEachRate {
                segments.append([phase(Phase.warmUpLabel, Self.warmUpRate, Self.warmUpCount)])
            }
            segments[segments.count - 1].append(phase(item.label, item.rate, item.count))
        }
        self.segments = segments
    }

    /// Every phase, in the order they run.
    public var phases: [Phase] { segments.flatMap { $0 } }

    /// Submissions the plan posts.
    public var count: Int { phases.last?.range.upperBound ?? 0 }

    public static func label(_ rate: Double) -> String {
        rate == rate.rounded() ? String(Int(rate)) : String(rate)
    }
}
