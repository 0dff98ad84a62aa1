import Foundation
import Hummingbird
import Logging
import PostgresNIO

/// `/health` (the process answers), `/ready` (Postgres and the broker answer) and `/metrics`
/// (Prometheus text format).
public enum HealthRoutes {
    /// For the readiness probe's query (made once, not per request).
    private static let readinessLogger = Logger(label: "crm.ready")

    public static func register(
        on router: Router<BasicRequestContext>, service: String, postgres: PostgresClient, admin: KafkaAdmin
    ) {
        router.get("/health") { _, _ in
            jsonResponse(.ok, ["status": "ok", "service": service])
        }
        router.get("/ready") { _, _ in
            async let database = check { _ = try await postgres.queryRows("SELECT 1", logger: readinessLogger) }
            async let broker = check { _ = try await admin.describeTopics(timeout: .seconds(2)) }
            let (databaseProblem, brokerProblem) = await (database, broker)
            let ready = databaseProblem == nil && brokerProblem == nil
            var answer = [
                "status": ready ? "ready" : "not_ready",
                "service": service,
                "postgres": databaseProblem ?? "ok",
                "kafka": brokerProblem ?? "ok",
            ]
            // "consumer:<group>": partitions assigned here (0 until the group gave this process some).
            for (group, partitions) in ConsumerRegistry.shared.assignments {
                answer["consumer:\(group)"] = String(partitions)
            }
            return jsonResponse(ready ? .ok : .serviceUnavailable, answer)
        }
        router.get("/metrics") { _, _ in
            var buffer = [UInt8]()
            buffer.reserveCapacity(16 * 1024)
            Observability.registry.emit(into: &buffer)
            return Response(
                status: .ok,
                headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(bytes: buffer)))
        }
    }

    /// nil when `body` succeeded, else a short description of the failure.
    private static func check(_ body: @escaping @Sendable () async throws -> Void) async -> String? {
        do {
            try await body()
            return nil
        } catch {
            return String(describing: error).prefix(300).description
        }
    }

    public static func jsonResponse(_ status: HTTPResponse.Status, _ object: [String: String]) -> Response {
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data("{}".utf8)
        return Response(status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
