import Foundation
import Testing
@testable import PaknCore

/// `WorkingCalendar.count` and `add` are arithmetic (whole weeks plus the exceptions in the
/// range); these compare them with the day-by-day definitions (`countByWalking`,
/// `addByWalking`) on many ranges and calendars.
@Suite("Working calendar arithmetic")
struct CalendarArithmeticTests {
    /// Exceptions of every shape: a holiday on a weekday, on a Saturday and on a Sunday, a
    /// worked Saturday and Sunday, a "workday" on a Wednesday (no change), a run of
    /// holidays, a day listed twice, and days before 1970.
    static let odd: [CalendarException] = {
        func e(_ text: String, _ kind: CalendarException.Kind) -> CalendarException {
            CalendarException(day: Fx.day(text), kind: kind, name: text)
        }
        return [
            e("2026-03-02", .holiday), e("2026-03-07", .holiday), e("2026-03-01", .holiday),
            e("2026-03-14", .workday), e("2026-03-15", .workday), e("2026-03-11", .workday),
            e("2026-03-16", .holiday), e("2026-03-17", .holiday), e("2026-03-18", .holiday),
            e("2026-03-19", .holiday), e("2026-03-20", .holiday), e("2026-03-23", .holiday),
            e("2026-03-24", .holiday), e("2026-03-24", .workday),
            e("1969-12-31", .holiday), e("1969-12-27", .workday), e("1901-05-06", .holiday),
            e("2199-01-03", .workday), e("2199-01-05", .holiday),
        ]
    }()

    /// Random exceptions: `n` days in a span of `span` days from `first`, of random kind.
    static func random(_ n: Int, from first: Int, span: Int, _ rng: inout LCG) -> [CalendarException] {
        (0..<n).map { _ in
            CalendarException(day: Day(ordinal: first + Int.random(in: 0..<span, using: &rng)),
                              kind: Bool.random(using: &rng) ? .holiday : .workday, name: "random")
        }
    }

    static func calendars() -> [(String, WorkingCalendar)] {
        var rng = LCG(seed: 4)
        return [
            ("fixtures", Fx.calendar),
            ("weekends only", .weekendsOnly),
            ("odd", WorkingCalendar(exceptions: odd)),
            ("dense", WorkingCalendar(exceptions: random(400, from: 20_000, span: 500, &rng))),
            ("sparse", WorkingCalendar(exceptions: random(60, from: -30_000, span: 90_000, &rng))),
            // Every weekday of ten weeks off: adding must look past the whole run.
            ("long holiday", WorkingCalendar(exceptions: (0..<70).map {
                CalendarException(day: Fx.day("2026-06-01").adding($0), kind: .holiday, name: "off")
            })),
        ]
    }

    @Test("count equals the day-by-day count on random ranges, both ways")
    func countEqualsWalking() {
        var rng = LCG(seed: 1)
        for (name, cal) in Self.calendars() {
            var mismatches: [String] = []
            for i in 0..<3_000 {
                let from = Int.random(in: -40_000...120_000, using: &rng)
                // Mostly short ranges (a deadline), some years long, some empty.
                let len: Int
                switch i % 10 {
                case 0: len = 0
                case 1: len = Int.random(in: -4_000...4_000, using: &rng)
                default: len = Int.random(in: -90...90, using: &rng)
                }
                let a = Day(ordinal: from), b = Day(ordinal: from + len)
                let fast = cal.count(from: a, to: b, counting: .working)
                if fast != cal.countByWalking(from: a, to: b) { mismatches.append("\(a)→\(b): \(fast)") }
                if cal.count(from: b, to: a, counting: .working) != -fast { mismatches.append("\(b)→\(a) not −\(fast)") }
                if cal.count(from: a, to: b, counting: .calendar) != len { mismatches.append("\(a)→\(b) calendar") }
            }
            #expect(Array(mismatches.prefix(5)) == [], "\(name): \(mismatches.count) mismatches")
        }
    }

    @Test("count equals the day-by-day count on every range in and around the exceptions")
    func countAroundExceptions() {
        for (name, cal) in Self.calendars() {
            var mismatches: [String] = []
            // Every (from, to) pair in windows around the odd calendar's March 2026 and 1970.
            for first in [Fx.day("2026-02-25").ordinal, Fx.day("1969-12-20").ordinal, Fx.day("2026-05-28").ordinal] {
                for from in first..<(first + 45) {
                    for to in (first - 3)..<(first + 50) {
                        let a = Day(ordinal: from), b = Day(ordinal: to)
                        if cal.count(from: a, to: b, counting: .working) != cal.countByWalking(from: a, to: b) {
                            mismatches.append("\(a)→\(b)")
                        }
                    }
                }
            }
            #expect(Array(mismatches.prefix(5)) == [], "\(name): \(mismatches.count) mismatches")
        }
    }

    @Test("count over centuries, far past and far future")
    func countFarAway() {
        var rng = LCG(seed: 2)
        for (name, cal) in Self.calendars() {
            for (from, to) in [(-800_000, 800_000), (800_000, -800_000), (-700_000, -699_000), (600_000, 600_000),
                               (Int.random(in: -300_000...0, using: &rng), Int.random(in: 0...300_000, using: &rng))] {
                let a = Day(ordinal: from), b = Day(ordinal: to)
                #expect(cal.count(from: a, to: b, counting: .working) == cal.countByWalking(from: a, to: b), "\(name) \(a)→\(b)")
            }
        }
    }

    @Test("add equals the day-by-day add, and is count's inverse")
    func addEqualsWalking() {
        var rng = LCG(seed: 3)
        for (name, cal) in Self.calendars() {
            var mismatches: [String] = []
            for i in 0..<2_000 {
                let start = Day(ordinal: Int.random(in: -40_000...120_000, using: &rng))
                let n = i % 20 == 0 ? Int.random(in: 0...3_000, using: &rng) : Int.random(in: 0...70, using: &rng)
                let fast = cal.add(n, to: start, counting: .working)
                if fast != cal.addByWalking(n, to: start) { mismatches.append("\(start)+\(n): \(fast)") }
                if cal.count(from: start, to: fast, counting: .working) != n { mismatches.append("\(start)+\(n) count") }
                if cal.add(n, to: start, counting: .calendar) != start.adding(n) { mismatches.append("\(start)+\(n) calendar") }
            }
            // Starting on, just before and just after every exception.
            for day in (Self.odd + Fx.tet2026 + Fx.reunification2024).map(\.day) {
                for offset in -8...2 {
                    for n in [1, 2, 3, 5, 6, 10, 15, 30] {
                        let start = day.adding(offset)
                        if cal.add(n, to: start, counting: .working) != cal.addByWalking(n, to: start) {
                            mismatches.append("\(start)+\(n)")
                        }
                    }
                }
            }
            #expect(Array(mismatches.prefix(5)) == [], "\(name): \(mismatches.count) mismatches")
        }
    }

    @Test("Adding zero or less is the start itself")
    func addNothing() {
        let cal = WorkingCalendar(exceptions: Self.odd)
        for text in ["2026-03-16", "2026-03-14", "2026-03-01", "2026-03-11"] {
            let d = Fx.day(text)
            #expect(cal.add(0, to: d, counting: .working) == d)
            #expect(cal.add(-3, to: d, counting: .working) == d)
            #expect(cal.addByWalking(0, to: d) == d)
        }
    }

    @Test("Weekday arithmetic agrees with Day.weekday", arguments: [-800_001, -15, -8, -7, -1, 0, 1, 6, 7, 20_000, 800_003])
    func weekdayArithmetic(ordinal: Int) {
        for o in ordinal..<(ordinal + 15) {
            #expect(WorkingCalendar.isWeekday(o) == (Day(ordinal: o).weekday <= 5))
            let before = WorkingCalendar.weekdays(through: o - 1)
            #expect(WorkingCalendar.weekdays(through: o) == before + (WorkingCalendar.isWeekday(o) ? 1 : 0))
            if WorkingCalendar.isWeekday(o) {
                #expect(WorkingCalendar.weekday(numbered: WorkingCalendar.weekdays(through: o)) == o)
            }
        }
    }
}
