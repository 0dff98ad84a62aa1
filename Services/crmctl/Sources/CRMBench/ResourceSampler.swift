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
        readWithStat(pid: pid)?.usage
    }

    /// The usage and the `stat` line it came from, so `readTree` reads the parent's files once.
    private static func readWithStat(pid: Int32) -> (usage: ProcessUsage, stat: String)? {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
              let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let usage = parse(status: status, stat: stat, ticksPerSecond: ticksPerSecond)
        else { return nil }
        return (usage, stat)
    }

    private static var ticksPerSecond: Double { Double(sysconf(Int32(_SC_CLK_TCK))) }

    /// `status`: the VmRSS line (kB); `stat`: utime and stime, fields 14 and 15, counted after the
    /// command name's closing parenthesis because the name itself may hold spaces.
    public static func parse(status: String, stat: String, ticksPerSecond: Double) -> ProcessUsage? {
        guard let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }),
              let kilobytes = line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first.flatMap({ Int64($0) }),
              let times = StatTimes(stat), ticksPerSecond > 0
        else { return nil }
        return ProcessUsage(residentBytes: kilobytes * 1024, cpuSeconds: Double(times.user + times.system) / ticksPerSecond)
    }

    /// CPU of `pid` and its child processes: Postgres runs a process per connection, so its CPU
    /// is the postmaster's, its live children's and what its exited children used (cutime and
    /// cstime, added to the parent when it reaps them). Resident memory is the parent's only:
    /// children share Postgres' buffers, and adding them up would count those many times.
    public static func readTree(pid: Int32) -> ProcessUsage? {
        guard let (own, rootStat) = readWithStat(pid: pid),
              let entries = try? FileManager.default.contentsOfDirectory(atPath: "/proc")
        else { return nil }
        let others = entries.filter { $0.first?.isNumber == true && $0 != String(pid) }.compactMap {
            try? String(contentsOfFile: "/proc/\($0)/stat", encoding: .utf8)
        }
        guard let cpu = treeCPUSeconds(pid: pid, rootStat: rootStat, otherStats: others, ticksPerSecond: ticksPerSecond)
        else { return nil }
        return ProcessUsage(residentBytes: own.residentBytes, cpuSeconds: cpu)
    }

    /// The CPU seconds `readTree` reports, from the `stat` lines of the process and of any others
    /// (those whose parent is not `pid` are left out).
    public static func treeCPUSeconds(pid: Int32, rootStat: String, otherStats: [String], ticksPerSecond: Double) -> Double? {
        guard let root = StatTimes(rootStat), ticksPerSecond > 0 else { return nil }
        var ticks = root.user + root.system + root.childrenUser + root.childrenSystem
        for stat in otherStats {
            guard let child = StatTimes(stat), child.parent == pid else { continue }
            ticks += child.user + child.system + child.childrenUser + child.childrenSystem
        }
        return Double(ticks) / ticksPerSecond
    }

    /// The fields of /proc/<pid>/stat the sampler needs, in clock ticks.
    struct StatTimes {
        var parent: Int32
        var user: Int64, system: Int64, childrenUser: Int64, childrenSystem: Int64

        init?(_ stat: String) {
            guard let close = stat.lastIndex(of: ")") else { return nil }
            // After ")": field 3 (state) is the first; ppid is field 4, utime to cstime fields 14-17.
            let fields = stat[stat.index(after: close)...].split(separator: " ", omittingEmptySubsequences: true)
            guard fields.count > 14, let parent = Int32(fields[1]),
                  let user = Int64(fields[11]), let system = Int64(fields[12]),
                  let childrenUser = Int64(fields[13]), let childrenSystem = Int64(fields[14])
            else { return nil }
            (self.parent, self.user, self.system, self.childrenUser, self.childrenSystem) = (parent, user, system, childrenUser, childrenSystem)
        }
    }
}

/// A named process whose usage the benchmark samples.
public struct WatchedProcess: Sendable, Equatable {
    public var name: String
    public var pid: Int32
    /// Sampled with its child processes, for CPU (Postgres, the broker): see `ProcessUsage.readTree`.
    public var withChildren: Bool

    public init(name: String, pid: Int32, withChildren: Bool = false) {
        self.name = name
        self.pid = pid
        self.withChildren = withChildren
    }

    /// `name=pid`, or `name=@file` for the pid in a pid file, as given on the command line. A pid
    /// file is read when this is made: the bench makes its processes again after each restart.
    public init?(argument: String, withChildren: Bool = false) {
        let parts = argument.split(separator: "=", maxSplits: 1)
        guard parts.count == 2, !parts[0].isEmpty else { return nil }
        var value = String(parts[1])
        if value.hasPrefix("@") {
            guard let text = try? String(contentsOfFile: String(value.dropFirst()), encoding: .utf8) else { return nil }
            value = text.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        guard let pid = Int32(value), pid > 0 else { return nil }
        self.init(name: String(parts[0]), pid: pid, withChildren: withChildren)
    }

    public var usage: ProcessUsage? {
        withChildren ? ProcessUsage.readTree(pid: pid) : ProcessUsage.read(pid: pid)
    }
}
