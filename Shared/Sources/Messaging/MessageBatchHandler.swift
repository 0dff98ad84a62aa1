/// A service's handler for one consumed batch.
///
/// `handle` applies the whole batch as one unit of work, usually one transaction with the inbox
/// records and outbox events. Throwing means none of its effects happened: the pipeline retries,
/// then isolates the failing message and sends it to the dead-letter topic.
public protocol MessageBatchHandler: Sendable {
    func handle(_ batch: [KafkaMessage]) async throws
}

/// Adapts a closure, for small handlers and tests.
public struct ClosureBatchHandler: MessageBatchHandler {
    private let body: @Sendable ([KafkaMessage]) async throws -> Void

    public init(_ body: @escaping @Sendable ([KafkaMessage]) async throws -> Void) {
        self.body = body
    }

    public func handle(_ batch: [KafkaMessage]) async throws {
        try await body(batch)
    }
}
