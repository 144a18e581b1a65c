import Foundation
import GRDB
import PaknCore
@testable import PaknStore
import Testing

/// Every figure of a report against the same figure computed from the cases (and the rating
/// events) by plain SQL that shares nothing with the counters: dates by SQLite's `date()`,
/// units by their paths, working days by the calendar in the test.
@Suite("Statistics: every figure against an independent query", .serialized)
struct StatsFiguresTests {
    static let now = Fixtures.now

    /// The expected figures of one root, computed from the cases.
    struct Oracle {
        var totals = StatFigures()
        var byChild: [Int64: StatFigures] = [:]
        var byCategory: [String: StatFigures] = [:]
        var byChannel: [String: StatFigures] = [:]
    }

    static func oracle(_ db: AppDatabase, root: Int64, period: StatPeriod, now: Date, ref: ReferenceData) throws -> Oracle {
        try db.read { d in
            let path = try #require(try String.fetchOne(d, sql: "SELECT path FROM unit WHERE id = ?", arguments: [root]))
            let first = period.first.description, last = period.last.description
            let today = Day(now)
            // Each case with the child of the root it counts in (its handling unit, else its ward).
            let base = """
                WITH c AS (
                  SELECT c.*, u.path AS upath, substr(u.path, length(:p) + 1) AS rest
                  FROM pakn_case c JOIN unit u ON u.id = coalesce(c.unit_id, c.ward_id)
                  WHERE substr(u.path, 1, length(:p)) = :p),
                r AS (SELECT *, CASE WHEN rest = '' THEN :root ELSE CAST(substr(rest, 1, instr(rest, '/') - 1) AS INTEGER) END AS child FROM c)
                """
            let args: StatementArguments = ["p": path, "root": root, "first": first, "last": last, "now": CaseRow.secs(now)]
            func vn(_ col: String) -> String { "date(\(col), 'unixepoch', '+7 hours')" }
            var o = Oracle()
            func add(_ child: Int64, _ category: String, _ channel: String, _ f: StatFigures, rows: Bool = true) {
                o.totals.add(f)
                o.byChild[child, default: StatFigures()].add(f)
                guard rows else { return }
                var plain = f
                plain.receivedByKind = [:]; plain.byRule = [:]; plain.resolveDays = []; plain.receivedByChannel = [:]
                o.byCategory[category, default: StatFigures()].add(plain)
                if f.received > 0 { plain.receivedByChannel = [channel: f.received] }
                o.byChannel[channel, default: StatFigures()].add(plain)
            }
            for r in try Row.fetchAll(d, sql: base + " SELECT child, kind, channel, category FROM r WHERE \(vn("received_at")) BETWEEN :first AND :last", arguments: args) {
                var f = StatFigures()
                f.received = 1
                f.receivedByKind[r["kind"]] = 1
                f.receivedByChannel[r["channel"]] = 1
                add(r["child"], r["category"], r["channel"], f)
            }
            for r in try Row.fetchAll(d, sql: base + """
                 SELECT child, category, channel, rule_id, received_at, resolved_at, resolved_at <= due_at AS ok FROM r
                 WHERE resolved_at IS NOT NULL AND \(vn("resolved_at")) BETWEEN :first AND :last
                """, arguments: args) {
                var f = StatFigures()
                f.resolved = 1
                let ok: Bool = r["ok"]
                f.onTime = ok ? 1 : 0
                f.byRule[r["rule_id"]] = StatFigures.RuleFigures(resolved: 1, onTime: f.onTime)
                let days = ref.calendar.countByWalking(from: Day(CaseRow.date(r["received_at"])), to: Day(CaseRow.date(r["resolved_at"])))
                StatFigures.count(&f.resolveDays, days: days)
                add(r["child"], r["category"], r["channel"], f)
            }
            for r in try Row.fetchAll(d, sql: base + " SELECT child, category, channel FROM r WHERE status = 'rejected' AND \(vn("closed_at")) BETWEEN :first AND :last", arguments: args) {
                var f = StatFigures()
                f.rejected = 1
                add(r["child"], r["category"], r["channel"], f)
            }
            for r in try Row.fetchAll(d, sql: base + " SELECT child, category, channel, status, due_at FROM r WHERE done = 0", arguments: args) {
                var f = StatFigures()
                f.openNow = 1
                let status: String = r["status"], due: Int64 = r["due_at"]
                if status == "awaiting_info" { f.pausedNow = 1 }
                if status != "awaiting_info" && due < CaseRow.secs(now) {
                    f.overdueNow = 1
                    StatFigures.count(&f.overdueDays, days: ref.calendar.countByWalking(from: Day(CaseRow.date(due)), to: today))
                }
                add(r["child"], r["category"], r["channel"], f)
            }
            // Ratings given in the period: each case of the demo is rated at most once, so its
            // row holds the rating its event gave.
            #expect(try Int.fetchOne(d, sql: "SELECT max(n) FROM (SELECT count(*) AS n FROM event WHERE action = 'rate' GROUP BY case_id)") ?? 0 <= 1)
            for r in try Row.fetchAll(d, sql: base + """
                 SELECT r.child, r.category, r.channel, r.rating, r.rating_reasons, e.at, r.id FROM event e JOIN r ON r.id = e.case_id
                 WHERE e.action = 'rate' AND \(vn("e.at")) BETWEEN :first AND :last
                """, arguments: args) {
                // A rating counts for the unit that held the case when it was rated: the
                // unit a later transfer or escalation took it from, if any.
                var child: Int64 = r["child"]
                if let from = try Int64.fetchOne(d, sql: "SELECT from_unit_id FROM case_sent_up WHERE case_id = ? AND at >= ? ORDER BY at LIMIT 1",
                                                 arguments: [r["id"] as Int64, r["at"] as Int64]) {
                    let p = try #require(try String.fetchOne(d, sql: "SELECT path FROM unit WHERE id = ?", arguments: [from]))
                    let rest = p.dropFirst(path.count)
                    guard p.hasPrefix(path) else { continue }
                    child = rest.isEmpty ? root : Int64(rest.split(separator: "/")[0])!
                }
                var f = StatFigures()
                let score: Int = r["rating"]
                f.ratings[score - 1] = 1
                if score <= ref.policy.reopenAtOrBelow { f.reopenedAfterLowRating = 1 }
                if score <= 3 {
                    for reason in ((r["rating_reasons"] as String?) ?? "").split(separator: ",") { f.lowReasons[String(reason), default: 0] += 1 }
                }
                add(child, r["category"], r["channel"], f, rows: false)
            }
            return o
        }
    }

    static func trimmed(_ h: [Int]) -> [Int] {
        var h = h
        while h.last == 0 { h.removeLast() }
        return h
    }

    static func expectSame(_ got: StatFigures, _ want: StatFigures, _ what: String) {
        #expect(got.received == want.received, "\(what): received")
        #expect(got.receivedByKind == want.receivedByKind, "\(what): by kind")
        #expect(got.receivedByChannel == want.receivedByChannel, "\(what): by channel")
        #expect(got.resolved == want.resolved, "\(what): resolved")
        #expect(got.onTime == want.onTime, "\(what): on time")
        #expect(got.rejected == want.rejected, "\(what): rejected")
        #expect(got.byRule == want.byRule, "\(what): by rule")
        #expect(trimmed(got.resolveDays) == trimmed(want.resolveDays), "\(what): working days to resolve")
        #expect(got.averageResolveDays == want.averageResolveDays && got.p90ResolveDays == want.p90ResolveDays, "\(what): mean, p90")
        #expect(got.openNow == want.openNow, "\(what): open now")
        #expect(got.pausedNow == want.pausedNow, "\(what): paused now")
        #expect(got.overdueNow == want.overdueNow, "\(what): overdue now")
        #expect(trimmed(got.overdueDays) == trimmed(want.overdueDays), "\(what): how long overdue")
        #expect(got.ratings == want.ratings, "\(what): ratings")
        #expect(got.lowReasons == want.lowReasons, "\(what): low reasons")
        #expect(got.reopenedAfterLowRating == want.reopenedAfterLowRating, "\(what): reopened")
    }

    static func check(_ db: AppDatabase, login: String, unit: String?, period: StatPeriod) throws {
        let session = try db.session(login: login, now: now)
        let ref = try session.reference()
        let unitId = try unit.map { try #require(try session.unit(code: $0)).id }
        let report = try session.report(unitId: unitId, period: period, format: "json")
        let root = unitId ?? session.official.unitId
        let o = try oracle(db, root: root, period: period, now: now, ref: ref)
        let what = "\(login) \(unit ?? "-") \(period.label)"
        expectSame(report.totals, o.totals, what + " totals")
        #expect(report.totals.received > 0 || period.first > Day(now).adding(-90), "\(what): the period holds cases")
        // Unit rows: each child with figures, and the root's own cases.
        let rows = Dictionary(uniqueKeysWithValues: report.byUnit.map { ($0.unitId!, $0) })
        #expect(Set(rows.keys) == Set(o.byChild.filter { !$0.value.isEmpty }.keys), "\(what): the unit rows")
        for (id, f) in o.byChild where !f.isEmpty { if let row = rows[id] { expectSame(row.figures, f, "\(what) unit \(row.key)") } }
        // Category and channel rows: received, resolved, on time, rejected, open, paused and overdue now.
        for (rows, want, name) in [(report.byCategory, o.byCategory, "category"), (report.byChannel, o.byChannel, "channel")] {
            let shown = want.filter { $0.value.received + $0.value.resolved + $0.value.rejected + $0.value.openNow > 0 }
            #expect(Set(rows.map(\.key)) == Set(shown.keys), "\(what): \(name) rows")
            for row in rows {
                let w = want[row.key] ?? StatFigures()
                let g = row.figures
                let got: [Int] = [g.received, g.resolved, g.onTime, g.rejected, g.overdueNow, g.openNow, g.pausedNow]
                let wanted: [Int] = [w.received, w.resolved, w.onTime, w.rejected, w.overdueNow, w.openNow, w.pausedNow]
                #expect(got == wanted, "\(what) \(name) \(row.key)")
                #expect(trimmed(g.overdueDays) == trimmed(w.overdueDays), "\(what) \(name) \(row.key) overdue days")
            }
        }
        // The list of overdue cases is the overdue count, most overdue first.
        #expect(report.overdueCaseCount == o.totals.overdueNow)
        #expect(report.overdueCases.count == min(o.totals.overdueNow, StatOptions.report.overdueList))
        #expect(report.overdueCases.map(\.workingDaysOver) == report.overdueCases.map(\.workingDaysOver).sorted(by: >))
        // The trend's weeks add up to the period's figures when the period is those weeks.
        if period.kind == .week, let last = report.trend.last {
            #expect(last.period == period && last.received == o.totals.received && last.resolved == o.totals.resolved)
        }
    }

    @Test func everyFigureOfTheCityAndAWardEqualsItsQuery() throws {
        let db = try Fixtures.demo()
        let periods = [StatPeriod.parse("2026-11")!, StatPeriod.parse("2026-Q4")!, StatPeriod.parse("2026-Q3")!,
                       StatPeriod.parse("2026-W47")!, StatPeriod.parse("2026-09-01..2026-10-15")!]
        for p in periods {
            try Self.check(db, login: "lanhdao.hanoi", unit: nil, period: p)
            try Self.check(db, login: "lanhdao.hoankiem", unit: nil, period: p)
        }
        // A department (a leaf) and the centre's whole tree, by the city's trainer.
        try Self.check(db, login: "lanhdao.hoankiem", unit: "00070-KT", period: periods[1])
        try Self.check(db, login: "taphuan", unit: "00004", period: periods[0])
    }

    @Test func theCountersFollowEveryActionAndEqualARecount() throws {
        let db = try Fixtures.demo()
        let city = try db.session(login: "taphuan", now: Self.now)
        let handler = try #require(try city.official(login: "canbo.hoankiem.kt"))
        // Take in, route, assign, start, pause, resume, reply, rate low (reopens), transfer,
        // reply, close, reject another, reopen it.
        var c = try city.intake(Fixtures.draft(routing: .none))
        let kt = try #require(try city.unit(code: "00070-KT")), vh = try #require(try city.unit(code: "00070-VHXH"))
        c = try city.perform(.route(unitId: kt.id), on: c.code)
        c = try city.perform(.assign(officialId: handler.id), on: c.code)
        c = try city.perform(.start, on: c.code)
        c = try city.perform(.wait(request: "Đề nghị bổ sung ảnh."), on: c.code)
        c = try city.perform(.resume(note: nil), on: c.code)
        c = try city.perform(.reply(text: "Đã xử lý xong."), on: c.code)
        c = try city.perform(.rate(Rating(score: 1, reasons: [.late, .vagueAnswer])), on: c.code)
        #expect(c.status.isOpen)
        c = try city.perform(.transfer(unitId: vh.id, reason: "Đúng thẩm quyền phòng VHXH."), on: c.code)
        c = try city.perform(.assign(officialId: try #require(try city.official(login: "canbo.hoankiem.vhxh")).id), on: c.code)
        c = try city.perform(.start, on: c.code)
        c = try city.perform(.reply(text: "Đã xử lý lại."), on: c.code)
        c = try city.perform(.close, on: c.code)
        var d = try city.intake(Fixtures.draft(title: "Đơn trùng lặp cần từ chối", routing: .none))
        d = try city.perform(.reject(reason: "Không thuộc thẩm quyền."), on: d.code)
        d = try city.perform(.reopen(reason: "Xem lại."), on: d.code)
        // A rating counts for the unit handling the case when it is given; the recount (after a
        // bulk load) finds it through `case_sent_up` — this case moved after its rating.
        let tables = ["stat_day", "stat_month", "stat_span", "stat_open", "stat_rating"]
        func dump() throws -> [String: [Row]] {
            try db.read { d in
                Dictionary(uniqueKeysWithValues: try tables.map { t in
                    let sql = "SELECT * FROM \(t) ORDER BY 1, 2, 3, 4"
                    return (t, try Row.fetchAll(d, sql: sql))
                })
            }
        }
        let kept = try dump()
        try db.write { d in try d.execute(sql: StatSchema.rebuildSQL) }
        let recounted = try dump()
        for t in tables { #expect(kept[t] == recounted[t], "\(t): the triggers' counts equal a recount") }
        #expect(try db.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM stat_day WHERE received < 0 OR resolved < 0 OR on_time < 0 OR rejected < 0") } == 0)
        // The month's figures of Hoàn Kiếm still equal the query, with the rating given today.
        try Self.check(db, login: "lanhdao.hoankiem", unit: nil, period: StatPeriod.parse("2026-11")!)
    }

    /// An intake routed as it is taken in writes its row once, as routed (CaseWriter.intake):
    /// its history is still an intake then a route, the same as a route given after the
    /// intake, and the counters and statistics count it once.
    @Test func anIntakeRoutedAsItIsTakenInIsAnIntakeThenARouteAndIsCountedOnce() throws {
        let db = try Fixtures.demo()
        let city = try db.session(login: "taphuan", now: Self.now)
        let kt = try #require(try city.unit(code: "00070-KT"))
        let atOnce = try city.intake(Fixtures.draft(routing: .unit("00070-KT")))
        var after = try city.intake(Fixtures.draft(routing: .none))
        #expect(after.status == .received && after.version == 1)
        after = try city.perform(.route(unitId: kt.id), on: after.code)
        #expect(atOnce.status == .routed && atOnce.unitId == kt.id)
        #expect(atOnce.status == after.status && atOnce.unitId == after.unitId && atOnce.version == after.version
                && atOnce.dueAt == after.dueAt && atOnce.deadline == after.deadline)
        // As stored, too.
        let stored = try #require(try db.pool.read { try CaseRow.fetch($0, id: atOnce.id, reply: false) })
        #expect(stored.status == .routed && stored.unitId == kt.id && stored.version == atOnce.version)
        let h1 = try TrustFixtures.events(db, atOnce), h2 = try TrustFixtures.events(db, after)
        #expect(h1.map(\.action) == [.intake, .route])
        #expect(h1.map(\.action) == h2.map(\.action))
        #expect(h1.map(\.fromStatus) == h2.map(\.fromStatus) && h1.map(\.toStatus) == h2.map(\.toStatus))
        #expect(h1.map(\.changes) == h2.map(\.changes))
        #expect(h1.allSatisfy { $0.caseId == atOnce.id })
        // Counted once: the counters and the statistics equal a recount from the rows.
        let open = try db.pool.read { d in
            try Int.fetchOne(d, sql: "SELECT n FROM case_count WHERE scope = ? AND paused = 0 AND due_at = ?",
                             arguments: [-kt.id, CaseRow.secs(atOnce.dueAt)])
        }
        let rows = try db.pool.read { d in
            try Int.fetchOne(d, sql: "SELECT count(*) FROM pakn_case WHERE done = 0 AND unit_id = ? AND due_at = ? AND status <> 'awaiting_info'",
                             arguments: [kt.id, CaseRow.secs(atOnce.dueAt)])
        }
        #expect(open == rows && (rows ?? 0) >= 2)
        let tables = ["stat_day", "stat_month", "stat_span", "stat_open"]
        func dump() throws -> [[Row]] {
            try db.read { d in try tables.map { try Row.fetchAll(d, sql: "SELECT * FROM \($0) ORDER BY 1, 2, 3, 4") } }
        }
        let kept = try dump()
        try db.write { d in try d.execute(sql: StatSchema.rebuildSQL) }
        #expect(try dump() == kept)
        #expect(try city.checkChain().problem == nil)
    }

    @Test func aPeriodIsWholeMonthsAndTheDaysAroundThem() {
        func seg(_ p: String) -> String {
            let (m, d) = StatQueries.segments(StatPeriod.parse(p)!)
            return (m.map { "\($0.lowerBound)-\($0.upperBound)" } ?? "-") + " "
                + d.map { "\(Day(ordinal: $0.lowerBound))..\(Day(ordinal: $0.upperBound))" }.joined(separator: ",")
        }
        let nov = 2026 * 12 + 10
        #expect(seg("2026-11") == "\(nov)-\(nov) ")
        #expect(seg("2026-Q4") == "\(nov - 1)-\(nov + 1) ")
        #expect(seg("2026-W49") == "- 2026-11-30..2026-12-06")
        #expect(seg("2026-10-15..2026-12-02") == "\(nov)-\(nov) 2026-10-15..2026-10-31,2026-12-01..2026-12-02")
        #expect(seg("2026-11-02..2026-11-29") == "- 2026-11-02..2026-11-29")
    }

    @Test func aUnitOutsideScopeAndAPeriodNotBegunAreRefusedAndTheRefusalRecorded() throws {
        let db = try Fixtures.demo()
        let s = try db.session(login: "lanhdao.hoankiem", now: Self.now)
        let badinh = try #require(try s.unit(code: "00004"))
        #expect(throws: StoreError.unitOutOfScope(login: "lanhdao.hoankiem", unit: "00004")) {
            _ = try s.stats(unitId: badinh.id, period: StatPeriod.parse("2026-11")!)
        }
        let refused = try db.accessLog(limit: 5).first { $0.action == .refused && $0.login == "lanhdao.hoankiem" }
        #expect(refused?.target == "stats --unit 00004")
        #expect(throws: Message("stats.period.future", "2026-12")) { _ = try s.stats(period: StatPeriod.parse("2026-12")!) }
        // The current period is fine: figures to date.
        #expect(try s.stats(period: StatPeriod.parse("2026-W48")!).period.label == "2026-W48")
    }

    @Test func aReportIsRecordedWithTheOverdueCasesItLists() throws {
        let db = try Fixtures.demo()
        let s = try db.session(login: "lanhdao.hoankiem", now: Self.now)
        let r = try s.report(period: StatPeriod.parse("2026-11")!, format: "csv")
        let e = try #require(try db.accessLog(limit: 1).first)
        #expect(e.action == .reportExport && e.target == "00070 2026-11" && e.note == "csv")
        #expect(e.count == r.overdueCases.count && e.caseIds.count == r.overdueCases.count)
        #expect(r.chainHead == (try s.chainHead()))
    }
}

@Suite("Reports between offices: exchange files", .serialized)
struct ReportExchangeTests {
    static let now = Fixtures.now
    static let month = StatPeriod.parse("2026-11")!

    /// Hoàn Kiếm's November report, as its supervisor exports it from the demo database.
    static func wardFile() throws -> (StatReport, Data) {
        let db = try Fixtures.demo()
        return try db.session(login: "lanhdao.hoankiem", now: now).exchangeFile(period: month)
    }

    @Test func aWardsFileIsImportedByTheCityAndRolledUpWithItsOwnCases() throws {
        let (ward, data) = try Self.wardFile()
        #expect(try ReportExchange.decode(data) == ward)
        let city = try Fixtures.production()
        // A production database runs on the real clock (after November 2026).
        let admin = try city.session(login: "tester")
        let before = try admin.stats(period: Self.month)
        #expect(before.notReported.contains { $0.code == "00070" })
        let result = try admin.importReport(data)
        #expect(result.unit.code == "00070" && !result.replaced)
        #expect(!result.notReported.contains { $0.code == "00070" })
        let after = try admin.report(period: Self.month, format: "text")
        #expect(after.totals.received == ward.totals.received && after.totals.overdueNow == ward.totals.overdueNow)
        #expect(after.totals == before.totals + ward.totals)
        let row = try #require(after.byUnit.first { $0.key == "00070" })
        #expect(row.imported && row.figures == ward.totals)
        #expect(after.imported.map(\.unit.code) == ["00070"] && after.imported[0].chainHead == ward.chainHead)
        #expect(after.overdueCases.allSatisfy { $0.reportedBy == "00070" })
        let logged = try #require(try city.accessLog(limit: 5).first { $0.action == .reportImport })
        #expect(logged.target == "00070 2026-11" && logged.digest == ReportExchange.digest(of: ward))
        // Other periods are not touched.
        #expect(try admin.stats(period: StatPeriod.parse("2026-10")!).totals.received == 0)
    }

    @Test func badFilesAreRefusedWithNothingImported() throws {
        let (ward, data) = try Self.wardFile()
        let city = try Fixtures.production()
        // A production database runs on the real clock (after November 2026).
        let admin = try city.session(login: "tester")
        func imported() throws -> Int { try city.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM report_import") ?? 0 } }
        let text = String(decoding: data, as: UTF8.self)
        // Cut off.
        #expect(throws: ReportExchange.Problem.truncated) { _ = try admin.importReport(Data(data.prefix(data.count / 2))) }
        // Altered: one figure changed, the digest kept.
        let altered = text.replacingOccurrences(of: "\"received\":\(ward.totals.received),", with: "\"received\":\(ward.totals.received + 1),")
        #expect(altered != text)
        #expect(throws: ReportExchange.Problem.altered) { _ = try admin.importReport(Data(altered.utf8)) }
        // From a newer pakn.
        let newer = text.replacingOccurrences(of: "\"version\":1", with: "\"version\":2")
        #expect(throws: ReportExchange.Problem.newer(version: 2)) { _ = try admin.importReport(Data(newer.utf8)) }
        // Not a report at all.
        #expect(throws: ReportExchange.Problem.notReport) { _ = try admin.importReport(Data("code,title\n1,2\n".utf8)) }
        #expect(try imported() == 0)
        // The same file twice; another file of the same unit and period without --replace.
        _ = try admin.importReport(data)
        #expect(throws: Message("report.import.duplicate", ward.unit.name, "2026-11")) { _ = try admin.importReport(data) }
        var again = ward
        again.asOf = ward.asOf.addingTimeInterval(3600)
        #expect(throws: Message("report.import.exists", ward.unit.name, "2026-11")) {
            _ = try admin.importReport(ReportExchange.encode(again))
        }
        #expect(try admin.importReport(ReportExchange.encode(again), replace: true).replaced)
        #expect(try imported() == 1)
    }

    @Test func theWrongLevelAUnitOutsideAndCasesHeldHereAreRefused() throws {
        let demo = try Fixtures.demo()
        let dept = try demo.session(login: "canbo.hoankiem.kt", now: Self.now).exchangeFile(period: Self.month).data
        let city = try Fixtures.production()
        // A production database runs on the real clock (after November 2026).
        let admin = try city.session(login: "tester")
        // A department of a ward reports to the ward, not to the city.
        #expect(throws: Message("report.import.wrong_level", "Phòng Kinh tế, Hạ tầng và Đô thị — Phường Hoàn Kiếm", "Phường Hoàn Kiếm",
                                "Thành phố Hà Nội")) { _ = try admin.importReport(dept) }
        // A ward of another province: outside, and recorded.
        var other = try ReportExchange.decode(dept)
        other.unit = StatUnit(code: "25747", name: "Phường Thủ Dầu Một", level: .commune)
        #expect(throws: StoreError.unitOutOfScope(login: "tester", unit: "25747")) { _ = try admin.importReport(ReportExchange.encode(other)) }
        #expect(try city.accessLog(limit: 3).contains { $0.action == .refused && $0.target == "report import 25747" })
        // A ward whose cases this database holds: its figures are a query here.
        let (_, ward) = try Self.wardFile()
        #expect(throws: Message("report.import.local", "Phường Hoàn Kiếm")) {
            _ = try demo.session(login: "lanhdao.hanoi", now: Self.now).importReport(ward)
        }
        // A handler may not import.
        let hk = try demo.session(login: "canbo.hoankiem.kt", now: Self.now)
        #expect(throws: StoreError.self) { _ = try hk.importReport(ward) }
        #expect(try city.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM report_import") } == 0)
    }
}
