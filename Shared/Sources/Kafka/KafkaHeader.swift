/// A Kafka record header. Values are bytes; most of ours are UTF-8 text.
public struct KafkaHeader: Sendable, Equatable {
    public var key: String
    public var value: [UInt8]

    public init(key: String, value: [UInt8]) {
        self.key = key
        self.value = value
    }

    public init(key: String, text: String) {
        self.init(key: key, value: Array(text.utf8))
    }

    public var text: String? { String(validating: value, as: UTF8.self) }
}

extension Array where Element == KafkaHeader {
    /// The last value of the header named `key`, as text.
    public func text(_ key: String) -> String? {
        last(where: { $0.key == key })?.text
    }
}
