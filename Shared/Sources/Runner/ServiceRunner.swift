import Foundation
import Hummingbird
import Logging
import PostgresNIO
import ServiceLifecycle

/// Starts a service the same way everywhere: checks librdkafka, connects to Postgres, applies
/// migrations, creates the topics, then runs the HTTP server, the outbox relay and the service's
/// own consumers in one ServiceGroup. SIGTERM or SIGINT drain everything, commit offsets and exit
/// within `shutdownTimeout`.
public struct ServiceRunner: Sendable {
    public let configuration: ServiceConfiguration
    public var shutdownTimeout: Duration = .seconds(9)

    public init(configuration: ServiceConfiguration) {
        self.configuration = configuration
    }

    public func run(_ wire: @Sendable (ServiceContext) async throws -> ServiceWiring) async throws {
        Observability.bootstrapLogging(level: configuration.logLevel)
        _ = Observability.registry
        let logger = Logger(label: "crm.\(configuration.serviceName)")
        try LibrdkafkaVersion.requireSupported()
        logger.info("starting", metadata: [
            "librdkafka": "\(LibrdkafkaVersion.currentText)", "kafka": "\(configuration.kafkaBrokers)",
            "postgres": "\(configuration.postgres.host):\(configuration.postgres.port)/\(configuration.postgres.database)",
            "http": "\(configuration.httpHost):\(configuration.httpPort)",
        ])

        let postgres = PostgresClient(configuration: configuration.postgres.clientConfiguration, backgroundLogger: logger)
        let kafkaConfig = KafkaClientConfig(bootstrapServers: configuration.kafkaBrokers, clientId: configuration.serviceName)
        let producer = try KafkaProducer(config: kafkaConfig, logger: logger)
        let admin = try KafkaAdmin(config: kafkaConfig, logger: logger)
        let context = ServiceContext(configuration: configuration, postgres: postgres, producer: producer, admin: admin, logger: logger)

        try await withThrowingTaskGroup(of: Void.self) { group in
            await postgres.startRunning(in: &group)
            try await prepare(context)

            let router = Router()
            HealthRoutes.register(on: router, service: configuration.serviceName, postgres: postgres, admin: admin)
            let wiring = try await wire(context)
            wiring.routes(router)
            let http = Application(
                router: router,
                configuration: .init(address: .hostname(configuration.httpHost, port: configuration.httpPort), serverName: configuration.serviceName),
                logger: logger)
            var relayOptions = OutboxRelay.Options()
            relayOptions.pollInterval = configuration.outboxPollInterval
            relayOptions.retention = .seconds(configuration.outboxRetentionHours * 3600)
            let relay = OutboxRelay(producer: configuration.serviceName, client: postgres, kafka: producer, options: relayOptions, logger: logger)
            let housekeeping = InboxHousekeeping(client: postgres, retentionHours: configuration.inboxRetentionHours, logger: logger)

            var groupConfiguration = ServiceGroupConfiguration(
                services: [http, relay, housekeeping] + wiring.services,
                gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
            groupConfiguration.maximumGracefulShutdownDuration = shutdownTimeout
            try await ServiceGroup(configuration: groupConfiguration).run()

            await producer.close(timeoutMilliseconds: 2000)
            group.cancelAll()
            logger.info("stopped")
        }
    }

    /// Schema and topics, retried while Postgres or the broker are not reachable yet.
    private func prepare(_ context: ServiceContext) async throws {
        var attempt = 0
        while true {
            do {
                try await Migrator.migrate(context.postgres, logger: context.logger)
                try await context.admin.createTopics(Topics.all, partitions: configuration.topicPartitions)
                return
            } catch where RetryPolicy.isTransient(error) {
                attempt += 1
                context.logger.warning("start-up waiting for Postgres or Kafka", metadata: ["attempt": "\(attempt)", "error": "\(error)"])
                try await Task.sleep(for: RetryPolicy.backoff(attempt: attempt, initial: .milliseconds(250), maximum: .seconds(5)))
            }
        }
    }
}
