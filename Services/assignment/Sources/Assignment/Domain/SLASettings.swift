/// Follow-up deadlines the assignment service enforces with durable timers.
public struct SLASettings: Encodable, Sendable, Equatable, Hashable {
    /// Minutes after assignment by which the rep must first contact the lead (breach -> escalation).
    public var firstContactMinutes: Int
    /// How long before the breach the rep is reminded; 0 sends no reminder.
    public var reminderMinutesBeforeBreach: Int
    /// Days without a follow-up after contact before the supervisor is alerted.
    public var followUpDays: Int
    /// Days without any activity before the lead returns to the public pool.
    public var returnToPoolDays: Int

    public init(
        firstContactMinutes: Int = 120,
        reminderMinutesBeforeBreach: Int? = nil,
        followUpDays: Int = 3,
        returnToPoolDays: Int = 30
    ) {
        self.firstContactMinutes = firstContactMinutes
        self.reminderMinutesBeforeBreach = reminderMinutesBeforeBreach
            ?? SLASettings.defaultReminder(firstContactMinutes: firstContactMinutes)
        self.followUpDays = followUpDays
        self.returnToPoolDays = returnToPoolDays
    }

    /// 30 minutes before the breach, or halfway when the whole SLA is shorter than an hour, so a
    /// document that only shortens `firstContactMinutes` stays valid.
    static func defaultReminder(firstContactMinutes: Int) -> Int {
        min(30, max(0, firstContactMinutes / 2))
    }
}
