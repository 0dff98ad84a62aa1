import CRdKafka
import Dispatch
import Logging

/// Topic administration and offset inspection: create and describe topics, watermarks and a
/// consumer group's lag. Calls block on the broker, so they run on Dispatch threads.
public final class KafkaAdmin: Sendable {
    private let handle: RdKafkaHandle
    private let config: KafkaClientConfig
    private let logger: Logger

    public struct TopicDescription: Sendable, Equatable {
        public var name: String
        public var partitions: Int
    }

    public struct PartitionLag: Sendable, Equatable {
        public var partition: TopicPartition
        /// The group's committed offset, nil when it never committed on this partition.
        public var committed: Int64?
        public var low: Int64
        public var high: Int64
        /// Messages the group has not committed past (from the start of the log if it never committed).
        /// Never negative: Tansu reports a batch's base offset + 1 as the high watermark, which can
        /// fall below a committed offset (docs/TANSU.md).
        public var lag: Int64 { max(0, high - max(committed ?? low, low)) }
    }

    public init(config: KafkaClientConfig, logger: Logger) throws(KafkaError) {
        try LibrdkafkaVersion.requireSupported()
        self.config = config
        self.logger = logger
        handle = try RdKafkaHandle(type: RD_KAFKA_PRODUCER, conf: try config.makeConf(defaults: [:], events: 0))
    }

    /// Creates the topics that do not exist yet; existing ones are left as they are.
    /// Returns the names that were created.
    @discardableResult
    public func createTopics(_ names: [String], partitions: Int, replicationFactor: Int = 1, timeout: Duration = .seconds(15)) async throws -> [String] {
        let existing = Set(try await describeTopics().map(\.name))
        let missing = names.filter { !existing.contains($0) }
        guard !missing.isEmpty else { return [] }
        let handle = self.handle
        let timeoutMilliseconds = Int32(timeout.components.seconds * 1000)
        try await BlockingCall.run { () throws -> Void in
            var errstr = [CChar](repeating: 0, count: 512)
            var newTopics: [OpaquePointer?] = []
            defer { for topic in newTopics { rd_kafka_NewTopic_destroy(topic) } }
            for name in missing {
                guard let topic = rd_kafka_NewTopic_new(name, Int32(partitions), Int32(replicationFactor), &errstr, errstr.count) else {
                    throw KafkaError.request(operation: "create topic \(name)", code: -1, reason: String(cString: errstr))
                }
                newTopics.append(topic)
            }
            let resultQueue = rd_kafka_queue_new(handle.pointer)!
            defer { rd_kafka_queue_destroy(resultQueue) }
            let options = rd_kafka_AdminOptions_new(handle.pointer, RD_KAFKA_ADMIN_OP_CREATETOPICS)
            defer { rd_kafka_AdminOptions_destroy(options) }
            _ = rd_kafka_AdminOptions_set_operation_timeout(options, timeoutMilliseconds, &errstr, errstr.count)
            newTopics.withUnsafeMutableBufferPointer { buffer in
                rd_kafka_CreateTopics(handle.pointer, buffer.baseAddress, buffer.count, options, resultQueue)
            }
            guard let event = rd_kafka_queue_poll(resultQueue, timeoutMilliseconds + 1000) else {
                throw KafkaError.request(operation: "create topics", code: -1, reason: "no answer from the broker in time")
            }
            defer { rd_kafka_event_destroy(event) }
            let code = rd_kafka_event_error(event)
            guard code == RD_KAFKA_RESP_ERR_NO_ERROR else {
                throw KafkaError.request(operation: "create topics", code: code.rawValue, reason: String(cString: rd_kafka_event_error_string(event)))
            }
            let result = rd_kafka_event_CreateTopics_result(event)
            var count = 0
            let results = rd_kafka_CreateTopics_result_topics(result, &count)
            for index in 0..<count {
                guard let topicResult = results?[index] else { continue }
                let topicCode = rd_kafka_topic_result_error(topicResult)
                if topicCode != RD_KAFKA_RESP_ERR_NO_ERROR && topicCode != RD_KAFKA_RESP_ERR_TOPIC_ALREADY_EXISTS {
                    let name = String(cString: rd_kafka_topic_result_name(topicResult))
                    let reason = rd_kafka_topic_result_error_string(topicResult).map { String(cString: $0) } ?? KafkaError.describe(topicCode)
                    throw KafkaError.request(operation: "create topic \(name)", code: topicCode.rawValue, reason: reason)
                }
            }
        }
        logger.info("topics created", metadata: ["topics": "\(missing)", "partitions": "\(partitions)"])
        return missing
    }

    /// All topics the broker knows, with their partition counts.
    public func describeTopics(timeout: Duration = .seconds(5)) async throws -> [TopicDescription] {
        let handle = self.handle
        let timeoutMilliseconds = Int32(timeout.components.seconds * 1000)
        return try await BlockingCall.run { () throws -> [TopicDescription] in
            var metadata: UnsafePointer<rd_kafka_metadata>?
            let code = rd_kafka_metadata(handle.pointer, 1, nil, &metadata, timeoutMilliseconds)
            guard code == RD_KAFKA_RESP_ERR_NO_ERROR, let metadata else {
                throw KafkaError.request(operation: "metadata", code: code.rawValue, reason: KafkaError.describe(code))
            }
            defer { rd_kafka_metadata_destroy(metadata) }
            return (0..<Int(metadata.pointee.topic_cnt)).compactMap { index in
                let topic = metadata.pointee.topics[index]
                guard topic.err == RD_KAFKA_RESP_ERR_NO_ERROR else { return nil }
                return TopicDescription(name: String(cString: topic.topic), partitions: Int(topic.partition_cnt))
            }.sorted { $0.name < $1.name }
        }
    }

    /// Low and high watermarks of one partition, asked of the broker.
    public func watermarks(of partition: TopicPartition, timeout: Duration = .seconds(5)) async throws -> (low: Int64, high: Int64) {
        let handle = self.handle
        let timeoutMilliseconds = Int32(timeout.components.seconds * 1000)
        return try await BlockingCall.run { () throws -> (low: Int64, high: Int64) in
            var low: Int64 = 0
            var high: Int64 = 0
            let code = rd_kafka_query_watermark_offsets(handle.pointer, partition.topic, partition.partition, &low, &high, timeoutMilliseconds)
            guard code == RD_KAFKA_RESP_ERR_NO_ERROR else {
                throw KafkaError.request(operation: "watermarks of \(partition)", code: code.rawValue, reason: KafkaError.describe(code))
            }
            return (low, high)
        }
    }

    /// The group's committed offsets and lag on every partition of `topics`; with `topics` nil, on
    /// every partition of the topics the group has committed on (a group that never read a topic
    /// has no lag on it, though its whole log is "uncommitted"). Reads the committed offsets with a
    /// consumer handle that never joins the group, so it does not disturb it.
    public func groupLag(group: String, topics: [String]?, timeout: Duration = .seconds(5)) async throws -> [PartitionLag] {
        let described = try await describeTopics(timeout: timeout).filter { topics?.contains($0.name) ?? true }
        let partitions = described.flatMap { topic in
            (0..<topic.partitions).map { TopicPartition(topic: topic.name, partition: Int32($0)) }
        }
        guard !partitions.isEmpty else { return [] }
        var inspectorConfig = config
        inspectorConfig.clientId = config.clientId + "-lag"
        let conf = try inspectorConfig.makeConf(defaults: ["group.id": group, "enable.auto.commit": "false"], events: 0)
        let inspector = try RdKafkaHandle(type: RD_KAFKA_CONSUMER, conf: conf)
        let timeoutMilliseconds = Int32(timeout.components.seconds * 1000)
        let committed = try await BlockingCall.run { () throws -> [TopicPartition: Int64] in
            let list = RdKafkaPartitionList(capacity: partitions.count)
            for partition in partitions { list.add(topic: partition.topic, partition: partition.partition) }
            let code = rd_kafka_committed(inspector.pointer, list.pointer, timeoutMilliseconds)
            guard code == RD_KAFKA_RESP_ERR_NO_ERROR else {
                throw KafkaError.request(operation: "committed offsets of \(group)", code: code.rawValue, reason: KafkaError.describe(code))
            }
            var offsets: [TopicPartition: Int64] = [:]
            for element in list.elements where element.offset >= 0 {
                offsets[TopicPartition(topic: String(cString: element.topic), partition: element.partition)] = element.offset
            }
            return offsets
        }
        let readTopics = Set(committed.keys.map(\.topic))
        var result: [PartitionLag] = []
        for partition in partitions where topics != nil || readTopics.contains(partition.topic) {
            let marks = try await watermarks(of: partition, timeout: timeout)
            result.append(PartitionLag(partition: partition, committed: committed[partition], low: marks.low, high: marks.high))
        }
        return result
    }
}
