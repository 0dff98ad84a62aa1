import ArgumentParser
import CRMBench

/// `crmctl bench roster`: the benchmark's reps as CSV (for `crmctl reps import -`) or its routing
/// policy (for `crmctl rules set routing -`).
struct BenchRosterCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "roster",
        abstract: "Print the benchmark roster as rep CSV, or its routing policy with --policy.",
        discussion: """
            Reps are spread over every region the generated leads come from (\(LeadGenerator.regions.joined(separator: ", "))), \
            each covering two of the product lines (\(LeadGenerator.productLines.joined(separator: ", "))), any time of day. \
            The policy requires the region and prefers product line and industry.
            """)
    @Option(help: "Number of reps.") var reps = 200
    @Option(help: "Capacity of each rep (open leads, at most 10000).") var capacity = 10_000
    @Flag(help: "Print the routing policy instead of the reps.") var policy = false

    func validate() throws {
        guard (1...10_000).contains(reps), (0...10_000).contains(capacity) else { throw ValidationError("--reps and --capacity must be 1...10000 and 0...10000") }
    }

    func run() async throws {
        print(policy ? BenchRoster.routingPolicy : BenchRoster(reps: reps, capacity: capacity).csv, terminator: policy ? "\n" : "")
    }
}

extension PhaseResult {
    /// A row of the `bench pipeline` table.
    var row: String {
        func pad(_ text: String, _ width: Int) -> String {
            text.count >= width ? text : String(repeating: " ", count: width - text.count) + text
        }
        var columns = [rateLabel.padding(toLength: 8, withPad: " ", startingAt: 0), pad(String(posted), 7), pad(String(leads), 6)]
        for value in [latency?.p50, latency?.p95, latency?.p99, latency?.max] {
            columns.append(pad(value.map(String.init) ?? "-", 7))
        }
        columns.append(pad(String(Int(throughput.rounded())), 6))
        columns.append(pad(String(peakIntakeLag), 11))
        columns.append(pad(String(peakInFlight), 10))
        for (name, item) in usage.filter({ !$0.value.withChildren }).sorted(by: { $0.key < $1.key }) {
            columns.append(pad(String(format: "%.0f/%.0f", Double(item.peakResidentBytes) / 1_048_576, item.cpuPercent), 10 + name.count))
        }
        return columns.joined(separator: " ") + (complete ? "" : "  INCOMPLETE")
    }
}
