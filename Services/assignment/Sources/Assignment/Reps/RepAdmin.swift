import Foundation
import Logging
import PostgresNIO
import Shared

/// What the rep admin routes do, without HTTP: the routes only move bytes and status codes, so this
/// is what the tests exercise.
public struct RepAdmin: Sendable {
    public let client: PostgresClient
    public let logger: Logger
    public var repository: RepRepository { RepRepository(logger: logger) }

    public init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    public enum PutOutcome: Sendable, Equatable {
        case stored(StoredRep)
        /// Nothing was stored.
        case invalid([RepProblem])
    }

    /// `PUT /v1/reps/{id}`: validates the JSON body and inserts or replaces the rep (its open-lead
    /// count is kept).
    public func put(id: String, body: [UInt8]) async throws -> PutOutcome {
        switch RepDocument.read(body, pathId: id) {
        case .failure(let error):
            return .invalid(error.problems)
        case .success(let rep):
            guard let stored = try await repository.upsert([rep], client: client).first else {
                throw RepAdminError.notStored(id)
            }
            return .stored(stored)
        }
    }

    /// The answer of `POST /v1/reps/import`.
    public struct ImportResult: Codable, Sendable, Equatable {
        public var imported: Int
        public var errors: [RepImportProblem]

        public init(imported: Int, errors: [RepImportProblem]) {
            self.imported = imported
            self.errors = errors
        }
    }

    public enum ImportOutcome: Sendable, Equatable {
        /// The good rows were stored (in one transaction); `errors` lists the rows that were not.
        case imported(ImportResult)
        /// The file as a whole is unusable (not UTF-8, empty, bad header): nothing was stored.
        case rejected(ImportResult)
    }

    /// `POST /v1/reps/import`: stores every good row of a rep CSV file in one transaction and reports
    /// the bad ones by line.
    public func importCSV(_ bytes: [UInt8]) async throws -> ImportOutcome {
        let parsed = RepCSV.parse(bytes)
        if parsed.rejected {
            return .rejected(ImportResult(imported: 0, errors: parsed.problems))
        }
        let reps = parsed.reps
        if !reps.isEmpty {
            try await client.unitOfWork(logger: logger) { connection in
                _ = try await repository.upsert(reps, on: connection)
            }
        }
        return .imported(ImportResult(imported: reps.count, errors: parsed.problems))
    }
}

public enum RepAdminError: Error, CustomStringConvertible {
    case notStored(String)

    public var description: String {
        switch self {
        case .notStored(let id): "the upsert of rep \(id) returned no row"
        }
    }
}
