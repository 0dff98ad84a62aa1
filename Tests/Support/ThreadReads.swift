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

    /// Whether the counter sees this thread's reads: it counts 100 reads of `/dev/zero`. Tests check
    /// it beside a "no reads" expectation, which a counter that cannot count would also meet.
    public static var countsReads: Bool {
        let descriptor = open("/dev/zero", O_RDONLY)
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        var byte: UInt8 = 0
        return during { for _ in 0..<100 { _ = read(descriptor, &byte, 1) } } >= 100
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
