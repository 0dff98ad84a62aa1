import CRMTestSupport
import Logging
import PostgresNIO
import Shared
import Synchronization
import Testing

@Suite("Starting a Postgres client")
struct PostgresClientRunningTests {
    @Test("a client started with startRunning is running at the caller's first lease, so postgres-nio logs no \"run() hasn't been called yet\" (at most 2 of 20 starts; the old start: 18)")
    func runningBeforeFirstLease() async throws {
        let settings = try TestInfrastructure.postgresSettings()
        // The old start lost the race in 18 of 20 starts. startRunning narrows it to a few
        // instructions, which a busy machine can still preempt, so a rare warning is allowed.
        var warnedStarts: [Int] = []
        for start in 1...20 {
            let log = CapturedLog()
            let client = PostgresClient(configuration: settings.clientConfiguration, backgroundLogger: log.logger)
            let answer = try await withThrowingTaskGroup(of: Void.self) { group in
                await client.startRunning(in: &group)
                defer { group.cancelAll() }
                return try await client.queryRows("SELECT 1", logger: TestInfrastructure.logger).first?.decode(Int.self)
            }
            #expect(answer == 1)
            if log.messages.contains(where: { $0.contains("hasn't been called yet") }) { warnedStarts.append(start) }
        }
        #expect(warnedStarts.count <= 2, "starts that leased before run() had begun: \(warnedStarts)")
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
