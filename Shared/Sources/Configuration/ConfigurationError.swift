/// A configuration value the service cannot start with. The message names the variable.
public struct ConfigurationError: Error, CustomStringConvertible, Equatable, Sendable {
    public var variable: String
    public var value: String
    public var expected: String

    public init(variable: String, value: String, expected: String) {
        self.variable = variable
        self.value = value
        self.expected = expected
    }

    public var description: String {
        "Invalid value for environment variable \(variable): \"\(value)\"; expected \(expected). Fix or unset \(variable) and start again."
    }
}
