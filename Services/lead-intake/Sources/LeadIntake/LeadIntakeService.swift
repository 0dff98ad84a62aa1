import Shared

/// The lead-intake service: the single door every lead passes through (validate, normalize, de-duplicate, score).
public enum LeadIntakeService {
    public static let name = "lead-intake"
    public static let defaultHTTPPort = 8081

    /// Consumers, background jobs and routes of this service. The runner provides health,
    /// readiness, metrics, the outbox relay and graceful shutdown.
    @Sendable
    public static func wire(_ context: ServiceContext) async throws -> ServiceWiring {
        ServiceWiring()
    }
}
