import Shared

/// The lead-intake service: the single door every lead passes through (validate, normalize,
/// de-duplicate, score, accept).
public enum LeadIntakeService {
    public static let name = "lead-intake"
    public static let defaultHTTPPort = 8081
    /// The consumer group on `crm.lead.intake`.
    public static let consumerGroup = "lead-intake.intake"

    @Sendable
    public static func wire(_ context: ServiceContext) async throws -> ServiceWiring {
        let scoring = RuleStore(kind: "scoring", client: context.postgres, logger: context.logger)
        try await scoring.seedIfEmpty(document: ScoringRules.defaultJSON)
        let validator = SubmissionValidator()
        let handler = IntakeHandler(
            client: context.postgres, producer: context.producer, scoringRules: scoring, validator: validator,
            outboxProducer: context.configuration.serviceName, logger: context.logger)
        let consumer = context.consumer(group: consumerGroup, topics: [Topics.leadIntake], handler: handler)
        let leads = LeadRoutes(producer: context.producer, queries: LeadQueries(client: context.postgres, logger: context.logger), validator: validator)
        let rules = RuleRoutes(store: scoring, validate: validateScoringRules)
        let apiKeys = context.configuration.apiKeys
        let duplicates = DuplicateDetector(client: context.postgres, logger: context.logger)
        return ServiceWiring(services: [consumer, duplicates]) { router in
            let v1 = router.group("v1").add(middleware: APIKeyMiddleware(keys: apiKeys))
            leads.register(on: v1)
            rules.register(on: v1)
        }
    }

    /// Problems of a scoring rule document, by path; empty when it is valid.
    @Sendable
    public static func validateScoringRules(_ document: String) -> [RuleProblem] {
        do {
            _ = try ScoringRules.parse(json: document)
            return []
        } catch {
            return error.errors
        }
    }
}
