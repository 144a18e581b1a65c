/// A day the government declared off (holiday) or declared a working day (a swapped Saturday).
public struct CalendarException: Codable, Equatable, Sendable {
    public enum Kind: String, Codable, Sendable { case holiday, workday }
    public var day: Day
    public var kind: Kind
    public var name: String

    public init(day: Day, kind: Kind, name: String) {
        self.day = day; self.kind = kind; self.name = name
    }
}

/// Monday to Friday, minus public holidays, plus swapped working days.
/// The exceptions are data: each year's list comes from the government's announcement.
public struct WorkingCalendar: Sendable {
    private let exceptions: [Day: CalendarException]

    /// The exceptions that change a day's kind (a holiday on a weekday, a working Saturday),
    /// in day order, and the running sum of what each adds to a working-day count (+1 or -1):
    /// `count` reads them by binary search instead of walking every day of a long range.
    private let changeDays: [Int]
    private let changeSums: [Int]

    public init(exceptions: [CalendarException]) {
        var map: [Day: CalendarException] = [:]
        for e in exceptions { map[e.day] = e }
        self.exceptions = map
        var days: [Int] = [], sums: [Int] = []
        var sum = 0
        for e in map.values.sorted(by: { $0.day < $1.day }) {
            let delta = (e.kind == .workday ? 1 : 0) - (e.day.weekday <= 5 ? 1 : 0)
            guard delta != 0 else { continue }
            sum += delta
            days.append(e.day.ordinal)
            sums.append(sum)
        }
        changeDays = days
        changeSums = sums
    }

    /// A calendar with weekends only, for tests and for rules counted in calendar days.
    public static let weekendsOnly = WorkingCalendar(exceptions: [])

    public func exception(on day: Day) -> CalendarException? { exceptions[day] }

    public func isWorkingDay(_ day: Day) -> Bool {
        if let e = exceptions[day] { return e.kind == .workday }
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
            var day = start
            var left = n
            while left > 0 {
                day = day.adding(1)
                if isWorkingDay(day) { left -= 1 }
            }
            return day
        }
    }

    /// Counted days in (from, to]: how many days of the clock pass going from `from` to `to`.
    /// Negative when `to` is before `from`.
    public func count(from: Day, to: Day, counting: DayCounting) -> Int {
        if to == from { return 0 }
        if to < from { return -count(from: to, to: from, counting: counting) }
        switch counting {
        case .calendar:
            return to.ordinal - from.ordinal
        case .working:
            // Monday to Friday in (from, to], then what the exceptions in that range change.
            return Self.weekdays(before: to.ordinal + 1) - Self.weekdays(before: from.ordinal + 1)
                + changes(through: to.ordinal) - changes(through: from.ordinal)
        }
    }

    /// How many of the days before `ordinal` are Monday to Friday, counted from a fixed
    /// origin (only differences are meaningful). Day 0 (1970-01-01) is a Thursday: with
    /// `k = ordinal + 3`, a day is Monday to Friday when `k mod 7 < 5`.
    static func weekdays(before ordinal: Int) -> Int {
        let k = ordinal + 3
        let q = k >= 0 ? k / 7 : -((-k + 6) / 7)
        return 5 * q + min(k - 7 * q, 5)
    }

    /// The sum of the exceptions' changes on days up to and including `ordinal`.
    private func changes(through ordinal: Int) -> Int {
        var lo = 0, hi = changeDays.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if changeDays[mid] <= ordinal { lo = mid + 1 } else { hi = mid }
        }
        return lo == 0 ? 0 : changeSums[lo - 1]
    }

    /// The same count, one day at a time (what `count` computes; kept for the tests).
    func countByWalking(from: Day, to: Day) -> Int {
        if to < from { return -countByWalking(from: to, to: from) }
        var n = 0
        var day = from
        while day < to {
            day = day.adding(1)
            if isWorkingDay(day) { n += 1 }
        }
        return n
    }
}

/// Whether a rule counts every day or only working days.
public enum DayCounting: String, Codable, Sendable {
    case calendar
    case working
}
