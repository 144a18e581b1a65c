import Foundation
import GRDB
import PaknCore
import Testing
@testable import PaknStore

/// The fast paths of the queue (scope columns, counters, adaptive search) against the
/// plain definitions they replace.
@Suite struct BenchQueryTests {
    /// The officials a desk opens for: centre-less city staff, ward staff, a department's handler.
    static let logins = ["taphuan", "lanhdao.hanoi", "vanthu.hoankiem", "lanhdao.badinh", "canbo.hoankiem.kt", "thanhtra.hanoi"]

    static func bound(_ ref: ReferenceData) -> Date {
        ref.calendar.add(ref.policy.dueSoonDays, to: Day(Fixtures.now), counting: .working).end
    }

    /// Counts the plain way: a scan over the subtree's unit ids.
    static func scanCount(_ d: Database, subtree: Int64?, _ extra: String, _ args: [DatabaseValueConvertible?]) throws -> Int {
        var sql = "SELECT count(*) FROM pakn_case WHERE done = 0 AND \(extra)"
        var a = args
        if let s = subtree {
            let p = try #require(try UnitQueries.path(d, id: s))
            sql += " AND unit_id IN (SELECT id FROM unit WHERE path >= ? AND path < ?)"
            a += [p, p + "\u{FFFF}"]
        }
        return try Int.fetchOne(d, sql: sql, arguments: StatementArguments(a)) ?? 0
    }

    static func checkCounters(_ db: AppDatabase) throws {
        let ref = try db.reference()
        let now = CaseRow.secs(Fixtures.now), bound = CaseRow.secs(Self.bound(ref))
        try db.pool.read { d in
            var subtrees: [Int64?] = [nil]
            subtrees += try Int64.fetchAll(d, sql: """
                SELECT DISTINCT unit_id FROM pakn_case UNION SELECT DISTINCT commune_id FROM pakn_case WHERE commune_id IS NOT NULL
                UNION SELECT DISTINCT province_id FROM pakn_case UNION SELECT id FROM unit WHERE level = 'centre'
                """).map { $0 }
            for s in subtrees {
                let c = try CaseQueries.counts(d, unitSubtree: s, now: Fixtures.now, dueSoonBound: Self.bound(ref))
                #expect(c.open == (try scanCount(d, subtree: s, "1", [])), "open \(String(describing: s))")
                #expect(c.overdue == (try scanCount(d, subtree: s, "status <> 'awaiting_info' AND due_at < ?", [now])), "overdue \(String(describing: s))")
                #expect(c.dueSoon == (try scanCount(d, subtree: s, "status <> 'awaiting_info' AND due_at >= ? AND due_at <= ?", [now, bound])), "soon \(String(describing: s))")
            }
            // The groups of the overdue view.
            let city = try #require(try UnitQueries.unit(d, code: "01"))
            let groups = try CaseQueries.overdueByUnit(d, unitSubtree: city.id, now: Fixtures.now)
            let plain = try Row.fetchAll(d, sql: """
                SELECT unit_id, count(*) AS n FROM pakn_case WHERE done = 0 AND status <> 'awaiting_info' AND due_at < ?
                AND province_id = ? GROUP BY unit_id ORDER BY n DESC, unit_id
                """, arguments: [now, city.id]).map { ($0["unit_id"] as Int64, $0["n"] as Int) }
            #expect(groups.map(\.unit.id) == plain.map(\.0))
            #expect(groups.map(\.count) == plain.map(\.1))
        }
    }

    @Test func theCountersMatchAScanForEveryScope() throws {
        try Self.checkCounters(try Fixtures.demo())
    }

    @Test func theCountersFollowEveryKindOfChange() throws {
        let db = try Fixtures.demo()
        let clerk = try Fixtures.official(db, "vanthu.hoankiem")
        let handler = try Fixtures.official(db, "canbo.hoankiem.kt")
        let sup = try Fixtures.official(db, "lanhdao.hoankiem")
        // Intake, routing, assignment, a pause, a resumption, a reply, a low rating (reopens).
        let c = try db.intake(Fixtures.draft(), by: clerk, at: Fixtures.now)
        try Self.checkCounters(db)
        try db.perform(.assign(officialId: handler.id), on: c.code, by: clerk, at: Fixtures.now)
        try db.perform(.wait(request: "Bổ sung ảnh"), on: c.code, by: handler, at: Fixtures.now)
        try Self.checkCounters(db)
        try db.perform(.resume(note: nil), on: c.code, by: handler, at: Fixtures.now.addingTimeInterval(86400 * 3))
        try db.perform(.reply(text: "Đã xử lý."), on: c.code, by: handler, at: Fixtures.now.addingTimeInterval(86400 * 3))
        try Self.checkCounters(db)
        try db.perform(.rate(Rating(score: 1, reasons: [.notResolved])), on: c.code, by: clerk, at: Fixtures.now.addingTimeInterval(86400 * 4))
        try db.perform(.escalate(parentUnitId: 0, reason: "Vượt thẩm quyền"), on: c.code, by: sup, at: Fixtures.now.addingTimeInterval(86400 * 4))
        try Self.checkCounters(db)
        // A row removed (only ever by hand: events keep cases) is uncounted too.
        try db.pool.write { d in
            var copy = try #require(try CaseRow.fetch(d, id: c.id))
            copy.code = "HN-2026-999998"
            let id = try CaseRow.insert(d, copy, scope: DatabaseUnits(d).scope(of: copy.unitId))
            try d.execute(sql: "DELETE FROM pakn_case WHERE id = ?", arguments: [id])
        }
        try Self.checkCounters(db)
    }

    /// Every view of every official reads one index in its order: no sort, no scan of the table.
    @Test func everyViewPageIsAnIndexRangeInItsOrder() throws {
        let db = try Fixtures.demo()
        try db.pool.write { try BulkCaseWriter.analyze($0) }
        let ref = try db.reference()
        try db.pool.read { d in
            for login in Self.logins {
                let me = try #require(try OfficialStore.byLogin(d, login))
                // Sent up reads the cases its units sent by id (a few) and sorts them, as a
                // selective search does: no scan either (`SentUpTests`).
                for view in QueueView.allCases where view != .sentUp {
                    let whole = view.filter(for: me, now: Fixtures.now, dueSoonBound: Self.bound(ref))
                    // The urgency order reads its tiers one after the other (`UrgencyTiers`).
                    let tiers = UrgencyTiers.tiers(whole)
                    let filters = [whole] + (tiers.count > 1 ? tiers.map { UrgencyTiers.narrowed(whole, to: $0) } : [])
                    for f in filters {
                    for after in [nil, QueueCursor(key: 1e9, id: 50)] {
                        let q = QueueQuery(filter: f, order: .urgency, after: after, limit: 100)
                        let (sql, args, _) = try CaseQueries.pageSQL(d, q, now: Fixtures.now, ref: ref)
                        // The page's ids (before the 100 rows are joined to names and sorted).
                        let plan = try Row.fetchAll(d, sql: "EXPLAIN QUERY PLAN " + sql, arguments: StatementArguments(args))
                            .map { $0["detail"] as String }.prefix { $0 != "SCAN page" }.joined(separator: " | ")
                        #expect(!plan.contains("TEMP B-TREE"), "\(login) \(view): \(plan)")
                        #expect(!plan.contains("SCAN pakn_case"), "\(login) \(view): \(plan)")
                    }
                    }
                }
            }
        }
    }

    /// Sorting the matches, walking the queue probing a list of them, and walking it asking
    /// the search index about each case give the same pages.
    @Test func bothSearchPathsGiveTheSamePages() throws {
        let db = try Fixtures.demo()
        let ref = try db.reference()
        try db.pool.read { d in
            for login in ["taphuan", "vanthu.hoankiem"] {
                let me = try #require(try OfficialStore.byLogin(d, login))
                for view in [QueueView.all, .overdue, .triage] {
                    for text in ["duong", "ngap nuoc", "Đường", "rác th", "phan anh d", "zzzz"] {
                        var f = view.filter(for: me, now: Fixtures.now, dueSoonBound: Self.bound(ref))
                        f.text = text
                        var cursor: QueueCursor?
                        for _ in 0..<3 {
                            let q = QueueQuery(filter: f, after: cursor, limit: 7)
                            let sorted = try CaseQueries.page(d, q, now: Fixtures.now, ref: ref, selective: 1_000_000)
                            let listed = try CaseQueries.page(d, q, now: Fixtures.now, ref: ref, selective: 0, listLimit: 1_000_000)
                            let walked = try CaseQueries.page(d, q, now: Fixtures.now, ref: ref, selective: 0, listLimit: 0)
                            #expect(sorted.map(\.id) == listed.map(\.id), "\(login) \(view) \(text)")
                            #expect(sorted.map(\.id) == walked.map(\.id), "\(login) \(view) \(text)")
                            // Both walks read the queue's index in order: no sort, no scan.
                            // (Nothing matching is always sorted: there is nothing to sort.)
                            for limit in [1_000_000, 0] where !sorted.isEmpty {
                                let (sql, args, _) = try CaseQueries.pageSQL(d, q, now: Fixtures.now, ref: ref, selective: 0, listLimit: limit)
                                let plan = try Row.fetchAll(d, sql: "EXPLAIN QUERY PLAN " + sql, arguments: StatementArguments(args))
                                    .map { $0["detail"] as String }.prefix { $0 != "SCAN page" }.joined(separator: " | ")
                                #expect(!plan.contains("TEMP B-TREE") && !plan.contains("SCAN pakn_case"), "\(login) \(view) \(text): \(plan)")
                            }
                            cursor = sorted.last?.cursor
                            if cursor == nil { break }
                        }
                    }
                }
            }
        }
    }

    /// A status view pages on (due_at, id); the pages still join up to the whole queue,
    /// forwards and backwards.
    @Test(arguments: [QueueView.triage, .unassigned, .awaitingRating, .overdue, .dueSoon, .all])
    func statusViewsPageLikeTheWholeQueue(view: QueueView) throws {
        let db = try Fixtures.demo()
        let ref = try db.reference()
        let me = try Fixtures.official(db, "taphuan")
        let f = view.filter(for: me, now: Fixtures.now, dueSoonBound: Self.bound(ref))
        let all = try db.queue(QueueQuery(filter: f, limit: 10_000), now: Fixtures.now)
        var paged: [QueueRow] = []
        var cursor: QueueCursor?
        while true {
            let page = try db.queue(QueueQuery(filter: f, after: cursor, limit: 11), now: Fixtures.now)
            paged += page
            cursor = page.last?.cursor
            if page.count < 11 { break }
        }
        #expect(paged.map(\.id) == all.map(\.id))
        if all.count > 12 {
            let before = try db.queue(QueueQuery(filter: f, after: all[12].cursor, backwards: true, limit: 5), now: Fixtures.now)
            #expect(before.map(\.id) == all[7..<12].map(\.id))
        }
        // A cursor from another part of the urgency order (an open case in a done-only
        // view, or the reverse) still gives the right side. The order's last tier (done)
        // starts at twice the span (`QueueCursor.urgencyKey`).
        let span = QueueCursor.urgencyTierSpan
        let openCursor = QueueCursor(key: 1, id: 1), doneCursor = QueueCursor(key: 2 * span + span - 1, id: 1)
        let fromOpen = try db.queue(QueueQuery(filter: f, after: openCursor, limit: 10_000), now: Fixtures.now)
        let fromDone = try db.queue(QueueQuery(filter: f, after: doneCursor, limit: 10_000), now: Fixtures.now)
        #expect(fromOpen.map(\.id) == all.map(\.id))
        #expect(fromDone.isEmpty)
    }
}
