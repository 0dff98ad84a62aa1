import Foundation
import Logging
import PostgresNIO
import Shared

/// Runs `body` with a Postgres client for the `CRM_PG_*` settings, kept running meanwhile; gives
/// up after `timeout` (a database that does not answer should not hang a command).
func withDatabase<T: Sendable>(
    logger: Logger, timeout: Duration = .seconds(60), _ body: @escaping @Sendable (PostgresClient) async throws -> T
) async throws -> T {
    var settings = try PostgresSettings.load(from: EnvironmentReader(ProcessInfo.processInfo.environment))
    settings.maxConnections = 1
    let address = "\(settings.host):\(settings.port)"
    let client = PostgresClient(configuration: settings.clientConfiguration, backgroundLogger: logger)
    return try await withThrowingTaskGroup(of: T?.self) { group in
        await client.startRunning(in: &group, returning: nil)
        group.addTask {
            try await Task.sleep(for: timeout)
            throw BenchError("no answer from Postgres at \(address) within \(timeout)")
        }
        group.addTask { try await body(client) }
        defer { group.cancelAll() }
        while let result = try await group.next() {
            if let result { return result }
        }
        throw BenchError("the Postgres client stopped")
    }
}
