import ArgumentParser
import Foundation
import CRMBench
import LeadIntake
import Logging
import PostgresNIO
import Shared

/// `crmctl bench intake`: posts a generated mix to the intake topic as fast as the producer goes,
/// waits until the lead-intake consumer group committed past every posted message, and prints the
/// figures: expected outcomes (the generator's books), elapsed time and leads/s, and the actual
/// outcomes (lead_submissions in Postgres, crm.lead.rejected).
struct BenchIntake: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "intake",
        abstract: "Intake throughput: post a realistic mix, wait until lead-intake committed it all, print leads/s.",
        discussion: """
            The mix: Chinese names and companies, provinces, phone numbers written many ways; --duplicates of \
            the submissions are a person already posted, through another channel (same phone, email or WeCom \
            id, new submissionId and source); --malformed are not JSON, miss source, have no contact or a \
            negative budget. The same --seed gives the same mix; ids and identities carry the run id \
            (default: from the clock) so runs do not merge into each other's leads.

            First (unless --no-warm-up) one marker per partition is posted and the run waits until the group \
            committed past it: the consumer has joined and drained any older backlog (a new group starts at \
            the beginning of the topic). The markers are rejected by the intake and store nothing.

            Elapsed time runs from the first post until the group's committed offsets reach the end of what \
            was posted on every partition (the offsets in the delivery reports, not the watermarks: Tansu \
            under-reports those, docs/TANSU.md). Actual outcomes: lead_submissions rows (CRM_PG_* settings) \
            and crm.lead.rejected messages whose key has the run's prefix.

            Exit status: 0 figures printed and actual outcomes match the expected ones (or were skipped), \
            2 they differ, 1 failure or timeout.
            """)
    @OptionGroup var broker: BrokerOptions
    @Option(help: "Submissions to post.") var count = 20_000
    @Option(help: "Share of submissions that are a known person again through another channel.") var duplicates = 0.3
    @Option(help: "Share of malformed submissions.") var malformed = 0.02
    @Option(help: "Seed of the generator: the same seed gives the same mix.") var seed: UInt64 = 1
    @Option(help: "Run id in submission ids and identities: lower-case letters and digits (default: from the clock).") var runId: String?
    @Option(help: "Give up waiting for the consumer group this many seconds after the first post.") var timeoutSeconds = 300
    @Option(help: "Consumer group of the intake.") var group = "lead-intake.intake"
    @Option(help: "Intake topic.") var topic = Shared.Topics.leadIntake
    @Option(help: "Messages per produce call.") var chunkSize = 5000
    @Flag(help: "Do not read the actual outcomes from Postgres and crm.lead.rejected.") var skipActual = false
    @Flag(inversion: .prefixedNo, help: "First post a marker per partition and wait until the group is past it (drains an old backlog).")
    var warmUp = true
    @Flag(help: "Generate and check the mix against the intake's validator; post nothing.") var dryRun = false
    @Flag(help: "Print the generated submissions as JSON Lines on stdout (nothing else); post nothing.") var dump = false

    func validate() throws {
        guard (1...LeadGenerator.maxPeople).contains(count) else { throw ValidationError("--count must be 1...\(LeadGenerator.maxPeople)") }
        guard (0...1).contains(duplicates), (0...1).contains(malformed), duplicates + malformed <= 1 else {
            throw ValidationError("--duplicates and --malformed are shares between 0 and 1 that add up to at most 1")
        }
        if let runId, runId.isEmpty || runId.count > 16 || !runId.allSatisfy({ $0.isASCII && ($0.isLowercase || $0.isNumber) }) {
            throw ValidationError("--run-id must be 1-16 lower-case letters and digits")
        }
        guard timeoutSeconds > 0, chunkSize > 0 else { throw ValidationError("--timeout-seconds and --chunk-size must be positive") }
    }

    func run() async throws {
        let runId = self.runId ?? String(UInt64(Date().timeIntervalSince1970), radix: 36)
        let generator = LeadGenerator(count: count, duplicateShare: duplicates, malformedShare: malformed,
                                      seed: seed, runId: runId, now: Date())
        let generationStart = ContinuousClock.now
        let (submissions, tally) = generator.generate()
        if dump {
            for submission in submissions {
                FileHandle.standardOutput.write(Data(submission.value + [UInt8(ascii: "\n")]))
            }
            return
        }
        report("generated \(count) submissions in \(Self.format(ContinuousClock.now - generationStart)) s (run \(runId), seed \(seed))")
        print("bench intake: run \(runId), seed \(seed), \(count) submissions to \(topic), ids \(generator.prefix)*")
        print("  mix: \(tally.people) people; " + LeadGenerator.sources.map { "\($0) \(tally.sources[$0] ?? 0)" }.joined(separator: ", ")
            + "; malformed: " + LeadGenerator.Malformation.allCases.map { "\($0.rawValue) \(tally.malformations[$0] ?? 0)" }.joined(separator: ", "))
        print("  expected: " + Self.describe(tally.outcomes))

        if dryRun {
            let problems = Self.check(submissions, tally: tally, now: Date())
            for problem in problems.prefix(20) { report(problem) }
            guard problems.isEmpty else {
                report("\(problems.count) problem(s): the generator's books do not match what the validator makes of the mix")
                throw ExitCode.failure
            }
            print("  dry run: every submission checked with the intake's validator; the outcomes match in posting order and in reverse")
            return
        }

        // One producer for warm-up and run: its connection and producer id are set up before the clock starts.
        let producer = try KafkaProducer(config: broker.config("bench"), logger: broker.logger)
        if warmUp {
            try await warmUp(runId: runId, producer: producer)
        }

        // Post everything as fast as the producer takes it.
        var targets: [Int32: (first: Int64, end: Int64)] = [:]
        var progress = ProgressBar(total: count, unit: "msgs")
        let start = ContinuousClock.now
        for chunkStart in stride(from: 0, to: submissions.count, by: chunkSize) {
            let chunk = submissions[chunkStart..<min(chunkStart + chunkSize, submissions.count)]
            let reports = try await producer.send(chunk.map {
                ProducerRecord(topic: topic, key: Array($0.submissionId.utf8), value: $0.value)
            })
            for delivery in reports {
                let known = targets[delivery.partition]
                targets[delivery.partition] = (min(known?.first ?? delivery.offset, delivery.offset),
                                               max(known?.end ?? 0, delivery.offset + 1))
            }
            progress.update(chunkStart + chunk.count)
        }
        progress.finish(submissions.count)
        let posted = ContinuousClock.now - start
        await producer.close()
        print("  posted: \(count) in \(Self.format(posted)) s (\(Self.rate(count, posted)) msg/s) on \(targets.count) partition(s)")

        // Wait until the group committed past the last posted message on every partition.
        let waited = try await waitForCommits(targets: targets, start: start, unit: "committed")
        var exitCode = ExitCode.success
        if let waited {
            print("  committed by \(group): all \(count) after \(Self.format(waited)) s from the first post")
            print("  throughput: \(Self.rate(count, waited)) leads/s")
        } else {
            print("  committed by \(group): not all within \(timeoutSeconds) s (see stderr)")
            exitCode = .failure
        }

        if skipActual {
            throw exitCode
        }
        let actual = await actualOutcomes(prefix: generator.prefix, expectedRejected: tally[.rejected])
        switch actual {
        case .failure(let message):
            print("  actual: unavailable (\(message))")
            exitCode = .failure
        case .success(let outcomes):
            let matches = LeadGenerator.Outcome.allCases.allSatisfy { outcomes[$0, default: 0] == tally[$0] }
            print("  actual: " + Self.describe(outcomes) + (matches ? " (matches)" : " (DIFFERS from expected)"))
            if !matches, exitCode == .success { exitCode = ExitCode(2) }
        }
        throw exitCode
    }

    // MARK: - Waiting for the consumer group

    /// Posts one marker per partition and waits until the group committed past them: then the
    /// consumer has joined, drained what was already on the topic (a new group starts at the
    /// beginning) and warmed up, so the measurement is of the run alone. The markers are rejected by
    /// the intake (no source, no contact) and store nothing; their ids do not carry the run's prefix.
    private func warmUp(runId: String, producer: KafkaProducer) async throws {
        let admin = try broker.admin()
        guard let partitions = try await admin.describeTopics().first(where: { $0.name == topic })?.partitions else {
            report("topic \(topic) does not exist; lead-intake creates it at start-up (is it running?)")
            throw ExitCode.failure
        }
        let records = (0..<partitions).map { partition in
            let id = "benchwarmup-\(runId)-\(partition)"
            return ProducerRecord(topic: topic, key: Array(id.utf8),
                                  value: Array(#"{"submissionId":"\#(id)","warmup":"crmctl bench intake"}"#.utf8),
                                  partition: Int32(partition))
        }
        let reports = try await producer.send(records)
        var targets: [Int32: (first: Int64, end: Int64)] = [:]
        for delivery in reports { targets[delivery.partition] = (delivery.offset, delivery.offset + 1) }
        let start = ContinuousClock.now
        guard let waited = try await waitForCommits(targets: targets, start: start, unit: "warm-up markers") else {
            print("  warm-up: \(group) did not commit past the warm-up markers within \(timeoutSeconds) s (see stderr)")
            throw ExitCode.failure
        }
        print("  warm-up: \(group) caught up with \(topic) in \(Self.format(waited)) s")
    }

    /// Time from `start` until every partition's committed offset reached its end; nil on timeout.
    private func waitForCommits(targets: [Int32: (first: Int64, end: Int64)], start: ContinuousClock.Instant, unit: String) async throws -> Duration? {
        let admin = try broker.admin()
        let deadline = start + .seconds(timeoutSeconds)
        var progress = ProgressBar(total: targets.values.reduce(0) { $0 + Int($1.end - $1.first) }, unit: unit)
        var lastError: String?
        var behind: [(partition: Int32, committed: Int64?, end: Int64)] = []
        while ContinuousClock.now < deadline {
            do {
                let lags = try await admin.groupLag(group: group, topics: [topic])
                let committed = Dictionary(lags.map { ($0.partition.partition, $0.committed) }, uniquingKeysWith: { first, _ in first })
                behind = targets.compactMap { partition, target in
                    let offset = committed[partition] ?? nil
                    return (offset ?? -1) >= target.end ? nil : (partition, offset, target.end)
                }.sorted { $0.partition < $1.partition }
                let done = targets.reduce(0) { sum, entry in
                    let offset = (committed[entry.key] ?? nil) ?? entry.value.first
                    return sum + Int(min(max(offset, entry.value.first), entry.value.end) - entry.value.first)
                }
                if behind.isEmpty {
                    let elapsed = ContinuousClock.now - start
                    progress.finish(done)
                    return elapsed
                }
                progress.update(done)
                lastError = nil
            } catch {
                if lastError != "\(error)" { report("reading \(group)'s offsets failed (retrying): \(error)") }
                lastError = "\(error)"
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        progress.finish(progress.lastDone)
        report("timed out after \(timeoutSeconds) s waiting for \(group) on \(topic); partitions not committed to their end:")
        for entry in behind {
            report("  partition \(entry.partition): committed \(entry.committed.map(String.init) ?? "nothing"), posted up to offset \(entry.end - 1)")
        }
        report("is lead-intake running and consuming? (`crmctl lag \(group) --topic \(topic)`, its log in .data/logs/)")
        return nil
    }

    // MARK: - Actual outcomes

    /// accepted / merged from `lead_submissions`, rejected from `crm.lead.rejected`, for this run's ids.
    private func actualOutcomes(prefix: String, expectedRejected: Int) async -> Result<[LeadGenerator.Outcome: Int], BenchError> {
        var outcomes: [LeadGenerator.Outcome: Int] = [:]
        do {
            let stored = try await storedOutcomes(prefix: prefix)
            for (outcome, number) in stored {
                guard let known = LeadGenerator.Outcome(rawValue: outcome) else { continue }
                outcomes[known] = number
            }
        } catch {
            return .failure(BenchError("lead_submissions: \(error)"))
        }
        do {
            outcomes[.rejected] = try await rejectedCount(prefix: prefix, expected: expectedRejected)
        } catch {
            return .failure(BenchError("\(Shared.Topics.leadRejected): \(error)"))
        }
        return .success(outcomes)
    }

    private func storedOutcomes(prefix: String) async throws -> [String: Int] {
        let logger = broker.logger
        return try await withDatabase(logger: logger, timeout: .seconds(15)) { client in
            let exists = try await client.query("SELECT to_regclass('lead_submissions') IS NOT NULL", logger: logger)
                .collect().first?.decode(Bool.self) ?? false
            guard exists else { throw BenchError("the table does not exist (has lead-intake migrated the database?)") }
            var counts: [String: Int] = [:]
            let rows = try await client.query("""
                SELECT outcome, count(*) FROM lead_submissions WHERE starts_with(submission_id, \(prefix)) GROUP BY outcome
                """, logger: logger)
            for try await (outcome, number) in rows.decode((String, Int64).self) { counts[outcome] = Int(number) }
            return counts
        }
    }

    /// Rejected submissions of this run on crm.lead.rejected (keyed as received: the submissionId),
    /// read from the beginning until the topic is quiet for 3 s (at most 60 s). Counted once per
    /// key: another lead-intake on the same broker (a test's, with a group of its own) may reject
    /// the same submission again.
    private func rejectedCount(prefix: String, expected: Int) async throws -> Int {
        var config = broker.config("bench-rejected")
        config.properties["auto.offset.reset"] = "earliest"
        config.properties["enable.auto.commit"] = "false"
        let consumer = try KafkaConsumer(config: config, groupId: "crmctl-bench-\(UUID().uuidString.prefix(8).lowercased())",
                                         topics: [Shared.Topics.leadRejected], logger: broker.logger)
        let start = ContinuousClock.now
        var lastMessage = start
        var found: Swift.Set<String> = []
        while ContinuousClock.now - start < .seconds(60) {
            let batch = try await consumer.poll(maxMessages: 1000, timeout: .milliseconds(300))
            if batch.isEmpty {
                if !consumer.assignment.isEmpty, ContinuousClock.now - lastMessage > .seconds(3) { break }
                continue
            }
            lastMessage = .now
            for message in batch where message.keyText?.hasPrefix(prefix) == true || message.valueText?.contains(prefix) == true {
                found.insert(message.keyText ?? message.valueText ?? "")
            }
        }
        await consumer.close()
        return found.count
    }

    // MARK: - Dry run: the generator's books against the validator

    /// Every submission through the intake's validator: malformed ones must be rejected for their
    /// reason, the others accepted; then identity matching (exact phone/email/WeCom id, as the intake
    /// does) in posting order and in reverse must give the expected accepted/merged counts.
    static func check(_ submissions: [LeadGenerator.Submission], tally: LeadGenerator.Tally, now: Date) -> [String] {
        let validator = SubmissionValidator()
        var problems: [String] = []
        var valid: [[LeadIdentity]] = []
        for submission in submissions {
            let result = validator.validate(bytes: submission.value, now: now)
            switch (submission.malformation, result) {
            case (nil, .success(let validated)):
                valid.append(validated.lead.identities)
            case (nil, .failure(let rejection)):
                problems.append("\(submission.submissionId): rejected (\(rejection.message)) but expected \(submission.outcome.rawValue): "
                    + String(decoding: submission.value, as: UTF8.self))
            case (let kind?, .success):
                problems.append("\(submission.submissionId): \(kind.rawValue) was accepted by the validator")
            case (let kind?, .failure(let rejection)):
                let expected: LeadRejection.Reason = switch kind {
                case .notJSON: .notJSON
                case .missingSource: .missingField
                case .noContact: .noContact
                case .negativeBudget: .outOfRange
                }
                if rejection.reason != expected {
                    problems.append("\(submission.submissionId): \(kind.rawValue) rejected as \(rejection.reason.rawValue), expected \(expected.rawValue)")
                }
            }
        }
        for (order, identities) in [("posting order", valid), ("reverse order", valid.reversed())] {
            let (accepted, merged, conflicts) = simulateMatching(identities)
            if accepted != tally[.accepted] || merged != tally[.merged] || conflicts > 0 {
                problems.append("identity matching in \(order): accepted \(accepted), merged \(merged), \(conflicts) submission(s) matching two leads; "
                    + "expected accepted \(tally[.accepted]), merged \(tally[.merged])")
            }
        }
        return problems
    }

    /// Exact matching on normalized identities: a submission whose identities match no lead starts
    /// one, otherwise it merges (and its new identities join the lead).
    private static func simulateMatching(_ submissions: [[LeadIdentity]]) -> (accepted: Int, merged: Int, conflicts: Int) {
        var leadOf: [LeadIdentity: Int] = [:]
        var accepted = 0, merged = 0, conflicts = 0
        for identities in submissions {
            let leads = Swift.Set(identities.compactMap { leadOf[$0] })
            let lead: Int
            if let existing = leads.min() {
                lead = existing
                merged += 1
                if leads.count > 1 { conflicts += 1 }
            } else {
                lead = accepted
                accepted += 1
            }
            for identity in identities where leadOf[identity] == nil { leadOf[identity] = lead }
        }
        return (accepted, merged, conflicts)
    }

    // MARK: - Formatting

    static func describe(_ outcomes: [LeadGenerator.Outcome: Int]) -> String {
        LeadGenerator.Outcome.allCases.map { "\($0.rawValue) \(outcomes[$0] ?? 0)" }.joined(separator: ", ")
    }

    static func format(_ duration: Duration) -> String {
        String(format: "%.2f", ProgressBar.seconds(duration))
    }

    static func rate(_ count: Int, _ duration: Duration) -> Int {
        let seconds = ProgressBar.seconds(duration)
        return seconds > 0 ? Int((Double(count) / seconds).rounded()) : 0
    }
}

struct BenchError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
