import Testing
import LeadIntake

struct CompanyKeyTests {
    static let cases: [(String, String)] = [
        ("华东医药连锁有限公司", "华东医药连锁"),
        ("华东医药连锁", "华东医药连锁"),
        (" 华东医药连锁 股份有限公司 ", "华东医药连锁"),
        ("杭州某某科技有限责任公司", "杭州某某科技"),
        ("某某集团有限公司", "某某集团"),
        ("某某股份公司", "某某"),
        ("阿里巴巴（中国）有限公司", "阿里巴巴中国"),
        ("阿里巴巴(中国)有限公司", "阿里巴巴中国"),
        ("华东医药杭州分公司", "华东医药杭州分公司"),
        ("ACME Trading Co., Ltd.", "acmetrading"),
        ("Acme Trading Co.,Ltd", "acmetrading"),
        ("ＡＣＭＥ　Ｔｒａｄｉｎｇ　ＣＯ．，ＬＴＤ．", "acmetrading"),
        ("Apple Inc.", "apple"),
        ("Siemens GmbH", "siemens"),
        ("Foo Company Limited", "foo"),
        ("Example LLC", "example"),
        ("Tesco", "tesco"),
        ("Tesco PLC", "tesco"),
        ("Limited", "limited"),
        ("公司", "公司"),
        ("A.B.C. Trading Corp.", "abctrading"),
        ("Kingdee International Software Group Company Limited", "kingdeeinternationalsoftwaregroup"),
    ]

    @Test(arguments: cases)
    func matchKey(_ name: String, _ expected: String) {
        #expect(CompanyKey(companyName: name)?.value == expected)
    }

    @Test func spellingsOfOneCompanyShareAKey() {
        let spellings = ["华东医药连锁有限公司", "华东医药连锁", "华东医药 连锁 股份有限公司", "華東醫藥連鎖有限公司"]
        let keys = Set(spellings.compactMap { CompanyKey(companyName: $0) })
        // Traditional characters are a different spelling; fuzzy matching (not this key) covers them.
        #expect(keys.count == 2)
    }

    @Test(arguments: ["", "   ", "!!!", "（）"])
    func nothingToMatchOn(_ name: String) {
        #expect(CompanyKey(companyName: name) == nil)
    }
}
