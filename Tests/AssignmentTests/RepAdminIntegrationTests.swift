import CRMTestSupport
import Foundation
import Logging
import PostgresNIO
import Shared
import Testing
import Assignment

/// Rep administration and the assignment queries against a fresh, migrated database. The HTTP
/// routes are thin wrappers around `RepAdmin` and `AssignmentQueries`, which these tests call.
@Suite("Rep admin and assignment queries against Postgres")
struct RepAdminIntegrationTests {
    static let logger = TestInfrastructure.logger

    func json(_ rep: Rep) throws -> [UInt8] {
        Array(try CRMJSON.encoder().encode(rep))
    }

    func stored(_ outcome: RepAdmin.PutOutcome) throws -> StoredRep {
        guard case .stored(let stored) = outcome else {
            Issue.record("expected the rep to be stored, got \(outcome)")
            throw CancellationError()
        }
        return stored
    }

    @Test("an upsert replaces the profile and mirrored columns but never the open-lead counter")
    func upsertKeepsOpenLeads() async throws {
        try await TestInfrastructure.withFreshDatabase { client, _ in
            let admin = RepAdmin(client: client, logger: Self.logger)
            let first = try stored(try await admin.put(id: "r1", body: try json(Fixture.rep("r1", capacity: 5))))
            #expect(first.openLeads == 0 && first.rep == Fixture.rep("r1", capacity: 5))

            try await client.query("UPDATE reps SET open_leads = 3 WHERE id = 'r1'", logger: Self.logger)
            var changed = Fixture.rep("r1", regions: ["west"], active: false, capacity: 8, seniority: 5)
            changed.teamId = "team-west"
            changed.supervisorId = nil
            let second = try stored(try await admin.put(id: "r1", body: try json(changed)))
            #expect(second.openLeads == 3)
            #expect(second.rep == changed)
            #expect(second.updatedAt >= first.updatedAt)

            let rows = try await client.query(
                "SELECT name, team_id, supervisor_id, active, capacity, open_leads FROM reps WHERE id = 'r1'", logger: Self.logger)
            var columns: [(String, String, String?, Bool, Int, Int)] = []
            for try await row in rows.decode((String, String, String?, Bool, Int, Int).self) { columns.append(row) }
            #expect(columns.count == 1)
            #expect(columns.first.map { [$0.0, $0.1, $0.2 ?? "nil", "\($0.3)", "\($0.4)", "\($0.5)"] }
                    == ["Rep r1", "team-west", "nil", "false", "8", "3"])

            // The set-based upsert with several reps, one of them known.
            let repository = RepRepository(logger: Self.logger)
            let many = try await repository.upsert([Fixture.rep("r3"), Fixture.rep("r1", capacity: 9), Fixture.rep("r2")], client: client)
            #expect(many.map(\.rep.id) == ["r1", "r2", "r3"])
            #expect(many.map(\.openLeads) == [3, 0, 0])
            #expect(try await repository.get("r1", client: client)?.rep.capacity == 9)
            #expect(try await repository.get("nobody", client: client) == nil)
            #expect(try await repository.list(client: client).map(\.rep.id) == ["r1", "r2", "r3"])
            #expect(try await repository.list(team: "team-east", client: client).map(\.rep.id) == ["r1", "r2", "r3"])
            #expect(try await repository.list(team: "team-west", client: client).isEmpty)
        }
    }

    @Test("a PUT with problems stores nothing")
    func invalidPutStoresNothing() async throws {
        try await TestInfrastructure.withFreshDatabase { client, _ in
            let admin = RepAdmin(client: client, logger: Self.logger)
            let outcome = try await admin.put(id: "r1", body: Array(#"{"id": "r2", "name": "A", "teamId": "t", "capacity": -1}"#.utf8))
            #expect(outcome == .invalid([
                RepProblem(field: "id", problem: "\"r2\" does not match the id in the path (\"r1\"); leave it out or make them equal"),
                RepProblem(field: "capacity", problem: "must be between 0 and 10000, got -1"),
            ]))
            #expect(try await admin.repository.list(client: client).isEmpty)
        }
    }

    @Test("an import stores the good rows, reports the bad ones by line, and keeps open-lead counters")
    func importReportsBadRowsByLine() async throws {
        try await TestInfrastructure.withFreshDatabase { client, _ in
            let admin = RepAdmin(client: client, logger: Self.logger)
            _ = try await admin.put(id: "r2", body: try json(Fixture.rep("r2", capacity: 4)))
            try await client.query("UPDATE reps SET open_leads = 2 WHERE id = 'r2'", logger: Self.logger)

            let csv = """
                id,name,teamId,supervisorId,regions,productLines,capacity,seniority,weekdays,workStart,workEnd,onLeave
                r1,Li Na,team-east,sup-1,east,medical_devices,10,3,1-5,09:00,18:00,
                r2,Wang Fang,team-east,sup-1,east;north,medical_devices,12,4,mon-fri,09:00,18:00,2026-12-01..2026-12-05
                r3,Bad Capacity,team-east,,east,,lots,3,,,,
                r4,Zhao Lei,team-west,,west,,6,,,,,
                r5,Bad Days,team-west,,west,,6,2,someday,,,
                """
            guard case .imported(let result) = try await admin.importCSV(Array(csv.utf8)) else {
                Issue.record("expected the file to be imported")
                return
            }
            #expect(result == RepAdmin.ImportResult(imported: 3, errors: [
                RepImportProblem(line: 4, field: "capacity", problem: "must be a whole number, got \"lots\""),
                RepImportProblem(line: 6, field: "weekdays", problem: "\"someday\" is not a day or a range of days (use mon...sun or 1...7, Monday = 1, e.g. mon-fri or 1;3;5)"),
            ]))
            let reps = try await admin.repository.list(client: client)
            #expect(reps.map(\.rep.id) == ["r1", "r2", "r4"])
            let r2 = try #require(reps.first { $0.rep.id == "r2" })
            #expect(r2.openLeads == 2)
            #expect(r2.rep.capacity == 12 && r2.rep.regions == ["east", "north"] && r2.rep.name == "Wang Fang")
            #expect(r2.rep.onLeave == [LeavePeriod(start: Fixture.date("2026-11-30T16:00:00Z"), end: Fixture.date("2026-12-05T16:00:00Z"))])
            // The profile column is written in the system's JSON dialect (RFC 3339 instants).
            let leave = try await client.query(
                "SELECT profile #>> '{onLeave,0,start}', profile #>> '{onLeave,0,end}' FROM reps WHERE id = 'r2'", logger: Self.logger
            ).collect().first?.decode((String, String).self)
            #expect(leave?.0 == "2026-11-30T16:00:00.000Z" && leave?.1 == "2026-12-05T16:00:00.000Z")

            // A file whose header is unusable changes nothing.
            guard case .rejected(let rejected) = try await admin.importCSV(Array("id,name,capacity\nr9,X,1\n".utf8)) else {
                Issue.record("expected the file to be rejected")
                return
            }
            #expect(rejected == RepAdmin.ImportResult(imported: 0, errors: [
                RepImportProblem(line: 1, field: "header", problem: "missing the required column teamId"),
            ]))
            #expect(try await admin.repository.list(client: client).count == 3)

            // The JSON answer the route sends.
            let body = try JSONValue.parse(try CRMJSON.encoder().encode(result))
            #expect(body.objectValue?["imported"] == .number(3))
            #expect(body.objectValue?["errors"]?.arrayValue?.first == .object([
                "line": .number(4), "field": .string("capacity"), "problem": .string("must be a whole number, got \"lots\""),
            ]))
        }
    }

    // MARK: - Assignment queries

    static func insertLead(_ client: PostgresClient, _ id: UUID, score: Int, region: String? = "east") async throws {
        try await client.query("""
            INSERT INTO routed_leads (lead_id, score, region, product_line, industry, accepted_at)
            VALUES (\(id), \(score), \(region), 'medical_devices', 'pharma_retail', \(Fixture.now.addingTimeInterval(-30 * 86_400)))
            """, logger: logger)
    }

    static func insertAssignment(
        _ client: PostgresClient, lead: UUID, rep: String?, queue: String? = nil, status: String, current: Bool,
        at: Date, policyVersion: Int = 1, reasons: String = #"[{"factor": "regionMatch", "rawValue": 1, "weight": 2, "contribution": 2}]"#
    ) async throws {
        try await client.query("""
            INSERT INTO assignments (lead_id, rep_id, queue, status, current, policy_version, reasons, assigned_at)
            VALUES (\(lead), \(rep), \(queue), \(status), \(current), \(policyVersion), \(reasons)::jsonb, \(at))
            """, logger: logger)
    }

    @Test("fairness counts assignments to reps in the window and above the score, with idle active reps at 0")
    func fairness() async throws {
        try await TestInfrastructure.withFreshDatabase { client, _ in
            let repository = RepRepository(logger: Self.logger)
            var west = Fixture.rep("e")
            west.teamId = "team-west"
            _ = try await repository.upsert([
                Fixture.rep("a"), Fixture.rep("b"), Fixture.rep("c"), Fixture.rep("d", active: false),
                Fixture.rep("inactive-with-leads", active: false), west,
            ], client: client)
            let now = Fixture.now
            let hour = 3600.0, day = 86_400.0
            // In the 7-day window, score >= 50: a 4, b 2, inactive-with-leads 1, e 1. c and d get nothing.
            let inWindow: [(String, Int, Double)] = [
                ("a", 80, 1 * hour), ("a", 60, 2 * day), ("a", 50, 6 * day), ("a", 90, 7 * day - 60),
                ("b", 70, 3 * hour), ("b", 55, 5 * day),
                ("inactive-with-leads", 75, 1 * day),
                ("e", 65, 2 * hour),
            ]
            // Outside the window or below the score: never counted with minScore 50.
            let noise: [(String, Int, Double)] = [
                ("a", 40, 1 * hour), ("b", 10, 1 * day), ("c", 49, 2 * day),
                ("c", 90, 8 * day), ("b", 90, 30 * day), ("c", 99, -1 * hour),
            ]
            for (rep, score, age) in inWindow + noise {
                let lead = UUID()
                try await Self.insertLead(client, lead, score: score)
                try await Self.insertAssignment(client, lead: lead, rep: rep, status: "open", current: true, at: now.addingTimeInterval(-age))
            }
            // A queued lead (no rep) is not anyone's assignment.
            let queued = UUID()
            try await Self.insertLead(client, queued, score: 95)
            try await Self.insertAssignment(client, lead: queued, rep: nil, queue: "public_pool", status: "queued", current: true, at: now.addingTimeInterval(-hour))

            let queries = AssignmentQueries(client: client, logger: Self.logger)
            let view = try await queries.fairness(windowDays: 7, minScore: 50, now: now)
            let expected: [String: Int] = ["a": 4, "b": 2, "c": 0, "inactive-with-leads": 1, "e": 1]
            #expect(Dictionary(uniqueKeysWithValues: view.report.reps.map { ($0.repId, $0.count) }) == expected)
            #expect(view.report.reps.map(\.repId) == ["a", "b", "e", "inactive-with-leads", "c"])
            #expect(view.report.total == 8 && view.report.repCount == 5)
            #expect(view.report.min == 0 && view.report.max == 4 && view.report.mean == 1.6)
            // [0, 1, 1, 2, 4]: |xi - xj| over all ordered pairs sums to 36; G = 36 / (2 * 5^2 * 1.6) = 0.45.
            #expect(approx(view.report.gini, 0.45))
            #expect(view.from == now.addingTimeInterval(-7 * day) && view.to == now)

            // Every score (minScore 0) over 7 days: a 5, b 3, c 1 (49) ...
            let all = try await queries.fairness(windowDays: 7, minScore: 0, now: now)
            #expect(Dictionary(uniqueKeysWithValues: all.report.reps.map { ($0.repId, $0.count) })
                    == ["a": 5, "b": 3, "c": 1, "inactive-with-leads": 1, "e": 1])

            // One team only.
            let westOnly = try await queries.fairness(windowDays: 7, minScore: 50, team: "team-west", now: now)
            #expect(westOnly.report.reps.map(\.repId) == ["e"] && westOnly.report.gini == 0)

            // The route's JSON: the report's fields next to the window.
            let body = try #require(try JSONValue.parse(try CRMJSON.encoder().encode(view)).objectValue)
            #expect(body["windowDays"] == .number(7) && body["minScore"] == .number(50) && body["total"] == .number(8))
            #expect(body["gini"]?.numberValue.map { approx($0, 0.45) } == true)
            #expect(body["reps"]?.arrayValue?.count == 5)
            #expect(try CRMJSON.decoder().decode(FairnessView.self, from: try CRMJSON.encoder().encode(view)) == view)
        }
    }

    @Test("a lead's assignments come oldest first with the current one and its reasons; a rep's open leads are current open or contacted")
    func assignmentHistory() async throws {
        try await TestInfrastructure.withFreshDatabase { client, _ in
            let repository = RepRepository(logger: Self.logger)
            _ = try await repository.upsert([Fixture.rep("r1"), Fixture.rep("r2")], client: client)
            try await client.query("UPDATE reps SET open_leads = 2 WHERE id = 'r2'", logger: Self.logger)
            let lead = UUID(), other = UUID(), closed = UUID()
            try await Self.insertLead(client, lead, score: 72)
            try await Self.insertLead(client, other, score: 40, region: nil)
            try await Self.insertLead(client, closed, score: 90)
            let now = Fixture.now
            // Inserted out of time order: the history is ordered by assigned_at, not by id.
            try await Self.insertAssignment(client, lead: lead, rep: "r2", status: "open", current: true, at: now, policyVersion: 3,
                                            reasons: #"[{"factor": "regionMatch", "rawValue": 1, "weight": 2.5, "contribution": 2.5}]"#)
            try await Self.insertAssignment(client, lead: lead, rep: nil, queue: "public_pool", status: "queued", current: false,
                                            at: now.addingTimeInterval(-86_400 * 10), reasons: #"{"reason": "no_eligible_rep"}"#)
            try await Self.insertAssignment(client, lead: lead, rep: "r1", status: "returned", current: false,
                                            at: now.addingTimeInterval(-86_400 * 40))
            try await Self.insertAssignment(client, lead: other, rep: "r2", status: "contacted", current: true, at: now.addingTimeInterval(-60))
            try await Self.insertAssignment(client, lead: closed, rep: "r2", status: "converted", current: true, at: now.addingTimeInterval(-120))

            let queries = AssignmentQueries(client: client, logger: Self.logger)
            let history = try #require(try await queries.assignments(ofLead: lead))
            #expect(history.history.map(\.status) == ["returned", "queued", "open"])
            #expect(history.history.map(\.repId) == ["r1", nil, "r2"])
            #expect(history.history.map(\.queue) == [nil, "public_pool", nil])
            #expect(history.history.map(\.current) == [false, false, true])
            let current = try #require(history.current)
            #expect(current.repId == "r2" && current.policyVersion == 3 && current.assignedAt == now && current.status == "open")
            #expect(current.reasons == .array([.object([
                "factor": .string("regionMatch"), "rawValue": .number(1), "weight": .number(2.5), "contribution": .number(2.5),
            ])]))
            #expect(history.lead?.score == 72 && history.lead?.region == "east")
            #expect(try await queries.assignments(ofLead: UUID()) == nil)

            let body = try #require(try JSONValue.parse(try CRMJSON.encoder().encode(history)).objectValue)
            #expect(body["leadId"] == .string(lead.uuidString.lowercased()))
            #expect(body["current"]?.objectValue?["repId"] == .string("r2"))
            #expect(body["history"]?.arrayValue?.count == 3)

            let r2 = try #require(try await queries.openLeads(ofRep: "r2"))
            #expect(r2.openLeads == 2 && r2.capacity == 10)
            #expect(r2.leads.map(\.leadId) == [other, lead])
            #expect(r2.leads.map(\.status) == ["contacted", "open"])
            #expect(r2.leads.map(\.score) == [40, 72])
            #expect(r2.leads.map(\.region) == [nil, "east"])
            #expect(r2.leads.map(\.policyVersion) == [1, 3])
            #expect(try await queries.openLeads(ofRep: "r1")?.leads == [])
            #expect(try await queries.openLeads(ofRep: "nobody") == nil)
        }
    }
}
