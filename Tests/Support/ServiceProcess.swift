import Foundation
#if canImport(Glibc)
import Glibc
#endif
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// A service executable started by a test, on loopback, stopped at the end.
public final class ServiceProcess: @unchecked Sendable {
    public let process = Process()
    public let port: Int
    /// Where the process's stdout (its log) and stderr go: a file, never a pipe, because a pipe
    /// nobody reads fills up after 64 KiB and then blocks the service in the middle of logging.
    /// `.data/logs/tests/` (or `$CRM_TEST_LOG_DIR`), kept for post-mortems.
    public let logFile: URL

    /// Built products live in `.build/debug` unless `CRM_BIN_DIR` says otherwise.
    public static func executable(_ name: String) -> URL {
        let directory = ProcessInfo.processInfo.environment["CRM_BIN_DIR"]
            ?? FileManager.default.currentDirectoryPath + "/.build/debug"
        return URL(fileURLWithPath: directory).appendingPathComponent(name)
    }

    /// A port nobody listens on: the kernel picks a free one for a throwaway socket bound to
    /// 127.0.0.1 (a random pick collided with other tests' services: the HTTP server then fails to
    /// bind and the service never becomes ready).
    public static func freePort() -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return Int.random(in: 20_000..<40_000) }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { socketAddress in
                bind(fd, socketAddress, length) == 0 && getsockname(fd, socketAddress, &length) == 0
            }
        }
        guard bound else { return Int.random(in: 20_000..<40_000) }
        return Int(UInt16(bigEndian: address.sin_port))
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
        let directory = ProcessInfo.processInfo.environment["CRM_TEST_LOG_DIR"]
            ?? FileManager.default.currentDirectoryPath + "/.data/logs/tests"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        logFile = URL(fileURLWithPath: directory).appendingPathComponent("\(name)-\(port)-\(UUID().uuidString.prefix(8)).log")
        guard FileManager.default.createFile(atPath: logFile.path, contents: nil),
              let handle = try? FileHandle(forWritingTo: logFile) else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: logFile.path])
        }
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        try? handle.close()
    }

    /// Waits for the process to end, at most `timeout`; nil if it is still running.
    public func waitForExit(timeout: Duration) async -> Int32? {
        let end = ContinuousClock.now + timeout
        while process.isRunning && ContinuousClock.now < end {
            try? await Task.sleep(for: .milliseconds(50))
        }
        return process.isRunning ? nil : process.terminationStatus
    }

    /// What the process wrote (log and stderr) so far, at most the last 64 KiB.
    public var standardError: String {
        guard let handle = try? FileHandle(forReadingFrom: logFile) else { return "" }
        defer { try? handle.close() }
        let size = (try? handle.seekToEnd()) ?? 0
        try? handle.seek(toOffset: size > 65_536 ? size - 65_536 : 0)
        return String(decoding: handle.readDataToEndOfFile(), as: UTF8.self)
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
