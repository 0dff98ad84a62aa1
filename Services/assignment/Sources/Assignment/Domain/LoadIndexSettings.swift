/// How open leads, overdue tasks and this week's wins add up to a rep's load.
///
/// loadIndex = clamp(1 - openLeads / capacity - overdueTaskPenalty * overdueTasks
///                     - weeklyWinPenalty * winsThisWeek, 0, 1)
/// Overdue tasks signal a rep already falling behind; fresh wins mean contract and onboarding work.
public struct LoadIndexSettings: Encodable, Sendable, Equatable, Hashable {
    public var overdueTaskPenalty: Double
    public var weeklyWinPenalty: Double

    public init(overdueTaskPenalty: Double = 0.05, weeklyWinPenalty: Double = 0.02) {
        self.overdueTaskPenalty = overdueTaskPenalty
        self.weeklyWinPenalty = weeklyWinPenalty
    }
}
