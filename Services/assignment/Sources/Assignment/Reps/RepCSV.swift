import Foundation
import Shared

/// Reads a rep CSV file (`crmctl reps import`, `POST /v1/reps/import`) into reps, reporting every bad
/// row by its line. Pure: no database, no clock.
///
/// The first record is the header, columns in any order, names case-insensitive:
/// `id,name,teamId,supervisorId,regions,productLines,industries,languages,workStart,workEnd,weekdays,
/// timeZone,active,onLeave,capacity,seniority` (`id`, `name`, `teamId` and `capacity` are required;
/// a missing optional column takes the default of an empty cell).
///
/// Cells: lists are `;`-separated (`east;north`); `workStart`/`workEnd` are `HH:MM` (both empty: any
/// time of day; `24:00` ends at midnight); `weekdays` like `mon;tue;wed`, `mon-fri`, `1-5` or `1;3;5`
/// (ISO numbers, Monday = 1; empty: every day); `active` is `true/false/yes/no/1/0` (empty: true);
/// `onLeave` like `2026-12-01..2026-12-05;2027-01-10` (inclusive days in the rep's time zone, stored
/// as `[local midnight of the first day, local midnight after the last day)`); `timeZone` empty is
/// `Asia/Shanghai`; `seniority` empty is 3.
public enum RepCSV {
    public static let columns = [
        "id", "name", "teamId", "supervisorId", "regions", "productLines", "industries", "languages",
        "workStart", "workEnd", "weekdays", "timeZone", "active", "onLeave", "capacity", "seniority",
    ]
    public static let requiredColumns = ["id", "name", "teamId", "capacity"]

    /// A row that became a rep, with the line it starts on.
    public struct Row: Sendable, Equatable {
        public var line: Int
        public var rep: Rep

        public init(line: Int, rep: Rep) {
            self.line = line
            self.rep = rep
        }
    }

    public struct Parsed: Sendable, Equatable {
        /// Good rows in file order, each id once.
        public var rows: [Row]
        /// Bad rows (and, when `rejected`, what is wrong with the file as a whole).
        public var problems: [RepImportProblem]
        /// The file cannot be read at all (not UTF-8, empty, unusable header): no row was looked at.
        public var rejected: Bool

        public init(rows: [Row] = [], problems: [RepImportProblem] = [], rejected: Bool = false) {
            self.rows = rows
            self.problems = problems
            self.rejected = rejected
        }

        public var reps: [Rep] { rows.map(\.rep) }
    }

    public static func parse(_ bytes: [UInt8]) -> Parsed {
        var bytes = bytes
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        guard String(validating: bytes, as: UTF8.self) != nil else {
            return Parsed(problems: [RepImportProblem(line: 1, field: "file", problem: "not UTF-8 text (save the sheet as \"CSV UTF-8\")")], rejected: true)
        }
        var records = CSVReader.records(bytes)[...]
        guard let headerRecord = records.popFirst() else {
            return Parsed(problems: [RepImportProblem(line: 1, field: "file", problem: "the file is empty; the first line must be a header naming the columns: \(columns.joined(separator: ","))")], rejected: true)
        }
        let (header, headerProblems) = readHeader(headerRecord)
        if !headerProblems.isEmpty {
            return Parsed(problems: headerProblems, rejected: true)
        }

        var parsed = Parsed()
        var lineOfId: [String: Int] = [:]
        for record in records {
            let fields: [String]
            switch record.result {
            case .failure(let problem):
                parsed.problems.append(RepImportProblem(line: record.line, field: "row", problem: problem.description))
                continue
            case .success(let values): fields = values
            }
            if fields.allSatisfy({ $0.trimmingCharacters(in: .whitespaces).isEmpty }) { continue }
            let extra = fields.dropFirst(header.count)
            if fields.count < header.count || extra.contains(where: { !$0.trimmingCharacters(in: .whitespaces).isEmpty }) {
                parsed.problems.append(RepImportProblem(
                    line: record.line, field: "row",
                    problem: "has \(fields.count) fields but the header has \(header.count) (a value holding a comma must be in double quotes)"))
                continue
            }
            if let unnamed = zip(header, fields).enumerated().first(where: { $0.element.0 == nil && !$0.element.1.trimmingCharacters(in: .whitespaces).isEmpty }) {
                parsed.problems.append(RepImportProblem(
                    line: record.line, field: "row", problem: "field \(unnamed.offset + 1) has a value but the header names no column there"))
                continue
            }
            var cells: [String: String] = [:]
            for (name, value) in zip(header, fields) {
                if let name { cells[name] = value }
            }
            switch rep(from: cells) {
            case .failure(let error):
                parsed.problems += error.problems.map { RepImportProblem(line: record.line, field: $0.field, problem: $0.problem) }
            case .success(let rep):
                if let earlier = lineOfId[rep.id] {
                    parsed.problems.append(RepImportProblem(
                        line: record.line, field: "id", problem: "\"\(rep.id)\" already appears on line \(earlier); give each rep one row"))
                } else {
                    lineOfId[rep.id] = record.line
                    parsed.rows.append(Row(line: record.line, rep: rep))
                }
            }
        }
        return parsed
    }

    /// The canonical column name of each header cell (`nil`: an empty header cell over empty values).
    private static func readHeader(_ record: CSVReader.Record) -> (names: [String?], problems: [RepImportProblem]) {
        let line = record.line
        let cells: [String]
        switch record.result {
        case .failure(let problem):
            return ([], [RepImportProblem(line: line, field: "header", problem: problem.description)])
        case .success(let values): cells = values
        }
        var problems: [RepImportProblem] = []
        var names: [String?] = []
        var seen = Set<String>()
        for cell in cells {
            let text = cell.trimmingCharacters(in: .whitespaces)
            if text.isEmpty {
                names.append(nil)
                continue
            }
            guard let name = columns.first(where: { $0.caseInsensitiveCompare(text) == .orderedSame }) else {
                problems.append(RepImportProblem(line: line, field: "header", problem: "unknown column \"\(text)\" (known: \(columns.joined(separator: ",")))"))
                names.append(nil)
                continue
            }
            if !seen.insert(name).inserted {
                problems.append(RepImportProblem(line: line, field: "header", problem: "column \(name) appears twice"))
            }
            names.append(name)
        }
        for required in requiredColumns where !seen.contains(required) {
            problems.append(RepImportProblem(line: line, field: "header", problem: "missing the required column \(required)"))
        }
        return (names, problems)
    }

    /// One row, as cells by canonical column name (absent columns count as empty cells), to a valid
    /// rep or every problem, named by column.
    public static func rep(from cells: [String: String]) -> Result<Rep, RepValidationError> {
        var problems: [RepProblem] = []
        func cell(_ name: String) -> String {
            (cells[name] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        }
        func fail(_ field: String, _ problem: String) {
            problems.append(RepProblem(field: field, problem: problem))
        }

        let timeZoneName = cell("timeZone").isEmpty ? "Asia/Shanghai" : cell("timeZone")

        var capacity = 0
        if cell("capacity").isEmpty {
            fail("capacity", "required (the most open leads the rep may hold)")
        } else if let value = Int(cell("capacity")) {
            capacity = value
        } else {
            fail("capacity", "must be a whole number, got \"\(cell("capacity"))\"")
        }

        var seniority = 3
        if !cell("seniority").isEmpty {
            if let value = Int(cell("seniority")) {
                seniority = value
            } else {
                fail("seniority", "must be a whole number from 1 to 5, got \"\(cell("seniority"))\"")
            }
        }

        var active = true
        switch cell("active").lowercased() {
        case "", "true", "yes", "1": active = true
        case "false", "no", "0": active = false
        default: fail("active", "must be true/false, yes/no or 1/0, got \"\(cell("active"))\"")
        }

        var startMinute = 0, endMinute = 0
        let start = cell("workStart"), end = cell("workEnd")
        if start.isEmpty != end.isEmpty {
            fail(start.isEmpty ? "workStart" : "workEnd", "give both workStart and workEnd, or leave both empty for any time of day")
        } else if !start.isEmpty {
            if let minutes = minutes(start) { startMinute = minutes } else { fail("workStart", "must be HH:MM from 00:00 to 24:00, got \"\(start)\"") }
            if let minutes = minutes(end) { endMinute = minutes } else { fail("workEnd", "must be HH:MM from 00:00 to 24:00, got \"\(end)\"") }
        }

        var days = Set(Weekday.allCases)
        switch weekdays(cell("weekdays")) {
        case .success(let value): days = value
        case .failure(let problem): fail("weekdays", problem.message)
        }

        var onLeave: [LeavePeriod] = []
        if !cell("onLeave").isEmpty {
            if let timeZone = TimeZone(identifier: timeZoneName) {
                switch leavePeriods(cell("onLeave"), in: timeZone) {
                case .success(let periods): onLeave = periods
                case .failure(let problem): fail("onLeave", problem.message)
                }
            } else {
                fail("onLeave", "cannot place the dates without a valid timeZone")
            }
        }

        let supervisor = cell("supervisorId")
        let rep = Rep(
            id: cell("id"), name: cell("name"), teamId: cell("teamId"),
            supervisorId: supervisor.isEmpty ? nil : supervisor,
            regions: list(cell("regions")), productLines: list(cell("productLines")),
            industries: list(cell("industries")), languages: list(cell("languages")),
            workingHours: WorkingHours(startMinute: startMinute, endMinute: endMinute, weekdays: days),
            timeZone: timeZoneName, active: active, onLeave: onLeave, capacity: capacity, seniority: seniority)

        let reported = Set(problems.map(\.field))
        for problem in RepValidator.validate(rep) {
            let mapped = column(of: problem)
            if !reported.contains(mapped.field) { problems.append(mapped) }
        }
        // In the order of `columns`, whatever found them.
        let order = Dictionary(uniqueKeysWithValues: columns.enumerated().map { ($1, $0) })
        problems = problems.enumerated()
            .sorted { (order[$0.element.field] ?? columns.count, $0.offset) < (order[$1.element.field] ?? columns.count, $1.offset) }
            .map(\.element)
        return problems.isEmpty ? .success(rep) : .failure(RepValidationError(problems))
    }

    /// A validator problem named by the CSV column it comes from.
    static func column(of problem: RepProblem) -> RepProblem {
        switch problem.field {
        case "workingHours.startMinute": return RepProblem(field: "workStart", problem: problem.problem)
        case "workingHours.endMinute": return RepProblem(field: "workEnd", problem: problem.problem)
        case "workingHours.weekdays": return RepProblem(field: "weekdays", problem: problem.problem)
        default:
            // `onLeave[1].end` -> `onLeave`, "period 2: ..."; `regions[0]` -> `regions`.
            guard let bracket = problem.field.firstIndex(of: "["),
                  let close = problem.field.firstIndex(of: "]"),
                  let index = Int(problem.field[problem.field.index(after: bracket)..<close])
            else { return problem }
            return RepProblem(field: String(problem.field[..<bracket]), problem: "entry \(index + 1): \(problem.problem)")
        }
    }

    /// `a;b; c` -> `["a", "b", "c"]`; empty entries are dropped.
    public static func list(_ text: String) -> [String] {
        text.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    /// `HH:MM` (hours 0...24, `24:00` only as the end of the day) as minutes since midnight.
    public static func minutes(_ text: String) -> Int? {
        let parts = text.trimmingCharacters(in: .whitespaces).split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, (1...2).contains(parts[0].count), parts[1].count == 2,
              parts.allSatisfy({ $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }),
              let hours = Int(parts[0]), let minutes = Int(parts[1]),
              (0...24).contains(hours), (0...59).contains(minutes), hours < 24 || minutes == 0
        else { return nil }
        return hours * 60 + minutes
    }

    /// A cell's problem in words.
    public struct CellProblem: Error, Sendable, Equatable {
        public var message: String
        public init(_ message: String) { self.message = message }
    }

    private static let dayNames: [String: Weekday] = [
        "mon": .monday, "monday": .monday, "tue": .tuesday, "tues": .tuesday, "tuesday": .tuesday,
        "wed": .wednesday, "wednesday": .wednesday, "thu": .thursday, "thur": .thursday, "thurs": .thursday,
        "thursday": .thursday, "fri": .friday, "friday": .friday, "sat": .saturday, "saturday": .saturday,
        "sun": .sunday, "sunday": .sunday,
    ]

    private static func day(_ token: String) -> Weekday? {
        if let number = Int(token) { return Weekday(rawValue: number) }
        return dayNames[token.lowercased()]
    }

    /// `mon;tue`, `mon-fri`, `1-5`, `6;7`, `fri-mon` (a range may wrap past Sunday). Empty is every day.
    public static func weekdays(_ text: String) -> Result<Set<Weekday>, CellProblem> {
        let tokens = text.split(whereSeparator: { $0 == ";" || $0 == "," })
            .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        guard !tokens.isEmpty else { return .success(Set(Weekday.allCases)) }
        var days = Set<Weekday>()
        for token in tokens {
            let ends = token.split(separator: "-", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            guard ends.count <= 2, let first = day(ends[0]), let last = day(ends[ends.count - 1]) else {
                return .failure(CellProblem("\"\(token)\" is not a day or a range of days (use mon...sun or 1...7, Monday = 1, e.g. mon-fri or 1;3;5)"))
            }
            var current = first
            days.insert(current)
            while current != last {
                current = Weekday(rawValue: current.rawValue % 7 + 1)!
                days.insert(current)
            }
        }
        return .success(days)
    }

    /// `2026-12-01..2026-12-05;2027-01-10` in `timeZone`: each entry a day or an inclusive range of
    /// days, as half-open periods from the first day's local midnight to the local midnight after the last.
    public static func leavePeriods(_ text: String, in timeZone: TimeZone) -> Result<[LeavePeriod], CellProblem> {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        var periods: [LeavePeriod] = []
        for entry in list(text) {
            let ends = entry.components(separatedBy: "..").map { $0.trimmingCharacters(in: .whitespaces) }
            guard ends.count <= 2 else {
                return .failure(CellProblem("\"\(entry)\" is not a date or a range FIRST..LAST (YYYY-MM-DD..YYYY-MM-DD)"))
            }
            guard let first = localMidnight(ends[0], calendar), let last = localMidnight(ends[ends.count - 1], calendar) else {
                return .failure(CellProblem("\"\(entry)\" is not a date or a range FIRST..LAST of real dates (YYYY-MM-DD..YYYY-MM-DD)"))
            }
            guard first <= last else {
                return .failure(CellProblem("\"\(entry)\": the last day is before the first"))
            }
            guard let dayAfter = calendar.date(byAdding: .day, value: 1, to: last) else {
                return .failure(CellProblem("\"\(entry)\" is out of range"))
            }
            periods.append(LeavePeriod(start: first, end: calendar.startOfDay(for: dayAfter)))
        }
        return .success(periods)
    }

    /// `YYYY-MM-DD` as the start of that day in the calendar's time zone; nil for text that is not a real date.
    private static func localMidnight(_ text: String, _ calendar: Calendar) -> Date? {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, (1...2).contains(parts[1].count), (1...2).contains(parts[2].count),
              parts.allSatisfy({ $0.allSatisfy { $0.isASCII && $0.isNumber } }),
              let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]),
              let date = calendar.date(from: DateComponents(year: year, month: month, day: day))
        else { return nil }
        let check = calendar.dateComponents([.year, .month, .day], from: date)
        guard check.year == year, check.month == month, check.day == day else { return nil }
        return calendar.startOfDay(for: date)
    }
}
