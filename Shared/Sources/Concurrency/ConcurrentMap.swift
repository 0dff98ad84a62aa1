import Foundation

extension Array where Element: Sendable {
    /// `map`, with the elements split into one contiguous slice per processor, transformed in
    /// parallel child tasks and put back in order. For CPU-bound work on a batch (validating,
    /// encoding hundreds of messages) that would otherwise leave the other cores idle while the
    /// database waits for it. Small arrays (below `minimumPerTask` per task) are mapped inline.
    public func concurrentMap<Transformed: Sendable>(
        minimumPerTask: Int = 64,
        _ transform: @escaping @Sendable (Element) throws -> Transformed
    ) async throws -> [Transformed] {
        let tasks = Self.concurrentTasks(count: count, minimumPerTask: minimumPerTask)
        guard tasks > 1 else { return try map(transform) }
        let size = (count + tasks - 1) / tasks
        return try await withThrowingTaskGroup(of: (Int, [Transformed]).self) { group in
            for start in Swift.stride(from: 0, to: count, by: size) {
                let slice = Array(self[start..<Swift.min(start + size, count)])
                group.addTask { (start, try slice.map(transform)) }
            }
            var parts: [Int: [Transformed]] = [:]
            for try await (start, part) in group { parts[start] = part }
            return parts.keys.sorted().flatMap { parts[$0]! }
        }
    }

    /// How many child tasks `concurrentMap` uses for `count` elements: one per processor, at most,
    /// and none (inline) below `minimumPerTask` per task. Asked for every batch, so it reads no file.
    static func concurrentTasks(count: Int, minimumPerTask: Int) -> Int {
        Swift.min(Processors.active, count / Swift.max(1, minimumPerTask))
    }
}
