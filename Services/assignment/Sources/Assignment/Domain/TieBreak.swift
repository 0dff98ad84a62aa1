/// How equal totals were resolved: round-robin over the tied reps ordered by rep id.
///
/// The cursor is a counter persisted in Postgres; `tiedRepIds[cursor mod count]` wins and the
/// counter advances by one, so repeated ties rotate through the reps, across restarts and instances.
public struct TieBreak: Codable, Sendable, Equatable, Hashable {
    /// Reps whose totals were within `LeadRouter.tieTolerance` of the best, sorted by id.
    public var tiedRepIds: [String]
    /// The cursor value that was read.
    public var cursor: Int
    /// Index into `tiedRepIds` of the chosen rep.
    public var chosenIndex: Int

    public init(tiedRepIds: [String], cursor: Int, chosenIndex: Int) {
        self.tiedRepIds = tiedRepIds
        self.cursor = cursor
        self.chosenIndex = chosenIndex
    }
}
