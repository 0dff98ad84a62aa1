import Foundation
import PostgresNIO
import Shared

/// The statements every routing batch runs, prepared once per connection (`PostgresConnection.rows`):
/// parsing and planning them again for every batch was a quarter of Postgres' CPU.
extension AssignmentStore {
    /// Every active rep in id order: its counter, its profile's version, and the profile's text
    /// unless the caller already holds that version (`known*`, position by position).
    struct ActiveRepRows: PostgresPreparedStatement {
        static let sql = """
            SELECT r.id, r.open_leads, v.version, CASE WHEN k.id IS NULL THEN r.profile::text END
            FROM reps AS r
            CROSS JOIN LATERAL (SELECT (extract(epoch FROM r.updated_at) * 1000000)::bigint AS version) AS v
            LEFT JOIN unnest($1::text[], $2::bigint[]) AS k(id, version)
              ON k.id = r.id AND k.version = v.version
            WHERE r.active
            ORDER BY r.id
            """
        typealias Row = (String, Int, Int64, String?)

        var knownIds: [String]
        var knownVersions: [Int64]

        func makeBindings() -> PostgresBindings {
            var bindings = PostgresBindings()
            bindings.append(knownIds)
            bindings.append(knownVersions)
            return bindings
        }

        func decodeRow(_ row: PostgresRow) throws -> Row { try row.decode(Row.self) }
    }

    /// Takes the routing lock (`lockRouting`) and returns the round-robin cursor.
    struct LockRouting: PostgresPreparedStatement {
        static let sql = """
            INSERT INTO routing_cursor (scope, position) VALUES ('global', 0)
            ON CONFLICT (scope) DO UPDATE SET position = routing_cursor.position
            RETURNING position
            """
        typealias Row = Int

        func makeBindings() -> PostgresBindings { PostgresBindings() }
    }

    /// Assignments, open-lead counters, the cursor (when set) and new timers in one statement
    /// (`apply`). Timers travel as (lead, kind, rep or "", due) column arrays.
    struct ApplyChanges: PostgresPreparedStatement {
        static let sql = """
            WITH new_assignments AS (
                INSERT INTO assignments (lead_id, rep_id, queue, status, policy_version, reasons, assigned_at)
                SELECT lead_id, rep_id, queue, status, policy_version, reasons, assigned_at
                FROM jsonb_to_recordset($1::jsonb)
                     AS r(lead_id uuid, rep_id text, queue text, status text, policy_version integer, reasons jsonb, assigned_at timestamptz)
            ), open_leads AS (
                UPDATE reps SET open_leads = open_leads + d.delta
                FROM unnest($2::text[], $3::integer[]) AS d(rep_id, delta)
                WHERE reps.id = d.rep_id
            ), round_robin AS (
                UPDATE routing_cursor SET position = $4::bigint
                WHERE scope = 'global' AND $4::bigint IS NOT NULL
            ), new_timers AS (
                INSERT INTO sla_timers (lead_id, kind, rep_id, due_at)
                SELECT lead_id, kind, NULLIF(rep_id, ''), due_at
                FROM unnest($5::uuid[], $6::text[], $7::text[], $8::timestamptz[]) AS t(lead_id, kind, rep_id, due_at)
            )
            SELECT 1
            """
        typealias Row = Void

        /// A JSON array of `AssignmentRow`.
        var assignments: String
        var openLeadDeltas: [String: Int]
        var cursor: Int?
        var timers: [(leadId: String, kind: String, repId: String, dueAt: Date)]

        func makeBindings() -> PostgresBindings {
            var bindings = PostgresBindings()
            bindings.append(assignments)
            bindings.append(Array(openLeadDeltas.keys))
            bindings.append(Array(openLeadDeltas.values))
            bindings.append(cursor.map(Int64.init))
            bindings.append(timers.map(\.leadId))
            bindings.append(timers.map(\.kind))
            bindings.append(timers.map(\.repId))
            bindings.append(timers.map(\.dueAt))
            return bindings
        }
    }
}
