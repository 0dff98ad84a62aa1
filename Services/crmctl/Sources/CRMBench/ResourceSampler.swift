#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// Resident memory and CPU time of a process, read from /proc (Linux).
public struct ProcessUsage: Sendable, Equatable {
    /// VmRSS in bytes.
    public var residentBytes: Int64
    /// User + system CPU time so far, in seconds.
    public var cpuSeconds: Double

    public init(residentBytes: Int64, cpuSeconds: Double) {
        self.residentBytes = residentBytes
        self.cpuSeconds = cpuSeconds
    }

    /// The usage of `pid` now; nil when the process is gone (or this is not Linux).
    public static func read(pid: Int32) -> ProcessUsage? {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
              let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let usage = parse(status: status, stat: stat, ticksPerSecond: Double(sysconf(Int32(_SC_CLK_TCK))))
        else { return nil }
        return usage
    }

    /// `status`: the VmRSS line (kB); `stat`: utime and stime, fields 14 and 15, counted after the
    /// command name's closing parenthesis because the name itself may hold spaces.
    public static func parse(status: String, stat: String, ticksPerSecond: Double) -> ProcessUsage? {
        guard let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }),
              let kilobytes = line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first.flatMap({ Int64($0) }),
              let close = stat.lastIndex(of: ")"), ticksPerSecond > 0
        else { return nil }
        // After ")": field 3 (state) is the first; utime is field 14, stime field 15.
        let fields = stat[stat.index(after: close)...].split(separator: " ", omittingEmptySubsequences: true)
        guard fields.count > 12, let user = Double(fields[11]), let system = Double(fields[12]) else { return nil }
        return ProcessUsage(residentBytes: kilobytes * 1024, cpuSeconds: (user + system) / ticksPerSecond)
    }
}

/// A named process whose usage the benchmark samples.
public struct WatchedProcess: Sendable, Equatable {
    public var name: String
    public var pid: Int32

    public init(name: String, pid: Int32) {
        self.name = name
        self.pid = pid
    }

    /// `name=pid`, as given on the command line.
    public init?(argument: String) {
        let parts = argument.split(separator: "=", maxSplits: 1)
        guard parts.count == 2, !parts[0].isEmpty, let pid = Int32(parts[1]), pid > 0 else { return nil }
        self.init(name: String(parts[0]), pid: pid)
    }
}
