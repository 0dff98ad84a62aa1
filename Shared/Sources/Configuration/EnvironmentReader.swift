/// Reads typed settings from environment variables; a present but wrong value is an error that
/// names the variable, an absent one takes the default.
public struct EnvironmentReader: Sendable {
    public var values: [String: String]

    public init(_ values: [String: String]) {
        self.values = values
    }

    public func string(_ name: String, default defaultValue: String) throws(ConfigurationError) -> String {
        guard let raw = values[name] else { return defaultValue }
        let value = raw.trimmingCharacters(in: .whitespaces)
        guard !value.isEmpty else { throw ConfigurationError(variable: name, value: raw, expected: "a non-empty value") }
        return value
    }

    public func optionalString(_ name: String) -> String? {
        values[name].flatMap { $0.isEmpty ? nil : $0 }
    }

    public func integer(_ name: String, default defaultValue: Int, range: ClosedRange<Int>) throws(ConfigurationError) -> Int {
        guard let raw = values[name] else { return defaultValue }
        guard let value = Int(raw.trimmingCharacters(in: .whitespaces)), range.contains(value) else {
            throw ConfigurationError(variable: name, value: raw, expected: "an integer in \(range.lowerBound)...\(range.upperBound)")
        }
        return value
    }

    public func port(_ name: String, default defaultValue: Int) throws(ConfigurationError) -> Int {
        try integer(name, default: defaultValue, range: 1...65535)
    }

    public func milliseconds(_ name: String, default defaultValue: Int, range: ClosedRange<Int>) throws(ConfigurationError) -> Duration {
        .milliseconds(try integer(name, default: defaultValue, range: range))
    }

    public func choice<T: RawRepresentable & CaseIterable>(_ name: String, default defaultValue: T) throws(ConfigurationError) -> T where T.RawValue == String {
        guard let raw = values[name] else { return defaultValue }
        guard let value = T(rawValue: raw.trimmingCharacters(in: .whitespaces).lowercased()) else {
            throw ConfigurationError(variable: name, value: raw, expected: "one of " + T.allCases.map(\.rawValue).joined(separator: ", "))
        }
        return value
    }

    /// A comma-separated list of `host:port` pairs.
    public func hostPorts(_ name: String, default defaultValue: String) throws(ConfigurationError) -> String {
        let value = try string(name, default: defaultValue)
        for entry in value.split(separator: ",") {
            let parts = entry.trimmingCharacters(in: .whitespaces).split(separator: ":")
            guard parts.count == 2, !parts[0].isEmpty, let port = Int(parts[1]), (1...65535).contains(port) else {
                throw ConfigurationError(variable: name, value: value, expected: "host:port[,host:port...]")
            }
        }
        return value
    }
}
