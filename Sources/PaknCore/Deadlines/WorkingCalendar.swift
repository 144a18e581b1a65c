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

    public init(exceptions: [CalendarException]) {
        var map: [Day: CalendarException] = [:]
        for e in exceptions { map[e.day] = e }
        self.exceptions = map
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
            var n = 0
            var day = from
            while day < to {
                day = day.adding(1)
                if isWorkingDay(day) { n += 1 }
            }
            return n
        }
    }
}

/// Whether a rule counts every day or only working days.
public enum DayCounting: String, Codable, Sendable {
    case calendar
    case working
}
