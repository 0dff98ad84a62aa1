import CRdKafka
import Foundation

/// A consumed message, copied out of librdkafka's memory.
public struct KafkaMessage: Sendable {
    public var topic: String
    public var partition: Int32
    public var offset: Int64
    public var key: [UInt8]?
    public var value: [UInt8]
    public var headers: [KafkaHeader]
    /// The broker's (or producer's) timestamp in milliseconds since the epoch, when present.
    public var timestampMilliseconds: Int64?

    public init(
        topic: String, partition: Int32, offset: Int64, key: [UInt8]?, value: [UInt8],
        headers: [KafkaHeader] = [], timestampMilliseconds: Int64? = nil
    ) {
        self.topic = topic
        self.partition = partition
        self.offset = offset
        self.key = key
        self.value = value
        self.headers = headers
        self.timestampMilliseconds = timestampMilliseconds
    }

    public var keyText: String? { key.flatMap { String(validating: $0, as: UTF8.self) } }
    public var valueText: String? { String(validating: value, as: UTF8.self) }
    public var topicPartition: TopicPartition { TopicPartition(topic: topic, partition: partition) }

    /// Copies a librdkafka message (payload, key, headers) into a Swift value.
    init(copying message: UnsafePointer<rd_kafka_message_t>) {
        let raw = message.pointee
        topic = raw.rkt.map { String(cString: rd_kafka_topic_name($0)) } ?? ""
        partition = raw.partition
        offset = raw.offset
        key = raw.key.map { Array(UnsafeRawBufferPointer(start: $0, count: raw.key_len)) }
        value = raw.payload.map { Array(UnsafeRawBufferPointer(start: $0, count: raw.len)) } ?? []
        var timestampType = RD_KAFKA_TIMESTAMP_NOT_AVAILABLE
        let timestamp = rd_kafka_message_timestamp(message, &timestampType)
        timestampMilliseconds = timestampType == RD_KAFKA_TIMESTAMP_NOT_AVAILABLE ? nil : timestamp
        headers = []
        var cHeaders: OpaquePointer?
        if rd_kafka_message_headers(message, &cHeaders) == RD_KAFKA_RESP_ERR_NO_ERROR, let cHeaders {
            var index = 0
            var name: UnsafePointer<CChar>?
            var valuePointer: UnsafeRawPointer?
            var size = 0
            while rd_kafka_header_get_all(cHeaders, index, &name, &valuePointer, &size) == RD_KAFKA_RESP_ERR_NO_ERROR {
                let bytes = valuePointer.map { Array(UnsafeRawBufferPointer(start: $0, count: size)) } ?? []
                headers.append(KafkaHeader(key: name.map { String(cString: $0) } ?? "", value: bytes))
                index += 1
            }
        }
    }
}
