import Foundation
import Logging
import Shared
import Synchronization

/// Reads `crm.lead.rejected` and the dead-letter topics from their end while a run posts, and
/// keeps the keys (submission ids) of the run's messages found there, with the reason given.
public final class RejectionCollector: Sendable {
    public struct Found: Sendable, Equatable {
        public var topic: String
        /// The `reason` header of a rejection or the `dlq-error` header of a dead letter.
        public var reason: String
    }

    private let prefix: String
    private let found = Mutex([String: Found]())
    private let follower: TopicFollower

    public static var defaultTopics: [String] {
        [Topics.leadRejected, Topics.deadLetter(for: "lead-intake"), Topics.deadLetter(for: "assignment")]
    }

    public init(config: KafkaClientConfig, prefix: String, topics: [String] = RejectionCollector.defaultTopics, logger: Logger) throws {
        self.prefix = prefix
        follower = try TopicFollower(config: config, groupPrefix: "crm-bench-rejections", topics: topics, maxMessages: 1000, logger: logger)
    }

    /// Keys of the run found so far.
    public var keys: [String: Found] { found.withLock { $0 } }

    public func waitUntilAssigned(timeout: Duration) async throws -> Bool {
        try await follower.waitUntilAssigned(timeout: timeout, take: take)
    }

    public func run() async throws {
        try await follower.run(take: take)
    }

    public func stop() {
        follower.stop()
    }

    private func take(_ batch: [KafkaMessage]) {
        found.withLock { found in
            for message in batch {
                guard let key = message.keyText, key.hasPrefix(prefix) else { continue }
                let reason = message.headers.text("reason") ?? message.headers.text(DeadLetterPublisher.Header.error) ?? "?"
                found[key] = found[key] ?? Found(topic: message.topic, reason: reason)
            }
        }
    }
}
