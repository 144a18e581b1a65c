import Foundation
import PaknCore
@testable import PaknStore
import Testing
@testable import PaknUI

/// The statistics screen: pure update and view against fixture figures, then the real
/// runner on a demo database.
@Suite("The desk's statistics screen")
struct StatsDeskTests {
    static let month = StatPeriod.parse("2026-11")!

    static func figures(_ received: Int, resolved: Int, onTime: Int, overdue: Int, ratings: [Int] = [0, 0, 0, 0, 0]) -> StatFigures {
        var f = StatFigures()
        f.received = received
        f.receivedByKind = ["feedback": received]
        f.receivedByChannel = ["hotline": received]
        f.resolved = resolved
        f.onTime = onTime
        f.byRule = ["feedback-local": StatFigures.RuleFigures(resolved: resolved, onTime: onTime)]
        f.openNow = overdue + 3
        f.overdueNow = overdue
        for _ in 0..<overdue { StatFigures.count(&f.overdueDays, days: 7) }
        for _ in 0..<resolved { StatFigures.count(&f.resolveDays, days: 2) }
        f.ratings = ratings
        f.lowReasons = ratings[0] > 0 ? ["late": ratings[0]] : [:]
        return f
    }

    /// The ward's figures for a period, with two departments below it; a department's own.
    static func report(_ req: StatsRequest) -> StatReport {
        let period = req.period ?? StatPeriod.containing(DeskFixtures.today, kind: req.kind)
        let kt = figures(40, resolved: 30, onTime: 27, overdue: 6, ratings: [2, 1, 3, 10, 14])
        let vh = figures(25, resolved: 20, onTime: 20, overdue: 1, ratings: [0, 0, 1, 4, 5])
        if req.unitId == DeskFixtures.dept.id {
            return StatReport(unit: StatUnit(code: "00070-KT", name: DeskFixtures.dept.name, level: .department), period: period,
                              asOf: DeskFixtures.now, madeBy: "x", madeByName: "x", chainHead: "", totals: kt,
                              byUnit: [StatRow(dimension: .unit, key: "00070-KT", label: DeskFixtures.dept.name, unitId: 100,
                                               own: true, figures: kt)])
        }
        return StatReport(
            unit: StatUnit(code: "00070", name: "Phường Hoàn Kiếm", level: .commune), period: period, asOf: DeskFixtures.now,
            madeBy: "canbo.hoankiem.kt", madeByName: "Nguyễn Văn Bình", chainHead: "", totals: kt + vh,
            byUnit: [StatRow(dimension: .unit, key: "00070-KT", label: DeskFixtures.dept.name, unitId: 100, hasChildren: true, figures: kt),
                     StatRow(dimension: .unit, key: "00070-VHXH", label: "Phòng Văn hóa - Xã hội", unitId: 101, figures: vh)],
            byCategory: [StatRow(dimension: .category, key: "land", label: "Đất đai", labelEn: "Land", figures: kt),
                         StatRow(dimension: .category, key: "traffic", label: "Giao thông", labelEn: "Traffic", figures: vh)],
            byChannel: [StatRow(dimension: .channel, key: "hotline", label: "hotline", figures: kt + vh)],
            trend: (0..<12).map { StatTrendPoint(period: StatPeriod.week(containing: DeskFixtures.today).stepped($0 - 11),
                                                  received: 10 + $0, resolved: 8 + $0 % 3) })
    }

    static func desk(width: Int = 80, height: Int = 24, lang: Lang = .vi) -> FakeDesk {
        let d = FakeDesk(rows: DeskFixtures.rows(30), width: width, height: height, lang: lang)
        d.statsAnswer = { .statsLoaded(generation: $0.generation, report($0)) }
        return d
    }

    static func lastStatsRequest(_ d: FakeDesk) -> StatsRequest? {
        d.effects.reversed().lazy.compactMap { if case let .loadStats(r) = $0 { return r } else { return nil } }.first
    }

    @Test func tOpensTheMonthOfTheOfficialsUnitAndEscClosesIt() throws {
        let d = Self.desk()
        d.send(.char("S"))
        let req = try #require(Self.lastStatsRequest(d))
        #expect(req.unitId == nil && req.period == nil && req.kind == .month)
        #expect(d.state.contexts == [.stats])
        let screen = d.screen
        #expect(screen.contains("Thống kê · Phường Hoàn Kiếm · Tháng 11/2026"))
        #expect(screen.contains("Tiếp nhận 65") && screen.contains("Đã giải quyết 50") && screen.contains("Đúng hạn 94,0%"))
        #expect(screen.contains("Quá hạn 7") && screen.contains("Hài lòng 82,5% (40)"))
        d.send(.escape)
        #expect(d.state.stats == nil && d.state.contexts != [.stats])
        d.send(.char("S"))
        d.send(.char("S"))
        #expect(d.state.stats == nil)
    }

    @Test func bracketsStepThePeriodButNotIntoTheFuture() throws {
        let d = Self.desk()
        d.send(.char("S"))
        let before = d.effects.count
        d.send(.char("]"))
        #expect(d.effects.count == before, "no request for a period that has not begun")
        #expect(d.state.notice?.vi == L10n.t("stats.period.future", .vi, "2026-12"))
        d.send(.char("["))
        #expect(Self.lastStatsRequest(d)?.period == StatPeriod.parse("2026-10"))
        #expect(d.screen.contains("Tháng 10/2026"))
        // p: month → quarter → week, each holding the last day shown (the quarter's: today).
        d.send(.char("p"))
        #expect(Self.lastStatsRequest(d)?.period == StatPeriod.parse("2026-Q4"))
        d.send(.char("p"))
        #expect(Self.lastStatsRequest(d)?.period == StatPeriod.week(containing: DeskFixtures.today))
        d.send(.char("["))
        #expect(Self.lastStatsRequest(d)?.period == StatPeriod.parse("2026-W47"))
        d.send(.char(":"))
        d.type("stats 2026-Q3")
        d.send(.enter)
        #expect(Self.lastStatsRequest(d)?.period == StatPeriod.parse("2026-Q3"))
        d.send(.char(":"))
        d.type("stats 2027-01")
        d.send(.enter)
        #expect(d.state.notice?.vi == L10n.t("stats.period.future", .vi, "2027-01"))
        d.send(.char(":"))
        d.type("stats tháng")
        d.send(.enter)
        let req = try #require(Self.lastStatsRequest(d))
        #expect(req.kind == .month && req.period == nil)
    }

    @Test func theBreakdownSortsDrillsDownGoesUpAndListsTheCasesBehindARow() throws {
        let d = Self.desk()
        d.send(.char("S"))
        #expect(d.state.stats?.rows.map(\.key) == ["00070-KT", "00070-VHXH"])
        d.send(.char("o"))   // resolved, most first
        #expect(d.state.stats?.sort == .resolved && d.state.stats?.rows.first?.key == "00070-KT")
        d.send(.char("O"))
        #expect(d.state.stats?.rows.first?.key == "00070-VHXH")
        d.send(.char("O"))
        d.send(.tab)
        #expect(d.state.stats?.dimension == .category && d.screen.contains("Đất đai"))
        d.send(.tab)
        #expect(d.state.stats?.dimension == .channel && d.screen.contains("Đường dây nóng") == (L10n.t("channel.hotline", .vi) == "Đường dây nóng"))
        d.send(.tab)
        #expect(d.state.stats?.dimension == .unit)
        d.send(.enter)
        #expect(Self.lastStatsRequest(d)?.unitId == 100)
        #expect(d.screen.contains("Phòng Kinh tế, Hạ tầng và Đô thị · Tháng 11/2026"))
        d.send(.backspace)
        #expect(Self.lastStatsRequest(d)?.unitId == nil && d.state.stats?.trail.isEmpty == true)
        d.send(.backspace)
        #expect(d.state.notice?.vi == L10n.t("stats.drill.top", .vi))
        // l: the cases behind the selected figure (the sort column, resolved) of the selected
        // row, in the queue; the header names them; Esc comes back.
        d.send(.down)
        #expect(d.screen.contains("l: xong trong kỳ"))
        d.send(.char("l"))
        #expect(d.state.stats == nil)
        #expect(d.state.spec.view == .all && d.state.spec.group?.id == 101 && d.state.spec.stats?.figure == .resolved)
        #expect(d.screen.contains("Giải quyết xong 2026-11 · Phòng Văn hóa - Xã hội"))
        d.send(.escape)
        #expect(d.state.stats?.selected == 1 && d.state.spec.stats == nil)
        // Sorted by overdue: the overdue view of the row's unit.
        d.send(.char("o")); d.send(.char("o")); d.send(.char("o"))
        #expect(d.state.stats?.sort == .overdue)
        d.send(.char("l"))
        #expect(d.state.spec.view == .overdue && d.state.spec.stats?.figure == .overdue)
        #expect(d.screen.contains("Quá hạn hiện nay · "))
        d.send(.char("S"))
        #expect(d.state.stats?.sort == .overdue && d.state.spec.stats == nil)
    }

    @Test func at80x24EverythingFitsAndTheChartsAreBlockCharacters() throws {
        for lang in Lang.allCases {
            let d = Self.desk(lang: lang)
            d.send(.char("S"))
            let g = d.grid
            #expect(g.width == 80 && g.height == 24)
            let lines = (0..<g.height).map(g.line)
            // The figures, the charts, the table's header and rows, the keys on the status line.
            #expect(lines[2].hasPrefix("─ " + L10n.t("stats.title", lang)))
            #expect(lines[6].contains("▁") || lines[6].contains("█"), "sparklines: \(lines[6])")
            #expect(lines[8].contains(L10n.t("stats.dim.unit", lang)))
            #expect(lines[9].contains(L10n.t("stats.tcol.received", lang)))
            #expect(lines[10].contains("00070-KT") && lines[10].contains("█"), "bars: \(lines[10])")
            #expect(lines[23].contains(L10n.t("stats.hint.period", lang)))
            for line in lines { #expect(TerminalText.width(line) <= 80) }
        }
        // Too small: the desk's message, not a broken screen.
        let small = Self.desk(width: 50, height: 12)
        small.send(.char("S"))
        #expect(small.screen.contains(L10n.t("desk.too_small", .vi, DeskLayout.minWidth, DeskLayout.minHeight, 50, 12).prefix(10)))
    }

    @Test func sparklinesAndBarsAreDrawnInEighths() {
        #expect(StatsView.sparkline([0, 1, 2, 4]) == " ▂▄█")
        #expect(StatsView.sparkline([0, 0]) == "  ")
        #expect(StatsView.bar(0.5, width: 4) == "██")
        #expect(StatsView.bar(0.3, width: 4) == "█▎")
        #expect(StatsView.bar(1, width: 3) == "███")
        #expect(StatsView.bar(0.001, width: 3) == "▏")
        #expect(StatsView.bar(0, width: 3) == "")
    }

    @Test func theRealDeskShowsTheStoresFiguresAndDrillsIntoAWard() throws {
        let db = try DemoDB.copy()
        let r = try DemoDB.runner(db, "lanhdao.hanoi", width: 100, height: 30)
        r.send(.char("S"))
        let screen = try #require(r.state.stats)
        let report = try #require(screen.report)
        let direct = try r.session.stats(period: StatPeriod.month(containing: Day(DemoDB.now)))
        #expect(report.totals == direct.totals && report.byUnit == direct.byUnit)
        #expect(r.frame().text.contains(L10n.t("stats.fig.received", .vi) + " " + ReportFormat.int(report.totals.received, .vi)))
        // Drill into the ward with the most received (rows sort by received, most first).
        let top = try #require(screen.rows.first)
        r.send(.enter)
        #expect(r.state.stats?.report?.unit.code == top.key)
        #expect(r.state.stats?.report?.totals == top.figures)
        r.send(.backspace)
        #expect(r.state.stats?.report?.unit.code == "01")
    }
}
