import CRMTestSupport
import Foundation
@testable import Shared
import Testing

@Suite("concurrentMap")
struct ConcurrentMapTests {
    struct Refused: Error, Equatable { let value: Int }

    @Test("keeps the order of the elements, for small and large arrays, with any slice size",
          arguments: [0, 1, 5, 63, 64, 129, 1_000, 1_001])
    func keepsOrder(count: Int) async throws {
        let values = Array(0..<count)
        for minimumPerTask in [1, 7, 64] {
            let doubled = try await values.concurrentMap(minimumPerTask: minimumPerTask) { $0 * 2 }
            #expect(doubled == values.map { $0 * 2 })
        }
    }

    @Test("an element's error is thrown to the caller")
    func throwsTheError() async {
        await #expect(throws: Refused(value: 700)) {
            _ = try await Array(0..<1_000).concurrentMap(minimumPerTask: 10) { value in
                if value == 700 { throw Refused(value: value) }
                return value
            }
        }
    }

    @Test("deciding how to split a batch reads no file (ProcessInfo's processor count reads two cgroup files each time)")
    func splitReadsNoFile() {
        #expect(Array<Int>.concurrentTasks(count: 10, minimumPerTask: 64) == 0)
        #expect(Array<Int>.concurrentTasks(count: 10_000, minimumPerTask: 64) == ProcessInfo.processInfo.activeProcessorCount)
        let reads = ThreadReads.during {
            for count in 0..<1_000 { _ = Array<Int>.concurrentTasks(count: count, minimumPerTask: 64) }
        }
        #expect(reads >= 0 && reads < 20, "\(reads) read calls for 1,000 decisions")
        #expect(ThreadReads.countsReads, "the per-thread read counter missed reads of /dev/zero")
    }
}
