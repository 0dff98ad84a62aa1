import Foundation

/// A stretch of time a rep is away (holiday, sick leave, training).
///
/// Stored as instants, half-open `[start, end)`: the admin route or CSV import turns "2026-11-23 to
/// 2026-11-25" into the rep's local midnights once, so routing never guesses which zone a date meant.
public struct LeavePeriod: Codable, Sendable, Equatable, Hashable {
    public var start: Date
    public var end: Date

    public init(start: Date, end: Date) {
        self.start = start
        self.end = end
    }

    public func contains(_ instant: Date) -> Bool {
        instant >= start && instant < end
    }
}
