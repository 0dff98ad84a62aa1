import Foundation

/// A sales rep as routing sees them: who they are, what they cover, and when they can take leads.
///
/// Coverage lists (regions, product lines, industries, languages) are codes that lead intake also
/// produces (e.g. `east`, `medical_devices`, `pharma_retail`, `zh`); they are compared
/// case-insensitively because reps are imported from hand-edited CSV files.
public struct Rep: Codable, Sendable, Equatable, Hashable, Identifiable {
    public var id: String
    public var name: String
    public var teamId: String
    /// Receives LeadEscalated when this rep breaches an SLA; `nil` falls back to the team's supervisor.
    public var supervisorId: String?
    public var regions: [String]
    public var productLines: [String]
    public var industries: [String]
    public var languages: [String]
    public var workingHours: WorkingHours
    /// IANA identifier such as `Asia/Shanghai`; an unknown identifier makes the rep ineligible while
    /// the policy respects working hours, rather than silently treating them as UTC.
    public var timeZone: String
    public var active: Bool
    public var onLeave: [LeavePeriod]
    /// Maximum number of open leads; a rep at capacity never receives another one.
    public var capacity: Int
    /// 1 (junior) ... 5 (most senior); used to send high-score leads to experienced reps.
    public var seniority: Int

    public init(
        id: String,
        name: String,
        teamId: String,
        supervisorId: String? = nil,
        regions: [String] = [],
        productLines: [String] = [],
        industries: [String] = [],
        languages: [String] = [],
        workingHours: WorkingHours = .always,
        timeZone: String = "Asia/Shanghai",
        active: Bool = true,
        onLeave: [LeavePeriod] = [],
        capacity: Int,
        seniority: Int = 3
    ) {
        self.id = id
        self.name = name
        self.teamId = teamId
        self.supervisorId = supervisorId
        self.regions = regions
        self.productLines = productLines
        self.industries = industries
        self.languages = languages
        self.workingHours = workingHours
        self.timeZone = timeZone
        self.active = active
        self.onLeave = onLeave
        self.capacity = capacity
        self.seniority = seniority
    }
}

extension Array where Element == String {
    /// Case-insensitive membership; `nil` (the lead does not say) never matches.
    ///
    /// Codes are ASCII identifiers (`east`, `medical_devices`): they are compared byte by byte with
    /// ASCII case folding, because Foundation's `caseInsensitiveCompare` bridges to NSString and
    /// was a tenth of routing's CPU (200 reps x 3 dimensions per lead). Other text falls back to
    /// comparing lower-cased strings.
    func containsCode(_ code: String?) -> Bool {
        guard let code else { return false }
        return contains { Self.sameCode($0, code) }
    }

    static func sameCode(_ lhs: String, _ rhs: String) -> Bool {
        var left = lhs.utf8.makeIterator()
        var right = rhs.utf8.makeIterator()
        while true {
            switch (left.next(), right.next()) {
            case (nil, nil):
                return true
            case (let a?, let b?):
                if a == b { continue }
                guard a < 0x80, b < 0x80 else { return lhs.lowercased() == rhs.lowercased() }
                if Self.asciiLower(a) != Self.asciiLower(b) { return false }
            default:
                return false
            }
        }
    }

    private static func asciiLower(_ byte: UInt8) -> UInt8 {
        (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) ? byte + 32 : byte
    }
}
