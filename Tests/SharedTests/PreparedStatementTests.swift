import Foundation
import PostgresNIO
import Testing
import CRMTestSupport
@testable import Shared

@Suite("Hot statements run prepared, against Postgres and the broker")
struct PreparedStatementTests {
    let logger = TestInfrastructure.logger

    static func messages(_ topic: String, count: Int) throws -> [OutboxMessage] {
        try (0..<count).map { try OutboxInboxTests.event(topic, aggregate: "lead-\($0 % 3)", sequence: $0) }
    }

    @Test("the outbox append, the inbox claim and the rules check are parsed once per connection, then reused")
    func appendAndClaim() async throws {
        try await TestInfrastructure.withFreshDatabase { client, settings in
            let logger = self.logger
            let runs = try await client.withLiveConnection { connection in
                for round in 0..<3 {
                    try await Outbox.append(try Self.messages("test.prepared", count: 2), producer: "p", on: connection, logger: logger)
                    let fresh = try await Inbox.claim(["a", "b", "round-\(round)"], consumer: "c", on: connection, logger: logger)
                    #expect(fresh == (round == 0 ? ["a", "b", "round-0"] : ["round-\(round)"]))
                }
                return try await TestInfrastructure.preparedStatementRuns(on: connection)
            }
            #expect(runs[Outbox.Append.name] == 3)
            #expect(runs[Inbox.Claim.name] == 3)

            // One connection, so the rules check (on a connection of its own) is seen on it.
            var single = settings
            single.maxConnections = 1
            try await TestInfrastructure.withClient(single) { client in
                let rules = RuleStore(kind: "routing", client: client, logger: logger)
                #expect(try await rules.currentVersion() == nil)
                #expect(try await rules.currentVersion() == nil)
                let runs = try await client.withLiveConnection { try await TestInfrastructure.preparedStatementRuns(on: $0) }
                #expect(runs[RuleStore.LatestVersion.name] == 2)
            }
        }
    }

    @Test("prepared statements are planned for their parameters on every run, never from a generic plan")
    func customPlansOnly() async throws {
        try await TestInfrastructure.withFreshDatabase { client, _ in
            let logger = self.logger
            let plans = try await client.withLiveConnection { connection in
                // Postgres switches to a generic plan after five custom ones when it looks no worse.
                for round in 0..<8 {
                    _ = try await Inbox.claim(["event-\(round)"], consumer: "c", on: connection, logger: logger)
                }
                return try await connection.query(
                    "SELECT generic_plans, custom_plans FROM pg_prepared_statements WHERE name = \(Inbox.Claim.name)",
                    logger: logger
                ).collect().first?.decode((Int, Int).self)
            }
            #expect(plans?.0 == 0)
            #expect(plans?.1 == 8)
        }
    }

    @Test("the relay's read and mark run prepared, one preparation for every batch")
    func relay() async throws {
        let topic = try await TestInfrastructure.makeTopic("prepared-relay", partitions: 1)
        try await TestInfrastructure.withFreshDatabase { client, settings in
            let logger = self.logger
            try await client.unitOfWork(logger: logger) { connection in
                try await Outbox.append(try Self.messages(topic, count: 10), producer: "relay-prepared", on: connection, logger: logger)
            }
            var single = settings
            single.maxConnections = 1
            try await TestInfrastructure.withClient(single) { client in
                let kafka = try KafkaProducer(config: TestInfrastructure.kafkaConfig(), logger: logger)
                var options = OutboxRelay.Options()
                options.batchSize = 4
                let relay = OutboxRelay(producer: "relay-prepared", client: client, kafka: kafka, options: options, logger: logger)
                // Batches of 4, 4 and 2 rows: three reads, three marks.
                #expect(try await relay.publishPending() == 10)
                await kafka.close()
                let runs = try await client.withLiveConnection { try await TestInfrastructure.preparedStatementRuns(on: $0) }
                #expect(runs[OutboxRelay.PendingBatch.name] == 3)
                #expect(runs[OutboxRelay.MarkPublished.name] == 3)
            }
            let pending = try await client.query("SELECT count(*) FROM outbox_queue").collect().first?.decode(Int.self)
            #expect(pending == 0)
        }
    }

    /// A statement on a table that does not exist yet.
    struct CountNotes: PostgresPreparedStatement {
        static let sql = "SELECT count(*)::int FROM notes"
        typealias Row = Int
        func makeBindings() -> PostgresBindings { PostgresBindings() }
    }

    @Test("a statement whose preparation failed runs once the cause is gone: the failed connection was not kept")
    func failedPreparationIsNotKept() async throws {
        try await TestInfrastructure.withFreshDatabase(migrated: false) { _, settings in
            let logger = self.logger
            var single = settings
            single.maxConnections = 1
            try await TestInfrastructure.withClient(single) { client in
                let failed = try await client.withLiveConnection { connection in
                    await #expect(throws: PSQLError.self) { try await connection.rows(CountNotes(), logger: logger) }
                    return connection
                }
                #expect(failed.isClosed)
                // The caller of a unit of work sees the statement's own error, never the close.
                for _ in 0..<5 {
                    await #expect(throws: PSQLError.self) {
                        try await client.unitOfWork(logger: logger) { try await $0.rows(CountNotes(), logger: logger) }
                    }
                }
                // postgres-nio would answer a kept connection with the first failure for good.
                _ = try await client.queryRows("CREATE TABLE notes (id int)", logger: logger)
                let count = try await client.withLiveConnection { try await $0.rows(CountNotes(), logger: logger) }
                #expect(count == [0])
            }
        }
    }
}
