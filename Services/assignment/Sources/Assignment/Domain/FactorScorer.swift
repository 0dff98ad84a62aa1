/// The raw value of each routing factor, always in 0 ... 1 so weights are comparable.
///
/// Public so admin views can explain a hypothetical match ("what would rep X score?") with exactly
/// the arithmetic the router uses.
public enum FactorScorer {
    /// 1 when the rep covers the lead's region, else 0 (also 0 when the lead has no region).
    public static func regionMatch(rep: Rep, lead: LeadToRoute) -> Double {
        rep.regions.containsCode(lead.region) ? 1 : 0
    }

    /// 1 when the rep sells the lead's product line, else 0.
    public static func productLineMatch(rep: Rep, lead: LeadToRoute) -> Double {
        rep.productLines.containsCode(lead.productLine) ? 1 : 0
    }

    /// 1 when the rep has worked the lead's industry, else 0.
    public static func industryExperience(rep: Rep, lead: LeadToRoute) -> Double {
        rep.industries.containsCode(lead.industry) ? 1 : 0
    }

    /// Bayesian-smoothed conversion rate over the win-rate window.
    public static func winRate(load: RepLoad, prior: WinRatePrior) -> Double {
        prior.rate(assigned: load.assignedInWindow, converted: load.convertedInWindow)
    }

    /// Spare capacity, reduced by overdue tasks and fresh wins; 0 for a rep with no capacity.
    public static func loadIndex(rep: Rep, load: RepLoad, settings: LoadIndexSettings) -> Double {
        guard rep.capacity > 0 else { return 0 }
        let used = Double(max(0, load.openLeads)) / Double(rep.capacity)
        let penalty = settings.overdueTaskPenalty * Double(max(0, load.overdueTasks))
            + settings.weeklyWinPenalty * Double(max(0, load.winsThisWeek))
        return clamp01(1 - used - penalty)
    }

    /// How well the rep's seniority suits the lead's score: score 0 ... 100 maps to an ideal seniority
    /// 1 ... 5, and each level of distance costs 0.25. High-intent leads go to senior reps while
    /// ordinary ones keep juniors learning and seniors free.
    public static func scoreSeniorityFit(score: Int, seniority: Int) -> Double {
        let ideal = 1 + 4 * Double(min(100, max(0, score))) / 100
        let level = Double(min(5, max(1, seniority)))
        return clamp01(1 - abs(level - ideal) / 4)
    }

    /// Fewer assignments in the fairness window is better, relative to the busiest eligible rep:
    /// 1 - recent / maxRecent (1 for everyone when nobody got a lead recently). Relative, so the
    /// factor means the same with 5 or 500 leads a week.
    public static func fairness(recentAssignments: Int, maxRecentAssignments: Int) -> Double {
        guard maxRecentAssignments > 0 else { return 1 }
        return clamp01(1 - Double(max(0, recentAssignments)) / Double(maxRecentAssignments))
    }

    static func clamp01(_ value: Double) -> Double {
        min(1, max(0, value))
    }
}
