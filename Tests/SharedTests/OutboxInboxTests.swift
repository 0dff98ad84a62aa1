import Foundation
import PostgresNIO
import Synchronization
import Testing
import CRMTestSupport
@testable import Shared

@Suite("Outbox and inbox against Postgres and the broker")
struct OutboxInboxTests {
    let logger = TestInfrastructure.logger

    struct Note: Codable, Sendable, Equatable {
        var sequence: Int
    }

    static func event(_ topic: String, aggregate: String, sequence: Int) throws -> OutboxMessage {
        try OutboxMessage(topic: topic, envelope: EventEnvelope(
            type: "NoteAdded", aggregateId: aggregate, correlationId: "test", payload: Note(sequence: sequence)))
    }

    static func createNotes(_ client: PostgresClient) async throws {
        try await client.query("CREATE TABLE notes (aggregate TEXT NOT NULL, sequence INT NOT NULL)")
    }

    struct Abort: Error {}

    @Test("state and its events commit together or not at all")
    func atomicity() async throws {
        let topic = TestInfrastructure.unique("test.atomic")
        try await TestInfrastructure.withFreshDatabase { client, _ in
            try await Self.createNotes(client)
            await #expect(throws: Abort.self) {
                try await client.unitOfWork(logger: logger) { connection in
                    try await connection.query("INSERT INTO notes VALUES ('a', 1)", logger: logger)
                    try await Outbox.append([try Self.event(topic, aggregate: "a", sequence: 1)], producer: "p", on: connection, logger: logger)
                    throw Abort()
                }
            }
            try await client.unitOfWork(logger: logger) { connection in
                try await connection.query("INSERT INTO notes VALUES ('b', 2)", logger: logger)
                try await Outbox.append([try Self.event(topic, aggregate: "b", sequence: 2)], producer: "p", on: connection, logger: logger)
            }
            let notes = try await client.query("SELECT aggregate FROM notes").collect().map { try $0.decode(String.self) }
            let events = try await client.query("SELECT message_key FROM outbox").collect().map { try $0.decode(String.self) }
            #expect(notes == ["b"])
            #expect(events == ["b"])
        }
    }

    @Test("the relay publishes exactly the committed events, in order per aggregate")
    func relayOrder() async throws {
        let topic = try await TestInfrastructure.makeTopic("relay", partitions: 3)
        try await TestInfrastructure.withFreshDatabase { client, _ in
            var committed: [(String, Int)] = []
            var sequence = 0
            for round in 0..<6 {
                var batch: [(String, Int)] = []
                for aggregate in ["lead-a", "lead-b", "lead-c", "lead-d"] {
                    sequence += 1
                    batch.append((aggregate, sequence))
                }
                let messages = try batch.map { try Self.event(topic, aggregate: $0.0, sequence: $0.1) }
                let rollBack = round == 2
                do {
                    try await client.unitOfWork(logger: logger) { connection in
                        try await Outbox.append(messages, producer: "relay-test", on: connection, logger: logger)
                        if rollBack { throw Abort() }
                    }
                    committed += batch
                } catch is Abort {}
            }
            let kafka = try KafkaProducer(config: TestInfrastructure.kafkaConfig(), logger: logger)
            var options = OutboxRelay.Options()
            options.batchSize = 7  // several batches, not aligned with the transactions
            let relay = OutboxRelay(producer: "relay-test", client: client, kafka: kafka, options: options, logger: logger)
            #expect(try await relay.publishPending() == committed.count)
            #expect(try await relay.publishPending() == 0)
            await kafka.close()

            let received = try await TestInfrastructure.consume(topic, count: committed.count)
            #expect(received.count == committed.count)
            let decoder = CRMJSON.decoder()
            var perAggregate: [String: [Int]] = [:]
            for message in received.sorted(by: { ($0.partition, $0.offset) < ($1.partition, $1.offset) }) {
                let envelope = try decoder.decode(EventEnvelope<Note>.self, from: Data(message.value))
                #expect(message.keyText == envelope.aggregateId)
                #expect(message.headers.text("event-id") == envelope.eventId.uuidString.lowercased())
                perAggregate[envelope.aggregateId, default: []].append(envelope.payload.sequence)
            }
            var expected: [String: [Int]] = [:]
            for (aggregate, sequence) in committed { expected[aggregate, default: []].append(sequence) }
            #expect(perAggregate == expected)
            let pending = try await client.query("SELECT count(*) FROM outbox_queue").collect().first?.decode(Int.self)
            #expect(pending == 0)
        }
    }

    /// The first notification's payload, nil when none came within `timeout`.
    static func firstPayload(_ notifications: PostgresNotificationSequence, within timeout: Duration = .seconds(30)) async throws -> String? {
        try await withThrowingTaskGroup(of: String?.self) { group in
            group.addTask {
                var iterator = notifications.makeAsyncIterator()
                return try await iterator.next()?.payload
            }
            group.addTask {
                try await Task.sleep(for: timeout)
                return nil
            }
            let first = try await group.next() ?? nil
            group.cancelAll()
            return first
        }
    }

    @Test("an append notifies its own producer's channel at commit, so another producer's relays are not woken")
    func notificationPerProducer() async throws {
        try await TestInfrastructure.withFreshDatabase { client, _ in
            let logger = self.logger
            try await client.withConnection { listener in
                try await listener.listen(on: Outbox.notificationChannel(for: "beta")) { beta in
                    try await listener.listen(on: Outbox.notificationChannel(for: "alpha")) { alpha in
                        for producer in ["alpha", "beta"] {
                            try await client.unitOfWork(logger: logger) { connection in
                                try await Outbox.append([try Self.event("test.notify", aggregate: "lead-a", sequence: 1)],
                                                        producer: producer, on: connection, logger: logger)
                            }
                        }
                        // Notifications come in commit order: had alpha's commit also notified beta's
                        // channel, the first one there would name alpha.
                        #expect(try await Self.firstPayload(alpha) == "alpha")
                        #expect(try await Self.firstPayload(beta) == "beta")
                    }
                }
            }
        }
    }

    @Test("a running relay publishes what is appended once it is idle when notified, long before its next poll")
    func relayWakesOnNotification() async throws {
        let topic = try await TestInfrastructure.makeTopic("relay-wake", partitions: 1)
        try await TestInfrastructure.withFreshDatabase { client, _ in
            let logger = self.logger
            let kafka = try KafkaProducer(config: TestInfrastructure.kafkaConfig(), logger: logger)
            var options = OutboxRelay.Options()
            options.pollInterval = .seconds(3_600)
            let relay = OutboxRelay(producer: "wake-test", client: client, kafka: kafka, options: options, logger: logger)
            let running = Task { try await relay.run() }
            defer { running.cancel() }

            @Sendable func pending() async throws -> Int {
                try await client.query("SELECT count(*) FROM outbox_queue").collect().first?.decode(Int.self) ?? -1
            }
            @Sendable func append(_ sequence: Int) async throws {
                try await client.unitOfWork(logger: logger) { connection in
                    try await Outbox.append([try Self.event(topic, aggregate: "lead-a", sequence: sequence)],
                                            producer: "wake-test", on: connection, logger: logger)
                }
            }
            @Sendable func eventually(_ condition: @Sendable () async throws -> Bool) async throws -> Bool {
                let end = ContinuousClock.now + .seconds(30)
                while ContinuousClock.now < end {
                    if try await condition() { return true }
                    try await Task.sleep(for: .milliseconds(50))
                }
                return try await condition()
            }
            // The relay listens on its own channel, and has published the first event (by its first
            // pass or by the notification): its pass is over and it waits for work.
            let listen = "LISTEN \"\(Outbox.notificationChannel(for: "wake-test"))\";"
            let listening = try await eventually {
                try await client.query("""
                    SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND query = \(listen)
                    """).collect().first?.decode(Int.self) == 1
            }
            #expect(listening)
            try await append(1)
            #expect(try await eventually { try await pending() == 0 })
            // Only a notification can wake it for this one: its next poll is an hour away.
            try await append(2)
            #expect(try await eventually { try await pending() == 0 })
            running.cancel()
            _ = try? await running.value
            await kafka.close()
            let delivered = try await TestInfrastructure.consume(topic, count: 2)
            #expect(delivered.count == 2)
        }
    }

    @Test("the relay reports how long its batches take and how long the broker took to acknowledge them")
    func relayTimings() async throws {
        let registry = Observability.registry  // before the relay makes its metrics
        let topic = try await TestInfrastructure.makeTopic("relay-timings", partitions: 1)
        try await TestInfrastructure.withFreshDatabase { client, _ in
            let producer = TestInfrastructure.unique("timed")
            let kafka = try KafkaProducer(config: TestInfrastructure.kafkaConfig(), logger: logger)
            var options = OutboxRelay.Options()
            options.batchSize = 2
            let relay = OutboxRelay(producer: producer, client: client, kafka: kafka, options: options, logger: logger)
            #expect(try await relay.publishPending() == 0)
            try await client.unitOfWork(logger: logger) { connection in
                try await Outbox.append(try (1...3).map { try Self.event(topic, aggregate: "lead-a", sequence: $0) },
                                        producer: producer, on: connection, logger: logger)
            }
            // Every event has waited at least this long in the outbox when the relay reads it.
            try await Task.sleep(for: .milliseconds(300))
            #expect(try await relay.publishPending() == 3)
            await kafka.close()
            let text = registry.emitToString()
            // Two batches (2 + 1 events); the empty reads are not batches.
            for name in ["crm_outbox_batch_seconds", "crm_outbox_acknowledgement_seconds"] {
                #expect(text.contains("\(name)_count{producer=\"\(producer)\"} 2"), "\(name) for \(producer) in:\n\(text)")
            }
            // One age per event.
            #expect(text.contains("crm_outbox_event_age_seconds_count{producer=\"\(producer)\"} 3"), "in:\n\(text)")
            let ages = try #require(TestInfrastructure.metricValue("crm_outbox_event_age_seconds_sum{producer=\"\(producer)\"}", in: text))
            #expect(ages >= 0.9, "three events, each at least 0.3 s in the outbox")
        }
    }

    @Test("while another relay of the producer holds its lock, a relay publishes nothing; then it publishes all")
    func relayLock() async throws {
        let topic = try await TestInfrastructure.makeTopic("relay-lock", partitions: 1)
        try await TestInfrastructure.withFreshDatabase { client, _ in
            let messages = try (1...5).map { try Self.event(topic, aggregate: "lead-a", sequence: $0) }
            try await client.unitOfWork(logger: logger) { connection in
                try await Outbox.append(messages, producer: "locked", on: connection, logger: logger)
            }
            let kafka = try KafkaProducer(config: TestInfrastructure.kafkaConfig(), logger: logger)
            let relay = OutboxRelay(producer: "locked", client: client, kafka: kafka, logger: logger)
            let (held, release) = AsyncStream.makeStream(of: Void.self)
            let (released, finish) = AsyncStream.makeStream(of: Void.self)
            // Another relay's transaction: it holds the lock until it ends.
            async let other: Void = client.unitOfWork(logger: logger) { connection in
                try await connection.query("SELECT pg_advisory_xact_lock(hashtext('outbox:locked'))", logger: logger)
                release.yield()
                for await _ in released { break }
            }
            for await _ in held { break }
            #expect(try await relay.publishPending() == 0)
            finish.yield()
            try await other
            #expect(try await relay.publishPending() == 5)
            await kafka.close()
            let pending = try await client.query("SELECT count(*) FROM outbox_queue").collect().first?.decode(Int.self)
            #expect(pending == 0)
        }
    }

    struct RelayCrash: Error {}

    @Test("a relay killed between publish and mark publishes again; the inbox applies each event once")
    func crashBetweenPublishAndMark() async throws {
        let topic = try await TestInfrastructure.makeTopic("crash", partitions: 2)
        try await TestInfrastructure.withFreshDatabase { client, _ in
            try await client.query("CREATE TABLE totals (aggregate TEXT PRIMARY KEY, applied INT NOT NULL)")
            let events = try (1...6).map { try Self.event(topic, aggregate: $0 % 2 == 0 ? "even" : "odd", sequence: $0) }
            try await client.unitOfWork(logger: logger) { connection in
                try await Outbox.append(events, producer: "crash-test", on: connection, logger: logger)
            }
            let kafka = try KafkaProducer(config: TestInfrastructure.kafkaConfig(), logger: logger)
            let crashing = OutboxRelay(producer: "crash-test", client: client, kafka: kafka, logger: logger) { _ in throw RelayCrash() }
            await #expect(throws: RelayCrash.self) { try await crashing.publishPending() }
            let stillPending = try await client.query("SELECT count(*) FROM outbox_queue").collect().first?.decode(Int.self)
            #expect(stillPending == 6)

            let restarted = OutboxRelay(producer: "crash-test", client: client, kafka: kafka, logger: logger)
            #expect(try await restarted.publishPending() == 6)
            await kafka.close()

            let delivered = try await TestInfrastructure.consume(topic, count: 12)
            #expect(delivered.count == 12, "each event is on the topic twice")

            // A consumer applying them with the inbox: two batches, duplicates across and within.
            for batch in [Array(delivered.prefix(5)), Array(delivered.dropFirst(5))] {
                try await client.unitOfWork(logger: logger) { connection in
                    var fresh = try await Inbox.claim(
                        batch.compactMap { $0.headers.text("event-id") }, consumer: "totals", on: connection, logger: logger)
                    for message in batch {
                        guard let eventId = message.headers.text("event-id"), fresh.remove(eventId) != nil else { continue }
                        let aggregate = message.keyText ?? ""
                        try await connection.query("""
                            INSERT INTO totals VALUES (\(aggregate), 1)
                            ON CONFLICT (aggregate) DO UPDATE SET applied = totals.applied + 1
                            """, logger: logger)
                    }
                }
            }
            let totals = try await client.query("SELECT aggregate, applied FROM totals ORDER BY aggregate")
                .collect().map { try $0.decode((String, Int).self) }
            #expect(totals.map(\.0) == ["even", "odd"])
            #expect(totals.map(\.1) == [3, 3])
        }
    }

    @Test("inbox housekeeping deletes records past the retention and keeps the rest")
    func inboxRetention() async throws {
        try await TestInfrastructure.withFreshDatabase { client, _ in
            try await client.query("""
                INSERT INTO inbox (consumer, event_id, processed_at) VALUES
                    ('totals', 'expired', now() - interval '15 days'), ('totals', 'kept', now() - interval '13 days')
                """)
            let housekeeping = InboxHousekeeping(client: client, retentionHours: 14 * 24, logger: logger)
            #expect(try await housekeeping.deleteExpired() == 1)
            let left = try await client.query("SELECT event_id FROM inbox").collect().map { try $0.decode(String.self) }
            #expect(left == ["kept"])
        }
    }

    /// How many times `outbox_queue` was vacuumed, by anyone, in this database.
    static func queueVacuums(client: PostgresClient) async throws -> Int? {
        try await client.queryRows("""
            SELECT vacuum_count::int FROM pg_stat_user_tables WHERE relname = 'outbox_queue'
            """, logger: TestInfrastructure.logger).first?.decode(Int.self)
    }

    /// Pages the relay's read of `producer` touches now (EXPLAIN ANALYZE's shared buffers, hit or read).
    static func pagesOfRelayRead(producer: String, client: PostgresClient) async throws -> Int {
        let statement = OutboxRelay.PendingBatch(lockKey: "outbox:" + producer, producer: producer, limit: 500)
        let plan = try await client.queryRows(PostgresQuery(
            unsafeSQL: "EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) " + OutboxRelay.PendingBatch.sql, binds: statement.makeBindings()),
            logger: TestInfrastructure.logger).first?.decode(String.self) ?? "[]"
        let root = try #require((try JSONSerialization.jsonObject(with: Data(plan.utf8)) as? [[String: Any]])?.first?["Plan"] as? [String: Any])
        return (root["Shared Hit Blocks"] as? Int ?? 0) + (root["Shared Read Blocks"] as? Int ?? 0)
    }

    @Test("the relay's read touches the pending rows only, however many were published before it (no VACUUM between)")
    func readIgnoresPublishedRows() async throws {
        let topic = try await TestInfrastructure.makeTopic("relay-published", partitions: 1)
        try await TestInfrastructure.withFreshDatabase { client, _ in
            let logger = self.logger
            // Events of about 1 kB, like a LeadAccepted: 3,000 of them fill some 500 pages of `outbox`.
            let notes = String(repeating: "备注", count: 170)
            @Sendable func events(_ count: Int) throws -> [OutboxMessage] {
                try (0..<count).map { sequence in
                    try OutboxMessage(topic: topic, envelope: EventEnvelope(
                        type: "NoteAdded", aggregateId: "lead-\(sequence % 50)", correlationId: "test", payload: [notes: sequence]))
                }
            }
            for _ in 0..<6 {
                try await client.unitOfWork(logger: logger) { connection in
                    try await Outbox.append(try events(500), producer: "relay-published", on: connection, logger: logger)
                }
            }
            let kafka = try KafkaProducer(config: TestInfrastructure.kafkaConfig(), logger: logger)
            let relay = OutboxRelay(producer: "relay-published", client: client, kafka: kafka, logger: logger)
            #expect(try await relay.publishPending() == 3_000)
            try await client.unitOfWork(logger: logger) { connection in
                try await Outbox.append(try events(3), producer: "relay-published", on: connection, logger: logger)
            }
            // A read that visited the published rows' versions would touch hundreds of pages.
            let pages = try await Self.pagesOfRelayRead(producer: "relay-published", client: client)
            #expect(pages < 100, "the relay's read touched \(pages) pages for 3 pending rows")
            #expect(try await relay.publishPending() == 3)
            await kafka.close()
        }
    }

    @Test("vacuuming the queue leaves its emptied pages in place: no truncation, whose exclusive lock every append would wait for")
    func queueVacuumKeepsPages() async throws {
        try await TestInfrastructure.withFreshDatabase { client, _ in
            let logger = self.logger
            @Sendable func pages() async throws -> Int {
                try await client.queryRows("SELECT (pg_relation_size('outbox_queue') / 8192)::int", logger: logger).first?.decode(Int.self) ?? -1
            }
            // As the relays use it: filled, then emptied from the end by publishing.
            _ = try await client.queryRows("INSERT INTO outbox_queue SELECT 'p', g FROM generate_series(1, 5000) AS g", logger: logger)
            _ = try await client.queryRows("DELETE FROM outbox_queue", logger: logger)
            let filled = try await pages()
            #expect(filled > 10)
            _ = try await client.queryRows("VACUUM (SKIP_LOCKED) outbox_queue", logger: logger)
            #expect(try await pages() == filled)
            #expect(try await Self.queueVacuums(client: client) == 1)
        }
    }

    @Test("one relay vacuums the shared queue at a time: while another holds the vacuum lock, a relay skips without asking Postgres, which would log 'lock not available'")
    func queueVacuumOneAtATime() async throws {
        try await TestInfrastructure.withFreshDatabase { client, _ in
            let logger = self.logger
            _ = try await client.queryRows("ALTER TABLE outbox_queue SET (autovacuum_enabled = false)", logger: logger)
            // Another relay's session, in the middle of its vacuum.
            let whileHeld = try await client.withLiveConnection { other in
                let locked = try await other.query(OutboxQueueVacuum.tryLock, logger: logger).collect().first?.decode(Bool.self)
                #expect(locked == true)
                let outcome = try await OutboxQueueVacuum.run(client: client, logger: logger)
                _ = try await other.query(OutboxQueueVacuum.unlock, logger: logger).collect()
                return outcome
            }
            #expect(whileHeld == .skipped)
            #expect(try await Self.queueVacuums(client: client) == 0)
            // Free again, and each vacuum gives the lock back for the next.
            #expect(try await OutboxQueueVacuum.run(client: client, logger: logger) == .vacuumed)
            #expect(try await OutboxQueueVacuum.run(client: client, logger: logger) == .vacuumed)
            #expect(try await Self.queueVacuums(client: client) == 2)
        }
    }

    @Test("a running relay vacuums its queue: what went through it is not stepped over by later reads")
    func relayVacuumsQueue() async throws {
        let topic = try await TestInfrastructure.makeTopic("relay-vacuum", partitions: 1)
        try await TestInfrastructure.withFreshDatabase { client, _ in
            let logger = self.logger
            // Only the relay's own VACUUM may clean the queue here.
            _ = try await client.queryRows("ALTER TABLE outbox_queue SET (autovacuum_enabled = false)", logger: logger)
            for chunk in 0..<20 {
                try await client.unitOfWork(logger: logger) { connection in
                    let messages = try (0..<500).map { try Self.event(topic, aggregate: "lead-\($0 % 50)", sequence: chunk * 500 + $0) }
                    try await Outbox.append(messages, producer: "relay-vacuum", on: connection, logger: logger)
                }
            }
            let kafka = try KafkaProducer(config: TestInfrastructure.kafkaConfig(), logger: logger)
            // 10,000 deleted queue rows fill some 70 pages until a VACUUM removes them.
            #expect(try await OutboxRelay(producer: "relay-vacuum", client: client, kafka: kafka, logger: logger).publishPending() == 10_000)
            var options = OutboxRelay.Options()
            options.queueVacuumInterval = .milliseconds(100)
            let relay = OutboxRelay(producer: "relay-vacuum", client: client, kafka: kafka, options: options, logger: logger)
            let pages = try await withThrowingTaskGroup(of: Int?.self) { group in
                group.addTask { try await relay.run(); return nil }
                group.addTask {
                    var pages = Int.max
                    for _ in 0..<300 where pages > 5 {
                        try await Task.sleep(for: .milliseconds(100))
                        pages = try await Self.pagesOfRelayRead(producer: "relay-vacuum", client: client)
                    }
                    return pages
                }
                let pages = try await group.next() ?? nil
                group.cancelAll()
                return pages
            }
            await kafka.close()
            #expect((pages ?? .max) <= 5, "the relay's read of an empty queue still touched \(pages ?? -1) pages")
        }
    }
}
