/// A rep's current workload and track record, read from the assignment tables when a lead arrives.
///
/// Kept separate from `Rep` because it changes with every assignment and activity while the rep's
/// profile changes rarely; the handler computes it inside the same transaction that assigns.
public struct RepLoad: Codable, Sendable, Equatable, Hashable {
    public var openLeads: Int
    public var overdueTasks: Int
    /// Deals closed this week: a rep who just won is busy with contracts and onboarding.
    public var winsThisWeek: Int
    /// Leads assigned within the policy's fairness window (`fairness.windowDays`).
    public var recentAssignments: Int
    /// Leads assigned within the win-rate window (`winRate.windowDays`).
    public var assignedInWindow: Int
    /// Of those, how many converted.
    public var convertedInWindow: Int

    public init(
        openLeads: Int = 0,
        overdueTasks: Int = 0,
        winsThisWeek: Int = 0,
        recentAssignments: Int = 0,
        assignedInWindow: Int = 0,
        convertedInWindow: Int = 0
    ) {
        self.openLeads = openLeads
        self.overdueTasks = overdueTasks
        self.winsThisWeek = winsThisWeek
        self.recentAssignments = recentAssignments
        self.assignedInWindow = assignedInWindow
        self.convertedInWindow = convertedInWindow
    }

    /// A rep with nothing on their plate and no history (new hire).
    public static let idle = RepLoad()
}
