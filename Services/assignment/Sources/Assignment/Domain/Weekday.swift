/// ISO-8601 day of the week (Monday = 1 ... Sunday = 7).
///
/// ISO numbering rather than `Calendar`'s Sunday-first numbering, because rep CSV imports and the
/// admin routes are written by business users in China and Europe, who count weeks from Monday.
public enum Weekday: Int, Codable, Sendable, CaseIterable, Comparable {
    case monday = 1, tuesday, wednesday, thursday, friday, saturday, sunday

    /// Monday to Friday, the usual office week.
    public static let workdays: Set<Weekday> = [.monday, .tuesday, .wednesday, .thursday, .friday]

    /// Converts `Calendar`'s weekday component (1 = Sunday ... 7 = Saturday).
    init(calendarWeekday: Int) {
        // Sunday (1) -> 7, Monday (2) -> 1, ..., Saturday (7) -> 6.
        self = Weekday(rawValue: (calendarWeekday + 5) % 7 + 1)!
    }

    /// The day before, wrapping Monday -> Sunday (needed for shifts that run past midnight).
    var previous: Weekday {
        Weekday(rawValue: rawValue == 1 ? 7 : rawValue - 1)!
    }

    public static func < (lhs: Weekday, rhs: Weekday) -> Bool { lhs.rawValue < rhs.rawValue }
}
