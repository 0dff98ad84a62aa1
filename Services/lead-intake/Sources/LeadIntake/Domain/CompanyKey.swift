/// The form of a company name used to recognise the same company typed differently
/// ("华东医药连锁有限公司" / "华东医药连锁", "ACME Trading Co., Ltd." / "Acme Trading").
///
/// Rules, kept simple on purpose (fuzzy matching on top of this key happens in Postgres):
/// 1. Text-normalized (full-width folded, spaces collapsed) and lower-cased.
/// 2. Split into words at anything that is not a letter or digit; parentheses go, their content
///    stays ("阿里巴巴（中国）有限公司" -> "阿里巴巴中国"), because a region in brackets often
///    tells subsidiaries apart.
/// 3. Legal-form suffixes are removed from the end, repeatedly: Chinese ones (股份有限公司,
///    有限责任公司, 有限公司, 股份公司, 公司) and whole English/German words (co, ltd, inc, llc,
///    gmbh, corp, corporation, limited, company, plc, ...). English suffixes are whole words only,
///    so "Tesco" keeps its "co". "集团" (group) and "分公司" (branch) are part of the name and kept.
/// 4. The words are joined without separators.
/// A name that would become empty keeps its words (a company called "Limited" stays "limited").
public struct CompanyKey: Sendable, Hashable, Codable, CustomStringConvertible {
    public var value: String

    public var description: String { value }

    /// Nil when the name has no letters or digits at all.
    public init?(companyName: String) {
        var words = Self.words(of: TextNormalizer.normalize(companyName).lowercased())
        guard !words.isEmpty else { return nil }
        while let stripped = Self.stripOneSuffix(words) { words = stripped }
        value = words.joined()
    }

    private static func words(of text: String) -> [String] {
        text.split(whereSeparator: { !($0.isLetter || $0.isNumber) }).map(String.init)
    }

    /// Longest first, so 股份有限公司 is removed whole rather than leaving 股份.
    private static let chineseSuffixes = ["股份有限公司", "有限责任公司", "有限公司", "股份公司", "公司"]

    private static let wordSuffixes: Set<String> = [
        "co", "ltd", "inc", "llc", "gmbh", "corp", "corporation", "limited", "company", "plc",
        "incorporated", "ag", "sa", "bv", "pte", "pty", "llp",
    ]

    /// The words with one legal suffix removed, or nil when there is none (or nothing would be left).
    private static func stripOneSuffix(_ words: [String]) -> [String]? {
        guard let last = words.last else { return nil }
        if words.count > 1, wordSuffixes.contains(last) {
            return Array(words.dropLast())
        }
        for suffix in chineseSuffixes where last.hasSuffix(suffix) {
            if suffix == "公司", last.hasSuffix("分公司") { return nil }
            let rest = String(last.dropLast(suffix.count))
            if rest.isEmpty {
                return words.count > 1 ? Array(words.dropLast()) : nil
            }
            return words.dropLast() + [rest]
        }
        return nil
    }
}
