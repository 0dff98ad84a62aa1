/// A sales team: reps belong to one team, and the team's supervisor receives escalations for
/// reps that have no supervisor of their own.
public struct Team: Codable, Sendable, Equatable, Hashable, Identifiable {
    public var id: String
    public var name: String
    public var supervisorId: String?

    public init(id: String, name: String, supervisorId: String? = nil) {
        self.id = id
        self.name = name
        self.supervisorId = supervisorId
    }
}
