import ArgumentParser
import Foundation
import LeadIntake
import Shared

struct Leads: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Lead operations: batch import of a CSV or JSON Lines file.", subcommands: [Import.self])

    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Post the rows of a CSV or JSON Lines file to crm.lead.intake, reporting bad rows by line.",
            discussion: """
                Every row becomes one submission (SPEC 3.1), keyed by its submissionId, and is checked with \
                the intake's own validator first: bad rows are reported on stderr as `line N: field: problem` \
                and not posted; the good rows are posted in batches.

                CSV: a header row names the columns: submissionId, source, receivedAt, name, phone, email, \
                wecomId, title, company, industry, size, region, province, productLine, budget, currency, \
                notes, tags (separated by ;), or dotted paths such as contact.phone; any other column goes \
                into attributes. Quoted values may contain commas, doubled quotes and line breaks. \
                JSON Lines: one submission object per line. The file must be UTF-8.

                A row without submissionId gets import-<file base name>-<line>, so importing a file again \
                posts the same ids and the intake ignores the repeats; a row without source gets --source.

                Exit status: 0 every row posted, 2 some rows were bad (the good ones were posted), 1 failure.
                """)
        @OptionGroup var broker: BrokerOptions
        @Argument(help: "FILE.csv or FILE.jsonl (.ndjson); - reads stdin (then --format is required).") var file: String
        @Option(help: "Source for rows that have none.") var source = "import"
        @Option(help: "csv or jsonl (default: from the file extension).") var format: String?
        @Option(help: "Topic to post to.") var topic = Shared.Topics.leadIntake
        @Option(help: "Rows per produce batch.") var chunkSize = 1000
        @Flag(help: "Check the file and report bad rows; post nothing.") var dryRun = false

        func validate() throws {
            guard chunkSize > 0 else { throw ValidationError("--chunk-size must be positive") }
            if let format, LeadImportFile.Format(rawValue: format.lowercased()) == nil {
                throw ValidationError("--format must be csv or jsonl, not \(format)")
            }
            if format == nil, file == "-" { throw ValidationError("reading stdin needs --format csv or --format jsonl") }
            if format == nil, LeadImportFile.Format(fileName: file) == nil {
                throw ValidationError("cannot tell the format of \(file) from its extension (.csv, .jsonl, .ndjson): use --format")
            }
        }

        func run() async throws {
            let format = format.flatMap { LeadImportFile.Format(rawValue: $0.lowercased()) } ?? LeadImportFile.Format(fileName: file)!
            let data = try readInput(file)
            let importFile = LeadImportFile(format: format, fileName: file == "-" ? "stdin" : file, defaultSource: source)
            let rows: [ImportRow]
            do {
                rows = try importFile.rows(from: data, now: Date())
            } catch {
                report("\(file): \(error)")
                throw ExitCode.failure
            }

            var good: [(line: Int, record: ProducerRecord)] = []
            var bad = 0
            for row in rows {
                switch row.result {
                case .success(let submission):
                    good.append((row.line, ProducerRecord(topic: topic, key: row.submissionId.map { Array($0.utf8) }, value: [UInt8](submission))))
                case .failure(let error):
                    bad += 1
                    for problem in error.problems { report("line \(row.line): \(problem)") }
                }
            }
            let badNote = bad == 0 ? "" : "; \(bad) bad row(s) not posted (see above)"

            if dryRun {
                print("dry run: \(good.count) row(s) of \(file) would be posted to \(topic)\(badNote)")
                if bad > 0 { throw ExitCode(2) }
                return
            }

            try await post(good, badNote: badNote)
            if bad > 0 { throw ExitCode(2) }
        }

        private func post(_ good: [(line: Int, record: ProducerRecord)], badNote: String) async throws {
            guard !good.isEmpty else {
                print("posted 0 row(s) of \(file) to \(topic)\(badNote)")
                return
            }
            let producer = try KafkaProducer(config: broker.config("import"), logger: broker.logger)
            var progress = ProgressBar(total: good.count, unit: "rows")
            var posted = 0
            var failure: (any Error)?
            for start in stride(from: 0, to: good.count, by: chunkSize) {
                let chunk = good[start..<min(start + chunkSize, good.count)]
                do {
                    try await producer.send(chunk.map(\.record))
                } catch {
                    failure = error
                    break
                }
                posted += chunk.count
                progress.update(posted)
            }
            progress.finish(posted)
            await producer.close()
            if let failure {
                let firstUnsure = good[posted].line
                report("posting failed: \(failure)")
                report("rows before line \(firstUnsure) were posted (\(posted) of \(good.count)); rows from line \(firstUnsure) on may not have been. "
                    + "Importing the file again is safe: the intake ignores submissionIds it has seen.")
                throw ExitCode.failure
            }
            print("posted \(posted) row(s) of \(file) to \(topic) in \(String(format: "%.1f", progress.elapsed)) s\(badNote)")
        }
    }
}
