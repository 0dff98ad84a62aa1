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
                _ = try await client.queryRows(
                    "DELETE FROM inbox WHERE processed_at < now() - make_interval(hours => \(retentionHours))", logger: logger)
            } catch {
                logger.debug("inbox clean-up failed; next round retries", metadata: ["error": "\(error)"])
            }
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: .seconds(600)) }
        }
    }
}
