import Foundation
import Logging
import Metrics
import PostgresNIO
import Shared

/// Handles batches from `crm.lead.intake`: every message ends as a new lead, a touch of an
/// existing lead, a no-op (a submission seen before) or a rejection on `crm.lead.rejected`.
/// Never throws for bad input; throws only when the database or broker fails, so the pipeline
/// retries the batch (the repository and the inbox-like submission key make that idempotent).
public struct IntakeHandler: MessageBatchHandler {
    private let client: PostgresClient
    private let producer: KafkaProducer
    private let repository: LeadRepository
    private let rules: RuleDocumentCache<ScoringRules>
    private let validator: SubmissionValidator
    private let logger: Logger
    private let now: @Sendable () -> Date

    public init(
        client: PostgresClient, producer: KafkaProducer, scoringRules: RuleStore, validator: SubmissionValidator = SubmissionValidator(),
        outboxProducer: String, logger: Logger, now: @escaping @Sendable () -> Date = Date.init
    ) {
        self.client = client
        self.producer = producer
        self.repository = LeadRepository(producer: outboxProducer, logger: logger)
        self.rules = RuleDocumentCache(store: scoringRules) { try ScoringRules.parse(json: $0) }
        self.validator = validator
        self.logger = logger
        self.now = now
    }

    public func handle(_ batch: [KafkaMessage]) async throws {
        let receivedAt = now()
        var valid: [IntakePlanner.Submission] = []
        var rejected: [(KafkaMessage, RejectedSubmission)] = []
        let validator = validator
        let results = try await batch.concurrentMap { message in validator.validate(bytes: message.value, now: receivedAt) }
        for (message, result) in zip(batch, results) {
            switch result {
            case .success(let submission):
                valid.append(IntakePlanner.Submission(validated: submission, raw: String(decoding: message.value, as: UTF8.self)))
            case .failure(let rejection):
                rejected.append((message, RejectedSubmission(rejection: rejection, original: message.value)))
            }
        }

        if !valid.isEmpty {
            // Messages of a batch come partition by partition; the earliest submission of a person
            // should become the lead and later ones its touches, so plan in the order they happened.
            valid.sort { $0.validated.lead.receivedAt < $1.validated.lead.receivedAt }
            let (version, scoringRules) = try await rules.current()
            let outcome = try await client.unitOfWork(logger: logger) { [valid] connection in
                try await repository.record(valid, rules: scoringRules, scoringVersion: version, on: connection)
            }
            count("accepted", outcome.accepted)
            count("merged", outcome.merged)
            count("already_recorded", outcome.alreadyRecorded)
            count("possible_duplicate", outcome.possibleDuplicates)
            logger.debug("intake batch recorded", metadata: [
                "accepted": "\(outcome.accepted)", "merged": "\(outcome.merged)",
                "alreadyRecorded": "\(outcome.alreadyRecorded)", "scoringVersion": "\(version)",
            ])
        }
        if !rejected.isEmpty {
            try await producer.send(try rejected.map(Self.rejection))
            count("rejected", rejected.count)
            for (message, rejection) in rejected {
                // The reason and fields only: the original may hold personal data.
                logger.info("submission rejected", metadata: [
                    "reason": "\(rejection.reason)", "fields": "\(rejection.errors.map(\.field))",
                    "partition": "\(message.partition)", "offset": "\(message.offset)",
                ])
            }
        }
    }

    /// The `crm.lead.rejected` message: keyed as received, the reason in the value, where it came
    /// from in the headers.
    static func rejection(_ item: (KafkaMessage, RejectedSubmission)) throws -> ProducerRecord {
        let (message, rejection) = item
        return ProducerRecord(
            topic: Topics.leadRejected, key: message.key, value: Array(try CRMJSON.encoder().encode(rejection)),
            headers: [
                KafkaHeader(key: "original-topic", text: message.topic),
                KafkaHeader(key: "original-partition", text: String(message.partition)),
                KafkaHeader(key: "original-offset", text: String(message.offset)),
                KafkaHeader(key: "reason", text: rejection.reason),
            ])
    }

    private func count(_ outcome: String, _ value: Int) {
        guard value > 0 else { return }
        Counter(label: "crm_intake_submissions_total", dimensions: [("outcome", outcome)]).increment(by: value)
    }
}
