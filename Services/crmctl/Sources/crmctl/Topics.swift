import ArgumentParser
import Shared

struct Topics: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List or create topics.", subcommands: [List.self, Create.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List topics with partition counts.")
        @OptionGroup var broker: BrokerOptions

        func run() async throws {
            for topic in try await broker.admin().describeTopics() {
                print("\(topic.name)\t\(topic.partitions)")
            }
        }
    }

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create every topic of the contract that is missing.")
        @OptionGroup var broker: BrokerOptions
        @Option(help: "Partitions for new topics.") var partitions = 6

        func run() async throws {
            let created = try await broker.admin().createTopics(Shared.Topics.all, partitions: partitions)
            print(created.isEmpty ? "all topics exist" : "created: " + created.joined(separator: ", "))
        }
    }
}
