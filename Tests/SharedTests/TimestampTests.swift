import Foundation
import Testing
@testable import Shared

@Suite("RFC 3339 timestamps")
struct TimestampTests {
    /// Random timestamps around the strict reader's edges: every field sometimes out of range, 0-10
    /// fraction digits, `Z`, `z`, offsets with and without a colon, spaces around, years from 1500.
    static func candidates(count: Int, seed: UInt64) -> [String] {
        var generator = SeededRandom(seed: seed)
        func pick(_ range: ClosedRange<Int>) -> Int { Int.random(in: range, using: &generator) }
        func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
        return (0..<count).map { _ in
            var text = "\(pick(1500...9999))-\(two(pick(0...13)))-\(two(pick(0...32)))T\(two(pick(0...24)))"
                + ":\(two(pick(0...60))):\(two(pick(0...60)))"
            let fraction = pick(-1...10)
            if fraction >= 0 { text += "." + (0..<fraction).map { _ in String(pick(0...9)) }.joined() }
            switch pick(0...6) {
            case 0: text += "Z"
            case 1: text += "z"
            case 2: text += "+\(two(pick(0...24)))\(two(pick(0...60)))"
            case 3: text += ""
            default: text += (pick(0...1) == 0 ? "+" : "-") + "\(two(pick(0...24))):\(two(pick(0...60)))"
            }
            if pick(0...20) == 0 { text = " " + text + " " }
            return text
        }
    }

    @Test("the strict reader gives Foundation's Date, to the bit, for every string it accepts, and the same answer overall")
    func strictAgreesWithFoundation() {
        var strictlyRead = 0
        var disagreements: [String] = []
        for text in Self.candidates(count: 40_000, seed: 7) {
            let lenient = Timestamp.lenient(text)?.timeIntervalSinceReferenceDate.bitPattern
            if let strict = Timestamp.strict(text) {
                strictlyRead += 1
                if strict.timeIntervalSinceReferenceDate.bitPattern != lenient { disagreements.append("strict: \(text)") }
            }
            if Timestamp.parse(text)?.timeIntervalSinceReferenceDate.bitPattern != lenient { disagreements.append("parse: \(text)") }
        }
        #expect(disagreements.isEmpty, "\(disagreements.count) disagreements, such as \(disagreements.prefix(6))")
        // The generator reaches the strict reader often enough for the comparison to mean something.
        #expect(strictlyRead > 4_000, "only \(strictlyRead) strings took the strict reader")
    }

    @Test("the forms our sources and our own events write take the strict reader", arguments: [
        "2026-11-23T01:30:00Z", "2026-11-23T01:30:00.5Z", "2026-11-23T01:30:00.123Z", "2026-11-23T01:30:00.123456789Z",
        "2026-11-23T09:30:00+08:00", "2026-11-23T09:30:00.250+08:00", "2024-02-29T23:59:59-05:30", "1970-01-01T00:00:00Z",
    ])
    func usualFormsAreStrict(text: String) throws {
        let strict = try #require(Timestamp.strict(text))
        #expect(strict.timeIntervalSinceReferenceDate.bitPattern == Timestamp.lenient(text)?.timeIntervalSinceReferenceDate.bitPattern)
        #expect(Timestamp.strict(Timestamp.format(strict)) == strict.millisecondsTruncated)
    }

    @Test("what RFC 3339 does not allow is left to Foundation, which decides as before", arguments: [
        "2026-02-30T01:30:00Z", "2026-11-23T24:00:00Z", "2026-11-23T01:30:60Z", "2026-11-23T09:30:00+0800",
        "2026-11-23t01:30:00z", " 2026-11-23T01:30:00Z", "2026-11-23T01:30:00.1234567891Z", "2026-11-23T01:30:00",
        "1500-06-01T00:00:00Z", "2026-11-23T01:30:00.Z", "2026-11-23T01:30:00+24:00", "2026-11-23T01:30:00ZZ",
    ])
    func othersAreLenient(text: String) {
        #expect(Timestamp.strict(text) == nil)
        #expect(Timestamp.parse(text)?.timeIntervalSinceReferenceDate.bitPattern == Timestamp.lenient(text)?.timeIntervalSinceReferenceDate.bitPattern)
    }
}

private extension Date {
    /// What `Timestamp.format` keeps: whole milliseconds.
    var millisecondsTruncated: Date {
        Timestamp.lenient(Timestamp.format(self))!
    }
}
