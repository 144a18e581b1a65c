import Foundation

/// How urgent a case is, shown in colour everywhere a deadline appears.
public enum DueState: String, Codable, Sendable, CaseIterable {
    case ok
    case dueSoon = "due_soon"
    case overdue
    case paused
    case done
}

/// The clock of one case: when it started, what it allows, and how long it stood still.
public struct Deadline: Codable, Equatable, Sendable {
    public var ruleId: String
    public var counting: DayCounting
    /// The day the clock started (receipt, or reopening).
    public var start: Day
    /// Days the rule allows, for this case's complexity and area.
    public var days: Int
    /// Days added by extensions.
    public var extendedDays: Int
    public var extensions: Int
    /// Counted days spent awaiting the citizen's information.
    public var pausedDays: Int
    /// Set while the clock is paused.
    public var pausedSince: Day?

    public init(ruleId: String, counting: DayCounting, start: Day, days: Int,
                extendedDays: Int = 0, extensions: Int = 0, pausedDays: Int = 0, pausedSince: Day? = nil) {
        self.ruleId = ruleId; self.counting = counting; self.start = start; self.days = days
        self.extendedDays = extendedDays; self.extensions = extensions
        self.pausedDays = pausedDays; self.pausedSince = pausedSince
    }

    /// The clock for a new case under `rule`.
    public init(rule: DeadlineRule, start: Day, complex: Bool, remote: Bool) {
        self.init(ruleId: rule.id, counting: rule.counting, start: start,
                  days: rule.resolutionDays(complex: complex, remote: remote))
    }

    /// The last day the answer is on time. Pauses push it back by the days they lasted.
    public func dueDay(in calendar: WorkingCalendar) -> Day {
        calendar.add(days + extendedDays + pausedDays, to: start, counting: counting)
    }

    /// One line for the history: "feedback-local working 2026-11-23 +10 ext 0/0 paused 0".
    public var compact: String {
        let id = ruleId.replacingOccurrences(of: "%", with: "%25").replacingOccurrences(of: " ", with: "%20")
        var s = "\(id) \(counting.rawValue) \(start) +\(days) ext \(extendedDays)/\(extensions) paused \(pausedDays)"
        if let p = pausedSince { s += " since \(p)" }
        return s
    }

    /// Reads `compact` back.
    public init?(compact: String) {
        let f = compact.split(separator: " ").map(String.init)
        guard f.count == 8 || f.count == 10, f[4] == "ext", f[6] == "paused", f[3].hasPrefix("+"),
              let counting = DayCounting(rawValue: f[1]), let start = Day(f[2]), let days = Int(f[3].dropFirst()),
              let paused = Int(f[7]) else { return nil }
        let ext = f[5].split(separator: "/").compactMap { Int($0) }
        guard ext.count == 2 else { return nil }
        var since: Day?
        if f.count == 10 {
            guard f[8] == "since", let d = Day(f[9]) else { return nil }
            since = d
        }
        let id = f[0].replacingOccurrences(of: "%20", with: " ").replacingOccurrences(of: "%25", with: "%")
        self.init(ruleId: id, counting: counting, start: start, days: days, extendedDays: ext[0], extensions: ext[1],
                  pausedDays: paused, pausedSince: since)
    }

    /// Stops the clock.
    public func paused(on day: Day) -> Deadline {
        var d = self
        if d.pausedSince == nil { d.pausedSince = day }
        return d
    }

    /// Restarts the clock, adding the counted days it stood still.
    public func resumed(on day: Day, in calendar: WorkingCalendar) -> Deadline {
        var d = self
        if let since = d.pausedSince {
            d.pausedDays += max(0, calendar.count(from: since, to: day, counting: counting))
            d.pausedSince = nil
        }
        return d
    }
}

/// The deadline as a person reads it: state plus days left (or days late).
public struct DeadlineStatus: Equatable, Sendable, Codable {
    public var state: DueState
    public var dueDay: Day
    /// Counted days left until the due day; negative when overdue.
    public var daysLeft: Int
    /// How `daysLeft` is counted: working days are said as such ("còn 3 ngày làm việc").
    public var counting: DayCounting

    public init(state: DueState, dueDay: Day, daysLeft: Int, counting: DayCounting = .calendar) {
        self.state = state; self.dueDay = dueDay; self.daysLeft = daysLeft; self.counting = counting
    }

    /// Computes the state of a case's deadline on `today`.
    public static func of(_ deadline: Deadline, status: CaseStatus, today: Day,
                          calendar: WorkingCalendar, dueSoonDays: Int) -> DeadlineStatus {
        let due = deadline.dueDay(in: calendar)
        let left = calendar.count(from: today, to: due, counting: deadline.counting)
        let state: DueState
        if !status.isOpen {
            state = .done
        } else if deadline.pausedSince != nil || status == .awaitingInfo {
            state = .paused
        } else if today > due {
            state = .overdue
            // Late on a day off right after the due day: still at least a day late.
            return DeadlineStatus(state: state, dueDay: due, daysLeft: min(left, -1), counting: deadline.counting)
        } else if left <= dueSoonDays {
            state = .dueSoon
        } else {
            state = .ok
        }
        return DeadlineStatus(state: state, dueDay: due, daysLeft: left, counting: deadline.counting)
    }
}
