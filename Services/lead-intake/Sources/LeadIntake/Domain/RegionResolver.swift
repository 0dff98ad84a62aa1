/// Maps a province to a sales region when a submission has no region of its own.
///
/// The mapping is configuration (sales organisations draw regions differently); `standard` is the
/// common seven-region split of mainland China plus Hong Kong/Macau/Taiwan. Provinces are accepted
/// with or without their administrative suffix ("浙江" / "浙江省", "广西壮族自治区") and in pinyin
/// ("Zhejiang", "zhejiang province").
public struct RegionResolver: Sendable {
    private let regionByProvince: [String: String]

    /// - Parameter provinceToRegion: province name (any accepted spelling) -> region code.
    public init(provinceToRegion: [String: String]) {
        var mapping: [String: String] = [:]
        for (province, region) in provinceToRegion {
            mapping[Self.provinceKey(province)] = Self.regionCode(region)
        }
        regionByProvince = mapping
    }

    public static let standard = RegionResolver(provinceToRegion: standardMapping)

    /// The region for a province, nil when the province is unknown to the mapping.
    public func region(forProvince province: String) -> String? {
        regionByProvince[Self.provinceKey(province)]
    }

    /// The submitted region when there is one (as a lower-case code), else the province's region.
    public func resolve(region: String?, province: String?) -> String? {
        if let region = TextNormalizer.normalizedOrNil(region) { return Self.regionCode(region) }
        return province.flatMap { self.region(forProvince: $0) }
    }

    private static func regionCode(_ region: String) -> String {
        TextNormalizer.normalize(region).lowercased()
    }

    /// Longest first: "广西壮族自治区" must lose "壮族自治区", not only "自治区".
    private static let provinceSuffixes = [
        "维吾尔自治区", "壮族自治区", "回族自治区", "特别行政区", "自治区", "省", "市",
        "province", "sheng", "shi",
    ]

    static func provinceKey(_ province: String) -> String {
        var key = TextNormalizer.normalize(province).lowercased().filter { !$0.isWhitespace }
        for suffix in provinceSuffixes where key.hasSuffix(suffix) && key.count > suffix.count {
            key = String(key.dropLast(suffix.count))
            break
        }
        return key
    }

    public static let standardMapping: [String: String] = {
        let regions: [(region: String, provinces: [(String, String)])] = [
            ("north", [("北京", "beijing"), ("天津", "tianjin"), ("河北", "hebei"), ("山西", "shanxi"),
                       ("内蒙古", "inner mongolia")]),
            ("northeast", [("辽宁", "liaoning"), ("吉林", "jilin"), ("黑龙江", "heilongjiang")]),
            ("east", [("上海", "shanghai"), ("江苏", "jiangsu"), ("浙江", "zhejiang"), ("安徽", "anhui"),
                      ("福建", "fujian"), ("江西", "jiangxi"), ("山东", "shandong"), ("台湾", "taiwan")]),
            ("central", [("河南", "henan"), ("湖北", "hubei"), ("湖南", "hunan")]),
            ("south", [("广东", "guangdong"), ("广西", "guangxi"), ("海南", "hainan"), ("香港", "hong kong"),
                       ("澳门", "macau")]),
            ("southwest", [("重庆", "chongqing"), ("四川", "sichuan"), ("贵州", "guizhou"), ("云南", "yunnan"),
                           ("西藏", "tibet")]),
            ("northwest", [("陕西", "shaanxi"), ("甘肃", "gansu"), ("青海", "qinghai"), ("宁夏", "ningxia"),
                           ("新疆", "xinjiang")]),
        ]
        var mapping: [String: String] = [:]
        for (region, provinces) in regions {
            for (chinese, pinyin) in provinces {
                mapping[chinese] = region
                mapping[pinyin] = region
            }
        }
        return mapping
    }()
}
