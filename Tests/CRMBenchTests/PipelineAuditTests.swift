import CRMBench
import Testing

@Suite("Pipeline audit")
struct PipelineAuditTests {
    typealias Audit = PipelineAudit

    /// Person 1 posted twice (s1 accepted, s2 merged), person 2 once (s3), one malformed message (bad).
    let posted = [
        Audit.Posted(submissionId: "s1", person: 1), Audit.Posted(submissionId: "s2", person: 1),
        Audit.Posted(submissionId: "s3", person: 2), Audit.Posted(submissionId: "bad", person: nil),
    ]

    /// The state a correct pipeline leaves: two leads, each assigned once to a rep of its region.
    var clean: Audit.Observed {
        Audit.Observed(
            submissions: ["s1": ("l1", "accepted"), "s2": ("l1", "merged"), "s3": ("l2", "accepted")],
            assignments: ["l1": [.init(repId: "east-1", queue: nil, status: "open", current: true)],
                          "l2": [.init(repId: "north-1", queue: nil, status: "open", current: true)]],
            regions: ["l1": "east", "l2": "north"],
            reps: [.init(id: "east-1", regions: ["east"], active: true, capacity: 1, openLeads: 1, holding: 1),
                   .init(id: "north-1", regions: ["north"], active: true, capacity: 5, openLeads: 1, holding: 1)],
            rejectedOrDeadLettered: ["bad"])
    }

    @Test("a correct end state is clean")
    func cleanState() {
        let report = Audit.evaluate(posted: posted, observed: clean)
        #expect(report.isClean, "\(report.summary) \(report.examples)")
        #expect(report.validPosted == 3)
        #expect(report.invalidPosted == 1)
        #expect(report.leads == 2)
        #expect(report.assigned == 2)
    }

    @Test("a valid submission without a lead is lost")
    func lostSubmission() {
        var observed = clean
        observed.submissions["s3"] = nil
        observed.assignments["l2"] = nil
        let report = Audit.evaluate(posted: posted, observed: observed)
        #expect(report.lostSubmissions == 1)
        #expect(report.lost == 1)
        #expect(!report.isClean)
    }

    @Test("one person split over two leads, or accepted twice, is a duplicate")
    func duplicatedLead() {
        var observed = clean
        observed.submissions["s2"] = ("l3", "accepted")
        observed.assignments["l3"] = [.init(repId: "north-1", queue: nil, status: "open", current: true)]
        observed.regions["l3"] = "north"
        observed.reps[1].openLeads = 2
        observed.reps[1].holding = 2
        let report = Audit.evaluate(posted: posted, observed: observed)
        #expect(report.duplicatedLeads == 1)
        #expect(report.duplicated == 1)
    }

    @Test("a lead routed twice is a duplicated assignment; a lead never routed is lost")
    func assignments() {
        var twice = clean
        twice.assignments["l2"]!.insert(.init(repId: "north-1", queue: nil, status: "open", current: false), at: 0)
        #expect(Audit.evaluate(posted: posted, observed: twice).duplicatedAssignments == 1)

        var never = clean
        never.assignments["l2"] = nil
        never.reps[1].openLeads = 0
        never.reps[1].holding = 0
        let report = Audit.evaluate(posted: posted, observed: never)
        #expect(report.lostAssignments == 1)
        #expect(report.duplicatedAssignments == 0)
    }

    @Test("outside the lead's region, pooled while the region has room, or assigned without a region is misrouted")
    func misrouted() {
        var wrongRegion = clean
        wrongRegion.regions["l2"] = "south"
        #expect(Audit.evaluate(posted: posted, observed: wrongRegion).misrouted == 1)

        var pooledWithRoom = clean
        pooledWithRoom.assignments["l2"] = [.init(repId: nil, queue: "public_pool", status: "queued", current: true)]
        pooledWithRoom.reps[1].openLeads = 0
        pooledWithRoom.reps[1].holding = 0
        let report = Audit.evaluate(posted: posted, observed: pooledWithRoom)
        #expect(report.misrouted == 1)
        #expect(report.pooled == 1)

        // east-1 is full: pooling an east lead is right.
        var pooledFull = clean
        pooledFull.submissions["s3"] = ("l2", "accepted")
        pooledFull.regions["l2"] = "east"
        pooledFull.assignments["l2"] = [.init(repId: nil, queue: "public_pool", status: "queued", current: true)]
        pooledFull.reps[1].openLeads = 0
        pooledFull.reps[1].holding = 0
        #expect(Audit.evaluate(posted: posted, observed: pooledFull).isClean)

        var noRegion = clean
        noRegion.regions["l2"] = .some(nil)
        #expect(Audit.evaluate(posted: posted, observed: noRegion).misrouted == 1)
    }

    @Test("with the region preferred, any rep may take a lead, and pooling while anyone has room is misrouted")
    func preferredRegion() {
        var elsewhere = clean
        elsewhere.regions["l2"] = "south"
        #expect(Audit.evaluate(posted: posted, observed: elsewhere, region: .preferred).isClean)

        var pooled = clean
        pooled.assignments["l2"] = [.init(repId: nil, queue: "public_pool", status: "queued", current: true)]
        pooled.regions["l2"] = .some(nil)
        pooled.reps[1].openLeads = 0
        pooled.reps[1].holding = 0
        #expect(Audit.evaluate(posted: posted, observed: pooled, region: .preferred).misrouted == 1)
        #expect(Audit.evaluate(posted: posted, observed: pooled, region: .required).misrouted == 0,
                "without a region the strict policy pools it, rightly")
    }

    @Test("over capacity and a counter that disagrees with the assignments are reported")
    func capacity() {
        var over = clean
        over.reps[0].holding = 2
        over.reps[0].openLeads = 2
        let report = Audit.evaluate(posted: posted, observed: over)
        #expect(report.capacityExceeded == 1)
        #expect(report.counterMismatches == 0)

        var drifted = clean
        drifted.reps[1].openLeads = 3
        #expect(Audit.evaluate(posted: posted, observed: drifted).counterMismatches == 1)
    }

    @Test("an invalid message must be on crm.lead.rejected or a dead-letter topic, and never become a lead")
    func invalid() {
        var missing = clean
        missing.rejectedOrDeadLettered = []
        #expect(Audit.evaluate(posted: posted, observed: missing).invalidUnaccounted == 1)

        var accepted = clean
        accepted.submissions["bad"] = ("l1", "merged")
        #expect(Audit.evaluate(posted: posted, observed: accepted).invalidAccepted == 1)
    }

    @Test("unpublished outbox rows make the end state not clean")
    func outbox() {
        var observed = clean
        observed.unpublishedEvents = 2
        #expect(!Audit.evaluate(posted: posted, observed: observed).isClean)
    }
}
