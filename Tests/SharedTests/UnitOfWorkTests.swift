import CRMTestSupport
import PostgresNIO
import Shared
import Testing

@Suite("Unit of work when Postgres goes away")
struct UnitOfWorkTests {
    /// The outbox relay's situation under `pg_ctl restart`: its transaction idles (waiting for the
    /// broker) while the server ends the session. postgres-nio's own `withTransaction` then waits
    /// forever on its ROLLBACK; the unit of work must fail, transiently, and the next one succeed.
    @Test("a session the server ends mid-transaction fails the unit of work as transient, and the next one works",
          .timeLimit(.minutes(1)))
    func serverEndsSession() async throws {
        try await TestInfrastructure.withFreshDatabase { client, _ in
            try await client.query("CREATE TABLE marks (id INT PRIMARY KEY)")
            do {
                try await client.unitOfWork(logger: TestInfrastructure.logger) { connection in
                    try await connection.query("INSERT INTO marks VALUES (1)", logger: TestInfrastructure.logger)
                    try await Self.endSession(of: connection, from: client)
                    try connection.checkOpen()
                    try await connection.query("INSERT INTO marks VALUES (2)", logger: TestInfrastructure.logger)
                }
                Issue.record("the unit of work succeeded on a connection the server had closed")
            } catch {
                #expect(error is ConnectionLost, "\(String(reflecting: error))")
                #expect(RetryPolicy.isTransient(error))
            }
            _ = try await client.unitOfWork(logger: TestInfrastructure.logger) { connection in
                try await connection.query("INSERT INTO marks VALUES (3)", logger: TestInfrastructure.logger)
            }
            let ids = try await client.unitOfWork(logger: TestInfrastructure.logger) { connection in
                try await connection.query("SELECT id FROM marks ORDER BY id", logger: TestInfrastructure.logger)
                    .collect().map { try $0.decode(Int.self) }
            }
            #expect(ids == [3], "the first transaction left nothing behind")
        }
    }

    /// A consumer's situation under `pg_ctl restart`: the session ends between two statements of a
    /// transaction that does not look (`checkOpen`) before writing. postgres-nio drops the write and
    /// never answers; the unit of work must still end, with `ConnectionLost`.
    @Test("a statement written to a connection the server has closed ends the unit of work with ConnectionLost",
          .timeLimit(.minutes(1)))
    func droppedStatement() async throws {
        try await TestInfrastructure.withFreshDatabase { client, _ in
            try await client.query("CREATE TABLE marks (id INT PRIMARY KEY)")
            do {
                try await client.unitOfWork(logger: TestInfrastructure.logger) { connection in
                    try await Self.endSession(of: connection, from: client)
                    #expect(connection.isClosed)
                    try await connection.query("INSERT INTO marks VALUES (1)", logger: TestInfrastructure.logger)
                }
                Issue.record("the unit of work succeeded on a connection the server had closed")
            } catch {
                #expect(error is ConnectionLost, "\(String(reflecting: error))")
            }
            let count = try await client.queryRows("SELECT count(*) FROM marks", logger: TestInfrastructure.logger)
                .first?.decode(Int.self)
            #expect(count == 0)
        }
    }

    /// Another pooled connection ends this connection's session, as a restart would, and waits
    /// until the client has seen it closed.
    static func endSession(of connection: PostgresConnection, from client: PostgresClient) async throws {
        let pid = try await connection.query("SELECT pg_backend_pid()", logger: TestInfrastructure.logger)
            .collect().first?.decode(Int32.self) ?? 0
        try await client.query("SELECT pg_terminate_backend(\(pid))")
        let end = ContinuousClock.now + .seconds(10)
        while !connection.isClosed && ContinuousClock.now < end { try await Task.sleep(for: .milliseconds(20)) }
    }
}
