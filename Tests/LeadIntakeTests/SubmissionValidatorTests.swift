import Foundation
import Testing
import LeadIntake
import Shared

struct SubmissionValidatorTests {
    // MARK: - Accepted

    @Test func specExampleIsNormalized() throws {
        let validated = try Fixtures.validate(Fixtures.specExample).get()
        let lead = validated.lead
        #expect(lead.submissionId == "web-20261123-000123")
        #expect(lead.source == "web_form")
        #expect(lead.receivedAt == Date(timeIntervalSince1970: 1_795_397_400))
        #expect(lead.contact == NormalizedLead.Contact(
            name: "张伟", phone: PhoneNumber(e164: "+8613800138000"), email: "zhang.wei@example.com",
            wecomId: "wm_abc123", title: "采购经理"))
        #expect(lead.company == NormalizedLead.Company(
            name: "华东医药连锁有限公司", matchKey: "华东医药连锁", industry: "pharma_retail", size: "200-500",
            region: "east", province: "浙江"))
        #expect(lead.interest == NormalizedLead.Interest(
            productLine: "medical_devices", budget: 850_000, currency: "CNY", notes: "需要GSP资质文件"))
        #expect(lead.attributes == ["campaign": .string("2026-spring-expo"), "tags": .array([.string("DTP药房")])])
        #expect(lead.identities.map(\.description)
            == ["phone:+8613800138000", "email:zhang.wei@example.com", "wecomId:wm_abc123"])
        // The raw form keeps what was sent.
        #expect(validated.submission.contact.phone == "138 0013 8000")
        #expect(validated.submission.receivedAt == "2026-11-23T09:30:00+08:00")
    }

    @Test func minimalSubmissionTakesTheClockAndTheProvincesRegion() throws {
        let lead = try Fixtures.validate("""
            {"submissionId": "s1", "source": "WeCom", "contact": {"wecomId": " wm_x "},
             "company": {"name": "ＡＣＭＥ　Ｔｒａｄｉｎｇ Co., Ltd.", "province": "浙江省"},
             "interest": {"budget": "850,000", "currency": "cny"}}
            """).get().lead
        #expect(lead.receivedAt == Fixtures.now)
        #expect(lead.source == "wecom")
        #expect(lead.identities == [LeadIdentity(kind: .wecomId, value: "wm_x")])
        #expect(lead.company.name == "ACME Trading Co., Ltd.")
        #expect(lead.company.matchKey == "acmetrading")
        #expect(lead.company.region == "east")
        #expect(lead.interest.budget == 850_000)
        #expect(lead.interest.currency == "CNY")
    }

    @Test func nullsAndBlanksCountAsAbsent() throws {
        let lead = try Fixtures.validate("""
            {"submissionId": "s1", "source": "web", "receivedAt": null,
             "contact": {"phone": "  ", "email": "li@example.cn", "name": null}, "company": null,
             "interest": {"budget": ""}}
            """).get().lead
        #expect(lead.contact.phone == nil)
        #expect(lead.contact.name == nil)
        #expect(lead.identities == [LeadIdentity(kind: .email, value: "li@example.cn")])
        #expect(lead.interest.budget == nil)
        #expect(lead.company == NormalizedLead.Company())
    }

    @Test func unknownFieldsAreKeptInAttributes() throws {
        let validated = try Fixtures.validate("""
            {"submissionId": "s1", "source": "expo", "referrer": "baidu", "badge": {"hall": 3},
             "contact": {"phone": "13800138000", "nickname": "小张"},
             "company": {"website": "https://example.cn"},
             "interest": {"quantity": 20},
             "attributes": {"campaign": "2026-spring-expo", "referrer": "explicit"}}
            """).get()
        #expect(validated.lead.attributes == [
            "campaign": .string("2026-spring-expo"),
            "referrer": .string("explicit"),
            "_unknown.referrer": .string("baidu"),
            "badge": .object(["hall": .number(3)]),
            "contact.nickname": .string("小张"),
            "company.website": .string("https://example.cn"),
            "interest.quantity": .number(20),
        ])
        #expect(validated.submission.attributes == validated.lead.attributes)
    }

    @Test func acceptsDataAsWellAsBytes() throws {
        let lead = try SubmissionValidator().validate(bytes: Data(Fixtures.specExample.utf8), now: Fixtures.now).get().lead
        #expect(lead.submissionId == "web-20261123-000123")
    }

    // MARK: - Rejected

    struct Bad: Sendable, CustomTestStringConvertible {
        let name: String
        let bytes: [UInt8]
        let reason: LeadRejection.Reason
        /// Expected field errors as "field=code", in order.
        let errors: [String]
        var testDescription: String { name }

        init(_ name: String, _ text: String, _ reason: LeadRejection.Reason, _ errors: [String] = []) {
            self.init(name, Array(text.utf8), reason, errors)
        }

        init(_ name: String, _ bytes: [UInt8], _ reason: LeadRejection.Reason, _ errors: [String] = []) {
            self.name = name
            self.bytes = bytes
            self.reason = reason
            self.errors = errors
        }
    }

    /// A valid submission with `extra` spliced into the top-level object.
    static func with(_ extra: String, contact: String = #"{"phone": "13800138000"}"#) -> String {
        #"{"submissionId": "s1", "source": "web_form", "contact": \#(contact)\#(extra.isEmpty ? "" : ", ")\#(extra)}"#
    }

    static let bad: [Bad] = [
        Bad("70 KiB", with(#""interest": {"notes": "\#(String(repeating: "x", count: 70 * 1024))"}"#), .tooLarge),
        Bad("non-UTF-8 bytes", [0x7B, 0x22, 0xFF, 0xFE, 0x22, 0x7D], .notJSON),
        Bad("not JSON", "submissionId=s1&source=web", .notJSON),
        Bad("empty", "", .notJSON),
        Bad("truncated", #"{"submissionId": "s1""#, .notJSON),
        Bad("nesting bomb", "[" + String(repeating: "[", count: 20_000) + String(repeating: "]", count: 20_000) + "]", .notJSON),
        // Postgres cannot store U+0000 in text or jsonb; let through, it would fail every batch it is in.
        Bad("NUL in notes", with(#""interest": {"notes": "a\u0000b"}"#), .notJSON),
        Bad("NUL in an attribute key", with(#""crm\u0000id": "x""#), .notJSON),
        Bad("JSON array", #"[{"submissionId": "s1"}]"#, .notObject),
        Bad("JSON string", #""lead""#, .notObject),
        Bad("JSON number", "42", .notObject),
        Bad("JSON null", "null", .notObject),
        Bad("missing submissionId", #"{"source": "web", "contact": {"phone": "13800138000"}}"#,
            .missingField, ["submissionId=missing_field"]),
        Bad("null source", #"{"submissionId": "s1", "source": null, "contact": {"phone": "13800138000"}}"#,
            .missingField, ["source=missing_field"]),
        Bad("blank submissionId", #"{"submissionId": "  ", "source": "web", "contact": {"phone": "13800138000"}}"#,
            .missingField, ["submissionId=missing_field"]),
        Bad("numeric submissionId", #"{"submissionId": 123, "source": "web", "contact": {"phone": "13800138000"}}"#,
            .wrongType, ["submissionId=wrong_type"]),
        Bad("no contact at all", #"{"submissionId": "s1", "source": "web"}"#, .noContact, ["contact=no_contact"]),
        Bad("contact without identity", with("", contact: #"{"name": "张伟", "phone": ""}"#),
            .noContact, ["contact=no_contact"]),
        Bad("contact is a string", with("", contact: #""张伟 13800138000""#), .wrongType, ["contact=wrong_type"]),
        Bad("phone as a number", with("", contact: #"{"phone": 13800138000}"#), .wrongType, ["contact.phone=wrong_type"]),
        Bad("garbage phone", with("", contact: #"{"phone": "call me maybe"}"#), .invalidPhone, ["contact.phone=invalid_phone"]),
        Bad("short phone", with("", contact: #"{"phone": "12345"}"#), .invalidPhone, ["contact.phone=invalid_phone"]),
        Bad("invalid email", with("", contact: #"{"email": "zhang wei@example"}"#), .invalidEmail, ["contact.email=invalid_email"]),
        Bad("budget as abc", with(#""interest": {"budget": "abc"}"#), .wrongType, ["interest.budget=wrong_type"]),
        Bad("budget as NaN text", with(#""interest": {"budget": "nan"}"#), .wrongType, ["interest.budget=wrong_type"]),
        Bad("budget as boolean", with(#""interest": {"budget": true}"#), .wrongType, ["interest.budget=wrong_type"]),
        Bad("negative budget", with(#""interest": {"budget": -1}"#), .outOfRange, ["interest.budget=out_of_range"]),
        Bad("absurd budget", with(#""interest": {"budget": 2e12}"#), .outOfRange, ["interest.budget=out_of_range"]),
        Bad("date 20 years ago", with(#""receivedAt": "2006-11-23T09:30:00+08:00""#), .outOfRange, ["receivedAt=out_of_range"]),
        Bad("date 2 days ahead", with(#""receivedAt": "2026-11-25T10:00:00+08:00""#), .outOfRange, ["receivedAt=out_of_range"]),
        Bad("date without offset", with(#""receivedAt": "2026-11-23 09:30:00""#), .wrongType, ["receivedAt=wrong_type"]),
        Bad("date as words", with(#""receivedAt": "yesterday""#), .wrongType, ["receivedAt=wrong_type"]),
        Bad("date as epoch", with(#""receivedAt": 1795397400"#), .wrongType, ["receivedAt=wrong_type"]),
        Bad("attributes as a string", with(#""attributes": "vip""#), .wrongType, ["attributes=wrong_type"]),
        Bad("name as an array", with("", contact: #"{"phone": "13800138000", "name": ["张", "伟"]}"#),
            .wrongType, ["contact.name=wrong_type"]),
        Bad("every problem at once",
            #"{"submissionId": "s1", "contact": {"email": "nope", "phone": "12345"}, "interest": {"budget": "abc"}, "receivedAt": "2000-01-01T00:00:00Z"}"#,
            .missingField,
            ["source=missing_field", "receivedAt=out_of_range", "interest.budget=wrong_type",
             "contact.phone=invalid_phone", "contact.email=invalid_email"]),
    ]

    @Test(arguments: bad)
    func rejects(_ example: Bad) {
        let result = SubmissionValidator().validate(bytes: example.bytes, now: Fixtures.now)
        guard case .failure(let rejection) = result else {
            Issue.record("accepted: \(result)")
            return
        }
        #expect(rejection.reason == example.reason)
        #expect(rejection.errors.map { "\($0.field)=\($0.reason.rawValue)" } == example.errors)
        #expect(!rejection.message.isEmpty)
    }

    @Test func messagesNameTheFieldAndTheProblem() throws {
        let rejection = try #require(Self.rejection(Self.with(#""interest": {"budget": "abc"}"#)))
        #expect(rejection.message == #"interest.budget: expected a number, got the string "abc""#)
        #expect(rejection.errors == [FieldError(field: "interest.budget", problem: #"expected a number, got the string "abc""#, reason: .wrongType)])

        let old = try #require(Self.rejection(Self.with(#""receivedAt": "2006-11-23T09:30:00+08:00""#)))
        #expect(old.message == "receivedAt: is more than 366 days in the past")

        let large = try #require(Self.rejection(Self.with(#""interest": {"notes": "\#(String(repeating: "x", count: 70 * 1024))"}"#)))
        #expect(large.message == "submission is 71788 bytes; the limit is 65536")

        let array = try #require(Self.rejection("[]"))
        #expect(array.message == "submission must be a JSON object, got an array")
    }

    @Test func exactly64KiBIsAccepted() throws {
        let shell = Self.with(#""interest": {"notes": ""}"#)
        let padding = String(repeating: "x", count: SubmissionValidator.maxBytes - shell.utf8.count)
        let text = Self.with(#""interest": {"notes": "\#(padding)"}"#)
        #expect(text.utf8.count == 65_536)
        #expect((try? Fixtures.validate(text).get()) != nil)
        #expect(Self.rejection(text + " ")?.reason == .tooLarge)
    }

    @Test func receivedAtWindowIsConfigurable() {
        let strict = SubmissionValidator(maxAge: 3_600, maxFutureSkew: 60)
        let text = Self.with(#""receivedAt": "2026-11-23T09:30:00+08:00""#)  // 30 min before `now`
        #expect((try? strict.validate(bytes: Array(text.utf8), now: Fixtures.now).get()) != nil)
        let later = Fixtures.now.addingTimeInterval(7_200)
        guard case .failure(let rejection) = strict.validate(bytes: Array(text.utf8), now: later) else {
            Issue.record("expected a rejection")
            return
        }
        #expect(rejection.reason == .outOfRange)
    }

    @Test func neverTrapsOnMangledInput() {
        // Deterministic pseudo-random mutations of a valid submission: every outcome is a Result.
        var generator = SeededRandom(seed: 42)
        let original = Array(Fixtures.specExample.utf8)
        var accepted = 0
        for _ in 0..<400 {
            var bytes = original
            for _ in 0..<Int.random(in: 1...8, using: &generator) {
                let index = Int.random(in: 0..<bytes.count, using: &generator)
                switch Int.random(in: 0..<3, using: &generator) {
                case 0: bytes[index] = UInt8.random(in: 0...255, using: &generator)
                case 1: bytes.remove(at: index)
                default: bytes.insert(Array("{}[]\",:0".utf8).randomElement(using: &generator)!, at: index)
                }
            }
            if case .success = SubmissionValidator().validate(bytes: bytes, now: Fixtures.now) { accepted += 1 }
        }
        #expect(accepted < 400)
    }

    static func rejection(_ text: String) -> LeadRejection? {
        if case .failure(let rejection) = Fixtures.validate(text) { rejection } else { nil }
    }
}
