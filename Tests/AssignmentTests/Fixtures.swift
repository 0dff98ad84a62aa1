import Foundation
import Assignment

/// Shared test data. `now` is Monday 2026-11-23 02:00 UTC: 10:00 Monday in Shanghai,
/// 03:00 Monday in Berlin, 21:00 Sunday in New York.
enum Fixture {
    static let now = date("2026-11-23T02:00:00Z")

    static func date(_ text: String) -> Date {
        try! Date(text, strategy: .iso8601)
    }

    static func rep(
        _ id: String,
        regions: [String] = ["east"],
        productLines: [String] = ["medical_devices"],
        industries: [String] = ["pharma_retail"],
        languages: [String] = ["zh"],
        workingHours: WorkingHours = .officeHours,
        timeZone: String = "Asia/Shanghai",
        active: Bool = true,
        onLeave: [LeavePeriod] = [],
        capacity: Int = 10,
        seniority: Int = 3
    ) -> Rep {
        Rep(id: id, name: "Rep \(id)", teamId: "team-east", supervisorId: "sup-1",
            regions: regions, productLines: productLines, industries: industries, languages: languages,
            workingHours: workingHours, timeZone: timeZone, active: active, onLeave: onLeave,
            capacity: capacity, seniority: seniority)
    }

    static func lead(
        score: Int = 50,
        region: String? = "east",
        productLine: String? = "medical_devices",
        industry: String? = "pharma_retail",
        language: String? = nil,
        previousOwners: Set<String> = []
    ) -> LeadToRoute {
        LeadToRoute(leadId: "lead-1", score: score, region: region, productLine: productLine,
                    industry: industry, language: language, previousOwners: previousOwners)
    }

    /// A policy whose only non-zero weights are the ones given, so a test sees one factor at a time.
    static func policy(
        _ weights: RoutingWeights,
        eligibility: EligibilityFilter = EligibilityFilter(),
        fallbackQueue: String = "public_pool"
    ) -> RoutingPolicy {
        RoutingPolicy(eligibility: eligibility, weights: weights, fallbackQueue: fallbackQueue)
    }
}

func approx(_ lhs: Double, _ rhs: Double, tolerance: Double = 1e-12) -> Bool {
    abs(lhs - rhs) <= tolerance
}

extension RoutingDecision {
    var assigned: Assigned? {
        if case .assigned(let value) = self { return value }
        return nil
    }

    var unassignable: Unassignable? {
        if case .unassignable(let value) = self { return value }
        return nil
    }
}
