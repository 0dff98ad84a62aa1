/// One versioned schema change. Statements run in order inside one transaction.
public struct Migration: Sendable {
    public var version: Int
    public var name: String
    public var statements: [String]

    public init(version: Int, name: String, statements: [String]) {
        self.version = version
        self.name = name
        self.statements = statements
    }
}
