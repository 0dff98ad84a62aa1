import Foundation

/// Kafka's timestamp unit: milliseconds since the epoch, on this host's clock.
public enum KafkaTimestamp {
    /// Now, comparable with `KafkaMessage.timestampMilliseconds`.
    public static func now() -> Int64 {
        Int64((Date().timeIntervalSince1970 * 1000).rounded())
    }
}
