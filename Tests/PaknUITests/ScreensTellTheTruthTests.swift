import Foundation
import PaknCore
@testable import PaknStore
import Testing
@testable import PaknUI

/// Issue 15, "Screens that tell the truth": the queue header counts the whole list, wider
/// terminals never show fewer columns, the history names people and units, marks belong
/// to a view, a bulk result names what was refused, deadlines say "1 day".
@Suite("Screens that tell the truth")
struct ScreensTellTheTruthTests {
    /// The right end of the queue pane's title line ("18/245").
    static func header(_ desk: FakeDesk) -> String {
        let l = desk.state.layout
        let line = desk.grid.line(l.queue.y)
        return line.split(separator: " ").filter { $0.contains("/") && $0.first!.isNumber || $0.hasPrefix("…") }.last.map(String.init) ?? line
    }

    @Test func theHeaderCountsTheWholeListNotTheRowsRead() {
        let desk = FakeDesk(rows: DeskFixtures.rows(245), width: 80, height: 24, view: .all)
        #expect(desk.state.queue.rows.count < 245)
        #expect(Self.header(desk) == "1/245")
        for _ in 0..<17 { desk.send(.char("j")) }
        #expect(Self.header(desk) == "18/245")
        desk.send(.char("G"))
        #expect(Self.header(desk) == "245/245")
        desk.send(.char("k"))
        #expect(Self.header(desk) == "244/245")
        desk.send(.char("g"))
        #expect(Self.header(desk) == "1/245")
        // Counted once for the list, not at every key.
        let counts = desk.effects.filter { if case .countQueue = $0 { return true }; return false }
        #expect(counts.count == 1)
        // Another filter is another list, counted again.
        desk.send(.char("/"))
        desk.type("rác")
        desk.send(.enter)
        let matching = desk.filtered(desk.state.spec).count
        #expect(matching > 0 && matching < 245)
        #expect(Self.header(desk) == "1/\(matching)")
    }

    @Test func aWindowOpenedInTheMiddleIsPlacedByACount() {
        let desk = FakeDesk(rows: DeskFixtures.rows(400), width: 80, height: 24, view: .all)
        // Down to the 200th case, then another sort: the window is read around the case.
        for _ in 0..<199 { desk.send(.char("j")) }
        desk.send(.char("o"))
        #expect(desk.state.selectedRow?.code == "HN-2026-000200")
        #expect(desk.state.queue.moreAbove && desk.state.queue.moreBelow)
        #expect(Self.header(desk) == "200/400")
        // Scrolling a long way keeps the count right as rows leave the window.
        for _ in 0..<150 { desk.send(.char("j")) }
        #expect(Self.header(desk) == "350/400")
        for _ in 0..<320 { desk.send(.char("k")) }
        #expect(Self.header(desk) == "30/400")
    }

    @Test func widerTerminalsShowMoreColumnsNeverFewer() {
        var previous: Set<QueueColumns.Column> = []
        var previousTitle = 0
        for w in DeskLayout.minWidth...320 {
            let l = DeskLayout(width: w, height: 40, composing: false)
            let cols = QueueColumns(width: l.queue.width)
            let set = Set(cols.columns)
            #expect(set.isSuperset(of: previous), "at \(w): \(cols.columns) after \(previous)")
            // The title takes what is left, and never shrinks while no column is added.
            if set == previous { #expect(cols.titleWidth >= previousTitle, "at \(w)") }
            previous = set
            previousTitle = cols.titleWidth
        }
        // 140×40 (the wide layout) shows the status, and everything at the widest.
        let desk = FakeDesk(rows: DeskFixtures.rows(30), width: 140, height: 40)
        #expect(desk.state.layout.kind == .wide)
        #expect(desk.screen.contains("Trạng thái"))
        #expect(desk.screen.contains("Chi tiết HN-2026-000001") && desk.screen.contains("Trả lời"))
        #expect(Set(QueueColumns(width: 320).columns) == Set(QueueColumns.Column.allCases))
    }

    @Test func theHistoryNamesPeopleAndUnits() {
        let desk = FakeDesk(rows: DeskFixtures.rows(3), width: 120, height: 60)
        guard var d = desk.state.detail else { Issue.record("no detail"); return }
        let at = DeskFixtures.now
        func event(_ id: Int64, _ action: ActionName) -> Event {
            Event(id: id, draft: EventDraft(caseId: d.case.id, at: at, actorId: 8, action: action, fromStatus: .routed,
                                            toStatus: .assigned), hash: "h")
        }
        d.history += [HistoryEntry(event: event(3, .assign), actorName: "Lê Thị Hoa",
                                   assignedTo: "Lê Gia Lộc (Phòng Kinh tế, Hạ tầng và Đô thị — Phường Hoàn Kiếm)"),
                      HistoryEntry(event: event(4, .transfer), actorName: "Lê Thị Hoa",
                                   sentTo: "Phòng Văn hóa - Xã hội — Phường Hoàn Kiếm")]
        desk.handle(.detailLoaded(d, templates: DeskFixtures.templates))
        for (lang, assigned, transferred) in [(Lang.vi, "Giao cho Lê Gia Lộc (Phòng Kinh tế", "Chuyển sang Phòng Văn hóa - Xã hội"),
                                              (.en, "Assigned to Lê Gia Lộc (Phòng Kinh tế", "Transferred to Phòng Văn hóa - Xã hội")] {
            var s = desk.state
            s.lang = lang
            let text = DetailText.lines(d, state: s, width: 110).map { $0.map(\.text).joined() }.joined(separator: "\n")
            #expect(text.contains(assigned), "\(text)")
            #expect(text.contains(transferred), "\(text)")
        }
    }

    @Test func marksBelongToAViewAndLeavingItAsks() {
        let desk = FakeDesk(rows: DeskFixtures.rows(20), width: 100, height: 30, view: .all)
        desk.send([.char(" "), .char(" ")])
        #expect(desk.state.marks.count == 2)
        desk.send(.char("5"))
        #expect(desk.state.mode == .confirm(.switchView(.overdue)))
        #expect(desk.screen.contains("2 hồ sơ đang đánh dấu"))
        desk.send(.char("n"))
        #expect(desk.state.spec.view == .all && desk.state.marks.count == 2)
        desk.send(.char("5"))
        desk.send(.char("y"))
        #expect(desk.state.spec.view == .overdue && desk.state.marks.isEmpty)
        // Without marks, no question.
        desk.send(.char("8"))
        #expect(desk.state.spec.view == .all && desk.state.mode == .normal)
    }

    @Test func aBulkResultNamesTheRefusedCasesAndWhy() {
        let desk = FakeDesk(rows: DeskFixtures.rows(10), width: 120, height: 40, view: .all)
        desk.send([.char(" "), .char(" "), .char(" "), .char(" ")])
        let out = Notice(StoreError.outOfScope(login: "x", code: "HN-2026-000002"))
        let state = Notice(WorkflowError.illegalTransition(action: .assign, from: .closed, allowed: []))
        desk.failFor = [2: out, 3: state, 4: state]
        desk.send(.char("a"))
        desk.send(.enter)   // the first official
        let n = try! #require(desk.state.notice)
        #expect(n.isError)
        #expect(n.vi.hasPrefix("1 hồ sơ xong, 3 bị từ chối (vẫn đánh dấu)"), "\(n.vi)")
        #expect(n.en.contains("HN-2026-000003, HN-2026-000004: " + state.en), "\(n.en)")
        #expect(n.en.contains("HN-2026-000002: " + out.en), "\(n.en)")
        #expect(Set(desk.state.marks.keys) == [2, 3, 4])
    }

    @Test func deadlineTextsSayOneDayNotOneDays() {
        #expect(L10n.counted("desk.d.paused_days", .en, 1, 1) == "1 day paused")
        #expect(L10n.counted("desk.d.paused_days", .en, 3, 3) == "3 days paused")
        #expect(L10n.counted("desk.d.counting.calendar", .en, 1, 1) == "1 calendar day")
        #expect(L10n.counted("desk.d.extended_once", .en, 1, 1) == "once, 1 more day")
        #expect(L10n.counted("desk.d.extended_value", .en, 1, 2, 1) == "2 times, 1 more day")
        let one = Deadline(ruleId: "r", counting: .calendar, start: DeskFixtures.today, days: 1, acceptDays: 1)
        #expect(one.acceptanceText(.en) == "Resolution: 1 day from acceptance")
        let left = DeadlineStatus(state: .dueSoon, dueDay: DeskFixtures.today.adding(1), daysLeft: 1)
        #expect(left.text(.en) == "1 day left")
        // Every English deadline text of every count from 0 to 3 reads in the right number.
        for n in 0...3 {
            for counting in [DayCounting.working, .calendar] {
                for state in [DueState.ok, .dueSoon, .overdue] {
                    let st = DeadlineStatus(state: state, dueDay: DeskFixtures.today, daysLeft: state == .overdue ? -n : n, counting: counting)
                    for text in [st.text(.en), st.shortText(.en)] {
                        #expect(!text.contains("1 days") && !text.contains("1 workdays") && !text.contains("1 working days"), "\(text)")
                    }
                }
            }
        }
    }
}

@Suite("Screens that tell the truth, on a demo database", .serialized)
struct ScreensTellTheTruthDemoTests {
    /// Most urgent first, strictly: running clocks by due time (overdue longest first),
    /// paused ones after them, finished ones last; the header counts them all.
    @Test func mostUrgentFirstIsStrictAndCounted() throws {
        let db = try DemoDB.copy()
        let r = try DemoDB.runner(db, "taphuan", width: 100, height: 30, view: .all)
        r.idle()
        let rows = DemoDB.walk(r)
        let tiers = rows.map { QueueCursor.urgencyTier(status: $0.status) }
        #expect(tiers == tiers.sorted())
        #expect(Set(tiers) == [0, 1, 2])
        for t in 0...2 {
            let due = rows.filter { QueueCursor.urgencyTier(status: $0.status) == t }.map(\.dueAt)
            #expect(due == due.sorted())
        }
        let running = rows.filter { QueueCursor.urgencyTier(status: $0.status) == 0 }.map(\.deadline.state)
        let firstNotOverdue = running.firstIndex { $0 != .overdue } ?? running.count
        #expect(running[firstNotOverdue...].allSatisfy { $0 != .overdue })
        r.idle()
        let title = r.frame().line(r.state.layout.queue.y)
        #expect(title.contains("\(rows.count)/\(rows.count)"), "\(title)")
        // A window read around a case in the middle of the order (another sort and back:
        // deadline → received → code → deadline) is placed by a count.
        let middle = rows[rows.count / 2]
        r.send(.char("g"))
        for _ in 0..<(rows.count / 2) { r.send(.char("j")) }
        r.send([.char("o"), .char("o"), .char("o")])
        r.idle()
        #expect(r.state.selectedRow?.id == middle.id)
        #expect(r.frame().line(r.state.layout.queue.y).contains("\(rows.count / 2 + 1)/\(rows.count)"))
    }
}
