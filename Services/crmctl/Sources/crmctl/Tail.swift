import ArgumentParser
import Foundation
import Shared

struct Tail: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print messages of a topic: partition, offset, key, headers, value (one line each).")
    @OptionGroup var broker: BrokerOptions
    @Argument(help: "Topic to read.") var topic: String
    @Flag(help: "Start at the beginning instead of the end.") var fromBeginning = false
    @Option(help: "Stop after this many messages.") var max: Int?
    @Option(help: "Stop after this many seconds without a message.") var idle: Int?

    func run() async throws {
        var config = broker.config("tail")
        config.properties["auto.offset.reset"] = fromBeginning ? "earliest" : "latest"
        config.properties["enable.auto.commit"] = "false"
        let consumer = try KafkaConsumer(
            config: config, groupId: "crmctl-tail-\(UUID().uuidString.prefix(8))", topics: [topic], logger: broker.logger)
        var printed = 0
        var lastMessage = ContinuousClock.now
        while max.map({ printed < $0 }) ?? true {
            let batch = try await consumer.poll(maxMessages: 500, timeout: .milliseconds(500))
            // Idle time counts from when the group gave us partitions, not from start-up.
            if consumer.assignment.isEmpty { lastMessage = .now }
            if batch.isEmpty, let idle, ContinuousClock.now - lastMessage > .seconds(idle) { break }
            for message in batch.prefix(max.map { $0 - printed } ?? .max) {
                let headers = message.headers.map { "\($0.key)=\($0.text ?? "<binary>")" }.joined(separator: ",")
                print("\(message.partition)\t\(message.offset)\t\(message.keyText ?? "-")\t\(headers)\t\(message.valueText ?? "<binary \(message.value.count) bytes>")")
                printed += 1
            }
            if !batch.isEmpty { lastMessage = .now }
        }
        await consumer.close()
    }
}
