import Foundation

/// The whole body of a service executable: load configuration, run, and turn start-up errors into
/// a clear message and a non-zero exit instead of a crash.
public enum ServiceMain {
    public static func run(
        service: String, defaultHTTPPort: Int,
        wire: @escaping @Sendable (ServiceContext) async throws -> ServiceWiring
    ) async -> Never {
        do {
            let configuration = try ServiceConfiguration.load(service: service, defaultHTTPPort: defaultHTTPPort)
            try await ServiceRunner(configuration: configuration).run(wire)
            exit(0)
        } catch let error as ConfigurationError {
            fail(service, error.description, code: 78)  // EX_CONFIG
        } catch let error as KafkaError {
            fail(service, error.description, code: 69)  // EX_UNAVAILABLE
        } catch {
            fail(service, String(describing: error), code: 1)
        }
    }

    private static func fail(_ service: String, _ message: String, code: Int32) -> Never {
        FileHandle.standardError.write(Data("\(service): \(message)\n".utf8))
        exit(code)
    }
}
