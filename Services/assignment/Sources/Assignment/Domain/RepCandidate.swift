/// One rep offered to the router together with their current load.
public struct RepCandidate: Sendable, Equatable, Hashable {
    public var rep: Rep
    public var load: RepLoad

    public init(rep: Rep, load: RepLoad = .idle) {
        self.rep = rep
        self.load = load
    }
}
