import Foundation
import Logging
import PostgresNIO
import Shared

/// The leads tables, written set-based: a batch of hundreds of submissions costs a handful of
/// statements, not a handful per submission.
struct LeadRepository: Sendable {
    let producer: String
    let logger: Logger

    /// What recording a batch did.
    struct Outcome: Sendable, Equatable {
        var accepted = 0
        var merged = 0
        /// Submissions seen before (redelivery or a source retrying): no effect, no event.
        var alreadyRecorded = 0
        var possibleDuplicates = 0
    }

    /// Records valid submissions in the caller's transaction: leads, identities, touches, possible
    /// duplicates and the LeadAccepted / LeadMerged events (outbox).
    func record(
        _ submissions: [IntakePlanner.Submission], rules: ScoringRules, scoringVersion: Int,
        on connection: PostgresConnection
    ) async throws -> Outcome {
        var outcome = Outcome()
        var seen = Set<String>()
        let unique = submissions.filter { seen.insert($0.validated.lead.submissionId).inserted }
        outcome.alreadyRecorded = submissions.count - unique.count

        // One person arriving twice at the same moment (two partitions, two instances) must become
        // one lead: lock every identity of the batch, in one global order so lockers never deadlock.
        let identityKeys = Set(unique.flatMap { $0.validated.lead.identities.map(\.description) }).sorted()
        try await connection.query("""
            SELECT pg_advisory_xact_lock(hashtextextended(key, 0))
            FROM (SELECT key FROM unnest(\(identityKeys)::text[]) AS keys(key) ORDER BY key) AS ordered
            """, logger: logger)

        let submissionIds = unique.map(\.validated.lead.submissionId)
        var recorded = Set<String>()
        for try await id in try await connection.query(
            "SELECT submission_id FROM lead_submissions WHERE submission_id = ANY(\(submissionIds))", logger: logger
        ).decode(String.self) { recorded.insert(id) }
        let fresh = unique.filter { !recorded.contains($0.validated.lead.submissionId) }
        outcome.alreadyRecorded += unique.count - fresh.count
        guard !fresh.isEmpty else { return outcome }

        let known = try await knownIdentities(of: fresh, on: connection)
        let existing = try await Self.leads(Set(known.values), on: connection, logger: logger)
        let plan = IntakePlanner.plan(fresh, known: known, existing: existing, rules: rules, scoringVersion: scoringVersion)

        try await write(plan, on: connection)
        // Similar company-and-contact pairs are searched later by DuplicateDetector: too slow for here.
        outcome.possibleDuplicates = try await flagConflicts(plan.conflicts, on: connection)
        try await Outbox.append(try await events(plan), producer: producer, on: connection, logger: logger)
        Failpoint.intakeBeforeCommit.pass()
        outcome.accepted = plan.accepted.count
        outcome.merged = plan.merged.count
        return outcome
    }

    private func knownIdentities(of submissions: [IntakePlanner.Submission], on connection: PostgresConnection) async throws -> [LeadIdentity: UUID] {
        let identities = Array(Set(submissions.flatMap(\.validated.lead.identities)))
        var known: [LeadIdentity: UUID] = [:]
        let rows = try await connection.query("""
            SELECT i.kind, i.value, i.lead_id FROM lead_identities AS i
            JOIN unnest(\(identities.map(\.kind.rawValue))::text[], \(identities.map(\.value))::text[]) AS wanted(kind, value)
              ON i.kind = wanted.kind AND i.value = wanted.value
            """, logger: logger)
        for try await (kind, value, leadId) in rows.decode((String, String, UUID).self) {
            guard let kind = LeadIdentity.Kind(rawValue: kind) else { continue }
            known[LeadIdentity(kind: kind, value: value)] = leadId
        }
        return known
    }

    /// The rows of these leads; shared by the intake (merges) and the query routes.
    static func leads(_ ids: Set<UUID>, on connection: PostgresConnection, logger: Logger) async throws -> [UUID: LeadRecord] {
        guard !ids.isEmpty else { return [:] }
        var records: [UUID: LeadRecord] = [:]
        let rows = try await connection.query(
            "SELECT to_jsonb(l)::text FROM leads AS l WHERE id = ANY(\(ids.map(\.uuidString))::uuid[])", logger: logger)
        for try await json in rows.decode(String.self) {
            let record = try LeadRecord.databaseDecoder.decode(LeadRecord.self, from: Data(json.utf8))
            records[record.id] = record
        }
        return records
    }

    private static let leadColumns = """
        id uuid, submission_id text, source text, received_at timestamptz, contact_name text, phone text,
        email text, wecom_id text, title text, company_name text, company_key text, industry text,
        company_size text, region text, province text, product_line text, budget double precision,
        currency text, notes text, attributes jsonb, score integer, score_breakdown jsonb, scoring_version integer
        """

    /// A JSON array of `rows`, the rows encoded on all cores (see `concurrentMap`).
    private func json<Row: Encodable & Sendable>(_ rows: [Row]) async throws -> String {
        let encoded = try await rows.concurrentMap { row in
            String(decoding: try LeadRecord.databaseEncoder.encode(row), as: UTF8.self)
        }
        return "[" + encoded.joined(separator: ",") + "]"
    }

    /// New leads, completed leads, identities and touches in one statement (data-modifying CTEs):
    /// one round trip instead of four, each of which waits for a backend on a busy machine. The
    /// foreign keys to `leads` are checked at the end of the statement, after the new leads are in.
    /// The UPDATE cannot see the rows the INSERT adds, so it relies on the planner's promise that
    /// completed leads are existing ones (a merge into a lead new in this batch is folded into its row).
    /// Touches travel as column arrays, not JSON: the raw submissions go as received, never
    /// re-encoded. Identity kinds hold no comma, so `matched_on` travels comma-joined.
    private func write(_ plan: IntakePlan, on connection: PostgresConnection) async throws {
        var binds = PostgresBindings()
        binds.append(try await json(plan.newLeads))
        binds.append(try await json(plan.completedLeads))
        binds.append(plan.identities.map(\.identity.kind.rawValue))
        binds.append(plan.identities.map(\.identity.value))
        binds.append(plan.identities.map(\.leadId.uuidString))
        let touches = plan.touches
        binds.append(touches.map(\.submissionId))
        binds.append(touches.map(\.leadId))
        binds.append(touches.map(\.source))
        binds.append(touches.map(\.receivedAt))
        binds.append(touches.map(\.outcome.rawValue))
        binds.append(touches.map { $0.matchedOn.joined(separator: ",") })
        binds.append(touches.map(\.raw))
        try await connection.query(PostgresQuery(unsafeSQL: """
            WITH new_leads AS (
                INSERT INTO leads (id, submission_id, source, received_at, contact_name, phone, email, wecom_id, title,
                    company_name, company_key, industry, company_size, region, province, product_line, budget, currency,
                    notes, attributes, score, score_breakdown, scoring_version)
                SELECT id, submission_id, source, received_at, contact_name, phone, email, wecom_id, title,
                    company_name, company_key, industry, company_size, region, province, product_line, budget, currency,
                    notes, attributes, score, score_breakdown, scoring_version
                FROM jsonb_to_recordset($1::jsonb) AS r(\(Self.leadColumns))
            ), completed_leads AS (
                UPDATE leads AS l SET contact_name = r.contact_name, phone = r.phone, email = r.email, wecom_id = r.wecom_id,
                    title = r.title, company_name = r.company_name, company_key = r.company_key, industry = r.industry,
                    company_size = r.company_size, region = r.region, province = r.province, product_line = r.product_line,
                    budget = r.budget, currency = r.currency, notes = r.notes, attributes = r.attributes, updated_at = now()
                FROM jsonb_to_recordset($2::jsonb) AS r(\(Self.leadColumns))
                WHERE l.id = r.id
            ), identities AS (
                INSERT INTO lead_identities (kind, value, lead_id)
                SELECT kind, value, lead_id::uuid FROM unnest($3::text[], $4::text[], $5::text[]) AS r(kind, value, lead_id)
            )
            INSERT INTO lead_submissions (submission_id, lead_id, source, received_at, outcome, matched_on, raw)
            SELECT submission_id, lead_id, source, received_at, outcome, string_to_array(matched_on, ','), raw::jsonb
            FROM unnest($6::text[], $7::uuid[], $8::text[], $9::timestamptz[], $10::text[], $11::text[], $12::text[])
                 AS r(submission_id, lead_id, source, received_at, outcome, matched_on, raw)
            """, binds: binds), logger: logger)
    }

    private func flagConflicts(_ conflicts: [IntakePlan.IdentityConflict], on connection: PostgresConnection) async throws -> Int {
        guard !conflicts.isEmpty else { return 0 }
        let rows = try await connection.query("""
            INSERT INTO possible_duplicates (lead_id, candidate_id, reason)
            SELECT a::uuid, b::uuid, 'identity_conflict'
            FROM unnest(\(conflicts.map(\.leadId.uuidString))::text[], \(conflicts.map(\.otherLeadId.uuidString))::text[]) AS p(a, b)
            ON CONFLICT DO NOTHING RETURNING 1
            """, logger: logger)
        return try await rows.collect().count
    }

    private func events(_ plan: IntakePlan) async throws -> [OutboxMessage] {
        // Accepted before merged: a merge in the same batch may point at a lead accepted in it.
        try await plan.accepted.concurrentMap { event in
            try OutboxMessage(topic: Topics.leadEvents, envelope: EventEnvelope(
                type: LeadEventType.leadAccepted.rawValue, aggregateId: event.leadId.uuidString.lowercased(),
                correlationId: event.submissionId, payload: event))
        } + plan.merged.concurrentMap { event in
            try OutboxMessage(topic: Topics.leadEvents, envelope: EventEnvelope(
                type: LeadEventType.leadMerged.rawValue, aggregateId: event.leadId.uuidString.lowercased(),
                correlationId: event.submissionId, payload: event))
        }
    }
}
