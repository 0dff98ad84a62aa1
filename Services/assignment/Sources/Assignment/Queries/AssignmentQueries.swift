import Foundation
import Logging
import PostgresNIO
import Shared

/// The read side of the assignment tables, behind `AssignmentQueryRoutes`.
public struct AssignmentQueries: Sendable {
    public let client: PostgresClient
    public let logger: Logger

    public init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    /// Statuses that hold a rep's capacity.
    public static let openStatuses = ["open", "contacted"]

    /// The rep's current open or contacted assignments, oldest first; `nil` when the rep is unknown.
    public func openLeads(ofRep repId: String) async throws -> RepLeads? {
        try await client.withLiveConnection { connection in
            var counters: (Int, Int)?
            for try await row in try await connection.query(
                "SELECT open_leads, capacity FROM reps WHERE id = \(repId)", logger: logger
            ).decode((Int, Int).self) { counters = row }
            guard let (openLeads, capacity) = counters else { return nil }
            var leads: [RepLeadView] = []
            let rows = try await connection.query("""
                SELECT a.lead_id, a.status, a.assigned_at, a.contacted_at, a.policy_version,
                       l.score, l.region, l.product_line, l.industry
                FROM assignments AS a JOIN routed_leads AS l ON l.lead_id = a.lead_id
                WHERE a.rep_id = \(repId) AND a.current AND a.status = ANY(\(Self.openStatuses))
                ORDER BY a.assigned_at, a.id
                """, logger: logger)
            for try await (leadId, status, assignedAt, contactedAt, policyVersion, score, region, productLine, industry)
                in rows.decode((UUID, String, Date, Date?, Int, Int, String?, String?, String?).self) {
                leads.append(RepLeadView(leadId: leadId, status: status, assignedAt: assignedAt, contactedAt: contactedAt,
                                         policyVersion: policyVersion, score: score, region: region,
                                         productLine: productLine, industry: industry))
            }
            return RepLeads(repId: repId, openLeads: openLeads, capacity: capacity, leads: leads)
        }
    }

    /// Every assignment of the lead, oldest first, and the current one; `nil` when it has none.
    public func assignments(ofLead leadId: UUID) async throws -> AssignmentHistory? {
        try await client.withLiveConnection { connection in
            var history: [AssignmentView] = []
            let rows = try await connection.query("""
                SELECT id, lead_id, rep_id, queue, status, current, policy_version, reasons::text,
                       assigned_at, contacted_at, closed_at
                FROM assignments WHERE lead_id = \(leadId)
                ORDER BY assigned_at, id
                """, logger: logger)
            for try await (id, lead, repId, queue, status, current, policyVersion, reasons, assignedAt, contactedAt, closedAt)
                in rows.decode((Int64, UUID, String?, String?, String, Bool, Int, String, Date, Date?, Date?).self) {
                history.append(AssignmentView(
                    id: id, leadId: lead, repId: repId, queue: queue, status: status, current: current,
                    policyVersion: policyVersion, reasons: (try? JSONValue.parse(Data(reasons.utf8))) ?? .null,
                    assignedAt: assignedAt, contactedAt: contactedAt, closedAt: closedAt))
            }
            guard !history.isEmpty else { return nil }
            var lead: RoutedLeadView?
            for try await (score, region, productLine, industry, language, acceptedAt) in try await connection.query("""
                SELECT score, region, product_line, industry, language, accepted_at FROM routed_leads WHERE lead_id = \(leadId)
                """, logger: logger).decode((Int, String?, String?, String?, String?, Date).self) {
                lead = RoutedLeadView(score: score, region: region, productLine: productLine, industry: industry,
                                      language: language, acceptedAt: acceptedAt)
            }
            return AssignmentHistory(leadId: leadId, lead: lead, current: history.last(where: \.current), history: history)
        }
    }

    /// Assignments to reps (not queues) with `now - windowDays <= assignedAt <= now` of leads scoring at
    /// least `minScore`, per rep: every active rep (of `team`, when given) counts, with 0 if they got
    /// nothing, and so does any rep that got leads in the window, active or not.
    public func fairness(windowDays: Int, minScore: Int, team: String? = nil, now: Date = Date()) async throws -> FairnessView {
        let from = now.addingTimeInterval(-Double(windowDays) * 86_400)
        let counts = try await client.withLiveConnection { connection in
            var counts: [String: Int] = [:]
            let rows = try await connection.query("""
                SELECT r.id, count(x.rep_id)
                FROM reps AS r
                LEFT JOIN (
                    SELECT a.rep_id FROM assignments AS a JOIN routed_leads AS l ON l.lead_id = a.lead_id
                    WHERE a.rep_id IS NOT NULL AND a.assigned_at >= \(from) AND a.assigned_at <= \(now)
                      AND l.score >= \(minScore)
                ) AS x ON x.rep_id = r.id
                WHERE \(team)::text IS NULL OR r.team_id = \(team)
                GROUP BY r.id, r.active
                HAVING r.active OR count(x.rep_id) > 0
                """, logger: logger)
            for try await (repId, count) in rows.decode((String, Int).self) { counts[repId] = count }
            return counts
        }
        return FairnessView(windowDays: windowDays, minScore: minScore, team: team, from: from, to: now,
                            report: FairnessReport(counts: counts))
    }
}
