import CRdKafka
import Dispatch
import Foundation
import Logging
import Synchronization

/// A group consumer with manual offset storage.
///
/// Offsets are never stored automatically (`enable.auto.offset.store=false`): the caller stores a
/// message's offset with `storeOffsets(for:)` only after its effects committed, and librdkafka's
/// periodic auto-commit (and `close()`) commit what was stored. Everything librdkafka reports
/// (messages, rebalances, errors, commit results) arrives as events on the consumer queue and is
/// handled on one serial Dispatch queue, never on librdkafka's threads or the cooperative pool.
public final class KafkaConsumer: Sendable {
    private let handle: RdKafkaHandle
    private let queue: RdKafkaQueue
    private let worker: DispatchQueue
    private let logger: Logger
    private let state = Mutex(State())

    private struct State {
        var assignment: Set<TopicPartition> = []
        var closed = false
        var rebalances = 0
        /// About 50 fetches (half a second at `fetch.wait.max.ms=10`) for a skipped batch to appear.
        var continuity = OffsetContinuity(maxRereads: 50)
    }

    public let groupId: String
    public let topics: [String]

    public init(
        config: KafkaClientConfig, groupId: String, topics: [String], logger: Logger
    ) throws(KafkaError) {
        try LibrdkafkaVersion.requireSupported()
        let conf = try config.makeConf(
            defaults: [
                "group.id": groupId,
                "enable.auto.commit": "true",
                "auto.commit.interval.ms": "1000",
                "enable.auto.offset.store": "false",
                "auto.offset.reset": "earliest",
                // Tansu needs a short session timeout or the first join takes ~23 s.
                "session.timeout.ms": "6000",
                "heartbeat.interval.ms": "1000",
                "enable.partition.eof": "false",
                // librdkafka waits up to 500 ms for a fetch to fill; Tansu answers a fetch only when
                // that wait ends, so every hop would cost up to half a second (docs/TANSU.md).
                "fetch.wait.max.ms": "10",
                "topic.metadata.refresh.interval.ms": "10000",
            ],
            events: RD_KAFKA_EVENT_REBALANCE | RD_KAFKA_EVENT_OFFSET_COMMIT | RD_KAFKA_EVENT_ERROR
        )
        let handle = try RdKafkaHandle(type: RD_KAFKA_CONSUMER, conf: conf)
        // One queue for everything: messages, rebalances, errors and commit results.
        rd_kafka_poll_set_consumer(handle.pointer)
        self.handle = handle
        self.queue = RdKafkaQueue(pointer: rd_kafka_queue_get_consumer(handle.pointer), handle: handle)
        self.worker = DispatchQueue(label: "kafka-consumer-\(groupId)")
        self.logger = logger
        self.groupId = groupId
        self.topics = topics

        let list = RdKafkaPartitionList(capacity: topics.count)
        for topic in topics { list.add(topic: topic, partition: RD_KAFKA_PARTITION_UA) }
        let code = rd_kafka_subscribe(handle.pointer, list.pointer)
        guard code == RD_KAFKA_RESP_ERR_NO_ERROR else {
            throw .request(operation: "subscribe to \(topics)", code: code.rawValue, reason: KafkaError.describe(code))
        }
    }

    /// Waits up to `timeout` for messages and returns at most `maxMessages` (empty when none came).
    /// Once one message arrived, it returns what is ready without waiting further.
    public func poll(maxMessages: Int, timeout: Duration = .milliseconds(200)) async throws -> [KafkaMessage] {
        let timeoutMilliseconds = Int(timeout.components.seconds * 1000 + timeout.components.attoseconds / 1_000_000_000_000_000)
        return try await BlockingCall.run(on: worker) { [self] in
            try pollBlocking(maxMessages: maxMessages, timeoutMilliseconds: timeoutMilliseconds)
        }
    }

    /// Batches of messages as an async sequence; it ends when the consumer is closed or the task is
    /// cancelled (for example by a graceful shutdown).
    public func batches(maxMessages: Int = 500, pollTimeout: Duration = .milliseconds(200)) -> KafkaBatches {
        KafkaBatches(consumer: self, maxMessages: maxMessages, pollTimeout: pollTimeout)
    }

    /// Stores, for each partition, the offset after the highest message given: the next commit
    /// makes them durable. Partitions no longer assigned (revoked in a rebalance) are skipped: the
    /// new owner re-reads those messages and the inbox makes the effect happen once.
    @discardableResult
    public func storeOffsets(for messages: [KafkaMessage]) -> [TopicPartition] {
        var next: [TopicPartition: Int64] = [:]
        for message in messages {
            next[message.topicPartition] = max(next[message.topicPartition] ?? 0, message.offset + 1)
        }
        guard !next.isEmpty else { return [] }
        let list = RdKafkaPartitionList(capacity: next.count)
        for (partition, offset) in next { list.add(topic: partition.topic, partition: partition.partition, offset: offset) }
        _ = rd_kafka_offsets_store(handle.pointer, list.pointer)
        var skipped: [TopicPartition] = []
        for element in list.elements where element.err != RD_KAFKA_RESP_ERR_NO_ERROR {
            skipped.append(TopicPartition(topic: String(cString: element.topic), partition: element.partition))
        }
        if !skipped.isEmpty {
            logger.info("offsets not stored for partitions no longer assigned", metadata: ["partitions": "\(skipped)"])
        }
        return skipped
    }

    /// Commits stored offsets now and waits for the broker's answer.
    public func commit() async throws {
        let handle = self.handle
        let code = await BlockingCall.run(on: worker) { rd_kafka_commit(handle.pointer, nil, 0) }
        guard code == RD_KAFKA_RESP_ERR_NO_ERROR || code == RD_KAFKA_RESP_ERR__NO_OFFSET else {
            throw KafkaError.request(operation: "commit", code: code.rawValue, reason: KafkaError.describe(code))
        }
    }

    /// The partitions currently assigned to this member.
    public var assignment: Set<TopicPartition> { state.withLock { $0.assignment } }

    /// How many rebalances (assign or revoke) this member went through.
    public var rebalanceCount: Int { state.withLock { $0.rebalances } }

    /// Messages behind the end of each assigned partition, from librdkafka's cached watermarks
    /// (no broker round trip). Partitions with no known position yet are left out.
    public func lag() -> [TopicPartition: Int64] {
        var listPointer: UnsafeMutablePointer<rd_kafka_topic_partition_list_t>?
        guard rd_kafka_assignment(handle.pointer, &listPointer) == RD_KAFKA_RESP_ERR_NO_ERROR, let listPointer else { return [:] }
        defer { rd_kafka_topic_partition_list_destroy(listPointer) }
        _ = rd_kafka_position(handle.pointer, listPointer)
        var result: [TopicPartition: Int64] = [:]
        for index in 0..<Int(listPointer.pointee.cnt) {
            let element = listPointer.pointee.elems[index]
            var low: Int64 = -1
            var high: Int64 = -1
            guard rd_kafka_get_watermark_offsets(handle.pointer, element.topic, element.partition, &low, &high) == RD_KAFKA_RESP_ERR_NO_ERROR,
                  high >= 0, element.offset >= 0 else { continue }
            result[TopicPartition(topic: String(cString: element.topic), partition: element.partition)] = max(0, high - element.offset)
        }
        return result
    }

    /// Commits stored offsets, leaves the group (handing partitions over at once instead of after a
    /// session timeout) and frees the client. Messages fetched but not handled are not committed.
    /// Idempotent; bounded by `timeout`.
    public func close(timeout: Duration = .seconds(8)) async {
        let alreadyClosed = state.withLock { state in
            defer { state.closed = true }
            return state.closed
        }
        guard !alreadyClosed else { return }
        let deadline = ContinuousClock.now + timeout
        await BlockingCall.run(on: worker) { [self] in closeBlocking(deadline: deadline) }
    }

    // MARK: - Event handling (on `worker` only)

    private func pollBlocking(maxMessages: Int, timeoutMilliseconds: Int) throws -> [KafkaMessage] {
        guard !state.withLock({ $0.closed }) else { throw KafkaError.closed }
        var messages: [KafkaMessage] = []
        // Partitions sent back to a skipped offset: their later messages of this poll are dropped.
        var rereading: Set<TopicPartition> = []
        let deadline = ContinuousClock.now + .milliseconds(timeoutMilliseconds)
        while messages.count < maxMessages {
            let remaining = messages.isEmpty ? max(0, Self.milliseconds(until: deadline)) : 0
            guard let event = rd_kafka_queue_poll(queue.pointer, Int32(remaining)) else {
                if messages.isEmpty && remaining > 0 { continue }
                break
            }
            defer { rd_kafka_event_destroy(event) }
            handle(event: event, into: &messages, rereading: &rereading)
        }
        return messages
    }

    private func handle(event: OpaquePointer, into messages: inout [KafkaMessage], rereading: inout Set<TopicPartition>) {
        switch rd_kafka_event_type(event) {
        case RD_KAFKA_EVENT_FETCH:
            while let message = rd_kafka_event_message_next(event) {
                guard message.pointee.err == RD_KAFKA_RESP_ERR_NO_ERROR else {
                    logger.warning("kafka consumer message error", metadata: ["error": "\(KafkaError.describe(message.pointee.err))"])
                    continue
                }
                let received = KafkaMessage(copying: message)
                let partition = received.topicPartition
                guard !rereading.contains(partition) else { continue }
                switch state.withLock({ $0.continuity.check(partition, offset: received.offset) }) {
                case .next:
                    messages.append(received)
                case .gap(let expected):
                    rereading.insert(partition)
                    logger.info("offsets skipped by the broker, reading again", metadata: [
                        "partition": "\(partition)", "expected": "\(expected)", "received": "\(received.offset)"])
                    seek(partition, to: expected)
                case .acceptedGap(let expected):
                    logger.error("offsets missing after reading again; going on without them", metadata: [
                        "partition": "\(partition)", "missing": "\(expected)..<\(received.offset)"])
                    messages.append(received)
                }
            }
        case RD_KAFKA_EVENT_REBALANCE:
            rebalance(event: event)
        case RD_KAFKA_EVENT_OFFSET_COMMIT:
            let code = rd_kafka_event_error(event)
            if code != RD_KAFKA_RESP_ERR_NO_ERROR && code != RD_KAFKA_RESP_ERR__NO_OFFSET {
                logger.warning("kafka offset commit failed", metadata: ["error": "\(KafkaError.describe(code))"])
            }
        case RD_KAFKA_EVENT_ERROR:
            let reason = String(cString: rd_kafka_event_error_string(event))
            if rd_kafka_event_error_is_fatal(event) != 0 {
                logger.critical("kafka consumer fatal error", metadata: ["error": "\(reason)"])
            } else {
                logger.warning("kafka consumer error", metadata: ["error": "\(reason)"])
            }
        default:
            break
        }
    }

    private func rebalance(event: OpaquePointer) {
        let code = rd_kafka_event_error(event)
        let list = rd_kafka_event_topic_partition_list(event)
        let partitions = rd_kafka_topic_partition_list_t.partitions(of: list)
        let cooperative = String(cString: rd_kafka_rebalance_protocol(handle.pointer)) == "COOPERATIVE"
        if code == RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS {
            if cooperative {
                if let error = rd_kafka_incremental_assign(handle.pointer, list) { rd_kafka_error_destroy(error) }
            } else {
                _ = rd_kafka_assign(handle.pointer, list)
            }
            state.withLock { state in
                state.assignment.formUnion(partitions)
                state.rebalances += 1
                state.continuity.forget(partitions)
            }
            logger.info("partitions assigned", metadata: ["group": "\(groupId)", "partitions": "\(partitions)"])
        } else {
            // Commit what was stored before the partitions move, so the next owner starts after them.
            let commitCode = rd_kafka_commit(handle.pointer, nil, 0)
            if commitCode != RD_KAFKA_RESP_ERR_NO_ERROR && commitCode != RD_KAFKA_RESP_ERR__NO_OFFSET {
                logger.warning("commit before revoke failed", metadata: ["error": "\(KafkaError.describe(commitCode))"])
            }
            if cooperative {
                if let error = rd_kafka_incremental_unassign(handle.pointer, list) { rd_kafka_error_destroy(error) }
            } else {
                _ = rd_kafka_assign(handle.pointer, nil)
            }
            state.withLock { state in
                if cooperative { state.assignment.subtract(partitions) } else { state.assignment = [] }
                state.rebalances += 1
                state.continuity.forget(partitions)
            }
            logger.info("partitions revoked", metadata: ["group": "\(groupId)", "partitions": "\(partitions)"])
        }
    }

    private func closeBlocking(deadline: ContinuousClock.Instant) {
        let commitCode = rd_kafka_commit(handle.pointer, nil, 0)
        if commitCode != RD_KAFKA_RESP_ERR_NO_ERROR && commitCode != RD_KAFKA_RESP_ERR__NO_OFFSET {
            logger.warning("final commit failed", metadata: ["error": "\(KafkaError.describe(commitCode))"])
        }
        if let error = rd_kafka_consumer_close_queue(handle.pointer, queue.pointer) {
            logger.warning("consumer close failed", metadata: ["error": "\(String(cString: rd_kafka_error_string(error)))"])
            rd_kafka_error_destroy(error)
            return
        }
        // Serve the queue (the final revoke arrives here) until librdkafka says the close is done.
        var discarded: [KafkaMessage] = []
        var rereading: Set<TopicPartition> = []
        while rd_kafka_consumer_closed(handle.pointer) == 0 && ContinuousClock.now < deadline {
            guard let event = rd_kafka_queue_poll(queue.pointer, 100) else { continue }
            handle(event: event, into: &discarded, rereading: &rereading)
            rd_kafka_event_destroy(event)
        }
        state.withLock { $0.assignment = [] }
    }

    /// Asynchronous (timeout 0): librdkafka drops what it prefetched for the partition and fetches
    /// again from `offset`.
    private func seek(_ partition: TopicPartition, to offset: Int64) {
        let list = RdKafkaPartitionList(capacity: 1)
        list.add(topic: partition.topic, partition: partition.partition, offset: offset)
        if let error = rd_kafka_seek_partitions(handle.pointer, list.pointer, 0) {
            logger.warning("seek failed", metadata: ["partition": "\(partition)", "error": "\(String(cString: rd_kafka_error_string(error)))"])
            rd_kafka_error_destroy(error)
        }
    }

    private static func milliseconds(until deadline: ContinuousClock.Instant) -> Int {
        let components = (deadline - ContinuousClock.now).components
        return Int(components.seconds * 1000 + components.attoseconds / 1_000_000_000_000_000)
    }
}
