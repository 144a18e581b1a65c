import Foundation
import Testing
@testable import PaknCore

/// What the calendar covers: the years that have entries, in one place.
@Suite("Working calendar horizon")
struct CalendarHorizonTests {
    static func e(_ d: String, _ kind: CalendarException.Kind = .holiday) -> CalendarException {
        CalendarException(day: Fx.day(d), kind: kind, name: d)
    }

    @Test func coveredYearsHorizonAndCovers() {
        let cal = WorkingCalendar(exceptions: [Self.e("2025-01-01"), Self.e("2026-02-16"), Self.e("2026-08-22", .workday),
                                               Self.e("2028-05-01")])
        #expect(cal.coveredYears == [2025, 2026, 2028])
        #expect(cal.horizon == Fx.day("2028-12-31"))
        #expect(cal.covers(Fx.day("2025-01-01")) && cal.covers(Fx.day("2026-12-31")) && cal.covers(Fx.day("2028-12-31")))
        // Before the first year, a year with no entry, after the horizon.
        #expect(!cal.covers(Fx.day("2024-12-31")))
        #expect(!cal.covers(Fx.day("2027-06-15")))
        #expect(!cal.covers(Fx.day("2029-01-01")))
        #expect(WorkingCalendar.weekendsOnly.horizon == nil)
        #expect(!WorkingCalendar.weekendsOnly.covers(Fx.day("2026-06-01")))
    }

    /// `covers` agrees with its definition (the day's year has an entry) on random calendars.
    @Test func coversAgreesWithTheYearsOfTheEntries() {
        var rng = LCG(seed: 9)
        for _ in 0..<50 {
            let days = (0..<Int.random(in: 0...12, using: &rng)).map { _ in
                CalendarException(day: Day(ordinal: Int.random(in: 18_000...22_000, using: &rng)), kind: .holiday, name: "x")
            }
            let cal = WorkingCalendar(exceptions: days)
            let years = Set(days.map(\.day.year))
            for _ in 0..<200 {
                let d = Day(ordinal: Int.random(in: 17_500...22_500, using: &rng))
                #expect(cal.covers(d) == years.contains(d.year), "\(d)")
            }
        }
    }

    @Test func warningOnlyOutsideAndSaysWhich() throws {
        let cal = WorkingCalendar(exceptions: [Self.e("2026-01-01"), Self.e("2027-01-01")])
        #expect(CalendarWarning(dueDay: Fx.day("2027-12-31"), calendar: cal) == nil)
        let past = try #require(CalendarWarning(dueDay: Fx.day("2028-01-04"), calendar: cal))
        #expect(past.horizon == Fx.day("2027-12-31"))
        #expect(past.text(.vi).contains("31/12/2027") && past.text(.vi).contains("2028"))
        #expect(past.text(.en).hasPrefix("The holiday calendar ends on 31/12/2027"))
        let before = try #require(CalendarWarning(dueDay: Fx.day("2025-03-03"), calendar: cal))
        #expect(before.text(.en).contains("no entries for 2025"))
    }

    @Test func anEntryWithoutStandingReadsAsExpected() throws {
        let json = #"[{"day":"2026-02-16","kind":"holiday","name":"Tết"}]"#
        let e = try JSONDecoder().decode([CalendarException].self, from: Data(json.utf8))
        #expect(e.first?.standing == .expected && e.first?.document == nil)
        let a = CalendarException(day: Fx.day("2026-02-16"), kind: .holiday, name: "Tết", standing: .announced, document: "TB 9441")
        #expect(try JSONDecoder().decode(CalendarException.self, from: JSONEncoder().encode(a)) == a)
    }
}
