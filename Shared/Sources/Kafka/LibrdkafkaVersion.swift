import CRdKafka

/// The librdkafka version loaded at run time (not the headers we were built against).
public enum LibrdkafkaVersion {
    /// 2.2 fixed the ApiVersions parsing and consumer bugs that break us against Tansu and Kafka.
    public static let minimum: Int32 = 0x0202_0000
    public static let minimumText = "2.2.0"

    public static var current: Int32 { rd_kafka_version() }
    public static var currentText: String { String(cString: rd_kafka_version_str()) }

    /// Throws when the loaded library is older than `minimum`; services call this before anything else.
    public static func requireSupported() throws(KafkaError) {
        guard current >= minimum else {
            throw .unsupportedLibrary(found: currentText, required: minimumText)
        }
    }
}
