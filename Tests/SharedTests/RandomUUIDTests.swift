import Foundation
import Testing
import CRMTestSupport
@testable import Shared

@Suite("random UUIDs and the processor count, without file reads")
struct RandomUUIDTests {
    @Test("UUID.random() gives version 4, RFC 9562 variant, all distinct, in the lowercase text form of our topics")
    func versionAndVariant() {
        var seen = Set<UUID>()
        for _ in 0..<10_000 {
            let id = UUID.random()
            let bytes = withUnsafeBytes(of: id.uuid) { Array($0) }
            #expect(bytes[6] >> 4 == 4)
            #expect(bytes[8] >> 6 == 0b10)
            seen.insert(id)
        }
        #expect(seen.count == 10_000)
        let text = UUID.random().uuidString.lowercased()
        #expect(text.wholeMatch(of: /[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}/) != nil)
        #expect(UUID(uuidString: text) != nil)
    }

    @Test("a thousand UUIDs read no file (Foundation's UUID() read /dev/urandom for each)")
    func noFileReads() {
        // The counter itself: the measurement's own read, about one.
        let reads = ThreadReads.during {
            for _ in 0..<1_000 { _ = UUID.random() }
        }
        #expect(reads >= 0 && reads < 20, "\(reads) read calls for 1,000 UUIDs")
        #expect(ThreadReads.countsReads, "the per-thread read counter missed reads of /dev/zero")
    }

    @Test("an event envelope gets its event id without reading a file")
    func envelopeIdReadsNoFile() {
        var ids = Set<UUID>()
        let reads = ThreadReads.during {
            for sequence in 0..<1_000 {
                ids.insert(EventEnvelope(type: "NoteAdded", aggregateId: "lead-a", correlationId: "test", payload: [sequence]).eventId)
            }
        }
        #expect(ids.count == 1_000)
        #expect(reads >= 0 && reads < 20, "\(reads) read calls for 1,000 envelopes")
    }

    @Test("the processor count is read once: asking again reads no file")
    func processorsReadOnce() {
        #expect(Processors.active == ProcessInfo.processInfo.activeProcessorCount)
        let reads = ThreadReads.during {
            for _ in 0..<1_000 { _ = Processors.active }
        }
        #expect(reads >= 0 && reads < 20, "\(reads) read calls for 1,000 lookups")
        #expect(ThreadReads.countsReads, "the per-thread read counter missed reads of /dev/zero")
    }
}
