import CRMTestSupport
import Foundation
import PostgresNIO
import Testing
@testable import Assignment
@testable import Shared

@Suite("Routing's statements run prepared, against Postgres")
struct RoutingStatementTests {
    typealias H = AssignmentHarness

    @Test("every statement of a routing batch is parsed once per connection, then reused by the next batches")
    func preparedOncePerConnection() async throws {
        try await H.run { h in
            try await h.addReps([RoutingIntegrationTests.east, RoutingIntegrationTests.north])
            let leads = [UUID(), UUID(), UUID()]
            // One connection, so every statement of the handler runs on the one inspected afterwards.
            var single = h.settings
            single.maxConnections = 1
            try await TestInfrastructure.withClient(single) { client in
                let handler = H.handler(client: client, policies: h.policies, clock: h.clock)
                try await handler.handle([H.accepted(leads[0], region: "east")])
                try await handler.handle([H.accepted(leads[1], region: "north"), H.accepted(leads[2], region: "east")])
                let runs = try await client.withLiveConnection { try await TestInfrastructure.preparedStatementRuns(on: $0) }
                #expect(runs[Inbox.Claim.name] == 2)
                #expect(runs[LeadEventsHandler.RecordRoutedLeads.name] == 2)
                #expect(runs[AssignmentStore.LockRouting.name] == 2)
                #expect(runs[AssignmentStore.ActiveRepRows.name] == 2)
                #expect(runs[AssignmentStore.ApplyChanges.name] == 2)
                #expect(runs[Outbox.Append.name] == 2)
            }
            #expect(try await h.owner(of: leads[0]) == "rep-east")
            #expect(try await h.owner(of: leads[1]) == "rep-north")
            #expect(try await h.owner(of: leads[2]) == "rep-east")
        }
    }
}
