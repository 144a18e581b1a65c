import Foundation
import PaknCore

/// Where the statistics screen puts things, for a terminal size (the view and the paging
/// keys agree on it). Below the title bar: the screen's title line, three lines of figures,
/// a line of charts, a line of low-rating reasons, the breakdown's title and header, its
/// rows, and a line of keys; the status line stays the desk's.
struct StatsLayout {
    let width: Int
    let height: Int
    var top: Int { 2 }
    var tableTitle: Int { top + 6 }
    var header: Int { top + 7 }
    var firstRow: Int { top + 8 }
    /// The last row above the status line (which shows the screen's keys).
    var bottom: Int { height - 2 }
    var tableRows: Int { max(1, bottom - firstRow + 1) }
}

/// Drawing the statistics screen: figures as text, charts in block characters (sparklines
/// ▁▂▃▄▅▆▇█, bars in eighths ▏▎▍▌▋▊▉█), coloured by the theme's deadline roles — on a
/// monochrome theme or with NO_COLOR the same characters, plain.
enum StatsView {
    static let levels: [Character] = ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]
    static let eighths = ["", "▏", "▎", "▍", "▌", "▋", "▊", "▉"]

    /// One character per value, its height the value's share of the largest (blank for 0).
    static func sparkline(_ values: [Int]) -> String {
        let top = values.max() ?? 0
        guard top > 0 else { return String(repeating: " ", count: values.count) }
        return String(values.map { v in
            v <= 0 ? " " : levels[min(7, max(0, Int((Double(v) / Double(top) * 8).rounded(.up)) - 1))]
        })
    }

    /// A horizontal bar `width` cells long filled to `fraction`, in eighths of a cell.
    static func bar(_ fraction: Double, width: Int) -> String {
        guard width > 0 else { return "" }
        let f = min(1, max(0, fraction.isNaN ? 0 : fraction))
        let n = Int((f * Double(width * 8)).rounded())
        var s = String(repeating: "█", count: n / 8) + eighths[n % 8]
        if f > 0 && s.isEmpty { s = "▏" }
        return s
    }

    static func t(_ s: DeskState, _ key: String, _ args: CustomStringConvertible...) -> String {
        L10n.format(key, s.lang, args.map(\.description))
    }

    static func render(_ g: inout Grid, _ s: DeskState, _ screen: StatsScreen) {
        let l = StatsLayout(width: s.width, height: s.height)
        let w = s.width
        g.fill(x: 0, y: l.top, width: w, height: l.bottom - l.top + 1, role: .normal)
        let lang = s.lang
        // Title line: the unit, the period, where it was drilled from.
        var title = t(s, "stats.title")
        if let r = screen.report {
            title += " · \(r.unit.name) · \(r.period.title(lang))"
            if r.lastDayCovered < r.period.last { title += ", " + t(s, "stats.period.to_date", r.lastDayCovered.vietnamese) }
        } else if let u = screen.unit {
            title += " · \(u.name)"
        }
        let right = screen.loading ? t(s, "desk.loading") : (screen.trail.isEmpty ? "" : "⌫ " + t(s, "stats.up"))
        DeskView.paneTitle(&g, Rect(x: 0, y: l.top, width: w, height: 1), title, right: right, focused: true)
        guard let r = screen.report else {
            g.put(t(s, "desk.loading"), x: 2, y: l.top + 2, role: .dim, maxWidth: w - 2)
            return
        }
        let f = r.totals
        let n = { (v: Int) in ReportFormat.int(v, lang) }
        // Figures.
        g.put([Span(t(s, "stats.fig.received") + " ", .detailLabel), Span(n(f.received), .emphasis),
               Span(" · " + t(s, "stats.fig.resolved") + " ", .detailLabel), Span(n(f.resolved), .emphasis),
               Span(" · " + t(s, "stats.fig.on_time") + " ", .detailLabel),
               Span(ReportFormat.percent(f.onTimeRate, lang), rateRole(f.onTimeRate)),
               Span(" · " + t(s, "stats.fig.rejected") + " ", .detailLabel), Span(n(f.rejected), .detailValue)]
              + (r.sentUp.map { [Span(" · " + t(s, "stats.short.sent_up") + " ", .detailLabel), Span(n($0), .detailValue)] } ?? []),
              x: 1, y: l.top + 1, width: w - 1)
        let b = f.overdueBuckets
        var overdue: StyledLine = [Span(t(s, "stats.short.open") + " ", .detailLabel), Span(n(f.openNow), .detailValue),
                                   Span(" · " + t(s, "stats.short.overdue") + " ", .detailLabel),
                                   Span(n(f.overdueNow), f.overdueNow > 0 ? .deadlineOverdue : .detailValue)]
        if f.overdueNow > 0 {
            overdue.append(Span(" [≤5:\(n(b[0])) ≤10:\(n(b[1])) ≤20:\(n(b[2])) >20:\(n(b[3]))"
                                + (f.maxOverdueDays.map { " max \(n($0))" } ?? "") + "]", .dim))
        }
        overdue += [Span(" · " + t(s, "stats.short.paused") + " ", .detailLabel),
                    Span(n(f.pausedNow), f.pausedNow > 0 ? .deadlinePaused : .detailValue)]
        g.put(overdue, x: 1, y: l.top + 2, width: w - 1)
        g.put([Span(t(s, "stats.short.days") + " ", .detailLabel),
               Span(ReportFormat.optional(f.averageResolveDays, lang), .detailValue),
               Span(" · 90% ≤ ", .detailLabel), Span(f.p90ResolveDays.map(n) ?? t(s, "stats.none"), .detailValue),
               Span(" │ " + t(s, "stats.short.satisfied") + " ", .detailLabel),
               Span(ReportFormat.percent(f.satisfiedShare, lang), rateRole(f.satisfiedShare)),
               Span(" (\(n(f.rated))) · " + t(s, "stats.short.mean") + " ", .detailLabel),
               Span(ReportFormat.optional(f.meanRating, lang), .detailValue)],
              x: 1, y: l.top + 3, width: w - 1)
        // Charts: received and resolved per week, the ratings.
        let weeks = r.trend
        let range = weeks.first.map { "\($0.period.shortLabel)–\(weeks.last!.period.shortLabel)" } ?? ""
        var charts: StyledLine = [Span(t(s, "stats.short.weeks", range) + " ", .detailLabel),
                                  Span(t(s, "stats.col.received") + " ", .dim), Span(sparkline(weeks.map(\.received)), .deadlineOk),
                                  Span("  " + t(s, "stats.col.resolved") + " ", .dim), Span(sparkline(weeks.map(\.resolved)), .deadlineDone)]
        charts.append(Span(" │ " + t(s, "stats.short.ratings") + " ", .detailLabel))
        let hist = sparkline(f.ratings)
        for (i, ch) in hist.enumerated() {
            charts.append(Span("\(i + 1)", .dim))
            charts.append(Span(String(ch), i < 2 ? .deadlineOverdue : (i == 2 ? .deadlineDueSoon : .deadlineOk)))
        }
        charts.append(Span("★", .dim))
        charts += [Span(" · " + t(s, "stats.short.reopened") + " ", .detailLabel),
                   Span(n(f.reopenedAfterLowRating), f.reopenedAfterLowRating > 0 ? .deadlineDueSoon : .detailValue)]
        g.put(charts, x: 1, y: l.top + 4, width: w - 1)
        if !f.lowReasons.isEmpty {
            let reasons = f.lowReasons.sorted { ($0.value, $1.key) > ($1.value, $0.key) }.map { k, v in
                (L10n.has("reason.\(k)") ? L10n.t("reason.\(k)", lang) : k) + " " + n(v)
            }.joined(separator: " · ")
            g.put([Span(t(s, "stats.short.low_reasons") + " ", .detailLabel), Span(reasons, .detailValue)], x: 1, y: l.top + 5, width: w - 1)
        }
        table(&g, s, screen, l)
    }

    static func rateRole(_ x: Double?) -> StyleRole {
        guard let x else { return .dim }
        return x >= 0.9 ? .deadlineOk : (x >= 0.7 ? .deadlineDueSoon : .deadlineOverdue)
    }

    /// The columns of the breakdown at a width: fixed numbers, a flexible name, two bars
    /// (on-time rate, overdue count) with what is left. Below `wide` columns the figures
    /// resolved late, open now and paused now are shown only when they are the sort column
    /// (the selected figure), so the bars still fit at 80.
    struct Columns {
        var code: Int, name: Int, bar: Int
        var numbers: [(StatColumn, Int)]
        static let all: [(StatColumn, Int)] = [(.received, 6), (.resolved, 6), (.onTime, 7), (.late, 5), (.overdue, 6),
                                               (.open, 6), (.paused, 5), (.avgDays, 5), (.satisfied, 7)]
        static let optional: Set<StatColumn> = [.late, .open, .paused]
        static let wide = 100
        init(width: Int, sort: StatColumn = .received) {
            code = 11
            numbers = Self.all.filter { width >= Self.wide || !Self.optional.contains($0.0) || $0.0 == sort }
            let fixed = code + numbers.reduce(0) { $0 + $1.1 } + 1
            let rest = max(0, width - fixed)
            let nameMin = 16
            bar = rest >= nameMin + 8 ? min(24, (rest - nameMin) / 2 - 1) : 0
            name = rest - (bar > 0 ? 2 * (bar + 1) : 0)
        }
    }

    static func cell(_ c: StatColumn, _ row: StatRow, _ lang: Lang) -> String {
        let f = row.figures
        switch c {
        case .name: return row.name(lang)
        case .received: return ReportFormat.int(f.received, lang)
        case .resolved: return ReportFormat.int(f.resolved, lang)
        case .onTime: return ReportFormat.percent(f.onTimeRate, lang)
        case .late: return ReportFormat.int(f.resolved - f.onTime, lang)
        case .overdue: return ReportFormat.int(f.overdueNow, lang)
        case .open: return ReportFormat.int(f.openNow, lang)
        case .paused: return ReportFormat.int(f.pausedNow, lang)
        case .avgDays: return row.dimension == .unit ? ReportFormat.optional(f.averageResolveDays, lang) : ""
        case .satisfied: return row.dimension == .unit ? ReportFormat.percent(f.satisfiedShare, lang) : ""
        }
    }

    static func table(_ g: inout Grid, _ s: DeskState, _ screen: StatsScreen, _ l: StatsLayout) {
        let w = s.width, lang = s.lang
        let rows = screen.rows
        let sortName = t(s, "stats.tcol.\(screen.sort.rawValue)") + (screen.descending ? " ▼" : " ▲")
        let left = t(s, "stats.dim.\(screen.dimension.rawValue)") + " (\(rows.count))"
            + (screen.dimension == .unit ? "" : " · " + t(s, "stats.unit_only"))
        // What `l` lists always shows; the sort column's name too when there is room (the
        // header marks it ▼/▲ anyway).
        let selected = t(s, "stats.selected",
                         t(s, "stats.hint.list.\((screen.sort.applies(to: screen.dimension) ? screen.sort : .received).listed.rawValue)"))
        let full = t(s, "stats.sorted", sortName) + " · " + selected
        let right = TerminalText.width(left) + TerminalText.width(full) + 8 <= w ? full : selected
        DeskView.paneTitle(&g, Rect(x: 0, y: l.tableTitle, width: w, height: 1), left, right: right, focused: false)
        let c = Columns(width: w, sort: screen.sort)
        func line(_ cells: [(String, Int, Bool)]) -> String {
            cells.map { text, width, right in
                let cut = TerminalText.truncate(text, to: width - 1)
                let pad = String(repeating: " ", count: max(0, width - 1 - TerminalText.width(cut)))
                return right ? pad + cut + " " : cut + pad + " "
            }.joined()
        }
        var header = [(t(s, "stats.col.code"), c.code, false), (t(s, "stats.col.name"), c.name, false)]
        for (col, width) in c.numbers {
            let name = t(s, "stats.tcol.\(col.rawValue)") + (col == screen.sort ? (screen.descending ? "▼" : "▲") : "")
            header.append((name, width, true))
        }
        var headerText = line(header)
        if c.bar > 0 {
            headerText += TerminalText.truncate(t(s, "stats.tcol.on_time"), to: c.bar).padding(toLength: c.bar + 1, withPad: " ", startingAt: 0)
                + TerminalText.truncate(t(s, "stats.tcol.overdue"), to: c.bar)
        }
        g.put(headerText, x: 0, y: l.header, role: .queueHeader, maxWidth: w)
        g.restyle(x: 0, y: l.header, width: w, role: .queueHeader)
        guard !rows.isEmpty else {
            g.put(t(s, "stats.empty"), x: 2, y: l.firstRow, role: .dim, maxWidth: w - 2)
            return
        }
        let maxOverdue = max(1, rows.map(\.figures.overdueNow).max() ?? 1)
        for i in 0..<l.tableRows {
            let index = screen.top + i
            guard rows.indices.contains(index) else { break }
            let row = rows[index]
            let y = l.firstRow + i
            let mark = row.dimension == .unit && row.hasChildren ? "▸" : (row.imported ? "*" : " ")
            var cells = [(row.dimension == .unit ? row.key : (row.dimension == .category ? row.key : ""), c.code, false),
                         (mark + row.name(lang), c.name, false)]
            for (col, width) in c.numbers { cells.append((cell(col, row, lang), width, true)) }
            let selected = index == screen.selected
            g.put(line(cells), x: 0, y: y, role: selected ? .queueSelected : .queueRow, maxWidth: w)
            if selected { g.restyle(x: 0, y: y, width: w, role: .queueSelected) }
            if c.bar > 0 {
                let x0 = w - 2 * (c.bar + 1)
                let rate = row.figures.onTimeRate
                g.put(bar(rate ?? 0, width: c.bar), x: x0, y: y, role: selected ? .queueSelected : rateRole(rate), maxWidth: c.bar)
                let od = row.figures.overdueNow
                g.put(bar(Double(od) / Double(maxOverdue), width: c.bar), x: x0 + c.bar + 1, y: y,
                      role: selected ? .queueSelected : .deadlineOverdue, maxWidth: c.bar)
            }
        }
    }

    /// The screen's keys, for the status line.
    static func hints(_ s: DeskState) -> String {
        let figure = s.stats.map { $0.sort.applies(to: $0.dimension) ? $0.sort : .received } ?? .received
        func k(_ id: ActionID) -> String { s.keyMap.keys(for: id, in: .stats).first?.description ?? "" }
        let parts = [
            "\(k(.statsPrev))\(k(.statsNext)) " + t(s, "stats.hint.period"),
            "\(k(.statsPeriod)) " + t(s, "stats.hint.kind"),
            "\(k(.statsDimension)) " + t(s, "stats.hint.dimension"),
            "\(k(.statsSort)) " + t(s, "stats.hint.sort"),
            "\(k(.statsDrill)) " + t(s, "stats.hint.drill"),
            "\(k(.statsUp)) " + t(s, "stats.hint.up"),
            "\(k(.statsCases)) " + t(s, "stats.hint.cases", t(s, "stats.hint.list.\(figure.listed.rawValue)")),
            "\(k(.statsClose)) " + t(s, "stats.hint.close"),
        ]
        return parts.joined(separator: " · ")
    }
}
