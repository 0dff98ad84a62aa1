import CRMTestSupport
import Foundation
import PostgresNIO
import Testing
@testable import Assignment
@testable import Shared

/// The reps' daily counters (`rep_history_days`, migration 8) against counting the assignments
/// themselves, on the real Postgres.
@Suite("Reps' daily assignment counters")
struct RepHistoryDaysTests {
    typealias H = AssignmentHarness
    static let repIds = ["rep-a", "rep-b", "rep-c"]

    @Test("the figures from the daily counters equal counting every assignment, after inserts, updates and deletes")
    func figuresEqualCountingAssignments() async throws {
        try await H.run { h in
            try await h.addReps(Self.repIds.map { Fixture.rep($0, capacity: 1_000) })
            var random = SeededRandom(seed: 20_261_202)
            try await Self.insertHistory(count: 900, before: h.clock.now, random: &random, on: h.client)
            // The triggers' other paths: conversions (won today, converted on the day assigned), a
            // conversion undone, reassignments, and deletes.
            try await h.client.query("""
                UPDATE assignments SET status = 'converted', closed_at = assigned_at + interval '3 days'
                WHERE id % 7 = 0 AND status = 'open'
                """)
            try await h.client.query("UPDATE assignments SET status = 'lost' WHERE id % 11 = 0 AND status = 'converted'")
            try await h.client.query("UPDATE assignments SET rep_id = 'rep-c' WHERE id % 13 = 0 AND rep_id = 'rep-a'")
            try await h.client.query("DELETE FROM assignments WHERE id % 17 = 0")
            #expect(try await Self.countersMismatchingRecount(h.client) == 0)

            let store = AssignmentStore(logger: TestInfrastructure.logger)
            let reps = Self.repIds.map { ActiveRep(rep: Fixture.rep($0), openLeads: 0) }
            var shortWindows = RoutingPolicy.default
            shortWindows.fairness.windowDays = 3
            shortWindows.winRate.windowDays = 30
            let now = h.clock.now
            let midnight = AssignmentStore.nextUTCMidnight(after: now)
            // Windows starting mid-day, exactly at midnight and a second after it.
            for at in [now, midnight, midnight.addingTimeInterval(1), now.addingTimeInterval(-4 * 86_400 - 3_600)] {
                for policy in [RoutingPolicy.default, shortWindows] {
                    let figures = try await h.client.withLiveConnection { try await store.loads(of: reps, policy: policy, now: at, on: $0) }
                    let counted = try await Self.countedFromAssignments(of: Self.repIds, policy: policy, now: at, on: h.client)
                    #expect(figures == counted, "at \(at), fairness \(policy.fairness.windowDays) days")
                }
            }
            // The history exercises every figure.
            let counted = try await Self.countedFromAssignments(of: Self.repIds, policy: .default, now: now, on: h.client)
            for figure in [\RepLoad.overdueTasks, \.winsThisWeek, \.recentAssignments, \.assignedInWindow, \.convertedInWindow] {
                #expect(counted.values.allSatisfy { $0[keyPath: figure] > 0 })
            }
        }
    }

    @Test("migration 8 counts the assignments made before it")
    func upgradeCountsExistingAssignments() async throws {
        try await TestInfrastructure.withFreshDatabase(migrated: false) { client, _ in
            let logger = TestInfrastructure.logger
            _ = try await Migrator.migrate(client, migrations: SchemaMigrations.all.filter { $0.version < 8 }, logger: logger)
            for id in Self.repIds {
                try await client.query("""
                    INSERT INTO reps (id, name, team_id, active, capacity, profile) VALUES (\(id), \(id), 'team', true, 1000, '{}')
                    """)
            }
            var random = SeededRandom(seed: 8)
            try await Self.insertHistory(count: 300, before: Date(timeIntervalSince1970: 1_795_000_000), random: &random, on: client)
            #expect(try await Migrator.migrate(client, migrations: SchemaMigrations.all.filter { $0.version <= 8 }, logger: logger) == [8])
            #expect(try await client.query("SELECT count(*) FROM rep_history_days").collect().first?.decode(Int.self) ?? 0 > 0)
            #expect(try await Self.countersMismatchingRecount(client) == 0)
        }
    }

    @Test("a conversion waits for the rep's row before it moves the rep's daily counters, so it never deadlocks with routing")
    func conversionLocksRepBeforeCounters() async throws {
        try await H.run { h in
            try await h.addReps([RoutingIntegrationTests.east])
            let lead = UUID()
            try await h.handler.handle([H.accepted(lead, region: "east")])
            #expect(try await h.owner(of: lead) == "rep-east")
            try await h.limitLockWaits(seconds: 20)
            let logger = TestInfrastructure.logger
            try await TestInfrastructure.withClient(h.settings) { routing in
                try await routing.withLiveConnection { connection in
                    // As routing's write statement: the rep's row first, then the rep's counters of today.
                    try await connection.query("BEGIN", logger: logger)
                    try await connection.query("SELECT 1 FROM reps WHERE id = 'rep-east' FOR UPDATE", logger: logger)
                    async let conversion: Void = h.activities.record(.converted, lead: lead, notes: nil, by: "rep-east")
                    try await Self.waitUntilSomeoneWaitsForALock(routing)
                    // With the conversion holding today's counters, this would wait for it while it
                    // waits for the rep's row: a deadlock, one of the two aborted.
                    try await connection.query("""
                        SELECT rep_history_add(ARRAY[ROW('rep-east', (\(h.clock.now)::timestamptz AT TIME ZONE 'UTC')::date, 1, 0, 0)::rep_history_days])
                        """, logger: logger)
                    try await connection.query("COMMIT", logger: logger)
                    try await conversion
                    try await connection.query("""
                        SELECT rep_history_add(ARRAY[ROW('rep-east', (\(h.clock.now)::timestamptz AT TIME ZONE 'UTC')::date, -1, 0, 0)::rep_history_days])
                        """, logger: logger)
                }
            }
            #expect(try await h.count("SELECT count(*) FROM assignments WHERE status = 'converted'") == 1)
            #expect(try await Self.countersMismatchingRecount(h.client) == 0)
        }
    }

    // MARK: - Helpers

    /// `count` assignments over the 100 days before `before`, each for a lead of its own, with a mix
    /// of statuses; inserted in batches of different sizes (the trigger runs once per statement).
    static func insertHistory(count: Int, before: Date, random: inout SeededRandom, on client: PostgresClient) async throws {
        let statuses = ["open", "open", "contacted", "converted", "converted", "lost", "returned", "reassigned"]
        struct Row: Encodable {
            var lead_id: UUID, rep_id: String, status: String, current: Bool, assigned_at: Date, closed_at: Date?
        }
        var rows: [Row] = []
        for _ in 0..<count {
            let assigned = before.addingTimeInterval(-Double(random.next(below: 100 * 86_400)))
            let status = statuses[random.next(below: statuses.count)]
            let closed = ["converted", "lost", "returned", "reassigned"].contains(status)
                ? min(before, assigned.addingTimeInterval(Double(random.next(below: 10 * 86_400)))) : nil
            rows.append(Row(lead_id: UUID(), rep_id: repIds[random.next(below: repIds.count)], status: status,
                            current: !["returned", "reassigned"].contains(status), assigned_at: assigned, closed_at: closed))
        }
        var start = 0
        for size in [1, 2, 50, 147, 300, .max] where start < rows.count {
            let batch = Array(rows[start..<(size >= rows.count - start ? rows.count : start + size)])
            start += batch.count
            let json = String(decoding: try CRMJSON.encoder().encode(batch), as: UTF8.self)
            try await client.query("""
                WITH r AS (
                    SELECT * FROM jsonb_to_recordset(\(json)::jsonb)
                        AS r(lead_id uuid, rep_id text, status text, current boolean, assigned_at timestamptz, closed_at timestamptz)
                ), routed AS (
                    INSERT INTO routed_leads (lead_id, score, accepted_at) SELECT lead_id, 50, assigned_at FROM r
                )
                INSERT INTO assignments (lead_id, rep_id, status, current, policy_version, reasons, assigned_at, closed_at)
                SELECT lead_id, rep_id, status, current, 1, '{}', assigned_at, closed_at FROM r
                """)
        }
    }

    /// (rep, day) rows where the counters differ from counting `assignments` from scratch.
    static func countersMismatchingRecount(_ client: PostgresClient) async throws -> Int {
        try await client.query("""
            WITH recount AS (
                SELECT rep_id, day, sum(assigned) AS assigned, sum(converted) AS converted, sum(won) AS won
                FROM (
                    SELECT rep_id, (assigned_at AT TIME ZONE 'UTC')::date AS day, 1 AS assigned,
                           (status = 'converted')::int AS converted, 0 AS won
                    FROM assignments WHERE rep_id IS NOT NULL
                    UNION ALL
                    SELECT rep_id, (closed_at AT TIME ZONE 'UTC')::date, 0, 0, 1
                    FROM assignments WHERE status = 'converted' AND closed_at IS NOT NULL
                ) AS parts
                GROUP BY rep_id, day
            )
            SELECT count(*) FROM rep_history_days AS d FULL JOIN recount AS r USING (rep_id, day)
            WHERE (coalesce(d.assigned, 0), coalesce(d.converted, 0), coalesce(d.won, 0))
               IS DISTINCT FROM (coalesce(r.assigned, 0)::int, coalesce(r.converted, 0)::int, coalesce(r.won, 0)::int)
            """).collect().first?.decode(Int.self) ?? -1
    }

    /// The figures as routing counted them before the daily counters: every assignment in the windows.
    static func countedFromAssignments(of reps: [String], policy: RoutingPolicy, now: Date,
                                       on client: PostgresClient) async throws -> [String: RepLoad] {
        let day: TimeInterval = 86_400
        let fairnessSince = now.addingTimeInterval(-Double(policy.fairness.windowDays) * day)
        let winRateSince = now.addingTimeInterval(-Double(policy.winRate.windowDays) * day)
        let weekSince = now.addingTimeInterval(-7 * day)
        let overdueBefore = now.addingTimeInterval(-Double(policy.sla.firstContactMinutes) * 60)
        var loads = Dictionary(uniqueKeysWithValues: reps.map { ($0, RepLoad()) })
        let rows = try await client.query("""
            SELECT rep_id,
                count(*) FILTER (WHERE current AND status = 'open' AND assigned_at < \(overdueBefore)),
                count(*) FILTER (WHERE status = 'converted' AND closed_at >= \(weekSince)),
                count(*) FILTER (WHERE assigned_at >= \(fairnessSince)),
                count(*) FILTER (WHERE assigned_at >= \(winRateSince)),
                count(*) FILTER (WHERE status = 'converted' AND assigned_at >= \(winRateSince))
            FROM assignments WHERE rep_id = ANY(\(reps))
            GROUP BY rep_id
            """)
        for try await (repId, overdue, wins, recent, assigned, converted) in rows.decode((String, Int, Int, Int, Int, Int).self) {
            loads[repId] = RepLoad(overdueTasks: overdue, winsThisWeek: wins, recentAssignments: recent,
                                   assignedInWindow: assigned, convertedInWindow: converted)
        }
        return loads
    }

    /// Returns once a backend of the database waits for a lock (the conversion, here), or fails after 20 s.
    static func waitUntilSomeoneWaitsForALock(_ client: PostgresClient) async throws {
        for _ in 0..<400 {
            let waiting = try await client.query("""
                SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'
                """).collect().first?.decode(Int.self) ?? 0
            if waiting > 0 { return }
            try await Task.sleep(for: .milliseconds(50))
        }
        Issue.record("the conversion never waited for the rep's row")
    }
}
