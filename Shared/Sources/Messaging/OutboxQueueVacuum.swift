import Logging
import PostgresNIO

/// Vacuums `outbox_queue`, the queue every service's relay shares (see `OutboxRelay.vacuumQueue`),
/// one relay at a time.
///
/// Two VACUUMs of one table cannot run together: with `SKIP_LOCKED` the later one is skipped, and
/// Postgres logs `WARNING: skipping vacuum of "outbox_queue" --- lock not available` for it. The
/// five services start together and their relays vacuum every 10 s in step: one to three of these
/// per `make bench` run, 31 in a day of them. A session advisory lock, taken without waiting, now
/// settles which relay vacuums; the others skip quietly, as there is nothing left for them to do.
/// `SKIP_LOCKED` stays for autovacuum, which the lock does not know about.
enum OutboxQueueVacuum {
    enum Outcome: Equatable, Sendable {
        case vacuumed
        /// Another relay holds the vacuum lock and is vacuuming the queue now.
        case skipped
    }

    /// The lock's two keys. The two-key form never meets the relays' one-key
    /// `pg_try_advisory_xact_lock(hashtext(..))`.
    private static let lockKeys = (space: "crm", name: "outbox_queue vacuum")
    static var tryLock: PostgresQuery { "SELECT pg_try_advisory_lock(hashtext(\(lockKeys.space)), hashtext(\(lockKeys.name)))" }
    static var unlock: PostgresQuery { "SELECT pg_advisory_unlock(hashtext(\(lockKeys.space)), hashtext(\(lockKeys.name)))" }

    static func run(client: PostgresClient, logger: Logger) async throws -> Outcome {
        try await client.withLiveConnection { connection in
            let locked = try await connection.query(tryLock, logger: logger).collect().first?.decode(Bool.self) ?? false
            guard locked else { return .skipped }
            let vacuum: Result<Void, any Error>
            do {
                try await connection.query("VACUUM (SKIP_LOCKED) outbox_queue", logger: logger)
                vacuum = .success(())
            } catch {
                vacuum = .failure(error)
            }
            do {
                _ = try await connection.query(unlock, logger: logger).collect()
            } catch {
                // A pooled connection still holding the lock would stop every later vacuum: closing
                // it makes the server release the lock.
                ConnectionDiscard.current?.request()
            }
            try vacuum.get()
            return .vacuumed
        }
    }
}
