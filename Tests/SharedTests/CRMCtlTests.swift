import Foundation
import Testing
import CRMTestSupport
@testable import Shared

/// crmctl as an operator runs it, against the local broker.
@Suite("crmctl")
struct CRMCtlTests {
    /// Runs crmctl to completion (bounded) and returns its exit status and stdout.
    func crmctl(_ arguments: [String], input: String? = nil) async throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = ServiceProcess.executable("crmctl")
        process.arguments = arguments + ["--brokers", TestInfrastructure.kafkaBrokers]
        let output = Pipe()
        let stdin = Pipe()
        process.standardOutput = output
        process.standardInput = stdin
        try process.run()
        if let input { stdin.fileHandleForWriting.write(Data(input.utf8)) }
        try stdin.fileHandleForWriting.close()
        let end = ContinuousClock.now + .seconds(60)
        while process.isRunning && ContinuousClock.now < end { try await Task.sleep(for: .milliseconds(50)) }
        if process.isRunning { process.terminate() }
        return (process.terminationStatus, String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self))
    }

    @Test("topics create and list show every contract topic")
    func topics() async throws {
        let created = try await crmctl(["topics", "create"])
        #expect(created.status == 0)
        let listed = try await crmctl(["topics", "list"])
        #expect(listed.status == 0)
        let names = Set(listed.output.split(separator: "\n").compactMap { $0.split(separator: "\t").first.map(String.init) })
        #expect(Set(Topics.all).isSubset(of: names))
    }

    @Test("post then tail shows the messages with their key")
    func postAndTail() async throws {
        let topic = try await TestInfrastructure.makeTopic("ctl", partitions: 1)
        let posted = try await crmctl(["post", topic, "--key", "web-1"], input: "{\"n\":1}\n\n{\"n\":2}\n")
        #expect(posted.status == 0)
        #expect(posted.output.contains("posted 2 message(s)"))
        let tailed = try await crmctl(["tail", topic, "--from-beginning", "--max", "2"])
        let lines = tailed.output.split(separator: "\n").map { $0.split(separator: "\t", omittingEmptySubsequences: false) }
        #expect(lines.map { $0[2] } == ["web-1", "web-1"])
        #expect(lines.map { $0[4] } == [#"{"n":1}"#, #"{"n":2}"#])
    }

    @Test("lag lists the partitions of the topics the group has read, not of every topic it never read")
    func lagOfReadTopics() async throws {
        let read = try await TestInfrastructure.makeTopic("lag-read", partitions: 2)
        let unread = try await TestInfrastructure.makeTopic("lag-unread", partitions: 1)
        let producer = try KafkaProducer(config: TestInfrastructure.kafkaConfig(), logger: TestInfrastructure.logger)
        try await producer.send((0..<6).map { ProducerRecord(topic: read, key: "lead-\($0)", value: "\($0)") }
            + (0..<4).map { ProducerRecord(topic: unread, key: "lead", value: "\($0)") })
        await producer.close()
        let group = TestInfrastructure.unique("lag")
        #expect(try await TestInfrastructure.consume(read, count: 6, group: group).count == 6)

        /// The table's partition rows as (topic, committed), without the header and the total.
        func rows(_ output: String) -> [(topic: String, committed: String)] {
            output.split(separator: "\n").dropFirst().filter { !$0.hasPrefix("total lag") }.map {
                let columns = $0.split(separator: "\t").map(String.init)
                return (columns[0], columns[2])
            }
        }
        let byDefault = try await crmctl(["lag", group])
        #expect(byDefault.status == 0)
        #expect(rows(byDefault.output).map(\.topic) == [read, read])
        #expect(rows(byDefault.output).reduce(0) { $0 + (Int($1.committed) ?? 0) } == 6)

        let asked = try await crmctl(["lag", group, "--topic", unread])
        #expect(asked.status == 0)
        #expect(rows(asked.output).map(\.topic) == [unread])
        #expect(rows(asked.output).map(\.committed) == ["-"])

        let unknown = try await crmctl(["lag", TestInfrastructure.unique("nobody")])
        #expect(unknown.status != 0)
        #expect(!unknown.output.contains("total lag"))
    }

    @Test("dlq replay re-posts dead letters to their original topic once")
    func replay() async throws {
        let service = TestInfrastructure.unique("svc")
        let original = try await TestInfrastructure.makeTopic("orig", partitions: 1)
        let admin = try KafkaAdmin(config: TestInfrastructure.kafkaConfig(), logger: TestInfrastructure.logger)
        try await admin.createTopics([Topics.deadLetter(for: service)], partitions: 1)
        let producer = try KafkaProducer(config: TestInfrastructure.kafkaConfig(), logger: TestInfrastructure.logger)
        let message = KafkaMessage(topic: original, partition: 0, offset: 7, key: Array("lead-9".utf8), value: Array("payload".utf8),
                                   headers: [KafkaHeader(key: "event-id", text: "e-9")])
        try await DeadLetterPublisher(service: service, producer: producer).publish(message, error: CocoaError(.fileNoSuchFile), attempts: 3)
        await producer.close()

        let first = try await crmctl(["dlq", "replay", service, "--idle", "5"])
        #expect(first.output.contains("replayed 1 dead letter(s)"))
        let second = try await crmctl(["dlq", "replay", service, "--idle", "5"])
        #expect(second.output.contains("replayed 0 dead letter(s)"))

        let replayed = try await TestInfrastructure.consume(original, count: 1)
        let again = try #require(replayed.first)
        #expect(replayed.count == 1)
        #expect(again.valueText == "payload" && again.keyText == "lead-9")
        #expect(again.headers.text("event-id") == "e-9")
        #expect(again.headers.text("replayed-from")?.hasPrefix(Topics.deadLetter(for: service)) == true)
        #expect(!again.headers.contains { $0.key.hasPrefix("dlq-") })
    }
}
