import Testing
@testable import Shared

@Suite("Offset continuity: a batch the broker skipped is read again")
struct OffsetContinuityTests {
    let events = TopicPartition(topic: "crm.lead.events", partition: 0)
    let other = TopicPartition(topic: "crm.lead.events", partition: 1)

    @Test("consecutive offsets pass; the first offset after an assignment may be anything")
    func consecutive() {
        var continuity = OffsetContinuity(maxRereads: 3)
        #expect(continuity.check(events, offset: 1_432) == .next)
        #expect(continuity.check(events, offset: 1_433) == .next)
        #expect(continuity.check(other, offset: 7) == .next)
        #expect(continuity.check(events, offset: 1_434) == .next)
    }

    @Test("a jump is read again from the first missing offset until it arrives (the run seen on Tansu)")
    func gapThenArrives() {
        var continuity = OffsetContinuity(maxRereads: 3)
        #expect(continuity.check(events, offset: 1_436) == .next)
        #expect(continuity.check(events, offset: 1_445) == .gap(expected: 1_437))
        // Still not visible on the next fetch: read again.
        #expect(continuity.check(events, offset: 1_445) == .gap(expected: 1_437))
        // Now the skipped batch is there; the sequence goes on from it.
        #expect(continuity.check(events, offset: 1_437) == .next)
        for offset in Int64(1_438)...1_446 { #expect(continuity.check(events, offset: offset) == .next) }
        // The re-read budget starts again for a later gap.
        #expect(continuity.check(events, offset: 1_500) == .gap(expected: 1_447))
        #expect(continuity.check(events, offset: 1_500) == .gap(expected: 1_447))
        #expect(continuity.check(events, offset: 1_500) == .gap(expected: 1_447))
    }

    @Test("a gap that stays after the re-reads is accepted, and the sequence goes on after it")
    func persistentGap() {
        var continuity = OffsetContinuity(maxRereads: 2)
        #expect(continuity.check(events, offset: 10) == .next)
        #expect(continuity.check(events, offset: 20) == .gap(expected: 11))
        #expect(continuity.check(events, offset: 20) == .gap(expected: 11))
        #expect(continuity.check(events, offset: 20) == .acceptedGap(expected: 11))
        #expect(continuity.check(events, offset: 21) == .next)
        // Another partition keeps its own sequence.
        #expect(continuity.check(other, offset: 5) == .next)
        #expect(continuity.check(other, offset: 9) == .gap(expected: 6))
    }

    @Test("an earlier offset (a re-read after a seek, or a redelivery) passes and restarts the sequence there")
    func earlierOffset() {
        var continuity = OffsetContinuity(maxRereads: 2)
        #expect(continuity.check(events, offset: 10) == .next)
        #expect(continuity.check(events, offset: 4) == .next)
        #expect(continuity.check(events, offset: 5) == .next)
    }

    @Test("assigned or revoked partitions start a new sequence")
    func forget() {
        var continuity = OffsetContinuity(maxRereads: 2)
        #expect(continuity.check(events, offset: 10) == .next)
        continuity.forget([events])
        #expect(continuity.check(events, offset: 900) == .next)
    }
}
