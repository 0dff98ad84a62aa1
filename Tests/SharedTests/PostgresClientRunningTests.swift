import CRMTestSupport
import Logging
import PostgresNIO
import Shared
import Synchronization
import Testing

@Suite("Starting a Postgres client")
struct PostgresClientRunningTests {
    @Test("a client started with startRunning is running at the caller's first lease: postgres-nio logs no \"run() hasn't been called yet\"")
    func runningBeforeFirstLease() async throws {
        let settings = try TestInfrastructure.postgresSettings()
        // The race it closes is lost most of the time (every service start logged it); 20 starts make a lucky pass unlikely.
        for start in 1...20 {
            let log = CapturedLog()
            let client = PostgresClient(configuration: settings.clientConfiguration, backgroundLogger: log.logger)
            let answer = try await withThrowingTaskGroup(of: Void.self) { group in
                await client.startRunning(in: &group)
                defer { group.cancelAll() }
                return try await client.queryRows("SELECT 1", logger: TestInfrastructure.logger).first?.decode(Int.self)
            }
            #expect(answer == 1)
            let warnings = log.messages.filter { $0.contains("hasn't been called yet") }
            #expect(warnings.isEmpty, "start \(start): \(warnings)")
        }
    }
}

/// The messages logged through `logger`, kept for the test to read.
private final class CapturedLog: Sendable {
    private let lines = Mutex<[String]>([])

    var messages: [String] { lines.withLock { $0 } }

    var logger: Logger { Logger(label: "captured") { _ in Handler(log: self) } }

    fileprivate func append(_ message: String) { lines.withLock { $0.append(message) } }

    private struct Handler: LogHandler {
        let log: CapturedLog
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) { log.append("\(event.level): \(event.message)") }
    }
}
