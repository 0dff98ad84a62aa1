import Logging
import PostgresNIO

extension PostgresConnection {
    /// Runs `statement` as a named prepared statement (prepared on this connection the first time it
    /// runs here) and collects its rows. For the statements every batch runs: an unnamed statement
    /// is parsed, analysed and planned again on every call, which was a quarter of Postgres' CPU in
    /// the pipeline benchmark (docs/BENCHMARKS.md).
    ///
    /// When it fails, the connection is closed before the error is rethrown, so the pool replaces
    /// it: postgres-nio remembers a failed preparation per connection and fails that statement
    /// there for good, and a transient failure must not leave a pooled connection that can never
    /// run it again. A closed connection ends its transaction on the server, so callers' units of
    /// work roll back as they would after any error.
    public func rows<Statement: PostgresPreparedStatement>(
        _ statement: Statement, logger: Logger
    ) async throws -> [Statement.Row] {
        do {
            var rows: [Statement.Row] = []
            for try await row in try await execute(statement, logger: logger) { rows.append(row) }
            return rows
        } catch {
            if !isClosed { try? await close() }
            throw error
        }
    }
}

/// Row decoding for the common shapes: no rows wanted, or one column.
extension PostgresPreparedStatement where Row == Void {
    public func decodeRow(_ row: PostgresRow) {}
}

extension PostgresPreparedStatement where Row: PostgresDecodable {
    public func decodeRow(_ row: PostgresRow) throws -> Row { try row.decode(Row.self) }
}
