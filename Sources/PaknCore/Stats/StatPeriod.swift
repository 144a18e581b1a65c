/// A period that statistics and reports cover: an ISO week (Monday to Sunday), a month, a
/// quarter, or a range of days. Days are Vietnam civil days, both ends included.
public struct StatPeriod: Codable, Equatable, Hashable, Sendable {
    public enum Kind: String, Codable, Sendable, CaseIterable {
        case week, month, quarter, range
    }

    public var kind: Kind
    public var first: Day
    public var last: Day

    public init(kind: Kind, first: Day, last: Day) {
        self.kind = kind; self.first = first; self.last = min(max(first, last), first.adding(3660))
    }

    /// The number of days it spans.
    public var days: Int { last.ordinal - first.ordinal + 1 }

    public func contains(_ d: Day) -> Bool { first <= d && d <= last }

    // MARK: Making periods

    /// The ISO week holding `day`.
    public static func week(containing day: Day) -> StatPeriod {
        let monday = day.adding(1 - day.weekday)
        return StatPeriod(kind: .week, first: monday, last: monday.adding(6))
    }

    public static func month(containing day: Day) -> StatPeriod {
        month(year: day.year, month: day.month)!
    }

    public static func month(year: Int, month: Int) -> StatPeriod? {
        guard (1...12).contains(month), let first = Day(year: year, month: month, day: 1) else { return nil }
        let next = month == 12 ? Day(year: year + 1, month: 1, day: 1)! : Day(year: year, month: month + 1, day: 1)!
        return StatPeriod(kind: .month, first: first, last: next.adding(-1))
    }

    public static func quarter(containing day: Day) -> StatPeriod {
        quarter(year: day.year, quarter: (day.month - 1) / 3 + 1)!
    }

    public static func quarter(year: Int, quarter q: Int) -> StatPeriod? {
        guard (1...4).contains(q), let first = Day(year: year, month: 3 * q - 2, day: 1) else { return nil }
        let next = q == 4 ? Day(year: year + 1, month: 1, day: 1)! : Day(year: year, month: 3 * q + 1, day: 1)!
        return StatPeriod(kind: .quarter, first: first, last: next.adding(-1))
    }

    /// The period of `kind` holding `day` (a range: that day alone).
    public static func containing(_ day: Day, kind: Kind) -> StatPeriod {
        switch kind {
        case .week: week(containing: day)
        case .month: month(containing: day)
        case .quarter: quarter(containing: day)
        case .range: StatPeriod(kind: .range, first: day, last: day)
        }
    }

    /// ISO week-numbering year and week of a day.
    public static func isoWeek(of day: Day) -> (year: Int, week: Int) {
        let thursday = day.adding(4 - day.weekday)
        let y = thursday.year
        let jan1 = Day(year: y, month: 1, day: 1)!
        return (y, (thursday.ordinal - jan1.ordinal) / 7 + 1)
    }

    /// The Monday of ISO week `week` of `year`, or nil when the year has no such week.
    public static func isoWeek(year: Int, week: Int) -> StatPeriod? {
        guard (1...53).contains(week), let jan4 = Day(year: year, month: 1, day: 4) else { return nil }
        let monday = jan4.adding(1 - jan4.weekday).adding(7 * (week - 1))
        guard isoWeek(of: monday) == (year, week) else { return nil }
        return StatPeriod(kind: .week, first: monday, last: monday.adding(6))
    }

    /// Reads `2026-W49`, `2026-11`, `2026-Q4`, `2026-11-01..2026-11-15` (or one day
    /// `2026-11-05`). With `kind`, only that kind's form is accepted.
    public static func parse(_ text: String, kind: Kind? = nil) -> StatPeriod? {
        let t = text.trimmingCharacters(in: .whitespaces)
        guard !t.isEmpty, t.allSatisfy({ $0.isASCII }) else { return nil }
        func int(_ s: Substring) -> Int? { s.allSatisfy(\.isNumber) && !s.isEmpty && s.count <= 4 ? Int(s) : nil }
        if let r = t.range(of: "..") {
            guard kind == nil || kind == .range, let a = Day(String(t[..<r.lowerBound])), let b = Day(String(t[r.upperBound...])),
                  a <= b, b.ordinal - a.ordinal <= 3660 else { return nil }
            return StatPeriod(kind: .range, first: a, last: b)
        }
        let upper = t.uppercased()
        let parts = upper.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count >= 2, parts[0].count == 4, let year = int(parts[0]), year >= 1970 else { return nil }
        if parts.count == 3 {
            guard kind == nil || kind == .range, let d = Day(t) else { return nil }
            return StatPeriod(kind: .range, first: d, last: d)
        }
        guard parts.count == 2 else { return nil }
        let p = parts[1]
        if p.hasPrefix("W") {
            guard kind == nil || kind == .week, (2...3).contains(p.count), let w = int(p.dropFirst()) else { return nil }
            return isoWeek(year: year, week: w)
        }
        if p.hasPrefix("Q") {
            guard kind == nil || kind == .quarter, p.count == 2, let q = int(p.dropFirst()) else { return nil }
            return quarter(year: year, quarter: q)
        }
        guard kind == nil || kind == .month, p.count == 2, let m = int(p) else { return nil }
        return month(year: year, month: m)
    }

    // MARK: Moving

    /// The period `n` steps later (earlier when negative): the next week, month, quarter,
    /// or the range of the same length right after.
    public func stepped(_ n: Int) -> StatPeriod {
        switch kind {
        case .week:
            return StatPeriod(kind: .week, first: first.adding(7 * n), last: last.adding(7 * n))
        case .month:
            let index = first.year * 12 + (first.month - 1) + n
            return StatPeriod.month(year: Self.floorDiv(index, 12), month: index - 12 * Self.floorDiv(index, 12) + 1)!
        case .quarter:
            let index = first.year * 4 + (first.month - 1) / 3 + n
            return StatPeriod.quarter(year: Self.floorDiv(index, 4), quarter: index - 4 * Self.floorDiv(index, 4) + 1)!
        case .range:
            return StatPeriod(kind: .range, first: first.adding(days * n), last: last.adding(days * n))
        }
    }

    private static func floorDiv(_ a: Int, _ b: Int) -> Int { a >= 0 ? a / b : -((-a + b - 1) / b) }

    // MARK: Naming

    /// `2026-W49`, `2026-11`, `2026-Q4`, `2026-11-01..2026-11-15`: what `parse` reads.
    public var label: String {
        switch kind {
        case .week:
            let (y, w) = Self.isoWeek(of: first)
            return "\(y)-W\(Day.padded(w, 2))"
        case .month: return "\(first.year)-\(Day.padded(first.month, 2))"
        case .quarter: return "\(first.year)-Q\((first.month - 1) / 3 + 1)"
        case .range: return first == last ? first.description : "\(first)..\(last)"
        }
    }

    /// "Tuần 49/2026 (30/11/2026 – 06/12/2026)", "Tháng 11/2026", "Quý IV/2026", or the range.
    public func title(_ lang: Lang) -> String {
        let span = "\(first.vietnamese) – \(last.vietnamese)"
        switch kind {
        case .week:
            let (y, w) = Self.isoWeek(of: first)
            return L10n.t("stats.period.week", lang, w, y, span)
        case .month: return L10n.t("stats.period.month", lang, Day.padded(first.month, 2), first.year)
        case .quarter:
            let q = (first.month - 1) / 3 + 1
            return L10n.t("stats.period.quarter", lang, ["I", "II", "III", "IV"][q - 1], first.year)
        case .range: return first == last ? first.vietnamese : span
        }
    }

    /// A short name for a column or a chart's axis: "T49", "11/26", "Q4/26", "01/11".
    public var shortLabel: String {
        switch kind {
        case .week: return "W\(Day.padded(Self.isoWeek(of: first).week, 2))"
        case .month: return "\(Day.padded(first.month, 2))/\(Day.padded(first.year % 100, 2))"
        case .quarter: return "Q\((first.month - 1) / 3 + 1)/\(Day.padded(first.year % 100, 2))"
        case .range: return "\(Day.padded(first.dayOfMonth, 2))/\(Day.padded(first.month, 2))"
        }
    }
}
