import Foundation

/// The processors this process may use, read once.
///
/// `ProcessInfo.activeProcessorCount` reads two cgroup files (`cpuset.cpus`, `cpu.cfs_quota_us`)
/// on every call on Linux: open, fstat, read, close each time. `concurrentMap` asked for it three
/// times per intake batch, about 100 times a second at 500 leads/s, which was 2.2% of lead-intake's
/// CPU (`perf record` in `make bench`). The Swift runtime sizes its own thread pool once at start,
/// so a count that changes later would not give us more threads anyway.
public enum Processors {
    public static let active: Int = ProcessInfo.processInfo.activeProcessorCount
}
