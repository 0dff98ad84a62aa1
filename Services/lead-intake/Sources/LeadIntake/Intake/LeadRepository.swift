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
        _ = try await connection.rows(LockIdentities(keys: identityKeys), logger: logger)

        let known = try await knownToDatabase(unique, on: connection)
        let fresh = unique.filter { !known.recorded.contains($0.validated.lead.submissionId) }
        outcome.alreadyRecorded += unique.count - fresh.count
        guard !fresh.isEmpty else { return outcome }

        let plan = IntakePlanner.plan(fresh, known: known.identities, existing: known.leads, rules: rules, scoringVersion: scoringVersion)

        try await write(plan, on: connection)
        // Similar company-and-contact pairs are searched later by DuplicateDetector: too slow for here.
        outcome.possibleDuplicates = try await flagConflicts(plan.conflicts, on: connection)
        try await Outbox.append(try await events(plan), producer: producer, on: connection, logger: logger)
        Failpoint.intakeBeforeCommit.pass()
        outcome.accepted = plan.accepted.count
        outcome.merged = plan.merged.count
        return outcome
    }

    /// What the database holds for these submissions (`KnownToDatabase`). Identities are looked up
    /// for recorded submissions too: they are rare (redeliveries), and filtering first would cost
    /// the round trip this saves.
    private func knownToDatabase(
        _ submissions: [IntakePlanner.Submission], on connection: PostgresConnection
    ) async throws -> (recorded: Set<String>, identities: [LeadIdentity: UUID], leads: [UUID: LeadRecord]) {
        let identities = Array(Set(submissions.flatMap(\.validated.lead.identities)))
        var recorded = Set<String>()
        var known: [LeadIdentity: UUID] = [:]
        var leads: [UUID: LeadRecord] = [:]
        let rows = try await connection.rows(KnownToDatabase(
            submissionIds: submissions.map(\.validated.lead.submissionId),
            kinds: identities.map(\.kind.rawValue), values: identities.map(\.value)), logger: logger)
        for row in rows {
            switch row {
            case ("recorded", let submissionId?, _, _):
                recorded.insert(submissionId)
            case ("identity", let kind?, let value?, let leadId?):
                guard let kind = LeadIdentity.Kind(rawValue: kind) else { continue }
                known[LeadIdentity(kind: kind, value: value)] = leadId
            case ("lead", _, let json?, _):
                let record = try LeadRecord.fromDatabase(json)
                leads[record.id] = record
            default:
                continue
            }
        }
        return (recorded, known, leads)
    }

    /// The rows of these leads, for the query routes (the intake reads them with `KnownToDatabase`).
    static func leads(_ ids: Set<UUID>, on connection: PostgresConnection, logger: Logger) async throws -> [UUID: LeadRecord] {
        guard !ids.isEmpty else { return [:] }
        var records: [UUID: LeadRecord] = [:]
        for json in try await connection.rows(LeadRows(ids: Array(ids)), logger: logger) {
            let record = try LeadRecord.fromDatabase(json)
            records[record.id] = record
        }
        return records
    }

    /// A JSON array of `rows`, the rows encoded on all cores (see `concurrentMap`).
    private func json<Row: Encodable & Sendable>(_ rows: [Row]) async throws -> String {
        let encoded = try await rows.concurrentMap { row in
            String(decoding: try LeadRecord.databaseEncoder.encode(row), as: UTF8.self)
        }
        return "[" + encoded.joined(separator: ",") + "]"
    }

    /// New leads, completed leads, identities and touches in one statement (`WritePlan`).
    private func write(_ plan: IntakePlan, on connection: PostgresConnection) async throws {
        _ = try await connection.rows(WritePlan(
            newLeads: try await json(plan.newLeads), completedLeads: try await json(plan.completedLeads),
            identities: plan.identities, touches: plan.touches), logger: logger)
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
