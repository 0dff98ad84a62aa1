import CRMTestSupport
import Foundation
import Shared
import Testing
import LeadIntake

/// The operator side of lead intake as an operator runs it: `crmctl leads import` against the local
/// broker, `crmctl rules` against a lead-intake executable with a database of its own.
@Suite("crmctl leads import and rules")
struct CRMCtlLeadIntakeTests {
    struct Run {
        var status: Int32
        var output: String
        var errors: String
    }

    /// Runs crmctl to completion (bounded) and returns its exit status, stdout and stderr.
    func crmctl(_ arguments: [String]) async throws -> Run {
        let process = Process()
        process.executableURL = ServiceProcess.executable("crmctl")
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        environment["CRM_KAFKA_BROKERS"] = TestInfrastructure.kafkaBrokers
        process.environment = environment
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let end = ContinuousClock.now + .seconds(60)
        while process.isRunning && ContinuousClock.now < end { try await Task.sleep(for: .milliseconds(50)) }
        if process.isRunning { process.terminate() }
        return Run(status: process.terminationStatus,
                   output: String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self),
                   errors: String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self))
    }

    // MARK: - leads import

    struct ImportCase: Sendable, CustomTestStringConvertible {
        var name: String
        var fileName: String
        var content: String
        var extraArguments: [String] = []
        var status: Int32
        /// Keys of the messages that must arrive on the topic (and nothing else).
        var postedKeys: [String]
        var stdoutContains: String?
        var stderrContains: [String] = []
        var testDescription: String { name }
    }

    static let importCases: [ImportCase] = [
        ImportCase(
            name: "CSV with a bad row: the good rows are posted, the bad one reported by line, exit 2",
            fileName: "spring.csv",
            content: "submissionId,source,name,phone,notes\nc1,web_form,张伟,138 0013 8000,\"多行\n备注\"\nc2,web_form,李娜,12345,\nc3,,王芳,+86 139-0000-1111,\n",
            status: 2, postedKeys: ["c1", "c3"], stdoutContains: "posted 2 row(s)",
            stderrContains: ["line 4: contact.phone: not a phone number"]),
        ImportCase(
            name: "JSON Lines, all good, a missing id generated from file name and line: exit 0",
            fileName: "batch.jsonl",
            content: #"{"submissionId":"j1","source":"wecom","contact":{"wecomId":"wm_j1"}}"# + "\n\n"
                + #"{"source":"web_form","contact":{"email":"j2@example.cn"}}"# + "\n",
            status: 0, postedKeys: ["j1", "import-batch-3"], stdoutContains: "posted 2 row(s)"),
        ImportCase(
            name: "dry run reports and posts nothing",
            fileName: "dry.csv", content: "phone,email\n13800138000,\n,bad@\n", extraArguments: ["--dry-run"],
            status: 2, postedKeys: [], stdoutContains: "dry run: 1 row(s)",
            stderrContains: ["line 3: contact.email: not a valid email address"]),
        ImportCase(
            name: "a file that cannot be imported at all: exit 1",
            fileName: "nocontact.csv", content: "submissionId,name\ns1,张伟\n",
            status: 1, postedKeys: [], stderrContains: ["line 1: the header has no phone, email or wecomId column"]),
        ImportCase(
            name: "unknown extension without --format is a usage error",
            fileName: "leads.txt", content: "phone\n13800138000\n",
            status: 64, postedKeys: [], stderrContains: ["cannot tell the format"]),
    ]

    @Test(arguments: importCases)
    func leadsImport(_ testCase: ImportCase) async throws {
        let topic = try await TestInfrastructure.makeTopic("import", partitions: 2)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(TestInfrastructure.unique("import"))
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent(testCase.fileName)
        try Data(testCase.content.utf8).write(to: file)

        let run = try await crmctl(["leads", "import", file.path, "--topic", topic] + testCase.extraArguments)
        #expect(run.status == testCase.status, "\(run.errors)")
        if let expected = testCase.stdoutContains { #expect(run.output.contains(expected), "\(run.output)") }
        for expected in testCase.stderrContains { #expect(run.errors.contains(expected), "\(run.errors)") }

        // What arrived: exactly the posted keys, each value the submission with that id.
        let messages = try await TestInfrastructure.consume(
            topic, count: testCase.postedKeys.count + 1, within: .seconds(testCase.postedKeys.isEmpty ? 4 : 8))
        #expect(messages.compactMap(\.keyText).sorted() == testCase.postedKeys.sorted())
        for message in messages {
            let submission = try SubmissionValidator().validate(bytes: message.value, now: Date()).get()
            #expect(submission.submission.submissionId == message.keyText)
        }
    }

    // MARK: - rules

    @Test("rules get, set (valid and refused), history and rollback against lead-intake")
    func rulesRoundTrip() async throws {
        try await TestInfrastructure.withFreshDatabase(migrated: false) { _, settings in
            let service = try ServiceProcess("lead-intake", environment: [
                "CRM_PG_DATABASE": settings.database,
                "CRM_CONSUMER_GROUP_PREFIX": TestInfrastructure.unique("ctl-rules") + ".",
            ])
            defer { service.terminate() }
            #expect(await service.waitUntilAnswering("/ready", timeout: .seconds(60)), "\(service.standardError)")
            let url = ["--url", "http://127.0.0.1:\(service.port)"]

            let original = try await crmctl(["rules", "get", "scoring"] + url)
            #expect(original.status == 0, "\(original.errors)")
            #expect(original.errors.contains("scoring rules version 1 by system"))
            let document = try JSONValue.parse(Data(original.output.utf8))
            #expect(document == (try JSONValue.parse(Data(ScoringRules.defaultJSON.utf8))))

            // get > file, edit, set file.
            guard case .object(var edited) = document, case .object(var industries)? = edited["industries"] else {
                Issue.record("the scoring document has no industries: \(original.output)")
                return
            }
            industries["saas"] = .number(12)
            edited["industries"] = .object(industries)
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent(TestInfrastructure.unique("rules"))
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: directory) }
            let editedFile = directory.appendingPathComponent("scoring.json")
            try JSONEncoder().encode(JSONValue.object(edited)).write(to: editedFile)
            let set = try await crmctl(["rules", "set", "scoring", editedFile.path, "--actor", "alice", "--comment", "saas up"] + url)
            #expect(set.status == 0, "\(set.errors)")
            #expect(set.output.contains("version 2 stored"))

            // A refused document: every error as path: problem, exit 2, nothing stored.
            var invalid = edited
            invalid["budgetBands"] = .array([.object(["min": .number(-1), "points": .number(5)])])
            let invalidFile = directory.appendingPathComponent("invalid.json")
            try JSONEncoder().encode(JSONValue.object(invalid)).write(to: invalidFile)
            let refused = try await crmctl(["rules", "set", "scoring", invalidFile.path] + url)
            #expect(refused.status == 2)
            #expect(refused.errors.contains("budgetBands[0].min: "), "\(refused.errors)")
            let notJSON = directory.appendingPathComponent("broken.json")
            try Data("{oops".utf8).write(to: notJSON)
            #expect(try await crmctl(["rules", "set", "scoring", notJSON.path] + url).status == 2)

            let rolledBack = try await crmctl(["rules", "rollback", "scoring", "--version", "1", "--actor", "bob"] + url)
            #expect(rolledBack.status == 0, "\(rolledBack.errors)")
            #expect(rolledBack.output.contains("version 1 restored as version 3"))
            let current = try await crmctl(["rules", "get", "scoring"] + url)
            #expect(try JSONValue.parse(Data(current.output.utf8)) == document)
            #expect(current.errors.contains("version 3 by bob"))

            let history = try await crmctl(["rules", "history", "scoring"] + url)
            #expect(history.status == 0)
            let lines = history.output.split(separator: "\n").map { $0.split(separator: "\t", omittingEmptySubsequences: false).map(String.init) }
            #expect(lines.filter { $0.count == 4 }.map { [$0[0], $0[1]] } == [
                ["version", "created by"], ["3", "bob"], ["2", "alice"], ["1", "system"],
            ])
            #expect(lines.contains { $0.count == 4 && $0[0] == "2" && $0[3] == "saas up" })
            #expect(lines.filter { $0.count == 5 }.dropFirst().map { [$0[1], $0[2], $0[3], $0[4]] } == [
                ["rollback", "bob", "2", "3"], ["set", "alice", "1", "2"], ["seed", "system", "-", "1"],
            ])

            let unknown = try await crmctl(["rules", "rollback", "scoring", "--version", "42"] + url)
            #expect(unknown.status == 1)
            #expect(unknown.errors.contains("There is no version 42"))
            let unauthorized = try await crmctl(["rules", "get", "scoring", "--api-key", "wrong-key-123"] + url)
            #expect(unauthorized.status == 1)
            #expect(unauthorized.errors.contains("unauthorized"))
        }
    }
}
