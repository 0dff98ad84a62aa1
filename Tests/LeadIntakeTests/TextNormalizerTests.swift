import Testing
import LeadIntake

struct TextNormalizerTests {
    static let cases: [(String, String)] = [
        ("  张伟  ", "张伟"),
        ("张　伟", "张 伟"),
        ("ＡＢＣ　Ｔｒａｄｉｎｇ", "ABC Trading"),
        ("Acme \t\n  Trading", "Acme Trading"),
        ("Acme\u{00A0}\u{00A0}Trading", "Acme Trading"),
        ("华东\u{200B}医药", "华东医药"),
        ("\u{FEFF}Acme", "Acme"),
        ("（中国）有限公司", "(中国)有限公司"),
        ("ｅｍａｉｌ＠ｅｘａｍｐｌｅ．ｃｏｍ", "email@example.com"),
        ("line1\r\nline2", "line1 line2"),
        ("", ""),
        (" \u{3000} ", ""),
    ]

    @Test(arguments: cases)
    func normalizes(_ input: String, _ expected: String) {
        #expect(TextNormalizer.normalize(input) == expected)
    }

    @Test func composesToNFC() {
        // "e" + combining acute becomes the single scalar "é", so stored names compare byte-wise.
        #expect(TextNormalizer.normalize("Cafe\u{301}").unicodeScalars.map(\.value) == [0x43, 0x61, 0x66, 0xE9])
        // Composition is skipped for ASCII, Latin-1 and CJK ideographs only; what follows still composes.
        #expect(TextNormalizer.normalize("张伟 Cafe\u{301}") == "张伟 Caf\u{E9}")
        #expect(TextNormalizer.normalize("\u{1100}\u{1161}").unicodeScalars.map(\.value) == [0xAC00]) // Hangul jamo
        #expect(TextNormalizer.normalize("\u{212B}").unicodeScalars.map(\.value) == [0xC5]) // Angstrom sign
        #expect(TextNormalizer.normalize("\u{F900}").unicodeScalars.map(\.value) == [0x8C48]) // compatibility ideograph
        #expect(TextNormalizer.normalize("Zo\u{00EB}").unicodeScalars.map(\.value) == [0x5A, 0x6F, 0xEB])
    }

    @Test func foldsExactlyTheFullWidthASCIIBlock() {
        #expect(TextNormalizer.foldFullWidth("！～") == "!~")
        // U+FF5F (full-width white parenthesis) and U+FF61 (half-width katakana stop) are outside the block.
        #expect(TextNormalizer.foldFullWidth("\u{FF5F}\u{FF61}") == "\u{FF5F}\u{FF61}")
        #expect(TextNormalizer.foldFullWidth("中文　ＯＫ") == "中文 OK")
    }

    @Test func emptyMeansNil() {
        #expect(TextNormalizer.normalizedOrNil(nil) == nil)
        #expect(TextNormalizer.normalizedOrNil(" \u{200B} ") == nil)
        #expect(TextNormalizer.normalizedOrNil(" 张伟 ") == "张伟")
    }
}
