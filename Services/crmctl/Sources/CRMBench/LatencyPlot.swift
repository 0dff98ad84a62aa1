import Foundation

/// An SVG chart of latency percentiles against the offered rate: one line per percentile, the
/// budget as a dashed line. Plain text, no dependencies, opens in any browser.
public struct LatencyPlot: Sendable {
    public struct Point: Sendable, Equatable {
        public var label: String
        public var p50: Double
        public var p95: Double
        public var p99: Double

        public init(label: String, p50: Double, p95: Double, p99: Double) {
            self.label = label
            self.p50 = p50
            self.p95 = p95
            self.p99 = p99
        }
    }

    public var title: String
    public var points: [Point]
    /// Drawn as a dashed line when given (ms).
    public var budget: Double?

    public init(title: String, points: [Point], budget: Double? = nil) {
        self.title = title
        self.points = points
        self.budget = budget
    }

    /// The y axis is logarithmic (1 ms to the largest value): a pipeline that keeps up sits in
    /// the tens of ms, one that falls behind in seconds, and both should stay readable.
    public var svg: String {
        let width = 720.0, height = 420.0, left = 70.0, right = 20.0, top = 40.0, bottom = 60.0
        let plotWidth = width - left - right, plotHeight = height - top - bottom
        let largest = max(10, points.flatMap { [$0.p50, $0.p95, $0.p99] }.max() ?? 10, budget ?? 0)
        let decades = max(1, Int(log10(largest).rounded(.up)))
        func y(_ value: Double) -> Double {
            top + plotHeight * (1 - log10(max(1, value)) / Double(decades))
        }
        func x(_ index: Int) -> Double {
            points.count == 1 ? left + plotWidth / 2 : left + plotWidth * Double(index) / Double(points.count - 1)
        }
        var svg = """
            <svg xmlns="http://www.w3.org/2000/svg" width="\(Int(width))" height="\(Int(height))" font-family="sans-serif" font-size="12">
            <rect width="100%" height="100%" fill="white"/>
            <text x="\(Int(width / 2))" y="20" text-anchor="middle" font-size="14">\(escape(title))</text>

            """
        for decade in 0...decades {
            let value = pow(10, Double(decade))
            let position = y(value)
            svg += "<line x1=\"\(f(left))\" y1=\"\(f(position))\" x2=\"\(f(width - right))\" y2=\"\(f(position))\" stroke=\"#ddd\"/>\n"
            svg += "<text x=\"\(f(left - 6))\" y=\"\(f(position + 4))\" text-anchor=\"end\">\(Int(value)) ms</text>\n"
        }
        for (index, point) in points.enumerated() {
            svg += "<text x=\"\(f(x(index)))\" y=\"\(f(height - bottom + 18))\" text-anchor=\"middle\">\(escape(point.label))</text>\n"
        }
        svg += "<text x=\"\(f(left + plotWidth / 2))\" y=\"\(f(height - 12))\" text-anchor=\"middle\">offered rate (leads/s)</text>\n"
        if let budget {
            svg += "<line x1=\"\(f(left))\" y1=\"\(f(y(budget)))\" x2=\"\(f(width - right))\" y2=\"\(f(y(budget)))\" stroke=\"#c00\" stroke-dasharray=\"6 4\"/>\n"
            svg += "<text x=\"\(f(width - right))\" y=\"\(f(y(budget) - 4))\" text-anchor=\"end\" fill=\"#c00\">budget \(Int(budget)) ms</text>\n"
        }
        let series: [(String, String, KeyPath<Point, Double>)] = [("p50", "#1b7837", \.p50), ("p95", "#2166ac", \.p95), ("p99", "#762a83", \.p99)]
        for (offset, (name, color, path)) in series.enumerated() {
            let coordinates = points.enumerated().map { "\(f(x($0.offset))),\(f(y($0.element[keyPath: path])))" }
            svg += "<polyline fill=\"none\" stroke=\"\(color)\" stroke-width=\"2\" points=\"\(coordinates.joined(separator: " "))\"/>\n"
            for coordinate in coordinates {
                let parts = coordinate.split(separator: ",")
                svg += "<circle cx=\"\(parts[0])\" cy=\"\(parts[1])\" r=\"3\" fill=\"\(color)\"/>\n"
            }
            svg += "<text x=\"\(f(left + 10 + Double(offset) * 60))\" y=\"\(f(top - 6))\" fill=\"\(color)\">\(name)</text>\n"
        }
        return svg + "</svg>\n"
    }

    private func f(_ value: Double) -> String { String(format: "%.1f", value) }

    private func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
    }
}
