import Testing
@testable import Shared

@Suite("Configuration from the environment")
struct ConfigurationTests {
    @Test("defaults fit the local topology")
    func defaults() throws {
        let configuration = try ServiceConfiguration.load(service: "lead-intake", defaultHTTPPort: 8081, environment: [:])
        #expect(configuration.httpPort == 8081)
        #expect(configuration.httpHost == "127.0.0.1")
        #expect(configuration.kafkaBrokers == "127.0.0.1:19092")
        #expect(configuration.postgres == PostgresSettings(host: "127.0.0.1", port: 55432, user: "crm", password: nil, database: "crm"))
        #expect(configuration.topicPartitions == 6)
        #expect(configuration.logLevel == .info)
        #expect(configuration.consumerFetchWaitMilliseconds == 10)
    }

    @Test("values from the environment win")
    func overrides() throws {
        let configuration = try ServiceConfiguration.load(service: "reporting", defaultHTTPPort: 8085, environment: [
            "CRM_HTTP_PORT": "9000", "CRM_KAFKA_BROKERS": "kafka:9092,kafka2:9092", "CRM_PG_HOST": "postgres",
            "CRM_TOPIC_PARTITIONS": "12", "CRM_LOG_LEVEL": "DEBUG", "CRM_PG_PASSWORD": "secret", "CRM_CONSUMER_FETCH_WAIT_MS": "100",
        ])
        #expect(configuration.consumerFetchWaitMilliseconds == 100)
        #expect(configuration.httpPort == 9000)
        #expect(configuration.kafkaBrokers == "kafka:9092,kafka2:9092")
        #expect(configuration.postgres.host == "postgres")
        #expect(configuration.postgres.password == "secret")
        #expect(configuration.topicPartitions == 12)
        #expect(configuration.logLevel == .debug)
    }

    @Test("a wrong value names its variable", arguments: [
        ("CRM_HTTP_PORT", "eighty"),
        ("CRM_HTTP_PORT", "70000"),
        ("CRM_KAFKA_BROKERS", "localhost"),
        ("CRM_KAFKA_BROKERS", "localhost:port"),
        ("CRM_PG_PORT", "-1"),
        ("CRM_TOPIC_PARTITIONS", "0"),
        ("CRM_LOG_LEVEL", "loud"),
        ("CRM_PG_HOST", "  "),
        ("CRM_DLQ_MAX_ATTEMPTS", "many"),
        ("CRM_CONSUMER_START", "sometimes"),
        ("CRM_CONSUMER_FETCH_WAIT_MS", "0"),
        ("CRM_API_KEYS", "short"),
        ("CRM_FAILPOINTS", "consumer.afterComit@1"),
        ("CRM_FAILPOINTS", "relay.afterProduce@0"),
        ("CRM_FAILPOINTS", "relay.afterProduce"),
    ])
    func namedError(variable: String, value: String) {
        #expect {
            try ServiceConfiguration.load(service: "assignment", defaultHTTPPort: 8082, environment: [variable: value])
        } throws: { error in
            guard let error = error as? ConfigurationError else { return false }
            return error.variable == variable && error.value == value && error.description.contains(variable)
        }
    }

    @Test("CRM_FAILPOINTS arms named points for their N-th pass")
    func failpoints() throws {
        let armed = try Failpoint.parse("relay.afterProduce@3, consumer.afterCommit@1")
        #expect(armed.map(\.point) == [.relayAfterProduce, .consumerAfterCommit])
        #expect(armed.map(\.hit) == [3, 1])
        #expect(try Failpoint.parse("").isEmpty)
        _ = try ServiceConfiguration.load(service: "assignment", defaultHTTPPort: 8082, environment: ["CRM_FAILPOINTS": "intake.beforeCommit@2"])
    }
}
