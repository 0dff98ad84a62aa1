import Dispatch

/// Runs a blocking C call on a Dispatch thread so it never occupies Swift's cooperative pool.
enum BlockingCall {
    static func run<T: Sendable>(on queue: DispatchQueue = .global(), _ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            queue.async {
                continuation.resume(with: Result { try body() })
            }
        }
    }

    static func run<T: Sendable>(on queue: DispatchQueue = .global(), _ body: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            queue.async { continuation.resume(returning: body()) }
        }
    }
}
