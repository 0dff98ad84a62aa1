import Foundation
import Logging
import PostgresNIO

/// A version of a rule document.
public struct RuleVersion: Sendable, Codable, Equatable {
    public var kind: String
    public var version: Int
    public var document: String
    public var createdBy: String
    public var createdAt: Date
    public var comment: String?
}

/// An audit entry: who changed which rules when, from what to what.
public struct RuleAuditEntry: Sendable, Codable, Equatable {
    public var action: String
    public var actor: String
    public var oldVersion: Int?
    public var newVersion: Int
    public var at: Date
}

/// Rules the store refuses to change.
public enum RuleStoreError: Error, CustomStringConvertible, Equatable {
    case unknownVersion(kind: String, version: Int)

    public var description: String {
        switch self {
        case .unknownVersion(let kind, let version):
            return "There is no version \(version) of the \(kind) rules; list the versions with the history route or `crmctl rules history \(kind)`."
        }
    }
}

/// Versioned rule documents of one kind (scoring, routing, ...). Documents are validated by their
/// service before they get here; the store keeps every version, audits every change and serialises
/// writers with a transaction-scoped advisory lock so versions never collide.
public struct RuleStore: Sendable {
    public let kind: String
    private let client: PostgresClient
    private let logger: Logger

    public init(kind: String, client: PostgresClient, logger: Logger) {
        self.kind = kind
        self.client = client
        self.logger = logger
    }

    /// The newest version, nil when none was ever stored.
    public func current() async throws -> RuleVersion? {
        try await client.queryRows("""
            SELECT kind, version, document::text, created_by, created_at, comment FROM rule_documents
            WHERE kind = \(kind) ORDER BY version DESC LIMIT 1
            """, logger: logger).first.map(Self.version(from:))
    }

    /// The newest version number only: a cheap check whether a cached document is still current.
    public func currentVersion() async throws -> Int? {
        let kind = kind, logger = logger
        return try await client.withLiveConnection { connection in
            try await connection.rows(LatestVersion(kind: kind), logger: logger).first ?? nil
        }
    }

    /// `currentVersion`'s statement, prepared: every consumer batch checks its cached rules with it.
    struct LatestVersion: PostgresPreparedStatement {
        static let sql = "SELECT max(version) FROM rule_documents WHERE kind = $1"
        typealias Row = Int?

        var kind: String

        func makeBindings() -> PostgresBindings {
            var bindings = PostgresBindings()
            bindings.append(kind)
            return bindings
        }
    }

    public func version(_ number: Int) async throws -> RuleVersion? {
        try await client.queryRows("""
            SELECT kind, version, document::text, created_by, created_at, comment FROM rule_documents
            WHERE kind = \(kind) AND version = \(number)
            """, logger: logger).first.map(Self.version(from:))
    }

    /// Every version, newest first.
    public func history() async throws -> [RuleVersion] {
        try await client.queryRows("""
            SELECT kind, version, document::text, created_by, created_at, comment FROM rule_documents
            WHERE kind = \(kind) ORDER BY version DESC
            """, logger: logger).map(Self.version(from:))
    }

    public func audit() async throws -> [RuleAuditEntry] {
        try await client.queryRows("""
            SELECT action, actor, old_version, new_version, at FROM rule_audit WHERE kind = \(kind) ORDER BY id DESC
            """, logger: logger).map { row in
            let (action, actor, old, new, at) = try row.decode((String, String, Int?, Int, Date).self)
            return RuleAuditEntry(action: action, actor: actor, oldVersion: old, newVersion: new, at: at)
        }
    }

    /// Stores `document` as version 1 when the kind has no version yet (every instance may call it).
    public func seedIfEmpty(document: String) async throws {
        _ = try await write(document: document, actor: "system", comment: "default rules", action: "seed", onlyIfEmpty: true)
    }

    /// Stores `document` as the next version and returns its number.
    @discardableResult
    public func set(document: String, actor: String, comment: String? = nil) async throws -> Int {
        try await write(document: document, actor: actor, comment: comment, action: "set", onlyIfEmpty: false)!
    }

    /// Makes an earlier version's document current again, as a new version (history stays linear).
    @discardableResult
    public func rollback(to number: Int, actor: String) async throws -> Int {
        guard let old = try await version(number) else { throw RuleStoreError.unknownVersion(kind: kind, version: number) }
        return try await write(document: old.document, actor: actor, comment: "rollback to version \(number)", action: "rollback", onlyIfEmpty: false)!
    }

    private func write(document: String, actor: String, comment: String?, action: String, onlyIfEmpty: Bool) async throws -> Int? {
        let lockKey = "rules:" + kind
        return try await client.unitOfWork(logger: logger) { connection -> Int? in
            try await connection.query("SELECT pg_advisory_xact_lock(hashtext(\(lockKey)))", logger: logger)
            let current = try await connection.query("""
                SELECT version, document::text FROM rule_documents WHERE kind = \(kind) ORDER BY version DESC LIMIT 1
                """, logger: logger).collect().first.map { try $0.decode((Int, String).self) }
            if onlyIfEmpty && current != nil { return nil }
            let next = (current?.0 ?? 0) + 1
            try await connection.query("""
                INSERT INTO rule_documents (kind, version, document, created_by, comment)
                VALUES (\(kind), \(next), \(document)::jsonb, \(actor), \(comment))
                """, logger: logger)
            try await connection.query("""
                INSERT INTO rule_audit (kind, action, actor, old_version, new_version, old_document, new_document)
                VALUES (\(kind), \(action), \(actor), \(current?.0), \(next), \(current?.1)::jsonb, \(document)::jsonb)
                """, logger: logger)
            logger.info("rules changed", metadata: ["kind": "\(kind)", "version": "\(next)", "action": "\(action)", "actor": "\(actor)"])
            return next
        }
    }

    private static func version(from row: PostgresRow) throws -> RuleVersion {
        let (kind, version, document, createdBy, createdAt, comment) = try row.decode((String, Int, String, String, Date, String?).self)
        return RuleVersion(kind: kind, version: version, document: document, createdBy: createdBy, createdAt: createdAt, comment: comment)
    }
}
