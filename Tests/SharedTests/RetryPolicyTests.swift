import PostgresNIO
import Testing
@testable import Shared

@Suite("Retry policy")
struct RetryPolicyTests {
    @Test("backoff doubles and is capped")
    func backoff() {
        let policy = RetryPolicy(maxAttempts: 3, initialBackoff: .milliseconds(100), maximumBackoff: .seconds(1))
        #expect(policy.backoff(attempt: 1) == .milliseconds(100))
        #expect(policy.backoff(attempt: 2) == .milliseconds(200))
        #expect(policy.backoff(attempt: 4) == .milliseconds(800))
        #expect(policy.backoff(attempt: 5) == .seconds(1))
        #expect(policy.backoff(attempt: 500) == .seconds(1))
    }

    struct Poison: Error {}
    struct Outage: Transient {}

    @Test("outages are transient, bad data is not")
    func classification() {
        #expect(RetryPolicy.isTransient(KafkaError.delivery(topic: "t", code: -185, reason: "timed out")))
        #expect(RetryPolicy.isTransient(Outage()))
        #expect(!RetryPolicy.isTransient(Poison()))
        #expect(!RetryPolicy.isTransient(KafkaError.closed))
        #expect(!RetryPolicy.isTransient(DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: "bad"))))
    }
}
