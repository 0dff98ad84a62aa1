import Foundation
import ServiceLifecycle
import Synchronization
import Testing
import CRMTestSupport
@testable import Shared

@Suite("Consumer pipeline: retries, dead letters, offsets")
struct ConsumerPipelineTests {
    let logger = TestInfrastructure.logger

    struct Poison: Error, CustomStringConvertible {
        var description: String { "value is poison" }
    }

    struct Outage: Transient {}

    final class Recorder: Sendable {
        let handled = Mutex<[String]>([])
        let failures = Mutex(0)
        var values: [String] { handled.withLock { $0 } }
    }

    /// Runs the pipeline until `done` says so (bounded), then stops it the way a shutdown does.
    func run(_ pipeline: ConsumerPipeline, until done: @escaping @Sendable () async throws -> Bool) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await pipeline.run() }
            let end = ContinuousClock.now + .seconds(45)
            while try await !done(), ContinuousClock.now < end {
                try await Task.sleep(for: .milliseconds(200))
            }
            group.cancelAll()
            try await group.waitForAll()
        }
    }

    @Test("a poison message goes to the dead-letter topic with its headers; the others are handled and committed")
    func poisonToDeadLetters() async throws {
        let service = TestInfrastructure.unique("svc")
        let topic = try await TestInfrastructure.makeTopic("input", partitions: 1)
        let admin = try KafkaAdmin(config: TestInfrastructure.kafkaConfig(), logger: logger)
        try await admin.createTopics([Topics.deadLetter(for: service)], partitions: 1)
        let producer = try KafkaProducer(config: TestInfrastructure.kafkaConfig(), logger: logger)
        try await producer.send(["a", "poison", "b"].map {
            ProducerRecord(topic: topic, key: "lead-1", value: $0, headers: [KafkaHeader(key: "event-id", text: "id-\($0)")])
        })

        let recorder = Recorder()
        let handler = ClosureBatchHandler { batch in
            if batch.contains(where: { $0.valueText == "poison" }) {
                recorder.failures.withLock { $0 += 1 }
                throw Poison()
            }
            recorder.handled.withLock { $0 += batch.compactMap(\.valueText) }
        }
        let group = TestInfrastructure.unique("pipeline")
        let pipeline = ConsumerPipeline(
            name: group, kafka: TestInfrastructure.kafkaConfig(), topics: [topic], handler: handler,
            deadLetters: DeadLetterPublisher(service: service, producer: producer),
            retry: RetryPolicy(maxAttempts: 3, initialBackoff: .milliseconds(10)), batchSize: 100, logger: logger)
        try await run(pipeline) {
            let committed = try await admin.groupLag(group: group, topics: [topic]).first?.committed
            return recorder.values.count == 2 && committed == 3
        }
        await producer.close()

        #expect(recorder.values.sorted() == ["a", "b"])
        // Three attempts on the isolated poison message, plus the failed first try of a whole batch
        // when it arrived together with the others.
        #expect((3...4).contains(recorder.failures.withLock { $0 }))
        let letters = try await TestInfrastructure.consume(Topics.deadLetter(for: service), count: 1)
        let letter = try #require(letters.first)
        #expect(letters.count == 1)
        #expect(letter.valueText == "poison")
        #expect(letter.keyText == "lead-1")
        #expect(letter.headers.text(DeadLetterPublisher.Header.originalTopic) == topic)
        #expect(letter.headers.text(DeadLetterPublisher.Header.originalPartition) == "0")
        #expect(letter.headers.text(DeadLetterPublisher.Header.originalOffset) == "1")
        #expect(letter.headers.text(DeadLetterPublisher.Header.attempts) == "3")
        #expect(letter.headers.text(DeadLetterPublisher.Header.error) == "value is poison")
        #expect(letter.headers.text("event-id") == "id-poison")
        let lag = try await admin.groupLag(group: group, topics: [topic])
        #expect(lag.first?.committed == 3, "the poison message's offset is committed too")
    }

    @Test("each message's age is recorded when its batch reaches the handler, counted from its Kafka timestamp")
    func messageAges() async throws {
        let registry = Observability.registry  // before the pipeline makes its metrics
        let topic = try await TestInfrastructure.makeTopic("ages", partitions: 1)
        let producer = try KafkaProducer(config: TestInfrastructure.kafkaConfig(), logger: logger)
        try await producer.send((1...3).map { ProducerRecord(topic: topic, key: "lead-1", value: "\($0)") })
        // Every message is at least this old by the time the pipeline starts.
        try await Task.sleep(for: .milliseconds(300))

        let recorder = Recorder()
        let handler = ClosureBatchHandler { batch in recorder.handled.withLock { $0 += batch.compactMap(\.valueText) } }
        let group = TestInfrastructure.unique("ages")
        let pipeline = ConsumerPipeline(
            name: group, kafka: TestInfrastructure.kafkaConfig(), topics: [topic], handler: handler,
            deadLetters: DeadLetterPublisher(service: TestInfrastructure.unique("svc"), producer: producer),
            retry: RetryPolicy(maxAttempts: 3, initialBackoff: .milliseconds(10)), batchSize: 100, logger: logger)
        try await run(pipeline) { recorder.values.count == 3 }
        await producer.close()

        #expect(recorder.values == ["1", "2", "3"])
        let text = registry.emitToString()
        #expect(text.contains("crm_consumer_message_age_seconds_count{consumer=\"\(group)\"} 3"), "in:\n\(text)")
        let sum = try #require(TestInfrastructure.metricValue("crm_consumer_message_age_seconds_sum{consumer=\"\(group)\"}", in: text))
        #expect(sum >= 0.9, "three messages, each at least 0.3 s old")
    }

    @Test("a transient fault pauses and retries without dead-lettering")
    func transientFaultRetries() async throws {
        let service = TestInfrastructure.unique("svc")
        let topic = try await TestInfrastructure.makeTopic("outage", partitions: 1)
        let producer = try KafkaProducer(config: TestInfrastructure.kafkaConfig(), logger: logger)
        try await producer.send(ProducerRecord(topic: topic, key: "k", value: "only"))

        let recorder = Recorder()
        let handler = ClosureBatchHandler { batch in
            // The database is "down" for the first five attempts: more than maxAttempts.
            let failures = recorder.failures.withLock { count in
                count += 1
                return count
            }
            if failures <= 5 { throw Outage() }
            recorder.handled.withLock { $0 += batch.compactMap(\.valueText) }
        }
        let pipeline = ConsumerPipeline(
            name: TestInfrastructure.unique("outage"), kafka: TestInfrastructure.kafkaConfig(), topics: [topic],
            handler: handler, deadLetters: DeadLetterPublisher(service: service, producer: producer),
            retry: RetryPolicy(maxAttempts: 2, initialBackoff: .milliseconds(10), maximumBackoff: .milliseconds(50)),
            batchSize: 10, logger: logger)
        try await run(pipeline) { recorder.values.count == 1 }
        await producer.close()
        #expect(recorder.values == ["only"])
        #expect(recorder.failures.withLock { $0 } == 6)
    }
}
