import Logging
import PostgresNIO

/// What a service's wiring code gets from the runner: shared clients and settings.
public struct ServiceContext: Sendable {
    public let configuration: ServiceConfiguration
    public let postgres: PostgresClient
    /// The process's producer, shared by the outbox relay and the dead-letter publisher.
    public let producer: KafkaProducer
    public let admin: KafkaAdmin
    public let logger: Logger

    /// Client settings for another Kafka client of this service (a consumer, say).
    public func kafkaConfig(clientSuffix: String) -> KafkaClientConfig {
        KafkaClientConfig(bootstrapServers: configuration.kafkaBrokers, clientId: "\(configuration.serviceName)-\(clientSuffix)",
                          properties: ["auto.offset.reset": configuration.consumerStart.rawValue])
    }

    public var deadLetters: DeadLetterPublisher {
        DeadLetterPublisher(service: configuration.serviceName, producer: producer)
    }

    public var retryPolicy: RetryPolicy {
        RetryPolicy(maxAttempts: configuration.deadLetterAttempts, initialBackoff: configuration.retryBackoff)
    }

    /// A consumer pipeline with this service's retry, batch, fetch-wait and dead-letter settings, in consumer
    /// group `CRM_CONSUMER_GROUP_PREFIX` + `group`.
    public func consumer(group: String, topics: [String], handler: any MessageBatchHandler) -> ConsumerPipeline {
        let group = configuration.consumerGroupPrefix + group
        var kafka = kafkaConfig(clientSuffix: group)
        kafka.properties["fetch.wait.max.ms"] = String(configuration.consumerFetchWaitMilliseconds)
        return ConsumerPipeline(
            name: group, kafka: kafka, topics: topics, handler: handler,
            deadLetters: deadLetters, retry: retryPolicy, batchSize: configuration.consumerBatchSize, logger: logger)
    }
}
