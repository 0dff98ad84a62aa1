import Foundation
import Logging
import PostgresNIO
import Shared

/// The real broker and database that `make test` starts on loopback. Tests isolate themselves
/// with their own topics, consumer groups and (where the schema matters) their own database.
public enum TestInfrastructure {
    public static let environment = ProcessInfo.processInfo.environment
    public static let kafkaBrokers = environment["CRM_KAFKA_BROKERS"] ?? "127.0.0.1:19092"
    public static let logger: Logger = {
        var logger = Logger(label: "crm.tests")
        logger.logLevel = .warning
        return logger
    }()

    public static func kafkaConfig(_ clientId: String = "tests") -> KafkaClientConfig {
        KafkaClientConfig(bootstrapServers: kafkaBrokers, clientId: clientId)
    }

    public static func postgresSettings(database: String? = nil) throws -> PostgresSettings {
        var settings = try PostgresSettings.load(from: EnvironmentReader(environment))
        if let database { settings.database = database }
        return settings
    }

    public static func unique(_ prefix: String) -> String {
        "\(prefix)-\(UUID().uuidString.prefix(8).lowercased())"
    }

    /// Creates a topic of its own for one test.
    public static func makeTopic(_ prefix: String, partitions: Int = 3) async throws -> String {
        let topic = unique("test.\(prefix)")
        let admin = try KafkaAdmin(config: kafkaConfig("tests-admin"), logger: logger)
        try await admin.createTopics([topic], partitions: partitions)
        return topic
    }

    /// Runs `body` with a client connected to `settings`, keeping the client running meanwhile.
    public static func withClient<T: Sendable>(
        _ settings: PostgresSettings, _ body: @Sendable (PostgresClient) async throws -> T
    ) async throws -> T {
        let client = PostgresClient(configuration: settings.clientConfiguration, backgroundLogger: logger)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            await client.startRunning(in: &group)
            defer { group.cancelAll() }
            return try await body(client)
        }
    }

    /// How many times each statement prepared on this connection ran, by name (`pg_prepared_statements`
    /// lists the statements of its own session only).
    public static func preparedStatementRuns(on connection: PostgresConnection) async throws -> [String: Int] {
        var runs: [String: Int] = [:]
        for try await (name, count) in try await connection.query(
            "SELECT name, (generic_plans + custom_plans)::int FROM pg_prepared_statements", logger: logger
        ).decode((String, Int).self) { runs[name] = count }
        return runs
    }

    /// A database created for this test and dropped afterwards, migrated unless told otherwise.
    public static func withFreshDatabase<T: Sendable>(
        migrated: Bool = true, _ body: @Sendable (PostgresClient, PostgresSettings) async throws -> T
    ) async throws -> T {
        let name = "test_" + UUID().uuidString.prefix(12).lowercased().replacingOccurrences(of: "-", with: "")
        let admin = try postgresSettings()
        try await withClient(admin) { client in
            _ = try await client.query(PostgresQuery(unsafeSQL: "CREATE DATABASE \(name)"), logger: logger)
        }
        let settings = try postgresSettings(database: name)
        do {
            let result = try await withClient(settings) { client in
                if migrated { try await Migrator.migrate(client, logger: logger) }
                return try await body(client, settings)
            }
            try await dropDatabase(name, admin: admin)
            return result
        } catch {
            try? await dropDatabase(name, admin: admin)
            throw error
        }
    }

    private static func dropDatabase(_ name: String, admin: PostgresSettings) async throws {
        try await withClient(admin) { client in
            try await client.query(PostgresQuery(unsafeSQL: "DROP DATABASE IF EXISTS \(name) WITH (FORCE)"), logger: logger)
        }
    }

    /// Reads `topic` from the beginning with a new group until `count` messages arrived or the
    /// deadline passed, and returns what arrived.
    public static func consume(
        _ topic: String, count: Int, group: String? = nil, within deadline: Duration = .seconds(30)
    ) async throws -> [KafkaMessage] {
        let consumer = try KafkaConsumer(
            config: kafkaConfig("tests-reader"), groupId: group ?? unique("reader"), topics: [topic], logger: logger)
        var messages: [KafkaMessage] = []
        let end = ContinuousClock.now + deadline
        while messages.count < count && ContinuousClock.now < end {
            messages += try await consumer.poll(maxMessages: 1000, timeout: .milliseconds(500))
        }
        consumer.storeOffsets(for: messages)
        await consumer.close()
        return messages
    }

    /// Polls a consumer until its group assigned it partitions, collecting what it read meanwhile.
    public static func pollUntilAssigned(_ consumer: KafkaConsumer, within deadline: Duration = .seconds(30)) async throws -> [KafkaMessage] {
        var messages: [KafkaMessage] = []
        let end = ContinuousClock.now + deadline
        while consumer.assignment.isEmpty && ContinuousClock.now < end {
            messages += try await consumer.poll(maxMessages: 1000, timeout: .milliseconds(200))
        }
        return messages
    }
}
