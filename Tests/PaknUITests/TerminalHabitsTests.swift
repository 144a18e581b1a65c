import Foundation
import PaknCore
@testable import PaknStore
import Testing
@testable import PaknUI

/// Issue 15, "The habits of good terminal programs": words on the view bar, `n`/`N` after a
/// search, `:` completions listed, `y`/`Y` copy, the mouse, the config file's language,
/// mouse and columns.
@Suite("The habits of good terminal programs")
struct TerminalHabitsTests {
    @Test func theViewBarUsesWordsShortenedByDroppingWords() {
        let desk = FakeDesk(rows: DeskFixtures.rows(5), width: 80, height: 24, view: .triage)
        let bar = desk.grid.line(1)
        // 80 columns: every name, shortened by dropping words; the current view in its colour.
        for name in ["1 Tôi", "2 Phân loại", "3 Chưa giao", "4 Sắp hạn", "5 Quá hạn", "6 Bổ sung", "7 Đánh giá", "8 Tất cả"] {
            #expect(bar.contains(name), "\(name): \(bar)")
        }
        let g = desk.grid
        let x = bar.distance(from: bar.startIndex, to: bar.range(of: "Phân loại")!.lowerBound)
        #expect(g[x, 1].role == .titleViewActive && g[0, 1].role == .titleView)
        #expect(!bar.contains("P.loại") && !bar.contains("Ch.giao") && !bar.contains("Q.hạn"))
        // Wide enough: the full names.
        let wide = FakeDesk(rows: DeskFixtures.rows(5), width: 120, height: 24, view: .triage)
        #expect(wide.grid.line(1).contains("4 Sắp đến hạn") && wide.grid.line(1).contains("6 Chờ bổ sung"))
        // Narrow: other views give way to their keys, the current one keeps its name.
        let narrow = FakeDesk(rows: DeskFixtures.rows(5), width: 60, height: 24, view: .awaitingRating)
        #expect(narrow.grid.line(1).contains("7 Đánh giá"), "\(narrow.grid.line(1))")
        #expect(narrow.grid.line(1).contains(" 2 3 "), "\(narrow.grid.line(1))")
        #expect(TerminalText.width(narrow.grid.line(1).trimmingCharacters(in: .whitespaces)) <= 60)
    }

    /// `n` and `p` (`N` takes a call in: the intake form).
    @Test func nAndPGoToTheNextAndPreviousMatch() {
        let desk = FakeDesk(rows: DeskFixtures.rows(30), width: 100, height: 40)
        desk.send(.char("n"))
        #expect(desk.state.notice?.vi == "Chưa tìm gì: nhấn / để tìm.")
        desk.send(.char("/"))
        desk.type("phố")
        desk.send(.enter)
        let first = desk.state.selectedRow?.id
        desk.send(.char("n"))
        #expect(desk.state.queue.selected == 1 && desk.state.selectedRow?.id != first)
        desk.send(.char("p"))
        #expect(desk.state.queue.selected == 0)
        // In the detail pane: the next line holding the word.
        desk.send(.enter)
        #expect(desk.state.focus == .detail)
        desk.send(.char("n"))
        let d = desk.state.selectedDetail!
        let lines = DetailText.lines(d, state: desk.state, width: desk.state.layout.detail.width - 1).map { $0.map(\.text).joined() }
        #expect(desk.state.detailScroll > 0)
        #expect(VietnameseFold.fold(lines[desk.state.detailScroll]).contains("pho"), "\(lines[desk.state.detailScroll])")
        // The note moved to `t`, the notice to `T`.
        desk.send(.escape)
        desk.send(.char("t"))
        #expect(desk.state.composing?.kind == .note)
        desk.send(.escape)
        desk.send(.char("T"))
        #expect(desk.state.composing?.kind == .notice)
    }

    @Test func commandCompletionsAreListedAboveThePrompt() {
        let desk = FakeDesk(rows: DeskFixtures.rows(5), width: 80, height: 24)
        desk.send(.char(":"))
        desk.type("re")
        let screen = desk.screen
        let lines = screen.components(separatedBy: "\n")
        for name in ["reject", "reload", "reopen", "reply", "request_info", "resume", "reveal"] {
            #expect(lines.suffix(10).contains { $0.contains(" " + name) }, "\(name)\n\(screen)")
        }
        #expect(lines.suffix(10).contains { $0.contains("Lệnh") })
        desk.type("o")
        #expect(desk.screen.contains(" reopen") && !desk.screen.contains(" reject"))
        desk.send(.tab)
        guard case let .command(ed) = desk.state.mode else { Issue.record("not a command"); return }
        #expect(ed.text == "reopen ")
        #expect(!desk.screen.contains("─ Lệnh"))
    }

    @Test func yCopiesTheCodeAndShiftYASummary() {
        let desk = FakeDesk(rows: DeskFixtures.rows(5), width: 100, height: 30)
        desk.send(.char("y"))
        #expect(desk.clipboard == ["HN-2026-000001"])
        #expect(desk.state.notice?.vi.contains("HN-2026-000001") == true && desk.state.notice?.vi.contains("OSC 52") == true)
        desk.send(.char("Y"))
        let summary = desk.clipboard?.last ?? ""
        #expect(summary.hasPrefix("HN-2026-000001 — " + DeskFixtures.titles[0]), "\(summary)")
        #expect(summary.contains("Đang xử lý"))
        // A terminal that takes no copy: said so, with the code to read off the screen.
        let console = FakeDesk(rows: DeskFixtures.rows(5))
        console.clipboard = nil
        console.send(.char("y"))
        #expect(console.state.notice?.isError == true && console.state.notice?.vi.contains("HN-2026-000001") == true)
    }

    @Test func theMouseSelectsOpensScrollsAndPicks() {
        let desk = FakeDesk(rows: DeskFixtures.rows(40), width: 80, height: 24)
        let l = desk.state.layout
        let firstRow = l.queue.y + 2
        // A click selects the row under it; a second click opens its detail.
        desk.send(.mouse(x: 10, y: firstRow + 3, .click))
        #expect(desk.state.queue.selected == 3 && desk.state.focus == .queue)
        desk.send(.mouse(x: 10, y: firstRow + 3, .click))
        #expect(desk.state.focus == .detail)
        // The wheel over the detail scrolls it; over the queue it moves the selection.
        desk.send(.mouse(x: 10, y: l.detail.y + 2, .wheelDown))
        #expect(desk.state.detailScroll == 3)
        desk.send(.mouse(x: 10, y: firstRow, .wheelDown))
        #expect(desk.state.queue.selected == 6)
        desk.send(.mouse(x: 10, y: firstRow, .click))
        #expect(desk.state.focus == .queue)
        // In a picker, a click picks.
        desk.send(.char("a"))
        guard case let .picker(p) = desk.state.mode else { Issue.record("no picker"); return }
        let inner = DeskView.pickerInner(desk.state)
        desk.send(.mouse(x: inner.x + 2, y: inner.y + 1 + 2, .click))
        #expect(desk.performed.last?.action == .assign(officialId: Int64(p.items[2].id)!))
        // In a menu, a click chooses.
        desk.send(.char("s"))
        guard case let .menu(m) = desk.state.mode else { Issue.record("no menu"); return }
        let mi = DeskView.menuInner(desk.state, m)
        let reply = try! #require(m.items.firstIndex { $0.value == ActionName.reply.rawValue })
        desk.send(.mouse(x: mi.x + 1, y: mi.y + reply, .click))
        #expect(desk.state.mode == .normal && desk.state.composing?.kind == .reply)
        // A click on the queue leaves the editor (the draft kept); outside any pane, nothing.
        desk.send(.mouse(x: 10, y: firstRow + 1, .click))
        #expect(desk.state.focus == .queue && desk.state.composing == nil)
        desk.send(.mouse(x: 0, y: 0, .click))
        #expect(desk.state.mode == .normal)
    }

    @Test func theConfigFileSetsTheLanguageTheMouseAndTheColumns() {
        let p = DeskPreferences.parse(toml: """
            theme = "light"
            lang = "en"
            mouse = false
            columns = ["code", "status", "deadline", "assignee", "title"]
            [keys]
            assign = "a"
            """)
        #expect(p.lang == .en && !p.mouse && p.warnings.isEmpty)
        #expect(p.columns == [.code, .status, .deadline, .assignee, .title])
        let bad = DeskPreferences.parse(toml: "lang = \"fr\"\nmouse = 3\ncolumns = [\"code\", \"colour\"]\n")
        #expect(bad.lang == nil && bad.mouse && bad.warnings.count == 3)
        #expect(bad.columns == [.code])
        #expect(DeskPreferences.parse(toml: "").lang == nil)
        // The columns, in the config's order, as many as leave the title its room.
        let cols = QueueColumns(width: 120, preferred: p.columns)
        #expect(cols.columns == [.mark, .code, .status, .deadline, .assignee, .title])
        let narrow = QueueColumns(width: 70, preferred: p.columns)
        #expect(narrow.columns == [.mark, .code, .status, .title])
        var desk = FakeDesk(rows: DeskFixtures.rows(5), width: 120, height: 30)
        desk.state.columns = p.columns
        let header = desk.grid.line(desk.state.layout.queue.y + 1)
        #expect(header.range(of: "Trạng thái")!.lowerBound < header.range(of: "Thời hạn")!.lowerBound, "\(header)")
        _ = desk
        desk = FakeDesk(rows: [], width: 80, height: 24)
    }
}
