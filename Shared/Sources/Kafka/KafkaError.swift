import CRdKafka

/// Errors from the Kafka layer. Each case says what failed and, where it helps, what to do.
public enum KafkaError: Error, CustomStringConvertible, Sendable {
    /// librdkafka refused a configuration property (name, value, librdkafka's reason).
    case configuration(property: String, reason: String)
    /// The librdkafka library loaded at run time is too old for our broker and consumer semantics.
    case unsupportedLibrary(found: String, required: String)
    /// Creating the client handle failed.
    case clientCreation(String)
    /// The broker did not acknowledge a message (the delivery report carried an error).
    case delivery(topic: String, code: Int32, reason: String)
    /// librdkafka refused to enqueue a message (queue full, unknown topic, message too large...).
    case enqueue(topic: String, code: Int32, reason: String)
    /// A broker request (metadata, admin, offsets) failed.
    case request(operation: String, code: Int32, reason: String)
    /// The client was closed; no further operations are possible.
    case closed

    public var description: String {
        switch self {
        case .configuration(let property, let reason):
            return "Kafka configuration property \(property) was refused: \(reason)"
        case .unsupportedLibrary(let found, let required):
            return "librdkafka \(found) is loaded, \(required) or newer is required. "
                + "Run through `make` (it points LD_LIBRARY_PATH at a newer librdkafka) or install librdkafka >= \(required)."
        case .clientCreation(let reason):
            return "Could not create the Kafka client: \(reason)"
        case .delivery(let topic, let code, let reason):
            return "The broker did not acknowledge a message to \(topic) (\(code)): \(reason)"
        case .enqueue(let topic, let code, let reason):
            return "Could not enqueue a message to \(topic) (\(code)): \(reason)"
        case .request(let operation, let code, let reason):
            return "Kafka \(operation) failed (\(code)): \(reason)"
        case .closed:
            return "The Kafka client is closed."
        }
    }

    static func describe(_ code: rd_kafka_resp_err_t) -> String {
        String(cString: rd_kafka_err2str(code))
    }
}
