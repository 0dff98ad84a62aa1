import Logging
import PostgresNIO

extension PostgresClient {
    /// `withTransaction`, but a failure of the closure itself is rethrown as it is (postgres-nio
    /// wraps it in `PostgresTransactionError`), so handlers see, retry and dead-letter their own
    /// errors. Begin, commit and rollback failures stay wrapped: they are the database's.
    public func unitOfWork<Result: Sendable>(
        logger: Logger, _ body: (PostgresConnection) async throws -> sending Result
    ) async throws -> Result {
        do {
            return try await withTransaction(logger: logger, body)
        } catch let error as PostgresTransactionError
            where error.beginError == nil && error.commitError == nil && error.rollbackError == nil {
            throw error.closureError ?? error
        }
    }
}
