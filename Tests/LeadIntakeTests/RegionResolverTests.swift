import Testing
import LeadIntake

struct RegionResolverTests {
    static let provinces: [(String, String?)] = [
        ("浙江", "east"),
        ("浙江省", "east"),
        (" 浙江省 ", "east"),
        ("Zhejiang", "east"),
        ("zhejiang province", "east"),
        ("上海市", "east"),
        ("北京市", "north"),
        ("内蒙古自治区", "north"),
        ("Inner Mongolia", "north"),
        ("黑龙江省", "northeast"),
        ("河南", "central"),
        ("广西壮族自治区", "south"),
        ("香港特别行政区", "south"),
        ("四川", "southwest"),
        ("新疆维吾尔自治区", "northwest"),
        ("宁夏回族自治区", "northwest"),
        ("陕西", "northwest"),
        ("山西", "north"),
        ("火星", nil),
        ("", nil),
    ]

    @Test(arguments: provinces)
    func standardMapping(_ province: String, _ region: String?) {
        #expect(RegionResolver.standard.region(forProvince: province) == region)
    }

    @Test func coversAllThirtyFourProvinceLevelDivisions() {
        let chinese = RegionResolver.standardMapping.keys.filter { $0.unicodeScalars.first!.value > 0x2E80 }
        #expect(chinese.count == 34)
    }

    @Test func submittedRegionWinsOverProvince() {
        let resolver = RegionResolver.standard
        #expect(resolver.resolve(region: "East", province: "四川") == "east")
        #expect(resolver.resolve(region: nil, province: "四川省") == "southwest")
        #expect(resolver.resolve(region: "  ", province: "四川") == "southwest")
        #expect(resolver.resolve(region: nil, province: nil) == nil)
        #expect(resolver.resolve(region: nil, province: "火星") == nil)
    }

    @Test func mappingComesFromConfiguration() {
        let resolver = RegionResolver(provinceToRegion: ["浙江省": "EAST-1", "江苏": "east-2"])
        #expect(resolver.region(forProvince: "浙江") == "east-1")
        #expect(resolver.region(forProvince: "江苏省") == "east-2")
        #expect(resolver.region(forProvince: "上海") == nil)
    }
}
