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
        return Set(try await connection.rows(Claim(consumer: consumer, eventIds: eventIds), logger: logger))
    }

    /// `claim`'s statement, prepared: every batch of every consumer runs it.
    struct Claim: PostgresPreparedStatement {
        static let sql = """
            INSERT INTO inbox (consumer, event_id)
            SELECT DISTINCT $1, event_id FROM UNNEST($2::text[]) AS ids(event_id)
            ON CONFLICT DO NOTHING
            RETURNING event_id
            """
        typealias Row = String

        var consumer: String
        var eventIds: [String]

        func makeBindings() -> PostgresBindings {
            var bindings = PostgresBindings()
            bindings.append(consumer)
            bindings.append(eventIds)
            return bindings
        }
    }
}
