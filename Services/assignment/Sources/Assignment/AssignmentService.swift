import Shared

/// The assignment service: routes accepted leads to reps and watches follow-up SLAs.
public enum AssignmentService {
    public static let name = "assignment"
    public static let defaultHTTPPort = 8082

    /// Consumers, background jobs and routes of this service. The runner provides health,
    /// readiness, metrics, the outbox relay and graceful shutdown.
    @Sendable
    public static func wire(_ context: ServiceContext) async throws -> ServiceWiring {
        ServiceWiring()
    }
}
