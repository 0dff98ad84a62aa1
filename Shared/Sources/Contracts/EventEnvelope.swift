import Foundation

/// The envelope every event topic carries (SPEC 3.2). Kafka key = `aggregateId`; header
/// `event-id` = `eventId`.
public struct EventEnvelope<Payload: Codable & Sendable>: Codable, Sendable {
    @LowercasedUUID public var eventId: UUID
    public var type: String
    public var version: Int
    public var occurredAt: Date
    public var aggregateId: String
    public var correlationId: String
    public var causationId: String?
    public var payload: Payload

    public init(
        eventId: UUID = .random(), type: String, version: Int = 1, occurredAt: Date = Date(),
        aggregateId: String, correlationId: String, causationId: String? = nil, payload: Payload
    ) {
        self.eventId = eventId
        self.type = type
        self.version = version
        self.occurredAt = occurredAt
        self.aggregateId = aggregateId
        self.correlationId = correlationId
        self.causationId = causationId
        self.payload = payload
    }
}

/// The envelope fields without the payload: enough to route, de-duplicate and dispatch an event
/// before knowing its payload type.
public struct EventHeader: Codable, Sendable, Equatable {
    @LowercasedUUID public var eventId: UUID
    public var type: String
    public var version: Int
    public var occurredAt: Date
    public var aggregateId: String
    public var correlationId: String
    public var causationId: String?

    /// Reads the header of an event message; throws a `DecodingError` naming the field when the
    /// message is not an envelope.
    public static func decode(_ bytes: [UInt8]) throws -> EventHeader {
        try CRMJSON.decoder().decode(EventHeader.self, from: Data(bytes))
    }
}
