import Synchronization

/// The current rules of one kind, parsed, re-read only when a newer version is stored: a change
/// made through the admin routes or crmctl applies to the next batch, without a restart.
public final class RuleDocumentCache<Rules: Sendable>: Sendable {
    private let store: RuleStore
    private let parse: @Sendable (String) throws -> Rules
    private let cached = Mutex<(version: Int, rules: Rules)?>(nil)

    public struct NoRules: Error, CustomStringConvertible {
        public var kind: String
        public var description: String { "No \(kind) rules are stored; the owning service seeds the default ones at start-up." }
    }

    public struct StoredRulesInvalid: Error, CustomStringConvertible {
        public var kind: String
        public var version: Int
        public var reason: String
        public var description: String { "Stored \(kind) rules version \(version) are invalid: \(reason). Roll back to a valid version." }
    }

    /// `parse` turns a stored document into rules; its error text is reported if a stored version
    /// does not parse (documents are validated before they are stored, so that means tampering).
    public init(store: RuleStore, parse: @escaping @Sendable (String) throws -> Rules) {
        self.store = store
        self.parse = parse
    }

    public func current() async throws -> (version: Int, rules: Rules) {
        guard let version = try await store.currentVersion() else { throw NoRules(kind: store.kind) }
        if let cached = cached.withLock({ $0 }), cached.version == version { return cached }
        guard let stored = try await store.version(version) else { throw NoRules(kind: store.kind) }
        let rules: Rules
        do {
            rules = try parse(stored.document)
        } catch {
            throw StoredRulesInvalid(kind: store.kind, version: version, reason: String(describing: error))
        }
        cached.withLock { $0 = (version, rules) }
        return (version, rules)
    }
}
