import Foundation
import Logging
import PostgresNIO
import Shared

/// The `reps` table. `profile` holds the whole `Rep`; `name`, `team_id`, `supervisor_id`, `active`
/// and `capacity` mirror it for queries and the routing handler. `open_leads` belongs to the routing
/// handler (it moves with assignments under the routing lock): nothing here ever writes it.
public struct RepRepository: Sendable {
    public let logger: Logger

    public init(logger: Logger) {
        self.logger = logger
    }

    static let encoder = CRMJSON.encoder()
    static let decoder = CRMJSON.decoder()

    /// Reads `reps.profile` (`profile::text`). Profiles are written in the system's JSON dialect
    /// (`CRMJSON`: leave periods as RFC 3339 strings), so a plain `JSONDecoder` cannot read a rep
    /// with leave; every reader of the column should use this.
    public static func decodeProfile(_ text: String) throws -> Rep {
        try decoder.decode(Rep.self, from: Data(text.utf8))
    }

    private struct Row: Encodable {
        var id: String
        var name: String
        var teamId: String
        var supervisorId: String?
        var active: Bool
        var capacity: Int
        var profile: Rep

        enum CodingKeys: String, CodingKey {
            case id, name, teamId = "team_id", supervisorId = "supervisor_id", active, capacity, profile
        }
    }

    /// Inserts new reps and replaces the profiles of known ones in one statement (rows locked in id
    /// order, so two concurrent imports cannot deadlock), keeping their `open_leads`. A repeated id
    /// keeps its last occurrence. Returns the stored reps in id order.
    @discardableResult
    public func upsert(_ reps: [Rep], on connection: PostgresConnection) async throws -> [StoredRep] {
        var byId: [String: Rep] = [:]
        for rep in reps { byId[rep.id] = rep }
        guard !byId.isEmpty else { return [] }
        let rows = byId.values.sorted { $0.id < $1.id }.map {
            Row(id: $0.id, name: $0.name, teamId: $0.teamId, supervisorId: $0.supervisorId,
                active: $0.active, capacity: $0.capacity, profile: $0)
        }
        let document = String(decoding: try Self.encoder.encode(rows), as: UTF8.self)
        // Capacity and availability are what routers decide on: change them under the routing lock.
        _ = try await AssignmentStore(logger: logger).lockRouting(on: connection)
        let result = try await connection.query("""
            INSERT INTO reps AS existing (id, name, team_id, supervisor_id, active, capacity, profile)
            SELECT id, name, team_id, supervisor_id, active, capacity, profile
            FROM jsonb_to_recordset(\(document)::jsonb)
                 AS r(id text, name text, team_id text, supervisor_id text, active boolean, capacity integer, profile jsonb)
            ORDER BY id
            ON CONFLICT (id) DO UPDATE SET
                name = excluded.name, team_id = excluded.team_id, supervisor_id = excluded.supervisor_id,
                active = excluded.active, capacity = excluded.capacity, profile = excluded.profile, updated_at = now()
            RETURNING existing.profile::text, existing.open_leads, existing.updated_at
            """, logger: logger)
        return try await Self.decode(result).sorted { $0.rep.id < $1.rep.id }
    }

    public func get(_ id: String, on connection: PostgresConnection) async throws -> StoredRep? {
        let rows = try await connection.query(
            "SELECT profile::text, open_leads, updated_at FROM reps WHERE id = \(id)", logger: logger)
        return try await Self.decode(rows).first
    }

    /// Every rep (of one team when `team` is given), by id.
    public func list(team: String? = nil, on connection: PostgresConnection) async throws -> [StoredRep] {
        let rows = try await connection.query("""
            SELECT profile::text, open_leads, updated_at FROM reps
            WHERE \(team)::text IS NULL OR team_id = \(team)
            ORDER BY id
            """, logger: logger)
        return try await Self.decode(rows)
    }

    private static func decode(_ rows: PostgresRowSequence) async throws -> [StoredRep] {
        var reps: [StoredRep] = []
        for try await (profile, openLeads, updatedAt) in rows.decode((String, Int, Date).self) {
            reps.append(StoredRep(rep: try decodeProfile(profile), openLeads: openLeads, updatedAt: updatedAt))
        }
        return reps
    }
}

extension RepRepository {
    /// Convenience for callers without a connection of their own.
    public func upsert(_ reps: [Rep], client: PostgresClient) async throws -> [StoredRep] {
        try await client.unitOfWork(logger: logger) { connection in
            try await upsert(reps, on: connection)
        }
    }

    public func get(_ id: String, client: PostgresClient) async throws -> StoredRep? {
        try await client.withLiveConnection { connection in try await get(id, on: connection) }
    }

    public func list(team: String? = nil, client: PostgresClient) async throws -> [StoredRep] {
        try await client.withLiveConnection { connection in try await list(team: team, on: connection) }
    }
}
