import Foundation
import Logging
import Shared
import Synchronization

/// Reads topics from their end with a consumer group of its own (nothing committed) and hands each
/// batch to the caller's `take`, until `stop()`. What the bench's collectors share.
final class TopicFollower: Sendable {
    private let consumer: KafkaConsumer
    private let stopped = Mutex(false)
    private let maxMessages: Int

    /// How long the broker may hold a bench reader's fetch. Latency comes from broker timestamps, so
    /// how soon a reader sees an event changes no figure; but every Tansu fetch that finds new data
    /// lists every batch stored in the partition (docs/TANSU.md), so a reader fetching as often as
    /// the services (10 ms) would add a third to the broker's work on crm.lead.events.
    static let fetchWaitMilliseconds = 250

    init(config: KafkaClientConfig, groupPrefix: String, topics: [String], maxMessages: Int, logger: Logger) throws {
        var config = config
        config.properties["auto.offset.reset"] = "latest"
        config.properties["enable.auto.commit"] = "false"
        config.properties["fetch.wait.max.ms"] = String(Self.fetchWaitMilliseconds)
        consumer = try KafkaConsumer(config: config, groupId: "\(groupPrefix)-\(UUID().uuidString.prefix(8).lowercased())",
                                     topics: topics, logger: logger)
        self.maxMessages = maxMessages
    }

    /// Polls until the consumer owns its partitions: what is posted from then on will be seen.
    func waitUntilAssigned(timeout: Duration, take: ([KafkaMessage]) -> Void) async throws -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            try await pollOnce(take)
            if !consumer.assignment.isEmpty { return true }
        }
        return false
    }

    func run(take: ([KafkaMessage]) -> Void) async throws {
        while !stopped.withLock({ $0 }) && !Task.isCancelled {
            try await pollOnce(take)
        }
        await consumer.close()
    }

    func stop() {
        stopped.withLock { $0 = true }
    }

    private func pollOnce(_ take: ([KafkaMessage]) -> Void) async throws {
        let batch = try await consumer.poll(maxMessages: maxMessages, timeout: .milliseconds(100))
        if !batch.isEmpty { take(batch) }
    }
}
