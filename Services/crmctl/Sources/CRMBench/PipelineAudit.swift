/// The end-state checks of a benchmark or fault drill: every valid submission ended as exactly one
/// lead of its person and every lead as exactly one routing decision (an assignment to a rep who
/// covers its region, or a pool entry with a reason), no rep holds more than its capacity, the
/// capacity counters agree with the assignments, and every invalid message is on
/// `crm.lead.rejected` or a dead-letter topic. Duplicate *deliveries* are allowed (at least once);
/// duplicate *effects* are what it counts.
public enum PipelineAudit {
    /// A message the run posted and what should become of it.
    public struct Posted: Sendable, Equatable {
        public var submissionId: String
        /// The generator's person; nil for a message that must be rejected or dead-lettered.
        public var person: Int?

        public init(submissionId: String, person: Int?) {
            self.submissionId = submissionId
            self.person = person
        }

        public init(_ submission: LeadGenerator.Submission) {
            self.init(submissionId: submission.submissionId, person: submission.malformation == nil ? submission.person : nil)
        }
    }

    public struct Assignment: Sendable, Equatable {
        public var repId: String?
        public var queue: String?
        public var status: String
        public var current: Bool

        public init(repId: String?, queue: String?, status: String, current: Bool) {
            self.repId = repId
            self.queue = queue
            self.status = status
            self.current = current
        }
    }

    public struct RepState: Sendable, Equatable {
        public var id: String
        public var regions: [String]
        public var active: Bool
        public var capacity: Int
        /// The capacity counter (`reps.open_leads`).
        public var openLeads: Int
        /// Current open assignments actually held.
        public var holding: Int

        public init(id: String, regions: [String], active: Bool, capacity: Int, openLeads: Int, holding: Int) {
            self.id = id
            self.regions = regions
            self.active = active
            self.capacity = capacity
            self.openLeads = openLeads
            self.holding = holding
        }
    }

    /// What the database and the topics hold after the run.
    public struct Observed: Sendable, Equatable {
        /// submissionId -> (leadId, outcome) from `lead_submissions`.
        public var submissions: [String: (leadId: String, outcome: String)]
        /// leadId -> every assignment row.
        public var assignments: [String: [Assignment]]
        /// leadId -> the region routing saw (nil: none known).
        public var regions: [String: String?]
        public var reps: [RepState]
        /// Keys found on `crm.lead.rejected` or a dead-letter topic.
        public var rejectedOrDeadLettered: Set<String>
        /// Outbox rows not yet published (the relays should have caught up).
        public var unpublishedEvents: Int

        public init(
            submissions: [String: (leadId: String, outcome: String)] = [:], assignments: [String: [Assignment]] = [:],
            regions: [String: String?] = [:], reps: [RepState] = [], rejectedOrDeadLettered: Set<String> = [], unpublishedEvents: Int = 0
        ) {
            self.submissions = submissions
            self.assignments = assignments
            self.regions = regions
            self.reps = reps
            self.rejectedOrDeadLettered = rejectedOrDeadLettered
            self.unpublishedEvents = unpublishedEvents
        }

        public static func == (lhs: Observed, rhs: Observed) -> Bool {
            lhs.submissions.mapValues { "\($0.leadId) \($0.outcome)" } == rhs.submissions.mapValues { "\($0.leadId) \($0.outcome)" }
                && lhs.assignments == rhs.assignments && lhs.regions == rhs.regions && lhs.reps == rhs.reps
                && lhs.rejectedOrDeadLettered == rhs.rejectedOrDeadLettered && lhs.unpublishedEvents == rhs.unpublishedEvents
        }
    }

    public struct Report: Sendable, Equatable {
        public var validPosted = 0
        public var invalidPosted = 0
        public var leads = 0
        public var assigned = 0
        public var pooled = 0
        /// Valid submissions with no lead.
        public var lostSubmissions = 0
        /// Extra leads: a person split over several leads, or several `accepted` submissions of one person.
        public var duplicatedLeads = 0
        /// Invalid messages that became (part of) a lead.
        public var invalidAccepted = 0
        /// Leads with no routing decision.
        public var lostAssignments = 0
        /// Leads with more than one assignment row (these runs never reassign) or current row.
        public var duplicatedAssignments = 0
        /// Assigned to a rep outside the lead's region, pooled although a rep of its region had room,
        /// or assigned without a known region (the policy requires one).
        public var misrouted = 0
        /// Reps holding more than their capacity.
        public var capacityExceeded = 0
        /// Reps whose counter disagrees with what they hold.
        public var counterMismatches = 0
        /// Invalid messages found neither on `crm.lead.rejected` nor on a dead-letter topic.
        public var invalidUnaccounted = 0
        public var unpublishedEvents = 0
        /// Up to 20 examples, for the log.
        public var examples: [String] = []

        public var lost: Int { lostSubmissions + lostAssignments + invalidUnaccounted }
        public var duplicated: Int { duplicatedLeads + duplicatedAssignments }
        public var isClean: Bool {
            lost + duplicated + invalidAccepted + misrouted + capacityExceeded + counterMismatches + unpublishedEvents == 0
        }

        public var summary: String {
            "valid \(validPosted), invalid \(invalidPosted), leads \(leads) (assigned \(assigned), pooled \(pooled)); "
                + "lost \(lost) (submissions \(lostSubmissions), routing \(lostAssignments), invalid unaccounted \(invalidUnaccounted)), "
                + "duplicated \(duplicated) (leads \(duplicatedLeads), assignments \(duplicatedAssignments)), misrouted \(misrouted), "
                + "invalid accepted \(invalidAccepted), capacity exceeded \(capacityExceeded), counter mismatches \(counterMismatches), "
                + "unpublished events \(unpublishedEvents)"
        }

        mutating func note(_ example: @autoclosure () -> String) {
            if examples.count < 20 { examples.append(example()) }
        }
    }

    /// How the routing policy treats the region, which decides what counts as misrouted.
    public enum RegionRule: Sendable {
        /// Only reps of the lead's region may take it; a lead without a known region goes to the pool.
        case required
        /// Region ranks; any rep with room may take any lead, so no lead should be pooled.
        case preferred
    }

    public static func evaluate(posted: [Posted], observed: Observed, region rule: RegionRule = .required) -> Report {
        var report = Report()
        var leadsOfPerson: [Int: Set<String>] = [:]
        var acceptedOfPerson: [Int: Int] = [:]
        for message in posted {
            let row = observed.submissions[message.submissionId]
            guard let person = message.person else {
                report.invalidPosted += 1
                if row != nil {
                    report.invalidAccepted += 1
                    report.note("\(message.submissionId): invalid but recorded as \(row!.outcome) of lead \(row!.leadId)")
                }
                if !observed.rejectedOrDeadLettered.contains(message.submissionId) {
                    report.invalidUnaccounted += 1
                    report.note("\(message.submissionId): invalid, on neither crm.lead.rejected nor a dead-letter topic")
                }
                continue
            }
            report.validPosted += 1
            guard let row else {
                report.lostSubmissions += 1
                report.note("\(message.submissionId): valid, no lead")
                continue
            }
            leadsOfPerson[person, default: []].insert(row.leadId)
            if row.outcome == "accepted" { acceptedOfPerson[person, default: 0] += 1 }
        }
        for (person, leads) in leadsOfPerson {
            let extra = max(leads.count - 1, (acceptedOfPerson[person] ?? 0) - 1, 0)
            if extra > 0 {
                report.duplicatedLeads += extra
                report.note("person \(person): \(leads.count) lead(s), \(acceptedOfPerson[person] ?? 0) accepted submission(s)")
            }
        }

        let leads = Set(leadsOfPerson.values.flatMap { $0 })
        report.leads = leads.count
        let reps = Dictionary(observed.reps.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        // Regions where some rep still has room: a lead of such a region should never be pooled.
        let regionsWithRoom = Set(observed.reps.filter { $0.active && $0.holding < $0.capacity }.flatMap { $0.regions.map { $0.lowercased() } })
        for lead in leads.sorted() {
            let rows = observed.assignments[lead] ?? []
            guard !rows.isEmpty else {
                report.lostAssignments += 1
                report.note("lead \(lead): no routing decision")
                continue
            }
            if rows.count > 1 || rows.filter(\.current).count > 1 {
                report.duplicatedAssignments += rows.count - 1
                report.note("lead \(lead): \(rows.count) assignment rows")
            }
            guard let current = rows.first(where: \.current) ?? rows.first else { continue }
            let region = (observed.regions[lead] ?? nil)?.lowercased()
            if let repId = current.repId {
                report.assigned += 1
                let covers = region.map { region in reps[repId]?.regions.contains { $0.lowercased() == region } ?? false } ?? false
                if rule == .required && !covers {
                    report.misrouted += 1
                    report.note("lead \(lead) (region \(region ?? "unknown")): assigned to \(repId), who does not cover it")
                }
            } else {
                report.pooled += 1
                let roomForIt = switch rule {
                case .required: region.map { regionsWithRoom.contains($0) } ?? false
                case .preferred: observed.reps.contains { $0.active && $0.holding < $0.capacity }
                }
                if roomForIt {
                    report.misrouted += 1
                    report.note("lead \(lead) (region \(region ?? "unknown")): pooled to \(current.queue ?? "?") although a rep who may take it has room")
                }
            }
        }
        for rep in observed.reps {
            if rep.holding > rep.capacity || rep.openLeads > rep.capacity {
                report.capacityExceeded += 1
                report.note("rep \(rep.id): holds \(rep.holding), counter \(rep.openLeads), capacity \(rep.capacity)")
            }
            if rep.holding != rep.openLeads {
                report.counterMismatches += 1
                report.note("rep \(rep.id): counter \(rep.openLeads) but holds \(rep.holding)")
            }
        }
        report.unpublishedEvents = observed.unpublishedEvents
        return report
    }
}
