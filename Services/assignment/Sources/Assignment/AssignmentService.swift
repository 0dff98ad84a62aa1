import Foundation
import Shared

/// The assignment service: routes accepted leads to reps by a weighted, business-editable policy,
/// watches follow-up SLAs, escalates, and returns neglected leads to the pool.
public enum AssignmentService {
    public static let name = "assignment"
    public static let defaultHTTPPort = 8082
    /// The consumer group on `crm.lead.events` (also the inbox's consumer name).
    public static let consumerGroup = "assignment.lead-events"

    @Sendable
    public static func wire(_ context: ServiceContext) async throws -> ServiceWiring {
        let client = context.postgres
        let logger = context.logger
        let producer = context.configuration.serviceName
        let policies = RuleStore(kind: RoutingPolicyStore.kind, client: client, logger: logger)
        try await policies.seedIfEmpty(document: try RoutingPolicyStore.defaultDocument())

        let group = context.configuration.consumerGroupPrefix + consumerGroup
        let handler = LeadEventsHandler(client: client, routingPolicies: policies, consumer: group, outboxProducer: producer, logger: logger)
        let consumer = context.consumer(group: consumerGroup, topics: [Topics.leadEvents], handler: handler)
        let interval = try context.configuration.environment.milliseconds("CRM_SLA_POLL_MS", default: 1000, range: 50...60_000)
        let scheduler = SLAScheduler(client: client, routingPolicies: policies, outboxProducer: producer, logger: logger, interval: interval)

        let activities = ActivityRoutes(activities: LeadActivities(client: client, routingPolicies: policies, outboxProducer: producer, logger: logger))
        let reps = RepRoutes(client: client, logger: logger)
        let queries = AssignmentQueryRoutes(client: client, logger: logger)
        let rules = RuleRoutes(store: policies, validate: RoutingPolicyStore.validate)
        let apiKeys = context.configuration.apiKeys
        return ServiceWiring(services: [consumer, scheduler]) { router in
            let v1 = router.group("v1").add(middleware: APIKeyMiddleware(keys: apiKeys))
            activities.register(on: v1)
            reps.register(on: v1)
            queries.register(on: v1)
            rules.register(on: v1)
        }
    }
}
