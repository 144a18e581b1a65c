import Foundation
import PaknCore
import Testing
@testable import PaknDemo
@testable import PaknStore

/// The arithmetic working-day count and add on the real calendar: the bundled holidays
/// (Tết, swapped Saturdays, 2025–2027) as a database installs them, against the
/// day-by-day definitions.
@Suite struct HolidayCalendarTests {
    @Test func bundledHolidaysCountAndAddLikeTheDayByDayWalk() throws {
        let holidays = try BundledData.holidays()
        #expect(holidays.contains { $0.kind == .workday }, "the bundled list has swapped Saturdays")
        let fromFile = WorkingCalendar(exceptions: holidays)
        let installed = try Fixtures.demo().reference().calendar
        let first = holidays.map(\.day.ordinal).min()!, last = holidays.map(\.day.ordinal).max()!
        var rng = SeededRandom(seed: 11)
        for cal in [fromFile, installed] {
            var mismatches: [String] = []
            for i in 0..<4_000 {
                // Most ranges in and around the years the list covers; some far away.
                let from = i % 8 == 0 ? rng.int(-200_000...200_000) : rng.int((first - 400)...(last + 400))
                let to = i % 5 == 0 ? from : (i % 97 == 0 ? rng.int(-200_000...200_000) : from + rng.int(-120...120))
                let a = Day(ordinal: from), b = Day(ordinal: to)
                let n = cal.count(from: a, to: b, counting: .working)
                if n != cal.countByWalking(from: a, to: b) { mismatches.append("count \(a)→\(b) = \(n)") }
                let k = rng.int(0...90)
                if cal.add(k, to: a, counting: .working) != cal.addByWalking(k, to: a) { mismatches.append("add \(a)+\(k)") }
            }
            // Every start from a week before each exception to the day after, every n to 25.
            for e in holidays {
                for start in (e.day.ordinal - 7)...(e.day.ordinal + 1) {
                    for k in 1...25 where cal.add(k, to: Day(ordinal: start), counting: .working) != cal.addByWalking(k, to: Day(ordinal: start)) {
                        mismatches.append("add \(Day(ordinal: start))+\(k)")
                    }
                }
            }
            #expect(Array(mismatches.prefix(5)) == [], "\(mismatches.count) mismatches")
        }
        // Tết Bính Ngọ 2026 as the bundled list has it: a known count across it.
        let tet = try #require(holidays.first { $0.name.contains("Bính Ngọ") }).day
        #expect(installed.count(from: tet.adding(-30), to: tet.adding(30), counting: .working)
                == installed.countByWalking(from: tet.adding(-30), to: tet.adding(30)))
    }
}
