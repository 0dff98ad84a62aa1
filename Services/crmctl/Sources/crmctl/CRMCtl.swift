import ArgumentParser
import Foundation
import Logging
import Shared

@main
struct CRMCtl: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "crmctl",
        abstract: "Operate the CRM: topics, consumer lag, tail, post, dead-letter replay, lead import, rules, benchmarks.",
        subcommands: [Topics.self, Lag.self, Tail.self, Post.self, DeadLetters.self, Leads.self, Rules.self, Reps.self, Bench.self])
}

/// Options every command shares.
struct BrokerOptions: ParsableArguments {
    @Option(name: .long, help: "Kafka bootstrap servers (default: $CRM_KAFKA_BROKERS or 127.0.0.1:19092).")
    var brokers: String = ProcessInfo.processInfo.environment["CRM_KAFKA_BROKERS"] ?? "127.0.0.1:19092"

    var logger: Logger {
        var logger = Logger(label: "crmctl")
        logger.logLevel = .error
        return logger
    }

    func config(_ suffix: String) -> KafkaClientConfig {
        KafkaClientConfig(bootstrapServers: brokers, clientId: "crmctl-\(suffix)")
    }

    func admin() throws -> KafkaAdmin {
        try KafkaAdmin(config: config("admin"), logger: logger)
    }
}

/// The bytes of `file`, or of stdin for `-`; an unreadable file is reported and fails the command.
func readInput(_ file: String) throws -> Data {
    if file == "-" { return FileHandle.standardInput.readDataToEndOfFile() }
    do {
        return try Data(contentsOf: URL(fileURLWithPath: file))
    } catch {
        report("cannot read \(file): \(error.localizedDescription)")
        throw ExitCode.failure
    }
}

/// Writes to stderr (progress and problems), keeping stdout for data.
func report(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
}
