import Foundation
import Synchronization
import Testing
@testable import Assignment

@Suite("Reps' history figures: read again off the routing transaction")
struct RepHistoryCacheTests {
    static let reps = [ActiveRep(rep: Fixture.rep("r1"), openLeads: 3)]

    /// Counts calls; a background read waits at `gate` until the test opens it.
    final class Reads: Sendable {
        let inTransaction = Mutex(0)
        let background = Mutex(0)
        /// Open, or the read waiting for it to open.
        let gate = Mutex<(opened: Bool, waiting: CheckedContinuation<Void, Never>?)>((false, nil))
        let watchdogOpened = Mutex(false)

        func waitAtGate() async {
            await withCheckedContinuation { continuation in
                let opened = gate.withLock { gate in
                    if !gate.opened { gate.waiting = continuation }
                    return gate.opened
                }
                if opened { continuation.resume() }
            }
        }

        func openGate() {
            gate.withLock { gate in
                gate.opened = true
                return gate.waiting.take()
            }?.resume()
        }
    }

    static func figures(recent: Int) -> [String: RepLoad] {
        ["r1": RepLoad(openLeads: 0, recentAssignments: recent, assignedInWindow: recent)]
    }

    /// Old after a millisecond; its background read returns 7 assignments once the gate opens.
    static func gatedCache(_ reads: Reads) -> RepHistoryCache {
        RepHistoryCache(maxAge: .milliseconds(1), maxStaleness: .seconds(600)) { _, _, _ in
            reads.background.withLock { $0 += 1 }
            await reads.waitAtGate()
            return figures(recent: 7)
        }
    }

    static func loads(_ cache: RepHistoryCache, _ reads: Reads, inTransaction recent: Int = 1) async throws -> RepLoad {
        try await cache.loads(of: Self.reps, policy: .default, now: Fixture.now) {
            reads.inTransaction.withLock { $0 += 1 }
            return Self.figures(recent: recent)
        }["r1"]!
    }

    @Test("a batch past maxAge routes on the figures it has while one read off the transaction replaces them, commits meanwhile included")
    func staleWhileReading() async throws {
        let reads = Reads()
        let cache = Self.gatedCache(reads)
        let first = try await Self.loads(cache, reads)
        #expect(first.recentAssignments == 1)
        #expect(first.openLeads == 3)  // capacity from the rep rows, never from the snapshot
        try await Task.sleep(for: .milliseconds(20))

        // The read is held at the gate: a batch that waited for it would never return, so a
        // watchdog opens the gate after 10 s and the test fails on that.
        let stale = try await withThrowingTaskGroup(of: RepLoad?.self) { group in
            group.addTask { try await Self.loads(cache, reads) }
            group.addTask {
                try? await Task.sleep(for: .seconds(10))
                if !Task.isCancelled { reads.watchdogOpened.withLock { $0 = true }; reads.openGate() }
                return nil
            }
            let load = try await group.next()!
            group.cancelAll()
            return load
        }
        #expect(!reads.watchdogOpened.withLock { $0 })
        #expect(stale?.recentAssignments == 1)
        #expect(reads.inTransaction.withLock { $0 } == 1)

        // Committed while the read runs: counted now and on top of what the read returns.
        cache.recordCommitted(["r1": 2])
        #expect(try await Self.loads(cache, reads).recentAssignments == 3)
        reads.openGate()
        var current = 0
        for _ in 0..<500 where current != 9 {
            current = try await Self.loads(cache, reads).recentAssignments
            if current != 9 { try await Task.sleep(for: .milliseconds(10)) }
        }
        #expect(current == 9)
        #expect(reads.background.withLock { $0 } >= 1)
        #expect(reads.inTransaction.withLock { $0 } == 1)
    }

    @Test("one background read at a time, however many batches find the figures old")
    func oneReadAtATime() async throws {
        let reads = Reads()
        let cache = Self.gatedCache(reads)
        _ = try await Self.loads(cache, reads)
        try await Task.sleep(for: .milliseconds(20))
        for _ in 0..<5 { _ = try await Self.loads(cache, reads) }
        // The first stale batch started the read; give its task a moment to begin.
        for _ in 0..<500 where reads.background.withLock({ $0 }) == 0 { try await Task.sleep(for: .milliseconds(10)) }
        #expect(reads.background.withLock { $0 } == 1)
        reads.openGate()
    }

    @Test("without a background read, or past maxStaleness, a batch reads the figures in its transaction")
    func readsInTransaction() async throws {
        let reads = Reads()
        let noBackground = RepHistoryCache(maxAge: .milliseconds(1))
        _ = try await Self.loads(noBackground, reads)
        try await Task.sleep(for: .milliseconds(20))
        #expect(try await Self.loads(noBackground, reads, inTransaction: 4).recentAssignments == 4)
        #expect(reads.inTransaction.withLock { $0 } == 2)

        let tooOld = RepHistoryCache(maxAge: .milliseconds(1), maxStaleness: .milliseconds(1)) { _, _, _ in
            reads.background.withLock { $0 += 1 }
            return Self.figures(recent: 7)
        }
        _ = try await Self.loads(tooOld, reads)
        try await Task.sleep(for: .milliseconds(20))
        #expect(try await Self.loads(tooOld, reads, inTransaction: 5).recentAssignments == 5)
        #expect(reads.inTransaction.withLock { $0 } == 4)
        #expect(reads.background.withLock { $0 } == 0)
    }

    @Test("a policy with other windows is read in the transaction, whatever the snapshot's age")
    func otherWindowsReadInTransaction() async throws {
        let reads = Reads()
        let cache = RepHistoryCache(maxAge: .seconds(600)) { _, _, _ in Self.figures(recent: 7) }
        _ = try await Self.loads(cache, reads)
        var policy = RoutingPolicy.default
        policy.fairness.windowDays += 1
        let load = try await cache.loads(of: Self.reps, policy: policy, now: Fixture.now) {
            reads.inTransaction.withLock { $0 += 1 }
            return Self.figures(recent: 2)
        }
        #expect(load["r1"]?.recentAssignments == 2)
        #expect(reads.inTransaction.withLock { $0 } == 2)
    }
}
