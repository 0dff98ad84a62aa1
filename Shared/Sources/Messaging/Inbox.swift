import Logging
import PostgresNIO

/// The inbox: which events a consumer has already applied. Recorded in the handler's transaction,
/// so a redelivered event (at-least-once) is recognised and its effect happens once.
public enum Inbox {
    /// Records `eventIds` as processed by `consumer` and returns those that were new. Call inside
    /// the handler's transaction and apply only the returned ones; an id that appears twice in one
    /// batch is returned once, so apply it once.
    public static func claim(
        _ eventIds: [String], consumer: String, on connection: PostgresConnection, logger: Logger
    ) async throws -> Set<String> {
        guard !eventIds.isEmpty else { return [] }
        var fresh = Set<String>()
        let rows = try await connection.query("""
            INSERT INTO inbox (consumer, event_id)
            SELECT DISTINCT \(consumer), event_id FROM UNNEST(\(eventIds)::text[]) AS ids(event_id)
            ON CONFLICT DO NOTHING
            RETURNING event_id
            """, logger: logger)
        for try await eventId in rows.decode(String.self) { fresh.insert(eventId) }
        return fresh
    }
}
