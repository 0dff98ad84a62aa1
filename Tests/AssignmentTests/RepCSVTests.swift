import Foundation
import Testing
import Assignment

@Suite("Rep CSV import (pure mapping)")
struct RepCSVTests {
    static let header = "id,name,teamId,supervisorId,regions,productLines,industries,languages,workStart,workEnd,weekdays,timeZone,active,onLeave,capacity,seniority"

    func parse(_ text: String) -> RepCSV.Parsed {
        RepCSV.parse(Array(text.utf8))
    }

    @Test func aFullRowBecomesARep() throws {
        let parsed = parse("""
            \(Self.header)
            r1,Li Na,team-east,sup-1,east;north,medical_devices,pharma_retail;hospital,zh;en,09:00,18:00,mon-fri,Asia/Shanghai,yes,2026-12-01..2026-12-05;2027-01-10,30,4
            """)
        #expect(parsed.problems == [] && !parsed.rejected)
        #expect(parsed.rows.map(\.line) == [2])
        #expect(parsed.reps == [Rep(
            id: "r1", name: "Li Na", teamId: "team-east", supervisorId: "sup-1", regions: ["east", "north"],
            productLines: ["medical_devices"], industries: ["pharma_retail", "hospital"], languages: ["zh", "en"],
            workingHours: .officeHours, timeZone: "Asia/Shanghai", active: true,
            onLeave: [
                // Shanghai is UTC+8: local midnight of Dec 1 to local midnight after Dec 5.
                LeavePeriod(start: Fixture.date("2026-11-30T16:00:00Z"), end: Fixture.date("2026-12-05T16:00:00Z")),
                LeavePeriod(start: Fixture.date("2027-01-09T16:00:00Z"), end: Fixture.date("2027-01-10T16:00:00Z")),
            ],
            capacity: 30, seniority: 4)])
    }

    @Test func columnsInAnyOrderAndOptionalOnesLeftOutTakeDefaults() throws {
        let parsed = parse("Capacity, TEAMID ,name,id\r\n12,team-west,Wang Fang,r2\r\n")
        #expect(parsed.problems == [])
        #expect(parsed.reps == [Rep(id: "r2", name: "Wang Fang", teamId: "team-west", capacity: 12)])
        #expect(parsed.reps.first?.workingHours == .always)
    }

    @Test func emptyCellsTakeDefaults() throws {
        let parsed = parse("\(Self.header)\nr3,Zhao Lei,team-east,,,,,,,,,,,,5,\n")
        #expect(parsed.problems == [])
        #expect(parsed.reps == [Rep(id: "r3", name: "Zhao Lei", teamId: "team-east", supervisorId: nil,
                                    workingHours: .always, timeZone: "Asia/Shanghai", active: true, capacity: 5, seniority: 3)])
    }

    @Test func badRowsAreReportedByLineAndGoodOnesKept() {
        let parsed = parse("""
            id,name,teamId,capacity,seniority,timeZone,workStart,workEnd,weekdays,active,onLeave
            r1,Li Na,team-east,10,3,Asia/Shanghai,09:00,18:00,1-5,true,
            r2,Wang Fang,team-east,-1,3,Asia/Shanghai,,,,,
            r3,Zhao Lei,team-east,ten,9,Mars/Base,9am,18:00,funday,maybe,
            ,No Id,team-east,10,,,,,,,
            r5,"Chen, Jing",team-east,10,,,,,,,2026-12-05..2026-12-01
            r1,Li Na again,team-east,10,,,,,,,
            r7,"Multi
            line",team-east,8,,,,,,,
            r8,Too,many,fields,1,2,3,4,5,6,7,8
            r9,Sun Li,team-west,10,,Europe/Berlin,,,sat;sun,no,2026-03-28..2026-03-29
            """)
        #expect(!parsed.rejected)
        #expect(parsed.rows.map(\.line) == [2, 8, 11])
        #expect(parsed.reps.map(\.id) == ["r1", "r7", "r9"])
        #expect(parsed.reps[1].name == "Multi\nline")
        #expect(parsed.problems.map { "\($0.line) \($0.field)" } == [
            "3 capacity",
            "4 workStart", "4 weekdays", "4 timeZone", "4 active", "4 capacity", "4 seniority",
            "5 id",
            "6 onLeave",
            "7 id",
            "10 row",
        ])
        #expect(parsed.problems.first == RepImportProblem(line: 3, field: "capacity", problem: "must be between 0 and 10000, got -1"))
        #expect(parsed.problems.contains(RepImportProblem(line: 7, field: "id", problem: "\"r1\" already appears on line 2; give each rep one row")))
        #expect(parsed.problems.contains(RepImportProblem(line: 6, field: "onLeave", problem: "\"2026-12-05..2026-12-01\": the last day is before the first")))
        let r9 = parsed.reps[2]
        #expect(r9.active == false)
        #expect(r9.workingHours == WorkingHours(startMinute: 0, endMinute: 0, weekdays: [.saturday, .sunday]))
        // Berlin changes to summer time on Sunday 2026-03-29: the period starts at CET midnight
        // (23:00 UTC) and ends at CEST midnight (22:00 UTC).
        #expect(r9.onLeave == [LeavePeriod(start: Fixture.date("2026-03-27T23:00:00Z"), end: Fixture.date("2026-03-29T22:00:00Z"))])
    }

    @Test func aValueUnderAnUnnamedColumnIsNotDropped() {
        let parsed = parse("id,name,teamId,capacity,\nr1,Li,team,1,\nr2,Wang,team,2,oops\n")
        #expect(parsed.reps.map(\.id) == ["r1"])
        #expect(parsed.problems == [RepImportProblem(line: 3, field: "row", problem: "field 5 has a value but the header names no column there")])
    }

    @Test func anUnreadableRecordIsReportedAndReadingGoesOn() {
        let parsed = parse("id,name,teamId,capacity\nr1,\"Li\"x,team,1\nr2,Wang,team,2\n")
        #expect(parsed.reps.map(\.id) == ["r2"])
        #expect(parsed.problems.map(\.line) == [2])
        #expect(parsed.problems.first?.field == "row")
    }

    @Test func blankLinesAndTrailingEmptyFieldsAreFine() {
        let parsed = parse("\u{FEFF}id,name,teamId,capacity\n\nr1,Li,team,1,,\n,,,\nr2,Wang,team,2\n")
        #expect(parsed.problems == [])
        #expect(parsed.rows.map(\.line) == [3, 5])
    }

    static let rejectedFiles: [(String, String, [String])] = [
        ("empty", "", ["the file is empty; the first line must be a header naming the columns: \(RepCSV.columns.joined(separator: ","))"]),
        ("unknown column and missing capacity", "id,name,teamId,capcity\nr1,Li,t,1\n", [
            "unknown column \"capcity\" (known: \(RepCSV.columns.joined(separator: ",")))",
            "missing the required column capacity",
        ]),
        ("column twice", "id,name,teamId,capacity,Name\n", ["column name appears twice"]),
    ]

    @Test(arguments: rejectedFiles)
    func aFileWithoutAUsableHeaderIsRejected(label: String, text: String, problems: [String]) {
        let parsed = parse(text)
        #expect(parsed.rejected, "\(label)")
        #expect(parsed.rows == [])
        #expect(parsed.problems.map(\.problem) == problems, "\(label)")
        #expect(parsed.problems.allSatisfy { $0.line == 1 })
    }

    @Test func notUTF8IsRejected() {
        // "张" in GBK, as a spreadsheet saving "CSV" on a Chinese Windows writes it.
        let parsed = RepCSV.parse(Array("id,name,teamId,capacity\nr1,".utf8) + [0xD5, 0xC5] + Array(",t,1\n".utf8))
        #expect(parsed.rejected)
        #expect(parsed.problems == [RepImportProblem(line: 1, field: "file", problem: "not UTF-8 text (save the sheet as \"CSV UTF-8\")")])
    }

    static let times: [(String, Int?)] = [
        ("00:00", 0), ("09:00", 540), ("9:30", 570), ("23:59", 1439), ("24:00", 1440), (" 18:00 ", 1080),
        ("24:01", nil), ("25:00", nil), ("09:60", nil), ("9", nil), ("9:5", nil), ("9h00", nil), ("-1:00", nil), ("", nil),
    ]

    @Test(arguments: times)
    func workTimes(text: String, minutes: Int?) {
        #expect(RepCSV.minutes(text) == minutes)
    }

    static let days: [(String, Set<Weekday>?)] = [
        ("", Set(Weekday.allCases)),
        ("mon;tue;wed;thu;fri", Weekday.workdays),
        ("1-5", Weekday.workdays),
        ("Mon-Fri", Weekday.workdays),
        ("monday; Wednesday;FRI", [.monday, .wednesday, .friday]),
        ("6;7", [.saturday, .sunday]),
        ("1;3-4", [.monday, .wednesday, .thursday]),
        ("fri-mon", [.friday, .saturday, .sunday, .monday]),
        ("sun", [.sunday]),
        ("8", nil), ("0", nil), ("funday", nil), ("mon-", nil), ("1-2-3", nil),
    ]

    @Test(arguments: days)
    func weekdays(text: String, expected: Set<Weekday>?) {
        let result = try? RepCSV.weekdays(text).get()
        #expect(result == expected)
    }

    static let leave: [(String, String, [(String, String)]?)] = [
        ("2026-12-01..2026-12-05", "Asia/Shanghai", [("2026-11-30T16:00:00Z", "2026-12-05T16:00:00Z")]),
        ("2026-12-01", "Asia/Shanghai", [("2026-11-30T16:00:00Z", "2026-12-01T16:00:00Z")]),
        ("2026-12-31..2027-01-01; 2027-02-28", "UTC", [("2026-12-31T00:00:00Z", "2027-01-02T00:00:00Z"), ("2027-02-28T00:00:00Z", "2027-03-01T00:00:00Z")]),
        // New York leaves summer time on 2026-11-01: a 25-hour day.
        ("2026-11-01", "America/New_York", [("2026-11-01T04:00:00Z", "2026-11-02T05:00:00Z")]),
        ("2026-02-29", "UTC", nil),
        ("2026-13-01", "UTC", nil),
        ("01.12.2026", "UTC", nil),
        ("2026-12-01..", "UTC", nil),
        ("2026-12-01..2026-12-03..2026-12-05", "UTC", nil),
        ("2026-12-05..2026-12-01", "UTC", nil),
    ]

    @Test(arguments: leave)
    func leaveDays(text: String, zone: String, expected: [(String, String)]?) throws {
        let result = try? RepCSV.leavePeriods(text, in: try #require(TimeZone(identifier: zone))).get()
        #expect(result == expected.map { $0.map { LeavePeriod(start: Fixture.date($0.0), end: Fixture.date($0.1)) } })
    }

    @Test func bothWorkTimesOrNeither() {
        let result = RepCSV.rep(from: ["id": "r1", "name": "A", "teamId": "t", "capacity": "1", "workStart": "09:00"])
        guard case .failure(let error) = result else {
            Issue.record("expected a failure")
            return
        }
        #expect(error.problems == [RepProblem(field: "workEnd", problem: "give both workStart and workEnd, or leave both empty for any time of day")])
    }

    @Test func leaveNeedsAKnownTimeZone() {
        let result = RepCSV.rep(from: ["id": "r1", "name": "A", "teamId": "t", "capacity": "1", "timeZone": "Asia/Nowhere", "onLeave": "2026-12-01"])
        guard case .failure(let error) = result else {
            Issue.record("expected a failure")
            return
        }
        #expect(error.fields == ["timeZone", "onLeave"])
    }
}
