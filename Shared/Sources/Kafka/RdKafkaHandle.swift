import CRdKafka

/// Owns one `rd_kafka_t` and frees it exactly once. Internal: public types wrap it.
final class RdKafkaHandle: @unchecked Sendable {
    // The pointer is immutable after init and librdkafka's handle is thread-safe.
    let pointer: OpaquePointer

    /// Takes ownership of `conf` (librdkafka frees it on success; we free it on failure).
    init(type: rd_kafka_type_t, conf: OpaquePointer) throws(KafkaError) {
        var errstr = [CChar](repeating: 0, count: 512)
        guard let handle = rd_kafka_new(type, conf, &errstr, errstr.count) else {
            rd_kafka_conf_destroy(conf)
            throw .clientCreation(String(cString: errstr))
        }
        pointer = handle
    }

    deinit {
        rd_kafka_destroy(pointer)
    }
}

/// Owns an `rd_kafka_queue_t` obtained from a handle.
final class RdKafkaQueue: @unchecked Sendable {
    let pointer: OpaquePointer
    // Keeps the handle alive for as long as the queue exists: the queue must be destroyed first.
    private let handle: RdKafkaHandle

    init(pointer: OpaquePointer, handle: RdKafkaHandle) {
        self.pointer = pointer
        self.handle = handle
    }

    deinit {
        rd_kafka_queue_destroy(pointer)
    }
}

/// Owns an `rd_kafka_topic_partition_list_t`.
final class RdKafkaPartitionList {
    let pointer: UnsafeMutablePointer<rd_kafka_topic_partition_list_t>

    init(capacity: Int) {
        pointer = rd_kafka_topic_partition_list_new(Int32(max(capacity, 1)))
    }

    func add(topic: String, partition: Int32, offset: Int64? = nil) {
        let element = rd_kafka_topic_partition_list_add(pointer, topic, partition)!
        if let offset { element.pointee.offset = offset }
    }

    var elements: [rd_kafka_topic_partition_t] {
        (0..<Int(pointer.pointee.cnt)).map { pointer.pointee.elems[$0] }
    }

    deinit {
        rd_kafka_topic_partition_list_destroy(pointer)
    }
}

extension rd_kafka_topic_partition_list_t {
    /// Copies a C list into Swift values without taking ownership.
    static func partitions(of list: UnsafeMutablePointer<rd_kafka_topic_partition_list_t>?) -> [TopicPartition] {
        guard let list else { return [] }
        return (0..<Int(list.pointee.cnt)).map {
            let element = list.pointee.elems[$0]
            return TopicPartition(topic: String(cString: element.topic), partition: element.partition)
        }
    }
}
