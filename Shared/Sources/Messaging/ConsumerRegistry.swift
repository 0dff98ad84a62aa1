import Synchronization

/// The consumers running in this process, so `/ready` can show each group's assignment: an
/// operator (or a test) sees whether a consumer has joined its group and got partitions.
public final class ConsumerRegistry: Sendable {
    public static let shared = ConsumerRegistry()

    private let consumers = Mutex<[ObjectIdentifier: KafkaConsumer]>([:])

    func register(_ consumer: KafkaConsumer) {
        consumers.withLock { $0[ObjectIdentifier(consumer)] = consumer }
    }

    func remove(_ consumer: KafkaConsumer) {
        _ = consumers.withLock { $0.removeValue(forKey: ObjectIdentifier(consumer)) }
    }

    /// Consumer group -> partitions currently assigned to this process.
    public var assignments: [String: Int] {
        consumers.withLock { consumers in
            Dictionary(consumers.values.map { ($0.groupId, $0.assignment.count) }, uniquingKeysWith: +)
        }
    }
}
