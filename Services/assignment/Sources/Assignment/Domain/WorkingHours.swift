import Foundation

/// When a rep takes new leads, in the rep's own local time.
///
/// Minutes since local midnight keep the document free of time-zone arithmetic; the rep's
/// `timeZone` identifier turns an instant into local minutes only at routing time, so daylight
/// saving changes and travelling reps need no data migration.
public struct WorkingHours: Codable, Sendable, Equatable, Hashable {
    /// First minute of the shift (0 ..< 1440), inclusive.
    public var startMinute: Int
    /// End of the shift (0 ..< 1440), exclusive. Smaller than `startMinute` means the shift runs past
    /// midnight (e.g. 22:00-06:00); equal to it means the whole day.
    public var endMinute: Int
    /// Days on which a shift *starts*. An overnight shift starting Friday covers early Saturday too.
    public var weekdays: Set<Weekday>

    public init(startMinute: Int, endMinute: Int, weekdays: Set<Weekday>) {
        self.startMinute = startMinute
        self.endMinute = endMinute
        self.weekdays = weekdays
    }

    private enum CodingKeys: String, CodingKey { case startMinute, endMinute, weekdays }

    /// Weekdays are written Monday first, so the same hours always read (and diff) the same.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(startMinute, forKey: .startMinute)
        try container.encode(endMinute, forKey: .endMinute)
        try container.encode(weekdays.sorted { $0.rawValue < $1.rawValue }, forKey: .weekdays)
    }

    /// 09:00-18:00, Monday to Friday.
    public static let officeHours = WorkingHours(startMinute: 9 * 60, endMinute: 18 * 60, weekdays: Weekday.workdays)

    /// Every minute of every day (reps who take leads around the clock, e.g. an inbound desk).
    public static let always = WorkingHours(startMinute: 0, endMinute: 0, weekdays: Set(Weekday.allCases))

    /// Whether `instant` falls inside a shift, read on the wall clock of `timeZone`.
    public func contains(_ instant: Date, in timeZone: TimeZone) -> Bool {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let parts = calendar.dateComponents([.weekday, .hour, .minute], from: instant)
        guard let calendarWeekday = parts.weekday, let hour = parts.hour, let minute = parts.minute else {
            return false
        }
        let day = Weekday(calendarWeekday: calendarWeekday)
        let localMinute = hour * 60 + minute

        if startMinute == endMinute {
            return weekdays.contains(day)
        }
        if startMinute < endMinute {
            return weekdays.contains(day) && localMinute >= startMinute && localMinute < endMinute
        }
        // Overnight shift: the evening part belongs to today, the early-morning part to yesterday's shift.
        if localMinute >= startMinute { return weekdays.contains(day) }
        if localMinute < endMinute { return weekdays.contains(day.previous) }
        return false
    }
}
