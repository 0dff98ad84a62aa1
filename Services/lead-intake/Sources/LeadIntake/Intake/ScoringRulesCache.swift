import Shared
import Synchronization

/// The current scoring rules, re-read only when a new version exists: a change made through the
/// admin route or crmctl applies to the next batch, no restart.
final class ScoringRulesCache: Sendable {
    private let store: RuleStore
    private let cached = Mutex<(version: Int, rules: ScoringRules)?>(nil)

    init(store: RuleStore) {
        self.store = store
    }

    struct NoRules: Error, CustomStringConvertible {
        var description: String { "No scoring rules are stored; lead-intake seeds the default ones at start-up." }
    }

    struct StoredRulesInvalid: Error, CustomStringConvertible {
        var version: Int
        var errors: [RuleError]
        var description: String {
            "Stored scoring rules version \(version) are invalid: " + errors.map { "\($0.path): \($0.problem)" }.joined(separator: "; ")
        }
    }

    func current() async throws -> (version: Int, rules: ScoringRules) {
        guard let version = try await store.currentVersion() else { throw NoRules() }
        if let cached = cached.withLock({ $0 }), cached.version == version { return cached }
        guard let stored = try await store.version(version) else { throw NoRules() }
        let rules: ScoringRules
        do {
            rules = try ScoringRules.parse(json: stored.document)
        } catch {
            throw StoredRulesInvalid(version: version, errors: error.errors)
        }
        cached.withLock { $0 = (version, rules) }
        return (version, rules)
    }
}
