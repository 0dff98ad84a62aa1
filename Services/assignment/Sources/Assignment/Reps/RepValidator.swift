import Foundation
import Shared

/// The rules a rep must satisfy before it is stored, whatever door it came through (PUT, CSV import).
/// Pure: every problem is reported at once, each with its field path.
public enum RepValidator {
    public static let capacityRange = 0...10_000
    public static let seniorityRange = 1...5
    /// Minutes since local midnight; 1440 is the end of the day (a shift until 24:00).
    public static let minuteRange = 0...1440
    public static let maxTextLength = 200
    public static let maxListEntries = 200

    public static func validate(_ rep: Rep) -> [RepProblem] {
        var problems: [RepProblem] = []
        func fail(_ field: String, _ problem: String) {
            problems.append(RepProblem(field: field, problem: problem))
        }

        for (field, value) in [("id", rep.id), ("name", rep.name), ("teamId", rep.teamId)] {
            if value.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                fail(field, "required, must not be empty")
            } else if value.count > maxTextLength {
                fail(field, "at most \(maxTextLength) characters, got \(value.count)")
            }
        }
        if rep.id.contains("/") {
            fail("id", "must not contain '/' (it is part of the URL /v1/reps/{id})")
        }
        if let supervisor = rep.supervisorId {
            if supervisor.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                fail("supervisorId", "must not be blank; leave it out when the rep has no supervisor of their own")
            } else if supervisor == rep.id {
                fail("supervisorId", "a rep cannot be their own supervisor")
            }
        }
        for (field, list) in [("regions", rep.regions), ("productLines", rep.productLines),
                              ("industries", rep.industries), ("languages", rep.languages)] {
            if list.count > maxListEntries {
                fail(field, "at most \(maxListEntries) entries, got \(list.count)")
            }
            for (index, code) in list.enumerated() where code.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                fail("\(field)[\(index)]", "must not be empty")
            }
        }
        if !capacityRange.contains(rep.capacity) {
            fail("capacity", "must be between \(capacityRange.lowerBound) and \(capacityRange.upperBound), got \(rep.capacity)")
        }
        if !seniorityRange.contains(rep.seniority) {
            fail("seniority", "must be between \(seniorityRange.lowerBound) and \(seniorityRange.upperBound), got \(rep.seniority)")
        }
        if rep.timeZone.isEmpty || TimeZone(identifier: rep.timeZone) == nil {
            fail("timeZone", "unknown time zone \"\(rep.timeZone)\" (use an IANA identifier such as Asia/Shanghai)")
        }
        let hours = rep.workingHours
        if !minuteRange.contains(hours.startMinute) {
            fail("workingHours.startMinute", "must be between 0 and 1440 (minutes since local midnight), got \(hours.startMinute)")
        }
        if !minuteRange.contains(hours.endMinute) {
            fail("workingHours.endMinute", "must be between 0 and 1440 (minutes since local midnight), got \(hours.endMinute)")
        }
        if hours.weekdays.isEmpty {
            fail("workingHours.weekdays", "must name at least one day (set active to false to stop routing to the rep)")
        }
        for (index, period) in rep.onLeave.enumerated() where !(period.start < period.end) {
            fail("onLeave[\(index)].end", "must be after start (\(Timestamp.format(period.start))), got \(Timestamp.format(period.end))")
        }
        return problems
    }
}
