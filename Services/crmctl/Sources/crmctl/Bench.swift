import ArgumentParser

struct Bench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Benchmarks against the running system; they print their figures (SPEC 5).",
        subcommands: [BenchIntake.self, BenchPipeline.self, BenchRosterCommand.self])
}
