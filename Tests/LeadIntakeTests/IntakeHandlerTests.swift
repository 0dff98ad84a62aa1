import CRMTestSupport
import Foundation
import PostgresNIO
import Shared
import Testing
@testable import LeadIntake

@Suite("Intake handler against Postgres and the broker")
struct IntakeHandlerTests {
    typealias H = IntakeHarness

    @Test("a new person becomes one lead with normalized identities, a touch and a scored LeadAccepted")
    func accept() async throws {
        try await H.run { h in
            try await h.handler.handle(H.messages([H.submission(
                "web-1", phone: "138 0013 8000", email: " Zhang.Wei@Example.COM ", wecomId: "wm_abc123",
                receivedAt: "2026-11-23T09:30:00+08:00")]))
            #expect(try await h.count("SELECT count(*) FROM leads") == 1)
            #expect(try await h.count("SELECT count(*) FROM lead_identities") == 3)
            #expect(try await h.count("SELECT count(*) FROM lead_submissions WHERE outcome = 'accepted'") == 1)
            let accepted = try await h.events(.leadAccepted, as: LeadAccepted.self)
            let event = try #require(accepted.first)
            #expect(accepted.count == 1)
            #expect(event.payload.contact.phone == "+8613800138000")
            #expect(event.payload.contact.email == "zhang.wei@example.com")
            #expect(event.payload.company.region == "east")
            #expect(event.payload.scoringVersion == 1)
            #expect(event.payload.score == event.payload.scoreBreakdown.reduce(0) { $0 + $1.points })
            #expect(event.payload.score > 0)
            #expect(event.aggregateId == event.payload.leadId.uuidString.lowercased())
            #expect(event.correlationId == "web-1")
            #expect(abs(event.payload.receivedAt.timeIntervalSince1970 - 1_795_397_400) < 0.001)
        }
    }

    @Test("the same person through another channel is merged, matched on that identity", arguments: [
        ("phone", H.submission("wecom-2", source: "wecom", name: nil, phone: "+86 138-0013-8000", email: "other@example.com", company: nil)),
        ("email", H.submission("expo-2", source: "expo_scan", name: nil, email: "ZHANG.WEI@example.com", company: nil)),
        ("wecomId", H.submission("wecom-3", source: "wecom", name: nil, wecomId: "wm_abc123", company: nil)),
    ])
    func merge(identity: String, second: String) async throws {
        try await H.run { h in
            try await h.handler.handle(H.messages([H.submission(
                "web-1", phone: "13800138000", email: "zhang.wei@example.com", wecomId: "wm_abc123", company: nil)]))
            try await h.handler.handle(H.messages([second], firstOffset: 1))
            #expect(try await h.count("SELECT count(*) FROM leads") == 1)
            #expect(try await h.count("SELECT count(*) FROM lead_submissions") == 2)
            let merged = try await h.events(.leadMerged, as: LeadMerged.self)
            #expect(merged.map(\.payload.matchedOn) == [[identity]])
            let accepted = try await h.events(.leadAccepted, as: LeadAccepted.self)
            #expect(merged.first?.payload.leadId == accepted.first?.payload.leadId)
        }
    }

    @Test("a merge fills what the lead lacked, adds new identities, and never overwrites")
    func mergeFillsMissing() async throws {
        try await H.run { h in
            try await h.handler.handle(H.messages([H.submission("phone-1", source: "phone_call", name: "张伟", phone: "13800138000", company: nil)]))
            try await h.handler.handle(H.messages([H.submission(
                "web-2", name: "张 伟 (web)", phone: "13800138000", email: "zw@example.com", company: "华东医药连锁有限公司")], firstOffset: 1))
            let merged = try #require(try await h.events(.leadMerged, as: LeadMerged.self).first)
            #expect(merged.payload.filledFields.contains("contact.email"))
            #expect(merged.payload.filledFields.contains("company.name"))
            #expect(!merged.payload.filledFields.contains("contact.name"))
            let name = try await h.client.query("SELECT contact_name, email FROM leads").collect().first?.decode((String, String).self)
            #expect(name?.0 == "张伟")
            #expect(name?.1 == "zw@example.com")
            #expect(try await h.count("SELECT count(*) FROM lead_identities WHERE kind = 'email'") == 1)
            // The new e-mail now finds the lead too.
            try await h.handler.handle(H.messages([H.submission("mail-3", name: nil, email: "ZW@example.com", company: nil)], firstOffset: 2))
            #expect(try await h.count("SELECT count(*) FROM leads") == 1)
        }
    }

    @Test("one batch with a new lead, a merge into it and a merge completing an older lead writes all three")
    func newAndCompletedInOneBatch() async throws {
        try await H.run { h in
            try await h.handler.handle(H.messages([H.submission("old-1", source: "phone_call", name: "李娜", phone: "13900139000", company: nil)]))
            try await h.handler.handle(H.messages([
                H.submission("new-1", source: "phone_call", name: "张伟", phone: "13800138000", company: nil),
                H.submission("new-2", name: nil, phone: "13800138000", email: "zw@example.com", company: nil),
                H.submission("old-2", name: nil, phone: "13900139000", email: "ln@example.com", company: nil),
            ], firstOffset: 1))
            #expect(try await h.count("SELECT count(*) FROM leads") == 2)
            let emails = try await h.client.query("SELECT contact_name, email FROM leads ORDER BY contact_name")
                .collect().map { try $0.decode((String, String?).self) }
            #expect(emails.map(\.0) == ["张伟", "李娜"].sorted())
            #expect(Dictionary(uniqueKeysWithValues: emails.map { ($0.0, $0.1) }) == ["张伟": "zw@example.com", "李娜": "ln@example.com"])
            #expect(try await h.count("SELECT count(*) FROM lead_identities WHERE kind = 'email'") == 2)
            #expect(try await h.count("SELECT count(*) FROM lead_submissions") == 4)
            #expect(try await h.events(.leadMerged, as: LeadMerged.self).map(\.payload.filledFields).allSatisfy { $0.contains("contact.email") })
        }
    }

    @Test("redelivered submissions have no effect and emit nothing")
    func idempotentRedelivery() async throws {
        try await H.run { h in
            let batch = H.messages([
                H.submission("web-1", phone: "13800138000"),
                H.submission("web-2", phone: "13900139000", company: "另一家公司"),
                H.submission("web-1", phone: "13800138000"),
            ])
            try await h.handler.handle(batch)
            try await h.handler.handle(batch)
            #expect(try await h.count("SELECT count(*) FROM leads") == 2)
            #expect(try await h.count("SELECT count(*) FROM lead_submissions") == 2)
            #expect(try await h.count("SELECT count(*) FROM outbox") == 2)
        }
    }

    @Test("one new person arriving on two instances at the same moment becomes exactly one lead")
    func concurrentDuplicateRace() async throws {
        try await H.run { h in
            // A second instance: its own connection pool and handler on the same database.
            try await TestInfrastructure.withClient(h.settings) { otherClient in
                let other = IntakeHandler(client: otherClient, producer: h.producer, scoringRules: h.scoring,
                                          outboxProducer: "lead-intake", logger: TestInfrastructure.logger)
                let people = 40
                let viaWeb = (0..<people).map { H.submission("web-\($0)", phone: "1380013\(String(format: "%04d", $0))", company: "公司\($0)") }
                let viaWeCom = (0..<people).map { H.submission("wecom-\($0)", source: "wecom", phone: "+86 1380013\(String(format: "%04d", $0))", company: nil) }
                // Small batches interleaved on both instances maximise the overlap.
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask { for chunk in stride(from: 0, to: people, by: 5) { try await h.handler.handle(H.messages(Array(viaWeb[chunk..<chunk + 5]))) } }
                    group.addTask { for chunk in stride(from: 0, to: people, by: 5) { try await other.handle(H.messages(Array(viaWeCom[chunk..<chunk + 5]), partition: 1)) } }
                    try await group.waitForAll()
                }
                #expect(try await h.count("SELECT count(*) FROM leads") == people)
                #expect(try await h.count("SELECT count(*) FROM lead_submissions") == 2 * people)
                #expect(try await h.count("SELECT count(*) FROM outbox WHERE event_type = 'LeadAccepted'") == people)
                #expect(try await h.count("SELECT count(*) FROM outbox WHERE event_type = 'LeadMerged'") == people)
                #expect(try await h.count("SELECT count(DISTINCT lead_id) FROM lead_identities") == people)
            }
        }
    }

    @Test("likely the same company and person under another phone is flagged for review by the detector, not merged")
    func fuzzyDuplicate() async throws {
        try await H.run { h in
            try await h.handler.handle(H.messages([H.submission("web-1", name: "张伟", phone: "13800138000", company: "华东医药连锁有限公司")]))
            try await h.handler.handle(H.messages([H.submission("expo-2", name: "张伟", phone: "13900000001", company: "华东医药连锁股份有限公司")], firstOffset: 1))
            try await h.handler.handle(H.messages([H.submission("web-3", name: "李娜", phone: "13900000002", company: "华东医药连锁有限公司")], firstOffset: 2))
            #expect(try await h.count("SELECT count(*) FROM leads") == 3)
            #expect(try await h.count("SELECT count(*) FROM possible_duplicates") == 0, "flagged in the background, not by intake")
            let detector = DuplicateDetector(client: h.client, logger: TestInfrastructure.logger)
            #expect(try await detector.checkPending() == 3)
            #expect(try await detector.checkPending() == 0, "each lead is checked once")
            let pairs = try await h.client.query("""
                SELECT n.submission_id, c.submission_id, d.reason FROM possible_duplicates d
                JOIN leads n ON n.id = d.lead_id JOIN leads c ON c.id = d.candidate_id
                """).collect().map { try $0.decode((String, String, String).self) }
            #expect(pairs.count == 1)
            #expect(pairs.first?.0 == "expo-2" && pairs.first?.1 == "web-1" && pairs.first?.2 == "similar_company_and_contact")
        }
    }

    @Test("a merge never waits for the duplicate check: the check holds no lead while it searches")
    func detectorHoldsNoLeadWhileSearching() async throws {
        try await H.run { h in
            try await h.handler.handle(H.messages([H.submission("web-1", name: "张伟", phone: "13800138000", company: "华东医药连锁有限公司")]))
            try await h.handler.handle(H.messages([H.submission("expo-2", name: "张伟", phone: "13900000001", company: "华东医药连锁股份有限公司")], firstOffset: 1))
            let older = try await h.leadId(of: "web-1")
            let newer = try await h.leadId(of: "expo-2")
            let checked = try await checkHeldMidSearch(h, held: (newer, older)) {
                // What a merge into the lead does: its foreign-key checks, then the completion of its fields.
                try await h.client.withConnection { merge in
                    try await merge.query("BEGIN", logger: TestInfrastructure.logger)
                    try await merge.query("SET LOCAL lock_timeout = '5s'", logger: TestInfrastructure.logger)
                    try await merge.query("SELECT 1 FROM leads WHERE id = \(newer) FOR KEY SHARE", logger: TestInfrastructure.logger)
                    try await merge.query("UPDATE leads SET notes = notes WHERE id = \(newer)", logger: TestInfrastructure.logger)
                    try await merge.query("ROLLBACK", logger: TestInfrastructure.logger)
                }
            }
            #expect(checked == 2, "both leads checked once the flag was rolled back")
            #expect(try await h.count("SELECT count(*) FROM possible_duplicates") == 1)
        }
    }

    @Test("a lead completed while the check searched is checked again with its new fields")
    func detectorRechecksLeadChangedMeanwhile() async throws {
        try await H.run { h in
            try await h.handler.handle(H.messages([H.submission("web-1", name: "张伟", phone: "13800138000", company: "华东医药连锁有限公司")]))
            try await h.handler.handle(H.messages([H.submission("web-2", name: "张伟", phone: "13800138002", company: "华东医药连锁股份有限公司")], firstOffset: 1))
            // No company yet: nothing to compare it with.
            try await h.handler.handle(H.messages([H.submission("expo-3", name: "张伟", phone: "13900000003", company: nil)], firstOffset: 2))
            let third = try await h.leadId(of: "expo-3")
            let checked = try await checkHeldMidSearch(h, held: (try await h.leadId(of: "web-2"), try await h.leadId(of: "web-1"))) {
                // The third lead's company arrives through another channel meanwhile (a merge completes it).
                try await h.handler.handle(H.messages([H.submission("wecom-4", source: "wecom", name: "张伟", phone: "+86 139 0000 0003",
                                                                    company: "华东医药连锁股份有限公司")], firstOffset: 3))
            }
            #expect(checked == 2, "the completed lead is left for the next round")
            #expect(try await h.count("SELECT count(*) FROM possible_duplicates WHERE lead_id = '\(third)'") == 0)
            #expect(try await DuplicateDetector(client: h.client, logger: TestInfrastructure.logger).checkPending() == 1)
            #expect(try await h.count("SELECT count(*) FROM possible_duplicates WHERE lead_id = '\(third)'") == 2,
                    "checked with the company it got meanwhile")
        }
    }

    @Test("the duplicate check never waits for a lead a merge holds: it marks the others, that one next round", .timeLimit(.minutes(2)))
    func detectorSkipsLeadHeldByMerge() async throws {
        try await H.run { h in
            try await h.handler.handle(H.messages([H.submission("web-1", name: "张伟", phone: "13800138000", company: "华东医药连锁有限公司")]))
            try await h.handler.handle(H.messages([H.submission("web-2", name: "李娜", phone: "13800138002", company: "华南医药有限公司")], firstOffset: 1))
            let held = try await h.leadId(of: "web-1")
            enum Outcome: Sendable, Equatable { case checked(Int), waitedForLock }
            let (first, afterRelease) = try await TestInfrastructure.withClient(h.settings) { mergeClient in
                try await mergeClient.withConnection { merge in
                    // A merge's completion of the lead, not committed yet: it holds the row.
                    try await merge.query("BEGIN", logger: TestInfrastructure.logger)
                    try await merge.query("UPDATE leads SET notes = notes WHERE id = \(held)", logger: TestInfrastructure.logger)
                    return try await withThrowingTaskGroup(of: Outcome.self) { group in
                        group.addTask { .checked(try await DuplicateDetector(client: h.client, logger: TestInfrastructure.logger).checkPending()) }
                        group.addTask {
                            while try await h.count("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'") == 0 {
                                try await Task.sleep(for: .milliseconds(50))
                            }
                            return .waitedForLock
                        }
                        let first = try await group.next() ?? .waitedForLock
                        try await merge.query("ROLLBACK", logger: TestInfrastructure.logger)
                        // A check that waited finishes once the merge is gone.
                        let afterRelease = first == .waitedForLock ? try await group.next() : nil
                        group.cancelAll()
                        return (first, afterRelease)
                    }
                }
            }
            #expect(first == .checked(1), "the check waited for the merge's lead instead of skipping it (then: \(String(describing: afterRelease)))")
            #expect(try await h.count("SELECT count(*) FROM leads WHERE duplicates_checked_at IS NULL AND id = '\(held)'") == 1)
            #expect(try await DuplicateDetector(client: h.client, logger: TestInfrastructure.logger).checkPending() == 1)
            #expect(try await h.count("SELECT count(*) FROM leads WHERE duplicates_checked_at IS NULL") == 0)
        }
    }

    /// Runs a duplicate check and holds it in the middle of its search: an uncommitted flag for
    /// `held`, a pair the check will flag, makes its insert wait. Runs `meanwhile`, rolls the flag
    /// back and returns what the check returned.
    private func checkHeldMidSearch(_ h: H, held: (lead: UUID, candidate: UUID), meanwhile: @Sendable () async throws -> Void) async throws -> Int {
        try await TestInfrastructure.withClient(h.settings) { blockerClient in
            try await blockerClient.withConnection { blocker in
                try await blocker.query("BEGIN", logger: TestInfrastructure.logger)
                try await blocker.query("""
                    INSERT INTO possible_duplicates (lead_id, candidate_id, reason) VALUES (\(held.lead), \(held.candidate), 'held by the test')
                    """, logger: TestInfrastructure.logger)
                return try await withThrowingTaskGroup(of: Int.self) { group in
                    group.addTask { try await DuplicateDetector(client: h.client, logger: TestInfrastructure.logger).checkPending() }
                    // A check that skipped the leads (locked by the flag's foreign keys) ends without waiting.
                    #expect(try await waitForLockWait(h, until: 100), "the check never reached its search")
                    try await meanwhile()
                    try await blocker.query("ROLLBACK", logger: TestInfrastructure.logger)
                    return try await group.next() ?? -1
                }
            }
        }
    }

    /// Polls (100 ms apart, at most `until` times) until a backend of the test's database waits for a lock.
    private func waitForLockWait(_ h: H, until attempts: Int) async throws -> Bool {
        for _ in 0..<attempts {
            if try await h.count("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'") > 0 {
                return true
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        return false
    }

    @Test("identities pointing at two leads: merged into the first match, the pair flagged")
    func identityConflict() async throws {
        try await H.run { h in
            try await h.handler.handle(H.messages([
                H.submission("a", name: "王芳", phone: "13800000001", company: "甲公司"),
                H.submission("b", name: "赵强", email: "zq@example.com", company: "乙公司"),
            ]))
            try await h.handler.handle(H.messages([H.submission("c", name: nil, phone: "13800000001", email: "zq@example.com", company: nil)], firstOffset: 2))
            let merged = try #require(try await h.events(.leadMerged, as: LeadMerged.self).first)
            #expect(merged.payload.matchedOn == ["phone"])
            #expect(try await h.count("SELECT count(*) FROM possible_duplicates WHERE reason = 'identity_conflict'") == 1)
            #expect(try await h.count("SELECT count(*) FROM leads") == 2)
        }
    }

    @Test("a scoring rule change applies to the next batch, without restart, and is recorded on the lead")
    func ruleChangeWithoutRestart() async throws {
        try await H.run { h in
            try await h.handler.handle(H.messages([H.submission("web-1", phone: "13800138001")]))
            let changed = #"{"sources": {"web_form": 77}}"#
            #expect(LeadIntakeService.validateScoringRules(changed).isEmpty)
            #expect(try await h.scoring.set(document: changed, actor: "sales-ops@example.com") == 2)
            try await h.handler.handle(H.messages([H.submission("web-2", phone: "13800138002", company: "别的公司")], firstOffset: 1))
            let accepted = try await h.events(.leadAccepted, as: LeadAccepted.self)
            #expect(accepted.map(\.payload.scoringVersion) == [1, 2])
            #expect(accepted.last?.payload.score == 77)
            #expect(accepted.last?.payload.scoreBreakdown.map(\.points) == [77])
            let audit = try await h.scoring.audit()
            #expect(audit.first?.actor == "sales-ops@example.com" && audit.first?.oldVersion == 1 && audit.first?.newVersion == 2)
            // Rollback makes version 1's document current again, as version 3.
            #expect(try await h.scoring.rollback(to: 1, actor: "sales-ops@example.com") == 3)
            try await h.handler.handle(H.messages([H.submission("web-3", phone: "13800138003", company: "第三家")], firstOffset: 2))
            let third = try await h.events(.leadAccepted, as: LeadAccepted.self).last
            #expect(third?.payload.scoringVersion == 3)
            #expect(third?.payload.score == accepted.first?.payload.score)
        }
    }

    @Test("every class of bad input is rejected to crm.lead.rejected with its reason and origin, nothing recorded")
    func rejections() async throws {
        try await H.run { h in
            let cases: [(String, String)] = [
                ("not_json", "{not json"),
                ("not_object", "[1, 2]"),
                ("too_large", H.submission("big", phone: "13800138000", extra: ["padding": String(repeating: "x", count: 70_000)])),
                ("missing_field", #"{"source": "web_form", "contact": {"phone": "13800138000"}}"#),
                ("no_contact", #"{"submissionId": "s", "source": "web_form", "contact": {"name": "张伟"}}"#),
                ("wrong_type", #"{"submissionId": "s", "source": "web_form", "contact": {"phone": "13800138000"}, "interest": {"budget": "lots"}}"#),
                ("invalid_email", #"{"submissionId": "s", "source": "web_form", "contact": {"email": "not an email"}}"#),
                ("invalid_phone", #"{"submissionId": "s", "source": "web_form", "contact": {"phone": "12345"}}"#),
                ("out_of_range", #"{"submissionId": "s", "source": "web_form", "contact": {"phone": "13800138000"}, "interest": {"budget": -5}}"#),
            ]
            let batch = H.messages(cases.map(\.1), partition: 3, firstOffset: 100)
            try await h.handler.handle(batch)
            #expect(try await h.count("SELECT count(*) FROM lead_submissions") == 0)

            let keys = Set(batch.compactMap(\.keyText))
            let rejected = try await TestInfrastructure.consume(Topics.leadRejected, count: .max, within: .seconds(8))
                .filter { $0.keyText.map(keys.contains) ?? false }
            #expect(rejected.count == cases.count)
            for message in rejected {
                let original = try #require(batch.first { $0.keyText == message.keyText })
                let expected = try #require(cases.first { $0.1 == original.valueText })
                let body = try JSONDecoder().decode(RejectedSubmission.self, from: Data(message.value))
                #expect(body.reason == expected.0, "\(expected.1.prefix(60))")
                #expect(message.headers.text("original-offset") == String(original.offset))
                #expect(message.headers.text("original-partition") == "3")
                #expect(message.headers.text("original-topic") == Topics.leadIntake)
                if expected.0 != "too_large" { #expect(body.original == expected.1) }
            }
        }
    }
}
