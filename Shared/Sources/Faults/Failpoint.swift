#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import Synchronization

/// Named places where a fault drill (`make test-faults`) can kill the process at its worst moment,
/// e.g. after a transaction committed but before the consumer stored its offsets.
///
/// Armed only by `CRM_FAILPOINTS`, a comma-separated list of `name@N`: the N-th time the process
/// passes `name` it sends itself SIGKILL (no clean-up, no flush: what a crash or an OOM kill does).
/// Unarmed (every real deployment), passing is one check of a constant.
public enum Failpoint: String, CaseIterable, Sendable {
    /// A consumer's batch is applied (its transaction committed) and its offsets are not stored yet.
    case consumerAfterCommit = "consumer.afterCommit"
    /// Inside the lead-intake transaction, after all its statements and before COMMIT.
    case intakeBeforeCommit = "intake.beforeCommit"
    /// The outbox relay's batch is acknowledged by the broker and not marked published yet.
    case relayAfterProduce = "relay.afterProduce"

    public static let environmentVariable = "CRM_FAILPOINTS"

    /// Passes this point: SIGKILL when it is armed and this is the pass it was armed for.
    public func pass() {
        guard Self.anyArmed else { return }
        let fire = Self.remaining.withLock { remaining -> Bool in
            guard let left = remaining[self] else { return false }
            remaining[self] = left - 1
            return left == 1
        }
        if fire {
            FileHandle.standardError.write(Data("failpoint \(rawValue): SIGKILL\n".utf8))
            kill(getpid(), SIGKILL)
        }
    }

    private static let armed: [(point: Failpoint, hit: Int)] =
        (try? parse(ProcessInfo.processInfo.environment[environmentVariable] ?? "")) ?? []
    private static let anyArmed = !armed.isEmpty
    private static let remaining = Mutex(Dictionary(armed.map { ($0.point, $0.hit) }, uniquingKeysWith: { first, _ in first }))

    /// Parses `CRM_FAILPOINTS` (`relay.afterProduce@3,consumer.afterCommit@1`); empty arms nothing.
    public static func parse(_ value: String) throws(ConfigurationError) -> [(point: Failpoint, hit: Int)] {
        var armed: [(point: Failpoint, hit: Int)] = []
        for entry in value.split(separator: ",") {
            let parts = entry.trimmingCharacters(in: .whitespaces).split(separator: "@")
            guard parts.count == 2, let point = Failpoint(rawValue: String(parts[0])), let hit = Int(parts[1]), hit > 0 else {
                throw ConfigurationError(
                    variable: environmentVariable, value: value,
                    expected: "name@N[,name@N] with N >= 1 and name one of \(allCases.map(\.rawValue).joined(separator: ", "))")
            }
            armed.append((point, hit))
        }
        return armed
    }
}
