import Foundation

/// A progress line on stderr: `[#########...........]  4000/10000 rows  40%  2391 rows/s`.
/// On a terminal it redraws in place (at most 10 times a second); in a log file it writes a line
/// every few seconds, so piping crmctl to a file does not fill it with carriage returns.
struct ProgressBar {
    let total: Int
    let unit: String
    private let start = ContinuousClock.now
    private var lastDraw: ContinuousClock.Instant?
    /// The last count given to `update`.
    private(set) var lastDone = 0
    private let interactive = isatty(STDERR_FILENO) != 0

    init(total: Int, unit: String) {
        self.total = total
        self.unit = unit
        // In a log, the first line comes after a few seconds: short runs only write the final one.
        if !interactive { lastDraw = start }
    }

    /// Seconds since the bar was created.
    var elapsed: Double { Self.seconds(ContinuousClock.now - start) }

    mutating func update(_ done: Int) {
        lastDone = done
        let now = ContinuousClock.now
        if let lastDraw, now - lastDraw < (interactive ? .milliseconds(100) : .seconds(5)) { return }
        lastDraw = now
        draw(done, final: false)
    }

    /// Draws the final state and ends the line.
    mutating func finish(_ done: Int) {
        draw(done, final: true)
    }

    private func draw(_ done: Int, final: Bool) {
        let width = 30
        let fraction = total == 0 ? 1 : min(1, Double(done) / Double(total))
        let filled = Int((fraction * Double(width)).rounded(.down))
        let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
        let seconds = elapsed
        let rate = seconds > 0 ? Int(Double(done) / seconds) : 0
        let text = "[\(bar)] \(done)/\(total) \(unit)  \(Int(fraction * 100))%  \(rate) \(unit)/s"
        if interactive {
            FileHandle.standardError.write(Data(("\r" + text + (final ? "\n" : "")).utf8))
        } else {
            report(text)
        }
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}
