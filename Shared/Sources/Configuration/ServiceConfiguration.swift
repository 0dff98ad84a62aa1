import Foundation
import Logging

/// Log levels accepted in `CRM_LOG_LEVEL`.
public enum LogLevelSetting: String, CaseIterable, Sendable {
    case trace, debug, info, notice, warning, error, critical
    public var level: Logger.Level { Logger.Level(rawValue: rawValue)! }
}

/// Where a consumer group without committed offsets starts reading.
public enum ConsumerStart: String, CaseIterable, Sendable {
    /// The whole retained history (the default: nothing is skipped).
    case earliest
    /// Only what arrives after the group joined (a new deployment that must not replay history).
    case latest
}

/// Everything a service reads from its environment. Defaults fit the local topology that
/// `make run` starts; docker-compose sets the production values.
public struct ServiceConfiguration: Sendable {
    public var serviceName: String
    public var httpHost: String
    public var httpPort: Int
    public var kafkaBrokers: String
    public var postgres: PostgresSettings
    /// Partitions for the topics this service creates at start-up.
    public var topicPartitions: Int
    public var logLevel: Logger.Level
    /// Messages per consumer poll (and so per database transaction).
    public var consumerBatchSize: Int
    /// librdkafka's `fetch.wait.max.ms` for this service's consumers: how long the broker may hold
    /// a fetch that found nothing. Apache Kafka answers as soon as data arrives, so a longer wait
    /// only saves requests there; Tansu answers when the wait runs out, so it is a floor under
    /// each hop's latency, and every empty fetch costs Tansu about a millisecond of CPU.
    public var consumerFetchWaitMilliseconds: Int
    /// Attempts before a message that keeps failing goes to the dead-letter topic.
    public var deadLetterAttempts: Int
    /// First retry pause; doubles each attempt.
    public var retryBackoff: Duration
    /// How often the outbox relay looks for events when no notification woke it.
    public var outboxPollInterval: Duration
    /// How long published outbox rows and inbox records are kept.
    public var outboxRetentionHours: Int
    public var inboxRetentionHours: Int
    /// Prepended to every consumer group (and inbox consumer name), so two deployments can share a
    /// broker without stealing each other's messages. Empty by default.
    public var consumerGroupPrefix: String
    /// Where new consumer groups start (`CRM_CONSUMER_START`); groups with offsets go on from them.
    public var consumerStart: ConsumerStart
    /// Keys accepted in `X-API-Key` on the /v1 routes.
    public var apiKeys: Set<String>
    /// The raw environment, for service-specific settings.
    public var environment: EnvironmentReader

    /// `CRM_API_KEYS`: comma-separated; the local default is `local-dev-key`.
    static func apiKeys(_ reader: EnvironmentReader) throws(ConfigurationError) -> Set<String> {
        let raw = try reader.string("CRM_API_KEYS", default: "local-dev-key")
        let keys = Set(raw.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) })
        guard !keys.contains(""), keys.allSatisfy({ $0.count >= 8 }) else {
            throw ConfigurationError(variable: "CRM_API_KEYS", value: raw, expected: "comma-separated keys of at least 8 characters")
        }
        return keys
    }

    public static func load(
        service: String, defaultHTTPPort: Int,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws(ConfigurationError) -> ServiceConfiguration {
        let reader = EnvironmentReader(environment)
        // Checked here so a mistyped drill exits 78 naming the variable instead of never firing.
        _ = try Failpoint.parse(reader.optionalString(Failpoint.environmentVariable) ?? "")
        return ServiceConfiguration(
            serviceName: service,
            httpHost: try reader.string("CRM_HTTP_HOST", default: "127.0.0.1"),
            httpPort: try reader.port("CRM_HTTP_PORT", default: defaultHTTPPort),
            kafkaBrokers: try reader.hostPorts("CRM_KAFKA_BROKERS", default: "127.0.0.1:19092"),
            postgres: try PostgresSettings.load(from: reader),
            topicPartitions: try reader.integer("CRM_TOPIC_PARTITIONS", default: 6, range: 1...1000),
            logLevel: try reader.choice("CRM_LOG_LEVEL", default: LogLevelSetting.info).level,
            // At most: a poll takes what has arrived. Under a backlog a batch's fixed cost (a dozen
            // statements) spreads over more leads: intake 2,860 leads/s at 500, 3,330 at 1,000.
            consumerBatchSize: try reader.integer("CRM_CONSUMER_BATCH_SIZE", default: 1_000, range: 1...10_000),
            consumerFetchWaitMilliseconds: try reader.integer("CRM_CONSUMER_FETCH_WAIT_MS", default: 10, range: 1...5_000),
            deadLetterAttempts: try reader.integer("CRM_DLQ_MAX_ATTEMPTS", default: 3, range: 1...100),
            retryBackoff: try reader.milliseconds("CRM_RETRY_BACKOFF_MS", default: 200, range: 1...60_000),
            outboxPollInterval: try reader.milliseconds("CRM_OUTBOX_POLL_MS", default: 1000, range: 10...60_000),
            outboxRetentionHours: try reader.integer("CRM_OUTBOX_RETENTION_HOURS", default: 72, range: 1...10_000),
            inboxRetentionHours: try reader.integer("CRM_INBOX_RETENTION_HOURS", default: 336, range: 1...100_000),
            consumerGroupPrefix: reader.optionalString("CRM_CONSUMER_GROUP_PREFIX") ?? "",
            consumerStart: try reader.choice("CRM_CONSUMER_START", default: ConsumerStart.earliest),
            apiKeys: try Self.apiKeys(reader),
            environment: reader
        )
    }
}
