import Testing
import LeadIntake

struct PhoneNormalizerTests {
    struct Valid: Sendable, CustomTestStringConvertible {
        let input: String
        let e164: String
        var extensionNumber: String? = nil
        var testDescription: String { input }
    }

    static let valid: [Valid] = [
        Valid(input: "13800138000", e164: "+8613800138000"),
        Valid(input: "138 0013 8000", e164: "+8613800138000"),
        Valid(input: "  138-0013-8000  ", e164: "+8613800138000"),
        Valid(input: "138.0013.8000", e164: "+8613800138000"),
        Valid(input: "138–0013—8000", e164: "+8613800138000"),
        Valid(input: "１３８００１３８０００", e164: "+8613800138000"),
        Valid(input: "＋８６　１３８ ００１３ ８０００", e164: "+8613800138000"),
        Valid(input: "+86 138 0013 8000", e164: "+8613800138000"),
        Valid(input: "+86-13800138000", e164: "+8613800138000"),
        Valid(input: "0086 13800138000", e164: "+8613800138000"),
        Valid(input: "0086-138-0013-8000", e164: "+8613800138000"),
        Valid(input: "8613800138000", e164: "+8613800138000"),
        Valid(input: "86 138 0013 8000", e164: "+8613800138000"),
        Valid(input: "19912345678", e164: "+8619912345678"),
        Valid(input: "010-12345678", e164: "+861012345678"),
        Valid(input: "0571-87654321", e164: "+8657187654321"),
        Valid(input: "(021) 6123 4567", e164: "+862161234567"),
        Valid(input: "（０２１）６１２３４５６７", e164: "+862161234567"),
        Valid(input: "0902-1234567", e164: "+869021234567"),
        Valid(input: "+86 (0)571 8765 4321", e164: "+8657187654321"),
        Valid(input: "+86 10 1234 5678", e164: "+861012345678"),
        Valid(input: "400-820-8820", e164: "+864008208820"),
        Valid(input: "010-12345678 ext. 123", e164: "+861012345678", extensionNumber: "123"),
        Valid(input: "010-12345678转8001", e164: "+861012345678", extensionNumber: "8001"),
        Valid(input: "0571-87654321 分机 66", e164: "+8657187654321", extensionNumber: "66"),
        Valid(input: "0571-87654321 x 12", e164: "+8657187654321", extensionNumber: "12"),
        Valid(input: "+1 (212) 555-0100", e164: "+12125550100"),
        Valid(input: "001 212 555 0100", e164: "+12125550100"),
        Valid(input: "+44 20 7946 0958", e164: "+442079460958"),
        Valid(input: "+49 30 123456", e164: "+4930123456"),
    ]

    @Test(arguments: valid)
    func normalizesToE164(_ example: Valid) throws {
        let phone = try PhoneNormalizer.normalize(example.input).get()
        #expect(phone.e164 == example.e164)
        #expect(phone.extensionNumber == example.extensionNumber)
        #expect(PhoneNormalizer.e164(example.input) == example.e164)
    }

    static let invalid: [(String, PhoneNormalizer.Problem)] = [
        ("", .empty),
        ("   ", .empty),
        ("+", .empty),
        ("abc", .invalidCharacter("a")),
        ("tel: 13800138000", .invalidCharacter("t")),
        ("１３８ａｂｃ", .invalidCharacter("a")),
        ("1\u{301}3800138000", .invalidCharacter("1\u{301}")),
        ("电话13800138000", .invalidCharacter("电")),
        ("12345", .notAChinaNumber),
        ("12345678", .localNumberWithoutAreaCode),
        ("1380013800", .notAChinaNumber),
        ("138001380001", .notAChinaNumber),
        ("12800138000", .notAChinaNumber),
        ("0123", .notAChinaNumber),
        ("010-1234", .notAChinaNumber),
        ("0000000000", .invalidCountryCode),  // "00" is the international prefix
        ("0 1111 1111", .notAChinaNumber),
        ("138 0013 8000 / 139 0013 9000", .notAChinaNumber),
        ("+86 12345", .notAChinaNumber),
        ("+123", .internationalLength(3)),
        ("+1234567890123456", .internationalLength(16)),
        ("+0 123456789", .invalidCountryCode),
        ("13800138000+", .misplacedPlus),
        ("++8613800138000", .misplacedPlus),
        ("010-12345678 ext abc", .invalidExtension),
        ("010-12345678 ext 12345678", .invalidExtension),
    ]

    @Test(arguments: invalid)
    func rejectsWhatCannotBeAPhone(_ input: String, _ problem: PhoneNormalizer.Problem) {
        #expect(PhoneNormalizer.normalize(input) == .failure(problem))
        #expect(PhoneNormalizer.e164(input) == nil)
    }

    @Test func problemsReadAsSentences() {
        #expect(PhoneNormalizer.Problem.localNumberWithoutAreaCode.description == "is a local number without an area code")
        #expect(PhoneNormalizer.Problem.internationalLength(3).description
            == "has 3 digits; international numbers have 8 to 15 digits including the country code")
    }
}
