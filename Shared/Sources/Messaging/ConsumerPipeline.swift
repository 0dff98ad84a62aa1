import Logging
import Metrics
import ServiceLifecycle

/// Consumes topics with a group, hands batches to a handler and stores offsets only after the
/// handler's work committed.
///
/// Failure handling: a transient fault (database or broker down) pauses and retries the same
/// batch until it passes or the service shuts down; any other failure retries the batch once
/// more message by message, and a message that still fails after `retry.maxAttempts` goes to the
/// dead-letter topic so it never blocks its partition. On graceful shutdown the current batch
/// finishes, offsets are committed and the consumer leaves its group.
public struct ConsumerPipeline: Service {
    private let name: String
    private let makeConsumer: @Sendable () throws -> KafkaConsumer
    private let handler: any MessageBatchHandler
    private let deadLetters: DeadLetterPublisher
    private let retry: RetryPolicy
    private let batchSize: Int
    private let logger: Logger
    private let handlerDuration: Timer
    /// Each message's age when the group hands it to the handler, from its Kafka timestamp (set
    /// when it was produced): the broker's produce and fetch, and any lag (clocks permitting).
    private let messageAge: Timer
    private let deadLettered: Counter

    /// Thrown when shutdown interrupts a retry: the batch is left uncommitted for the next owner.
    struct ShutdownDuringRetry: Error {}

    public init(
        name: String, kafka: KafkaClientConfig, topics: [String], handler: any MessageBatchHandler,
        deadLetters: DeadLetterPublisher, retry: RetryPolicy, batchSize: Int, logger: Logger
    ) {
        self.name = name
        self.makeConsumer = { try KafkaConsumer(config: kafka, groupId: name, topics: topics, logger: logger) }
        self.handler = handler
        self.deadLetters = deadLetters
        self.retry = retry
        self.batchSize = batchSize
        self.logger = logger
        handlerDuration = Timer(label: "crm_handler_duration_seconds", dimensions: [("consumer", name)], preferredDisplayUnit: .seconds)
        messageAge = Timer(label: "crm_consumer_message_age_seconds", dimensions: [("consumer", name)], preferredDisplayUnit: .seconds)
        deadLettered = Counter(label: "crm_messages_dead_lettered_total", dimensions: [("consumer", name)])
    }

    public func run() async throws {
        let consumer = try makeConsumer()
        ConsumerRegistry.shared.register(consumer)
        defer { ConsumerRegistry.shared.remove(consumer) }
        logger.info("consumer started", metadata: ["group": "\(name)", "topics": "\(consumer.topics)"])
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await reportLag(of: consumer) }
            defer { group.cancelAll() }
            do {
                for try await batch in consumer.batches(maxMessages: batchSize).cancelOnGracefulShutdown() {
                    recordAges(of: batch)
                    try await process(batch)
                    Failpoint.consumerAfterCommit.pass()
                    consumer.storeOffsets(for: batch)
                    countConsumed(batch)
                }
            } catch is ShutdownDuringRetry {
                logger.info("shutdown while retrying; the batch stays uncommitted", metadata: ["group": "\(name)"])
            }
            await consumer.close()
            logger.info("consumer closed", metadata: ["group": "\(name)"])
        }
    }

    /// Runs a batch to completion: applied, or its poison messages dead-lettered.
    func process(_ batch: [KafkaMessage]) async throws {
        do {
            try await handleRetryingTransientFaults(batch)
            return
        } catch let error as ShutdownDuringRetry {
            throw error
        } catch {
            logger.warning("batch failed; isolating its messages", metadata: ["group": "\(name)", "error": "\(error)", "size": "\(batch.count)"])
        }
        for message in batch {
            try await processAlone(message, firstAttemptsUsed: batch.count == 1 ? 1 : 0)
        }
    }

    private func processAlone(_ message: KafkaMessage, firstAttemptsUsed: Int) async throws {
        var attempts = firstAttemptsUsed
        while true {
            if attempts > 0 { try await pause(retry.backoff(attempt: attempts)) }
            attempts += 1
            do {
                try await handleRetryingTransientFaults([message])
                return
            } catch let error as ShutdownDuringRetry {
                throw error
            } catch {
                guard attempts >= retry.maxAttempts else { continue }
                try await deadLetter(message, error: error, attempts: attempts)
                return
            }
        }
    }

    private func handleRetryingTransientFaults(_ batch: [KafkaMessage]) async throws {
        var attempt = 0
        while true {
            do {
                let start = ContinuousClock.now
                try await handler.handle(batch)
                let elapsed = (ContinuousClock.now - start).components
                handlerDuration.recordNanoseconds(elapsed.seconds * 1_000_000_000 + elapsed.attoseconds / 1_000_000_000)
                return
            } catch where RetryPolicy.isTransient(error) {
                attempt += 1
                logger.warning("transient fault; pausing before retry", metadata: [
                    "group": "\(name)", "attempt": "\(attempt)", "error": "\(String(reflecting: error))",
                ])
                try await pause(RetryPolicy.backoff(attempt: attempt, initial: retry.initialBackoff, maximum: retry.maximumBackoff))
            }
        }
    }

    private func deadLetter(_ message: KafkaMessage, error: any Error, attempts: Int) async throws {
        var attempt = 0
        while true {
            do {
                try await deadLetters.publish(message, error: error, attempts: attempts)
                deadLettered.increment()
                logger.error("message sent to dead-letter topic", metadata: [
                    "group": "\(name)", "topic": "\(message.topic)", "partition": "\(message.partition)",
                    "offset": "\(message.offset)", "error": "\(error)", "deadLetterTopic": "\(deadLetters.topic)",
                ])
                return
            } catch {
                attempt += 1
                logger.warning("dead-letter publish failed; retrying", metadata: ["error": "\(error)"])
                try await pause(RetryPolicy.backoff(attempt: attempt, initial: retry.initialBackoff, maximum: retry.maximumBackoff))
            }
        }
    }

    /// Sleeps unless the service is shutting down, in which case the batch is abandoned.
    private func pause(_ duration: Duration) async throws {
        guard !Task.isShuttingDownGracefully else { throw ShutdownDuringRetry() }
        do {
            try await Task.sleep(for: duration)
        } catch {
            throw ShutdownDuringRetry()
        }
        guard !Task.isShuttingDownGracefully else { throw ShutdownDuringRetry() }
    }

    private func recordAges(of batch: [KafkaMessage]) {
        let now = KafkaTimestamp.now()
        for message in batch {
            guard let timestamp = message.timestampMilliseconds else { continue }
            messageAge.recordMilliseconds(max(0, now - timestamp))
        }
    }

    private func countConsumed(_ batch: [KafkaMessage]) {
        var perTopic: [String: Int] = [:]
        for message in batch { perTopic[message.topic, default: 0] += 1 }
        for (topic, count) in perTopic {
            Counter(label: "crm_messages_consumed_total", dimensions: [("consumer", name), ("topic", topic)]).increment(by: count)
        }
    }

    private func reportLag(of consumer: KafkaConsumer) async {
        while !Task.isCancelled {
            for (partition, lag) in consumer.lag() {
                Gauge(label: "crm_consumer_lag", dimensions: [
                    ("consumer", name), ("topic", partition.topic), ("partition", String(partition.partition)),
                ]).record(lag)
            }
            try? await Task.sleep(for: .seconds(5))
        }
    }
}
