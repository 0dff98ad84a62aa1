/// The window over which `RepLoad.recentAssignments` is counted for the fairness factor.
public struct FairnessSettings: Encodable, Sendable, Equatable, Hashable {
    public var windowDays: Int

    public init(windowDays: Int = 7) {
        self.windowDays = windowDays
    }
}
