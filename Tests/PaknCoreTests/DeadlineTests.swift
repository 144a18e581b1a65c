import Foundation
import Testing
@testable import PaknCore

@Suite("Deadline rules")
struct DeadlineRuleTests {
    /// The old rule runs until 1/7/2026 (exclusive); the new one from that day.
    static let old = DeadlineRule(id: "pakn-2020", kind: .feedback, effectiveFrom: Fx.day("2020-01-01"),
                                  effectiveTo: Fx.day("2026-07-01"), counting: .working, days: 15,
                                  basis: "Quy chế 2020")
    static let new = DeadlineRule(id: "pakn-2026", kind: .feedback, effectiveFrom: Fx.day("2026-07-01"),
                                  counting: .working, days: 10, basis: "Quy chế 2026")
    static let book = DeadlineRulebook([old, new, Fx.complaintRule])

    @Test func ruleChangesOnItsEffectiveDay() {
        #expect(Self.book.rule(for: .feedback, receivedOn: Fx.day("2026-06-30"))?.id == "pakn-2020")
        #expect(Self.book.rule(for: .feedback, receivedOn: Fx.day("2026-07-01"))?.id == "pakn-2026")
        #expect(Self.book.rule(for: .feedback, receivedOn: Fx.day("2030-01-01"))?.id == "pakn-2026")
        #expect(Self.book.rule(for: .feedback, receivedOn: Fx.day("2020-01-01"))?.id == "pakn-2020")
        #expect(Self.book.rule(for: .feedback, receivedOn: Fx.day("2019-12-31")) == nil)
    }

    @Test func ruleIsPerKind() {
        #expect(Self.book.rule(for: .complaint, receivedOn: Fx.day("2026-06-30"))?.id == Fx.complaintRule.id)
        #expect(Self.book.rule(for: .complaint, receivedOn: Fx.day("2012-06-30")) == nil, "before the Law took effect")
        #expect(Self.book.rule(for: .denunciation, receivedOn: Fx.day("2026-06-30")) == nil)
        #expect(Self.book.rule(id: "pakn-2026") == Self.new)
        #expect(Self.book.rule(id: "không-có") == nil)
    }

    @Test func overlappingRulesPreferTheLatestStart() {
        // A rule without an end and a later amendment both in force: the amendment wins,
        // whatever order the rows come in.
        let base = DeadlineRule(id: "a", kind: .voterPetition, effectiveFrom: Fx.day("2015-01-01"),
                                counting: .calendar, days: 30, basis: "A")
        let amend = DeadlineRule(id: "b", kind: .voterPetition, effectiveFrom: Fx.day("2025-07-01"),
                                 counting: .calendar, days: 20, basis: "B")
        for rules in [[base, amend], [amend, base]] {
            let book = DeadlineRulebook(rules)
            #expect(book.rule(for: .voterPetition, receivedOn: Fx.day("2025-06-30"))?.id == "a")
            #expect(book.rule(for: .voterPetition, receivedOn: Fx.day("2025-07-01"))?.id == "b")
        }
    }

    @Test func appliesBoundaries() {
        let r = Self.old
        #expect(r.applies(to: .feedback, on: r.effectiveFrom))
        #expect(!r.applies(to: .feedback, on: r.effectiveFrom.adding(-1)))
        #expect(r.applies(to: .feedback, on: r.effectiveTo!.adding(-1)))
        #expect(!r.applies(to: .feedback, on: r.effectiveTo!))
        #expect(!r.applies(to: .complaint, on: r.effectiveFrom))
    }

    @Test func differentRulesGiveDifferentDueDays() {
        // The same case under the rule in force on each side of the change.
        for (received, days) in [("2026-06-30", 15), ("2026-07-01", 10)] {
            let day = Fx.day(received)
            let rule = Self.book.rule(for: .feedback, receivedOn: day)!
            let d = Deadline(rule: rule, start: day, complex: false, remote: false)
            #expect(d.days == days)
            #expect(Fx.calendar.count(from: day, to: d.dueDay(in: Fx.calendar), counting: .working) == days)
        }
    }

    @Test("Resolution days for complexity and remoteness (Law on Complaints art. 28)",
          arguments: [(false, false, 30), (true, false, 45), (false, true, 45), (true, true, 60)])
    func complaintDays(complex: Bool, remote: Bool, days: Int) {
        #expect(Fx.complaintRule.resolutionDays(complex: complex, remote: remote) == days)
        let d = Deadline(rule: Fx.complaintRule, start: Fx.day("2026-03-02"), complex: complex, remote: remote)
        #expect(d.days == days)
        #expect(d.counting == .calendar && d.ruleId == Fx.complaintRule.id)
        // Until accepted the acceptance limit governs (10 days); from acceptance, the resolution's.
        #expect(d.awaitingAcceptance && d.dueDay(in: Fx.calendar) == Fx.day("2026-03-02").adding(10))
        let accepted = d.accepted(on: Fx.day("2026-03-05"))
        #expect(accepted.dueDay(in: Fx.calendar) == Fx.day("2026-03-05").adding(days))
    }

    @Test func resolutionDaysFallBack() {
        let plain = DeadlineRule(id: "p", kind: .feedback, effectiveFrom: Fx.day("2024-01-01"), counting: .working,
                                 days: 10, basis: "P")
        for complex in [false, true] {
            for remote in [false, true] {
                #expect(plain.resolutionDays(complex: complex, remote: remote) == 10)
            }
        }
        var complexOnly = plain; complexOnly.complexDays = 20
        #expect(complexOnly.resolutionDays(complex: true, remote: false) == 20)
        #expect(complexOnly.resolutionDays(complex: false, remote: true) == 10)
        #expect(complexOnly.resolutionDays(complex: true, remote: true) == 20, "remote and complex is at least complex")
        var remoteOnly = plain; remoteOnly.remoteDays = 15
        #expect(remoteOnly.resolutionDays(complex: true, remote: true) == 15)
        #expect(remoteOnly.resolutionDays(complex: true, remote: false) == 10)
    }

    @Test("A harder or remoter case never gets less time", arguments: [Fx.rule, Fx.complaintRule])
    func monotone(rule: DeadlineRule) {
        let base = rule.resolutionDays(complex: false, remote: false)
        #expect(rule.resolutionDays(complex: true, remote: false) >= base)
        #expect(rule.resolutionDays(complex: false, remote: true) >= base)
        #expect(rule.resolutionDays(complex: true, remote: true) >= rule.resolutionDays(complex: true, remote: false))
        #expect(rule.resolutionDays(complex: true, remote: true) >= rule.resolutionDays(complex: false, remote: true))
    }

    @Test
    func remoteComplexIsAtLeastEither() {
        var r = DeadlineRule(id: "q", kind: .feedback, effectiveFrom: Fx.day("2024-01-01"), counting: .working,
                             days: 10, basis: "Q")
        r.complexDays = 20
        r.remoteDays = 15
        // A case both complex and remote cannot get less time than one that is only complex.
        #expect(r.resolutionDays(complex: true, remote: true) >= 20)
        #expect(r.resolutionDays(complex: true, remote: true) >= 15)
    }

    @Test func rulesAreCodable() throws {
        let data = try JSONEncoder().encode(Self.book.rules)
        #expect(try JSONDecoder().decode([DeadlineRule].self, from: data) == Self.book.rules)
    }
}

@Suite("Deadline clock")
struct DeadlineClockTests {
    let cal = Fx.calendar
    /// Received Monday 2/2/2026 under a 10-working-day rule: due Monday 23/2 (Tết in between).
    let deadline = Deadline(rule: Fx.rule, start: Fx.day("2026-02-02"), complex: false, remote: false)

    @Test func dueDayAcrossTet() {
        #expect(deadline.dueDay(in: cal) == Fx.day("2026-02-23"))
        #expect(deadline.dueDay(in: .weekendsOnly) == Fx.day("2026-02-16"))
    }

    @Test func complexCaseDueDay() {
        // 15 working days from 2/2: … 23/2 is the 10th, then 24, 25, 26, 27/2 and 2/3.
        let d = Deadline(rule: Fx.rule, start: Fx.day("2026-02-02"), complex: true, remote: false)
        #expect(d.dueDay(in: cal) == Fx.day("2026-03-02"))
    }

    @Test func pauseAcrossTetCountsOnlyWorkingDays() {
        // Paused Friday 13/2, resumed Wednesday 25/2: counted days 23, 24, 25 Feb.
        let resumed = deadline.paused(on: Fx.day("2026-02-13")).resumed(on: Fx.day("2026-02-25"), in: cal)
        #expect(resumed.pausedDays == 3)
        #expect(resumed.pausedSince == nil)
        #expect(resumed.dueDay(in: cal) == Fx.day("2026-02-26"))
    }

    @Test func pauseInCalendarDaysCountsEveryDay() {
        // Accepted the day it was received: the resolution clock runs from then.
        let d = Deadline(rule: Fx.complaintRule, start: Fx.day("2026-02-02"), complex: false, remote: false)
            .accepted(on: Fx.day("2026-02-02"))
        let resumed = d.paused(on: Fx.day("2026-02-13")).resumed(on: Fx.day("2026-02-25"), in: cal)
        #expect(resumed.pausedDays == 12)
        #expect(resumed.dueDay(in: cal) == Fx.day("2026-02-02").adding(30 + 12))
    }

    @Test func pausingTwiceKeepsTheFirstDay() {
        let p = deadline.paused(on: Fx.day("2026-02-05")).paused(on: Fx.day("2026-02-10"))
        #expect(p.pausedSince == Fx.day("2026-02-05"))
    }

    @Test func resumingWithoutAPauseChangesNothing() {
        #expect(deadline.resumed(on: Fx.day("2026-02-10"), in: cal) == deadline)
    }

    @Test func resumingBeforeThePauseAddsNothing() {
        // A clock set back (or a bad import) must never shorten the deadline.
        let r = deadline.paused(on: Fx.day("2026-02-10")).resumed(on: Fx.day("2026-02-05"), in: cal)
        #expect(r.pausedDays == 0)
        #expect(r.pausedSince == nil)
    }

    @Test func extensionsAndPausesAddUp() {
        var d = deadline
        d.extendedDays = 5
        d.pausedDays = 2
        #expect(d.dueDay(in: cal) == cal.add(17, to: Fx.day("2026-02-02"), counting: .working))
        #expect(cal.count(from: deadline.dueDay(in: cal), to: d.dueDay(in: cal), counting: .working) == 7)
    }

    @Test func compactTextRoundTrip() {
        var rng = LCG(seed: 11)
        for _ in 0..<300 {
            var d = Deadline(ruleId: ["pakn-qc-2024", "lkn-2011-d28", "tc-2018"].randomElement(using: &rng)!,
                             counting: Bool.random(using: &rng) ? .working : .calendar,
                             start: Day(ordinal: Int.random(in: 0...40_000, using: &rng)),
                             days: Int.random(in: 0...90, using: &rng),
                             extendedDays: Int.random(in: 0...30, using: &rng),
                             extensions: Int.random(in: 0...3, using: &rng),
                             pausedDays: Int.random(in: 0...20, using: &rng))
            if Bool.random(using: &rng) { d.pausedSince = d.start.adding(Int.random(in: 0...60, using: &rng)) }
            #expect(Deadline(compact: d.compact) == d, "\(d.compact)")
            #expect(!d.compact.contains("\n"))
        }
    }

    @Test("Malformed compact text is refused", arguments: [
        "", "pakn working 2026-02-02", "pakn weekly 2026-02-02 +10 ext 0/0 paused 0",
        "pakn working 2026-02-30 +10 ext 0/0 paused 0", "pakn working 2026-02-02 10 ext 0/0 paused 0",
        "pakn working 2026-02-02 +10 ext 0 paused 0", "pakn working 2026-02-02 +10 ext 0/0 paused x",
        "pakn working 2026-02-02 +10 ext 0/0 paused 0 since", "pakn working 2026-02-02 +10 ext 0/0 paused 0 from 2026-02-03",
        "pakn working 2026-02-02 +10 ext 0/0 paused 0 since 2026-13-01",
    ])
    func compactRefusesNonsense(text: String) {
        #expect(Deadline(compact: text) == nil)
    }

    @Test
    func compactWithSpaceInRuleId() {
        let d = Deadline(ruleId: "Luật KN 2011", counting: .calendar, start: Fx.day("2026-02-02"), days: 30)
        #expect(Deadline(compact: d.compact) == d)
    }

    @Test func codableRoundTrip() throws {
        let d = deadline.paused(on: Fx.day("2026-02-05"))
        let data = try JSONEncoder().encode(d)
        #expect(try JSONDecoder().decode(Deadline.self, from: data) == d)
    }
}

@Suite("Deadline status")
struct DeadlineStatusTests {
    let cal = Fx.calendar
    /// Due Monday 23/2/2026 (see DeadlineClockTests).
    let deadline = Deadline(rule: Fx.rule, start: Fx.day("2026-02-02"), complex: false, remote: false)

    func status(_ today: String, _ s: CaseStatus = .inProgress, _ d: Deadline? = nil, soon: Int = 3) -> DeadlineStatus {
        DeadlineStatus.of(d ?? deadline, status: s, today: Fx.day(today), calendar: cal, dueSoonDays: soon)
    }

    @Test func theDueDayItselfIsNotOverdue() {
        let st = status("2026-02-23")
        #expect(st.state == .dueSoon)
        #expect(st.daysLeft == 0)
        #expect(st.dueDay == Fx.day("2026-02-23"))
    }

    @Test func theNextDayIsOverdue() {
        let st = status("2026-02-24")
        #expect(st.state == .overdue)
        #expect(st.daysLeft == -1)
        #expect(status("2026-03-02").daysLeft == -5)
    }

    @Test func dueSoonBoundary() {
        // Three working days before Monday 23/2 is… Friday 13/2 (Tết is not counted).
        #expect(status("2026-02-13").state == .dueSoon)
        #expect(status("2026-02-13").daysLeft == 1)
        // Working days left from Wed 11/2: 12, 13, 23 → 3, still "soon"; from Tue 10/2 → 4, ok.
        #expect(status("2026-02-11").daysLeft == 3)
        #expect(status("2026-02-11").state == .dueSoon)
        #expect(status("2026-02-10").daysLeft == 4)
        #expect(status("2026-02-10").state == .ok)
        #expect(status("2026-02-02").state == .ok)
        #expect(status("2026-02-02").daysLeft == 10)
    }

    @Test func dueSoonDaysIsTheThreshold() {
        #expect(status("2026-02-10", soon: 4).state == .dueSoon)
        #expect(status("2026-02-23", soon: 0).state == .dueSoon)
        #expect(status("2026-02-20", soon: 0).state == .ok, "a Tết day before the due day, one working day left")
    }

    @Test("Finished cases are done whatever the clock says",
          arguments: [CaseStatus.resolved, .closed, .rejected, .merged])
    func done(s: CaseStatus) {
        #expect(status("2026-02-10", s).state == .done)
        #expect(status("2026-04-01", s).state == .done)
        #expect(status("2026-04-01", s, deadline.paused(on: Fx.day("2026-02-05"))).state == .done)
    }

    @Test("Open cases are never done", arguments: [CaseStatus.received, .routed, .assigned, .inProgress])
    func openStates(s: CaseStatus) {
        #expect(status("2026-02-10", s).state == .ok)
        #expect(status("2026-04-01", s).state == .overdue)
    }

    @Test func pausedEvenWhenPastTheDueDay() {
        let paused = deadline.paused(on: Fx.day("2026-02-20"))
        #expect(status("2026-04-01", .awaitingInfo, paused).state == .paused)
        #expect(status("2026-04-01", .inProgress, paused).state == .paused, "a stopped clock is shown paused")
        #expect(status("2026-04-01", .awaitingInfo).state == .paused, "awaiting info is paused by status too")
    }

    @Test func stateLabelsForEveryState() {
        for s in DueState.allCases {
            for lang in Lang.allCases {
                #expect(s.label(lang) != "due.\(s.rawValue)")
            }
        }
    }

    @Test
    func overdueOnAWeekendIsNegative() {
        // Due Friday 27/2/2026 (5 working days after Friday 20/2, which is Tết: 23…27).
        let d = Deadline(ruleId: "x", counting: .working, start: Fx.day("2026-02-20"), days: 5)
        #expect(d.dueDay(in: cal) == Fx.day("2026-02-27"))
        let st = status("2026-02-28", .inProgress, d)   // Saturday
        #expect(st.state == .overdue)
        #expect(st.daysLeft < 0, "DeadlineStatus.daysLeft is documented as negative when overdue")
    }
}
