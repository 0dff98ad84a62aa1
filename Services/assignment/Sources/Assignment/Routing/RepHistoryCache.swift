import Foundation
import Logging
import Synchronization

/// The slow-moving part of the reps' load (assignments in the fairness and win-rate windows,
/// conversions, overdue first contacts), read from the database at most every `maxAge` and kept
/// up to date in between with this instance's own committed assignments.
///
/// Reading it used to mean aggregating every assignment in the policy's windows (90 days for the
/// win rate): 118-248 ms for 900,000 assignments (200 reps at 50 leads a day), which, read inside
/// the routing transaction, stalled the router, routing lock held, every `maxAge`. The daily
/// counters (`AssignmentStore.loads`) made it about 8 ms; it still stays off the path. With a
/// `BackgroundRead`, a snapshot past `maxAge` is still used, up to `maxStaleness`, while one read
/// on a connection of its own replaces it; a batch reads in its transaction only when there is no
/// snapshot to use (the first batch, another policy, a new rep, or the background reads failing
/// for `maxStaleness`). These figures only rank reps; capacity, the hard limit, is still read from
/// the rep rows, under the routing lock, in every transaction. Another instance's assignments
/// show up at the next read.
final class RepHistoryCache: Sendable {
    /// Reads the figures outside any routing transaction (its own connection).
    typealias BackgroundRead = @Sendable (_ reps: [ActiveRep], _ policy: RoutingPolicy, _ now: Date) async throws -> [String: RepLoad]

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

    private struct State {
        var snapshot: Snapshot?
        /// Assignments committed while a background read runs, added to what it returns; nil while
        /// none runs (so it also says whether one does).
        var committedDuringRead: [String: Int]?
    }

    private let maxAge: Duration
    private let maxStaleness: Duration
    private let backgroundRead: BackgroundRead?
    private let logger: Logger
    private let state = Mutex(State())

    /// Without `backgroundRead`, a snapshot older than `maxAge` is read again in the transaction.
    init(maxAge: Duration, maxStaleness: Duration = .seconds(30), logger: Logger = Logger(label: "crm.assignment.history"),
         backgroundRead: BackgroundRead? = nil) {
        self.maxAge = maxAge
        self.maxStaleness = max(maxAge, maxStaleness)
        self.backgroundRead = backgroundRead
        self.logger = logger
    }

    /// The reps' loads: history from the snapshot (see the type's comment for when it is read, and
    /// where), open leads from the rep rows read under the routing lock. `readInTransaction` reads
    /// the figures on the routing transaction's connection.
    func loads(of reps: [ActiveRep], policy: RoutingPolicy, now: Date,
               readInTransaction: @Sendable () async throws -> [String: RepLoad]) async throws -> [String: RepLoad] {
        let windows = Windows(fairnessDays: policy.fairness.windowDays, winRateDays: policy.winRate.windowDays,
                              firstContactMinutes: policy.sla.firstContactMinutes)
        enum Use { case current([String: RepLoad]), stale([String: RepLoad], startRead: Bool), none }
        let use: Use = state.withLock { state in
            guard let snapshot = state.snapshot, snapshot.windows == windows,
                  reps.allSatisfy({ snapshot.loads[$0.rep.id] != nil }) else { return .none }
            let age = max(ContinuousClock.now - snapshot.readAt, .seconds(abs(now.timeIntervalSince(snapshot.readFor))))
            if age < maxAge { return .current(snapshot.loads) }
            guard backgroundRead != nil, age < maxStaleness else { return .none }
            let startRead = state.committedDuringRead == nil
            if startRead { state.committedDuringRead = [:] }
            return .stale(snapshot.loads, startRead: startRead)
        }
        var loads: [String: RepLoad]
        switch use {
        case .current(let current):
            loads = current
        case .stale(let stale, let startRead):
            loads = stale
            if startRead, let backgroundRead { readInBackground(backgroundRead, reps: reps, policy: policy, now: now, windows: windows) }
        case .none:
            loads = try await readInTransaction()
            let fresh = loads
            state.withLock { $0.snapshot = Snapshot(windows: windows, loads: fresh, readAt: .now, readFor: now) }
        }
        for active in reps { loads[active.rep.id, default: .idle].openLeads = active.openLeads }
        return loads
    }

    /// Counts assignments that committed: each rep got `opened[rep]` more leads.
    func recordCommitted(_ opened: [String: Int]) {
        guard !opened.isEmpty else { return }
        state.withLock { state in
            if let loads = state.snapshot?.loads { state.snapshot?.loads = Self.adding(opened, to: loads) }
            if let during = state.committedDuringRead { state.committedDuringRead = during.merging(opened, uniquingKeysWith: +) }
        }
    }

    /// `loads` with `opened[rep]` more leads assigned to each rep (in both windows' counts).
    private static func adding(_ opened: [String: Int], to loads: [String: RepLoad]) -> [String: RepLoad] {
        var loads = loads
        for (rep, count) in opened {
            loads[rep]?.recentAssignments += count
            loads[rep]?.assignedInWindow += count
        }
        return loads
    }

    /// One read at a time, never awaited by a batch. Its result replaces the snapshot, plus what
    /// committed meanwhile: an assignment that committed just before the read's snapshot is then
    /// counted twice until the next read, a lead more in a 7- to 90-day count.
    private func readInBackground(_ read: @escaping BackgroundRead, reps: [ActiveRep], policy: RoutingPolicy,
                                  now: Date, windows: Windows) {
        Task {
            do {
                let fresh = try await read(reps, policy, now)
                state.withLock { state in
                    let loads = Self.adding(state.committedDuringRead ?? [:], to: fresh)
                    state.committedDuringRead = nil
                    state.snapshot = Snapshot(windows: windows, loads: loads, readAt: .now, readFor: now)
                }
            } catch {
                state.withLock { $0.committedDuringRead = nil }
                logger.warning("reading the reps' history failed; the next batch tries again",
                               metadata: ["error": "\(String(reflecting: error))"])
            }
        }
    }
}
