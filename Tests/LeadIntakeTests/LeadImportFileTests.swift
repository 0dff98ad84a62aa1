import Foundation
import Shared
import Testing
import LeadIntake

/// `crmctl leads import`: CSV (RFC 4180) and JSON Lines files into checked submissions, bad rows by line.
struct LeadImportFileTests {
    // MARK: - CSV reader

    struct CSVCase: Sendable, CustomTestStringConvertible {
        var name: String
        var input: String
        /// (line, fields) per record, or (line, problem) for a record the reader refuses.
        var expected: [(line: Int, result: Result<[String], CSVReader.Problem>)]
        var testDescription: String { name }
    }

    static let csvCases: [CSVCase] = [
        CSVCase(name: "plain rows", input: "a,b,c\n1,2,3\n",
                expected: [(1, .success(["a", "b", "c"])), (2, .success(["1", "2", "3"]))]),
        CSVCase(name: "comma inside quotes", input: "a,\"b,c\",d\n",
                expected: [(1, .success(["a", "b,c", "d"]))]),
        CSVCase(name: "doubled quotes", input: "\"say \"\"hi\"\"\",\"\"\"\"\n",
                expected: [(1, .success(["say \"hi\"", "\""]))]),
        CSVCase(name: "line break inside quotes keeps the next record's line right", input: "h1,h2\n\"one\ntwo\",x\nnext,y\n",
                expected: [(1, .success(["h1", "h2"])), (2, .success(["one\ntwo", "x"])), (4, .success(["next", "y"]))]),
        CSVCase(name: "CRLF line ends", input: "a,b\r\n1,2\r\n",
                expected: [(1, .success(["a", "b"])), (2, .success(["1", "2"]))]),
        CSVCase(name: "CRLF inside quotes becomes LF", input: "\"x\r\ny\",z\r\nw,v",
                expected: [(1, .success(["x\ny", "z"])), (3, .success(["w", "v"]))]),
        CSVCase(name: "lone CR ends a record", input: "a\rb",
                expected: [(1, .success(["a"])), (2, .success(["b"]))]),
        CSVCase(name: "blank lines are skipped, not empty records", input: "a\n\n\r\n\nb\n",
                expected: [(1, .success(["a"])), (5, .success(["b"]))]),
        CSVCase(name: "no final line break", input: "a,b",
                expected: [(1, .success(["a", "b"]))]),
        CSVCase(name: "trailing comma is an empty last field", input: "a,\n,\n",
                expected: [(1, .success(["a", ""])), (2, .success(["", ""]))]),
        CSVCase(name: "an empty quoted field is a record", input: "\"\"\n",
                expected: [(1, .success([""]))]),
        CSVCase(name: "quote inside an unquoted field is kept", input: "5\" screen,x\n",
                expected: [(1, .success(["5\" screen", "x"]))]),
        CSVCase(name: "full-width comma is text, UTF-8 kept", input: "张伟,\"华东医药，连锁\"\n",
                expected: [(1, .success(["张伟", "华东医药，连锁"]))]),
        CSVCase(name: "text after a closing quote refuses that record only", input: "\"ab\"c,d\nx,y\n",
                expected: [(1, .failure(.textAfterClosingQuote(field: 1))), (2, .success(["x", "y"]))]),
        CSVCase(name: "quote never closed runs to the end", input: "a\nb,\"open\nmore,stuff\n",
                expected: [(1, .success(["a"])), (2, .failure(.unterminatedQuote(field: 2)))]),
    ]

    @Test(arguments: csvCases)
    func csvReader(_ testCase: CSVCase) {
        let records = CSVReader.records(Array(testCase.input.utf8))
        #expect(records.map(\.line) == testCase.expected.map(\.line))
        #expect(records.map(\.result) == testCase.expected.map(\.result))
    }

    // MARK: - CSV import

    /// What a row should come out as: posted with this submissionId, or refused naming this field
    /// (nil: the whole row) with a problem containing this text.
    enum Expected: Sendable, Equatable {
        case ok(String)
        case bad(field: String?, containing: String)
    }

    struct ImportCase: Sendable, CustomTestStringConvertible {
        var name: String
        var format: LeadImportFile.Format
        var input: [UInt8]
        var expected: [(line: Int, row: Expected)]
        var testDescription: String { name }

        init(_ name: String, _ format: LeadImportFile.Format, _ input: String, _ expected: [(line: Int, row: Expected)]) {
            self.init(name, format, bytes: Array(input.utf8), expected)
        }

        init(_ name: String, _ format: LeadImportFile.Format, bytes: [UInt8], _ expected: [(line: Int, row: Expected)]) {
            self.name = name
            self.format = format
            self.input = bytes
            self.expected = expected
        }
    }

    static let header = "submissionId,source,name,phone,email,company,budget\n"

    static let csvImportCases: [ImportCase] = [
        ImportCase("quoted commas, doubled quotes and line breaks", .csv, header
            + "s1,web_form,张伟,138 0013 8000,,\"Acme, Inc.\",\"850,000\"\n"
            + "s2,web_form,\"Li \"\"Lee\"\" Na\",,li@example.cn,\"华东\n医药\",\n"
            + "s3,wecom,王芳,+86 139-0000-1111,,,\n",
            [(2, .ok("s1")), (3, .ok("s2")), (5, .ok("s3"))]),
        ImportCase("byte order mark before the header", .csv, bytes: [0xEF, 0xBB, 0xBF] + Array((header
            + "s1,web_form,张伟,13800138000,,,\n").utf8),
            [(2, .ok("s1"))]),
        ImportCase("CRLF line ends", .csv, (header + "s1,web_form,张伟,13800138000,,,\n" + "s2,web_form,李娜,,li@example.cn,,\n")
            .replacingOccurrences(of: "\n", with: "\r\n"),
            [(2, .ok("s1")), (3, .ok("s2"))]),
        ImportCase("blank lines and rows of empty cells are skipped", .csv, header
            + "\n" + ",,,,,,\n" + "s1,web_form,张伟,13800138000,,,\n" + "   \n\n" + "s2,web_form,李娜,,li@example.cn,,\n",
            [(4, .ok("s1")), (7, .ok("s2"))]),
        ImportCase("missing submissionId and source columns take the defaults", .csv,
            "name,phone\n张伟,13800138000\n李娜,13900001111\n",
            [(2, .ok("import-leads-2")), (3, .ok("import-leads-3"))]),
        ImportCase("empty submissionId cell gets a generated id", .csv, header
            + ",web_form,张伟,13800138000,,,\n",
            [(2, .ok("import-leads-2"))]),
        ImportCase("a row with missing cells is refused", .csv, header
            + "s1,web_form,张伟,13800138000\n" + "s2,web_form,李娜,,li@example.cn,,\n",
            [(2, .bad(field: nil, containing: "has 4 field(s) but the header has 7")), (3, .ok("s2"))]),
        ImportCase("a row with extra non-empty cells is refused, extra empty cells are not", .csv, header
            + "s1,web_form,张伟,13800138000,,,,x\n" + "s2,web_form,李娜,,li@example.cn,,,,\n",
            [(2, .bad(field: nil, containing: "has 8 field(s) but the header has 7")), (3, .ok("s2"))]),
        ImportCase("bad phone names line and field", .csv, header
            + "s1,web_form,张伟,13800138000,,,\n" + "s2,web_form,李娜,12345,,,\n",
            [(2, .ok("s1")), (3, .bad(field: "contact.phone", containing: "not a phone number"))]),
        ImportCase("bad email and negative budget", .csv, header
            + "s1,web_form,张伟,13800138000,not-an-email,,-5\n",
            [(2, .bad(field: "contact.email", containing: "not a valid email")),
             (2, .bad(field: "interest.budget", containing: "must not be negative"))]),
        ImportCase("budget that is not a number", .csv, header
            + "s1,web_form,张伟,13800138000,,,85万\n",
            [(2, .bad(field: "interest.budget", containing: "expected a number, got the string \"85万\""))]),
        ImportCase("a row without phone, email or wecomId", .csv, header
            + "s1,web_form,张伟,,,华东医药,\n",
            [(2, .bad(field: "contact", containing: "needs at least one of phone, email or wecomId"))]),
        ImportCase("the same submissionId twice", .csv, header
            + "s1,web_form,张伟,13800138000,,,\n" + "s1,wecom,张伟,13800138000,,,\n",
            [(2, .ok("s1")), (3, .bad(field: "submissionId", containing: "already used on line 2"))]),
        ImportCase("text after a closing quote", .csv, header
            + "s1,web_form,\"张\"伟,13800138000,,,\n" + "s2,web_form,李娜,,li@example.cn,,\n",
            [(2, .bad(field: nil, containing: "field 3 has text after its closing quote")), (3, .ok("s2"))]),
        ImportCase("a quote never closed", .csv, header
            + "s1,web_form,张伟,13800138000,,,\n" + "s2,web_form,\"李娜,,li@example.cn,,\n",
            [(2, .ok("s1")), (3, .bad(field: nil, containing: "never closed"))]),
        ImportCase("a value in a column without a header name", .csv,
            "submissionId,phone,\ns1,13800138000,\ns2,13800138001,oops\n",
            [(2, .ok("s1")), (3, .bad(field: nil, containing: "column 3 has a value but no name"))]),
        ImportCase("receivedAt that is not RFC 3339", .csv,
            "submissionId,phone,receivedAt\ns1,13800138000,2026-11-20 10:00\n",
            [(2, .bad(field: "receivedAt", containing: "expected an RFC 3339 timestamp"))]),
    ]

    static let jsonLinesCases: [ImportCase] = [
        ImportCase("valid lines, blank lines skipped", .jsonl,
            #"{"submissionId":"j1","source":"web_form","contact":{"phone":"13800138000"}}"# + "\n\n  \n"
            + #"{"submissionId":"j2","source":"wecom","contact":{"wecomId":"wm_1"}}"# + "\n",
            [(1, .ok("j1")), (4, .ok("j2"))]),
        ImportCase("bad JSON line", .jsonl,
            #"{"submissionId":"j1","source":"web_form","contact":{"phone":"13800138000"}}"# + "\n"
            + #"{"submissionId":"j2","source":"web_form","contact":{"phone":"13800138001"}"# + "\n"
            + #"{"submissionId":"j3","source":"web_form","contact":{"phone":"13800138002"}}"#,
            [(1, .ok("j1")), (2, .bad(field: nil, containing: "not valid JSON")), (3, .ok("j3"))]),
        ImportCase("a line that is not an object", .jsonl, "[1,2]\n",
            [(1, .bad(field: nil, containing: "must be a JSON object, got an array"))]),
        ImportCase("missing submissionId and source take the defaults", .jsonl,
            #"{"contact":{"email":"li@example.cn"}}"# + "\n" + #"{"submissionId":null,"source":" ","contact":{"email":"wang@example.cn"}}"#,
            [(1, .ok("import-leads-1")), (2, .ok("import-leads-2"))]),
        ImportCase("bad phone names line and field", .jsonl,
            "\n" + #"{"submissionId":"j1","source":"web_form","contact":{"phone":"138-0013-800"}}"#,
            [(2, .bad(field: "contact.phone", containing: "not a phone number"))]),
        ImportCase("wrong type is not replaced by a default", .jsonl,
            #"{"submissionId":42,"source":"web_form","contact":{"phone":"13800138000"}}"#,
            [(1, .bad(field: "submissionId", containing: "expected a string, got a number"))]),
        // "张" in GB18030 on line 2.
        ImportCase("a line that is not UTF-8 is one bad row", .jsonl, bytes: Array((
            #"{"submissionId":"j1","source":"web_form","contact":{"phone":"13800138000"}}"# + "\n"
            + #"{"submissionId":"j2","source":"web_form","contact":{"phone":"13800138001","name":""#).utf8)
            + [0xD5, 0xC5] + Array((#""}}"# + "\n"
            + #"{"submissionId":"j3","source":"web_form","contact":{"phone":"13800138002"}}"#).utf8),
            [(1, .ok("j1")), (2, .bad(field: nil, containing: "submission is not UTF-8 text")), (3, .ok("j3"))]),
        ImportCase("BOM and CRLF", .jsonl, bytes: [0xEF, 0xBB, 0xBF] + Array((
            #"{"submissionId":"j1","source":"web_form","contact":{"phone":"13800138000"}}"# + "\r\n"
            + #"{"submissionId":"j2","source":"web_form","contact":{"phone":"13800138001"}}"# + "\r\n").utf8),
            [(1, .ok("j1")), (2, .ok("j2"))]),
    ]

    /// Flattens rows to one entry per problem (or per good row) for comparison with the table.
    static func outcomes(_ rows: [ImportRow]) -> [(line: Int, row: Expected)] {
        rows.flatMap { row -> [(line: Int, row: Expected)] in
            switch row.result {
            case .success: [(row.line, .ok(row.submissionId ?? "<none>"))]
            case .failure(let error): error.problems.map { (row.line, .bad(field: $0.field, containing: $0.problem)) }
            }
        }
    }

    @Test(arguments: csvImportCases + jsonLinesCases)
    func importRows(_ testCase: ImportCase) throws {
        let file = LeadImportFile(format: testCase.format, fileName: "/tmp/in/leads.\(testCase.format.rawValue)")
        let rows = try file.rows(from: Data(testCase.input), now: Fixtures.now)
        let actual = Self.outcomes(rows)
        #expect(actual.map(\.line) == testCase.expected.map(\.line))
        for (got, want) in zip(actual, testCase.expected) {
            switch (got.row, want.row) {
            case (.ok(let id), .ok(let wanted)):
                #expect(id == wanted, "line \(got.line)")
            case (.bad(let field, let problem), .bad(let wantedField, let fragment)):
                #expect(field == wantedField, "line \(got.line): \(problem)")
                #expect(problem.contains(fragment), "line \(got.line): \(problem)")
            default:
                Issue.record("line \(got.line): got \(got.row), expected \(want.row)")
            }
        }
        // Every posted row carries a submission the intake accepts, keyed by its submissionId.
        for row in rows {
            guard let data = row.submission else { continue }
            let validated = try SubmissionValidator().validate(bytes: data, now: Fixtures.now).get()
            #expect(validated.submission.submissionId == row.submissionId)
        }
    }

    // MARK: - What a CSV row becomes

    @Test func everyColumnLandsAtItsPlaceInTheSubmission() throws {
        let csv = """
            submissionId,source,receivedAt,name,phone,email,wecomId,title,company,industry,size,region,province,productLine,budget,currency,notes,tags,campaign,attributes.channel
            web-1,web_form,2026-11-20T10:00:00+08:00, 张伟 ,138 0013 8000,Zhang.Wei@Example.com,wm_abc,采购经理,"华东医药连锁有限公司",pharma_retail,200-500,east,浙江,medical_devices,"850,000",CNY,"需要""GSP""资质
            文件",DTP药房; key_account ；,2026-spring-expo,展会

            """
        let rows = try LeadImportFile(format: .csv, fileName: "x.csv").rows(from: Data(csv.utf8), now: Fixtures.now)
        #expect(rows.count == 1)
        let data = try #require(rows.first?.submission)
        let json = try JSONValue.parse(data)
        #expect(json == .object([
            "submissionId": .string("web-1"),
            "source": .string("web_form"),
            "receivedAt": .string("2026-11-20T10:00:00+08:00"),
            "contact": .object([
                "name": .string("张伟"), "phone": .string("138 0013 8000"), "email": .string("Zhang.Wei@Example.com"),
                "wecomId": .string("wm_abc"), "title": .string("采购经理"),
            ]),
            "company": .object([
                "name": .string("华东医药连锁有限公司"), "industry": .string("pharma_retail"), "size": .string("200-500"),
                "region": .string("east"), "province": .string("浙江"),
            ]),
            "interest": .object([
                "productLine": .string("medical_devices"), "budget": .number(850_000), "currency": .string("CNY"),
                "notes": .string("需要\"GSP\"资质\n文件"),
            ]),
            "attributes": .object([
                "tags": .array([.string("DTP药房"), .string("key_account")]),
                "campaign": .string("2026-spring-expo"),
                "channel": .string("展会"),
            ]),
        ]))
        #expect(rows.first?.submissionId == "web-1")
    }

    @Test func headerNamesMatchWithoutCaseSpacesOrUnderscores() throws {
        let csv = "Submission ID,SOURCE,contact.phone,wecom_id,Product-Line\ns1,Expo,13800138000,wm_1,devices\n"
        let rows = try LeadImportFile(format: .csv, fileName: "x.csv").rows(from: Data(csv.utf8), now: Fixtures.now)
        let validated = try SubmissionValidator().validate(bytes: try #require(rows.first?.submission), now: Fixtures.now).get()
        #expect(validated.submission.submissionId == "s1")
        #expect(validated.submission.source == "Expo")
        #expect(validated.lead.contact.wecomId == "wm_1")
        #expect(validated.lead.interest.productLine == "devices")
    }

    @Test func defaultSourceIsTheOperatorsChoice() throws {
        let rows = try LeadImportFile(format: .csv, fileName: "/data/expo 2026.csv", defaultSource: "expo_scan")
            .rows(from: Data("phone\n13800138000\n".utf8), now: Fixtures.now)
        let json = try JSONValue.parse(try #require(rows.first?.submission))
        #expect(json.objectValue?["source"] == .string("expo_scan"))
        #expect(json.objectValue?["submissionId"] == .string("import-expo 2026-2"))
    }

    @Test func jsonLinesArePostedAsWrittenWhenNothingIsFilledIn() throws {
        let line = #"{ "source":"web_form", "submissionId":"j1", "contact":{"phone":"13800138000"}, "extra": 1 }"#
        let rows = try LeadImportFile(format: .jsonl, fileName: "x.jsonl").rows(from: Data((line + "\r\n").utf8), now: Fixtures.now)
        #expect(rows.first?.submission == Data(line.utf8))
    }

    // MARK: - Files refused as a whole

    struct FileErrorCase: Sendable, CustomTestStringConvertible {
        var name: String
        var format: LeadImportFile.Format
        var input: [UInt8]
        var line: Int?
        var containing: String
        var testDescription: String { name }
    }

    static let fileErrorCases: [FileErrorCase] = [
        FileErrorCase(name: "empty CSV", format: .csv, input: [], line: nil, containing: "the file is empty"),
        FileErrorCase(name: "BOM only", format: .csv, input: [0xEF, 0xBB, 0xBF, 0x0A], line: nil, containing: "the file is empty"),
        FileErrorCase(name: "no identity column", format: .csv, input: Array("submissionId,name,company\ns1,张伟,华东\n".utf8),
                      line: 1, containing: "no phone, email or wecomId column"),
        FileErrorCase(name: "two columns for one field", format: .csv, input: Array("phone,name,contact.phone\n".utf8),
                      line: 1, containing: "columns 1 (\"phone\") and 3 (\"contact.phone\") both fill contact.phone"),
        FileErrorCase(name: "header quote never closed", format: .csv, input: Array("phone,\"name\n".utf8),
                      line: 1, containing: "header row: field 2 opens a quote"),
        // "张伟" in GB18030 on line 3.
        FileErrorCase(name: "GBK CSV", format: .csv, input: Array("phone,name\n13800138000,ok\n13800138001,".utf8) + [0xD5, 0xC5, 0xCE, 0xB0, 0x0A],
                      line: 3, containing: "is not UTF-8 text"),
    ]

    @Test(arguments: fileErrorCases)
    func fileErrors(_ testCase: FileErrorCase) {
        let file = LeadImportFile(format: testCase.format, fileName: "f.\(testCase.format.rawValue)")
        #expect {
            _ = try file.rows(from: Data(testCase.input), now: Fixtures.now)
        } throws: { error in
            guard let error = error as? LeadImportFileError else { return false }
            return error.line == testCase.line && error.message.contains(testCase.containing)
        }
    }

    @Test(arguments: [("a.csv", LeadImportFile.Format.csv), ("/x/B.JSONL", .jsonl), ("c.ndjson", .jsonl), ("d.json", nil), ("e", nil)])
    func formatFromFileName(_ name: String, _ format: LeadImportFile.Format?) {
        #expect(LeadImportFile.Format(fileName: name) == format)
    }
}
