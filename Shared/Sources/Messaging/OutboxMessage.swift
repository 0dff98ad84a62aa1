import Foundation

/// An event to publish, written to the outbox in the transaction that made the state change.
public struct OutboxMessage: Sendable, Equatable {
    public var eventId: UUID
    public var topic: String
    /// The Kafka key: the aggregate id, so one aggregate's events stay in order on one partition.
    public var key: String
    public var eventType: String
    /// The encoded envelope.
    public var payload: String

    public init(eventId: UUID, topic: String, key: String, eventType: String, payload: String) {
        self.eventId = eventId
        self.topic = topic
        self.key = key
        self.eventType = eventType
        self.payload = payload
    }

    /// Encodes an envelope for `topic`.
    public init<Payload>(topic: String, envelope: EventEnvelope<Payload>) throws {
        let data = try CRMJSON.encoder().encode(envelope)
        self.init(
            eventId: envelope.eventId, topic: topic, key: envelope.aggregateId, eventType: envelope.type,
            payload: String(decoding: data, as: UTF8.self))
    }
}
