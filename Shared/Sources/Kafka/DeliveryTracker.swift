import Synchronization

/// Matches delivery reports to the tasks awaiting them. A report may arrive before its sender starts
/// waiting (enqueue and await are separate steps so a batch can be enqueued in order first), so each
/// delivery is a small state machine: enqueued -> (waiting | delivered) -> resumed.
final class DeliveryTracker: Sendable {
    private enum Delivery {
        case enqueued
        case waiting(CheckedContinuation<DeliveryReport, any Error>)
        case delivered(Result<DeliveryReport, KafkaError>)
    }

    private struct State {
        var nextId: UInt = 1
        var deliveries: [UInt: Delivery] = [:]
        var closed = false
    }

    private let state = Mutex(State())

    var inFlight: Int { state.withLock { $0.deliveries.count } }

    /// Reserves an id for a message about to be enqueued.
    func register() throws(KafkaError) -> UInt {
        let id: UInt? = state.withLock { state in
            guard !state.closed else { return nil }
            let id = state.nextId
            state.nextId &+= 1
            if state.nextId == 0 { state.nextId = 1 }
            state.deliveries[id] = .enqueued
            return id
        }
        guard let id else { throw .closed }
        return id
    }

    /// Forgets an id whose message librdkafka refused to enqueue.
    func cancel(_ id: UInt) {
        _ = state.withLock { $0.deliveries.removeValue(forKey: id) }
    }

    /// Called from the poll thread with the outcome of one message.
    func complete(_ id: UInt, with result: Result<DeliveryReport, KafkaError>) {
        let continuation: CheckedContinuation<DeliveryReport, any Error>? = state.withLock { state in
            switch state.deliveries[id] {
            case .waiting(let continuation):
                state.deliveries[id] = nil
                return continuation
            case .enqueued:
                state.deliveries[id] = .delivered(result)
                return nil
            case .delivered, nil:
                return nil
            }
        }
        continuation?.resume(with: result.mapError { $0 as any Error })
    }

    func wait(for id: UInt) async throws -> DeliveryReport {
        try await withCheckedThrowingContinuation { continuation in
            let ready: Result<DeliveryReport, KafkaError>? = state.withLock { state in
                if case .delivered(let result) = state.deliveries[id] {
                    state.deliveries[id] = nil
                    return result
                }
                if state.closed && state.deliveries[id] != nil {
                    state.deliveries[id] = nil
                    return .failure(.closed)
                }
                state.deliveries[id] = .waiting(continuation)
                return nil
            }
            if let ready { continuation.resume(with: ready.mapError { $0 as any Error }) }
        }
    }

    /// Fails everything still pending; used when the producer closes.
    func close() {
        let waiting: [CheckedContinuation<DeliveryReport, any Error>] = state.withLock { state in
            state.closed = true
            var waiting: [CheckedContinuation<DeliveryReport, any Error>] = []
            for (id, delivery) in state.deliveries {
                switch delivery {
                case .waiting(let continuation):
                    waiting.append(continuation)
                    state.deliveries[id] = nil
                case .enqueued:
                    state.deliveries[id] = .delivered(.failure(.closed))
                case .delivered:
                    break
                }
            }
            return waiting
        }
        for continuation in waiting { continuation.resume(throwing: KafkaError.closed) }
    }
}
