import Logging
import PostgresNIO

/// The database closed the connection (a restart, an administrator) while a unit of work held it.
/// Transient: the unit of work is retried on a fresh connection.
public struct ConnectionLost: Transient, CustomStringConvertible {
    public var description: String { "the Postgres connection closed during the unit of work; it is retried on a new connection" }
}

extension PostgresClient {
    /// One transaction on one pooled connection: BEGIN, `body`, COMMIT; ROLLBACK when `body` throws.
    /// A failure of `body` is rethrown as it is, so handlers see, retry and dead-letter their own
    /// errors; BEGIN and COMMIT failures are the database's.
    ///
    /// Not postgres-nio's `withTransaction`: a statement written to a connection the server has
    /// already closed is never answered there (the channel drops the write and the query waits
    /// forever). Found by `make test-faults` when Postgres restarted while the outbox relay's
    /// transaction was idle waiting for the broker: its mark-published UPDATE, and then the ROLLBACK,
    /// hung the relay for good. Here the whole unit runs under `withLiveConnection`, and a
    /// statement that follows a wait on something else can fail fast with `checkOpen`.
    public func unitOfWork<Result: Sendable>(
        logger: Logger, _ body: @escaping @Sendable (PostgresConnection) async throws -> Result
    ) async throws -> Result {
        try await withLiveConnection { connection in
            try await connection.query("BEGIN;", logger: logger)
            let value: Result
            do {
                value = try await body(connection)
            } catch {
                // A closed connection has nothing to roll back: the server ended the transaction.
                if !connection.isClosed { _ = try? await connection.query("ROLLBACK;", logger: logger) }
                throw error
            }
            try connection.checkOpen()
            try await connection.query("COMMIT;", logger: logger)
            return value
        }
    }

    /// One statement outside a transaction, its rows collected, on a connection checked to be open
    /// (see `unitOfWork`: `query` on the client itself waits forever when the pool hands out a
    /// connection the server has just closed, as after a Postgres restart).
    public func queryRows(_ query: PostgresQuery, logger: Logger) async throws -> [PostgresRow] {
        try await withLiveConnection { connection in
            try await connection.query(query, logger: logger).collect()
        }
    }

    /// `withConnection` for code that must not wait forever on a Postgres that went away:
    /// - never a connection that is already closed: the pool may hand out one whose close it has
    ///   not processed yet. Nothing has run on it, so another is taken (a few times, then
    ///   `ConnectionLost`);
    /// - `body` ends with `ConnectionLost` once the connection closes under it, even when a
    ///   statement it wrote was dropped (see `PostgresConnection.untilClosed`);
    /// - closed after `body` when one of its prepared statements failed (see `PostgresConnection.rows`).
    public func withLiveConnection<Result: Sendable>(
        _ body: @escaping @Sendable (PostgresConnection) async throws -> Result
    ) async throws -> Result {
        var attempt = 0
        while true {
            attempt += 1
            do {
                return try await withConnection { connection in
                    guard !connection.isClosed else { throw StaleLease() }
                    let discard = ConnectionDiscard()
                    let outcome: Swift.Result<Result, any Error>
                    do {
                        outcome = .success(try await ConnectionDiscard.$current.withValue(discard) {
                            try await connection.untilClosed { try await body(connection) }
                        })
                    } catch {
                        outcome = .failure(error)
                    }
                    if discard.isRequested && !connection.isClosed { try? await connection.close() }
                    return try outcome.get()
                }
            } catch is StaleLease {
                guard attempt < 10 else { throw ConnectionLost() }
                try await Task.sleep(for: .milliseconds(20 * attempt))
            }
        }
    }

    private struct StaleLease: Error {}
}

extension PostgresConnection {
    /// Throws `ConnectionLost` instead of writing to a closed connection (see `unitOfWork`).
    /// Call it before a statement that follows a wait on something else (the broker, say).
    public func checkOpen() throws(ConnectionLost) {
        if isClosed { throw ConnectionLost() }
    }
}
