/// Watches each partition's offsets for jumps.
///
/// Our topics are neither compacted nor written in transactions, so Kafka hands a consumer every
/// offset of a partition in order. Tansu, the local broker, has skipped a batch that two producers
/// wrote to one partition at the same moment: the consumer got offsets up to 1436, then 1445
/// onwards, and 1437-1444 were never delivered (docs/TANSU.md). A jump is therefore read again from
/// the missing offset, a bounded number of times, before it is accepted as a real gap.
struct OffsetContinuity {
    enum Verdict: Equatable {
        /// The offset follows the previous one (or is the first seen since the partition was assigned).
        case next
        /// Offsets are missing before this one: read the partition again from `expected`.
        case gap(expected: Int64)
        /// Still missing after `maxRereads` reads: go on from here.
        case acceptedGap(expected: Int64)
    }

    let maxRereads: Int
    private var expected: [TopicPartition: Int64] = [:]
    private var rereads: [TopicPartition: (offset: Int64, count: Int)] = [:]

    init(maxRereads: Int) {
        self.maxRereads = maxRereads
    }

    mutating func check(_ partition: TopicPartition, offset: Int64) -> Verdict {
        guard let want = expected[partition], offset > want else {
            expected[partition] = offset + 1
            rereads[partition] = nil
            return .next
        }
        let count = rereads[partition].map { $0.offset == want ? $0.count : 0 } ?? 0
        guard count >= maxRereads else {
            rereads[partition] = (want, count + 1)
            return .gap(expected: want)
        }
        expected[partition] = offset + 1
        rereads[partition] = nil
        return .acceptedGap(expected: want)
    }

    /// Partitions assigned or revoked: their next message starts a new sequence.
    mutating func forget(_ partitions: some Sequence<TopicPartition>) {
        for partition in partitions {
            expected[partition] = nil
            rereads[partition] = nil
        }
    }
}
