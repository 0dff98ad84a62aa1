import Foundation
import Logging
import PostgresNIO
import Shared

/// A row of `assignments` about to be written.
/// What an assignment row keeps as its `reasons`: every factor's part, why nobody took it, or who
/// reassigned it by hand. Encoded once, with the row (it used to go through `JSONValue` first: a
/// second encode per lead).
struct AssignmentReasons: Codable, Sendable {
    var totalScore: Double?
    var factors: [RoutingReason]?
    var tieBreak: TieBreak?
    var reason: String?
    var message: String?
    var rejections: [String: Int]?
    var manual: ManualReassignment?

    struct ManualReassignment: Codable, Sendable {
        var by: String
        var reason: String?

        // `reason` is written as null when absent: the record says nobody gave one.
        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(by, forKey: .by)
            try container.encode(reason, forKey: .reason)
        }
    }
}

struct AssignmentRow: Codable, Sendable {
    var leadId: UUID
    var repId: String?
    var queue: String?
    var status: String
    var policyVersion: Int
    var reasons: AssignmentReasons
    var assignedAt: Date

    enum CodingKeys: String, CodingKey {
        case queue, status, reasons
        case leadId = "lead_id", repId = "rep_id", policyVersion = "policy_version", assignedAt = "assigned_at"
    }
}

/// What routing or an activity changes besides its events: `AssignmentStore.apply` writes it.
struct AssignmentChanges: Sendable {
    /// A lead's SLA plan, with the owner its new timers are for.
    typealias TimerPlan = (leadId: UUID, repId: String?, plan: SLAPlan)

    var assignments: [AssignmentRow] = []
    /// Open leads to add per rep (negative when leads close or move).
    var openLeadDeltas: [String: Int] = [:]
    /// The round-robin cursor to store, when routing moved it.
    var cursor: Int?
    /// SLA plans: the kinds to cancel, then the timers to schedule.
    var timerPlans: [TimerPlan] = []
}

/// An active rep with the capacity counter, as read under the routing lock.
struct ActiveRep: Sendable {
    var rep: Rep
    var openLeads: Int
}

/// The assignment tables, used inside a caller's transaction.
struct AssignmentStore: Sendable {
    let logger: Logger

    /// Every active rep with its open-lead counter, in id order. Read after `lockRouting`: under
    /// that lock the counters cannot rise behind the router's back (they only fall, as leads close,
    /// which makes routing cautious for a moment, never over capacity). Profiles come from `profiles`
    /// when it holds the rep at its current version; the query sends the text of the others only.
    func activeReps(profiles: RepProfileCache, on connection: PostgresConnection) async throws -> [ActiveRep] {
        let known = profiles.snapshot
        var reps: [ActiveRep] = []
        let rows = try await connection.rows(
            ActiveRepRows(knownIds: Array(known.keys), knownVersions: known.values.map(\.version)), logger: logger)
        for (id, openLeads, version, profile) in rows {
            let rep: Rep
            if let profile {
                rep = try RepRepository.decodeProfile(profile)
                profiles.store(rep, version: version)
            } else if let cached = known[id] {
                rep = cached.rep
            } else {
                throw ProfileNotSent(repId: id)
            }
            reps.append(ActiveRep(rep: rep, openLeads: openLeads))
        }
        return reps
    }

    /// The reps query left out a profile the snapshot it was given does not hold: a bug in the
    /// query, never a state of the data. The batch fails and is retried like any failed batch.
    struct ProfileNotSent: Error, CustomStringConvertible {
        var repId: String
        var description: String { "the reps query sent no profile for rep \(repId), which the profile cache does not hold" }
    }

    /// Load figures for the routing factors, over the policy's windows. Whole UTC days come from
    /// the daily counters (`rep_history_days`, kept by triggers on `assignments`), the first,
    /// partial day of each window and the overdue first contacts from `assignments` itself; the
    /// figures are exactly what counting every assignment in the windows gives.
    func loads(of reps: [ActiveRep], policy: RoutingPolicy, now: Date, on connection: PostgresConnection) async throws -> [String: RepLoad] {
        var loads = Dictionary(uniqueKeysWithValues: reps.map { ($0.rep.id, RepLoad(openLeads: $0.openLeads)) })
        guard !reps.isEmpty else { return loads }
        let day: TimeInterval = 86_400
        let fairnessSince = now.addingTimeInterval(-Double(policy.fairness.windowDays) * day)
        let winRateSince = now.addingTimeInterval(-Double(policy.winRate.windowDays) * day)
        let weekSince = now.addingTimeInterval(-7 * day)
        let overdueBefore = now.addingTimeInterval(-Double(policy.sla.firstContactMinutes) * 60)
        // Where each window's whole days begin: the next UTC midnight (the counters' days are UTC).
        let (fairnessDays, winRateDays, weekDays) = (Self.nextUTCMidnight(after: fairnessSince),
                                                     Self.nextUTCMidnight(after: winRateSince), Self.nextUTCMidnight(after: weekSince))
        let ids = reps.map(\.rep.id)
        let rows = try await connection.query("""
            SELECT rep_id, coalesce(sum(overdue), 0)::bigint, coalesce(sum(won), 0)::bigint, coalesce(sum(recent), 0)::bigint,
                coalesce(sum(assigned), 0)::bigint, coalesce(sum(converted), 0)::bigint
            FROM (
                SELECT rep_id, count(*) AS overdue, 0 AS won, 0 AS recent, 0 AS assigned, 0 AS converted
                FROM assignments
                WHERE rep_id = ANY(\(ids)) AND current AND status = 'open' AND assigned_at < \(overdueBefore)
                GROUP BY rep_id
                UNION ALL
                SELECT rep_id, 0,
                    sum(won) FILTER (WHERE day >= (\(weekDays)::timestamptz AT TIME ZONE 'UTC')::date),
                    sum(assigned) FILTER (WHERE day >= (\(fairnessDays)::timestamptz AT TIME ZONE 'UTC')::date),
                    sum(assigned) FILTER (WHERE day >= (\(winRateDays)::timestamptz AT TIME ZONE 'UTC')::date),
                    sum(converted) FILTER (WHERE day >= (\(winRateDays)::timestamptz AT TIME ZONE 'UTC')::date)
                FROM rep_history_days
                WHERE rep_id = ANY(\(ids)) AND day >= (\(min(fairnessDays, winRateDays, weekDays))::timestamptz AT TIME ZONE 'UTC')::date
                GROUP BY rep_id
                UNION ALL
                SELECT rep_id, 0,
                    0,
                    count(*) FILTER (WHERE assigned_at >= \(fairnessSince) AND assigned_at < \(fairnessDays)),
                    count(*) FILTER (WHERE assigned_at >= \(winRateSince) AND assigned_at < \(winRateDays)),
                    count(*) FILTER (WHERE status = 'converted' AND assigned_at >= \(winRateSince) AND assigned_at < \(winRateDays))
                FROM assignments
                WHERE rep_id = ANY(\(ids)) AND ((assigned_at >= \(fairnessSince) AND assigned_at < \(fairnessDays))
                                                OR (assigned_at >= \(winRateSince) AND assigned_at < \(winRateDays)))
                GROUP BY rep_id
                UNION ALL
                SELECT rep_id, 0, count(*), 0, 0, 0
                FROM assignments
                WHERE rep_id = ANY(\(ids)) AND status = 'converted' AND closed_at >= \(weekSince) AND closed_at < \(weekDays)
                GROUP BY rep_id
            ) AS parts
            GROUP BY rep_id
            """, logger: logger)
        for try await (repId, overdue, wins, recent, assigned, converted) in rows.decode((String, Int, Int, Int, Int, Int).self) {
            loads[repId]?.overdueTasks = overdue
            loads[repId]?.winsThisWeek = wins
            loads[repId]?.recentAssignments = recent
            loads[repId]?.assignedInWindow = assigned
            loads[repId]?.convertedInWindow = converted
        }
        return loads
    }

    /// The first UTC midnight after `date` (UTC days are 86,400 s long, as Postgres counts them).
    static func nextUTCMidnight(after date: Date) -> Date {
        let day: TimeInterval = 86_400
        return Date(timeIntervalSince1970: ((date.timeIntervalSince1970 / day).rounded(.down) + 1) * day)
    }

    /// The routing lock, held until commit, and the round-robin cursor it guards. Everything that
    /// decides on capacity takes it first, as its own statement (so what it reads next is committed
    /// by the previous holder): routers, the return to the pool, manual reassignment and rep
    /// imports. One row lock per batch instead of a row lock on every active rep, and the reps are
    /// read without locks, so routing never waits on a rep another transaction holds (an activity
    /// closing one of that rep's leads, say).
    /// The upsert creates the row the first time and otherwise locks it (ON CONFLICT DO UPDATE
    /// takes the row lock) and returns the stored position.
    func lockRouting(on connection: PostgresConnection) async throws -> Int {
        try await connection.rows(LockRouting(), logger: logger).first ?? 0
    }

    /// Writes what routing or an activity changed. Assignments, open-lead counters, the cursor and
    /// new timers go in one statement (data-modifying CTEs): on the routing hot path that is one round
    /// trip instead of four, and each round trip waits for a backend on a busy machine. Cancels go
    /// first, on their own: the unique index of pending timers must see them before the new timers.
    func apply(_ changes: AssignmentChanges, now: Date, on connection: PostgresConnection) async throws {
        try await cancelTimers(changes.timerPlans, now: now, on: connection)
        let deltas = changes.openLeadDeltas.filter { $0.value != 0 }
        let timers = changes.timerPlans.flatMap { item in
            item.plan.schedule.map { (leadId: item.leadId.uuidString, kind: $0.kind.rawValue, repId: item.repId ?? "", dueAt: $0.dueAt) }
        }
        guard !changes.assignments.isEmpty || !deltas.isEmpty || changes.cursor != nil || !timers.isEmpty else { return }
        let assignments = String(decoding: try CRMJSON.encoder().encode(changes.assignments), as: UTF8.self)
        _ = try await connection.rows(
            ApplyChanges(assignments: assignments, openLeadDeltas: deltas, cursor: changes.cursor, timers: timers), logger: logger)
    }

    /// Cancels the pending timers of the kinds each plan names.
    private func cancelTimers(_ plans: [AssignmentChanges.TimerPlan], now: Date, on connection: PostgresConnection) async throws {
        // One statement per distinct set of kinds (a batch of assignments has one), each looking leads up
        // with `lead_id = ANY(...)`. A join against unnest'ed (lead, kind) pairs let the planner, while
        // the table's statistics lag behind its growth, scan every pending timer once per pair: 10 ms a batch.
        var leadsByKinds: [[String]: [String]] = [:]
        for item in plans where !item.plan.cancel.isEmpty {
            leadsByKinds[Set(item.plan.cancel.map(\.rawValue)).sorted(), default: []].append(item.leadId.uuidString)
        }
        for (kinds, leads) in leadsByKinds.sorted(by: { $0.key.lexicographicallyPrecedes($1.key) }) {
            try await connection.query("""
                UPDATE sla_timers SET cancelled_at = \(now)
                WHERE lead_id = ANY(\(leads)::uuid[]) AND kind = ANY(\(kinds)::text[])
                  AND fired_at IS NULL AND cancelled_at IS NULL
                """, logger: logger)
        }
    }

    /// Cancels every pending timer of these leads (converted, lost, returned).
    func cancelAllTimers(of leads: [UUID], now: Date, on connection: PostgresConnection) async throws {
        guard !leads.isEmpty else { return }
        try await connection.query("""
            UPDATE sla_timers SET cancelled_at = \(now)
            WHERE lead_id = ANY(\(leads.map(\.uuidString))::uuid[]) AND fired_at IS NULL AND cancelled_at IS NULL
            """, logger: logger)
    }

    /// Everyone who owned this lead before, so re-routing can avoid them.
    func previousOwners(of lead: UUID, on connection: PostgresConnection) async throws -> Set<String> {
        var owners = Set<String>()
        for try await repId in try await connection.query(
            "SELECT DISTINCT rep_id FROM assignments WHERE lead_id = \(lead) AND rep_id IS NOT NULL", logger: logger
        ).decode(String.self) { owners.insert(repId) }
        return owners
    }

    func routedLead(_ lead: UUID, on connection: PostgresConnection) async throws -> LeadToRoute? {
        try await connection.query("""
            SELECT score, region, product_line, industry, language FROM routed_leads WHERE lead_id = \(lead)
            """, logger: logger).collect().first.map { row in
            let (score, region, productLine, industry, language) = try row.decode((Int, String?, String?, String?, String?).self)
            return LeadToRoute(leadId: lead.uuidString.lowercased(), score: score, region: region, productLine: productLine,
                               industry: industry, language: language)
        }
    }
}
