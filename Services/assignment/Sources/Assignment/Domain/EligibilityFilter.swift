import Foundation

/// The policy's hard rules: which reps may take a lead at all. Scoring only ranks the survivors.
///
/// Active, not on leave and below capacity are always enforced (the issue: inactive or on-leave reps
/// never receive leads, capacity is never exceeded), so they are not switchable here.
public struct EligibilityFilter: Encodable, Sendable, Equatable, Hashable {
    public var region: MatchRequirement
    public var productLine: MatchRequirement
    public var industry: MatchRequirement
    /// `required` or `ignored` only: there is no language factor for `preferred` to feed.
    public var language: MatchRequirement
    public var respectWorkingHours: Bool

    public init(
        region: MatchRequirement = .preferred,
        productLine: MatchRequirement = .preferred,
        industry: MatchRequirement = .preferred,
        language: MatchRequirement = .ignored,
        respectWorkingHours: Bool = true
    ) {
        self.region = region
        self.productLine = productLine
        self.industry = industry
        self.language = language
        self.respectWorkingHours = respectWorkingHours
    }

    /// Every reason `rep` cannot take `lead` at `now`; empty means eligible.
    ///
    /// All reasons are collected (not just the first) so the unassignable summary and the admin view
    /// can say "3 reps outside working hours" even when some of them are also at capacity.
    public func rejections(rep: Rep, load: RepLoad, lead: LeadToRoute, now: Date) -> [RejectionReason] {
        var reasons: [RejectionReason] = []
        if !rep.active { reasons.append(.inactive) }
        if rep.onLeave.contains(where: { $0.contains(now) }) { reasons.append(.onLeave) }
        if load.openLeads >= rep.capacity { reasons.append(.atCapacity) }
        if respectWorkingHours {
            if let zone = TimeZone(identifier: rep.timeZone) {
                if !rep.workingHours.contains(now, in: zone) { reasons.append(.outsideWorkingHours) }
            } else {
                reasons.append(.unknownTimeZone)
            }
        }
        if region == .required, !rep.regions.containsCode(lead.region) { reasons.append(.regionMismatch) }
        if productLine == .required, !rep.productLines.containsCode(lead.productLine) {
            reasons.append(.productLineMismatch)
        }
        if industry == .required, !rep.industries.containsCode(lead.industry) { reasons.append(.industryMismatch) }
        // A lead that states no language cannot be mismatched: the filter only protects leads that need one.
        if language == .required, let wanted = lead.language, !rep.languages.containsCode(wanted) {
            reasons.append(.languageMismatch)
        }
        return reasons
    }
}
