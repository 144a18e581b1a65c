import Foundation
import GRDB
import PaknCore
import Testing
@testable import PaknDemo
@testable import PaknStore

@Suite struct QueryTests {
    @Test(arguments: QueueOrder.allCases)
    func keysetPagesJoinUpToTheWholeQueue(order: QueueOrder) throws {
        let db = try Fixtures.demo()
        let all = try db.queue(QueueQuery(order: order, limit: 10_000), now: Fixtures.now)
        #expect(all.count == 300)
        var paged: [QueueRow] = []
        var cursor: QueueCursor?
        repeat {
            let page = try db.queue(QueueQuery(order: order, after: cursor, limit: 37), now: Fixtures.now)
            paged += page
            cursor = page.last?.cursor
            if page.count < 37 { break }
        } while true
        #expect(paged.map(\.id) == all.map(\.id))
        // Backwards from the end gives the page before it, in display order.
        let tail = Array(all.suffix(20))
        let before = try db.queue(QueueQuery(order: order, after: tail.first!.cursor, backwards: true, limit: 20), now: Fixtures.now)
        #expect(before.map(\.id) == all.dropLast(20).suffix(20).map(\.id))
    }

    @Test func urgencyPutsOverdueFirstThenByDueDate() throws {
        let db = try Fixtures.demo()
        let rows = try db.queue(QueueQuery(filter: QueueFilter(openOnly: true), limit: 1000), now: Fixtures.now)
        // Strictly by urgency: running clocks by due time (overdue longest first, then least
        // time left), then the paused ones (their due day moves when they resume).
        let running = rows.filter { $0.status != .awaitingInfo }, paused = rows.filter { $0.status == .awaitingInfo }
        #expect(rows.map(\.id) == (running + paused).map(\.id))
        #expect(running.map(\.dueAt) == running.map(\.dueAt).sorted())
        #expect(paused.map(\.dueAt) == paused.map(\.dueAt).sorted())
        let states = running.map(\.deadline.state)
        let firstNotOverdue = states.firstIndex { $0 != .overdue } ?? states.count
        #expect(states[..<firstNotOverdue].allSatisfy { $0 == .overdue })
        #expect(states[firstNotOverdue...].allSatisfy { $0 != .overdue })
        #expect(states.contains(.overdue))
        #expect(states.contains(.dueSoon) || states.contains(.ok))
        #expect(!paused.isEmpty)
    }

    /// Pages of the urgency order join up across its tiers (running, paused, done) in both
    /// directions, and the count before any row is its position in the whole list.
    @Test(arguments: [QueueFilter(), QueueFilter(openOnly: true), QueueFilter(statuses: [.received, .awaitingInfo, .closed]),
                      QueueFilter(text: "duong")])
    func urgencyTiersPageAndCountLikeTheWholeList(filter: QueueFilter) throws {
        let db = try Fixtures.demo()
        let all = try db.queue(QueueQuery(filter: filter, limit: 10_000), now: Fixtures.now)
        #expect(try db.count(filter, now: Fixtures.now) == all.count)
        var paged: [QueueRow] = []
        var cursor: QueueCursor?
        repeat {
            let page = try db.queue(QueueQuery(filter: filter, after: cursor, limit: 23), now: Fixtures.now)
            paged += page
            cursor = page.last?.cursor
            if page.count < 23 { break }
        } while true
        #expect(paged.map(\.id) == all.map(\.id))
        var back: [QueueRow] = []
        cursor = nil
        repeat {
            let page = try db.queue(QueueQuery(filter: filter, after: cursor, backwards: true, limit: 19), now: Fixtures.now)
            back = page + back
            cursor = page.first?.cursor
            if page.count < 19 { break }
        } while true
        #expect(back.map(\.id) == all.map(\.id))
        for i in stride(from: 0, to: all.count, by: max(1, all.count / 17)) {
            #expect(try db.count(filter, order: .urgency, before: all[i].cursor, now: Fixtures.now) == i)
        }
        // The header's counts stop at a cap, and say so; under it they are exact.
        let ref = try db.reference()
        try db.read { d in
            for cap in [3, 10_000] {
                let c = try CaseQueries.count(d, filter, now: Fixtures.now, ref: ref, before: nil, order: .urgency, cap: cap)
                #expect(c.count == min(cap, all.count) && c.capped == (all.count > cap), "cap \(cap)")
                if all.count > 12 {
                    let b = try CaseQueries.countBefore(d, filter, order: .urgency, cursor: all[12].cursor, now: Fixtures.now, ref: ref, cap: cap)
                    #expect(b.count == min(cap, 12) && b.capped == (cap < 12), "cap \(cap)")
                }
            }
        }
        for order in [QueueOrder.newest, .code] {
            let rows = try db.queue(QueueQuery(filter: filter, order: order, limit: 10_000), now: Fixtures.now)
            for i in stride(from: 0, to: rows.count, by: max(1, rows.count / 7)) {
                #expect(try db.count(filter, order: order, before: rows[i].cursor, now: Fixtures.now) == i)
            }
        }
    }

    @Test func countsMatchTheFilters() throws {
        let db = try Fixtures.demo()
        let hk = try #require(try db.unit(code: "00070"))
        let counts = try db.counts(unitSubtree: hk.id, now: Fixtures.now)
        let open = try db.queue(QueueQuery(filter: QueueFilter(openOnly: true, unitSubtree: hk.id), limit: 10_000), now: Fixtures.now)
        #expect(counts.open == open.count)
        #expect(counts.overdue == open.filter { $0.deadline.state == .overdue }.count)
        #expect(counts.dueSoon == open.filter { $0.deadline.state == .dueSoon }.count)
    }

    @Test func overdueViewIsExactlyTheOverdueCasesOfTheSubtree() throws {
        let db = try Fixtures.demo()
        let sup = try Fixtures.official(db, "lanhdao.hoankiem")
        let ref = try db.reference()
        let bound = ref.calendar.add(ref.policy.dueSoonDays, to: Day(Fixtures.now), counting: .working).end
        let view = try db.queue(QueueQuery(filter: QueueView.overdue.filter(for: sup, now: Fixtures.now, dueSoonBound: bound), limit: 10_000),
                                now: Fixtures.now)
        let everything = try db.queue(QueueQuery(limit: 10_000), now: Fixtures.now)
        let subtree = Set(try db.units(matching: "", within: sup.unitId, limit: 10_000).map(\.id))
        let expected = try everything.filter { row in
            let unit = try db.resolveCase(row.code).unitId
            return row.deadline.state == .overdue && subtree.contains(unit ?? -1)
        }
        #expect(Set(view.map(\.id)) == Set(expected.map(\.id)))
        #expect(!view.isEmpty)
        let grouped = try db.overdueByUnit(unitSubtree: sup.unitId, now: Fixtures.now)
        #expect(grouped.reduce(0) { $0 + $1.count } == view.count)
    }

    @Test(arguments: [("ha noi", "Hà Nội"), ("duong", "Đường"), ("DUONG", "đường"), ("thanh xuan", "Thanh Xuân")])
    func searchIgnoresDiacriticsAndDStroke(query: String, text: String) throws {
        let db = try Fixtures.production()
        let me = try Fixtures.official(db, "tester")
        let hit = try db.intake(Fixtures.draft(title: "Phản ánh về \(text) ngập nước", body: "Nội dung \(text.decomposedStringWithCanonicalMapping)."),
                                by: me, at: Fixtures.now)
        _ = try db.intake(Fixtures.draft(title: "Tiếng ồn karaoke", body: "Hát khuya."), by: me, at: Fixtures.now)
        let rows = try db.queue(QueueQuery(filter: QueueFilter(text: query)), now: Fixtures.now)
        #expect(rows.map(\.id) == [hit.id])
    }

    @Test func searchTreatsFTSSyntaxAsText() throws {
        let db = try Fixtures.demo()
        for q in ["\"", "NEAR(", "a OR b", "*", "title:x", "-", "^x", "AND", "(((", "đ\"ư"] {
            _ = try db.queue(QueueQuery(filter: QueueFilter(text: q)), now: Fixtures.now)
        }
        // A prefix while typing: "ngap" finds "ngập".
        let rows = try db.queue(QueueQuery(filter: QueueFilter(text: "ngap"), limit: 1000), now: Fixtures.now)
        let titles = try rows.map { try db.resolveCase($0.code) }
        #expect(titles.allSatisfy { VietnameseFold.fold($0.title + " " + $0.body + " " + ($0.address ?? "") + " " + $0.code).contains("ngap") })
    }

    @Test func theDemoIsReproducible() throws {
        let a = try Fixtures.demo()
        let path = Fixtures.tempPath("again")
        let b = try DemoGenerator.create(path: path, options: DemoOptions(cases: 300, seed: 7, now: Fixtures.now, login: "tester"))
        let q = QueueQuery(order: .code, limit: 1000)
        let ra = try a.queue(q, now: Fixtures.now), rb = try b.queue(q, now: Fixtures.now)
        #expect(ra.map(\.code) == rb.map(\.code))
        #expect(ra.map(\.title) == rb.map(\.title))
        #expect(ra.map(\.status) == rb.map(\.status))
        #expect(try a.chainHead() == b.chainHead())
    }

    @Test func theDemoCoversEveryStateAndKind() throws {
        let db = try Fixtures.demo()
        let rows = try db.queue(QueueQuery(limit: 1000), now: Fixtures.now)
        #expect(Set(rows.map(\.kind)) == Set(CaseKind.allCases))
        #expect(Set(rows.map(\.status)) == Set(CaseStatus.allCases))
        #expect(Set(rows.map(\.deadline.state)) == Set(DueState.allCases))
        #expect(try db.officials(limit: 1000).count >= 35)
        #expect(Set(try db.officials(limit: 1000).map(\.role)) == Set(Role.allCases))
    }
}

@Suite struct AuditChainTests {
    @Test func everyCaseReplaysToItsStoredState() throws {
        let db = try Fixtures.demo()
        let ref = try db.reference()
        _ = ref
        for row in try db.queue(QueueQuery(limit: 1000), now: Fixtures.now) {
            let c = try db.resolveCase(row.code)
            let events = try db.history(caseRef: c.code, viewer: try Fixtures.official(db, Fixtures.adminLogin(db))).map(\.event.draft)
            #expect(CaseSnapshot.replay(events) == CaseSnapshot.of(c), "case \(c.code)")
        }
    }

    @Test func theChainVerifiesAndNamesTheFirstAlteredEvent() throws {
        let db = try Fixtures.demo()
        let ok = try db.verifyChain()
        #expect(ok.firstBroken == nil)
        #expect(ok.head == (try db.chainHead()))
        // Someone with the sqlite3 shell drops the guard and edits history.
        try db.pool.write { d in
            try d.execute(sql: "DROP TRIGGER event_no_update")
            try d.execute(sql: "UPDATE event SET note = 'sửa lén' WHERE id = 42")
        }
        let bad = try db.verifyChain()
        #expect(bad.firstBroken?.id == 42)
        #expect(bad.events == 41)
    }

    @Test func removedEventsAreDetected() throws {
        let db = try Fixtures.demo()
        try db.pool.write { d in
            try d.execute(sql: "DROP TRIGGER event_no_delete")
            try d.execute(sql: "DELETE FROM event WHERE id = 100")
        }
        #expect(try db.verifyChain().firstBroken?.id == 101)
    }

    @Test func eventsCannotBeUpdatedOrDeletedThroughSQL() throws {
        let db = try Fixtures.demo()
        #expect(throws: (any Error).self) { try db.pool.write { try $0.execute(sql: "UPDATE event SET note = 'x' WHERE id = 1") } }
        #expect(throws: (any Error).self) { try db.pool.write { try $0.execute(sql: "DELETE FROM event WHERE id = 1") } }
    }
}

extension QueryTests {

    @Test func officialsAreFoundByTheirUnitsNameToo() throws {
        let db = try Fixtures.demo()
        let ward = try #require(try db.unit(code: "00070"))
        let found = try db.officials(matching: "kinh te", withinUnit: ward.id)
        #expect(!found.isEmpty)
        let kt = try #require(try db.unit(code: "00070-KT"))
        #expect(found.allSatisfy { $0.unitId == kt.id }, "\(found.map(\.login))")
        // A person's name still narrows within the unit; words must all match.
        let one = try #require(found.first)
        let family = try #require(one.fullName.split(separator: " ").last.map(String.init))
        let narrowed = try db.officials(matching: "kinh te " + VietnameseFold.fold(family), withinUnit: ward.id)
        #expect(narrowed.contains { $0.id == one.id })
        #expect(try db.officials(matching: "kinh te khongcoai", withinUnit: ward.id).isEmpty)
    }

    @Test func theDueSoonViewHoldsExactlyTheCasesTheTitleBarCounts() throws {
        let db = try Fixtures.demo()
        let hk = try #require(try db.unit(code: "00070"))
        let supervisor = try #require(try db.official(login: "lanhdao.hoankiem"))
        // Pause a case due soon: it leaves both the view and the count.
        let ref = try db.reference()
        let bound = ref.calendar.add(ref.policy.dueSoonDays, to: Day(Fixtures.now), counting: .working).end
        let filter = QueueView.dueSoon.filter(for: supervisor, now: Fixtures.now, dueSoonBound: bound)
        let rows = try db.queue(QueueQuery(filter: filter, limit: 10_000), now: Fixtures.now)
        let counts = try db.counts(unitSubtree: hk.id, now: Fixtures.now)
        #expect(rows.allSatisfy { $0.deadline.state == .dueSoon }, "\(rows.map { ($0.code, $0.deadline.state) })")
        #expect(counts.dueSoon == rows.count)
        if let r = rows.first(where: { $0.status == .inProgress }),
           let handler = try db.official(id: try #require(try db.resolveCase(r.code).assigneeId)) {
            _ = try db.perform(.wait(request: "Đề nghị bổ sung ảnh"), on: r.code, by: handler, at: Fixtures.now)
            let after = try db.queue(QueueQuery(filter: filter, limit: 10_000), now: Fixtures.now)
            #expect(!after.contains { $0.id == r.id })
            #expect(try db.counts(unitSubtree: hk.id, now: Fixtures.now).dueSoon == after.count)
        }
    }
}
