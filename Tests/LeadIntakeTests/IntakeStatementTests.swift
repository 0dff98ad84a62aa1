import CRMTestSupport
import Foundation
import PostgresNIO
@testable import Shared
import Testing
@testable import LeadIntake

@Suite("Intake's statements run prepared, against Postgres and the broker")
struct IntakeStatementTests {
    typealias H = IntakeHarness

    @Test("every statement of an intake batch is parsed once per connection, then reused by the next batches; the batch's lookups are one statement")
    func preparedOncePerConnection() async throws {
        try await H.run { h in
            // One connection, so every statement of the handler runs on the one inspected afterwards.
            var single = h.settings
            single.maxConnections = 1
            try await TestInfrastructure.withClient(single) { client in
                let logger = TestInfrastructure.logger
                let handler = IntakeHandler(client: client, producer: h.producer, scoringRules: h.scoring,
                                            outboxProducer: "lead-intake", logger: logger)
                try await handler.handle(H.messages([H.submission("web-1", phone: "13800138000", company: nil)]))
                // A merge into the first lead (its row is read) and a new person.
                try await handler.handle(H.messages([
                    H.submission("wecom-2", source: "wecom", name: nil, phone: "+86 138-0013-8000", email: "zw@example.com", company: nil),
                    H.submission("web-3", phone: "13900139000", company: nil),
                ], firstOffset: 1))
                // A redelivery (recorded already) beside a merge by e-mail into the first lead: the one
                // lookup statement answers both.
                try await handler.handle(H.messages([
                    H.submission("web-3", phone: "13900139000", company: nil),
                    H.submission("mail-4", source: "email", name: nil, email: "zw@example.com", company: "华东医药"),
                ], firstOffset: 3))
                let runs = try await client.withLiveConnection { try await TestInfrastructure.preparedStatementRuns(on: $0) }
                #expect(runs[LeadRepository.LockIdentities.name] == 3)
                #expect(runs[LeadRepository.KnownToDatabase.name] == 3)
                #expect(runs[LeadRepository.LeadRows.name] == nil)
                #expect(runs[LeadRepository.WritePlan.name] == 3)
                #expect(runs[Outbox.Append.name] == 3)
            }
            #expect(try await h.count("SELECT count(*) FROM leads") == 2)
            #expect(try await h.count("SELECT count(*) FROM lead_submissions") == 4)
            #expect(try await h.count("SELECT count(*) FROM lead_identities") == 3)
            let first = try await h.leadId(of: "web-1")
            #expect(try await h.leadId(of: "wecom-2") == first)
            #expect(try await h.leadId(of: "mail-4") == first)
            #expect(try await h.leadId(of: "web-3") != first)
            // The merge saw the first lead's row: its company, new in the merge, completes the lead.
            let company = try await h.client.query("SELECT company_name FROM leads WHERE id = \(first)").collect()[0].decode(String?.self)
            #expect(company == "华东医药")
        }
    }
}
