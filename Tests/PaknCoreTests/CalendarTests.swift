import Foundation
import Testing
@testable import PaknCore

/// Foundation's proleptic-Gregorian arithmetic in UTC, as an independent oracle for `Day`.
private enum Oracle {
    static let utc: Calendar = {
        var c = Calendar(identifier: .gregorian)
        c.timeZone = TimeZone(identifier: "UTC")!
        return c
    }()

    static func civil(_ ordinal: Int) -> (Int, Int, Int, weekday: Int) {
        let d = Date(timeIntervalSince1970: Double(ordinal) * 86400)
        let c = utc.dateComponents([.year, .month, .day, .weekday], from: d)
        // Foundation: 1 = Sunday … 7 = Saturday. ISO: 1 = Monday … 7 = Sunday.
        return (c.year!, c.month!, c.day!, (c.weekday! + 5) % 7 + 1)
    }
}

@Suite("Days")
struct DayTests {
    @Test func epoch() {
        let d = Day(ordinal: 0)
        #expect(d.description == "1970-01-01")
        #expect(Day(year: 1970, month: 1, day: 1)?.ordinal == 0)
        #expect(d.weekday == 4, "1 January 1970 was a Thursday")
    }

    @Test("Civil dates agree with Foundation's Gregorian calendar from 1600 to 2400")
    func agreesWithFoundation() {
        // Foundation switches to the Julian calendar before 1582, so stay after it.
        let lo = Day(year: 1600, month: 1, day: 1)!.ordinal
        let hi = Day(year: 2400, month: 12, day: 31)!.ordinal
        var mismatches = 0
        for o in stride(from: lo, through: hi, by: 11) {
            let (y, m, d, wd) = Oracle.civil(o)
            let day = Day(ordinal: o)
            if (day.year, day.month, day.dayOfMonth, day.weekday) != (y, m, d, wd) { mismatches += 1 }
            if Day(year: y, month: m, day: d)?.ordinal != o { mismatches += 1 }
        }
        #expect(mismatches == 0)
    }

    @Test("Every day of 2020–2030 agrees with Foundation")
    func denseDecade() {
        let lo = Day(year: 2020, month: 1, day: 1)!.ordinal
        let hi = Day(year: 2030, month: 12, day: 31)!.ordinal
        for o in lo...hi {
            let (y, m, d, wd) = Oracle.civil(o)
            let day = Day(ordinal: o)
            guard (day.year, day.month, day.dayOfMonth, day.weekday) == (y, m, d, wd) else {
                Issue.record("\(o): \(day) weekday \(day.weekday) vs \(y)-\(m)-\(d) weekday \(wd)")
                return
            }
        }
    }

    @Test("Ordinal ↔ civil round trip over ±2.7 million years of days")
    func roundTripWide() {
        for o in stride(from: -1_000_000_000, through: 1_000_000_000, by: 999_983) {
            let day = Day(ordinal: o)
            let back = Day(year: day.year, month: day.month, day: day.dayOfMonth)
            #expect(back?.ordinal == o, "ordinal \(o) → \(day.year)-\(day.month)-\(day.dayOfMonth)")
        }
        // Consecutive days: the day of month steps by one or wraps to 1 with the month advancing.
        for o in stride(from: -800_000, to: 800_000, by: 1_237) {
            let a = Day(ordinal: o), b = Day(ordinal: o + 1)
            if b.dayOfMonth == 1 {
                #expect(b.month == a.month % 12 + 1)
                #expect(b.year == a.year + (a.month == 12 ? 1 : 0))
            } else {
                #expect(b.dayOfMonth == a.dayOfMonth + 1 && b.month == a.month && b.year == a.year)
            }
            #expect(b.weekday == a.weekday % 7 + 1)
        }
    }

    @Test("Weekdays of known dates", arguments: [
        ("1945-09-02", 7),   // Independence Day, a Sunday
        ("1975-04-30", 3),   // Wednesday
        ("2000-01-01", 6),   // Saturday
        ("2024-02-29", 4),   // Thursday
        ("2026-01-01", 4),   // Thursday
        ("2026-02-17", 2),   // Tết Bính Ngọ, a Tuesday
        ("2026-07-01", 3),   // Wednesday
        ("1969-12-31", 3),   // before the epoch: Wednesday
    ])
    func weekdays(text: String, iso: Int) {
        #expect(Fx.day(text).weekday == iso)
    }

    @Test("Invalid dates are refused", arguments: [
        "2026-02-30", "2026-02-29", "2025-02-29", "1900-02-29", "2026-04-31", "2026-13-01", "2026-00-10",
        "2026-01-00", "2026-01-32", "2026-1", "2026", "", "abc", "2026/02/03", "03-02-2026x", "2026-02-3a",
        "2026-02-03T10:00",
    ])
    func invalid(text: String) {
        #expect(Day(text) == nil)
    }

    @Test("Leap days exist when the Gregorian rule says so", arguments: [
        (1600, true), (1900, false), (2000, true), (2024, true), (2025, false), (2100, false), (2400, true),
    ])
    func leapDays(year: Int, leap: Bool) {
        #expect((Day(year: year, month: 2, day: 29) != nil) == leap)
        #expect(Day(year: year, month: 2, day: 28) != nil)
    }

    @Test(arguments: ["2026-02-03-", "-2026-02-03", "2026--02-03", "+2026-+2-+3"])
    func malformedTextRefused(text: String) {
        #expect(Day(text) == nil)
    }

    @Test func formatting() {
        let d = Fx.day("2026-02-03")
        #expect(d.description == "2026-02-03")
        #expect(d.vietnamese == "03/02/2026")
        #expect(Fx.day("0999-12-31").description == "0999-12-31")
        #expect(Day("2026-2-3") == d, "unpadded fields are read as numbers")
    }

    @Test func codableAsText() throws {
        let d = Fx.day("2026-07-01")
        let json = try JSONEncoder().encode([d])
        #expect(String(decoding: json, as: UTF8.self) == "[\"2026-07-01\"]")
        #expect(try JSONDecoder().decode([Day].self, from: json) == [d])
        #expect(throws: DecodingError.self) { try JSONDecoder().decode([Day].self, from: Data("[\"2026-02-30\"]".utf8)) }
    }

    @Test func comparisonAndAdding() {
        let a = Fx.day("2026-02-28")
        #expect(a.adding(1) == Fx.day("2026-03-01"))
        #expect(Fx.day("2024-02-28").adding(1) == Fx.day("2024-02-29"))
        #expect(Fx.day("2026-12-31").adding(1) == Fx.day("2027-01-01"))
        #expect(a.adding(-59) == Fx.day("2025-12-31"))
        #expect(a < a.adding(1))
        #expect(!(a < a))
    }

    // MARK: Vietnam time

    @Test func vietnamTimeAroundMidnight() {
        // 2026-01-01 00:00 in Hà Nội is 2025-12-31 17:00 UTC.
        let midnightUTC = Date(timeIntervalSince1970: 1_767_200_400)   // 2025-12-31T17:00:00Z
        #expect(Fx.vn(2026, 1, 1, 0, 0) == midnightUTC)
        #expect(Day(midnightUTC) == Fx.day("2026-01-01"))
        #expect(Day(midnightUTC.addingTimeInterval(-1)) == Fx.day("2025-12-31"))
        #expect(Fx.day("2026-01-01").start == midnightUTC)
        #expect(Fx.day("2026-01-01").end == midnightUTC.addingTimeInterval(86_399))
        #expect(Day(Fx.day("2026-01-01").end) == Fx.day("2026-01-01"))
        // 23:59:59 and 00:00:00 local fall on different days; 16:59 UTC is still "today" in Hà Nội.
        #expect(Day(Fx.vn(2026, 2, 13, 23, 59, 59)) == Fx.day("2026-02-13"))
        #expect(Day(Fx.vn(2026, 2, 14, 0, 0, 0)) == Fx.day("2026-02-14"))
        // Before the epoch the day still floors, not truncates.
        #expect(Day(Date(timeIntervalSince1970: -1)) == Fx.day("1970-01-01"))
        #expect(Day(Date(timeIntervalSince1970: -7 * 3600)) == Fx.day("1970-01-01"))
        #expect(Day(Date(timeIntervalSince1970: -7 * 3600 - 1)) == Fx.day("1969-12-31"))
    }

    @Test("Day(start) and Day(end) are the day itself", arguments: [-30_000, -1, 0, 1, 20_000, 20_500, 100_000])
    func startEndRoundTrip(ordinal: Int) {
        let d = Day(ordinal: ordinal)
        #expect(Day(d.start) == d)
        #expect(Day(d.end) == d)
        #expect(Day(d.end.addingTimeInterval(1)) == d.adding(1))
        #expect(d.end.timeIntervalSince(d.start) == 86_399)
    }
}

@Suite("ISO 8601 in Vietnam time")
struct ISO8601Tests {
    @Test func formatIsVietnamLocal() {
        #expect(ISO8601.format(Fx.vn(2026, 2, 3, 9, 5, 7)) == "2026-02-03T09:05:07+07:00")
        #expect(ISO8601.format(Fx.vn(2026, 1, 1, 0, 0, 0)) == "2026-01-01T00:00:00+07:00")
        #expect(ISO8601.format(Fx.vn(2025, 12, 31, 23, 59, 59)) == "2025-12-31T23:59:59+07:00")
        #expect(ISO8601.format(Date(timeIntervalSince1970: -1)) == "1970-01-01T06:59:59+07:00")
    }

    @Test func parseForms() {
        let nine = Fx.vn(2026, 2, 3, 9, 0)
        #expect(ISO8601.parse("2026-02-03") == Fx.day("2026-02-03").start)
        #expect(ISO8601.parse("2026-02-03T09:00") == nine)
        #expect(ISO8601.parse("2026-02-03T09:00:00") == nine)
        #expect(ISO8601.parse("2026-02-03T09:00:00+07:00") == nine)
        #expect(ISO8601.parse("2026-02-03T02:00:00Z") == nine)
        #expect(ISO8601.parse(" 2026-02-03T09:00 ") == nine)
        #expect(ISO8601.parse("2026-02-03T02:00:00.500Z") == nine.addingTimeInterval(0.5))
    }

    @Test("Nonsense is refused", arguments: [
        "2026-02-30", "2026-02-03T24:00", "2026-02-03T09:60", "2026-02-03T09", "2026-02-03T09:00:61",
        "hôm nay", "", "2026-02-03Tab:cd",
    ])
    func parseRefuses(text: String) {
        #expect(ISO8601.parse(text) == nil)
    }

    @Test func roundTrip() {
        var rng = LCG(seed: 7)
        for _ in 0..<500 {
            let d = Date(timeIntervalSince1970: Double(Int.random(in: -2_000_000_000...4_000_000_000, using: &rng)))
            #expect(ISO8601.parse(ISO8601.format(d)) == d)
        }
    }
}

@Suite("Working calendar")
struct WorkingCalendarTests {
    let cal = Fx.calendar

    @Test func weekendsAndExceptions() {
        let w = WorkingCalendar.weekendsOnly
        #expect(w.isWorkingDay(Fx.day("2026-02-13")))      // Friday
        #expect(!w.isWorkingDay(Fx.day("2026-02-14")))     // Saturday
        #expect(!w.isWorkingDay(Fx.day("2026-02-15")))     // Sunday
        #expect(w.isWorkingDay(Fx.day("2026-02-16")))      // Monday, no holidays known
        #expect(!cal.isWorkingDay(Fx.day("2026-02-16")))   // … but Tết in the real calendar
        #expect(!cal.isWorkingDay(Fx.day("2024-04-29")))   // swapped Monday off
        #expect(cal.isWorkingDay(Fx.day("2024-05-04")))    // swapped Saturday worked
        #expect(!cal.isWorkingDay(Fx.day("2024-05-05")))   // the Sunday after is still off
        #expect(cal.exception(on: Fx.day("2024-05-04"))?.kind == .workday)
        #expect(cal.exception(on: Fx.day("2026-02-17"))?.name == "Tết Nguyên đán Bính Ngọ")
        #expect(cal.exception(on: Fx.day("2026-02-23")) == nil)
    }

    @Test func addAcrossAWeekend() {
        // Friday + 1 working day = Monday; + 5 = the next Friday.
        let fri = Fx.day("2026-01-02")
        #expect(cal.add(1, to: fri, counting: .working) == Fx.day("2026-01-05"))
        #expect(cal.add(5, to: fri, counting: .working) == Fx.day("2026-01-09"))
        // Starting on a Saturday: the first counted day is Monday.
        #expect(cal.add(1, to: Fx.day("2026-01-03"), counting: .working) == Fx.day("2026-01-05"))
    }

    @Test func addAcrossTet() {
        // Friday 13/2/2026 is the last working day before Tết; work resumes Monday 23/2.
        let fri = Fx.day("2026-02-13")
        #expect(cal.add(1, to: fri, counting: .working) == Fx.day("2026-02-23"))
        #expect(cal.add(2, to: fri, counting: .working) == Fx.day("2026-02-24"))
        #expect(cal.count(from: fri, to: Fx.day("2026-02-23"), counting: .working) == 1)
        #expect(cal.count(from: fri, to: Fx.day("2026-02-22"), counting: .working) == 0)
        // Counting in calendar days Tết changes nothing.
        #expect(cal.add(1, to: fri, counting: .calendar) == Fx.day("2026-02-14"))
        #expect(cal.count(from: fri, to: Fx.day("2026-02-23"), counting: .calendar) == 10)
        // Without the holidays the same count is a week shorter.
        #expect(WorkingCalendar.weekendsOnly.add(1, to: fri, counting: .working) == Fx.day("2026-02-16"))
    }

    @Test func addAcrossASwappedSaturday() {
        // Fri 26/4/2024, then: Sat, Sun off; Mon 29/4, Tue 30/4, Wed 1/5 holidays;
        // Thu 2/5 (1), Fri 3/5 (2), Sat 4/5 worked (3), Sun off, Mon 6/5 (4).
        let fri = Fx.day("2024-04-26")
        #expect(cal.add(1, to: fri, counting: .working) == Fx.day("2024-05-02"))
        #expect(cal.add(3, to: fri, counting: .working) == Fx.day("2024-05-04"))
        #expect(cal.add(4, to: fri, counting: .working) == Fx.day("2024-05-06"))
        #expect(cal.count(from: fri, to: Fx.day("2024-05-06"), counting: .working) == 4)
        #expect(cal.count(from: Fx.day("2024-05-03"), to: Fx.day("2024-05-04"), counting: .working) == 1)
    }

    @Test func countIsNegativeBackwards() {
        let a = Fx.day("2024-04-26"), b = Fx.day("2024-05-06")
        #expect(cal.count(from: b, to: a, counting: .working) == -4)
        #expect(cal.count(from: b, to: a, counting: .calendar) == -10)
        #expect(cal.count(from: a, to: a, counting: .working) == 0)
        #expect(cal.count(from: a, to: a, counting: .calendar) == 0)
    }

    @Test("Adding zero is the start itself, even on a holiday",
          arguments: ["2026-02-17", "2026-02-14", "2026-02-13", "2024-05-04"])
    func addZero(text: String) {
        let d = Fx.day(text)
        #expect(cal.add(0, to: d, counting: .working) == d)
        #expect(cal.add(0, to: d, counting: .calendar) == d)
    }

    @Test("add and count are inverse", arguments: ["2026-02-02", "2026-02-13", "2026-02-15", "2024-04-26", "2024-05-04"])
    func addCountInverse(text: String) {
        let start = Fx.day(text)
        for n in 0...60 {
            for counting in [DayCounting.working, .calendar] {
                let end = cal.add(n, to: start, counting: counting)
                #expect(cal.count(from: start, to: end, counting: counting) == n)
                #expect(cal.count(from: end, to: start, counting: counting) == -n)
                if n > 0 && counting == .working {
                    #expect(cal.isWorkingDay(end), "a counted deadline ends on a working day")
                    #expect(cal.count(from: start, to: end.adding(-1), counting: counting) == n - 1)
                }
            }
        }
    }

    @Test func workingCountsAreNeverMoreThanCalendarCounts() {
        let start = Fx.day("2026-01-20")
        for n in 0...90 {
            let end = start.adding(n)
            let w = cal.count(from: start, to: end, counting: .working)
            #expect(w <= n)
            #expect(w >= 0)
        }
        // January–March 2026: 90 days, 64 weekdays of which 5 are Tết holidays.
        #expect(cal.count(from: Fx.day("2025-12-31"), to: Fx.day("2026-03-31"), counting: .working) == 59)
    }

    @Test func laterExceptionForTheSameDayWins() {
        let d = Fx.day("2026-02-16")
        let c = WorkingCalendar(exceptions: [
            CalendarException(day: d, kind: .holiday, name: "Tết"),
            CalendarException(day: d, kind: .workday, name: "Đính chính"),
        ])
        #expect(c.isWorkingDay(d))
    }

    @Test func exceptionsAreCodable() throws {
        let data = try JSONEncoder().encode(Fx.reunification2024)
        #expect(try JSONDecoder().decode([CalendarException].self, from: data) == Fx.reunification2024)
    }
}
