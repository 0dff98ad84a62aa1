import Logging
import PostgresNIO

/// The transactional outbox: events are rows written by the same transaction as the state they
/// describe, so both commit or neither does. `OutboxRelay` publishes them afterwards. Every row
/// is also queued in `outbox_queue` until it is published; `outbox` itself is written once and
/// kept for the retention.
public enum Outbox {
    /// The channel that wakes `producer`'s relays (`OutboxRelay` listens on it); the payload is the
    /// producer's name. One channel per producer: on a shared channel every relay of every service
    /// was woken for every commit.
    public static func notificationChannel(for producer: String) -> String {
        "crm_outbox." + producer
    }

    /// Appends `messages` in order (their order is their publication order) on a connection that
    /// is inside the caller's transaction, queues them, and notifies the producer's channel in the same
    /// statement (Postgres delivers it at commit, never for a rolled-back transaction).
    public static func append(
        _ messages: [OutboxMessage], producer: String, on connection: PostgresConnection, logger: Logger
    ) async throws {
        guard !messages.isEmpty else { return }
        _ = try await connection.rows(Append(producer: producer, messages: messages), logger: logger)
    }

    /// `append`'s statement, prepared: every batch of every producer runs it.
    struct Append: PostgresPreparedStatement {
        static let sql = """
            WITH appended AS (
                INSERT INTO outbox (event_id, producer, topic, message_key, event_type, payload)
                SELECT event_id::uuid, $1, topic, message_key, event_type, payload
                FROM UNNEST($2::text[], $3::text[], $4::text[], $5::text[], $6::text[])
                     WITH ORDINALITY AS m(event_id, topic, message_key, event_type, payload, position)
                ORDER BY position
                RETURNING id
            ), queued AS (
                INSERT INTO outbox_queue (producer, id) SELECT $1, id FROM appended
            )
            SELECT pg_notify($7, $1) FROM (SELECT 1 FROM appended LIMIT 1) AS any_row
            """
        typealias Row = Void

        var producer: String
        var messages: [OutboxMessage]

        func makeBindings() -> PostgresBindings {
            var bindings = PostgresBindings()
            bindings.append(producer)
            bindings.append(messages.map { $0.eventId.uuidString })
            bindings.append(messages.map(\.topic))
            bindings.append(messages.map(\.key))
            bindings.append(messages.map(\.eventType))
            bindings.append(messages.map(\.payload))
            bindings.append(notificationChannel(for: producer))
            return bindings
        }
    }
}
