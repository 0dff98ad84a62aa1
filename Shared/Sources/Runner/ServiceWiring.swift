import Hummingbird
import ServiceLifecycle

/// What a service adds to the runner: its consumers and background jobs, and its HTTP routes.
public struct ServiceWiring: Sendable {
    public var services: [any Service]
    public var routes: @Sendable (Router<BasicRequestContext>) -> Void

    public init(services: [any Service] = [], routes: @escaping @Sendable (Router<BasicRequestContext>) -> Void = { _ in }) {
        self.services = services
        self.routes = routes
    }
}
