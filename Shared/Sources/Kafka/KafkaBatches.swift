/// Batches from a `KafkaConsumer`, pulled on demand: the next poll happens only when the handler
/// asks for the next batch, which is the back-pressure.
public struct KafkaBatches: AsyncSequence, Sendable {
    public typealias Element = [KafkaMessage]

    let consumer: KafkaConsumer
    let maxMessages: Int
    let pollTimeout: Duration

    public struct AsyncIterator: AsyncIteratorProtocol {
        let consumer: KafkaConsumer
        let maxMessages: Int
        let pollTimeout: Duration

        public mutating func next() async throws -> [KafkaMessage]? {
            while !Task.isCancelled {
                let batch: [KafkaMessage]
                do {
                    batch = try await consumer.poll(maxMessages: maxMessages, timeout: pollTimeout)
                } catch KafkaError.closed {
                    return nil
                }
                if !batch.isEmpty { return batch }
            }
            return nil
        }
    }

    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(consumer: consumer, maxMessages: maxMessages, pollTimeout: pollTimeout)
    }
}
