import PostgresNIO

extension PostgresClient {
    /// Adds the client's `run()` to `group` and returns once it has begun, so that what the caller
    /// leases next finds the client running. A lease made earlier waits for `run()` anyway, but
    /// postgres-nio logs `Trying to lease connection from PostgresClient, but PostgresClient.run()
    /// hasn't been called yet` for it: every service logged that warning at each start (its
    /// migrations came first), and every test client did too. The child resumes this call and then
    /// calls `run()` without suspending in between, and `run()` marks the client running before it
    /// suspends, while the caller must first be scheduled again. That narrows the race to a few
    /// instructions, not to nothing: postgres-nio has no way to ask whether `run()` has begun, and
    /// the system can still preempt the child right there. A full `.ci/run` logged the warning 3
    /// times, against 231 before; a quiet start does not log it (the test counts).
    public func startRunning<ChildResult: Sendable>(
        in group: inout ThrowingTaskGroup<ChildResult, any Error>, returning finished: ChildResult
    ) async {
        await withCheckedContinuation { (started: CheckedContinuation<Void, Never>) in
            group.addTask {
                started.resume()
                await self.run()
                return finished
            }
        }
    }

    /// `startRunning(in:returning:)` for a group of `Void` children.
    public func startRunning(in group: inout ThrowingTaskGroup<Void, any Error>) async {
        await startRunning(in: &group, returning: ())
    }
}
