import Foundation
import PaknCore
import PaknStoreAPI

/// A column of the statistics breakdown, which it can be sorted by.
public enum StatColumn: String, CaseIterable, Sendable {
    case name, received, resolved, onTime = "on_time", late, overdue, open, paused, avgDays = "avg_days", satisfied

    /// The sort key of a row (names sort as text, see `StatsScreen.rows`).
    func value(_ r: StatRow) -> Double {
        let f = r.figures
        switch self {
        case .name: return 0
        case .received: return Double(f.received)
        case .resolved: return Double(f.resolved)
        case .onTime: return f.onTimeRate ?? -1
        case .late: return Double(f.resolved - f.onTime)
        case .overdue: return Double(f.overdueNow)
        case .open: return Double(f.openNow)
        case .paused: return Double(f.pausedNow)
        case .avgDays: return f.averageResolveDays ?? -1
        case .satisfied: return f.satisfiedShare ?? -1
        }
    }

    /// Columns that a category or channel row has: no ratings (a rating is counted for a
    /// unit only) and no working days to resolve (`stat_span` has no category or channel).
    func applies(to d: StatRow.Dimension) -> Bool { d == .unit || (self != .avgDays && self != .satisfied) }

    /// The cases `l` lists for the figure of this column (the selected figure): the name
    /// column has none of its own and lists the cases received; the working days to
    /// resolve are those of the cases resolved; satisfaction, the cases rated.
    public var listed: StatColumn {
        switch self {
        case .name: .received
        case .avgDays: .resolved
        default: self
        }
    }
}

/// The cases behind a statistics figure, as a queue (`l` on the statistics screen): the
/// figure, its period, and for a channel row the channel (a unit row narrows the queue by
/// `QueueSpec.group`, a category row by `QueueSpec.category`).
public struct StatsList: Equatable, Sendable {
    /// One of received, resolved, on time, late, overdue, open, paused, satisfied (rated).
    public var figure: StatColumn
    public var period: StatPeriod
    /// What the row was: a unit's, a category's or a channel's name.
    public var scope: String
    public var channel: String?
    /// The row of a unit's own cases (not those of the units below it).
    public var ownUnit: Int64?

    public init(figure: StatColumn, period: StatPeriod, scope: String, channel: String? = nil) {
        self.figure = figure.listed; self.period = period; self.scope = scope; self.channel = channel
    }

    /// Narrows a queue filter to the cases the figure counts: the same instants as the
    /// counters' Vietnam days (`StatSchema`), overdue as "due before today, not paused".
    public func apply(_ f: inout QueueFilter, now: Date) {
        let from = period.first.start, before = Day(ordinal: period.last.ordinal + 1).start
        if let channel { f.channel = channel }
        if let ownUnit { f.handledBy = ownUnit }
        switch figure {
        case .received, .name:
            f.receivedFrom = from; f.receivedBefore = before
        case .resolved, .avgDays:
            f.resolvedFrom = from; f.resolvedBefore = before
        case .onTime, .late:
            f.resolvedFrom = from; f.resolvedBefore = before
            f.resolvedOnTime = figure == .onTime
        case .overdue:
            f.openOnly = true
            f.clockRunning = true
            f.dueBefore = Day(now).start.addingTimeInterval(-1)
        case .open:
            f.openOnly = true
        case .paused:
            f.statuses = [.awaitingInfo]
        case .satisfied:
            f.ratedFrom = from; f.ratedBefore = before
        }
    }

    /// "Received 2026-Q4 · Phường Hoàn Kiếm": what the queue shows.
    public func title(_ lang: Lang) -> String {
        let now = [.overdue, .open, .paused].contains(figure)
        return L10n.t("stats.list.\(figure.rawValue)", lang, now ? "" : period.label).trimmingCharacters(in: .whitespaces)
            + " · " + scope
    }
}

/// Where Esc (or `S`) from a statistics list goes back to: the screen as it was, and the
/// queue that was shown before it.
public struct StatsReturn: Equatable, Sendable {
    public var screen: StatsScreen
    public var spec: QueueSpec
}

/// What the statistics screen asks the store for.
public struct StatsRequest: Equatable, Sendable {
    public var generation: Int
    public var unitId: Int64?
    /// Nil: the current period of `kind` (the runner knows today).
    public var period: StatPeriod?
    public var kind: StatPeriod.Kind
}

/// The statistics screen (`t`, `:stats`): the figures of a unit and its units for a period,
/// its breakdowns, charts; `[`/`]` step the period, Enter drills into a unit, Backspace goes up.
public struct StatsScreen: Equatable, Sendable {
    public var kind: StatPeriod.Kind = .month
    /// Nil until the first answer: the current period of `kind`.
    public var period: StatPeriod?
    /// The unit shown; nil: the official's own.
    public var unit: UnitRef?
    /// The units drilled down from, for Backspace.
    public var trail: [UnitRef?] = []
    public var dimension: StatRow.Dimension = .unit
    public var sort: StatColumn = .received
    public var descending = true
    public var selected = 0
    public var top = 0
    public var report: StatReport?
    public var generation = 0
    public var loading = false

    public init(kind: StatPeriod.Kind = .month, period: StatPeriod? = nil) { self.kind = kind; self.period = period }

    /// The rows of the breakdown shown, in the chosen order.
    public var rows: [StatRow] {
        let rows = report?.rows(dimension) ?? []
        let col = sort.applies(to: dimension) ? sort : .received
        return rows.sorted { a, b in
            if col == .name {
                let x = a.label.lowercased(), y = b.label.lowercased()
                return descending ? (x, a.key) > (y, b.key) : (x, a.key) < (y, b.key)
            }
            let x = col.value(a), y = col.value(b)
            if x != y { return descending ? x > y : x < y }
            return a.key < b.key
        }
    }

    public var selectedRow: StatRow? {
        let r = rows
        return r.indices.contains(selected) ? r[selected] : nil
    }

    /// Today, as the last figures were made (periods after it have no figures).
    var today: Day? { report.map { Day($0.asOf) } }
}

extension DeskUpdate {
    /// `t` / `:stats [week|month|quarter|range|PERIOD]`: opens (or, from the screen, closes) the statistics.
    static func openStats(_ s: inout DeskState, arg: String?) -> [DeskEffect] {
        if s.stats == nil, s.statsReturn != nil, (arg ?? "").trimmingCharacters(in: .whitespaces).isEmpty {
            return returnToStats(&s)
        }
        var screen = s.stats ?? StatsScreen(kind: s.lastStatsKind)
        if let a = arg?.trimmingCharacters(in: .whitespaces), !a.isEmpty {
            let word = a.lowercased()
            if let k = StatPeriod.Kind(rawValue: word), k != .range {
                screen.kind = k
                screen.period = nil
            } else if let k = ["tuan": StatPeriod.Kind.week, "thang": .month, "quy": .quarter][VietnameseFold.fold(word)] {
                screen.kind = k
                screen.period = nil
            } else if let p = StatPeriod.parse(a) {
                if let today = screen.today, p.first > today {
                    s.notice = .error("stats.period.future", p.label)
                    return []
                }
                screen.kind = p.kind
                screen.period = p
            } else {
                s.notice = .error("stats.period.bad", a, "week, month, quarter, 2026-W49, 2026-11, 2026-Q4, 2026-11-01..2026-11-15")
                return []
            }
        } else if s.stats != nil {
            return closeStats(&s)
        }
        s.stats = screen
        return loadStats(&s)
    }

    static func closeStats(_ s: inout DeskState) -> [DeskEffect] {
        if let k = s.stats?.kind, k != .range { s.lastStatsKind = k }
        s.stats = nil
        return []
    }

    static func loadStats(_ s: inout DeskState) -> [DeskEffect] {
        guard var screen = s.stats else { return [] }
        screen.generation += 1
        screen.loading = true
        s.stats = screen
        return [.loadStats(StatsRequest(generation: screen.generation, unitId: screen.unit?.id, period: screen.period,
                                        kind: screen.kind))]
    }

    static func statsLoaded(_ s: inout DeskState, _ generation: Int, _ r: StatReport) -> [DeskEffect] {
        guard var screen = s.stats, screen.generation == generation else { return [] }
        screen.report = r
        screen.period = r.period
        screen.loading = false
        screen.selected = min(screen.selected, max(0, screen.rows.count - 1))
        s.stats = screen
        clampStats(&s)
        return []
    }

    static func statsFailed(_ s: inout DeskState, _ generation: Int, _ n: Notice) -> [DeskEffect] {
        guard var screen = s.stats, screen.generation == generation else { return [] }
        screen.loading = false
        // Back to the period shown (one that was refused).
        if let r = screen.report { screen.period = r.period }
        s.stats = screen
        s.notice = n
        return []
    }

    /// Rows of the breakdown visible on screen (as the view lays them out).
    static func statsVisibleRows(_ s: DeskState) -> Int { StatsLayout(width: s.width, height: s.height).tableRows }

    static func clampStats(_ s: inout DeskState) {
        guard var screen = s.stats else { return }
        let n = screen.rows.count
        screen.selected = max(0, min(screen.selected, n - 1))
        let visible = statsVisibleRows(s)
        if screen.selected < screen.top { screen.top = screen.selected }
        if screen.selected >= screen.top + visible { screen.top = screen.selected - visible + 1 }
        screen.top = max(0, min(screen.top, max(0, n - visible)))
        s.stats = screen
    }

    /// A key on the statistics screen.
    static func statsAction(_ s: inout DeskState, _ id: ActionID, arg: String?) -> [DeskEffect]? {
        guard var screen = s.stats else { return nil }
        let page = max(1, statsVisibleRows(s) - 1)
        switch id {
        case .stats, .statsClose:
            return closeStats(&s)
        case .statsPrev, .statsNext:
            guard let p = screen.period else { return [] }
            let next = p.stepped(id == .statsNext ? 1 : -1)
            if let today = screen.today, next.first > today {
                s.notice = .error("stats.period.future", next.label)
                return []
            }
            screen.period = next
            s.stats = screen
            return loadStats(&s)
        case .statsPeriod:
            let kinds: [StatPeriod.Kind] = [.week, .month, .quarter]
            let i = kinds.firstIndex(of: screen.kind) ?? 0
            screen.kind = kinds[(i + 1) % kinds.count]
            // The new kind's period holding the last day shown.
            let anchor = screen.report.map { $0.lastDayCovered } ?? screen.period?.last
            screen.period = anchor.map { StatPeriod.containing($0, kind: screen.kind) }
            s.stats = screen
            return loadStats(&s)
        case .statsDimension:
            let all = StatRow.Dimension.allCases
            screen.dimension = all[((all.firstIndex(of: screen.dimension) ?? 0) + 1) % all.count]
            screen.selected = 0
            screen.top = 0
            s.stats = screen
            return []
        case .statsSort:
            let cols = StatColumn.allCases.filter { $0.applies(to: screen.dimension) }
            screen.sort = cols[((cols.firstIndex(of: screen.sort) ?? 0) + 1) % cols.count]
            screen.descending = screen.sort != .name
            s.stats = screen
            clampStats(&s)
            return []
        case .statsReverse:
            screen.descending.toggle()
            s.stats = screen
            return []
        case .statsDrill:
            guard screen.dimension == .unit, let row = screen.selectedRow, let id = row.unitId else { return [] }
            guard !row.own, id != screen.unit?.id else {
                s.notice = .info("stats.drill.own")
                return []
            }
            screen.trail.append(screen.unit)
            screen.unit = UnitRef(id: id, name: row.label)
            screen.selected = 0
            screen.top = 0
            s.stats = screen
            return loadStats(&s)
        case .statsUp:
            guard !screen.trail.isEmpty else {
                s.notice = .info("stats.drill.top")
                return []
            }
            screen.unit = screen.trail.removeLast()
            screen.selected = 0
            screen.top = 0
            s.stats = screen
            return loadStats(&s)
        case .statsCases:
            return statsCases(&s)
        case .down: screen.selected += 1
        case .up: screen.selected -= 1
        case .pageDown: screen.selected += page
        case .pageUp: screen.selected -= page
        case .top: screen.selected = 0
        case .bottom: screen.selected = Int.max / 2
        case .help:
            s.mode = .help(scroll: 0, contexts: s.contexts)
            return []
        case .command:
            s.mode = .command(TextEditor(arg ?? "", multiline: false))
            return []
        case .quit, .reload:
            return nil
        default:
            return []
        }
        s.stats = screen
        clampStats(&s)
        return []
    }

    /// `l`: the cases behind the selected figure — the column the breakdown is sorted by
    /// (`StatColumn.listed`) — for the selected row's unit subtree, category or channel, or,
    /// with no row, for the unit shown. The queue's header names it (`StatsList.title`);
    /// Esc or `S` comes back here.
    static func statsCases(_ s: inout DeskState) -> [DeskEffect] {
        guard let screen = s.stats, let report = screen.report else { return [] }
        let figure = screen.sort.applies(to: screen.dimension) ? screen.sort : .received
        var spec = QueueSpec(view: figure.listed == .overdue ? .overdue : .all)
        var list = StatsList(figure: figure, period: report.period, scope: report.unit.name)
        if let row = screen.selectedRow {
            switch row.dimension {
            case .unit:
                if let id = row.unitId { spec.group = UnitRef(id: id, name: row.label) }
                if row.own { list.ownUnit = row.unitId }
            case .category: spec.category = row.key
            case .channel: list.channel = row.key
            }
            list.scope = row.name(s.lang)
            if row.dimension != .unit { list.scope += " · " + report.unit.name }
        }
        if spec.group == nil, let u = screen.unit { spec.group = u }
        spec.stats = list
        // Received in a period: the (scope, received_at) index in its order, newest first.
        if list.figure == .received { spec.order = .newest }
        s.statsReturn = StatsReturn(screen: screen, spec: s.spec)
        _ = closeStats(&s)
        s.spec = spec
        s.focus = .queue
        var fx = newQueue(&s)
        if spec.view == .overdue { fx.append(.loadGroups) }
        return fx
    }

    /// Esc or `S` in a statistics list: the statistics screen again, as it was.
    static func returnToStats(_ s: inout DeskState) -> [DeskEffect] {
        guard let back = s.statsReturn else { return [] }
        s.statsReturn = nil
        s.spec = back.spec
        s.stats = back.screen
        clampStats(&s)
        return newQueue(&s)
    }
}
