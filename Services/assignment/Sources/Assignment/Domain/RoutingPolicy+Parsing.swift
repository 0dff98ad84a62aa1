import Shared
import Foundation

extension RoutingPolicy {
    /// Parses and validates a policy document; the only way text becomes a `RoutingPolicy`.
    ///
    /// Throws `PolicyValidationError` listing every problem by path: unknown keys, wrong types, bad
    /// enum values, negative or all-zero weights, non-positive durations, inconsistent SLA settings.
    public static func parse(json: String) throws(PolicyValidationError) -> RoutingPolicy {
        try parse(data: Data(json.utf8))
    }

    public static func parse(data: Data) throws(PolicyValidationError) -> RoutingPolicy {
        let document: JSONValue
        do {
            document = try JSONDecoder().decode(JSONValue.self, from: data)
        } catch {
            throw PolicyValidationError(issues: [.init(path: "$", problem: "not valid JSON")])
        }
        return try RoutingPolicy(validating: document)
    }

    /// Serialises the policy in the same shape `parse` accepts (the win-rate prior as alpha/beta).
    public func jsonData() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        return try encoder.encode(self)
    }

    init(validating document: JSONValue) throws(PolicyValidationError) {
        var reader = PolicyReader()
        var policy = RoutingPolicy.default
        let topKeys = ["eligibility", "weights", "winRate", "loadIndex", "fairness", "sla", "fallbackQueue"]
        if case .object = document {
            let root = reader.object(document, at: "", keys: topKeys) ?? [:]
            policy.eligibility = Self.readEligibility(root["eligibility"], &reader)
            policy.weights = Self.readWeights(root["weights"], &reader)
            policy.winRate = Self.readWinRate(root["winRate"], &reader)
            policy.loadIndex = Self.readLoadIndex(root["loadIndex"], &reader)
            policy.fairness = Self.readFairness(root["fairness"], &reader)
            policy.sla = Self.readSLA(root["sla"], &reader)
            if let queue = reader.string(root["fallbackQueue"], at: "fallbackQueue") {
                if queue.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                    reader.fail("fallbackQueue", "must not be empty")
                } else {
                    policy.fallbackQueue = queue
                }
            }
        } else {
            reader.fail("", "expected an object, got \(document.kindDescription)")
        }
        guard reader.issues.isEmpty else { throw PolicyValidationError(issues: reader.issues) }
        self = policy
    }

    private static func readEligibility(_ value: JSONValue?, _ reader: inout PolicyReader) -> EligibilityFilter {
        var filter = RoutingPolicy.default.eligibility
        let keys = ["region", "productLine", "industry", "language", "respectWorkingHours"]
        guard let members = reader.object(value, at: "eligibility", keys: keys) else { return filter }
        if let value = reader.requirement(members["region"], at: "eligibility.region") { filter.region = value }
        if let value = reader.requirement(members["productLine"], at: "eligibility.productLine") {
            filter.productLine = value
        }
        if let value = reader.requirement(members["industry"], at: "eligibility.industry") { filter.industry = value }
        if let value = reader.requirement(
            members["language"], at: "eligibility.language", allowed: [.required, .ignored]
        ) {
            filter.language = value
        }
        if let value = reader.bool(members["respectWorkingHours"], at: "eligibility.respectWorkingHours") {
            filter.respectWorkingHours = value
        }
        return filter
    }

    /// All seven weights are required once `weights` is present: a partial table silently inheriting
    /// defaults would route in ways the editor never saw.
    private static func readWeights(_ value: JSONValue?, _ reader: inout PolicyReader) -> RoutingWeights {
        let factors = RoutingFactor.allCases
        guard let members = reader.object(value, at: "weights", keys: factors.map(\.rawValue)) else {
            return RoutingPolicy.default.weights
        }
        var weights = RoutingWeights()
        var complete = true
        for factor in factors {
            let path = "weights." + factor.rawValue
            guard let raw = members[factor.rawValue] else {
                reader.fail(path, "required (list all seven weights; use 0 to switch a factor off)")
                complete = false
                continue
            }
            if let weight = reader.number(raw, at: path, .nonNegative) {
                weights[factor] = weight
            } else {
                complete = false
            }
        }
        if complete, factors.allSatisfy({ weights[$0] == 0 }) {
            reader.fail("weights", "at least one weight must be greater than 0")
        }
        return weights
    }

    private static func readWinRate(_ value: JSONValue?, _ reader: inout PolicyReader) -> WinRatePrior {
        var prior = RoutingPolicy.default.winRate
        let keys = ["alpha", "beta", "priorRate", "priorWeight", "windowDays"]
        guard let members = reader.object(value, at: "winRate", keys: keys) else { return prior }
        let givesAlphaBeta = members["alpha"] != nil || members["beta"] != nil
        let givesRate = members["priorRate"] != nil || members["priorWeight"] != nil
        if givesAlphaBeta && givesRate {
            reader.fail("winRate", "give either alpha and beta or priorRate and priorWeight, not both")
        } else if givesAlphaBeta {
            let alpha = readPaired(members, "alpha", partner: "beta", .positive, &reader)
            let beta = readPaired(members, "beta", partner: "alpha", .positive, &reader)
            if let alpha, let beta { prior = WinRatePrior(alpha: alpha, beta: beta) }
        } else if givesRate {
            let rate = readPaired(members, "priorRate", partner: "priorWeight", .openFraction, &reader)
            let weight = readPaired(members, "priorWeight", partner: "priorRate", .positive, &reader)
            if let rate, let weight { prior = WinRatePrior(priorRate: rate, priorWeight: weight) }
        }
        prior.windowDays = reader.integer(members["windowDays"], at: "winRate.windowDays", minimum: 1)
            ?? RoutingPolicy.default.winRate.windowDays
        return prior
    }

    private static func readPaired(
        _ members: [String: JSONValue], _ key: String, partner: String,
        _ rule: PolicyReader.NumberRule, _ reader: inout PolicyReader
    ) -> Double? {
        let path = "winRate." + key
        guard let value = members[key] else {
            reader.fail(path, "required together with winRate.\(partner)")
            return nil
        }
        return reader.number(value, at: path, rule)
    }

    private static func readLoadIndex(_ value: JSONValue?, _ reader: inout PolicyReader) -> LoadIndexSettings {
        var settings = RoutingPolicy.default.loadIndex
        let keys = ["overdueTaskPenalty", "weeklyWinPenalty"]
        guard let members = reader.object(value, at: "loadIndex", keys: keys) else { return settings }
        if let value = reader.number(members["overdueTaskPenalty"], at: "loadIndex.overdueTaskPenalty", .fraction) {
            settings.overdueTaskPenalty = value
        }
        if let value = reader.number(members["weeklyWinPenalty"], at: "loadIndex.weeklyWinPenalty", .fraction) {
            settings.weeklyWinPenalty = value
        }
        return settings
    }

    private static func readFairness(_ value: JSONValue?, _ reader: inout PolicyReader) -> FairnessSettings {
        var settings = RoutingPolicy.default.fairness
        guard let members = reader.object(value, at: "fairness", keys: ["windowDays"]) else { return settings }
        if let days = reader.integer(members["windowDays"], at: "fairness.windowDays", minimum: 1) {
            settings.windowDays = days
        }
        return settings
    }

    private static func readSLA(_ value: JSONValue?, _ reader: inout PolicyReader) -> SLASettings {
        let defaults = RoutingPolicy.default.sla
        let keys = ["firstContactMinutes", "reminderMinutesBeforeBreach", "followUpDays", "returnToPoolDays"]
        guard let members = reader.object(value, at: "sla", keys: keys) else { return defaults }
        let firstContact = reader.integer(members["firstContactMinutes"], at: "sla.firstContactMinutes", minimum: 1)
        let reminder = reader.integer(
            members["reminderMinutesBeforeBreach"], at: "sla.reminderMinutesBeforeBreach", minimum: 0)
        let followUp = reader.integer(members["followUpDays"], at: "sla.followUpDays", minimum: 1)
        let returnToPool = reader.integer(members["returnToPoolDays"], at: "sla.returnToPoolDays", minimum: 1)

        let settings = SLASettings(
            firstContactMinutes: firstContact ?? defaults.firstContactMinutes,
            reminderMinutesBeforeBreach: reminder,
            followUpDays: followUp ?? defaults.followUpDays,
            returnToPoolDays: returnToPool ?? defaults.returnToPoolDays
        )
        // Cross-field rules only when both sides parsed (or defaulted); otherwise one mistake would
        // be reported twice.
        let firstContactValid = firstContact != nil || members["firstContactMinutes"] == nil
        if reminder != nil, firstContactValid, settings.reminderMinutesBeforeBreach >= settings.firstContactMinutes {
            reader.fail("sla.reminderMinutesBeforeBreach",
                        "must be less than sla.firstContactMinutes (\(settings.firstContactMinutes))")
        }
        let followUpValid = followUp != nil || members["followUpDays"] == nil
        let returnValid = returnToPool != nil || members["returnToPoolDays"] == nil
        if followUpValid, returnValid, settings.returnToPoolDays <= settings.followUpDays {
            reader.fail("sla.returnToPoolDays",
                        "must be greater than sla.followUpDays (\(settings.followUpDays))")
        }
        return settings
    }
}
