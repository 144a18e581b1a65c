import Foundation
import PaknCore
import PaknStore
import Testing
@testable import PaknUI

@Suite("Desk update (pure)")
struct UpdateTests {
    // MARK: Navigation and the page window

    @Test func startLoadsOnePageNotTheTable() {
        let desk = FakeDesk(rows: DeskFixtures.rows(1000))
        // A screen and a margin: the rest is read as the selection moves on.
        #expect(desk.state.queue.rows.count == DeskUpdate.firstPage(desk.state))
        #expect(desk.state.queue.rows.count < desk.state.pageSize)
        #expect(desk.state.queue.moreBelow)
        #expect(!desk.state.queue.moreAbove)
        #expect(desk.state.selectedDetail?.case.id == 1)
        #expect(desk.state.counts?.open == 1000)
    }

    @Test func movingDownFetchesPagesAndKeepsTheWindowBounded() {
        let desk = FakeDesk(rows: DeskFixtures.rows(1000))
        for _ in 0..<650 { desk.send(.char("j")) }
        #expect(desk.state.selectedRow?.id == 651)
        #expect(desk.state.queue.rows.count <= desk.state.maxWindow)
        #expect(desk.state.queue.moreAbove)
        // Every row in the window is contiguous in queue order.
        let ids = desk.state.queue.rows.map(\.id)
        #expect(zip(ids, ids.dropFirst()).allSatisfy { $1 == $0 + 1 })
        // Only keyset pages were asked for, never more than a page at a time.
        for case let .loadQueue(req) in desk.effects { #expect(req.limit <= desk.state.pageSize) }
        // Back up: pages come back in from above.
        for _ in 0..<600 { desk.send(.char("k")) }
        #expect(desk.state.selectedRow?.id == 51)
        #expect(desk.state.queue.rows.count <= desk.state.maxWindow)
        let ids2 = desk.state.queue.rows.map(\.id)
        #expect(zip(ids2, ids2.dropFirst()).allSatisfy { $1 == $0 + 1 })
    }

    @Test func endAndHomeJumpWithoutWalkingThePages() {
        let desk = FakeDesk(rows: DeskFixtures.rows(1000))
        desk.effects = []
        desk.send(.char("G"))
        #expect(desk.state.selectedRow?.id == 1000)
        #expect(desk.effects.contains { if case let .loadQueue(r) = $0 { return r.placement == .last }; return false })
        desk.send(.pageUp)
        let visible = desk.state.layout.queueRows(groupLine: false)
        #expect(desk.state.selectedRow?.id == Int64(1000 - visible))
        desk.send(.char("g"))
        #expect(desk.state.selectedRow?.id == 1)
        #expect(!desk.state.queue.moreAbove)
        desk.send(.pageDown)
        #expect(desk.state.selectedRow?.id == Int64(1 + visible))
        #expect(desk.state.queue.top <= desk.state.queue.selected)
        #expect(desk.state.queue.selected < desk.state.queue.top + visible)
    }

    @Test func upAtTheTopAndDownAtTheEndStayPut() {
        let desk = FakeDesk(rows: DeskFixtures.rows(3))
        desk.send(.up)
        #expect(desk.state.queue.selected == 0)
        desk.send([.down, .down, .down, .down])
        #expect(desk.state.selectedRow?.id == 3)
        #expect(!desk.state.queue.moreBelow)
    }

    @Test func emptyQueueIsCalm() {
        let desk = FakeDesk(rows: [])
        desk.send([.char("j"), .char("G"), .enter, .char("a"), .char("R")])
        #expect(desk.state.selectedRow == nil)
        #expect(desk.state.detail == nil)
        #expect(desk.state.composing == nil)
        #expect(desk.state.notice?.text(.en) == "No case selected.")
        #expect(desk.screen.contains("Không có hồ sơ nào"))
    }

    @Test func viewsSwitchWithOneKeyAndOverdueLoadsGroups() {
        let desk = FakeDesk(rows: DeskFixtures.rows(20))
        desk.send(.char("5"))
        #expect(desk.state.spec.view == .overdue)
        #expect(desk.state.groups.count == 2)
        desk.send(.char("]"))
        #expect(desk.state.spec.group?.id == DeskFixtures.dept.id)
        desk.send(.char("]"))
        #expect(desk.state.spec.group?.id == DeskFixtures.ward.id)
        desk.send(.char("]"))
        #expect(desk.state.spec.group == nil)
        desk.send(.char("8"))
        #expect(desk.state.spec.view == .all)
        #expect(desk.state.spec.group == nil)
        desk.send(.char(":")); desk.type("view due soon"); desk.send(.enter)
        #expect(desk.state.spec.view == .dueSoon)
        desk.send(.char(":")); desk.type("view qua han"); desk.send(.enter)
        #expect(desk.state.spec.view == .overdue)
    }

    @Test func orderChangeKeepsTheSelectedCase() {
        let desk = FakeDesk(rows: DeskFixtures.rows(300))
        desk.send([.char("j"), .char("j"), .char("j")])
        let id = desk.state.selectedRow?.id
        desk.send(.char("o"))
        // The next sort column: the day received, oldest first.
        #expect(desk.state.spec.order == .oldest && !desk.state.spec.reversed)
        #expect(desk.state.selectedRow?.id == id)
        desk.send(.char("z"))
        #expect(desk.state.spec.sort.column == .received && desk.state.spec.sort.descending)
        #expect(desk.state.selectedRow?.id == id)
    }

    @Test func searchFiltersAsYouTypeVietnameseAware() {
        let desk = FakeDesk(rows: DeskFixtures.rows(60))
        desk.send(.char("/"))
        desk.type("duong")
        // Titles are NFD for "Đường …": folding matches them.
        #expect(desk.state.spec.text == "duong")
        #expect(!desk.state.queue.rows.isEmpty)
        #expect(desk.state.queue.rows.allSatisfy { VietnameseFold.fold($0.title).contains("duong") })
        desk.send(.escape)
        #expect(desk.state.spec.text == "")
        #expect(desk.state.queue.rows.map(\.id) == Array(1...Int64(DeskUpdate.firstPage(desk.state))))
        #expect(desk.state.queue.moreBelow)
        desk.send(.char("/")); desk.type("ha noi"); desk.send(.enter)
        #expect(desk.state.mode == .normal)
        #expect(desk.state.queue.rows.allSatisfy { $0.title.contains("Hà Nội") })
        // Esc in the queue clears the search.
        desk.send(.escape)
        #expect(desk.state.spec.text == "")
    }

    @Test func quickFiltersByKindAndCategory() {
        let desk = FakeDesk(rows: DeskFixtures.rows(60))
        desk.send(.char("K"))
        guard case let .menu(m) = desk.state.mode else { Issue.record("no kind menu"); return }
        let complaint = m.items.firstIndex { $0.value == "complaint" }!
        for _ in 0..<complaint { desk.send(.char("j")) }
        desk.send(.enter)
        #expect(desk.state.spec.kind == .complaint)
        #expect(desk.state.queue.rows.allSatisfy { $0.kind == .complaint })
        desk.send(.char("L"))
        desk.type("dat dai")
        guard case let .picker(p) = desk.state.mode else { Issue.record("no category picker"); return }
        #expect(p.items.map(\.id) == ["land"])
        desk.send(.enter)
        #expect(desk.state.spec.category == "land")
        #expect(desk.state.queue.rows.allSatisfy { $0.category == "land" && $0.kind == .complaint })
        desk.send(.char("F"))
        #expect(desk.state.spec == QueueSpec(view: .mine))
    }

    // MARK: Pickers, confirmations, bulk

    @Test func assignPickerFiltersAsYouTypeAndPerforms() {
        let desk = FakeDesk(rows: DeskFixtures.rows(10))
        desk.send(.char("a"))
        guard case let .picker(p0) = desk.state.mode else { Issue.record("no picker"); return }
        #expect(p0.items.count == 4)
        desk.type("duong")
        guard case let .picker(p1) = desk.state.mode else { Issue.record("picker closed"); return }
        #expect(p1.items.map(\.label) == ["Trần Thị Đường"])
        desk.send(.backspace); desk.send(.backspace); desk.send(.backspace); desk.send(.backspace); desk.send(.backspace)
        desk.type("ha noi")
        guard case let .picker(p2) = desk.state.mode else { Issue.record("picker closed"); return }
        #expect(p2.items.map(\.label) == ["Phạm Hà Nội"])
        desk.send(.enter)
        #expect(desk.performed.count == 1)
        #expect(desk.performed[0].action == .assign(officialId: 3))
        #expect(desk.performed[0].expectedVersion == 3)
        #expect(desk.state.notice?.text(.vi).contains("Giao xử lý") == true)
    }

    @Test func pickerEscapeCancelsWithoutPerforming() {
        let desk = FakeDesk(rows: DeskFixtures.rows(10))
        desk.send(.char("r"))
        desk.send(.escape)
        #expect(desk.state.mode == .normal)
        #expect(desk.performed.isEmpty)
    }

    @Test func rejectAsksReasonThenConfirmation() {
        let desk = FakeDesk(rows: DeskFixtures.rows(10))
        desk.send(.char("x"))
        guard case .prompt = desk.state.mode else { Issue.record("no reason prompt"); return }
        desk.send(.enter) // empty reason refused
        #expect(desk.state.notice?.isError == true)
        guard case .prompt = desk.state.mode else { Issue.record("prompt closed on empty reason"); return }
        desk.type("Không thuộc thẩm quyền")
        desk.send(.enter)
        guard case .confirm = desk.state.mode else { Issue.record("no confirmation"); return }
        #expect(desk.screen.contains("Từ chối HN-2026-000001 với lý do \"Không thuộc thẩm quyền\"? (y/n)"))
        desk.send(.char("n"))
        #expect(desk.performed.isEmpty)
        #expect(desk.state.mode == .normal)

        desk.send(.char("x")); desk.type("Trùng nội dung"); desk.send(.enter); desk.send(.char("y"))
        #expect(desk.performed.map(\.action) == [.reject(reason: "Trùng nội dung")])
    }

    @Test func mergeResolvesTheMasterByCodeAndConfirms() {
        let desk = FakeDesk(rows: DeskFixtures.rows(10))
        desk.send(.char("j"))
        desk.send(.char("m"))
        desk.type("hn-2026-000005")
        desk.send(.enter)
        guard case let .confirm(.action(p)) = desk.state.mode else { Issue.record("no confirmation"); return }
        #expect(p.master?.id == 5)
        desk.send(.char("y"))
        #expect(desk.performed.map(\.action) == [.merge(masterId: 5)])
        #expect(desk.performed.first?.caseId == 2)
    }

    @Test func statusMenuOffersOnlyLegalPermittedActions() {
        let desk = FakeDesk(rows: DeskFixtures.rows(5, ).map { r in var r = r; r.status = .received; return r },
                            me: DeskFixtures.handler)
        desk.detailStatus = [1: .received]
        desk.send(.char("s"))
        guard case let .menu(m) = desk.state.mode else { Issue.record("no menu"); return }
        // A handler may not route (a clerk's permission); from received the workflow allows route, reject, merge, note.
        let offered = Set(m.items.map(\.value))
        let legal = Set(Workflow.allowedActions(from: .received).map(\.rawValue))
        #expect(offered.isSubset(of: legal))
        #expect(!offered.contains("route"))
        #expect(offered.contains("reject"))
        desk.send(.escape)
        // An action the workflow forbids from this status is refused at once with the reason.
        desk.send(.char("b"))
        #expect(desk.state.notice?.text(.en).contains("Cannot start a case that is Received") == true)
        #expect(desk.performed.isEmpty)
    }

    @Test func anActionTheRoleLacksIsRefusedBeforeAnythingIsAsked() {
        // A handler may not assign: no picker, the store's refusal text, nothing performed.
        let handler = FakeDesk(rows: DeskFixtures.rows(5), me: DeskFixtures.handler)
        handler.send(.char("a"))
        #expect(handler.state.mode == .normal)
        #expect(handler.state.notice?.isError == true)
        #expect(handler.state.notice?.text(.en).contains("lacks the permission \"assign\"") == true,
                "\(handler.state.notice?.text(.en) ?? "")")
        #expect(handler.performed.isEmpty)
        // A viewer may not reply: the composer does not open, so no reply is written in vain.
        var viewerMe = DeskFixtures.clerk
        viewerMe.role = .viewer
        let viewer = FakeDesk(rows: DeskFixtures.rows(5), me: viewerMe)
        viewer.send(.char("R"))
        #expect(viewer.state.composing == nil)
        #expect(viewer.state.notice?.text(.vi).contains("không có quyền") == true, "\(viewer.state.notice?.text(.vi) ?? "")")
        #expect(viewer.state.drafts.isEmpty)
        // A clerk may reply, and write notes.
        let clerk = FakeDesk(rows: DeskFixtures.rows(5), me: DeskFixtures.clerk)
        clerk.send(.char("R"))
        #expect(clerk.state.composing?.kind == .reply)
        #expect(clerk.state.notice?.isError != true)
        let noting = FakeDesk(rows: DeskFixtures.rows(5), me: DeskFixtures.clerk)
        noting.send(.char("t"))
        #expect(noting.state.composing?.kind == .note)
    }

    @Test func aReplyToACaseThatCannotBeAnsweredIsRefusedBeforeItIsWritten() {
        let desk = FakeDesk(rows: DeskFixtures.rows(3).map { r in var r = r; r.status = .closed; return r })
        desk.detailStatus = [1: .closed]
        desk.send(.char("R"))
        #expect(desk.state.composing == nil)
        #expect(desk.state.notice?.text(.en).contains("Cannot reply a case that is Closed") == true,
                "\(desk.state.notice?.text(.en) ?? "")")
        // A note is still possible on a closed case.
        desk.send(.char("t"))
        #expect(desk.state.composing?.kind == .note)
    }

    @Test func aDraftIsSentAgainstTheVersionItWasWrittenFor() {
        let desk = FakeDesk(rows: DeskFixtures.rows(5))
        let id = desk.state.selectedRow!.id
        desk.send(.char("t"))
        desk.type("Đã gọi điện")
        // Someone else changes the case meanwhile; the desk reloads it behind the editor.
        desk.versions[id] = 4
        desk.handle(.dataChanged)
        #expect(desk.state.detail?.case.version == 4)
        desk.failWith = Notice(StoreError.conflict(code: "HN-2026-000001", expected: 3, found: 4))
        desk.send(.ctrl("s"))
        #expect(desk.performed.last?.expectedVersion == 3, "the version the official saw when writing")
        #expect(desk.state.drafts[DraftKey(caseId: id, kind: .note)]?.text == "Đã gọi điện")
        // Told, they send again: now against the case as it is.
        desk.failWith = nil
        desk.send(.ctrl("s"))
        #expect(desk.performed.last?.expectedVersion == 4)
        #expect(desk.state.drafts.isEmpty)
    }

    @Test func bulkAssignGoesToEveryMarkedCase() {
        let desk = FakeDesk(rows: DeskFixtures.rows(10))
        desk.send([.char(" "), .char(" "), .char("j"), .char(" ")])
        #expect(Set(desk.state.marks.keys) == [1, 2, 4])
        #expect(desk.screen.contains("đã chọn 3"))
        desk.send(.char("a"))
        desk.type("Lê")
        desk.send(.enter)
        #expect(desk.performed.map(\.caseId) == [1, 2, 4])
        #expect(desk.performed.allSatisfy { $0.action == .assign(officialId: 4) })
        #expect(desk.state.marks.isEmpty)
    }

    @Test func bulkRouteAsksAReasonWhenSomeMustBeTransferred() {
        var rows = DeskFixtures.rows(4)
        rows[0].status = .received
        rows[1].status = .assigned
        let desk = FakeDesk(rows: rows)
        desk.detailStatus = [1: .received]
        desk.send([.char(" "), .char(" ")])
        desk.send(.char("r"))
        desk.type("van hoa")
        desk.send(.enter)
        guard case .prompt = desk.state.mode else { Issue.record("no reason prompt"); return }
        desk.type("Đúng thẩm quyền phòng VHXH")
        desk.send(.enter)
        #expect(desk.performed.map(\.action) == [.route(unitId: 101),
                                                 .transfer(unitId: 101, reason: "Đúng thẩm quyền phòng VHXH")])
    }

    @Test func ratingFormNeedsAScore() {
        let desk = FakeDesk(rows: DeskFixtures.rows(3).map { r in var r = r; r.status = .resolved; return r })
        desk.detailStatus = [1: .resolved]
        desk.send(.char("v"))
        desk.send(.enter)
        #expect(desk.state.notice?.text(.en) == "Choose a score from 1 to 5.")
        desk.send([.char("2"), .char("j"), .char(" "), .char("j"), .char("j"), .char(" ")])
        desk.send(.enter)
        #expect(desk.performed.map(\.action) == [.rate(Rating(score: 2, reasons: [.noProofOfWork, .notResolved]))])
    }

    // MARK: Drafts and sending

    @Test func draftsAreKeptPerCaseAcrossSwitching() {
        let desk = FakeDesk(rows: DeskFixtures.rows(5), width: 80, height: 24)
        desk.send(.char("R"))
        #expect(desk.state.composing == DraftKey(caseId: 1, kind: .reply))
        desk.type("Kính gửi ông Bình")
        desk.send(.escape)
        #expect(desk.state.composing == nil)
        #expect(desk.state.notice?.text(.en) == "Draft kept.")
        desk.send(.char("j"))
        desk.send(.char("t"))
        desk.type("Gọi lại cho dân")
        desk.send(.escape)
        desk.send(.char("k"))
        desk.send(.char("R"))
        #expect(desk.state.drafts[DraftKey(caseId: 1, kind: .reply)]?.text == "Kính gửi ông Bình")
        #expect(desk.state.drafts[DraftKey(caseId: 2, kind: .note)]?.text == "Gọi lại cho dân")
        // The queue marks cases that have drafts.
        desk.send(.escape)
        #expect(desk.grid.line(4).hasPrefix("✎ ") || desk.grid.line(4).hasPrefix("✎"))
    }

    @Test func sendingReplyPerformsAndClearsTheDraft() {
        let desk = FakeDesk(rows: DeskFixtures.rows(5))
        desk.send(.char("R"))
        desk.send(.ctrl("s"))
        // Empty: refused before reaching the store.
        #expect(desk.performed.isEmpty)
        #expect(desk.state.notice?.isError == true)
        desk.type("Đã xử lý xong.")
        desk.send(.enter)
        desk.type("Trân trọng.")
        desk.send(.ctrl("s"))
        // Asked first; `n` goes back to the draft, `y` sends it.
        #expect(desk.performed.isEmpty)
        desk.send(.char("n"))
        #expect(desk.state.composing == DraftKey(caseId: 1, kind: .reply) && desk.performed.isEmpty)
        desk.send(.ctrl("s"))
        desk.send(.char("y"))
        #expect(desk.performed.map(\.action) == [.reply(text: "Đã xử lý xong.\nTrân trọng.")])
        #expect(desk.performed[0].expectedVersion == 3)
        #expect(desk.state.drafts.isEmpty)
        #expect(desk.state.composing == nil)
        #expect(desk.state.focus == .queue)
    }

    @Test func failedSendKeepsTheDraftAndShowsTheStoreMessage() {
        let desk = FakeDesk(rows: DeskFixtures.rows(5))
        desk.failWith = Notice(StoreError.conflict(code: "HN-2026-000001", expected: 3, found: 4))
        desk.send(.char("R"))
        desk.type("Trả lời")
        desk.send(.ctrl("s"))
        desk.send(.char("y"))
        #expect(desk.state.drafts[DraftKey(caseId: 1, kind: .reply)]?.text == "Trả lời")
        #expect(desk.state.notice?.text(.vi) == "Hồ sơ HN-2026-000001 vừa được người khác thay đổi (phiên bản 3 → 4). Hãy xem lại rồi thao tác lại.")
        #expect(desk.screen.contains("vừa được người khác thay đổi"))
        // The case was reloaded and is still selected.
        #expect(desk.state.selectedRow?.id == 1)
        #expect(desk.effects.suffix(4).contains(.loadDetail(caseId: 1)))
    }

    @Test func templatesInsertWithOneKeyFilled() {
        let desk = FakeDesk(rows: DeskFixtures.rows(5))
        desk.send(.char("R"))
        desk.send(.alt("1"))
        let text = desk.state.drafts[DraftKey(caseId: 1, kind: .reply)]?.text ?? ""
        #expect(text.hasPrefix("UBND phường Hoàn Kiếm đã tiếp nhận phản ánh về việc: Rác thải"))  // Decree 30: the type in lower case
        #expect(text.contains("(mã HN-2026-000001)"))
        #expect(text.contains("giao Phòng Kinh tế"))
        #expect(!text.contains("{"))
        desk.send(.alt("9"))
        #expect(desk.state.notice?.text(.en) == "No template number 9.")
        desk.send(.ctrl("t"))
        desk.type("moi truong")
        desk.send(.enter)
        #expect(desk.state.drafts[DraftKey(caseId: 1, kind: .reply)]?.text.hasSuffix("Đã thu gom rác tại địa điểm phản ánh (HN-2026-000001).") == true)
    }

    @Test func discardAndQuitConfirmWhenDraftsWouldBeLost() {
        let desk = FakeDesk(rows: DeskFixtures.rows(5))
        desk.send(.char("R")); desk.type("nháp"); desk.send(.escape)
        desk.send(.char("q"))
        #expect(desk.state.mode == .confirm(.quit))
        desk.send(.escape)
        #expect(!desk.state.quit)
        desk.send(.char("R"))
        desk.send(.ctrl("x"))
        desk.send(.char("y"))
        #expect(desk.state.drafts.isEmpty)
        desk.send(.char("q"))
        #expect(desk.state.quit)
        #expect(desk.effects.last == .quit)
    }

    @Test func controlCQuitsLikeQ() {
        let desk = FakeDesk(rows: DeskFixtures.rows(5))
        desk.send(.char("t")); desk.type("nháp"); desk.send(.escape)
        desk.send(.ctrl("c"))
        #expect(desk.state.mode == .confirm(.quit), "a draft would be lost: asked first")
        desk.send(.char("y"))
        #expect(desk.state.quit)
        let plain = FakeDesk(rows: DeskFixtures.rows(5))
        plain.send(.ctrl("c"))
        #expect(plain.state.quit)
    }

    @Test func tabCyclesPanesAndEntersTheEditor() {
        let desk = FakeDesk(rows: DeskFixtures.rows(5), width: 160, height: 40)
        desk.send(.tab)
        #expect(desk.state.focus == .detail)
        desk.send(.tab)
        #expect(desk.state.focus == .reply)
        #expect(desk.state.composing == DraftKey(caseId: 1, kind: .reply))
        desk.type("j")  // typing, not moving
        #expect(desk.state.drafts[DraftKey(caseId: 1, kind: .reply)]?.text == "j")
        desk.send(.tab)
        #expect(desk.state.focus == .queue)
        desk.send(.backTab)
        #expect(desk.state.focus == .reply)
    }

    // MARK: Reloads keep the selection

    @Test func dataChangedKeepsTheSelectionOnTheSameCase() {
        let desk = FakeDesk(rows: DeskFixtures.rows(200))
        for _ in 0..<120 { desk.send(.char("j")) }
        #expect(desk.state.selectedRow?.id == 121)
        // Someone else's new case arrives before it in the order.
        var extra = DeskFixtures.row(500)
        extra.cursor = QueueCursor(key: 1000.5, id: 900)
        extra.id = 900
        desk.all.insert(extra, at: 1)
        desk.handle(.dataChanged)
        #expect(desk.state.selectedRow?.id == 121)
        // The case leaves the view: the row that took its place is selected.
        desk.all.removeAll { $0.id == 121 }
        desk.handle(.dataChanged)
        #expect(desk.state.selectedRow?.id == 122)
    }

    @Test func resizeRelaysOutAtOnce() {
        let desk = FakeDesk(rows: DeskFixtures.rows(100), width: 160, height: 50)
        for _ in 0..<40 { desk.send(.char("j")) }
        desk.send(.resize(width: 80, height: 24))
        #expect(desk.state.layout.kind == .stacked)
        let visible = desk.state.layout.queueRows(groupLine: false)
        #expect(desk.state.queue.selected - desk.state.queue.top < visible)
        desk.send(.resize(width: 10, height: 5))
        #expect(desk.state.layout.kind == .tooSmall)
        desk.send(.char("j")) // ignored, no crash
        desk.send(.resize(width: 0, height: 0))
        #expect(desk.grid.cells.isEmpty)
    }

    @Test func gotoCommandFindsACaseByCode() {
        let desk = FakeDesk(rows: DeskFixtures.rows(400))
        desk.send(.char(":")); desk.type("goto HN-2026-000350"); desk.send(.enter)
        // The one-case view: the case alone; Esc goes back to the view it was opened from.
        #expect(desk.state.spec.view == .mine && desk.state.spec.single?.code == "HN-2026-000350")
        #expect(desk.state.queue.rows.map(\.code) == ["HN-2026-000350"])
        desk.send(.escape)
        #expect(desk.state.spec.single == nil && desk.state.queue.rows.count > 1)
        desk.send(.char(":")); desk.type("goto XX-1"); desk.send(.enter)
        #expect(desk.state.notice?.text(.en) == L10n.t("store.unknown_case", .en, "XX-1"))
        #expect(desk.state.notice?.isError == true)
    }

    @Test func commandLineRunsRegistryActionsAndReportsUnknown() {
        let desk = FakeDesk(rows: DeskFixtures.rows(5))
        desk.send(.char(":")); desk.type("reject Đơn nặc danh"); desk.send(.enter)
        guard case .confirm(.action(let p)) = desk.state.mode else { Issue.record("no confirmation"); return }
        #expect(p.reason == "Đơn nặc danh")
        desk.send(.char("n"))
        desk.send(.char(":")); desk.type("fly"); desk.send(.enter)
        #expect(desk.state.notice?.text(.en) == "No command \"fly\". Press ? for the list.")
        desk.send(.char(":")); desk.type("lang en"); desk.send(.enter)
        #expect(desk.state.lang == .en)
        desk.send(.char(":")); desk.type("as"); desk.send(.tab)
        guard case let .command(ed) = desk.state.mode else { Issue.record("command closed"); return }
        #expect(ed.text == "assign ")
    }
}

@Suite("Search while typing")
struct SearchTypingTests {
    @Test func oneLetterWaitsForTheSecondOrEnter() {
        let desk = FakeDesk(rows: DeskFixtures.rows(60))
        desk.send(.char("/"))
        desk.effects = []
        desk.type("d")
        #expect(desk.state.spec.text == "")
        #expect(!desk.effects.contains { if case .loadQueue = $0 { return true }; return false })
        desk.type("u")
        #expect(desk.state.spec.text == "du")
        desk.type("ong n")
        #expect(desk.state.spec.text == "duong ")
        desk.send(.enter)
        #expect(desk.state.spec.text == "duong n")
        #expect(desk.state.mode == .normal)
        // A one-letter search still runs on Enter.
        desk.send(.char("/")); desk.send(.ctrl("a")); desk.send(.ctrl("k")); desk.type("h"); desk.send(.enter)
        #expect(desk.state.spec.text == "h")
    }
}
