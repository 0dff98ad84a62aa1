import Foundation
import Logging
import PostgresNIO

extension PipelineAudit {
    /// Reads the run's end state: its submissions (by id prefix), their leads' assignments and
    /// regions, every rep with its counter and what it actually holds, and the outbox backlog.
    /// `rejectedOrDeadLettered` comes from the topics (`RejectionCollector`).
    public static func observe(
        client: PostgresClient, prefix: String, rejectedOrDeadLettered: Set<String>, logger: Logger
    ) async throws -> Observed {
        var observed = Observed(rejectedOrDeadLettered: rejectedOrDeadLettered)
        let submissions = try await client.queryRows("""
            SELECT submission_id, lead_id::text, outcome FROM lead_submissions WHERE starts_with(submission_id, \(prefix))
            """, logger: logger)
        for row in submissions {
            let (submission, lead, outcome) = try row.decode((String, String, String).self)
            observed.submissions[submission] = (lead, outcome)
        }
        let leads = Array(Set(observed.submissions.values.map(\.leadId)))
        let assignments = try await client.queryRows("""
            SELECT lead_id::text, rep_id, queue, status, current FROM assignments WHERE lead_id = ANY(\(leads)::uuid[]) ORDER BY id
            """, logger: logger)
        for row in assignments {
            let (lead, rep, queue, status, current) = try row.decode((String, String?, String?, String, Bool).self)
            observed.assignments[lead, default: []].append(Assignment(repId: rep, queue: queue, status: status, current: current))
        }
        let regions = try await client.queryRows(
            "SELECT lead_id::text, region FROM routed_leads WHERE lead_id = ANY(\(leads)::uuid[])", logger: logger)
        for row in regions {
            let (lead, region) = try row.decode((String, String?).self)
            observed.regions[lead] = region
        }
        let reps = try await client.queryRows("""
            SELECT r.id, ARRAY(SELECT jsonb_array_elements_text(r.profile -> 'regions')), r.active, r.capacity, r.open_leads,
                   (SELECT count(*) FROM assignments a WHERE a.rep_id = r.id AND a.current AND a.status IN ('open', 'contacted'))
            FROM reps r ORDER BY r.id
            """, logger: logger)
        for row in reps {
            let (id, regions, active, capacity, open, holding) = try row.decode((String, [String], Bool, Int, Int, Int64).self)
            observed.reps.append(RepState(id: id, regions: regions, active: active, capacity: capacity, openLeads: open, holding: Int(holding)))
        }
        observed.unpublishedEvents = try await client.queryRows(
            "SELECT count(*) FROM outbox_queue", logger: logger
        ).first?.decode(Int.self) ?? 0
        return observed
    }
}
