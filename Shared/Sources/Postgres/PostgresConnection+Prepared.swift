import Logging
import PostgresNIO
import Synchronization

extension PostgresConnection {
    /// Runs `statement` as a named prepared statement (prepared on this connection the first time it
    /// runs here) and collects its rows. For the statements every batch runs: an unnamed statement
    /// is parsed, analysed and planned again on every call, which was a quarter of Postgres' CPU in
    /// the pipeline benchmark (docs/BENCHMARKS.md).
    ///
    /// When it fails, the connection is closed, so the pool replaces it: postgres-nio remembers a
    /// failed preparation per connection and fails that statement there for good, and a transient
    /// failure must not leave a pooled connection that can never run it again. Under
    /// `withLiveConnection` (and so `unitOfWork`) the close waits until the body is done: the
    /// caller sees the statement's own error and its ROLLBACK still runs; closed at once, the
    /// connection watchdog could report the close instead.
    public func rows<Statement: PostgresPreparedStatement>(
        _ statement: Statement, logger: Logger
    ) async throws -> [Statement.Row] {
        do {
            var rows: [Statement.Row] = []
            for try await row in try await execute(statement, logger: logger) { rows.append(row) }
            return rows
        } catch {
            if let discard = ConnectionDiscard.current {
                discard.request()
            } else if !isClosed {
                try? await close()
            }
            throw error
        }
    }
}

/// A request to close a leased connection once its lease's body is done (see `rows`).
final class ConnectionDiscard: Sendable {
    @TaskLocal static var current: ConnectionDiscard?

    private let requested = Mutex(false)

    func request() { requested.withLock { $0 = true } }

    var isRequested: Bool { requested.withLock { $0 } }
}

/// Row decoding for the common shapes: no rows wanted, or one column.
extension PostgresPreparedStatement where Row == Void {
    public func decodeRow(_ row: PostgresRow) {}
}

extension PostgresPreparedStatement where Row: PostgresDecodable {
    public func decodeRow(_ row: PostgresRow) throws -> Row { try row.decode(Row.self) }
}
