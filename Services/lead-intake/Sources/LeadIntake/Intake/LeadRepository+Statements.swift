import Foundation
import PostgresNIO
import Shared

/// The statements every intake batch runs, prepared once per connection (`PostgresConnection.rows`):
/// parsing and planning them again for every batch was a quarter of Postgres' CPU.
extension LeadRepository {
    /// Locks these identities until commit, in key order, so two lockers never deadlock.
    struct LockIdentities: PostgresPreparedStatement {
        static let sql = """
            SELECT pg_advisory_xact_lock(hashtextextended(key, 0))
            FROM (SELECT key FROM unnest($1::text[]) AS keys(key) ORDER BY key) AS ordered
            """
        typealias Row = Void

        var keys: [String]

        func makeBindings() -> PostgresBindings {
            var bindings = PostgresBindings()
            bindings.append(keys)
            return bindings
        }
    }

    /// What the database already holds for a batch, read in one round trip once its identities are
    /// locked: which submissions are recorded (redelivered, or a source retrying), which leads these
    /// identities (kind and value, position by position) belong to, and those leads' whole rows as
    /// JSON text (`LeadRecord`'s database form). Three statements before; each waited for a backend
    /// on a busy machine. One statement reads one snapshot, which is taken after the locks.
    struct KnownToDatabase: PostgresPreparedStatement {
        static let sql = """
            WITH known AS (
                SELECT i.kind, i.value, i.lead_id FROM lead_identities AS i
                JOIN unnest($2::text[], $3::text[]) AS wanted(kind, value)
                  ON i.kind = wanted.kind AND i.value = wanted.value
            )
            SELECT 'recorded'::text, submission_id, NULL::text, NULL::uuid
            FROM lead_submissions WHERE submission_id = ANY($1::text[])
            UNION ALL
            SELECT 'identity', kind, value, lead_id FROM known
            UNION ALL
            SELECT 'lead', NULL, to_jsonb(l)::text, l.id FROM leads AS l WHERE l.id IN (SELECT lead_id FROM known)
            """
        /// (part, key, value, lead): ("recorded", submission id, -, -), ("identity", kind, value, lead)
        /// or ("lead", -, row as JSON, lead).
        typealias Row = (String, String?, String?, UUID?)

        var submissionIds: [String]
        var kinds: [String]
        var values: [String]

        func makeBindings() -> PostgresBindings {
            var bindings = PostgresBindings()
            bindings.append(submissionIds)
            bindings.append(kinds)
            bindings.append(values)
            return bindings
        }

        func decodeRow(_ row: PostgresRow) throws -> Row { try row.decode(Row.self) }
    }

    /// Whole lead rows as JSON text (`LeadRecord`'s database form).
    struct LeadRows: PostgresPreparedStatement {
        static let sql = "SELECT to_jsonb(l)::text FROM leads AS l WHERE id = ANY($1::uuid[])"
        typealias Row = String

        var ids: [UUID]

        func makeBindings() -> PostgresBindings {
            var bindings = PostgresBindings()
            bindings.append(ids)
            return bindings
        }
    }

    /// New leads, completed leads, identities and touches in one statement (data-modifying CTEs):
    /// one round trip instead of four, each of which waits for a backend on a busy machine. The
    /// foreign keys to `leads` are checked at the end of the statement, after the new leads are in.
    /// The UPDATE cannot see the rows the INSERT adds, so it relies on the planner's promise that
    /// completed leads are existing ones (a merge into a lead new in this batch is folded into its row).
    /// Leads travel as JSON arrays of `LeadRecord`; touches as column arrays, not JSON: the raw
    /// submissions go as received, never re-encoded. Identity kinds hold no comma, so `matched_on`
    /// travels comma-joined.
    struct WritePlan: PostgresPreparedStatement {
        private static let leadColumns = """
            id uuid, submission_id text, source text, received_at timestamptz, contact_name text, phone text,
            email text, wecom_id text, title text, company_name text, company_key text, industry text,
            company_size text, region text, province text, product_line text, budget double precision,
            currency text, notes text, attributes jsonb, score integer, score_breakdown jsonb, scoring_version integer
            """

        static let sql = """
            WITH new_leads AS (
                INSERT INTO leads (id, submission_id, source, received_at, contact_name, phone, email, wecom_id, title,
                    company_name, company_key, industry, company_size, region, province, product_line, budget, currency,
                    notes, attributes, score, score_breakdown, scoring_version)
                SELECT id, submission_id, source, received_at, contact_name, phone, email, wecom_id, title,
                    company_name, company_key, industry, company_size, region, province, product_line, budget, currency,
                    notes, attributes, score, score_breakdown, scoring_version
                FROM jsonb_to_recordset($1::jsonb) AS r(\(leadColumns))
            ), completed_leads AS (
                UPDATE leads AS l SET contact_name = r.contact_name, phone = r.phone, email = r.email, wecom_id = r.wecom_id,
                    title = r.title, company_name = r.company_name, company_key = r.company_key, industry = r.industry,
                    company_size = r.company_size, region = r.region, province = r.province, product_line = r.product_line,
                    budget = r.budget, currency = r.currency, notes = r.notes, attributes = r.attributes, updated_at = now()
                FROM jsonb_to_recordset($2::jsonb) AS r(\(leadColumns))
                WHERE l.id = r.id
            ), identities AS (
                INSERT INTO lead_identities (kind, value, lead_id)
                SELECT kind, value, lead_id::uuid FROM unnest($3::text[], $4::text[], $5::text[]) AS r(kind, value, lead_id)
            )
            INSERT INTO lead_submissions (submission_id, lead_id, source, received_at, outcome, matched_on, raw)
            SELECT submission_id, lead_id, source, received_at, outcome, string_to_array(matched_on, ','), raw::jsonb
            FROM unnest($6::text[], $7::uuid[], $8::text[], $9::timestamptz[], $10::text[], $11::text[], $12::text[])
                 AS r(submission_id, lead_id, source, received_at, outcome, matched_on, raw)
            """
        typealias Row = Void

        /// JSON arrays of `LeadRecord`.
        var newLeads: String
        var completedLeads: String
        var identities: [IntakePlan.IdentityRow]
        var touches: [IntakePlan.Touch]

        func makeBindings() -> PostgresBindings {
            var bindings = PostgresBindings()
            bindings.append(newLeads)
            bindings.append(completedLeads)
            bindings.append(identities.map(\.identity.kind.rawValue))
            bindings.append(identities.map(\.identity.value))
            bindings.append(identities.map(\.leadId.uuidString))
            bindings.append(touches.map(\.submissionId))
            bindings.append(touches.map(\.leadId))
            bindings.append(touches.map(\.source))
            bindings.append(touches.map(\.receivedAt))
            bindings.append(touches.map(\.outcome.rawValue))
            bindings.append(touches.map { $0.matchedOn.joined(separator: ",") })
            bindings.append(touches.map(\.raw))
            return bindings
        }
    }
}
