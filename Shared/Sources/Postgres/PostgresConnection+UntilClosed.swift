import Synchronization
import PostgresNIO

extension PostgresConnection {
    /// Runs `work` on this connection and returns its result, or throws `ConnectionLost` as soon as
    /// the connection is seen closed while `work` still waits.
    ///
    /// postgres-nio (1.33) never answers a statement written to a channel that has already closed:
    /// the write fails with nobody told and the query's promise stays pending. A restart of Postgres
    /// between two statements of a unit of work left consumers waiting on such a statement for good
    /// (`make test-faults`, postgres-restart). `work` therefore runs in a task of its own that this
    /// call can leave behind: a dropped statement then holds only that task, not the caller, and the
    /// caller's lease (a closed connection the pool discards) is given back.
    func untilClosed<Result: Sendable>(
        checkEvery interval: Duration = .milliseconds(100),
        _ work: @escaping @Sendable () async throws -> Result
    ) async throws -> Result {
        let outcome = FirstOutcome<Result>()
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                outcome.start(continuation, work: Task {
                    do { outcome.finish(.success(try await work())) } catch { outcome.finish(.failure(error)) }
                }, watchdog: Task { [self] in
                    while !Task.isCancelled {
                        try? await Task.sleep(for: interval)
                        if isClosed { outcome.finish(.failure(ConnectionLost())) }
                    }
                })
            }
        } onCancel: {
            outcome.cancel()
        }
    }
}

/// Whichever of the work and the watchdog ends first resumes the caller, once; the other is
/// cancelled. Cancelling the caller cancels the work only: the caller is resumed when the work
/// ends, so a live connection is never given back to the pool with a statement in flight, and the
/// watchdog still frees it if the connection closes meanwhile.
private final class FirstOutcome<Result: Sendable>: Sendable {
    private struct State {
        var continuation: CheckedContinuation<Result, any Error>?
        var pending: Swift.Result<Result, any Error>?
        var work: Task<Void, Never>?
        var watchdog: Task<Void, Never>?
        var cancelled = false
    }
    private let state = Mutex(State())

    func start(_ continuation: CheckedContinuation<Result, any Error>, work: Task<Void, Never>, watchdog: Task<Void, Never>) {
        let (early, cancelled) = state.withLock { state -> (Swift.Result<Result, any Error>?, Bool) in
            state.work = work
            state.watchdog = watchdog
            if let pending = state.pending { return (pending, state.cancelled) }
            state.continuation = continuation
            return (nil, state.cancelled)
        }
        if cancelled { work.cancel() }
        if let early {
            watchdog.cancel()
            work.cancel()
            continuation.resume(with: early)
        }
    }

    func finish(_ result: Swift.Result<Result, any Error>) {
        let (continuation, tasks) = state.withLock { state -> (CheckedContinuation<Result, any Error>?, [Task<Void, Never>]) in
            guard state.pending == nil else { return (nil, []) }
            state.pending = result
            defer { state.continuation = nil }
            return (state.continuation, [state.work, state.watchdog].compactMap { $0 })
        }
        // The work may still be waiting on a dropped statement: cancelling it is all that can be done.
        tasks.forEach { $0.cancel() }
        continuation?.resume(with: result)
    }

    func cancel() {
        let work = state.withLock { state in
            state.cancelled = true
            return state.work
        }
        work?.cancel()
    }
}
