import Foundation

/// Counts the read system calls the calling thread makes, from Linux's per-thread I/O counters
/// (`/proc/thread-self/io`, field `syscr`). Per thread, so tests running beside it do not count.
public enum ThreadReads {
    /// Read system calls `body` made on this thread (synchronous code only: it must not hop threads).
    public static func during(_ body: () throws -> Void) rethrows -> Int {
        let before = current()
        try body()
        return current() - before
    }

    /// Makes exactly `count` read system calls on this thread (of `/dev/zero`): tests use it to show
    /// the counter sees reads, so that "no reads" is not a counter that cannot count.
    public static func readZeros(_ count: Int) {
        let descriptor = open("/dev/zero", O_RDONLY)
        guard descriptor >= 0 else { return }
        defer { close(descriptor) }
        var byte: UInt8 = 0
        for _ in 0..<count { _ = read(descriptor, &byte, 1) }
    }

    /// This thread's `syscr` so far (the read of the counters file itself included).
    public static func current() -> Int {
        let descriptor = open("/proc/thread-self/io", O_RDONLY)
        guard descriptor >= 0 else { return -1 }
        defer { close(descriptor) }
        var buffer = [UInt8](repeating: 0, count: 512)
        let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
        guard count > 0 else { return -1 }
        let text = String(decoding: buffer[..<count], as: UTF8.self)
        for line in text.split(separator: "\n") where line.hasPrefix("syscr:") {
            return Int(line.dropFirst("syscr:".count).trimmingCharacters(in: .whitespaces)) ?? -1
        }
        return -1
    }
}
