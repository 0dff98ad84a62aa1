import ArgumentParser
import Foundation
import Shared

struct DeadLetters: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dlq", abstract: "Inspect and replay a service's dead-letter topic.", subcommands: [Replay.self])

    struct Replay: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Re-post dead letters to the topics they came from, then commit them as replayed.")
        @OptionGroup var broker: BrokerOptions
        @Argument(help: "Service whose crm.dlq.<service> to replay.") var service: String
        @Option(help: "Replay at most this many.") var max = Int.max
        @Option(help: "Stop after this many seconds without a dead letter.") var idle = 5

        func run() async throws {
            let topic = Shared.Topics.deadLetter(for: service)
            // A fixed group: what was replayed once is not replayed again.
            let consumer = try KafkaConsumer(
                config: broker.config("replay"), groupId: "crmctl-replay-\(service)", topics: [topic], logger: broker.logger)
            let producer = try KafkaProducer(config: broker.config("replay"), logger: broker.logger)
            var replayed = 0
            var lastMessage = ContinuousClock.now
            while replayed < max {
                let batch = Array(try await consumer.poll(maxMessages: Swift.min(500, max - replayed)).prefix(max - replayed))
                if batch.isEmpty {
                    // Idle time counts from when the group gave us partitions, not from start-up.
                    if consumer.assignment.isEmpty { lastMessage = .now; continue }
                    if ContinuousClock.now - lastMessage > .seconds(idle) { break }
                    continue
                }
                lastMessage = .now
                var records: [ProducerRecord] = []
                for letter in batch {
                    guard let original = letter.headers.text(DeadLetterPublisher.Header.originalTopic) else {
                        report("skipping \(topic)[\(letter.partition)]@\(letter.offset): no \(DeadLetterPublisher.Header.originalTopic) header")
                        continue
                    }
                    let headers = letter.headers.filter { !$0.key.hasPrefix("dlq-") }
                        + [KafkaHeader(key: "replayed-from", text: "\(topic)@\(letter.partition):\(letter.offset)")]
                    records.append(ProducerRecord(topic: original, key: letter.key, value: letter.value, headers: headers))
                }
                try await producer.send(records)
                consumer.storeOffsets(for: batch)
                replayed += records.count
            }
            try await consumer.commit()
            await consumer.close()
            await producer.close()
            print("replayed \(replayed) dead letter(s) from \(topic)")
        }
    }
}
