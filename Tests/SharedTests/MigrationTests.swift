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
}
