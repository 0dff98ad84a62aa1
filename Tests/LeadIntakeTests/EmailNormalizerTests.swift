import Testing
import LeadIntake

struct EmailNormalizerTests {
    static let valid: [(String, String)] = [
        ("Zhang.Wei@Example.com", "zhang.wei@example.com"),
        ("  zhang.wei@example.com  ", "zhang.wei@example.com"),
        ("\u{3000}li@example.cn\u{3000}", "li@example.cn"),
        ("\tLI@EXAMPLE.CN\n", "li@example.cn"),
        ("ＺＨＡＮＧ＠ＥＸＡＭＰＬＥ．ＣＯＭ", "zhang@example.com"),
        ("zhang@example。com", "zhang@example.com"),
        ("zhang+crm@sub.example.com.cn", "zhang+crm@sub.example.com.cn"),
        ("o'brien@example.ie", "o'brien@example.ie"),
        ("wang_fang-01@my-company.co", "wang_fang-01@my-company.co"),
    ]

    @Test(arguments: valid)
    func normalizes(_ input: String, _ expected: String) {
        #expect(EmailNormalizer.normalize(input) == .success(expected))
        #expect(EmailNormalizer.email(input) == expected)
    }

    static let invalid: [(String, EmailNormalizer.Problem)] = [
        ("", .empty),
        ("   ", .empty),
        ("zhang wei@example.com", .containsSpace),
        ("zhang@exa mple.com", .containsSpace),
        ("zhang.example.com", .missingAt),
        ("a@b@example.com", .multipleAt),
        ("@example.com", .emptyLocalPart),
        ("zhang@", .invalidDomain),
        ("zhang@example", .invalidDomain),
        ("zhang@.com", .invalidDomain),
        ("zhang@example..com", .invalidDomain),
        ("zhang@-example.com", .invalidDomain),
        ("zhang@example.c", .invalidDomain),
        ("zhang@exa_mple.com", .invalidDomain),
        ("zhang@127.0.0.1", .invalidDomain),
        (".zhang@example.com", .invalidLocalPart),
        ("zhang.@example.com", .invalidLocalPart),
        ("zh..ang@example.com", .invalidLocalPart),
        ("zhang<wei>@example.com", .invalidLocalPart),
        (String(repeating: "a", count: 250) + "@example.com", .tooLong),
    ]

    @Test(arguments: invalid)
    func rejects(_ input: String, _ problem: EmailNormalizer.Problem) {
        #expect(EmailNormalizer.normalize(input) == .failure(problem))
        #expect(EmailNormalizer.email(input) == nil)
    }
}
