import Foundation
import Logging
import Metrics
import PostgresNIO
import ServiceLifecycle

/// Publishes one producer's outbox rows to Kafka in id order, marking them published only after
/// the broker acknowledged them. A transaction-scoped advisory lock lets one relay per producer
/// work at a time (several instances may run), which keeps each aggregate's events in order.
/// A crash between publish and mark re-publishes the rows later: duplicates are possible, losses
/// are not, and consumers' inboxes make the effects happen once.
public struct OutboxRelay: Service {
    public struct Options: Sendable {
        public var batchSize = 500
        public var pollInterval: Duration = .seconds(1)
        public var retention: Duration = .seconds(72 * 3600)
        public var cleanupInterval: Duration = .seconds(600)
        /// How often the relay vacuums `outbox_queue` (see `vacuumQueue`).
        public var queueVacuumInterval: Duration = .seconds(10)
        public init() {}
    }

    /// Called after the broker acknowledged a batch and before it is marked published; throwing
    /// here rolls the mark back. Lets tests and fault drills stop a relay at its worst moment.
    public typealias PublishedHook = @Sendable (_ eventIds: [UUID]) async throws -> Void

    private let producerName: String
    private let client: PostgresClient
    private let kafka: KafkaProducer
    private let options: Options
    private let logger: Logger
    private let afterPublish: PublishedHook?
    private let wake = WakeSignal()
    private let published: Counter
    private let backlog: Gauge
    /// A batch from its read to its commit; events committed meanwhile wait for the next batch.
    private let batchDuration: Timer
    /// The broker's acknowledgement of a batch, the part of `batchDuration` spent waiting on Kafka.
    private let acknowledgementDuration: Timer
    /// Each event's wait in the outbox: from the start of the transaction that wrote it (its
    /// `created_at`) to its hand-over to the producer, which stamps the Kafka message.
    private let eventAge: Timer

    public init(
        producer: String, client: PostgresClient, kafka: KafkaProducer, options: Options = Options(),
        logger: Logger, afterPublish: PublishedHook? = nil
    ) {
        self.producerName = producer
        self.client = client
        self.kafka = kafka
        self.options = options
        self.logger = logger
        self.afterPublish = afterPublish
        published = Counter(label: "crm_outbox_published_total", dimensions: [("producer", producer)])
        backlog = Gauge(label: "crm_outbox_backlog", dimensions: [("producer", producer)])
        batchDuration = Timer(label: "crm_outbox_batch_seconds", dimensions: [("producer", producer)], preferredDisplayUnit: .seconds)
        acknowledgementDuration = Timer(label: "crm_outbox_acknowledgement_seconds", dimensions: [("producer", producer)], preferredDisplayUnit: .seconds)
        eventAge = Timer(label: "crm_outbox_event_age_seconds", dimensions: [("producer", producer)], preferredDisplayUnit: .seconds)
    }

    public func run() async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await listenForNotifications() }
            group.addTask { try await relayUntilShutdown() }
            try await group.next()
            group.cancelAll()
        }
    }

    /// Publishes pending rows until none are left; returns how many were published.
    @discardableResult
    public func publishPending() async throws -> Int {
        var total = 0
        while true {
            let count = try await publishBatch()
            total += count
            if count < options.batchSize { return total }
        }
    }

    private func relayUntilShutdown() async throws {
        var lastCleanup = ContinuousClock.now
        var lastVacuum = ContinuousClock.now
        var lastBacklog = ContinuousClock.now - options.pollInterval
        var attempt = 0
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            do {
                try await publishPending()
                // A gauge, not per wake-up: under load NOTIFY wakes the relay for every batch.
                if ContinuousClock.now - lastBacklog >= options.pollInterval {
                    try await updateBacklog()
                    lastBacklog = .now
                }
                if ContinuousClock.now - lastVacuum >= options.queueVacuumInterval {
                    await vacuumQueue()
                    lastVacuum = .now
                }
                if ContinuousClock.now - lastCleanup > options.cleanupInterval {
                    try await cleanUp()
                    lastCleanup = .now
                }
                attempt = 0
                await waitForWork(options.pollInterval)
            } catch {
                attempt += 1
                logger.warning("outbox relay failed, retrying", metadata: ["error": "\(String(reflecting: error))", "attempt": "\(attempt)"])
                await waitForWork(RetryPolicy.backoff(attempt: attempt, initial: .milliseconds(200), maximum: .seconds(5)))
            }
        }
    }

    private func waitForWork(_ timeout: Duration) async {
        await withGracefulShutdownHandler {
            await wake.wait(timeout: timeout)
        } onGracefulShutdown: {
            wake.signal()
        }
    }

    private func publishBatch() async throws -> Int {
        let lockKey = "outbox:" + producerName
        let start = ContinuousClock.now
        let count = try await client.unitOfWork(logger: logger) { connection -> Int in
            var ids: [Int64] = []
            var eventIds: [UUID] = []
            var records: [ProducerRecord] = []
            let pending = try await connection.rows(
                PendingBatch(lockKey: lockKey, producer: producerName, limit: options.batchSize), logger: logger)
            // The batch goes to the producer right after this read.
            let handedOver = Date()
            for (id, eventId, topic, key, type, payload, createdAt) in pending {
                ids.append(id)
                eventIds.append(eventId)
                eventAge.recordSeconds(max(0, handedOver.timeIntervalSince(createdAt)))
                records.append(ProducerRecord(topic: topic, key: key, value: payload, headers: [
                    KafkaHeader(key: "event-id", text: eventId.uuidString.lowercased()),
                    KafkaHeader(key: "event-type", text: type),
                    KafkaHeader(key: "producer", text: producerName),
                ]))
            }
            guard !records.isEmpty else { return 0 }
            let sent = ContinuousClock.now
            try await kafka.send(records)
            acknowledgementDuration.record(duration: ContinuousClock.now - sent)
            Failpoint.relayAfterProduce.pass()
            if let afterPublish { try await afterPublish(eventIds) }
            // The transaction idled while the broker acknowledged: the server may have gone meanwhile.
            try connection.checkOpen()
            _ = try await connection.rows(MarkPublished(producer: producerName, ids: ids), logger: logger)
            published.increment(by: records.count)
            return records.count
        }
        if count > 0 { batchDuration.record(duration: ContinuousClock.now - start) }
        return count
    }

    private func updateBacklog() async throws {
        let count = try await client.queryRows(
            "SELECT count(*) FROM outbox_queue WHERE producer = \(producerName)", logger: logger
        ).first?.decode(Int.self) ?? 0
        backlog.record(count)
    }

    /// Every published row leaves a dead row version in `outbox_queue` (and its index) that the
    /// relay's read steps over until VACUUM removes it. Autovacuum looks at a database once a
    /// minute at best, and not at all while its workers are busy with large tables; at 1,000
    /// events a second that is 60,000 dead rows or more. Vacuuming the small queue here keeps it
    /// to a few seconds' worth, for about a millisecond of work: the queue is never truncated
    /// (migration 9), which took an exclusive lock on it and made each vacuum wait 50-330 ms for
    /// that lock. When another relay is at it, this one skips (`OutboxQueueVacuum`). A failure is
    /// logged and does not stop publishing.
    private func vacuumQueue() async {
        do {
            _ = try await OutboxQueueVacuum.run(client: client, logger: logger)
        } catch {
            logger.warning("outbox queue vacuum failed", metadata: ["error": "\(String(reflecting: error))"])
        }
    }

    private func cleanUp() async throws {
        let seconds = Int(options.retention.components.seconds)
        _ = try await client.queryRows("""
            DELETE FROM outbox AS o
            WHERE o.producer = \(producerName) AND o.created_at < now() - make_interval(secs => \(seconds))
              AND NOT EXISTS (SELECT 1 FROM outbox_queue AS q WHERE q.producer = o.producer AND q.id = o.id)
            """, logger: logger)
    }

    /// The relay lock and the next batch in one round trip, prepared (each batch runs it). The
    /// queue holds only pending rows (and, until `vacuumQueue`, a few seconds of deleted ones), so the
    /// read does not grow with what was published before.
    /// MATERIALIZED evaluates the lock exactly once: as a plain WHERE term it could run per row and
    /// change its answer halfway through the scan. Not holding the lock reads nothing, like an empty
    /// outbox.
    struct PendingBatch: PostgresPreparedStatement {
        static let sql = """
            WITH relay AS MATERIALIZED (SELECT pg_try_advisory_xact_lock(hashtext($1)) AS locked)
            SELECT o.id, o.event_id, o.topic, o.message_key, o.event_type, o.payload, o.created_at
            FROM relay, outbox_queue AS q JOIN outbox AS o ON o.id = q.id
            WHERE relay.locked AND q.producer = $2
            ORDER BY q.id LIMIT $3
            """
        typealias Row = (Int64, UUID, String, String, String, String, Date)

        var lockKey: String
        var producer: String
        var limit: Int

        func makeBindings() -> PostgresBindings {
            var bindings = PostgresBindings()
            bindings.append(lockKey)
            bindings.append(producer)
            bindings.append(limit)
            return bindings
        }

        func decodeRow(_ row: PostgresRow) throws -> Row { try row.decode(Row.self) }
    }

    /// Marks a published batch (takes it off the queue), prepared (each batch runs it).
    struct MarkPublished: PostgresPreparedStatement {
        static let sql = "DELETE FROM outbox_queue WHERE producer = $1 AND id = ANY($2)"
        typealias Row = Void

        var producer: String
        var ids: [Int64]

        func makeBindings() -> PostgresBindings {
            var bindings = PostgresBindings()
            bindings.append(producer)
            bindings.append(ids)
            return bindings
        }
    }

    /// LISTEN on this producer's outbox channel (`Outbox.append` notifies it) and wake the relay.
    /// Reconnects after errors; polling covers any notification missed meanwhile.
    private func listenForNotifications() async {
        var attempt = 0
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            do {
                try await client.withConnection { connection in
                    try connection.checkOpen()
                    try await connection.listen(on: Outbox.notificationChannel(for: producerName)) { notifications in
                        attempt = 0
                        for try await _ in notifications { wake.signal() }
                    }
                }
            } catch {
                if Task.isCancelled { return }
                attempt += 1
                logger.debug("outbox listener reconnecting", metadata: ["error": "\(error)"])
            }
            try? await Task.sleep(for: RetryPolicy.backoff(attempt: attempt, initial: .milliseconds(200), maximum: .seconds(5)))
        }
    }
}
