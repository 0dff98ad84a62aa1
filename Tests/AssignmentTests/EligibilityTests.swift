import Foundation
import Testing
@testable import Assignment

@Suite("Eligibility")
struct EligibilityTests {
    let filter = EligibilityFilter()  // preferred coverage, working hours respected

    func rejections(
        _ rep: Rep, load: RepLoad = .idle, lead: LeadToRoute = Fixture.lead(),
        filter: EligibilityFilter? = nil, at now: Date = Fixture.now
    ) -> [RejectionReason] {
        (filter ?? self.filter).rejections(rep: rep, load: load, lead: lead, now: now)
    }

    @Test func activeRepInHoursWithRoomIsEligible() {
        #expect(rejections(Fixture.rep("r1")) == [])
    }

    @Test func inactiveRepIsRejected() {
        #expect(rejections(Fixture.rep("r1", active: false)) == [.inactive])
    }

    @Test func onLeaveIsHalfOpen() {
        let leave = LeavePeriod(start: Fixture.date("2026-11-22T16:00:00Z"), end: Fixture.date("2026-11-23T02:00:00Z"))
        let rep = Fixture.rep("r1", onLeave: [leave])
        #expect(rejections(rep, at: Fixture.date("2026-11-23T01:59:00Z")) == [.onLeave])
        // Back at the end instant.
        #expect(rejections(rep, at: Fixture.date("2026-11-23T02:00:00Z")) == [])
    }

    @Test func atCapacityIsRejectedOneBelowIsNot() {
        let rep = Fixture.rep("r1", capacity: 5)
        #expect(rejections(rep, load: RepLoad(openLeads: 4)) == [])
        #expect(rejections(rep, load: RepLoad(openLeads: 5)) == [.atCapacity])
        #expect(rejections(rep, load: RepLoad(openLeads: 7)) == [.atCapacity])
    }

    @Test func workingHoursAreReadInTheRepsTimeZone() {
        // 02:00 UTC Monday: 10:00 Monday in Shanghai, 21:00 Sunday in New York, 03:00 Monday in Berlin.
        #expect(rejections(Fixture.rep("sh", timeZone: "Asia/Shanghai")) == [])
        #expect(rejections(Fixture.rep("ny", timeZone: "America/New_York")) == [.outsideWorkingHours])
        #expect(rejections(Fixture.rep("be", timeZone: "Europe/Berlin")) == [.outsideWorkingHours])
        // 14:00 UTC Monday is 09:00 in New York: now inside, Shanghai (22:00) outside.
        let afternoon = Fixture.date("2026-11-23T14:00:00Z")
        #expect(rejections(Fixture.rep("ny", timeZone: "America/New_York"), at: afternoon) == [])
        #expect(rejections(Fixture.rep("sh", timeZone: "Asia/Shanghai"), at: afternoon) == [.outsideWorkingHours])
    }

    @Test func shiftEndIsExclusiveAndWeekendIsOff() {
        let rep = Fixture.rep("sh")
        #expect(rejections(rep, at: Fixture.date("2026-11-23T09:59:00Z")) == [])          // 17:59 local
        #expect(rejections(rep, at: Fixture.date("2026-11-23T10:00:00Z")) == [.outsideWorkingHours])  // 18:00
        #expect(rejections(rep, at: Fixture.date("2026-11-28T02:00:00Z")) == [.outsideWorkingHours])  // Saturday 10:00
    }

    @Test func overnightShiftCoversEarlyMorningOfTheNextDay() {
        // 22:00-06:00 starting Sunday to Thursday; Berlin is at 03:00 Monday, inside Sunday's shift.
        let nights = WorkingHours(startMinute: 22 * 60, endMinute: 6 * 60,
                                  weekdays: [.sunday, .monday, .tuesday, .wednesday, .thursday])
        #expect(rejections(Fixture.rep("be", workingHours: nights, timeZone: "Europe/Berlin")) == [])
        // Saturday 03:00 Berlin belongs to Friday's shift, which does not exist.
        #expect(rejections(Fixture.rep("be", workingHours: nights, timeZone: "Europe/Berlin"),
                           at: Fixture.date("2026-11-28T02:00:00Z")) == [.outsideWorkingHours])
    }

    @Test func workingHoursIgnoredWhenPolicySaysSo() {
        let relaxed = EligibilityFilter(respectWorkingHours: false)
        #expect(rejections(Fixture.rep("ny", timeZone: "America/New_York"), filter: relaxed) == [])
        #expect(rejections(Fixture.rep("x", timeZone: "Mars/Olympus"), filter: relaxed) == [])
    }

    @Test func unknownTimeZoneIsRejectedNotTreatedAsUTC() {
        #expect(rejections(Fixture.rep("x", timeZone: "Mars/Olympus")) == [.unknownTimeZone])
    }

    @Test func requiredCoverageFiltersPreferredDoesNot() {
        let rep = Fixture.rep("r1", regions: ["north"], productLines: ["software"], industries: ["retail"])
        #expect(rejections(rep) == [])
        let strict = EligibilityFilter(region: .required, productLine: .required, industry: .required)
        #expect(rejections(rep, filter: strict) == [.regionMismatch, .productLineMismatch, .industryMismatch])
        let regionOnly = EligibilityFilter(region: .required, productLine: .preferred, industry: .ignored)
        #expect(rejections(rep, filter: regionOnly) == [.regionMismatch])
        // A lead without a region cannot satisfy a required region.
        #expect(rejections(Fixture.rep("r2"), lead: Fixture.lead(region: nil), filter: regionOnly) == [.regionMismatch])
    }

    @Test func requiredLanguageOnlyAppliesWhenLeadStatesOne() {
        let english = EligibilityFilter(language: .required)
        let rep = Fixture.rep("r1", languages: ["zh"])
        #expect(rejections(rep, lead: Fixture.lead(language: "en"), filter: english) == [.languageMismatch])
        #expect(rejections(rep, lead: Fixture.lead(language: "ZH"), filter: english) == [])
        #expect(rejections(rep, lead: Fixture.lead(language: nil), filter: english) == [])
    }

    @Test func allReasonsAreCollected() {
        let rep = Fixture.rep("r1", regions: ["north"], timeZone: "America/New_York", active: false, capacity: 1)
        let strict = EligibilityFilter(region: .required)
        #expect(rejections(rep, load: RepLoad(openLeads: 1), filter: strict)
                == [.inactive, .atCapacity, .outsideWorkingHours, .regionMismatch])
    }
}

@Suite("Code matching")
struct CodeMatchingTests {
    @Test("codes match ignoring ASCII case, never by prefix, and non-ASCII text compares lower-cased", arguments: [
        (["east", "north"], "EAST", true),
        (["East"], "east", true),
        (["medical_devices"], "Medical_Devices", true),
        (["east"], "eastern", false),
        (["eastern"], "east", false),
        (["east"], "", false),
        ([], "east", false),
        (["华东"], "华东", true),
        (["ÉST"], "ést", true),
        (["est"], "ést", false),
    ])
    func matches(codes: [String], code: String, expected: Bool) {
        #expect(codes.containsCode(code) == expected)
    }

    @Test("a lead that names no code matches nothing")
    func missing() {
        #expect(!["east"].containsCode(nil))
    }
}
