import Foundation
import Shared
import Testing
import Assignment

@Suite("Rep validation")
struct RepValidatorTests {
    static let valid = Fixture.rep("r1")

    static func with(_ change: (inout Rep) -> Void) -> Rep {
        var rep = valid
        change(&rep)
        return rep
    }

    @Test func aCompleteRepIsValid() {
        #expect(RepValidator.validate(Self.valid) == [])
        #expect(RepValidator.validate(Self.with { $0.capacity = 0; $0.seniority = 1 }) == [])
        #expect(RepValidator.validate(Self.with { $0.capacity = 10_000; $0.seniority = 5 }) == [])
        #expect(RepValidator.validate(Self.with { $0.workingHours = WorkingHours(startMinute: 0, endMinute: 1440, weekdays: [.saturday]) }) == [])
        #expect(RepValidator.validate(Self.with { $0.timeZone = "Europe/Berlin"; $0.supervisorId = nil }) == [])
    }

    static let cases: [(String, Rep, [String])] = [
        ("negative capacity", with { $0.capacity = -1 }, ["capacity"]),
        ("capacity above 10000", with { $0.capacity = 10_001 }, ["capacity"]),
        ("seniority 0", with { $0.seniority = 0 }, ["seniority"]),
        ("seniority 6", with { $0.seniority = 6 }, ["seniority"]),
        ("unknown time zone", with { $0.timeZone = "Mars/Olympus" }, ["timeZone"]),
        ("empty time zone", with { $0.timeZone = "" }, ["timeZone"]),
        ("start minute below 0", with { $0.workingHours.startMinute = -1 }, ["workingHours.startMinute"]),
        ("end minute above 1440", with { $0.workingHours.endMinute = 1441 }, ["workingHours.endMinute"]),
        ("no working days", with { $0.workingHours.weekdays = [] }, ["workingHours.weekdays"]),
        ("empty id", with { $0.id = "" }, ["id"]),
        ("blank name", with { $0.name = "  " }, ["name"]),
        ("empty team", with { $0.teamId = "" }, ["teamId"]),
        ("id with a slash", with { $0.id = "east/r1" }, ["id"]),
        ("blank supervisor", with { $0.supervisorId = " " }, ["supervisorId"]),
        ("own supervisor", with { $0.supervisorId = "r1" }, ["supervisorId"]),
        ("empty region code", with { $0.regions = ["east", ""] }, ["regions[1]"]),
        ("second leave ends before it starts", with {
            $0.onLeave = [
                LeavePeriod(start: Fixture.date("2026-12-01T00:00:00Z"), end: Fixture.date("2026-12-02T00:00:00Z")),
                LeavePeriod(start: Fixture.date("2026-12-05T00:00:00Z"), end: Fixture.date("2026-12-04T00:00:00Z")),
            ]
        }, ["onLeave[1].end"]),
        ("leave of zero length", with {
            $0.onLeave = [LeavePeriod(start: Fixture.date("2026-12-01T00:00:00Z"), end: Fixture.date("2026-12-01T00:00:00Z"))]
        }, ["onLeave[0].end"]),
        ("everything at once", with {
            $0.name = ""; $0.capacity = 20_000; $0.seniority = 9; $0.timeZone = "Nowhere"
        }, ["name", "capacity", "seniority", "timeZone"]),
    ]

    @Test(arguments: cases)
    func problemsAreNamedByField(label: String, rep: Rep, fields: [String]) {
        #expect(RepValidator.validate(rep).map(\.field) == fields, "\(label)")
    }

    @Test func messagesSayWhatIsAllowedAndWhatWasGiven() {
        let problems = RepValidator.validate(Self.with { $0.capacity = -3; $0.timeZone = "Mars/Olympus" })
        #expect(problems == [
            RepProblem(field: "capacity", problem: "must be between 0 and 10000, got -3"),
            RepProblem(field: "timeZone", problem: "unknown time zone \"Mars/Olympus\" (use an IANA identifier such as Asia/Shanghai)"),
        ])
        let leave = RepValidator.validate(Self.with {
            $0.onLeave = [LeavePeriod(start: Fixture.date("2026-12-05T00:00:00Z"), end: Fixture.date("2026-12-04T00:00:00Z"))]
        })
        #expect(leave == [RepProblem(field: "onLeave[0].end", problem: "must be after start (2026-12-05T00:00:00.000Z), got 2026-12-04T00:00:00.000Z")])
    }
}

@Suite("Rep JSON documents (PUT /v1/reps/{id})")
struct RepDocumentTests {
    func read(_ json: String, id: String = "r1") -> Result<Rep, RepValidationError> {
        RepDocument.read(Array(json.utf8), pathId: id)
    }

    func fields(_ json: String, id: String = "r1") -> [String] {
        if case .failure(let error) = read(json, id: id) { return error.fields }
        return []
    }

    @Test func minimalDocumentTakesDefaultsAndThePathId() throws {
        let rep = try read(#"{"name": " Li Na ", "teamId": "team-east", "capacity": 20}"#).get()
        #expect(rep == Rep(id: "r1", name: "Li Na", teamId: "team-east", capacity: 20))
        #expect(rep.workingHours == .always && rep.timeZone == "Asia/Shanghai" && rep.active && rep.seniority == 3)
    }

    @Test func fullDocument() throws {
        let rep = try read("""
            {"id": "r1", "name": "Li Na", "teamId": "team-east", "supervisorId": "sup-1", "regions": ["east", "north"],
             "productLines": ["medical_devices"], "industries": ["pharma_retail"], "languages": ["zh", "en"],
             "workingHours": {"startMinute": 540, "endMinute": 1080, "weekdays": [1, 2, 3, 4, 5]},
             "timeZone": "Asia/Shanghai", "active": false,
             "onLeave": [{"start": "2026-11-30T16:00:00Z", "end": "2026-12-05T16:00:00+00:00"}],
             "capacity": 30, "seniority": 4, "openLeads": 7, "updatedAt": "whatever"}
            """).get()
        #expect(rep == Rep(
            id: "r1", name: "Li Na", teamId: "team-east", supervisorId: "sup-1", regions: ["east", "north"],
            productLines: ["medical_devices"], industries: ["pharma_retail"], languages: ["zh", "en"],
            workingHours: .officeHours, timeZone: "Asia/Shanghai", active: false,
            onLeave: [LeavePeriod(start: Fixture.date("2026-11-30T16:00:00Z"), end: Fixture.date("2026-12-05T16:00:00Z"))],
            capacity: 30, seniority: 4))
    }

    @Test func aStoredRepReadsBackUnchanged() throws {
        let rep = Fixture.rep("r9", onLeave: [LeavePeriod(start: Fixture.date("2026-11-30T16:00:00Z"), end: Fixture.date("2026-12-05T16:00:00Z"))])
        let answer = try CRMJSON.encoder().encode(StoredRep(rep: rep, openLeads: 4, updatedAt: Fixture.now))
        let object = try #require(try JSONValue.parse(answer).objectValue)
        #expect(object["openLeads"] == .number(4) && object["capacity"] == .number(10) && object["id"] == .string("r9"))
        #expect(try RepDocument.read(Array(answer), pathId: "r9").get() == rep)
        #expect(try CRMJSON.decoder().decode(StoredRep.self, from: answer) == StoredRep(rep: rep, openLeads: 4, updatedAt: Fixture.now))
    }

    static let cases: [(String, String, [String])] = [
        ("id differs from the path", #"{"id": "r2", "name": "A", "teamId": "t", "capacity": 1}"#, ["id"]),
        ("capacity missing", #"{"name": "A", "teamId": "t"}"#, ["capacity"]),
        ("name and team missing", #"{"capacity": 1}"#, ["name", "teamId"]),
        ("capacity is text", #"{"name": "A", "teamId": "t", "capacity": "ten"}"#, ["capacity"]),
        ("capacity is a fraction", #"{"name": "A", "teamId": "t", "capacity": 2.5}"#, ["capacity"]),
        ("seniority is a fraction", #"{"name": "A", "teamId": "t", "capacity": 2, "seniority": 3.5}"#, ["seniority"]),
        ("second leave end is not a timestamp", #"{"name": "A", "teamId": "t", "capacity": 1, "onLeave": [{"start": "2026-12-01T00:00:00Z", "end": "2026-12-02T00:00:00Z"}, {"start": "2026-12-01T00:00:00Z", "end": "tomorrow"}]}"#, ["onLeave[1].end"]),
        ("working hours without days", #"{"name": "A", "teamId": "t", "capacity": 1, "workingHours": {"startMinute": 0, "endMinute": 60}}"#, ["workingHours.weekdays"]),
        ("day 8", #"{"name": "A", "teamId": "t", "capacity": 1, "workingHours": {"startMinute": 0, "endMinute": 60, "weekdays": [1, 8]}}"#, ["workingHours.weekdays[1]"]),
        ("regions is a string", #"{"name": "A", "teamId": "t", "capacity": 1, "regions": "east"}"#, ["regions"]),
        ("not an object", #"[1, 2]"#, ["$"]),
        ("not JSON", #"name=A"#, ["$"]),
        ("validation after decoding", #"{"name": "A", "teamId": "t", "capacity": -1, "seniority": 7, "timeZone": "Asia/Nowhere"}"#, ["capacity", "seniority", "timeZone"]),
    ]

    @Test(arguments: cases)
    func problemsAreNamedByField(label: String, json: String, expected: [String]) {
        #expect(fields(json) == expected, "\(label)")
    }

    @Test func problemTexts() {
        guard case .failure(let error) = read(#"{"id": "r2", "name": "A", "teamId": "t", "capacity": "ten"}"#) else {
            Issue.record("expected a failure")
            return
        }
        #expect(error.problems == [RepProblem(field: "capacity", problem: "expected a number")])
        guard case .failure(let mismatch) = read(#"{"id": "r2", "name": "A", "teamId": "t", "capacity": 3}"#) else {
            Issue.record("expected a failure")
            return
        }
        #expect(mismatch.problems == [RepProblem(field: "id", problem: "\"r2\" does not match the id in the path (\"r1\"); leave it out or make them equal")])
    }
}
