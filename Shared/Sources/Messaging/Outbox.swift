import Logging
import PostgresNIO

/// The transactional outbox: events are rows written by the same transaction as the state they
/// describe, so both commit or neither does. `OutboxRelay` publishes them afterwards.
public enum Outbox {
    /// The channel that wakes `producer`'s relays (`OutboxRelay` listens on it); the payload is the
    /// producer's name. One channel per producer: on a shared channel every relay of every service
    /// was woken for every commit.
    public static func notificationChannel(for producer: String) -> String {
        "crm_outbox." + producer
    }

    /// Appends `messages` in order (their order is their publication order) on a connection that
    /// is inside the caller's transaction, and notifies the producer's channel in the same
    /// statement (Postgres delivers it at commit, never for a rolled-back transaction).
    public static func append(
        _ messages: [OutboxMessage], producer: String, on connection: PostgresConnection, logger: Logger
    ) async throws {
        guard !messages.isEmpty else { return }
        let eventIds = messages.map { $0.eventId.uuidString }
        let topics = messages.map(\.topic)
        let keys = messages.map(\.key)
        let types = messages.map(\.eventType)
        let payloads = messages.map(\.payload)
        try await connection.query("""
            WITH appended AS (
                INSERT INTO outbox (event_id, producer, topic, message_key, event_type, payload)
                SELECT event_id::uuid, \(producer), topic, message_key, event_type, payload
                FROM UNNEST(\(eventIds)::text[], \(topics)::text[], \(keys)::text[], \(types)::text[], \(payloads)::text[])
                     WITH ORDINALITY AS m(event_id, topic, message_key, event_type, payload, position)
                ORDER BY position
                RETURNING 1
            )
            SELECT pg_notify(\(notificationChannel(for: producer)), \(producer)) FROM (SELECT 1 FROM appended LIMIT 1) AS any_row
            """, logger: logger)
    }
}
