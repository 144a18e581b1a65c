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
///
/// A rule with an acceptance step (thụ lý) gives a case two clocks in turn: until it is
/// accepted, the acceptance limit counted from receipt (`acceptDays`); from the day of
/// acceptance, the resolution limit (`days`), `start` then being that day.
public struct Deadline: Codable, Equatable, Sendable {
    public var ruleId: String
    public var counting: DayCounting
    /// The day the clock started: receipt (or reopening); once accepted, the day of acceptance.
    public var start: Day
    /// Days the rule allows, for this case's complexity and area.
    public var days: Int
    /// Days added by extensions.
    public var extendedDays: Int
    public var extensions: Int
    /// Counted days spent awaiting the citizen's information (or suspended).
    public var pausedDays: Int
    /// Set while the clock is paused.
    public var pausedSince: Day?
    /// Days allowed to accept the case, counted from `start` (nil: no acceptance step).
    public var acceptDays: Int?
    /// How acceptance days are counted, when it differs from `counting`.
    public var acceptCounting: DayCounting?
    /// The day the case was accepted.
    public var acceptedOn: Day?
    /// Civil Code art. 148(5): a last day that is a day off moves to the next working day.
    public var rollover: Bool

    public init(ruleId: String, counting: DayCounting, start: Day, days: Int,
                extendedDays: Int = 0, extensions: Int = 0, pausedDays: Int = 0, pausedSince: Day? = nil,
                acceptDays: Int? = nil, acceptCounting: DayCounting? = nil, acceptedOn: Day? = nil, rollover: Bool = false) {
        self.ruleId = ruleId; self.counting = counting; self.start = start; self.days = days
        self.extendedDays = extendedDays; self.extensions = extensions
        self.pausedDays = pausedDays; self.pausedSince = pausedSince
        self.acceptDays = acceptDays; self.acceptCounting = acceptCounting; self.acceptedOn = acceptedOn
        self.rollover = rollover
    }

    /// The clock for a new case under `rule`.
    public init(rule: DeadlineRule, start: Day, complex: Bool, remote: Bool) {
        self.init(ruleId: rule.id, counting: rule.counting, start: start,
                  days: rule.resolutionDays(complex: complex, remote: remote),
                  acceptDays: rule.acceptanceDays,
                  acceptCounting: rule.acceptanceCounting.flatMap { $0 == rule.counting ? nil : $0 },
                  rollover: rule.lastDayOffMovesToNextWorkingDay)
    }

    /// Waiting to be accepted: the acceptance clock runs, the resolution clock has not started.
    public var awaitingAcceptance: Bool { acceptDays != nil && acceptedOn == nil }

    /// How the running clock counts: the acceptance counting until accepted.
    public var runningCounting: DayCounting { awaitingAcceptance ? (acceptCounting ?? counting) : counting }

    /// The last day the answer (or, before acceptance, the acceptance) is on time. Pauses
    /// push it back by the days they lasted.
    public func dueDay(in calendar: WorkingCalendar) -> Day {
        if let a = acceptDays, acceptedOn == nil {
            return settled(calendar.add(a, to: start, counting: acceptCounting ?? counting), calendar)
        }
        return settled(calendar.add(days + extendedDays + pausedDays, to: start, counting: counting), calendar)
    }

    /// The resolution's last day if the case were accepted on `day`.
    public func resolutionDueDay(acceptedOn day: Day, in calendar: WorkingCalendar) -> Day {
        settled(calendar.add(days + extendedDays + pausedDays, to: day, counting: counting), calendar)
    }

    private func settled(_ day: Day, _ calendar: WorkingCalendar) -> Day {
        guard rollover else { return day }
        var d = day
        // A year of days off in a row does not exist; the bound only guards bad data.
        for _ in 0..<366 where !calendar.isWorkingDay(d) { d = d.adding(1) }
        return d
    }

    /// One line for the history: "feedback-local working 2026-11-23 +10 ext 0/0 paused 0",
    /// then, when they apply, "since DAY", "accept N [COUNTING]", "accepted DAY", "roll".
    public var compact: String {
        let id = ruleId.utf8.contains(where: { $0 == 0x25 || $0 == 0x20 })
            ? ruleId.replacingOccurrences(of: "%", with: "%25").replacingOccurrences(of: " ", with: "%20") : ruleId
        var s = "\(id) \(counting.rawValue) \(start) +\(days) ext \(extendedDays)/\(extensions) paused \(pausedDays)"
        if let p = pausedSince { s += " since \(p)" }
        if let a = acceptDays {
            s += " accept \(a)"
            if let c = acceptCounting { s += " \(c.rawValue)" }
        }
        if let d = acceptedOn { s += " accepted \(d)" }
        if rollover { s += " roll" }
        return s
    }

    /// Reads `compact` back.
    public init?(compact: String) {
        let f = compact.split(separator: " ").map(String.init)
        guard f.count >= 8, f[4] == "ext", f[6] == "paused", f[3].hasPrefix("+"),
              let counting = DayCounting(rawValue: f[1]), let start = Day(f[2]), let days = Int(f[3].dropFirst()),
              let paused = Int(f[7]) else { return nil }
        let ext = f[5].split(separator: "/").compactMap { Int($0) }
        guard ext.count == 2 else { return nil }
        var since: Day?, acceptDays: Int?, acceptCounting: DayCounting?, acceptedOn: Day?, roll = false
        var i = 8
        while i < f.count {
            switch f[i] {
            case "since":
                guard i + 1 < f.count, let d = Day(f[i + 1]) else { return nil }
                since = d; i += 2
            case "accept":
                guard i + 1 < f.count, let n = Int(f[i + 1]) else { return nil }
                acceptDays = n; i += 2
                if i < f.count, let c = DayCounting(rawValue: f[i]) { acceptCounting = c; i += 1 }
            case "accepted":
                guard i + 1 < f.count, let d = Day(f[i + 1]) else { return nil }
                acceptedOn = d; i += 2
            case "roll":
                roll = true; i += 1
            default:
                return nil
            }
        }
        let id = f[0].replacingOccurrences(of: "%20", with: " ").replacingOccurrences(of: "%25", with: "%")
        self.init(ruleId: id, counting: counting, start: start, days: days, extendedDays: ext[0], extensions: ext[1],
                  pausedDays: paused, pausedSince: since, acceptDays: acceptDays, acceptCounting: acceptCounting,
                  acceptedOn: acceptedOn, rollover: roll)
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

    /// Accepted on `day`: the resolution clock starts that day.
    public func accepted(on day: Day) -> Deadline {
        var d = self
        d.acceptedOn = day
        d.start = day
        return d
    }
}

/// The deadline as a person reads it: state plus days left (or days late).
public struct DeadlineStatus: Equatable, Sendable, Codable {
    public var state: DueState
    public var dueDay: Day
    /// Counted days left until the due day; negative when overdue.
    public var daysLeft: Int
    /// The due day is the acceptance's (thụ lý): the case is not accepted yet.
    public var acceptance: Bool
    /// How `daysLeft` counts (working or calendar days).
    public var counting: DayCounting

    public init(state: DueState, dueDay: Day, daysLeft: Int, acceptance: Bool = false, counting: DayCounting = .calendar) {
        self.state = state; self.dueDay = dueDay; self.daysLeft = daysLeft
        self.acceptance = acceptance; self.counting = counting
    }

    /// Computes the state of a case's deadline on `today`.
    public static func of(_ deadline: Deadline, status: CaseStatus, today: Day,
                          calendar: WorkingCalendar, dueSoonDays: Int) -> DeadlineStatus {
        let due = deadline.dueDay(in: calendar)
        let counting = deadline.runningCounting
        let acceptance = deadline.awaitingAcceptance && status.isOpen
        let left = calendar.count(from: today, to: due, counting: counting)
        let state: DueState
        if !status.isOpen {
            state = .done
        } else if deadline.pausedSince != nil || status == .awaitingInfo {
            state = .paused
        } else if today > due {
            state = .overdue
            // Late on a day off right after the due day: still at least a day late.
            return DeadlineStatus(state: state, dueDay: due, daysLeft: min(left, -1), acceptance: acceptance, counting: counting)
        } else if left <= dueSoonDays {
            state = .dueSoon
        } else {
            state = .ok
        }
        return DeadlineStatus(state: state, dueDay: due, daysLeft: left, acceptance: acceptance, counting: counting)
    }
}
