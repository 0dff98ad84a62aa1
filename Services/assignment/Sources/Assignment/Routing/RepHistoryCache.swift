import Foundation
import PostgresNIO
import Synchronization

/// The slow-moving part of the reps' load (assignments in the fairness and win-rate windows,
/// conversions, overdue first contacts), read from the database at most every `maxAge` and kept
/// up to date in between with this instance's own committed assignments.
///
/// Reading it meant aggregating every assignment in the policy's windows for each batch, a cost
/// that grew with the table (tens of thousands of rows after a busy day) on every batch. These
/// figures only rank reps; capacity, the hard limit, is still read from the rep rows, under the
/// routing lock, in every transaction. Another instance's assignments show up at the next refresh.
final class RepHistoryCache: Sendable {
    /// The policy settings the figures depend on: another policy means another read.
    private struct Windows: Equatable {
        var fairnessDays: Int
        var winRateDays: Int
        var firstContactMinutes: Int
    }

    private struct Snapshot {
        var windows: Windows
        var loads: [String: RepLoad]
        var readAt: ContinuousClock.Instant
        /// The routing clock's time of the read (tests move it by days).
        var readFor: Date
    }

    private let maxAge: Duration
    private let snapshot = Mutex<Snapshot?>(nil)

    init(maxAge: Duration) {
        self.maxAge = maxAge
    }

    /// The reps' loads: history from the snapshot (read again when too old, for another policy, or
    /// when a rep is missing from it), open leads from the rep rows read under the routing lock.
    func loads(of reps: [ActiveRep], policy: RoutingPolicy, now: Date, store: AssignmentStore,
               on connection: PostgresConnection) async throws -> [String: RepLoad] {
        let windows = Windows(fairnessDays: policy.fairness.windowDays, winRateDays: policy.winRate.windowDays,
                              firstContactMinutes: policy.sla.firstContactMinutes)
        let cached: [String: RepLoad]? = snapshot.withLock { snapshot in
            let age = Double(maxAge.components.seconds) + Double(maxAge.components.attoseconds) / 1e18
            guard let snapshot, snapshot.windows == windows, ContinuousClock.now - snapshot.readAt < maxAge,
                  abs(now.timeIntervalSince(snapshot.readFor)) < age,
                  reps.allSatisfy({ snapshot.loads[$0.rep.id] != nil }) else { return nil }
            return snapshot.loads
        }
        var loads: [String: RepLoad]
        if let cached {
            loads = cached
        } else {
            loads = try await store.loads(of: reps, policy: policy, now: now, on: connection)
            let fresh = loads
            snapshot.withLock { $0 = Snapshot(windows: windows, loads: fresh, readAt: .now, readFor: now) }
        }
        for active in reps { loads[active.rep.id, default: .idle].openLeads = active.openLeads }
        return loads
    }

    /// Counts assignments that committed: each rep got `opened[rep]` more leads.
    func recordCommitted(_ opened: [String: Int]) {
        guard !opened.isEmpty else { return }
        snapshot.withLock { snapshot in
            for (rep, count) in opened {
                snapshot?.loads[rep]?.recentAssignments += count
                snapshot?.loads[rep]?.assignedInWindow += count
            }
        }
    }

    /// Forgets the snapshot: the next batch reads the database (activities changed the history).
    func invalidate() {
        snapshot.withLock { $0 = nil }
    }
}
