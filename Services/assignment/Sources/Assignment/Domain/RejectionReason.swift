/// Why one rep could not take one lead. Raw values are stable codes stored with the decision.
///
/// Declaration order is the order reasons are listed in summaries: availability first, coverage last.
public enum RejectionReason: String, Codable, Sendable, CaseIterable {
    case inactive
    case onLeave = "on_leave"
    case atCapacity = "at_capacity"
    case unknownTimeZone = "unknown_time_zone"
    case outsideWorkingHours = "outside_working_hours"
    case regionMismatch = "region_mismatch"
    case productLineMismatch = "product_line_mismatch"
    case industryMismatch = "industry_mismatch"
    case languageMismatch = "language_mismatch"
    /// Eligible, but owned this lead before and the lead is being re-routed away from them.
    case previousOwner = "previous_owner"

    /// Phrase used in human-readable summaries ("2 at capacity, 1 on leave").
    public var phrase: String {
        switch self {
        case .inactive: "inactive"
        case .onLeave: "on leave"
        case .atCapacity: "at capacity"
        case .unknownTimeZone: "unknown time zone"
        case .outsideWorkingHours: "outside working hours"
        case .regionMismatch: "region mismatch"
        case .productLineMismatch: "product line mismatch"
        case .industryMismatch: "industry mismatch"
        case .languageMismatch: "language mismatch"
        case .previousOwner: "previous owner"
        }
    }
}
