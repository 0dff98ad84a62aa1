import Shared

/// The reporting service: read models for funnel, SLA, fairness and cycle-time reports.
public enum ReportingService {
    public static let name = "reporting"
    public static let defaultHTTPPort = 8085

    /// Consumers, background jobs and routes of this service. The runner provides health,
    /// readiness, metrics, the outbox relay and graceful shutdown.
    @Sendable
    public static func wire(_ context: ServiceContext) async throws -> ServiceWiring {
        ServiceWiring()
    }
}
