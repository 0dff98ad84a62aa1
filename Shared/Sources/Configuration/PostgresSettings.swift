import PostgresNIO

/// Where the shared database is.
public struct PostgresSettings: Sendable, Equatable {
    public var host: String
    public var port: Int
    public var user: String
    public var password: String?
    public var database: String
    public var maxConnections: Int

    public init(host: String, port: Int, user: String, password: String?, database: String, maxConnections: Int = 10) {
        self.host = host
        self.port = port
        self.user = user
        self.password = password
        self.database = database
        self.maxConnections = maxConnections
    }

    public static func load(from reader: EnvironmentReader) throws(ConfigurationError) -> PostgresSettings {
        PostgresSettings(
            host: try reader.string("CRM_PG_HOST", default: "127.0.0.1"),
            port: try reader.port("CRM_PG_PORT", default: 55432),
            user: try reader.string("CRM_PG_USER", default: "crm"),
            password: reader.optionalString("CRM_PG_PASSWORD"),
            database: try reader.string("CRM_PG_DATABASE", default: "crm"),
            maxConnections: try reader.integer("CRM_PG_MAX_CONNECTIONS", default: 10, range: 1...500)
        )
    }

    public var clientConfiguration: PostgresClient.Configuration {
        var configuration = PostgresClient.Configuration(
            host: host, port: port, username: user, password: password, database: database, tls: .disable
        )
        configuration.options.maximumConnections = maxConnections
        configuration.options.minimumConnections = 1
        // Prepared statements (`PostgresConnection.rows`) are planned for their parameters on every
        // run, never from a cached generic plan: a generic plan is built once, for the table sizes of
        // that moment, and kept until the next ANALYZE. Built on a new database's empty tables it
        // scanned `leads` and `lead_submissions` whole for every batch (38 ms a batch instead of 4,
        // docs/BENCHMARKS.md). Preparing still saves parsing and analysing each run.
        configuration.options.additionalStartupParameters = [("plan_cache_mode", "force_custom_plan")]
        return configuration
    }
}
