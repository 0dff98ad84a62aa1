import Shared

/// The contract-workflow service: contract approval, signature and payment schedule.
public enum ContractWorkflowService {
    public static let name = "contract-workflow"
    public static let defaultHTTPPort = 8083

    /// Consumers, background jobs and routes of this service. The runner provides health,
    /// readiness, metrics, the outbox relay and graceful shutdown.
    @Sendable
    public static func wire(_ context: ServiceContext) async throws -> ServiceWiring {
        ServiceWiring()
    }
}
