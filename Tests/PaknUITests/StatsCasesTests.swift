import Foundation
import GRDB
import PaknCore
@testable import PaknStore
import Testing
@testable import PaknUI

/// `l` on the statistics screen: the cases behind the selected figure (the sort column) of
/// the selected row, in the queue — held against the figure shown and against plain SQL
/// over `pakn_case` that shares nothing with the counters or the queue's SQL.
@Suite("The cases behind a statistics figure", .serialized)
struct StatsCasesTests {
    /// The figure a column shows for a row, as `l` lists it.
    static func figure(_ f: StatFigures, _ c: StatColumn) -> Int {
        switch c.listed {
        case .received: f.received
        case .resolved: f.resolved
        case .onTime: f.onTime
        case .late: f.resolved - f.onTime
        case .overdue: f.overdueNow
        case .open: f.openNow
        case .paused: f.pausedNow
        case .satisfied: f.rated
        case .name, .avgDays: -1
        }
    }

    /// The same figure from the cases: Vietnam dates by SQLite's `date()`, units by path.
    static func oracle(_ db: AppDatabase, root: Int64, row: StatRow?, column: StatColumn, period: StatPeriod, now: Date) throws -> Int {
        try db.read { d in
            let rootPath = try #require(try String.fetchOne(d, sql: "SELECT path FROM unit WHERE id = ?", arguments: [root]))
            func vn(_ col: String) -> String { "date(\(col), 'unixepoch', '+7 hours')" }
            var scope = "substr(u.path, 1, length(:root)) = :root"
            var args: [String: (any DatabaseValueConvertible)?] = ["root": rootPath, "first": period.first.description,
                                                                  "last": period.last.description, "today": Day(now).description]
            if let row {
                switch row.dimension {
                case .unit:
                    if row.own {
                        scope = "u.id = :unit"
                        args["unit"] = row.unitId
                    } else {
                        let p = try #require(try String.fetchOne(d, sql: "SELECT path FROM unit WHERE id = ?", arguments: [row.unitId]))
                        scope = "substr(u.path, 1, length(:p)) = :p"
                        args["p"] = p
                    }
                case .category: scope += " AND c.category = :key"; args["key"] = row.key
                case .channel: scope += " AND c.channel = :key"; args["key"] = row.key
                }
            }
            let cond: String
            switch column.listed {
            case .received: cond = "\(vn("c.received_at")) BETWEEN :first AND :last"
            case .resolved: cond = "c.resolved_at IS NOT NULL AND \(vn("c.resolved_at")) BETWEEN :first AND :last"
            case .onTime: cond = "c.resolved_at IS NOT NULL AND \(vn("c.resolved_at")) BETWEEN :first AND :last AND c.resolved_at <= c.due_at"
            case .late: cond = "c.resolved_at IS NOT NULL AND \(vn("c.resolved_at")) BETWEEN :first AND :last AND c.resolved_at > c.due_at"
            case .overdue: cond = "c.done = 0 AND c.status <> 'awaiting_info' AND \(vn("c.due_at")) < :today"
            case .open: cond = "c.done = 0"
            case .paused: cond = "c.done = 0 AND c.status = 'awaiting_info'"
            default: cond = "EXISTS (SELECT 1 FROM event e WHERE e.case_id = c.id AND e.action = 'rate' AND \(vn("e.at")) BETWEEN :first AND :last)"
            }
            return try Int.fetchOne(d, sql: """
                SELECT count(*) FROM pakn_case c JOIN unit u ON u.id = coalesce(c.unit_id, c.ward_id) WHERE \(scope) AND \(cond)
                """, arguments: StatementArguments(args)) ?? -1
        }
    }

    @Test func everyFiguresListHoldsExactlyTheCasesTheFigureCounts() throws {
        let db = try DemoDB.copy()
        let r = try DemoDB.runner(db, "lanhdao.hoankiem", width: 120, height: 40)
        let ref = try r.session.reference()
        r.send(.char("S"))
        let report = try #require(r.state.stats?.report)
        let root = r.session.official.unitId
        var checked = 0
        for _ in StatRow.Dimension.allCases {
            let dimension = try #require(r.state.stats?.dimension)
            for _ in StatColumn.allCases.filter({ $0.applies(to: dimension) }) {
                let screen = try #require(r.state.stats)
                for (i, row) in screen.rows.enumerated() {
                    #expect(r.state.stats?.selected == i)
                    r.send(.char("l"))
                    #expect(r.state.stats == nil && r.state.spec.stats?.figure == screen.sort.listed)
                    let f = r.state.spec.filter(for: r.session.official, now: DemoDB.now, ref: ref)
                    let listed = try r.session.count(f)
                    let what = "\(dimension) \(row.key) \(screen.sort)"
                    #expect(listed == Self.figure(row.figures, screen.sort), "\(what): the list holds the figure shown")
                    #expect(listed == (try Self.oracle(db, root: root, row: row, column: screen.sort, period: report.period,
                                                       now: DemoDB.now)), "\(what): the list equals the query")
                    r.send(.escape)
                    #expect(r.state.stats?.sort == screen.sort && r.state.stats?.selected == i, "\(what): Esc comes back")
                    r.send(.down)
                    checked += 1
                }
                r.send(.char("o"))
                while r.state.stats?.selected ?? 0 > 0 { r.send(.up) }
            }
            r.send(.tab)
        }
        #expect(checked > 40)
    }

    @Test func withNoRowTheFigureOfTheUnitShownIsListed() throws {
        let db = try DemoDB.copy()
        let r = try DemoDB.runner(db, "lanhdao.hoankiem", width: 120, height: 40)
        let ref = try r.session.reference()
        r.send(.char("S"))
        let report = try #require(r.state.stats?.report)
        for _ in 0..<4 { r.send(.char("o")) }   // resolved late… whatever the fourth column is
        let sort = try #require(r.state.stats?.sort)
        // No row: a unit with nothing below it shows no breakdown rows; here, the totals of
        // the unit shown equal the sum of its rows, so the list of the whole unit is checked.
        var state = r.state
        state.stats?.report?.byUnit = []
        var spec: QueueSpec?
        _ = DeskUpdate.statsCases(&state)
        spec = state.spec
        let f = try #require(spec).filter(for: r.session.official, now: DemoDB.now, ref: ref)
        #expect(try r.session.count(f) == Self.figure(report.totals, sort))
        #expect(try r.session.count(f) == (try Self.oracle(db, root: r.session.official.unitId, row: nil, column: sort,
                                                           period: report.period, now: DemoDB.now)))
        #expect(state.spec.stats?.scope == report.unit.name)
    }
}
