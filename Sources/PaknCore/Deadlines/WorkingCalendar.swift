/// A day the government declared off (holiday) or declared a working day (a swapped Saturday).
///
/// Each entry carries its standing: `announced` (with the document that announced it: the
/// Labour Code for a fixed-date holiday, a Prime Minister's decision or a Ministry notice
/// for Tết and swapped days) or `expected` (pakn's projection before the announcement,
/// with a note saying why). See docs/data-sources.md, "Holidays".
public struct CalendarException: Codable, Equatable, Sendable {
    public enum Kind: String, Codable, Sendable, CaseIterable { case holiday, workday }
    public enum Standing: String, Codable, Sendable, CaseIterable { case announced, expected }
    public var day: Day
    public var kind: Kind
    public var name: String
    public var standing: Standing
    /// The announcing document (required when announced).
    public var document: String?
    /// Why it is expected, or a remark.
    public var note: String?

    public init(day: Day, kind: Kind, name: String, standing: Standing = .expected, document: String? = nil,
                note: String? = nil) {
        self.day = day; self.kind = kind; self.name = name
        self.standing = standing; self.document = document; self.note = note
    }

    enum CodingKeys: String, CodingKey { case day, kind, name, standing, document, note }

    /// Entries written before standings existed read as expected.
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        day = try c.decode(Day.self, forKey: .day)
        kind = try c.decode(Kind.self, forKey: .kind)
        name = try c.decode(String.self, forKey: .name)
        standing = try c.decodeIfPresent(Standing.self, forKey: .standing) ?? .expected
        document = try c.decodeIfPresent(String.self, forKey: .document)
        note = try c.decodeIfPresent(String.self, forKey: .note)
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(day, forKey: .day)
        try c.encode(kind, forKey: .kind)
        try c.encode(name, forKey: .name)
        try c.encode(standing, forKey: .standing)
        try c.encodeIfPresent(document, forKey: .document)
        try c.encodeIfPresent(note, forKey: .note)
    }
}

/// Monday to Friday, minus public holidays, plus swapped working days.
/// The exceptions are data: each year's list comes from the government's announcement.
///
/// Counting and adding working days is arithmetic: Monday to Friday by whole weeks, then
/// the exceptions that change a day's kind (a holiday on a weekday, a worked Saturday),
/// found by binary search in a sorted list. Nothing walks the days of a range, so a case
/// due years away costs what a case due tomorrow costs. `countByWalking` and
/// `addByWalking` are the day-by-day definitions; the tests compare both.
public struct WorkingCalendar: Sendable {
    /// Everything the calendar knows, behind one reference: copying a calendar (it travels
    /// in `ReferenceData`) is one retain, and the struct keeps the size it always had, so
    /// a module built against an older layout of this struct is not silently wrong (an
    /// incremental build once left a test module with the old layout: garbage calendars).
    private let table: Table

    private final class Table: Sendable {
        let exceptions: [Day: CalendarException]
        /// The days whose kind an exception changes, ascending (ordinals), and the running
        /// sum of what each changes in a working-day count: +1 for a worked weekend day, −1
        /// for a holiday on a weekday. A holiday on a Sunday or a "workday" on a Tuesday
        /// changes nothing and is not listed.
        let changeDays: [Int]
        let changeSums: [Int]
        /// How many listed changes are holidays (−1): bounds how far `add` may have to look.
        let holidayChanges: Int
        /// The years that have at least one entry, ascending, as runs of consecutive years
        /// (first and last day ordinals): what `covers` answers from.
        let coveredYears: [Int]
        let coveredRuns: [(first: Int, last: Int)]

        init(_ exceptions: [CalendarException]) {
            var map: [Day: CalendarException] = [:]
            for e in exceptions { map[e.day] = e }
            self.exceptions = map
            var days: [Int] = [], sums: [Int] = []
            var sum = 0, holidays = 0
            for e in map.values.sorted(by: { $0.day < $1.day }) {
                let weekday = WorkingCalendar.isWeekday(e.day.ordinal)
                let delta: Int
                switch e.kind {
                case .holiday: delta = weekday ? -1 : 0
                case .workday: delta = weekday ? 0 : 1
                }
                guard delta != 0 else { continue }
                if delta < 0 { holidays += 1 }
                sum += delta
                days.append(e.day.ordinal)
                sums.append(sum)
            }
            changeDays = days
            changeSums = sums
            holidayChanges = holidays
            let years = Set(map.keys.map(\.year)).sorted()
            coveredYears = years
            var runs: [(first: Int, last: Int)] = []
            for y in years {
                let first = Day(year: y, month: 1, day: 1)!.ordinal, last = Day(year: y, month: 12, day: 31)!.ordinal
                if let prev = runs.last, prev.last + 1 == first { runs[runs.count - 1].last = last } else { runs.append((first, last)) }
            }
            coveredRuns = runs
        }
    }

    public init(exceptions: [CalendarException]) {
        table = Table(exceptions)
    }

    /// A calendar with weekends only, for tests and for rules counted in calendar days.
    public static let weekendsOnly = WorkingCalendar(exceptions: [])

    public func exception(on day: Day) -> CalendarException? { table.exceptions[day] }

    /// Every entry, by day.
    public var exceptions: [CalendarException] { table.exceptions.values.sorted { $0.day < $1.day } }

    // MARK: Horizon

    /// The years the calendar knows: those with at least one entry. A year's holidays are
    /// announced together (the Labour Code's fixed days, then one notice for Tết and the
    /// swaps), and every year has at least 1 January, so a year with no entry is a year
    /// whose holidays nobody entered. This is the one definition of what the calendar
    /// covers (docs/data-sources.md, "The calendar's horizon").
    public var coveredYears: [Int] { table.coveredYears }

    /// The last day the calendar knows: 31 December of the last covered year (nil when
    /// it has no entries at all).
    public var horizon: Day? { table.coveredYears.last.flatMap { Day(year: $0, month: 12, day: 31) } }

    /// Whether `day` falls in a year the calendar knows. A deadline computed for a day it
    /// does not cover counted that year as if it had no holidays: it is shown with a
    /// warning (`CalendarWarning`).
    public func covers(_ day: Day) -> Bool {
        let o = day.ordinal
        for run in table.coveredRuns where run.first <= o { if o <= run.last { return true } }
        return false
    }

    public func isWorkingDay(_ day: Day) -> Bool {
        if let e = table.exceptions[day] { return e.kind == .workday }
        return day.weekday <= 5
    }

    /// The day `n` counted days after `start` (start itself is not counted, as the law counts
    /// "from the day after"). With `n == 0`, `start` itself.
    public func add(_ n: Int, to start: Day, counting: DayCounting) -> Day {
        guard n > 0 else { return start }
        switch counting {
        case .calendar:
            return start.adding(n)
        case .working:
            // The first day d after start with n working days in (start, d]: counted(d)
            // rises by one on each working day, so that is the least d with counted(d) ≥ n.
            let base = counted(through: start.ordinal), goal = base + n
            // Without exceptions in between, the n-th weekday after start.
            let guess = Self.weekday(numbered: Self.weekdays(through: start.ordinal) + n)
            let atGuess = counted(through: guess)
            if atGuess == goal && counted(through: guess - 1) < goal { return Day(ordinal: guess) }
            // Otherwise search between start and a day surely far enough: every listed
            // holiday takes at most one weekday away, and a week holds five weekdays.
            var lo = start.ordinal, hi: Int
            if atGuess >= goal {
                hi = guess
            } else {
                hi = Self.weekday(numbered: Self.weekdays(through: guess) + (goal - atGuess) + table.holidayChanges)
            }
            // counted(lo) < goal ≤ counted(hi)
            while hi - lo > 1 {
                let mid = lo + (hi - lo) / 2
                if counted(through: mid) >= goal { hi = mid } else { lo = mid }
            }
            return Day(ordinal: hi)
        }
    }

    /// Counted days in (from, to]: how many days of the clock pass going from `from` to `to`.
    /// Negative when `to` is before `from`.
    public func count(from: Day, to: Day, counting: DayCounting) -> Int {
        switch counting {
        case .calendar:
            return to.ordinal - from.ordinal
        case .working:
            return counted(through: to.ordinal) - counted(through: from.ordinal)
        }
    }

    // MARK: Arithmetic

    /// Working days up to and including the day `ordinal`, from a fixed origin (only
    /// differences mean anything).
    private func counted(through ordinal: Int) -> Int {
        Self.weekdays(through: ordinal) + changes(through: ordinal)
    }

    /// The sum of the listed changes on days up to and including `ordinal`.
    private func changes(through ordinal: Int) -> Int {
        let days = table.changeDays
        var lo = 0, hi = days.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if days[mid] <= ordinal { lo = mid + 1 } else { hi = mid }
        }
        return lo == 0 ? 0 : table.changeSums[lo - 1]
    }

    /// Day 0 (1970-01-01) is a Thursday, so with k = ordinal + 3, Monday is k ≡ 0 (mod 7)
    /// and Monday to Friday is k mod 7 < 5.
    static func isWeekday(_ ordinal: Int) -> Bool { floorMod(ordinal + 3, 7) < 5 }

    /// Mondays to Fridays up to and including `ordinal`, counted from the Monday k = 0.
    static func weekdays(through ordinal: Int) -> Int {
        let k = ordinal + 4
        let q = floorDiv(k, 7)
        return 5 * q + min(k - 7 * q, 5)
    }

    /// The weekday `number` (`weekdays(through:)` of it is `number`, and it is a weekday).
    static func weekday(numbered number: Int) -> Int {
        let i = number - 1
        return 7 * floorDiv(i, 5) + floorMod(i, 5) - 3
    }

    static func floorDiv(_ a: Int, _ b: Int) -> Int { a >= 0 ? a / b : -((-a + b - 1) / b) }
    static func floorMod(_ a: Int, _ b: Int) -> Int { a - b * floorDiv(a, b) }

    // MARK: The definitions, day by day

    /// `count(from:to:counting: .working)` by its definition: one day at a time. For tests.
    public func countByWalking(from: Day, to: Day) -> Int {
        if to < from { return -countByWalking(from: to, to: from) }
        var n = 0
        var day = from
        while day < to {
            day = day.adding(1)
            if isWorkingDay(day) { n += 1 }
        }
        return n
    }

    /// `add(_:to:counting: .working)` by its definition: one day at a time. For tests.
    public func addByWalking(_ n: Int, to start: Day) -> Day {
        var day = start
        var left = n
        while left > 0 {
            day = day.adding(1)
            if isWorkingDay(day) { left -= 1 }
        }
        return day
    }
}

/// Whether a rule counts every day or only working days.
public enum DayCounting: String, Codable, Sendable {
    case calendar
    case working
}
