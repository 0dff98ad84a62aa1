import CRMBench
import CRMTestSupport
import Foundation
import Shared
import Synchronization
import Testing

@Suite("Bench open-loop poster against the broker")
struct OpenLoopPosterTests {
    @Test("the poster reports each acknowledged chunk's partition ends while it posts, and they add up to its log's")
    func acknowledgedAsItGoes() async throws {
        let topic = try await TestInfrastructure.makeTopic("poster", partitions: 3)
        let generator = LeadGenerator(count: 60, duplicateShare: 0.3, malformedShare: 0, seed: 7, runId: "poster", now: Date())
        let (submissions, _) = generator.generate()
        let producer = try KafkaProducer(config: TestInfrastructure.kafkaConfig(), logger: TestInfrastructure.logger)
        let reported = Mutex<[[Int32: Int64]]>([])
        let log = try await OpenLoopPoster(producer: producer, topic: topic).post(submissions[...], rate: 200, acknowledged: { ends in
            reported.withLock { $0.append(ends) }
        })
        await producer.close()
        let chunks = reported.withLock { $0 }
        #expect(log.count == 60)
        #expect(chunks.count > 1, "at 200/s the submissions go in many small chunks, each reported when acknowledged")
        let merged = chunks.reduce(into: [Int32: Int64]()) { $0.merge($1, uniquingKeysWith: max) }
        #expect(merged == log.ends)
        #expect(log.ends.values.reduce(0, +) == 60, "a fresh topic: the ends count every message")
    }
}
