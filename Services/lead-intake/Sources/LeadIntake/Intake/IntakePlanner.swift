import Foundation
import Shared

/// Decides, for submissions in arrival order, which create a lead and which touch an existing one.
/// Pure: the repository loads what the database knows and writes what this returns.
enum IntakePlanner {
    struct Submission: Sendable {
        var validated: ValidatedSubmission
        /// The submission as received (JSON text), kept with the touch.
        var raw: String
    }

    /// - Parameters:
    ///   - known: identities already in the database and the lead each belongs to.
    ///   - existing: the current rows of the leads `known` points at.
    static func plan(
        _ submissions: [Submission], known: [LeadIdentity: UUID], existing: [UUID: LeadRecord],
        rules: ScoringRules, scoringVersion: Int, newLeadId: () -> UUID = UUID.random
    ) -> IntakePlan {
        var plan = IntakePlan()
        var owner = known
        var newLeads: [UUID: Int] = [:]          // lead id -> index in plan.newLeads
        var completed: [UUID: LeadRecord] = [:]  // existing leads changed by this batch
        var completedOrder: [UUID] = []
        let scorer = LeadScorer(rules: rules)

        for submission in submissions {
            let lead = submission.validated.lead
            let identities = lead.identities
            // Identities are ordered phone, e-mail, WeCom: the first match decides the lead.
            let matches = identities.compactMap { identity in owner[identity].map { (identity, $0) } }
            guard let target = matches.first?.1 else {
                let id = newLeadId()
                let score = scorer.score(lead)
                let record = LeadRecord(id: id, lead: lead, score: score, scoringVersion: scoringVersion)
                newLeads[id] = plan.newLeads.count
                plan.newLeads.append(record)
                for identity in identities {
                    owner[identity] = id
                    plan.identities.append(.init(identity: identity, leadId: id))
                }
                plan.touches.append(touch(submission, leadId: id, outcome: .accepted, matchedOn: []))
                plan.accepted.append(LeadAccepted(
                    leadId: id, submissionId: lead.submissionId, source: lead.source, receivedAt: lead.receivedAt,
                    contact: record.contactInfo, company: record.companyInfo, interest: record.interestInfo,
                    attributes: record.attributes, score: record.score, scoreBreakdown: record.scoreBreakdown,
                    scoringVersion: scoringVersion))
                continue
            }

            let matchedOn = matches.filter { $0.1 == target }.map { $0.0.kind.rawValue }
            for other in Set(matches.map(\.1)).subtracting([target]).sorted(by: { $0.uuidString < $1.uuidString }) {
                let conflict = IntakePlan.IdentityConflict(leadId: target, otherLeadId: other)
                if !plan.conflicts.contains(conflict) { plan.conflicts.append(conflict) }
            }
            var filled: [String] = []
            if let index = newLeads[target] {
                filled = plan.newLeads[index].fillMissing(from: lead)
            } else if var record = completed[target] ?? existing[target] {
                filled = record.fillMissing(from: lead)
                if !filled.isEmpty {
                    if completed[target] == nil { completedOrder.append(target) }
                    completed[target] = record
                }
            }
            for identity in identities where owner[identity] == nil {
                owner[identity] = target
                plan.identities.append(.init(identity: identity, leadId: target))
            }
            plan.touches.append(touch(submission, leadId: target, outcome: .merged, matchedOn: matchedOn))
            plan.merged.append(LeadMerged(
                leadId: target, submissionId: lead.submissionId, source: lead.source, receivedAt: lead.receivedAt,
                matchedOn: matchedOn, filledFields: filled))
        }
        plan.completedLeads = completedOrder.compactMap { completed[$0] }
        return plan
    }

    private static func touch(_ submission: Submission, leadId: UUID, outcome: IntakePlan.Touch.Outcome, matchedOn: [String]) -> IntakePlan.Touch {
        let lead = submission.validated.lead
        return IntakePlan.Touch(
            submissionId: lead.submissionId, leadId: leadId, source: lead.source, receivedAt: lead.receivedAt,
            outcome: outcome, matchedOn: matchedOn, raw: submission.raw)
    }
}
