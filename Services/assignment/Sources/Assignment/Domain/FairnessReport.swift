/// How evenly leads were spread over reps in a window, for `GET /v1/fairness` and the daily report.
///
/// The seeds track the Gini coefficient of high-intent lead allocation (0.42 before weighted routing,
/// 0.18 after): 0 means everyone got the same number, (n-1)/n means one rep got everything.
public struct FairnessReport: Codable, Sendable, Equatable, Hashable {
    public struct RepShare: Codable, Sendable, Equatable, Hashable {
        public var repId: String
        public var count: Int
        /// Fraction of all leads in the window (0 when there were none).
        public var share: Double
    }

    public var repCount: Int
    public var total: Int
    public var mean: Double
    public var median: Double
    public var min: Int
    public var max: Int
    public var gini: Double
    /// Busiest first, then by rep id.
    public var reps: [RepShare]

    /// Builds the summary from per-rep counts. Include reps with 0 leads: leaving them out hides
    /// exactly the unfairness the report is for.
    public init(counts: [String: Int]) {
        let values = counts.values.map { Swift.max(0, $0) }
        let sorted = values.sorted()
        let total = values.reduce(0, +)
        repCount = values.count
        self.total = total
        mean = values.isEmpty ? 0 : Double(total) / Double(values.count)
        median = FairnessReport.median(ofSorted: sorted)
        min = sorted.first ?? 0
        max = sorted.last ?? 0
        gini = FairnessReport.gini(values)
        reps = counts
            .map { RepShare(repId: $0.key, count: Swift.max(0, $0.value),
                            share: total == 0 ? 0 : Double(Swift.max(0, $0.value)) / Double(total)) }
            .sorted { ($0.count, $1.repId) > ($1.count, $0.repId) }
    }

    /// Gini coefficient of non-negative counts: mean absolute difference over all pairs divided by
    /// twice the mean. Computed on sorted values in O(n log n):
    /// G = (2 * sum_i i * x_i) / (n * sum x) - (n + 1) / n, with i = 1 ... n ascending.
    /// Empty input or all zeros is 0 (nothing was distributed, so nothing was unfair).
    public static func gini(_ counts: [Int]) -> Double {
        let sorted = counts.map { Swift.max(0, $0) }.sorted()
        let n = Double(sorted.count)
        let sum = Double(sorted.reduce(0, +))
        guard n > 0, sum > 0 else { return 0 }
        var weighted = 0.0
        for (index, value) in sorted.enumerated() {
            weighted += Double(index + 1) * Double(value)
        }
        return (2 * weighted) / (n * sum) - (n + 1) / n
    }

    private static func median(ofSorted sorted: [Int]) -> Double {
        guard !sorted.isEmpty else { return 0 }
        let middle = sorted.count / 2
        if sorted.count % 2 == 1 { return Double(sorted[middle]) }
        return Double(sorted[middle - 1] + sorted[middle]) / 2
    }
}
