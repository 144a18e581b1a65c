import Foundation
import PaknTestSupport
import PaknCore
@testable import PaknDemo
@testable import PaknStore
import Testing
@testable import PaknUI

/// A demo database generated once per run (the real workflow made every case) and copied
/// for each test.
enum DemoDB {
    static let now = ISO8601.parse("2026-11-23T09:00:00+07:00")!

    static func tempPath(_ name: String) -> String {
        TestScratch.path(in: "pakn-ui-tests", name)
    }

    static let template: String = {
        let path = tempPath("demo-template")
        _ = try! DemoGenerator.create(path: path, options: DemoOptions(cases: 600, seed: 11, now: now, login: "tester"))
        // Whatever the generator's dice gave Hoàn Kiếm, its clerk has new cases to triage.
        let db = try! AppDatabase(path: path, create: false)
        let clerk = try! db.official(login: "vanthu.hoankiem")!
        for (i, title) in ["Ngập nước sau mưa trên phố Hàng Bông", "Xe máy đỗ tràn vỉa hè phố Hàng Gai",
                           "Đèn chiếu sáng hỏng trên phố Tràng Tiền"].enumerated() {
            _ = try! db.intake(IntakeDraft(title: title, body: title + ", đề nghị phường kiểm tra, xử lý.", kind: .feedback,
                                           category: "urban_order", channel: .hotline, wardCode: "00070",
                                           address: "\(12 + i) " + title.components(separatedBy: " phố ").last!,
                                           routing: .none),
                               by: clerk, at: now.addingTimeInterval(Double(-3600 * (i + 1))))
        }
        // ... and its supervisor has overdue cases to chase: two letters logged late, their
        // clocks running from the day they were received, six weeks ago.
        for (i, title) in ["Rác thải tồn đọng nhiều ngày trên phố Hàng Mã", "Lấn chiếm vỉa hè trên phố Hàng Khay"].enumerated() {
            _ = try! db.intake(IntakeDraft(title: title, body: title + ", đề nghị phường xử lý dứt điểm.", kind: .feedback,
                                           category: "urban_order", channel: .letter, wardCode: "00070",
                                           receivedAt: now.addingTimeInterval(Double(-86400 * (42 + i)))),
                               by: clerk, at: now.addingTimeInterval(Double(-7200 * (i + 1))))
        }
        return path
    }()

    static func copy() throws -> AppDatabase {
        let dst = tempPath("demo")
        for suffix in ["", "-wal"] where FileManager.default.fileExists(atPath: template + suffix) {
            try FileManager.default.copyItem(atPath: template + suffix, toPath: dst + suffix)
        }
        return try AppDatabase(path: dst, create: false)
    }

    static func official(_ db: AppDatabase, _ login: String) throws -> Official {
        try #require(try db.official(login: login))
    }

    static func runner(_ db: AppDatabase, _ login: String, width: Int = 80, height: Int = 24, view: QueueView? = nil,
                       lang: Lang = .vi) throws -> DeskRunner {
        let r = try DeskRunner(session: try db.session(login: login, now: now), lang: lang, width: width, height: height,
                               view: view)
        r.start()
        return r
    }

    /// Every row of the current queue, read by moving the selection down to the end.
    static func walk(_ r: DeskRunner) -> [QueueRow] {
        r.send(.char("g"))
        var seen: [QueueRow] = []
        var lastId: Int64?
        while let row = r.state.selectedRow, row.id != lastId {
            seen.append(row)
            lastId = row.id
            r.send(.char("j"))
        }
        return seen
    }
}

@Suite("Desk runner against a demo database", .serialized)
struct DeskRunnerTests {
    @Test func supervisorsOverdueViewIsExactlyTheOverdueCasesOfTheSubtree() throws {
        let db = try DemoDB.copy()
        let r = try DemoDB.runner(db, "lanhdao.hoankiem", width: 120, height: 40)
        #expect(r.state.spec.view == .overdue)
        let shown = DemoDB.walk(r)
        // Independently: every case of the database, its deadline state computed in Swift,
        // kept if its responsible unit lies in the supervisor's subtree.
        let me = try DemoDB.official(db, "lanhdao.hoankiem")
        let everything = try db.queue(QueueQuery(limit: 100_000), now: DemoDB.now)
        let expected = try everything.filter { row in
            guard row.deadline.state == .overdue, let unit = try db.resolveCase(row.code).unitId else { return false }
            return try db.isWithin(unit: unit, ancestor: me.unitId)
        }
        #expect(!expected.isEmpty)
        #expect(Set(shown.map(\.id)) == Set(expected.map(\.id)))
        #expect(shown.count == expected.count)
        // Shown most urgent first, with the counts in the title bar and the per-unit groups agreeing.
        #expect(shown.map(\.dueAt) == shown.map(\.dueAt).sorted())
        #expect(r.state.counts?.overdue == expected.count)
        #expect(r.state.groups.reduce(0) { $0 + $1.count } == expected.count)
        #expect(r.frame().line(0).contains("Quá hạn \(expected.count)"))
        // Narrowing to one unit shows that unit's count.
        r.send(.char("]"))
        let first = try #require(r.state.groups.first)
        #expect(DemoDB.walk(r).count == first.count)
    }

    @Test func queueIsFetchedInPagesAroundTheSelection() throws {
        let db = try DemoDB.copy()
        let r = try DemoDB.runner(db, "tester", view: .all)
        let total = try db.count(QueueView.all.filter(for: try DemoDB.official(db, "tester"), now: DemoDB.now,
                                                     dueSoonBound: DemoDB.now), now: DemoDB.now)
        #expect(total == 605) // 600 generated, 3 taken in for triage, 2 overdue
        // A screen and a margin, then the rest as the selection moves on.
        #expect(r.state.queue.rows.count == DeskUpdate.firstPage(r.state))
        r.send(.char("G"))
        let all = try db.queue(QueueQuery(filter: QueueFilter(unitSubtree: try DemoDB.official(db, "tester").unitId), limit: 1000),
                               now: DemoDB.now)
        #expect(r.state.selectedRow?.id == all.last?.id)
        #expect(r.state.queue.rows.count == DeskUpdate.firstPage(r.state))
        let shown = DemoDB.walk(r)
        #expect(shown.map(\.id) == all.map(\.id))
        #expect(r.state.queue.rows.count <= r.state.maxWindow)
    }

    @Test func cursorOfACaseMatchesTheStoresKeysetKey() throws {
        let db = try DemoDB.copy()
        for order in QueueOrder.allCases {
            let rows = try db.queue(QueueQuery(order: order, limit: 80), now: DemoDB.now)
            for row in rows {
                #expect(QueueCursor.of(try db.resolveCase(row.code), order: order) == row.cursor, "\(order) \(row.code)")
            }
        }
    }

    @Test func clerkRoutesFromTriageAndTheSelectionMovesOn() throws {
        let db = try DemoDB.copy()
        let r = try DemoDB.runner(db, "vanthu.hoankiem", width: 120, height: 40)
        #expect(r.state.spec.view == .triage)
        let before = r.state.queue.rows.map(\.id)
        try #require(before.count >= 2)
        let target = try #require(r.state.selectedRow)
        let next = before[1]
        r.send(.char("r"))
        r.type("kinh te")
        guard case let .picker(p) = r.state.mode else { Issue.record("no unit picker"); return }
        #expect(p.items.first?.label.hasPrefix("Phòng Kinh tế") == true, "\(p.items.map(\.label))")
        r.send(.enter)
        #expect(r.state.notice?.isError == false, "\(r.state.notice?.text(.en) ?? "")")
        let c = try db.resolveCase(target.code)
        #expect(c.status == .routed)
        #expect(try db.history(caseRef: target.code, viewer: try DemoDB.official(db, "vanthu.hoankiem")).last?.event.action == .route)
        // Routed, it left triage; the case after it is selected.
        #expect(!r.state.queue.rows.contains { $0.id == target.id })
        #expect(r.state.selectedRow?.id == next)
        #expect(r.state.selectedDetail?.case.id == next)
    }

    @Test func handlerRepliesInVietnameseAndTheCaseIsResolved() throws {
        let db = try DemoDB.copy()
        let r = try DemoDB.runner(db, "canbo.hoankiem.kt", width: 160, height: 50)
        #expect(r.state.spec.view == .mine)
        // Find an in-progress case of mine.
        let rows = DemoDB.walk(r)
        let idx = try #require(rows.firstIndex { $0.status == .inProgress })
        r.send(.char("g"))
        for _ in 0..<idx { r.send(.char("j")) }
        let target = try #require(r.state.selectedRow)
        r.send(.char("R"))
        // NFD input, as some input methods send it.
        r.type("Đã thu dọn xong, trân trọng cảm ơn ông/bà.".decomposedStringWithCanonicalMapping)
        r.send(.ctrl("s"))
        // A reply goes to the citizen: the desk shows it once more and asks.
        #expect(r.state.mode == .confirm(.send(DraftKey(caseId: target.id, kind: .reply))))
        #expect(r.frame().text.contains("Đã trả lời"))
        r.send(.char("y"))
        #expect(r.state.notice?.isError == false, "\(r.state.notice?.text(.en) ?? "")")
        let c = try db.resolveCase(target.code)
        #expect(c.status == .resolved)
        #expect(c.reply == "Đã thu dọn xong, trân trọng cảm ơn ông/bà.")
        #expect(c.reply?.unicodeScalars.elementsEqual("Đã thu dọn xong, trân trọng cảm ơn ông/bà.".precomposedStringWithCanonicalMapping.unicodeScalars) == true)
        #expect(r.state.drafts.isEmpty)
    }

    @Test func conflictShowsTheMessageReloadsAndTheRetryWorks() throws {
        let db = try DemoDB.copy()
        let r = try DemoDB.runner(db, "canbo.hoankiem.kt", width: 120, height: 40)
        let row = try #require(r.state.selectedRow)
        let seen = try #require(r.state.selectedDetail?.case.version)
        // Someone else writes a note on the same case meanwhile.
        let other = try DemoDB.official(db, "lanhdao.hoankiem")
        try db.perform(.note(text: "Lãnh đạo đã xem"), on: row.code, by: other, at: DemoDB.now)
        r.send(.char("t"))
        r.type("Đã gọi điện cho công dân")
        r.send(.ctrl("s"))
        let n = try #require(r.state.notice)
        #expect(n.isError)
        #expect(n.text(.vi) == StoreError.conflict(code: row.code, expected: seen, found: seen + 1).text(.vi))
        // The draft is kept, the case reloaded at its new version, the selection unchanged.
        #expect(r.state.drafts[DraftKey(caseId: row.id, kind: .note)]?.text == "Đã gọi điện cho công dân")
        #expect(r.state.selectedDetail?.case.version == seen + 1)
        #expect(r.state.selectedRow?.id == row.id)
        #expect(r.frame().text.contains("vừa được người khác thay đổi"))
        // Still in the editor: sending again uses the version now on screen.
        #expect(r.state.composing == DraftKey(caseId: row.id, kind: .note))
        r.send(.ctrl("s"))
        #expect(r.state.notice?.isError == false)
        #expect(try db.history(caseRef: row.code, viewer: try DemoDB.official(db, "canbo.hoankiem.kt")).last?.event.note == "Đã gọi điện cho công dân")
    }

    /// A change made by someone else while the official writes (reloaded behind the editor,
    /// unseen at 80×24) makes the send a conflict, not a silent overwrite.
    @Test func aChangeWhileWritingIsAConflictEvenAfterTheReload() throws {
        let db = try DemoDB.copy()
        let r = try DemoDB.runner(db, "canbo.hoankiem.kt")
        let row = try #require(r.state.selectedRow)
        let seen = try #require(r.state.selectedDetail?.case.version)
        r.send(.char("t"))
        r.type("Đã hẹn kiểm tra hiện trường")
        let other = try AppDatabase(path: db.path, create: false)
        try other.perform(.note(text: "Lãnh đạo chỉ đạo thêm"), on: row.code, by: try DemoDB.official(db, "lanhdao.hoankiem"),
                          at: DemoDB.now)
        #expect(r.pollForChanges())
        #expect(r.state.selectedDetail?.case.version == seen + 1, "reloaded behind the editor")
        r.send(.ctrl("s"))
        let n = try #require(r.state.notice)
        #expect(n.isError && n.text(.vi) == StoreError.conflict(code: row.code, expected: seen, found: seen + 1).text(.vi))
        #expect(try db.resolveCase(row.code).version == seen + 1, "only the other official's note")
        #expect(r.state.drafts[DraftKey(caseId: row.id, kind: .note)]?.text == "Đã hẹn kiểm tra hiện trường")
        // Sent again, knowingly: it goes through.
        r.send(.ctrl("s"))
        #expect(r.state.notice?.isError == false, "\(r.state.notice?.text(.en) ?? "")")
        #expect(try db.resolveCase(row.code).version == seen + 2)
        #expect(try db.history(caseRef: row.code, viewer: try DemoDB.official(db, "admin")).last?.event.note == "Đã hẹn kiểm tra hiện trường")
    }

    @Test func ownWritesDoNotTriggerAReloadButOthersDo() throws {
        let db = try DemoDB.copy()
        let r = try DemoDB.runner(db, "canbo.hoankiem.kt", width: 120, height: 40)
        r.send(.char("t")); r.type("Ghi chú của tôi"); r.send(.ctrl("s"))
        #expect(r.state.notice?.isError == false)
        #expect(!r.pollForChanges())
        let other = try AppDatabase(path: db.path, create: false)
        let row = try #require(r.state.selectedRow)
        try other.perform(.note(text: "Của người khác"), on: row.code, by: try DemoDB.official(db, "lanhdao.hoankiem"), at: DemoDB.now)
        #expect(r.pollForChanges())
        #expect(r.state.selectedDetail?.history.last?.event.note == "Của người khác")
    }

    @Test func permissionErrorsAreShownNotThrown() throws {
        let db = try DemoDB.copy()
        let r = try DemoDB.runner(db, "xem.hanoi", width: 120, height: 40, view: .all)
        let row = try #require(r.state.selectedRow)
        let before = try db.resolveCase(row.code)
        // A viewer may not write notes: said at once, no editor to type into.
        r.send(.char("t"))
        let n = try #require(r.state.notice)
        #expect(n.isError)
        #expect(n.text(.en).contains("lacks the permission \"note\""), "\(n.text(.en))")
        #expect(r.state.composing == nil)
        #expect(try db.resolveCase(row.code) == before)
    }

    /// The store is the authority: a role taken away after the desk opened is refused by
    /// `Guard` when the action is performed, shown on the status line, recorded as a refusal,
    /// and the case stays as it was.
    @Test func aRoleTakenAwayMeanwhileIsRefusedByTheStore() throws {
        let db = try DemoDB.copy()
        let r = try DemoDB.runner(db, "canbo.hoankiem.kt", width: 120, height: 40)
        let row = try #require(r.state.selectedRow)
        let before = try db.resolveCase(row.code)
        r.send(.char("t"))
        r.type("Ghi chú sau khi bị đổi vai trò")
        _ = try db.setRole(login: "canbo.hoankiem.kt", role: .viewer, by: try DemoDB.official(db, "admin"), at: DemoDB.now)
        r.send(.ctrl("s"))
        let n = try #require(r.state.notice)
        #expect(n.isError)
        #expect(n.text(.vi).contains("không có quyền \"note\""), "\(n.text(.vi))")
        #expect(try db.resolveCase(row.code) == before, "the case is untouched")
        #expect(r.state.drafts[DraftKey(caseId: row.id, kind: .note)]?.text == "Ghi chú sau khi bị đổi vai trò", "the draft is kept")
        let last = try db.history(caseRef: row.code, viewer: try DemoDB.official(db, "admin")).last?.event
        #expect(last?.action == .refused)
        #expect(r.frame().text.contains("không có quyền"))
    }

    /// A case outside the official's units, asked for by code, is refused with the store's
    /// scope message and nothing about it is shown.
    @Test func aCaseOutsideTheScopeIsRefused() throws {
        let db = try DemoDB.copy()
        let clerk = try DemoDB.official(db, "vanthu.hoankiem")
        let admin = try DemoDB.official(db, "admin")
        let all = try db.queue(QueueQuery(filter: QueueFilter(openOnly: true), limit: 2000), now: DemoDB.now)
        var outside: QueueRow?
        for row in all where outside == nil {
            if (try? db.detail(caseRef: row.code, viewer: clerk, now: DemoDB.now)) == nil { outside = row }
        }
        let foreign = try #require(outside, "the demo has cases outside Hoàn Kiếm")
        let before = try db.detail(caseRef: foreign.code, viewer: admin, now: DemoDB.now).case
        let r = try DemoDB.runner(db, "vanthu.hoankiem", width: 120, height: 40, view: .all)
        r.send(.char(":"))
        r.type("goto \(foreign.code)")
        r.send(.enter)
        let screen = r.frame().text
        // Its code is unique (titles repeat across wards: the same complaint in two places);
        // only the status line may echo the code as typed, in its "no case" message.
        let panes = screen.components(separatedBy: "\n").dropLast(1).joined(separator: "\n")
        #expect(!panes.contains(foreign.code), "nothing of the foreign case is shown")
        let inScopeTitles = Set(try db.queue(QueueQuery(filter: QueueFilter(unitSubtree: clerk.unitId), limit: 5000),
                                             now: DemoDB.now).map { String($0.title.prefix(20)) })
        if !inScopeTitles.contains(String(foreign.title.prefix(20))) {
            #expect(!screen.contains(foreign.title.prefix(20)), "the foreign case's title is not shown")
        }
        #expect(r.state.selectedDetail?.case.id != foreign.id)
        #expect(try db.detail(caseRef: foreign.code, viewer: admin, now: DemoDB.now).case == before)
    }

    @Test func aNewDayReloadsTheDeadlines() throws {
        let db = try DemoDB.copy()
        var clock = DemoDB.now
        let r = try DeskRunner(session: try db.session(login: "lanhdao.hoankiem", clock: { clock }), lang: .vi, width: 120, height: 40,
                               view: .all)
        r.start()
        let row = try #require(r.state.selectedRow)
        #expect(!r.pollForChanges(), "nothing changed, same day")
        clock = clock.addingTimeInterval(3600)
        #expect(!r.pollForChanges(), "an hour later, still the same day")
        clock = clock.addingTimeInterval(86_400)
        #expect(r.pollForChanges(), "the next day, deadlines move")
        let moved = try #require(r.state.queue.rows.first { $0.id == row.id })
        #expect(moved.deadline.daysLeft != row.deadline.daysLeft || moved.deadline.state != row.deadline.state,
                "\(row.deadline) → \(moved.deadline)")
        #expect(r.state.selectedRow?.id == row.id, "the selection stays")
    }

    @Test func changesElsewhereReloadAndKeepTheSelection() throws {
        let db = try DemoDB.copy()
        let r = try DemoDB.runner(db, "lanhdao.hoankiem", width: 120, height: 40, view: .all)
        for _ in 0..<5 { r.send(.char("j")) }
        let selected = try #require(r.state.selectedRow)
        let clerk = try DemoDB.official(db, "vanthu.hoankiem")
        // A new case received elsewhere, already overdue-free but due before many others.
        let c = try db.intake(IntakeDraft(title: "Cống thoát nước bị tắc ở ngõ 5 Hàng Bạc", body: "Nước tràn lên mặt đường.",
                                          kind: .feedback, category: "environment", channel: .hotline, wardCode: "00070"),
                              by: clerk, at: DemoDB.now)
        // Another connection: the desk's next poll sees it.
        let other = try AppDatabase(path: db.path, create: false)
        try other.perform(.note(text: "Đã nhận"), on: c.code, by: clerk, at: DemoDB.now)
        let openBefore = r.state.counts?.open ?? 0
        var reloaded = false
        for _ in 0..<3 where !reloaded { reloaded = r.pollForChanges() }
        #expect(reloaded)
        #expect(r.state.selectedRow?.id == selected.id)
        #expect(r.state.counts?.open == openBefore + 1)
        #expect(!r.pollForChanges())
    }

    @Test func rendersEveryScreenWithoutControlCharactersInBothLanguages() throws {
        let db = try DemoDB.copy()
        for lang in Lang.allCases {
            for (w, h) in [(80, 24), (120, 40), (180, 50)] {
                let r = try DemoDB.runner(db, "lanhdao.hoankiem", width: w, height: h, view: .all, lang: lang)
                for keys: [Key] in [[], [.char("j"), .enter], [.char("R")], [.escape, .char("?")], [.char("q"), .char("s")],
                                    [.escape, .char("a")], [.escape, .char("5")]] {
                    r.send(keys)
                    let g = r.frame()
                    for cell in g.cells {
                        #expect(!cell.text.unicodeScalars.contains { $0.value < 0x20 || (0x7F..<0xA0).contains($0.value) })
                    }
                }
            }
        }
    }
}
