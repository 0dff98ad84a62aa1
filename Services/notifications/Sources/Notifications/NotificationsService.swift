import Shared

/// The notifications service: reminders and escalations to people, from every event topic.
public enum NotificationsService {
    public static let name = "notifications"
    public static let defaultHTTPPort = 8084

    /// Consumers, background jobs and routes of this service. The runner provides health,
    /// readiness, metrics, the outbox relay and graceful shutdown.
    @Sendable
    public static func wire(_ context: ServiceContext) async throws -> ServiceWiring {
        ServiceWiring()
    }
}
