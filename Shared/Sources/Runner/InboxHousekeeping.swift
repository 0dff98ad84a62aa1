import Logging
import PostgresNIO
import ServiceLifecycle

/// Deletes inbox records older than the retention, long after any redelivery could arrive.
struct InboxHousekeeping: Service {
    let client: PostgresClient
    let retentionHours: Int
    let logger: Logger

    func run() async throws {
        while !Task.isShuttingDownGracefully {
            do {
                try await deleteExpired()
            } catch {
                // Not debug: a clean-up that always fails lets the inbox grow without bound.
                logger.warning("inbox clean-up failed; next round retries", metadata: ["error": "\(String(reflecting: error))"])
            }
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: .seconds(600)) }
        }
    }

    /// One round: returns how many records it deleted.
    @discardableResult
    func deleteExpired() async throws -> Int {
        // make_interval takes integer hours: an Int binds as bigint, which no make_interval accepts.
        try await client.queryRows("""
            WITH deleted AS (
                DELETE FROM inbox WHERE processed_at < now() - make_interval(hours => \(Int32(clamping: retentionHours))) RETURNING 1
            )
            SELECT count(*) FROM deleted
            """, logger: logger
        ).first?.decode(Int.self) ?? 0
    }
}
