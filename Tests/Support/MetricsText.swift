/// Reading Prometheus text exposition in tests.
extension TestInfrastructure {
    /// The value of the sample named exactly `series` (name and labels as rendered), nil when absent.
    public static func metricValue(_ series: String, in text: String) -> Double? {
        for line in text.split(separator: "\n") where line.hasPrefix(series + " ") {
            return Double(line.dropFirst(series.count + 1))
        }
        return nil
    }
}
