import Foundation
import GRDB
import PaknCore
import Testing
@testable import PaknStore

/// "Sent up" (issue 15): cases a ward escalated or transferred stay visible to it, where
/// each is now and its deadline; the ward's figures count them; only its own officials see
/// them; the list reads an index, never every case.
@Suite struct SentUpTests {
    let now = Fixtures.now

    /// A Hoàn Kiếm case escalated by the ward's supervisor to the city.
    func escalated(_ db: AppDatabase) throws -> (Case, Case) {
        let c = try TrustFixtures.intake(db)
        #expect(c.status == .routed)
        let boss = try Fixtures.official(db, "lanhdao.hoankiem")
        let up = try db.perform(.escalate(parentUnitId: 0, reason: "Vượt thẩm quyền của phường"), on: c.code, by: boss, at: now)
        return (c, up)
    }

    func sentUp(_ db: AppDatabase, _ login: String) throws -> [QueueRow] {
        let s = try db.session(login: login, now: now)
        let f = QueueView.sentUp.filter(for: s.official, now: now, dueSoonBound: now)
        return try s.queue(QueueQuery(filter: f, limit: 500))
    }

    @Test func theWardThatSentACaseUpStillSeesItWhereItIsNow() throws {
        let db = try Fixtures.demo()
        let (c, up) = try escalated(db)
        #expect(up.unitId != c.unitId)
        let city = try #require(try db.unit(id: up.unitId!))
        for login in ["vanthu.hoankiem", "lanhdao.hoankiem", "canbo.hoankiem.kt"] {
            let rows = try sentUp(db, login)
            let row = try #require(rows.first { $0.id == c.id }, "\(login)")
            #expect(row.unitName == city.label, "\(login): where it is now")
            #expect(row.dueAt == up.dueAt, "\(login): its deadline")
        }
        // Not in the ward's own queues any more: handled by the city.
        let clerk = try db.session(login: "vanthu.hoankiem", now: now)
        #expect(try !clerk.queue(QueueQuery(filter: QueueFilter(), limit: 10_000)).contains { $0.id == c.id })
        // The header's count agrees with the list.
        let f = QueueView.sentUp.filter(for: clerk.official, now: now, dueSoonBound: now)
        #expect(try clerk.count(f) == (try sentUp(db, "vanthu.hoankiem")).count)
    }

    /// The department that sent it follows it: it reads the case and its history, masked,
    /// and may not act on it (it reads as unknown to an action) — its ward's other
    /// departments see nothing of it.
    @Test func theSenderReadsButDoesNotActOnIt() throws {
        let db = try Fixtures.demo()
        let (c, _) = try escalated(db)
        let kt = try Fixtures.official(db, "canbo.hoankiem.kt")
        let d = try db.detail(caseRef: c.code, viewer: kt, now: now)
        #expect(d.case.id == c.id && d.reporterMasked)
        #expect(try !db.history(caseRef: c.code, viewer: kt, at: now).isEmpty)
        let s = try db.session(login: kt.login, now: now)
        #expect(try s.allowedActions(for: d.case).isEmpty)
        #expect(throws: StoreError.outOfScope(login: kt.login, code: c.code)) {
            try db.perform(.note(text: "Theo dõi"), on: c.code, by: kt, at: now)
        }
        let vhxh = try Fixtures.official(db, "canbo.hoankiem.vhxh")
        #expect(throws: StoreError.outOfScope(login: vhxh.login, code: c.code)) {
            _ = try db.detail(caseRef: c.code, viewer: vhxh, now: now)
        }
    }

    @Test func anotherWardsClerkDoesNotSeeIt() throws {
        let db = try Fixtures.demo()
        let (c, _) = try escalated(db)
        #expect(try !sentUp(db, "vanthu.badinh").contains { $0.id == c.id })
        // Asking for Hoàn Kiếm's list by its unit is refused, and recorded.
        let other = try db.session(login: "vanthu.badinh", now: now)
        let hoanKiem = try #require(try db.unit(code: "00070"))
        var f = QueueFilter()
        f.sentFromSubtree = hoanKiem.id
        #expect(throws: StoreError.self) { try other.queue(QueueQuery(filter: f)) }
        // A one-case filter outside one's units reads like a case that does not exist.
        var one = QueueFilter()
        one.caseId = c.id
        do {
            _ = try other.queue(QueueQuery(filter: one))
            Issue.record("a case outside the official's units was listed")
        } catch let e as StoreError {
            #expect(e.text(.en) == StoreError.unknownCase(String(c.id)).text(.en))
        }
        #expect(try db.session(login: "vanthu.hoankiem", now: now).queue(QueueQuery(filter: one)).map(\.id) == [c.id])
    }

    @Test func theWardsFiguresSayWhatItSentUp() throws {
        let db = try Fixtures.demo()
        let period = StatPeriod.containing(Day(now), kind: .month)
        let ward = try db.session(login: "lanhdao.hoankiem", now: now)
        let before = try #require(try ward.stats(period: period).sentUp)
        let otherBefore = try db.session(login: "lanhdao.badinh", now: now).stats(period: period).sentUp
        _ = try escalated(db)
        #expect(try ward.stats(period: period).sentUp == before + 1)
        #expect(try db.session(login: "lanhdao.badinh", now: now).stats(period: period).sentUp == otherBefore)
        // A transfer between two of the ward's own departments is not sent up.
        let c = try TrustFixtures.intake(db, title: "Đèn đường hỏng ngõ Tạm Thương")
        let depts = try db.children(of: try #require(try db.unit(code: "00070")).id).filter { $0.id != c.unitId }
        let boss = try Fixtures.official(db, "lanhdao.hoankiem")
        _ = try db.perform(.transfer(unitId: try #require(depts.first).id, reason: "Đúng lĩnh vực"), on: c.code, by: boss, at: now)
        #expect(try ward.stats(period: period).sentUp == before + 1)
        #expect(try !sentUp(db, "vanthu.hoankiem").contains { $0.id == c.id })
    }

    /// The history fills the table when the migration runs on a database made before it.
    @Test func theMigrationFillsTheTableFromTheHistory() throws {
        let db = try Fixtures.demo()
        _ = try escalated(db)
        let kept = try db.pool.read { try Row.fetchAll($0, sql: "SELECT * FROM case_sent_up ORDER BY from_unit_id, at, case_id") }
        #expect(!kept.isEmpty)
        try db.pool.write { d in
            try d.execute(sql: "DROP TRIGGER case_sent_up_insert; DROP TABLE case_sent_up")
            try SentUp.migrate(d)
        }
        let again = try db.pool.read { try Row.fetchAll($0, sql: "SELECT * FROM case_sent_up ORDER BY from_unit_id, at, case_id") }
        #expect(again == kept)
    }

    /// The list reads the table's key and the cases it names by id: no scan of the cases.
    @Test func theListReadsAnIndexNotEveryCase() throws {
        let db = try Fixtures.demo()
        _ = try escalated(db)
        let s = try db.session(login: "vanthu.hoankiem", now: now)
        let f = try s.scoped(QueueView.sentUp.filter(for: s.official, now: now, dueSoonBound: now))
        let ref = try db.reference()
        for order in QueueOrder.allCases {
            let (sql, args, _) = try db.pool.read { d in
                try CaseQueries.pageSQL(d, QueueQuery(filter: f, order: order, limit: 100), now: now, ref: ref)
            }
            let plan = try db.pool.read { d in
                try Row.fetchAll(d, sql: "EXPLAIN QUERY PLAN " + sql, arguments: StatementArguments(args)).map { $0["detail"] as String }
            }
            #expect(!plan.contains { $0.hasPrefix("SCAN pakn_case") || $0.hasPrefix("SCAN c") }, "\(order): \(plan)")
        }
    }
}

/// Sorting by a column, descending: the same keyset pages read from the end.
@Suite struct SortOrderTests {
    @Test(arguments: QueueOrder.allCases)
    func readingBackwardsFromTheEndIsTheOrderReversed(order: QueueOrder) throws {
        let db = try Fixtures.demo()
        let all = try db.queue(QueueQuery(order: order, limit: 10_000), now: Fixtures.now)
        var paged: [QueueRow] = []
        var cursor: QueueCursor?
        repeat {
            // Each page comes in display order; the descending list is each page turned round.
            let page = try db.queue(QueueQuery(order: order, after: cursor, backwards: true, limit: 29), now: Fixtures.now)
            paged += page.reversed()
            cursor = page.first?.cursor
            if page.count < 29 { break }
        } while true
        #expect(paged.map(\.id) == all.reversed().map(\.id))
    }

    @Test func eachSortColumnIsOrderedByItsValue() throws {
        let db = try Fixtures.demo()
        let received = try db.queue(QueueQuery(order: .oldest, limit: 10_000), now: Fixtures.now)
        #expect(received.map(\.receivedAt) == received.map(\.receivedAt).sorted())
        let codes = try db.queue(QueueQuery(order: .code, limit: 10_000), now: Fixtures.now)
        #expect(codes.map(\.id) == codes.map(\.id).sorted())
    }
}
