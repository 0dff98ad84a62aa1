import Logging
import PostgresNIO

/// Applies schema migrations at start-up. A session-level advisory lock serialises services that
/// start together: the first applies what is missing, the others wait and then find nothing to do.
public enum Migrator {
    /// Arbitrary but fixed: the key every service locks on.
    static let lockKey: Int64 = 0x43524D_4D494752  // "CRMMIGR"

    /// Returns the versions this call applied (empty when the schema was current).
    @discardableResult
    public static func migrate(
        _ client: PostgresClient, migrations: [Migration] = SchemaMigrations.all, logger: Logger
    ) async throws -> [Int] {
        precondition(zip(migrations, migrations.dropFirst()).allSatisfy { $0.version < $1.version },
                     "migration versions must increase")
        return try await client.withConnection { connection in
            try await connection.query("SELECT pg_advisory_lock(\(lockKey))", logger: logger)
            do {
                let applied = try await apply(migrations, on: connection, logger: logger)
                try await connection.query("SELECT pg_advisory_unlock(\(lockKey))", logger: logger)
                return applied
            } catch {
                _ = try? await connection.query("SELECT pg_advisory_unlock(\(lockKey))", logger: logger)
                throw error
            }
        }
    }

    private static func apply(_ migrations: [Migration], on connection: PostgresConnection, logger: Logger) async throws -> [Int] {
        try await connection.query("""
            CREATE TABLE IF NOT EXISTS schema_migrations (
                version INTEGER PRIMARY KEY,
                name TEXT NOT NULL,
                applied_at TIMESTAMPTZ NOT NULL DEFAULT now()
            )
            """, logger: logger)
        var current = Set<Int>()
        for try await version in try await connection.query("SELECT version FROM schema_migrations", logger: logger).decode(Int.self) {
            current.insert(version)
        }
        if let newest = current.max(), let known = migrations.last?.version, newest > known {
            logger.warning("database schema is newer than this build", metadata: ["database": "\(newest)", "build": "\(known)"])
        }
        var applied: [Int] = []
        for migration in migrations where !current.contains(migration.version) {
            try await connection.withTransaction(logger: logger) { connection in
                for statement in migration.statements {
                    try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
                }
                try await connection.query(
                    "INSERT INTO schema_migrations (version, name) VALUES (\(migration.version), \(migration.name))",
                    logger: logger)
            }
            logger.info("migration applied", metadata: ["version": "\(migration.version)", "name": "\(migration.name)"])
            applied.append(migration.version)
        }
        return applied
    }
}
