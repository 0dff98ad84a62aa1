import Foundation

/// Sends a message a service could not process to its dead-letter topic, unchanged, with headers
/// saying where it came from and why it failed, so an operator can inspect and replay it.
public struct DeadLetterPublisher: Sendable {
    public let service: String
    public let topic: String
    private let producer: KafkaProducer

    public enum Header {
        public static let originalTopic = "dlq-original-topic"
        public static let originalPartition = "dlq-original-partition"
        public static let originalOffset = "dlq-original-offset"
        public static let error = "dlq-error"
        public static let attempts = "dlq-attempts"
        public static let service = "dlq-service"
        public static let failedAt = "dlq-failed-at"
    }

    public init(service: String, producer: KafkaProducer) {
        self.service = service
        self.topic = Topics.deadLetter(for: service)
        self.producer = producer
    }

    /// Returns after the broker acknowledged the dead letter.
    public func publish(_ message: KafkaMessage, error: any Error, attempts: Int) async throws {
        let reason = String(describing: error)
        let headers = message.headers.filter { !$0.key.hasPrefix("dlq-") } + [
            KafkaHeader(key: Header.originalTopic, text: message.topic),
            KafkaHeader(key: Header.originalPartition, text: String(message.partition)),
            KafkaHeader(key: Header.originalOffset, text: String(message.offset)),
            KafkaHeader(key: Header.error, text: String(reason.prefix(2000))),
            KafkaHeader(key: Header.attempts, text: String(attempts)),
            KafkaHeader(key: Header.service, text: service),
            KafkaHeader(key: Header.failedAt, text: Timestamp.format(Date())),
        ]
        try await producer.send(ProducerRecord(topic: topic, key: message.key, value: message.value, headers: headers))
    }
}
