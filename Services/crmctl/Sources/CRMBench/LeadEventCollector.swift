import Foundation
import Logging
import Shared
import Synchronization

/// Reads `crm.lead.events` from its end while a run posts, and keeps what the run's leads went
/// through: which submission became which lead (LeadAccepted), and when each lead was assigned
/// (LeadAssigned) or sent to a pool (LeadReturnedToPool), by broker timestamp. Events are
/// delivered at least once, so repeats are counted, not double-booked.
public final class LeadEventCollector: Sendable {
    public struct Routed: Sendable, Equatable {
        /// Broker timestamp (ms) of the first LeadAssigned / LeadReturnedToPool.
        public var timestamp: Int64
        public var repId: String?
        public var queue: String?
        /// How many times the event was delivered (more than one: a re-published outbox row).
        public var deliveries: Int

        public init(timestamp: Int64, repId: String?, queue: String?, deliveries: Int) {
            self.timestamp = timestamp
            self.repId = repId
            self.queue = queue
            self.deliveries = deliveries
        }
    }

    public struct State: Sendable {
        /// submissionId -> leadId, for the run's accepted submissions.
        public var leadOfSubmission: [String: String] = [:]
        /// Leads of the run (from LeadAccepted).
        public var leads: Set<String> = []
        /// leadId -> broker timestamp (ms) of its first LeadAccepted: where intake's part ends.
        public var acceptedAt: [String: Int64] = [:]
        public var assigned: [String: Routed] = [:]
        public var pooled: [String: Routed] = [:]
        /// The run's submissions merged into a known lead (LeadMerged).
        public var merged: Set<String> = []
        /// Deliveries beyond the first (at-least-once at work; not an error).
        public var repeatedDeliveries = 0
        public var eventsRead = 0
        /// Event ids seen, to tell a repeated delivery from a new event.
        var seenEventIds: Set<String> = []
        public var routedCount: Int { assigned.count + pooled.count }

        public init() {}

        /// The submission is done with: accepted and its lead routed (assigned or pooled), merged
        /// into a known lead, or found on `crm.lead.rejected` / a dead-letter topic.
        public func isDone(_ submissionId: String, rejected: [String: RejectionCollector.Found]) -> Bool {
            if let lead = leadOfSubmission[submissionId] { return assigned[lead] != nil || pooled[lead] != nil }
            return merged.contains(submissionId) || rejected[submissionId] != nil
        }
    }

    private let prefix: String
    private let state = Mutex(State())
    private let follower: TopicFollower

    /// `prefix`: the run's submissionId prefix. Starts at the end of the topic (a group of its own).
    public init(config: KafkaClientConfig, prefix: String, topic: String = Topics.leadEvents, logger: Logger) throws {
        self.prefix = prefix
        follower = try TopicFollower(config: config, groupPrefix: "crm-bench-events", topics: [topic], maxMessages: 2000, logger: logger)
    }

    public var snapshot: State { state.withLock { $0 } }

    /// Polls until the consumer owns its partitions (then what is posted from now on will be seen).
    public func waitUntilAssigned(timeout: Duration) async throws -> Bool {
        try await follower.waitUntilAssigned(timeout: timeout, take: take)
    }

    /// Reads until `stop()`.
    public func run() async throws {
        try await follower.run(take: take)
    }

    public func stop() {
        follower.stop()
    }

    /// Waits until `condition` holds for the state or `timeout` passes; true if it held.
    public func wait(timeout: Duration, until condition: @Sendable (State) -> Bool) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if state.withLock({ condition($0) }) { return true }
            try? await Task.sleep(for: .milliseconds(50))
        }
        return state.withLock { condition($0) }
    }

    private func take(_ batch: [KafkaMessage]) {
        let parsed = batch.compactMap(Self.event)
        state.withLock { state in
            state.eventsRead += batch.count
            for event in parsed {
                let isFresh = state.seenEventIds.insert(event.eventId).inserted
                if !isFresh { state.repeatedDeliveries += 1 }
                record(event, isFresh: isFresh, into: &state)
            }
        }
    }

    private func record(_ event: Event, isFresh: Bool, into state: inout State) {
        switch event.type {
        case LeadEventType.leadAccepted.rawValue:
            guard let submission = event.payload["submissionId"]?.stringValue, submission.hasPrefix(prefix),
                  let lead = event.payload["leadId"]?.stringValue else { return }
            state.leadOfSubmission[submission] = lead
            state.leads.insert(lead)
            if state.acceptedAt[lead] == nil { state.acceptedAt[lead] = event.timestamp }
        case LeadEventType.leadMerged.rawValue:
            if let submission = event.payload["submissionId"]?.stringValue, submission.hasPrefix(prefix) { state.merged.insert(submission) }
        case LeadEventType.leadAssigned.rawValue, LeadEventType.leadReturnedToPool.rawValue:
            guard let lead = event.payload["leadId"]?.stringValue, state.leads.contains(lead) else { return }
            let assigned = event.type == LeadEventType.leadAssigned.rawValue
            var routed = (assigned ? state.assigned[lead] : state.pooled[lead])
                ?? Routed(timestamp: event.timestamp, repId: event.payload["repId"]?.stringValue,
                          queue: event.payload["queue"]?.stringValue, deliveries: 0)
            routed.deliveries += 1
            if assigned { state.assigned[lead] = routed } else { state.pooled[lead] = routed }
        default:
            return
        }
    }

    struct Event {
        var eventId: String
        var type: String
        var timestamp: Int64
        var payload: [String: JSONValue]
    }

    /// The envelope's id, type and payload; nil for anything that is not an event of ours.
    static func event(_ message: KafkaMessage) -> Event? {
        let type = message.headers.first { $0.key == "event-type" }?.text
        guard type == nil || [LeadEventType.leadAccepted, .leadMerged, .leadAssigned, .leadReturnedToPool].map(\.rawValue).contains(type!),
              let root = try? JSONValue.parse(message.value).objectValue,
              let eventId = root["eventId"]?.stringValue, let type = root["type"]?.stringValue,
              let payload = root["payload"]?.objectValue
        else { return nil }
        return Event(eventId: eventId, type: type, timestamp: message.timestampMilliseconds ?? 0, payload: payload)
    }
}
