import CRdKafka
import Logging

/// A Kafka producer whose `send` returns once the broker acknowledged the message.
///
/// Idempotence is on (acks=all, ordered retries), so messages enqueued in order to one partition are
/// stored in that order. Delivery reports come back as events on librdkafka's main queue, drained
/// by a poll thread.
public final class KafkaProducer: Sendable {
    private let handle: RdKafkaHandle
    private let queue: RdKafkaQueue
    private let tracker = DeliveryTracker()
    private let loop: PollLoop
    private let logger: Logger

    public init(config: KafkaClientConfig, logger: Logger) throws(KafkaError) {
        try LibrdkafkaVersion.requireSupported()
        let conf = try config.makeConf(
            defaults: [
                "enable.idempotence": "true",
                "acks": "all",
                "linger.ms": "2",
                "message.timeout.ms": "60000",
                "socket.keepalive.enable": "true",
            ],
            events: RD_KAFKA_EVENT_DR | RD_KAFKA_EVENT_ERROR
        )
        let handle = try RdKafkaHandle(type: RD_KAFKA_PRODUCER, conf: conf)
        let queue = RdKafkaQueue(pointer: rd_kafka_queue_get_main(handle.pointer), handle: handle)
        self.handle = handle
        self.queue = queue
        self.logger = logger
        loop = PollLoop(name: "kafka-producer-\(config.clientId)") { [tracker, logger] timeout in
            Self.poll(queue: queue, tracker: tracker, logger: logger, timeout: timeout)
        }
    }

    deinit {
        tracker.close()
    }

    /// Sends one message and returns after the broker acknowledged it.
    @discardableResult
    public func send(_ record: ProducerRecord) async throws -> DeliveryReport {
        let id = try await enqueue(record)
        return try await tracker.wait(for: id)
    }

    /// Enqueues all records in order, then waits for every acknowledgement. Throws the first failure
    /// after all outcomes are known, so the caller can treat the batch as all-or-retry.
    @discardableResult
    public func send(_ records: [ProducerRecord]) async throws -> [DeliveryReport] {
        var ids: [UInt] = []
        ids.reserveCapacity(records.count)
        var enqueueError: (any Error)?
        for record in records {
            do { ids.append(try await enqueue(record)) } catch {
                enqueueError = error
                break
            }
        }
        var reports: [DeliveryReport] = []
        var firstError = enqueueError
        for id in ids {
            do { reports.append(try await tracker.wait(for: id)) } catch {
                if firstError == nil { firstError = error }
            }
        }
        if let firstError { throw firstError }
        return reports
    }

    /// Messages enqueued but not yet acknowledged.
    public var inFlight: Int { tracker.inFlight }

    /// Waits for outstanding messages (bounded), then stops the poll thread. Idempotent.
    public func close(timeoutMilliseconds: Int32 = 5000) async {
        let handle = self.handle
        _ = await BlockingCall.run { rd_kafka_flush(handle.pointer, timeoutMilliseconds) }
        await loop.stop()
        tracker.close()
    }

    /// Enqueues without blocking a cooperative thread: a full local queue is retried after a pause.
    private func enqueue(_ record: ProducerRecord) async throws -> UInt {
        while true {
            let id = try tracker.register()
            let code = produce(record, opaque: id)
            if code == RD_KAFKA_RESP_ERR_NO_ERROR { return id }
            tracker.cancel(id)
            if code == RD_KAFKA_RESP_ERR__QUEUE_FULL {
                try await Task.sleep(for: .milliseconds(5))
                continue
            }
            throw KafkaError.enqueue(topic: record.topic, code: code.rawValue, reason: KafkaError.describe(code))
        }
    }

    private func produce(_ record: ProducerRecord, opaque: UInt) -> rd_kafka_resp_err_t {
        // RD_KAFKA_MSG_F_COPY: librdkafka copies key, value and headers, so Swift's buffers only need
        // to live for the duration of this call.
        record.topic.withCString { topic in
            record.value.withUnsafeBytes { value in
                (record.key ?? []).withUnsafeBytes { key in
                    var fields: [rd_kafka_vu_t] = []
                    fields.append(.field(RD_KAFKA_VTYPE_TOPIC) { $0.u.cstr = topic })
                    fields.append(.field(RD_KAFKA_VTYPE_VALUE) {
                        $0.u.mem.ptr = UnsafeMutableRawPointer(mutating: value.baseAddress)
                        $0.u.mem.size = value.count
                    })
                    if record.key != nil {
                        fields.append(.field(RD_KAFKA_VTYPE_KEY) {
                            $0.u.mem.ptr = UnsafeMutableRawPointer(mutating: key.baseAddress)
                            $0.u.mem.size = key.count
                        })
                    }
                    if let partition = record.partition {
                        fields.append(.field(RD_KAFKA_VTYPE_PARTITION) { $0.u.i32 = partition })
                    }
                    if let timestamp = record.timestampMilliseconds {
                        fields.append(.field(RD_KAFKA_VTYPE_TIMESTAMP) { $0.u.i64 = timestamp })
                    }
                    fields.append(.field(RD_KAFKA_VTYPE_MSGFLAGS) { $0.u.i = RD_KAFKA_MSG_F_COPY })
                    fields.append(.field(RD_KAFKA_VTYPE_OPAQUE) { $0.u.ptr = UnsafeMutableRawPointer(bitPattern: opaque) })
                    return withHeaderFields(record.headers) { headerFields in
                        fields.append(contentsOf: headerFields)
                        let error = rd_kafka_produceva(handle.pointer, fields, fields.count)
                        guard let error else { return RD_KAFKA_RESP_ERR_NO_ERROR }
                        defer { rd_kafka_error_destroy(error) }
                        return rd_kafka_error_code(error)
                    }
                }
            }
        }
    }

    private static func poll(queue: RdKafkaQueue, tracker: DeliveryTracker, logger: Logger, timeout: Int32) {
        guard let event = rd_kafka_queue_poll(queue.pointer, timeout) else { return }
        defer { rd_kafka_event_destroy(event) }
        switch rd_kafka_event_type(event) {
        case RD_KAFKA_EVENT_DR:
            while let message = rd_kafka_event_message_next(event) {
                let raw = message.pointee
                guard let opaque = raw._private else { continue }
                let id = UInt(bitPattern: opaque)
                let topic = raw.rkt.map { String(cString: rd_kafka_topic_name($0)) } ?? ""
                if raw.err == RD_KAFKA_RESP_ERR_NO_ERROR {
                    tracker.complete(id, with: .success(DeliveryReport(topic: topic, partition: raw.partition, offset: raw.offset)))
                } else {
                    tracker.complete(id, with: .failure(.delivery(topic: topic, code: raw.err.rawValue, reason: KafkaError.describe(raw.err))))
                }
            }
        case RD_KAFKA_EVENT_ERROR:
            let reason = String(cString: rd_kafka_event_error_string(event))
            if rd_kafka_event_error_is_fatal(event) != 0 {
                logger.critical("kafka producer fatal error", metadata: ["error": "\(reason)"])
            } else {
                logger.warning("kafka producer error", metadata: ["error": "\(reason)"])
            }
        default:
            break
        }
    }
}

/// Builds HEADER fields whose C strings stay valid while `body` runs.
private func withHeaderFields<R>(_ headers: [KafkaHeader], _ body: ([rd_kafka_vu_t]) -> R) -> R {
    guard let first = headers.first else { return body([]) }
    return first.key.withCString { name in
        first.value.withUnsafeBytes { value in
            let field = rd_kafka_vu_t.field(RD_KAFKA_VTYPE_HEADER) {
                $0.u.header.name = name
                $0.u.header.val = value.baseAddress
                $0.u.header.size = value.count
            }
            return withHeaderFields(Array(headers.dropFirst())) { rest in body([field] + rest) }
        }
    }
}

extension rd_kafka_vu_t {
    fileprivate static func field(_ type: rd_kafka_vtype_t, _ set: (inout rd_kafka_vu_t) -> Void) -> rd_kafka_vu_t {
        var field = rd_kafka_vu_t()
        field.vtype = type
        set(&field)
        return field
    }
}
