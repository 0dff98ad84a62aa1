import CRMBench
import CRMTestSupport
import Foundation
import PostgresNIO
import Shared
import Testing

/// One run of a fault scenario: lead-intake and assignment as executables on a database of their
/// own, a roster whose capacity binds, a steady open-loop load on `crm.lead.intake`, the fault, and
/// then the audit of the end state (`PipelineAudit`): lost, duplicated, misrouted, capacity.
final class FaultDrill: @unchecked Sendable {
    /// Scenario settings from the environment: `CRM_FAULT_RATE` leads/s (150) for
    /// `CRM_FAULT_SECONDS` (20) per run.
    static let rate = Double(ProcessInfo.processInfo.environment["CRM_FAULT_RATE"] ?? "") ?? 150
    static let seconds = Double(ProcessInfo.processInfo.environment["CRM_FAULT_SECONDS"] ?? "") ?? 20
    static let key = ["X-API-Key": "local-dev-key"]

    let scenario: String
    let run: Int
    let client: PostgresClient
    let settings: PostgresSettings
    let groupPrefix: String
    let generator: LeadGenerator
    let submissions: [LeadGenerator.Submission]
    /// Extra messages the scenario posts that must end on crm.lead.rejected or a dead-letter topic.
    private(set) var poison: [PipelineAudit.Posted] = []
    private(set) var intakes: [ServiceProcess] = []
    private(set) var assignments: [ServiceProcess] = []
    private(set) var kills = 0
    private var events: LeadEventCollector!
    private var rejections: RejectionCollector!
    private var collectors: Task<Void, any Error>?

    var intakeGroup: String { groupPrefix + "lead-intake.intake" }
    var assignmentGroup: String { groupPrefix + "assignment.lead-events" }

    init(scenario: String, run: Int, client: PostgresClient, settings: PostgresSettings) {
        self.scenario = scenario
        self.run = run
        self.client = client
        self.settings = settings
        let runId = "f" + String(UInt32.random(in: 0..<UInt32.max), radix: 36)
        groupPrefix = "faults-\(runId)."
        generator = LeadGenerator(count: Int(Self.rate * Self.seconds), duplicateShare: 0.3, malformedShare: 0.02,
                                  seed: UInt64.random(in: 1..<UInt64.max), runId: runId, now: Date())
        submissions = generator.generate().submissions
    }

    var environment: [String: String] {
        [
            "CRM_PG_DATABASE": settings.database, "CRM_CONSUMER_GROUP_PREFIX": groupPrefix, "CRM_CONSUMER_START": "latest",
            "CRM_OUTBOX_POLL_MS": "200", "CRM_RETRY_BACKOFF_MS": "50", "CRM_DLQ_MAX_ATTEMPTS": "2",
            "CRM_LOG_LEVEL": ProcessInfo.processInfo.environment["CRM_FAULT_LOG_LEVEL"] ?? "info",
        ]
    }

    // MARK: - Services

    @discardableResult
    func startIntake(failpoints: String? = nil) async throws -> ServiceProcess {
        try await start("lead-intake", group: intakeGroup, failpoints: failpoints, into: \.intakes)
    }

    @discardableResult
    func startAssignment(failpoints: String? = nil) async throws -> ServiceProcess {
        try await start("assignment", group: assignmentGroup, failpoints: failpoints, into: \.assignments)
    }

    /// Starts `name` and records it in `list` at once, so `stop()` ends it even if it never joins.
    private func start(
        _ name: String, group: String, failpoints: String?, into list: ReferenceWritableKeyPath<FaultDrill, [ServiceProcess]>
    ) async throws -> ServiceProcess {
        let process = try ServiceProcess(name, environment: environment.merging(failpoints.map { ["CRM_FAILPOINTS": $0] } ?? [:]) { $1 })
        self[keyPath: list].append(process)
        // An armed process may reach its point before it joins the group (its relay publishes
        // what the killed one left behind first): only a clean start has to join.
        if failpoints == nil { try await expectConsuming(process, group: group) }
        return process
    }

    private func expectConsuming(_ process: ServiceProcess, group: String) async throws {
        guard await process.waitUntilConsuming(group: group, timeout: .seconds(90)) else {
            throw DrillError("\(process.process.executableURL?.lastPathComponent ?? "?") did not join \(group) within 90 s: \(process.standardError.suffix(2000))")
        }
    }

    /// kill -9: no shutdown, no flush, no leaving the group.
    func kill9(_ process: ServiceProcess) async {
        if process.process.isRunning {
            kill(process.process.processIdentifier, SIGKILL)
            kills += 1
        }
        _ = await process.waitForExit(timeout: .seconds(10))
    }

    /// Waits for a process armed with a failpoint to kill itself there.
    func waitForFailpoint(_ process: ServiceProcess, timeout: Duration = .seconds(60)) async throws {
        guard await process.waitForExit(timeout: timeout) != nil else {
            throw DrillError("the armed process did not reach its failpoint within \(timeout)")
        }
        guard process.standardError.contains("failpoint") else {
            throw DrillError("the armed process exited without reaching its failpoint: \(process.standardError.suffix(2000))")
        }
        kills += 1
    }

    // MARK: - Set-up

    /// Roster (capacity binds: roughly two thirds of the leads find room) and routing policy,
    /// collectors at the end of the topics, and a warm-up that leaves both groups with committed
    /// offsets on every partition, so a restarted instance resumes instead of starting at the end.
    func prepare() async throws {
        let leads = Double(submissions.count) * 0.68
        let roster = BenchRoster(reps: 14, capacity: max(1, Int(leads * 0.5 / 14)))
        guard let assignment = assignments.last else { throw DrillError("start assignment first") }
        let imported = await assignment.request("POST", "/v1/reps/import", headers: Self.key.merging(["Content-Type": "text/csv"]) { $1 }, body: roster.csv)
        guard imported?.status == 200 else { throw DrillError("roster import: \(imported?.status ?? 0) \(imported?.body ?? "no answer")") }
        let policy = await assignment.request("PUT", "/v1/rules/routing", headers: Self.key, body: BenchRoster.strictRoutingPolicy)
        guard policy?.status == 200 else { throw DrillError("routing policy: \(policy?.status ?? 0) \(policy?.body ?? "no answer")") }

        events = try LeadEventCollector(config: TestInfrastructure.kafkaConfig("faults-events"), prefix: generator.prefix, logger: TestInfrastructure.logger)
        rejections = try RejectionCollector(config: TestInfrastructure.kafkaConfig("faults-rejections"), prefix: generator.prefix,
                                            logger: TestInfrastructure.logger)
        guard try await events.waitUntilAssigned(timeout: .seconds(60)), try await rejections.waitUntilAssigned(timeout: .seconds(60)) else {
            throw DrillError("the drill's topic readers got no partitions")
        }
        let events = self.events!, rejections = self.rejections!
        collectors = Task {
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await events.run() }
                group.addTask { try await rejections.run() }
                try await group.waitForAll()
            }
        }
        try await warmUp()
    }

    private func warmUp() async throws {
        let admin = try KafkaAdmin(config: TestInfrastructure.kafkaConfig("faults-admin"), logger: TestInfrastructure.logger)
        let producer = try KafkaProducer(config: TestInfrastructure.kafkaConfig("faults-warmup"), logger: TestInfrastructure.logger)
        defer { Task { await producer.close() } }
        let topics = try await admin.describeTopics()
        let intakePartitions = topics.first { $0.name == Topics.leadIntake }?.partitions ?? 6
        let eventPartitions = topics.first { $0.name == Topics.leadEvents }?.partitions ?? 6
        // One invalid marker per intake partition (rejected; its offset committed).
        let markers = (0..<intakePartitions).map { partition in
            let id = generator.prefix + "warmup-\(partition)"
            poison.append(PipelineAudit.Posted(submissionId: id, person: nil))
            return ProducerRecord(topic: Topics.leadIntake, key: Array(id.utf8), value: Array(#"{"submissionId":"\#(id)"}"#.utf8),
                                  partition: Int32(partition))
        }
        try await producer.send(markers)
        // Leads until assignment committed on every partition of crm.lead.events (lead ids spread them).
        var round = 0
        let deadline = ContinuousClock.now + .seconds(120)
        while ContinuousClock.now < deadline {
            let intake = try await admin.groupLag(group: intakeGroup, topics: [Topics.leadIntake])
            let assignment = try await admin.groupLag(group: assignmentGroup, topics: [Topics.leadEvents])
            if intake.filter({ $0.committed != nil }).count >= intakePartitions,
               assignment.filter({ $0.committed != nil }).count >= eventPartitions {
                return
            }
            if round < 12 {
                let leads = (0..<5).map { index -> ProducerRecord in
                    let id = generator.prefix + "warmup-lead-\(round)-\(index)"
                    let phone = "139" + String(format: "%08d", Int.random(in: 0..<100_000_000))
                    warmUpLeads.append(id)
                    return ProducerRecord(topic: Topics.leadIntake, key: id, value: """
                        {"submissionId":"\(id)","source":"web_form","contact":{"name":"预热","phone":"\(phone)"},"company":{"name":"预热科技有限公司","province":"浙江"}}
                        """)
                }
                try await producer.send(leads)
                round += 1
            }
            try await Task.sleep(for: .seconds(1))
        }
        throw DrillError("warm-up: the groups did not commit on every partition within 120 s")
    }

    /// Warm-up leads: valid, each its own person (they count in the audit like the load).
    private(set) var warmUpLeads: [String] = []

    // MARK: - Load

    /// Posts the run's submissions at `rate` in the background.
    func startLoad() -> Task<OpenLoopPoster.Log, any Error> {
        let submissions = self.submissions
        return Task {
            let producer = try KafkaProducer(config: TestInfrastructure.kafkaConfig("faults-load"), logger: TestInfrastructure.logger)
            let log = try await OpenLoopPoster(producer: producer).post(submissions[...], rate: Self.rate)
            await producer.close()
            return log
        }
    }

    /// Posts messages that cannot be processed, keyed with the run's prefix.
    func postPoison(_ records: [(id: String, topic: String, value: [UInt8])]) async throws {
        let producer = try KafkaProducer(config: TestInfrastructure.kafkaConfig("faults-poison"), logger: TestInfrastructure.logger)
        try await producer.send(records.map { ProducerRecord(topic: $0.topic, key: Array($0.id.utf8), value: $0.value) })
        await producer.close()
        poison += records.map { PipelineAudit.Posted(submissionId: $0.id, person: nil) }
    }

    // MARK: - Verdict

    var posted: [PipelineAudit.Posted] {
        // Warm-up leads are people of their own: numbers above the generator's.
        submissions.map(PipelineAudit.Posted.init) + poison
            + warmUpLeads.enumerated().map { PipelineAudit.Posted(submissionId: $0.element, person: LeadGenerator.maxPeople + $0.offset) }
    }

    /// Waits until every posted message is accounted for (a lead routed, a merge, a rejection or a
    /// dead letter) and the outbox is drained, then audits the database.
    func settleAndAudit(timeout: Duration = .seconds(180)) async throws -> PipelineAudit.Report {
        let ids = posted.map(\.submissionId)
        let rejections = self.rejections!
        _ = await events.wait(timeout: timeout) { state in
            let rejected = rejections.keys
            return ids.allSatisfy { state.isDone($0, rejected: rejected) }
        }
        // Stragglers a duplicate delivery may still bring, and the relays' last marks.
        let end = ContinuousClock.now + .seconds(30)
        while ContinuousClock.now < end {
            let unpublished = try await client.queryRows("SELECT count(*) FROM outbox_queue", logger: TestInfrastructure.logger)
                .first?.decode(Int.self) ?? 0
            if unpublished == 0 { break }
            try await Task.sleep(for: .milliseconds(200))
        }
        try await Task.sleep(for: .seconds(1))
        let observed = try await PipelineAudit.observe(client: client, prefix: generator.prefix,
                                                       rejectedOrDeadLettered: Set(rejections.keys.keys), logger: TestInfrastructure.logger)
        return PipelineAudit.evaluate(posted: posted, observed: observed, region: .required)
    }

    /// The services' log files, for a failure message.
    var logFiles: String {
        (intakes + assignments).map { $0.logFile.path }.joined(separator: ", ")
    }

    /// Every running service answers /ready.
    func healthyServices() async -> [String] {
        var problems: [String] = []
        for process in intakes + assignments where process.process.isRunning {
            let ready = await process.get("/ready")
            if ready?.status != 200 {
                problems.append("\(process.process.executableURL?.lastPathComponent ?? "?") /ready: \(ready?.status ?? 0) \(ready?.body ?? "")")
            }
        }
        return problems
    }

    func stop() async {
        events?.stop()
        rejections?.stop()
        _ = try? await collectors?.value
        for process in intakes + assignments where process.process.isRunning {
            process.terminate()
            _ = await process.waitForExit(timeout: .seconds(15))
        }
    }

    /// One line for docs/BENCHMARKS.md and `.data/faults/results.csv`.
    func record(_ report: PipelineAudit.Report, elapsed: Duration) {
        let counts: [Int] = [posted.count, report.validPosted, report.invalidPosted, report.leads, report.assigned, report.pooled,
                             kills, report.lost, report.duplicated, report.misrouted, report.capacityExceeded]
        let line = ([scenario, String(run)] + counts.map { String($0) } + [String(elapsed.components.seconds)]).joined(separator: ",")
        let directory = FileManager.default.currentDirectoryPath + "/.data/faults"
        try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let file = directory + "/results.csv"
        if !FileManager.default.fileExists(atPath: file) {
            _ = FileManager.default.createFile(atPath: file, contents: Data(
                "scenario,run,messages,valid,invalid,leads,assigned,pooled,kills,lost,duplicated,misrouted,capacity_exceeded,seconds\n".utf8))
        }
        if let handle = FileHandle(forWritingAtPath: file) {
            handle.seekToEndOfFile()
            handle.write(Data((line + "\n").utf8))
            try? handle.close()
        }
        print("fault drill \(scenario) run \(run): \(report.summary); kills \(kills)")
    }
}

struct DrillError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
