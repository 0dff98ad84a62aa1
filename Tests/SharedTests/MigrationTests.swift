import PostgresNIO
import Testing
import CRMTestSupport
@testable import Shared

@Suite("Schema migrations")
struct MigrationTests {
    let logger = TestInfrastructure.logger

    @Test("a fresh database gets every migration; running again changes nothing")
    func freshThenNoOp() async throws {
        try await TestInfrastructure.withFreshDatabase(migrated: false) { client, _ in
            let first = try await Migrator.migrate(client, logger: logger)
            #expect(first == SchemaMigrations.all.map(\.version))
            let second = try await Migrator.migrate(client, logger: logger)
            #expect(second.isEmpty)
            let versions = try await client.query("SELECT version FROM schema_migrations ORDER BY version")
                .collect().map { try $0.decode(Int.self) }
            #expect(versions == SchemaMigrations.all.map(\.version))
        }
    }

    @Test("services starting together apply each migration exactly once")
    func concurrentStart() async throws {
        try await TestInfrastructure.withFreshDatabase(migrated: false) { first, settings in
            try await TestInfrastructure.withClient(settings) { second in
                try await TestInfrastructure.withClient(settings) { third in
                    async let a = Migrator.migrate(first, logger: logger)
                    async let b = Migrator.migrate(second, logger: logger)
                    async let c = Migrator.migrate(third, logger: logger)
                    let applied = try await a + b + c
                    #expect(applied.sorted() == SchemaMigrations.all.map(\.version))
                }
            }
            let tables = try await first.query("""
                SELECT count(*) FROM information_schema.tables WHERE table_name IN ('outbox', 'inbox', 'schema_migrations')
                """).collect().first?.decode(Int.self)
            #expect(tables == 3)
        }
    }

    @Test("a failing migration leaves no trace and is retried next start")
    func failingMigrationRollsBack() async throws {
        try await TestInfrastructure.withFreshDatabase(migrated: false) { client, _ in
            let broken = SchemaMigrations.all + [Migration(version: 9_999, name: "broken", statements: [
                "CREATE TABLE half_done (id INT)", "SELECT no_such_function()",
            ])]
            await #expect(throws: (any Error).self) { try await Migrator.migrate(client, migrations: broken, logger: logger) }
            let leftovers = try await client.query(
                "SELECT count(*) FROM information_schema.tables WHERE table_name = 'half_done'").collect().first?.decode(Int.self)
            #expect(leftovers == 0)
            let recorded = try await client.query("SELECT count(*) FROM schema_migrations WHERE version = 9999")
                .collect().first?.decode(Int.self)
            #expect(recorded == 0)
            // The lock was released: a correct list still applies.
            #expect(try await Migrator.migrate(client, logger: logger).isEmpty)
        }
    }

    @Test("moving the outbox to its queue (migration 7) keeps exactly the unpublished rows pending")
    func outboxQueueUpgrade() async throws {
        try await TestInfrastructure.withFreshDatabase(migrated: false) { client, _ in
            let logger = self.logger
            _ = try await Migrator.migrate(client, migrations: SchemaMigrations.all.filter { $0.version < 7 }, logger: logger)
            _ = try await client.queryRows("""
                INSERT INTO outbox (event_id, producer, topic, message_key, event_type, payload, published_at)
                VALUES (gen_random_uuid(), 'lead-intake', 't', 'a', 'LeadAccepted', '{}', now()),
                       (gen_random_uuid(), 'lead-intake', 't', 'b', 'LeadAccepted', '{}', NULL),
                       (gen_random_uuid(), 'assignment', 't', 'c', 'LeadAssigned', '{}', NULL)
                """, logger: logger)
            #expect(try await Migrator.migrate(client, migrations: SchemaMigrations.all.filter { $0.version <= 7 }, logger: logger) == [7])
            let queued = try await client.queryRows("""
                SELECT q.producer || ':' || o.message_key FROM outbox_queue AS q JOIN outbox AS o ON o.id = q.id ORDER BY q.id
                """, logger: logger).map { try $0.decode(String.self) }
            #expect(queued == ["lead-intake:b", "assignment:c"])
        }
    }
}
