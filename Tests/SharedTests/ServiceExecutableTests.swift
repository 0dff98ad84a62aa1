import Foundation
import CRMTestSupport
import Shared
import Testing

/// The executables as an operator runs them.
@Suite("Service executables", .serialized)
struct ServiceExecutableTests {
    static let services = ["lead-intake", "assignment", "contract-workflow", "notifications", "reporting"]

    @Test("a wrong environment value stops the service with a message naming the variable")
    func badEnvironment() async throws {
        let service = try ServiceProcess("lead-intake", environment: ["CRM_TOPIC_PARTITIONS": "lots"])
        let status = await service.waitForExit(timeout: .seconds(20))
        #expect(status == 78)
        #expect(service.standardError.contains("CRM_TOPIC_PARTITIONS"))
        #expect(service.standardError.contains("\"lots\""))
    }

    @Test("each service becomes ready, serves metrics, and SIGTERM stops it cleanly", arguments: services)
    func readyThenGracefulStop(service name: String) async throws {
        // A group of its own: quick start-stop cycles must not disturb the real groups (docs/TANSU.md).
        let service = try ServiceProcess(name, environment: ["CRM_CONSUMER_GROUP_PREFIX": TestInfrastructure.unique("exec") + "."])
        defer { service.terminate() }
        let ready = await service.waitUntilAnswering("/ready", timeout: .seconds(60))
        #expect(ready, "\(name) did not become ready: \(service.standardError)")
        let health = await service.get("/health")
        #expect(health?.status == 200)
        #expect(health?.body.contains(#""service":"\#(name)""#) == true)
        let metrics = await service.get("/metrics")
        #expect(metrics?.body.contains(#"crm_outbox_backlog{producer="\#(name)"}"#) == true)

        service.terminate()  // SIGTERM
        let status = await service.waitForExit(timeout: .seconds(10))
        #expect(status == 0, "\(name) should exit 0 within 10 s of SIGTERM")
    }
}
