import ArgumentParser
import Shared

struct Lag: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Committed offsets and lag of a consumer group.")
    @OptionGroup var broker: BrokerOptions
    @Argument(help: "Consumer group, e.g. assignment.lead-events.") var group: String
    @Option(name: .customLong("topic"), help: "Topic to inspect (repeatable; default: every topic the group has committed on).")
    var topics: [String] = []

    func run() async throws {
        let lags = try await broker.admin().groupLag(group: group, topics: topics.isEmpty ? nil : topics)
        guard !lags.isEmpty else {
            report(topics.isEmpty
                ? "group \(group) has committed no offsets on any topic: check its name, or pass --topic to see its lag from the start of the log"
                : "none of the topics \(topics) exists on the broker")
            throw ExitCode.failure
        }
        print("topic\tpartition\tcommitted\thigh\tlag")
        for lag in lags {
            print("\(lag.partition.topic)\t\(lag.partition.partition)\t\(lag.committed.map(String.init) ?? "-")\t\(lag.high)\t\(lag.lag)")
        }
        print("total lag\t\(lags.reduce(0) { $0 + $1.lag })")
    }
}
