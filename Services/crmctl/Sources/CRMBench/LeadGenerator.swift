import Foundation
import Shared

/// Generates a realistic intake mix for the benchmark and keeps the books on what the intake
/// should make of it: people from Chinese companies with legal suffixes and provinces, reaching us
/// through web forms, WeCom, phone calls, expo badge scans and partner feeds, their phone numbers
/// typed every which way (spaces, dashes, +86, 0086, full-width digits). A share of submissions is a
/// person we already have, through another channel; a share is malformed.
///
/// The expected outcome does not depend on the order the intake processes submissions in (they are
/// spread over partitions by submissionId): identities never repeat between people (phones, emails
/// and WeCom ids carry the run id), and every submission of one person carries that person's
/// *anchor* identity, so whichever arrives first becomes the lead and all others merge into it.
public struct LeadGenerator: Sendable {
    public enum Outcome: String, CaseIterable, Sendable {
        case accepted, merged, rejected
    }

    public enum Malformation: String, CaseIterable, Sendable {
        case notJSON = "not JSON"
        case missingSource = "missing source"
        case noContact = "no contact"
        case negativeBudget = "negative budget"
    }

    public static let sources = ["web_form", "wecom", "phone_call", "expo_scan", "partner_feed"]

    public struct Submission: Sendable {
        public var submissionId: String
        public var value: [UInt8]
        public var outcome: Outcome
        public var malformation: Malformation?
        /// The generator's person number (nil for malformed ones, which never become a lead).
        public var person: Int?
        public var source: String?
    }

    public struct Tally: Sendable {
        public var outcomes: [Outcome: Int] = [:]
        public var malformations: [Malformation: Int] = [:]
        public var sources: [String: Int] = [:]
        public var people = 0

        public subscript(_ outcome: Outcome) -> Int { outcomes[outcome] ?? 0 }
    }

    public var count: Int
    public var duplicateShare: Double
    public var malformedShare: Double
    public var seed: UInt64
    /// Lower-case letters and digits; makes ids and identities unique to this run.
    public var runId: String
    public var now: Date

    public init(count: Int, duplicateShare: Double, malformedShare: Double, seed: UInt64, runId: String, now: Date) {
        self.count = count
        self.duplicateShare = duplicateShare
        self.malformedShare = malformedShare
        self.seed = seed
        self.runId = runId
        self.now = now
    }

    /// Every submissionId of the run starts with this.
    public var prefix: String { "bench-\(runId)-" }

    /// One person has at most this many numbers in the run's phone block.
    public static let maxPeople = 1_000_000

    /// The regions the generated provinces map to (the intake's standard province mapping agrees).
    public static var regions: [String] { Array(Set(Pools.regionOfProvince.values)).sorted() }
    /// The product lines people ask about.
    public static var productLines: [String] { Pools.productLines }

    public func generate() -> (submissions: [Submission], tally: Tally) {
        var state = State(generator: self)
        var submissions: [Submission] = []
        submissions.reserveCapacity(count)
        for number in 0..<count {
            let submissionId = prefix + String(number)
            let roll = Double.random(in: 0..<1, using: &state.rng)
            let submission: Submission
            if roll < malformedShare {
                submission = state.malformed(submissionId)
            } else if roll < malformedShare + duplicateShare, !state.people.isEmpty {
                let index = Int.random(in: 0..<state.people.count, using: &state.rng)
                submission = state.submission(submissionId, of: index, outcome: .merged)
            } else {
                state.people.append(state.newPerson())
                submission = state.submission(submissionId, of: state.people.count - 1, outcome: .accepted)
            }
            state.tally.outcomes[submission.outcome, default: 0] += 1
            if let malformation = submission.malformation { state.tally.malformations[malformation, default: 0] += 1 }
            if let source = submission.source { state.tally.sources[source, default: 0] += 1 }
            submissions.append(submission)
        }
        state.tally.people = state.people.count
        return (submissions, state.tally)
    }

    // MARK: - People

    enum IdentityKind: CaseIterable {
        case phone, email, wecomId
    }

    struct Company {
        var name: String
        /// Without the legal suffix: how people often write it.
        var shortName: String
        var english: String?
        var industry: String
        var size: String
        var province: String
    }

    struct Person {
        var number: Int
        var surname: (hanzi: String, pinyin: String)
        var given: (hanzi: String, pinyin: String)
        var isMale: Bool
        /// 11 national digits.
        var phone: String?
        var email: String?
        var wecomId: String?
        /// The identity every one of this person's submissions carries.
        var anchor: IdentityKind
        var title: String
        var company: Company
        var productLine: String
        var budget: Double
        var usedSources: [String] = []

        var name: String { surname.hanzi + given.hanzi }
        var identities: [IdentityKind] {
            IdentityKind.allCases.filter { kind in
                switch kind {
                case .phone: phone != nil
                case .email: email != nil
                case .wecomId: wecomId != nil
                }
            }
        }
    }

    private struct State {
        let generator: LeadGenerator
        var rng: SeededRandom
        var people: [Person] = []
        var companies: [Company] = []
        var nextPersonNumber = 0
        var tally = Tally()
        /// Where this run's phone numbers live: a block of a million in the 7 billion mobile numbers
        /// 13x-19x, chosen by the run id, so runs do not reuse each other's numbers.
        let phoneBlock: UInt64
        let timestamps: ISO8601DateFormatter = {
            let formatter = ISO8601DateFormatter()
            formatter.timeZone = TimeZone(secondsFromGMT: 8 * 3600)
            formatter.formatOptions = [.withInternetDateTime]
            return formatter
        }()

        init(generator: LeadGenerator) {
            self.generator = generator
            rng = SeededRandom(seed: generator.seed)
            var hash: UInt64 = 0xCBF2_9CE4_8422_2325
            for byte in generator.runId.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01B3 }
            phoneBlock = hash % 7000
            let companyCount = max(20, generator.count / 8)
            companies = (0..<companyCount).map { _ in Self.company(using: &rng) }
        }

        mutating func pick<T>(_ options: [T]) -> T {
            options[Int.random(in: 0..<options.count, using: &rng)]
        }

        mutating func chance(_ probability: Double) -> Bool {
            Double.random(in: 0..<1, using: &rng) < probability
        }

        mutating func newPerson() -> Person {
            let number = nextPersonNumber
            nextPersonNumber += 1
            let surname = pick(Pools.surnames)
            var given = pick(Pools.givenNames)
            if chance(0.6) {
                let second = pick(Pools.givenNames)
                given = (given.hanzi + second.hanzi, given.pinyin + second.pinyin)
            }
            let tag = generator.runId + String(number, radix: 36)
            var phone: String? = chance(0.85) ? phoneNumber(number) : nil
            let email: String? = chance(0.6) ? emailAddress(surname: surname.pinyin, given: given.pinyin, tag: tag) : nil
            let wecomId: String? = chance(0.35) ? "wm" + tag.uppercased() + String(UInt32.random(in: 0..<46_656, using: &rng), radix: 36) : nil
            if phone == nil, email == nil, wecomId == nil { phone = phoneNumber(number) }
            var person = Person(
                number: number, surname: surname, given: given, isMale: chance(0.55),
                phone: phone, email: email, wecomId: wecomId, anchor: .phone,
                title: pick(Pools.titles), company: pick(companies), productLine: pick(Pools.productLines),
                budget: budget())
            person.anchor = pick(person.identities)
            return person
        }

        /// Unique within the run and apart from other runs: the person number's place in the run's
        /// block, spread over all 7 billion numbers by a bijection (multiplying by a number coprime
        /// to 7 billion), so numbers look like anyone's rather than counting up.
        func phoneNumber(_ number: Int) -> String {
            let space: UInt64 = 7_000_000_000
            let block = phoneBlock * UInt64(LeadGenerator.maxPeople) + UInt64(number)
            let product = block.multipliedFullWidth(by: 2_654_435_761)
            let slot = (space.dividingFullWidth(product).remainder + 1_234_567) % space
            let second = 3 + slot / 1_000_000_000
            let rest = String(slot % 1_000_000_000)
            return "1\(second)" + String(repeating: "0", count: 9 - rest.count) + rest
        }

        mutating func emailAddress(surname: String, given: String, tag: String) -> String {
            let local = switch Int.random(in: 0..<3, using: &rng) {
            case 0: "\(surname).\(given).\(tag)"
            case 1: "\(given)\(surname)_\(tag)"
            default: "\(surname)\(given.prefix(1))\(tag)"
            }
            return local + "@" + pick(Pools.emailDomains)
        }

        /// Log-uniform between 20 thousand and 5 million, rounded to thousands.
        mutating func budget() -> Double {
            let exponent = Double.random(in: log(20_000)...log(5_000_000), using: &rng)
            return (exp(exponent) / 1000).rounded() * 1000
        }

        static func company(using rng: inout SeededRandom) -> Company {
            func pick<T>(_ options: [T]) -> T { options[Int.random(in: 0..<options.count, using: &rng)] }
            let city = pick(Pools.cities)
            let brand = pick(Pools.brands)
            let business = pick(Pools.businesses)
            let suffixRoll = Double.random(in: 0..<1, using: &rng)
            let suffix = suffixRoll < 0.5 ? "有限公司" : suffixRoll < 0.7 ? "股份有限公司" : suffixRoll < 0.8 ? "集团有限公司" : suffixRoll < 0.95 ? "有限责任公司" : ""
            let withCity = Double.random(in: 0..<1, using: &rng) < 0.5
            let short = (withCity ? city.name : "") + brand.hanzi + business.hanzi
            let englishSuffix = pick(["Co., Ltd.", "Co., Ltd", "Inc.", "Group Co., Ltd.", "Limited"])
            let english = Double.random(in: 0..<1, using: &rng) < 0.3
                ? "\(brand.pinyin.capitalized) \(business.english) \(englishSuffix)" : nil
            return Company(name: short + suffix, shortName: short, english: english,
                           industry: business.industry, size: pick(Pools.sizes), province: city.province)
        }

        // MARK: Submissions

        mutating func submission(_ submissionId: String, of index: Int, outcome: Outcome) -> Submission {
            var person = people[index]
            let unused = LeadGenerator.sources.filter { !person.usedSources.contains($0) }
            let source = pick(unused.isEmpty ? LeadGenerator.sources : unused)
            person.usedSources.append(source)
            people[index] = person
            let json = body(submissionId, person: person, source: source, first: outcome == .accepted)
            return Submission(submissionId: submissionId, value: Self.encode(json), outcome: outcome,
                              malformation: nil, person: person.number, source: source)
        }

        mutating func body(_ submissionId: String, person: Person, source: String, first: Bool) -> [String: JSONValue] {
            var contact: [String: JSONValue] = [:]
            var company: [String: JSONValue] = [:]
            var interest: [String: JSONValue] = [:]
            var attributes: [String: JSONValue] = [:]

            // Identities: the anchor always, the person's others often (more often the first time).
            for kind in person.identities where kind == person.anchor || chance(first ? 0.8 : 0.5) {
                switch kind {
                case .phone: contact["phone"] = .string(formatPhone(person.phone!))
                case .email: contact["email"] = .string(formatEmail(person.email!))
                case .wecomId: contact["wecomId"] = .string(person.wecomId!)
                }
            }
            let politeName = person.surname.hanzi + (person.isMale ? "先生" : "女士")
            switch source {
            case "phone_call":
                contact["name"] = .string(chance(0.5) ? politeName : person.name)
                if chance(0.6) { company["name"] = .string(companyName(person.company)) }
                if chance(0.5) { interest["productLine"] = .string(person.productLine) }
                if chance(0.6) { interest["notes"] = .string(pick(Pools.callNotes)) }
            case "wecom":
                contact["name"] = .string(chance(0.8) ? person.name : person.given.pinyin.capitalized + " " + person.surname.pinyin.capitalized)
                if chance(0.3) { contact["title"] = .string(person.title) }
                if chance(0.6) { company["name"] = .string(person.company.shortName) }
                if chance(0.2) { interest["notes"] = .string(pick(Pools.notes)) }
                attributes["channel"] = .string(pick(["公众号文章", "企业微信名片", "社群"]))
            case "expo_scan":
                contact["name"] = .string(person.name)
                if chance(0.9) { contact["title"] = .string(person.title) }
                company["name"] = .string(companyName(person.company))
                if chance(0.8) { company["province"] = .string(province(person.company.province)) }
                attributes["campaign"] = .string(pick(["2026-cmef", "2026-spring-expo", "2026-pharmchina"]))
                if chance(0.3) { attributes["tags"] = .array([.string(pick(Pools.tags))]) }
            case "partner_feed":
                contact["name"] = .string(person.name)
                if chance(0.5) { contact["title"] = .string(person.title) }
                company["name"] = .string(person.company.name)
                company["industry"] = .string(person.company.industry)
                company["size"] = .string(person.company.size)
                company["province"] = .string(province(person.company.province))
                if chance(0.3) { company["region"] = .string(Pools.regionOfProvince[person.company.province] ?? "east") }
                interest["productLine"] = .string(person.productLine)
                // Partner systems often send numbers as text with thousands separators.
                interest["budget"] = chance(0.5) ? .string(person.budget.formatted(.number.grouping(.automatic).locale(Locale(identifier: "en_US")))) : .number(person.budget)
                interest["currency"] = .string("CNY")
                attributes["partner"] = .string(pick(["partner-hz-01", "partner-sz-07", "partner-bj-03"]))
            default: // web_form
                contact["name"] = .string(person.name)
                if chance(0.5) { contact["title"] = .string(person.title) }
                company["name"] = .string(companyName(person.company))
                if chance(0.7) { company["province"] = .string(province(person.company.province)) }
                if chance(0.4) { company["industry"] = .string(person.company.industry) }
                if chance(0.8) { interest["productLine"] = .string(person.productLine) }
                if chance(0.6) { interest["budget"] = .number(person.budget) }
                if chance(0.3) { interest["notes"] = .string(pick(Pools.notes)) }
                if chance(0.3) { attributes["campaign"] = .string("2026-spring-web") }
                if chance(0.2) { attributes["tags"] = .array([.string(pick(Pools.tags))]) }
            }
            var root: [String: JSONValue] = [
                "submissionId": .string(submissionId),
                "source": .string(source),
                "contact": .object(contact),
            ]
            if chance(0.6) { root["receivedAt"] = .string(receivedAt()) }
            if !company.isEmpty { root["company"] = .object(company) }
            if !interest.isEmpty { root["interest"] = .object(interest) }
            if !attributes.isEmpty { root["attributes"] = .object(attributes) }
            return root
        }

        mutating func malformed(_ submissionId: String) -> Submission {
            // A throwaway person: never stored, so it takes nothing from the people who become leads.
            let person = newPerson()
            let kind = pick(Malformation.allCases)
            var root = body(submissionId, person: person, source: pick(LeadGenerator.sources), first: true)
            let value: [UInt8]
            switch kind {
            case .notJSON:
                if chance(0.5) {
                    // A body cut off in transit.
                    let full = Self.encode(root)
                    value = Array(full.prefix(Int.random(in: full.count / 3..<(full.count - 1), using: &rng)))
                } else {
                    // A form post sent to the JSON topic.
                    value = Array("submissionId=\(submissionId)&source=web_form&name=\(person.surname.pinyin)&phone=\(person.phone ?? "13800138000")".utf8)
                }
            case .missingSource:
                if chance(0.7) { root["source"] = nil } else { root["source"] = .string(" ") }
                value = Self.encode(root)
            case .noContact:
                var contact: [String: JSONValue] = ["name": .string(person.name)]
                if chance(0.5) { contact["title"] = .string(person.title) }
                root["contact"] = .object(contact)
                value = Self.encode(root)
            case .negativeBudget:
                var interest = root["interest"]?.objectValue ?? [:]
                interest["budget"] = .number(-person.budget)
                root["interest"] = .object(interest)
                value = Self.encode(root)
            }
            return Submission(submissionId: submissionId, value: value, outcome: .rejected, malformation: kind,
                              person: nil, source: root["source"]?.stringValue)
        }

        // MARK: Ways of writing things

        mutating func formatPhone(_ national: String) -> String {
            let digits = Array(national)
            let a = String(digits[0..<3]), b = String(digits[3..<7]), c = String(digits[7...])
            switch Int.random(in: 0..<11, using: &rng) {
            case 0: return national
            case 1: return "\(a) \(b) \(c)"
            case 2: return "\(a)-\(b)-\(c)"
            case 3: return "+86 \(a) \(b) \(c)"
            case 4: return "+86\(national)"
            case 5: return "0086 \(national)"
            case 6: return "0086-\(a)-\(b)-\(c)"
            case 7: return Self.fullWidth(national)
            case 8: return "(+86) \(a)-\(b)-\(c)"
            case 9: return "+86-\(a)-\(b)-\(c)"
            default: return Self.fullWidth("\(a)") + "　" + Self.fullWidth("\(b) \(c)")
            }
        }

        mutating func formatEmail(_ email: String) -> String {
            switch Int.random(in: 0..<4, using: &rng) {
            case 0: email.prefix(1).uppercased() + email.dropFirst()
            case 1: " \(email) "
            case 2: email.uppercased()
            default: email
            }
        }

        mutating func companyName(_ company: Company) -> String {
            let roll = Double.random(in: 0..<1, using: &rng)
            if roll < 0.7 { return company.name }
            if roll < 0.9 { return company.shortName }
            return company.english ?? company.name
        }

        mutating func province(_ province: String) -> String {
            switch Int.random(in: 0..<4, using: &rng) {
            case 0: province + (Pools.municipalities.contains(province) ? "市" : "省")
            case 1: Pools.provincePinyin[province] ?? province
            default: province
            }
        }

        mutating func receivedAt() -> String {
            let date = generator.now.addingTimeInterval(-Double.random(in: 0..<(7 * 86_400), using: &rng))
            return timestamps.string(from: date)
        }

        static func fullWidth(_ text: String) -> String {
            String(String.UnicodeScalarView(text.unicodeScalars.map { scalar in
                ("0"..."9").contains(scalar) ? Unicode.Scalar(scalar.value + 0xFEE0)! : scalar
            }))
        }

        static func encode(_ root: [String: JSONValue]) -> [UInt8] {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.withoutEscapingSlashes]
            return Array((try? encoder.encode(JSONValue.object(root))) ?? Data("{}".utf8))
        }
    }
}

/// Names, places and words the generator draws from.
private enum Pools {
    static let surnames: [(hanzi: String, pinyin: String)] = [
        ("王", "wang"), ("李", "li"), ("张", "zhang"), ("刘", "liu"), ("陈", "chen"), ("杨", "yang"), ("黄", "huang"),
        ("赵", "zhao"), ("吴", "wu"), ("周", "zhou"), ("徐", "xu"), ("孙", "sun"), ("马", "ma"), ("朱", "zhu"),
        ("胡", "hu"), ("郭", "guo"), ("何", "he"), ("高", "gao"), ("林", "lin"), ("罗", "luo"), ("郑", "zheng"),
        ("梁", "liang"), ("谢", "xie"), ("宋", "song"), ("唐", "tang"), ("许", "xu"), ("韩", "han"), ("冯", "feng"),
        ("邓", "deng"), ("曹", "cao"), ("彭", "peng"), ("曾", "zeng"), ("肖", "xiao"), ("田", "tian"), ("董", "dong"),
        ("袁", "yuan"), ("潘", "pan"), ("蒋", "jiang"), ("蔡", "cai"), ("余", "yu"), ("杜", "du"), ("叶", "ye"),
        ("程", "cheng"), ("苏", "su"), ("魏", "wei"), ("吕", "lv"), ("丁", "ding"), ("沈", "shen"), ("姚", "yao"),
        ("卢", "lu"), ("姜", "jiang"), ("崔", "cui"), ("钟", "zhong"), ("谭", "tan"), ("陆", "lu"), ("范", "fan"),
        ("金", "jin"), ("石", "shi"), ("廖", "liao"), ("贾", "jia"), ("夏", "xia"), ("方", "fang"), ("白", "bai"),
        ("孟", "meng"), ("熊", "xiong"), ("秦", "qin"), ("邱", "qiu"), ("薛", "xue"), ("雷", "lei"), ("顾", "gu"),
        ("欧阳", "ouyang"), ("司马", "sima"), ("上官", "shangguan"),
    ]
    static let givenNames: [(hanzi: String, pinyin: String)] = [
        ("伟", "wei"), ("芳", "fang"), ("娜", "na"), ("敏", "min"), ("静", "jing"), ("丽", "li"), ("强", "qiang"),
        ("磊", "lei"), ("军", "jun"), ("洋", "yang"), ("勇", "yong"), ("艳", "yan"), ("杰", "jie"), ("娟", "juan"),
        ("涛", "tao"), ("明", "ming"), ("超", "chao"), ("霞", "xia"), ("平", "ping"), ("刚", "gang"), ("华", "hua"),
        ("建", "jian"), ("国", "guo"), ("文", "wen"), ("辉", "hui"), ("玲", "ling"), ("红", "hong"), ("鑫", "xin"),
        ("婷", "ting"), ("宇", "yu"), ("浩", "hao"), ("欣", "xin"), ("怡", "yi"), ("晨", "chen"), ("博", "bo"),
        ("思", "si"), ("雨", "yu"), ("涵", "han"), ("轩", "xuan"), ("佳", "jia"), ("晓", "xiao"), ("东", "dong"),
        ("海", "hai"), ("燕", "yan"), ("志", "zhi"), ("俊", "jun"), ("倩", "qian"), ("琳", "lin"), ("雪", "xue"),
        ("梅", "mei"), ("斌", "bin"), ("峰", "feng"), ("亮", "liang"), ("慧", "hui"), ("颖", "ying"), ("凯", "kai"),
    ]
    static let cities: [(name: String, province: String)] = [
        ("杭州", "浙江"), ("宁波", "浙江"), ("上海", "上海"), ("北京", "北京"), ("深圳", "广东"), ("广州", "广东"),
        ("南京", "江苏"), ("苏州", "江苏"), ("成都", "四川"), ("武汉", "湖北"), ("西安", "陕西"), ("长沙", "湖南"),
        ("济南", "山东"), ("青岛", "山东"), ("郑州", "河南"), ("福州", "福建"), ("厦门", "福建"), ("合肥", "安徽"),
        ("重庆", "重庆"), ("天津", "天津"), ("昆明", "云南"), ("南宁", "广西"), ("沈阳", "辽宁"), ("哈尔滨", "黑龙江"),
        ("石家庄", "河北"), ("南昌", "江西"), ("太原", "山西"), ("贵阳", "贵州"), ("兰州", "甘肃"), ("乌鲁木齐", "新疆"),
    ]
    static let municipalities: Set = ["北京", "上海", "天津", "重庆"]
    static let provincePinyin: [String: String] = [
        "浙江": "Zhejiang", "上海": "Shanghai", "北京": "Beijing", "广东": "Guangdong", "江苏": "Jiangsu",
        "四川": "Sichuan", "湖北": "Hubei", "陕西": "Shaanxi", "湖南": "Hunan", "山东": "Shandong", "河南": "Henan",
        "福建": "Fujian", "安徽": "Anhui", "重庆": "Chongqing", "天津": "Tianjin", "云南": "Yunnan", "广西": "Guangxi",
        "辽宁": "Liaoning", "黑龙江": "Heilongjiang", "河北": "Hebei", "江西": "Jiangxi", "山西": "Shanxi",
        "贵州": "Guizhou", "甘肃": "Gansu", "新疆": "Xinjiang",
    ]
    static let regionOfProvince: [String: String] = [
        "浙江": "east", "上海": "east", "江苏": "east", "山东": "east", "福建": "east", "安徽": "east", "江西": "east",
        "北京": "north", "天津": "north", "河北": "north", "山西": "north",
        "广东": "south", "广西": "south", "湖北": "central", "湖南": "central", "河南": "central",
        "四川": "southwest", "重庆": "southwest", "云南": "southwest", "贵州": "southwest",
        "陕西": "northwest", "甘肃": "northwest", "新疆": "northwest", "辽宁": "northeast", "黑龙江": "northeast",
    ]
    static let brands: [(hanzi: String, pinyin: String)] = [
        ("华东", "huadong"), ("恒瑞", "hengrui"), ("瑞康", "ruikang"), ("九州", "jiuzhou"), ("同仁", "tongren"),
        ("康达", "kangda"), ("益丰", "yifeng"), ("正大", "zhengda"), ("天和", "tianhe"), ("鼎信", "dingxin"),
        ("宏达", "hongda"), ("金桥", "jinqiao"), ("博远", "boyuan"), ("海正", "haizheng"), ("国泰", "guotai"),
        ("安康", "ankang"), ("仁和", "renhe"), ("永安", "yongan"), ("百草", "baicao"), ("德润", "derun"),
        ("嘉禾", "jiahe"), ("汇通", "huitong"), ("联邦", "lianbang"), ("新特", "xinte"), ("济民", "jimin"),
    ]
    static let businesses: [(hanzi: String, industry: String, english: String)] = [
        ("医药连锁", "pharma_retail", "Pharmacy Chain"), ("大药房", "pharma_retail", "Pharmacy"),
        ("医药", "pharma_distribution", "Pharmaceutical"), ("医药物流", "pharma_distribution", "Pharma Logistics"),
        ("医疗器械", "medical_devices", "Medical Devices"), ("生物科技", "biotech", "Biotech"),
        ("健康科技", "saas", "Health Technology"), ("精密制造", "manufacturing", "Precision Manufacturing"),
        ("商贸", "distribution", "Trading"), ("信息技术", "saas", "Information Technology"),
        ("医院管理", "hospital", "Hospital Management"),
    ]
    static let sizes = ["1-50", "50-200", "200-500", "500-1000", "1000+"]
    static let productLines = ["medical_devices", "pharmacy_erp", "cold_chain", "retail_pos", "telemedicine", "saas"]
    static let titles = [
        "采购经理", "总经理", "药剂科主任", "院长", "IT经理", "运营总监", "店长", "财务总监", "采购专员", "副总经理",
        "CEO", "Procurement Manager", "信息科科长", "质量负责人",
    ]
    static let emailDomains = ["qq.com", "163.com", "126.com", "sina.com", "foxmail.com", "outlook.com", "aliyun.com"]
    static let tags = ["DTP药房", "key_account", "连锁", "医保定点", "新店"]
    static let notes = ["需要GSP资质文件", "希望下周安排演示", "询价：500台", "已有竞品在用，关注价格", "年底前要上线", "请发报价单"]
    static let callNotes = ["电话咨询冷链方案", "来电询价，要求回电", "客户主动来电，关注实施周期", "转自400热线"]
}
