import Foundation
import PostgresNIO

/// How a consumer retries: transient faults (database or broker unreachable) forever with capped
/// backoff; other failures a bounded number of times, then to the dead-letter topic.
public struct RetryPolicy: Sendable {
    public var maxAttempts: Int
    public var initialBackoff: Duration
    public var maximumBackoff: Duration

    public init(maxAttempts: Int = 3, initialBackoff: Duration = .milliseconds(200), maximumBackoff: Duration = .seconds(10)) {
        self.maxAttempts = maxAttempts
        self.initialBackoff = initialBackoff
        self.maximumBackoff = maximumBackoff
    }

    public func backoff(attempt: Int) -> Duration {
        Self.backoff(attempt: attempt, initial: initialBackoff, maximum: maximumBackoff)
    }

    /// Exponential: initial, 2x, 4x ... capped at `maximum`.
    public static func backoff(attempt: Int, initial: Duration, maximum: Duration) -> Duration {
        let factor = 1 << min(max(attempt - 1, 0), 20)
        return min(initial * factor, maximum)
    }

    /// Whether retrying the same work later can succeed without anyone changing it.
    public static func isTransient(_ error: any Error) -> Bool {
        switch error {
        case let error as PSQLError:
            switch error.code {
            case .connectionError, .serverClosedConnection, .clientClosedConnection, .poolClosed, .uncleanShutdown:
                return true
            case .server:
                // Class 08 (connection), 40 (serialization/deadlock), 53 (resources), 57 (operator
                // intervention: shutdown, restart).
                let state = error.serverInfo?[.sqlState] ?? ""
                return ["08", "40", "53", "57"].contains(String(state.prefix(2)))
            default:
                return false
            }
        case let error as PostgresTransactionError:
            return [error.beginError, error.closureError, error.commitError, error.rollbackError]
                .compactMap { $0 }.contains(where: isTransient)
        case let error as KafkaError:
            switch error {
            case .delivery, .enqueue, .request: return true
            default: return false
            }
        case is any Transient:
            return true
        default:
            return false
        }
    }
}

/// Marks an error type as transient: retried without limit, never dead-lettered.
public protocol Transient: Error {}
