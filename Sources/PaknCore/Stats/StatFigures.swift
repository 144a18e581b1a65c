import Foundation

/// The figures of a unit (or of one category, one channel) for a period. Every field is a
/// count or a histogram, so figures add up: a province's figures are the sum of its units',
/// and a parent office's report adds the ones its children sent (`add`). Rates, averages
/// and the 90th percentile are computed from the sums, never averaged.
///
/// Definitions (docs/desk-guide.md, "Statistics"):
/// - *received*: cases received in the period;
/// - *resolved*: cases whose (latest) answer was given in the period; *on time*: answered by
///   the end of their due day under the rule they ran by (`byRule`);
/// - *rejected*: refused in the period;
/// - *open, overdue, paused now*: at the moment the figures were made, whatever the period;
/// - *working days to resolve*: from the day received to the day answered, counted on the
///   working calendar (holidays and swapped days);
/// - *ratings*: given in the period; *satisfied*: 4 or 5; reasons are those of ratings of 3
///   or less; a rating at or below the reopening threshold reopened its case.
public struct StatFigures: Codable, Equatable, Sendable {
    public var received = 0
    public var receivedByKind: [String: Int] = [:]
    public var receivedByChannel: [String: Int] = [:]
    public var resolved = 0
    public var onTime = 0
    public var rejected = 0
    /// Resolved and on time, by the deadline rule the cases ran under.
    public var byRule: [String: RuleFigures] = [:]
    /// Resolved cases by working days from receipt to answer: index = days; the last
    /// index holds `histogramCap` days or more.
    public var resolveDays: [Int] = []
    public var openNow = 0
    public var overdueNow = 0
    public var pausedNow = 0
    /// Overdue cases by working days past their due day (index = days, capped likewise).
    public var overdueDays: [Int] = []
    /// Ratings by score: index 0 is 1 star, index 4 is 5 stars.
    public var ratings: [Int] = [0, 0, 0, 0, 0]
    /// Reasons given with ratings of 3 or less.
    public var lowReasons: [String: Int] = [:]
    /// Ratings that reopened their case (at or below the policy's threshold).
    public var reopenedAfterLowRating = 0

    public static let histogramCap = 400

    public init() {}

    public struct RuleFigures: Codable, Equatable, Sendable {
        public var resolved: Int
        public var onTime: Int
        public init(resolved: Int = 0, onTime: Int = 0) { self.resolved = resolved; self.onTime = onTime }
        public var rate: Double? { resolved > 0 ? Double(onTime) / Double(resolved) : nil }
    }

    // MARK: Adding up

    public mutating func add(_ o: StatFigures) {
        received += o.received
        for (k, v) in o.receivedByKind { receivedByKind[k, default: 0] += v }
        for (k, v) in o.receivedByChannel { receivedByChannel[k, default: 0] += v }
        resolved += o.resolved
        onTime += o.onTime
        rejected += o.rejected
        for (k, v) in o.byRule {
            byRule[k, default: RuleFigures()].resolved += v.resolved
            byRule[k, default: RuleFigures()].onTime += v.onTime
        }
        Self.addHistogram(&resolveDays, o.resolveDays)
        openNow += o.openNow
        overdueNow += o.overdueNow
        pausedNow += o.pausedNow
        Self.addHistogram(&overdueDays, o.overdueDays)
        Self.addHistogram(&ratings, o.ratings)
        for (k, v) in o.lowReasons { lowReasons[k, default: 0] += v }
        reopenedAfterLowRating += o.reopenedAfterLowRating
    }

    public static func + (a: StatFigures, b: StatFigures) -> StatFigures {
        var s = a
        s.add(b)
        return s
    }

    static func addHistogram(_ h: inout [Int], _ o: [Int]) {
        if h.count < o.count { h += Array(repeating: 0, count: o.count - h.count) }
        for (i, v) in o.enumerated() { h[i] += v }
    }

    /// Counts `n` cases at `days` in a histogram (capped at `histogramCap`).
    public static func count(_ h: inout [Int], days: Int, _ n: Int = 1) {
        let i = min(max(0, days), histogramCap)
        if h.count <= i { h += Array(repeating: 0, count: i + 1 - h.count) }
        h[i] += n
    }

    // MARK: What is read from them

    /// Share of resolved cases answered on time, nil without any resolved.
    public var onTimeRate: Double? { resolved > 0 ? Double(onTime) / Double(resolved) : nil }

    public var averageResolveDays: Double? { Self.mean(resolveDays) }
    /// The 90th percentile (nearest rank) of working days to resolve.
    public var p90ResolveDays: Int? { Self.quantile(resolveDays, 0.9) }
    public var medianResolveDays: Int? { Self.quantile(resolveDays, 0.5) }

    public var rated: Int { ratings.reduce(0, +) }
    /// Share of ratings of 4 or 5.
    public var satisfiedShare: Double? { rated > 0 ? Double(ratings[3] + ratings[4]) / Double(rated) : nil }
    public var meanRating: Double? {
        rated > 0 ? Double(ratings.enumerated().reduce(0) { $0 + ($1.offset + 1) * $1.element }) / Double(rated) : nil
    }

    public var averageOverdueDays: Double? { Self.mean(overdueDays) }
    public var maxOverdueDays: Int? { overdueDays.lastIndex { $0 > 0 } }

    /// Overdue cases by how long: up to 5 working days, 6–10, 11–20, more than 20.
    public var overdueBuckets: [Int] {
        var b = [0, 0, 0, 0]
        for (d, n) in overdueDays.enumerated() {
            b[d <= 5 ? 0 : d <= 10 ? 1 : d <= 20 ? 2 : 3] += n
        }
        return b
    }

    static func mean(_ h: [Int]) -> Double? {
        let n = h.reduce(0, +)
        guard n > 0 else { return nil }
        return Double(h.enumerated().reduce(0) { $0 + $1.offset * $1.element }) / Double(n)
    }

    static func quantile(_ h: [Int], _ q: Double) -> Int? {
        let n = h.reduce(0, +)
        guard n > 0 else { return nil }
        let rank = max(1, Int((q * Double(n)).rounded(.up)))
        var seen = 0
        for (d, c) in h.enumerated() {
            seen += c
            if seen >= rank { return d }
        }
        return h.count - 1
    }

    /// Whether nothing at all was counted.
    public var isEmpty: Bool { self == StatFigures() }
}

/// One line of a breakdown: a unit (with its subtree), a category or a channel.
extension StatFigures {
    /// One row of the rating counters (`stat_rating`: a score with an empty reason counts
    /// ratings, with a reason counts that reason of a low rating) as figures, or nil for a
    /// row that adds nothing. Both engines read their counters through this.
    public static func rating(score: Int, reason: String, n: Int, reopenAtOrBelow: Int) -> StatFigures? {
        guard (1...5).contains(score) else { return nil }
        var f = StatFigures()
        if reason.isEmpty {
            f.ratings[score - 1] = n
            if score <= reopenAtOrBelow { f.reopenedAfterLowRating = n }
        } else if score <= 3 {
            f.lowReasons[reason] = n
        } else {
            return nil
        }
        return f
    }
}

public struct StatRow: Codable, Equatable, Sendable {
    public enum Dimension: String, Codable, Sendable, CaseIterable { case unit, category, channel }
    public var dimension: Dimension
    /// The unit's code, the category's code, the channel's code; for a unit's own cases
    /// (not those of its children), the unit's code too, with `own` set.
    public var key: String
    public var label: String
    /// The English name, where there is one (categories).
    public var labelEn: String?
    public var unitId: Int64?
    /// Whether the unit has units under it (Enter drills down).
    public var hasChildren: Bool
    /// The row holds the cases of the unit itself, not of a child unit.
    public var own: Bool
    /// The row comes from a report a child office sent (`pakn report import`).
    public var imported: Bool
    public var figures: StatFigures

    public init(dimension: Dimension, key: String, label: String, labelEn: String? = nil, unitId: Int64? = nil,
                hasChildren: Bool = false, own: Bool = false, imported: Bool = false, figures: StatFigures) {
        self.dimension = dimension; self.key = key; self.label = label; self.labelEn = labelEn; self.unitId = unitId
        self.hasChildren = hasChildren; self.own = own; self.imported = imported; self.figures = figures
    }
}

extension StatRow {
    /// The row's name in `lang`: a channel's from the catalog, a category's English name,
    /// a unit's own name (with "(own cases)" for the unit's own row).
    public func name(_ lang: Lang) -> String {
        switch dimension {
        case .channel: return L10n.has("channel.\(key)") ? L10n.t("channel.\(key)", lang) : key
        case .category: return lang == .en ? (labelEn ?? label) : label
        case .unit: return own ? L10n.t("stats.row.own", lang, label) : label
        }
    }
}

/// Received and resolved in one week, for the sparkline.
public struct StatTrendPoint: Codable, Equatable, Sendable {
    public var period: StatPeriod
    public var received: Int
    public var resolved: Int
    public init(period: StatPeriod, received: Int, resolved: Int) {
        self.period = period; self.received = received; self.resolved = resolved
    }
}

/// A unit as a report names it.
public struct StatUnit: Codable, Equatable, Sendable {
    public var code: String
    public var name: String
    public var level: UnitLevel
    public init(code: String, name: String, level: UnitLevel) { self.code = code; self.name = name; self.level = level }
}

/// An overdue case as a report lists it: no title, no citizen, only what a supervisor
/// upward needs to chase it.
public struct StatOverdueCase: Codable, Equatable, Sendable {
    public var code: String
    public var unitCode: String
    public var unitLabel: String
    public var category: String
    public var kind: CaseKind
    public var status: CaseStatus
    public var received: Day
    public var due: Day
    /// Working days past the due day.
    public var workingDaysOver: Int
    /// The unit whose imported report listed it; nil for a case of this database.
    public var reportedBy: String?
    public init(code: String, unitCode: String, unitLabel: String, category: String, kind: CaseKind, status: CaseStatus,
                received: Day, due: Day, workingDaysOver: Int) {
        self.code = code; self.unitCode = unitCode; self.unitLabel = unitLabel; self.category = category; self.kind = kind
        self.status = status; self.received = received; self.due = due; self.workingDaysOver = workingDaysOver
    }
}

/// A report a child office sent that this report includes.
public struct StatImported: Codable, Equatable, Sendable {
    public var unit: StatUnit
    public var madeBy: String
    public var madeAt: Date
    public var chainHead: String
    public var digest: String
    public var importedAt: Date
    public init(unit: StatUnit, madeBy: String, madeAt: Date, chainHead: String, digest: String, importedAt: Date) {
        self.unit = unit; self.madeBy = madeBy; self.madeAt = madeAt; self.chainHead = chainHead; self.digest = digest
        self.importedAt = importedAt
    }
}

/// The statistics of a unit for a period: what the desk's statistics view shows and what
/// `pakn report` prints, exports and sends upward.
public struct StatReport: Codable, Equatable, Sendable {
    public var unit: StatUnit
    public var period: StatPeriod
    /// When the figures were made: "now" of the open, overdue and paused counts; the last
    /// day the period's figures cover is the earlier of this day and the period's end.
    public var asOf: Date
    public var madeBy: String
    public var madeByName: String
    /// The head of the case history's chain the figures were computed from.
    public var chainHead: String
    /// The database's own cases and every report included.
    public var totals: StatFigures
    public var byUnit: [StatRow]
    public var byCategory: [StatRow]
    public var byChannel: [StatRow]
    /// Received and resolved per week, up to the period's end.
    public var trend: [StatTrendPoint]
    public var overdueCases: [StatOverdueCase]
    /// How many overdue cases there are in all (the list may be cut).
    public var overdueCaseCount: Int
    public var imported: [StatImported]
    /// Child units with neither cases in this database nor a report imported for the period.
    public var notReported: [StatUnit]
    /// The policy's reopening threshold the figures were read with.
    public var reopenAtOrBelow: Int
    /// Cases the unit's offices escalated or transferred outside its subtree in the period
    /// (nil in a report made before pakn counted them).
    public var sentUp: Int?

    public init(unit: StatUnit, period: StatPeriod, asOf: Date, madeBy: String, madeByName: String, chainHead: String,
                totals: StatFigures, byUnit: [StatRow] = [], byCategory: [StatRow] = [], byChannel: [StatRow] = [],
                trend: [StatTrendPoint] = [], overdueCases: [StatOverdueCase] = [], overdueCaseCount: Int = 0,
                imported: [StatImported] = [], notReported: [StatUnit] = [], reopenAtOrBelow: Int = 2) {
        self.unit = unit; self.period = period; self.asOf = asOf; self.madeBy = madeBy; self.madeByName = madeByName
        self.chainHead = chainHead; self.totals = totals; self.byUnit = byUnit; self.byCategory = byCategory
        self.byChannel = byChannel; self.trend = trend; self.overdueCases = overdueCases
        self.overdueCaseCount = overdueCaseCount; self.imported = imported; self.notReported = notReported
        self.reopenAtOrBelow = reopenAtOrBelow
    }

    /// The rows of one breakdown.
    public func rows(_ d: StatRow.Dimension) -> [StatRow] {
        switch d {
        case .unit: byUnit
        case .category: byCategory
        case .channel: byChannel
        }
    }

    /// The last day the period's figures cover (the period's end, or today when it has not ended).
    public var lastDayCovered: Day { min(period.last, Day(asOf)) }
}
