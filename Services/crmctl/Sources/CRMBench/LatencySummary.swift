/// Percentiles of a set of latencies (milliseconds), nearest-rank: p99 of 1,000 samples is the
/// 990th smallest, a value that was actually observed.
public struct LatencySummary: Sendable, Equatable {
    public var count: Int
    public var p50: Int64
    public var p95: Int64
    public var p99: Int64
    public var max: Int64
    public var mean: Double

    public init?(_ samples: [Int64]) {
        guard !samples.isEmpty else { return nil }
        let sorted = samples.sorted()
        func rank(_ percentile: Double) -> Int64 {
            let position = Int((percentile / 100 * Double(sorted.count)).rounded(.up))
            return sorted[Swift.max(0, Swift.min(sorted.count - 1, position - 1))]
        }
        count = sorted.count
        p50 = rank(50)
        p95 = rank(95)
        p99 = rank(99)
        max = sorted[sorted.count - 1]
        mean = Double(sorted.reduce(0, +)) / Double(sorted.count)
    }
}
