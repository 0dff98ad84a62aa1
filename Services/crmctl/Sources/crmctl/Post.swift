import ArgumentParser
import Foundation
import Shared

struct Post: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Post messages to a topic: one per line of a JSON Lines file (or stdin), or the whole file with --whole.")
    @OptionGroup var broker: BrokerOptions
    @Argument(help: "Topic, e.g. crm.lead.intake.") var topic: String
    @Argument(help: "File to read; - or nothing for stdin.") var file: String = "-"
    @Option(help: "Key for every message (default: none).") var key: String?
    @Flag(help: "Send the whole input as one message.") var whole = false

    func run() async throws {
        let data = try readInput(file)
        let text = String(decoding: data, as: UTF8.self)
        let values = whole ? [text] : text.split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
            .filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
        let producer = try KafkaProducer(config: broker.config("post"), logger: broker.logger)
        let reports = try await producer.send(values.map { ProducerRecord(topic: topic, key: key, value: $0) })
        await producer.close()
        print("posted \(reports.count) message(s) to \(topic)")
    }
}
