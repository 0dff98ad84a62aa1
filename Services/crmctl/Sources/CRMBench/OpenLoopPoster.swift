import Foundation
import Shared
import Synchronization

/// Posts submissions to the intake topic on a fixed schedule, whatever the system does with them
/// (an open loop: a slow pipeline does not slow the arrivals down, as real lead sources do not
/// wait). Each message's timestamp (CreateTime) is the moment it was handed to the producer, so
/// the broker timestamps of the intake message and of its LeadAssigned event give the latency.
public struct OpenLoopPoster: Sendable {
    public let producer: KafkaProducer
    public let topic: String

    public init(producer: KafkaProducer, topic: String = Topics.leadIntake) {
        self.producer = producer
        self.topic = topic
    }

    /// What was posted: when, and where it landed.
    public struct Log: Sendable {
        /// submissionId -> the message timestamp (Unix ms).
        public var postedAt: [String: Int64] = [:]
        /// Per partition, one past the highest acknowledged offset.
        public var ends: [Int32: Int64] = [:]
        public var firstMilliseconds: Int64 = 0
        public var lastMilliseconds: Int64 = 0
        /// How far the poster fell behind its schedule at worst (ms): arrivals were not as open as asked.
        public var maxLatenessMilliseconds: Int64 = 0
        public var count: Int { postedAt.count }

        public init() {}

        public mutating func merge(_ other: Log) {
            postedAt.merge(other.postedAt) { first, _ in first }
            ends.merge(other.ends, uniquingKeysWith: max)
            firstMilliseconds = firstMilliseconds == 0 ? other.firstMilliseconds : min(firstMilliseconds, other.firstMilliseconds)
            lastMilliseconds = max(lastMilliseconds, other.lastMilliseconds)
            maxLatenessMilliseconds = max(maxLatenessMilliseconds, other.maxLatenessMilliseconds)
        }
    }

    /// Posts `submissions` at `rate` per second (nil: as fast as the producer takes them) and
    /// returns once every message is acknowledged. `progress` is called with the number handed over,
    /// `acknowledged` with one past the highest offset per partition of each chunk the broker
    /// acknowledged, as it happens (lag while posting is measured against these).
    public func post(
        _ submissions: ArraySlice<LeadGenerator.Submission>, rate: Double?,
        progress: (@Sendable (Int) -> Void)? = nil,
        acknowledged: (@Sendable ([Int32: Int64]) -> Void)? = nil
    ) async throws -> Log {
        let log = Mutex(Log())
        let submissions = Array(submissions)
        let start = ContinuousClock.now
        log.withLock { $0.firstMilliseconds = KafkaTimestamp.now() }
        try await withThrowingTaskGroup(of: Void.self) { group in
            var sent = 0
            while sent < submissions.count {
                let due: Int
                if let rate {
                    let elapsed = Self.seconds(ContinuousClock.now - start)
                    due = min(submissions.count, Int(elapsed * rate) + 1)
                    if due <= sent {
                        // Sleep until the next message is due (the clock's resolution is ~1 ms).
                        let next = Double(sent) / rate
                        try await Task.sleep(for: .microseconds(max(200, Int((next - elapsed) * 1_000_000))))
                        continue
                    }
                    let lateness = Int64((elapsed - Double(sent) / rate) * 1000)
                    log.withLock { $0.maxLatenessMilliseconds = max($0.maxLatenessMilliseconds, lateness) }
                } else {
                    due = min(submissions.count, sent + 1000)
                }
                let stamp = KafkaTimestamp.now()
                let chunk = submissions[sent..<due]
                let records = chunk.map {
                    ProducerRecord(topic: topic, key: Array($0.submissionId.utf8), value: $0.value, timestampMilliseconds: stamp)
                }
                log.withLock { log in
                    for submission in chunk { log.postedAt[submission.submissionId] = stamp }
                    log.lastMilliseconds = stamp
                }
                sent = due
                progress?(sent)
                let producer = self.producer
                let send: @Sendable () async throws -> Void = {
                    let reports = try await producer.send(records)
                    var ends: [Int32: Int64] = [:]
                    for report in reports { ends[report.partition] = max(ends[report.partition] ?? 0, report.offset + 1) }
                    log.withLock { $0.ends.merge(ends, uniquingKeysWith: max) }
                    acknowledged?(ends)
                }
                if rate == nil {
                    // At full speed, wait for each chunk: librdkafka's queue is the only buffer.
                    try await send()
                } else {
                    group.addTask(operation: send)
                }
            }
            try await group.waitForAll()
        }
        return log.withLock { $0 }
    }

    static func seconds(_ duration: Duration) -> Double {
        let parts = duration.components
        return Double(parts.seconds) + Double(parts.attoseconds) / 1e18
    }
}
