import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// A service executable started by a test, on loopback, stopped at the end.
public final class ServiceProcess: @unchecked Sendable {
    public let process = Process()
    public let output = Pipe()
    public let errors = Pipe()
    public let port: Int

    /// Built products live in `.build/debug` unless `CRM_BIN_DIR` says otherwise.
    public static func executable(_ name: String) -> URL {
        let directory = ProcessInfo.processInfo.environment["CRM_BIN_DIR"]
            ?? FileManager.default.currentDirectoryPath + "/.build/debug"
        return URL(fileURLWithPath: directory).appendingPathComponent(name)
    }

    /// A port nobody listens on (random in a high range, checked by trying to connect).
    public static func freePort() -> Int {
        Int.random(in: 20_000..<40_000)
    }

    public init(_ name: String, port: Int = ServiceProcess.freePort(), environment: [String: String] = [:]) throws {
        self.port = port
        process.executableURL = Self.executable(name)
        var env = ProcessInfo.processInfo.environment
        env["CRM_HTTP_HOST"] = "127.0.0.1"
        env["CRM_HTTP_PORT"] = String(port)
        env["CRM_LOG_LEVEL"] = "warning"
        for (key, value) in environment { env[key] = value }
        process.environment = env
        process.standardOutput = output
        process.standardError = errors
        try process.run()
    }

    /// Waits for the process to end, at most `timeout`; nil if it is still running.
    public func waitForExit(timeout: Duration) async -> Int32? {
        let end = ContinuousClock.now + timeout
        while process.isRunning && ContinuousClock.now < end {
            try? await Task.sleep(for: .milliseconds(50))
        }
        return process.isRunning ? nil : process.terminationStatus
    }

    private var collectedErrors: String?

    /// What the process wrote to stderr; read once, after it exited (or what is there so far).
    public var standardError: String {
        if let collectedErrors { return collectedErrors }
        let data = process.isRunning ? errors.fileHandleForReading.availableData : errors.fileHandleForReading.readDataToEndOfFile()
        let text = String(decoding: data, as: UTF8.self)
        if !process.isRunning { collectedErrors = text }
        return text
    }

    public func get(_ path: String, headers: [String: String] = [:]) async -> (status: Int, body: String)? {
        await request("GET", path, headers: headers)
    }

    /// One HTTP request to the service; nil when it did not answer.
    public func request(_ method: String, _ path: String, headers: [String: String] = [:], body: String? = nil) async -> (status: Int, body: String)? {
        guard let url = URL(string: "http://127.0.0.1:\(port)\(path)") else { return nil }
        var request = URLRequest(url: url)
        request.httpMethod = method
        request.timeoutInterval = 10
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        request.httpBody = body.map { Data($0.utf8) }
        guard let (data, response) = try? await URLSession.shared.data(for: request),
              let http = response as? HTTPURLResponse else { return nil }
        return (http.statusCode, String(decoding: data, as: UTF8.self))
    }

    /// Polls `path` until it answers 200 or `timeout` passes.
    public func waitUntilAnswering(_ path: String, timeout: Duration) async -> Bool {
        let end = ContinuousClock.now + timeout
        while ContinuousClock.now < end && process.isRunning {
            if await get(path)?.status == 200 { return true }
            try? await Task.sleep(for: .milliseconds(100))
        }
        return false
    }

    /// Polls `/ready` until the consumer `group` holds at least one partition (bounded).
    public func waitUntilConsuming(group: String, timeout: Duration) async -> Bool {
        let end = ContinuousClock.now + timeout
        while ContinuousClock.now < end && process.isRunning {
            if let body = await get("/ready")?.body,
               let data = body.data(using: .utf8),
               let answer = try? JSONSerialization.jsonObject(with: data) as? [String: String],
               let partitions = answer["consumer:\(group)"].flatMap(Int.init), partitions > 0 {
                return true
            }
            try? await Task.sleep(for: .milliseconds(200))
        }
        return false
    }

    public func terminate() {
        if process.isRunning { process.terminate() }
    }

    deinit {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }
}
