import Foundation
import PaknCore
import PaknStore
import Testing
@testable import PaknUI

@Suite("Desk view (rendered to the in-memory grid)")
struct ViewTests {
    static let sizes: [(Int, Int)] = [(80, 24), (120, 40), (200, 50), (60, 16), (139, 30), (140, 30)]

    /// Rows where queue entries are drawn, and the x where the deadline column starts.
    static func queueRowLines(_ desk: FakeDesk) -> [Int] {
        let r = desk.state.layout.queue
        let first = r.y + 2 + (desk.state.spec.view == .overdue ? 1 : 0)
        let n = min(desk.state.queue.rows.count - desk.state.queue.top, r.maxY - first)
        return (0..<max(0, n)).map { first + $0 }
    }

    @Test(arguments: sizes)
    func noCellHoldsAControlCharacter(size: (Int, Int)) {
        let desk = FakeDesk(rows: DeskFixtures.rows(40), width: size.0, height: size.1)
        for keys in [[], [Key.tab], [.char("R")], [.char("?")], [.char("a")], [.char("s")], [.char("/")]] as [[Key]] {
            desk.send(keys)
            let g = desk.grid
            #expect(g.cells.count == size.0 * size.1)
            for cell in g.cells {
                #expect(!cell.text.unicodeScalars.contains { $0.value < 0x20 || (0x7F..<0xA0).contains($0.value) },
                        "control in \(cell.text.debugDescription) at \(size)")
                if cell.continuation { #expect(cell.text.isEmpty) }
            }
            desk.send(.escape)
            desk.send(.escape)
        }
        // The escape sequence in a title is shown visibly, not interpreted.
        desk.send(.char("g"))
        for _ in 0..<4 { desk.send(.char("j")) }
        #expect(desk.screen.contains("␛[31mred") || desk.state.layout.queue.width < 60)
    }

    @Test(arguments: sizes)
    func deadlineColumnIsAtTheSameXOnEveryRow(size: (Int, Int)) {
        let desk = FakeDesk(rows: DeskFixtures.rows(40), width: size.0, height: size.1)
        let cols = QueueColumns(width: desk.state.layout.queue.width)
        let x = desk.state.layout.queue.x + cols.x[.deadline]!
        let g = desk.grid
        let lines = Self.queueRowLines(desk)
        #expect(lines.count >= 3)
        for (i, y) in lines.enumerated() {
            let row = desk.state.queue.rows[desk.state.queue.top + i]
            let expected = DeskFormat.deadline(row.deadline, .vi)
            // The deadline text starts exactly at x, whatever came before (wide chars, NFD…).
            let text = (x..<(x + TerminalText.width(expected))).map { g[$0, y] }.filter { !$0.continuation }.map(\.text).joined()
            #expect(text == expected, "row \(i) at \(size): \(text)")
            #expect(g[x, y].role == DeskFormat.role(row.deadline.state))
            // Every grid row has exactly `width` columns of cells.
            #expect(g.line(y).reduce(0) { $0 + TerminalText.width($1) } <= size.0)
        }
    }

    @Test func overdueAndDueSoonRowsUseTheirRoles() {
        let rows = [DeskFixtures.row(0, state: .overdue), DeskFixtures.row(1, state: .dueSoon), DeskFixtures.row(2, state: .ok),
                    DeskFixtures.row(3, state: .paused)]
        let desk = FakeDesk(rows: rows, width: 120, height: 40)
        let x = QueueColumns(width: 120).x[.deadline]!
        let ys = Self.queueRowLines(desk)
        let g = desk.grid
        #expect(g[x, ys[0]].role == .deadlineOverdue)
        #expect(g.line(ys[0]).contains("quá hạn 3 ngày"))
        #expect(g[x, ys[1]].role == .deadlineDueSoon)
        #expect(g.line(ys[1]).contains("còn 1 ngày"))
        #expect(g[x, ys[2]].role == .deadlineOk)
        #expect(g[x, ys[3]].role == .deadlinePaused)
        // The selected row is highlighted outside the deadline cell.
        #expect(g[0, ys[0]].role == .queueSelected)
        #expect(g[0, ys[1]].role == .queueRow)

        let en = FakeDesk(rows: rows, width: 120, height: 40, lang: .en)
        #expect(en.grid.line(ys[0]).contains("overdue 3 days"))
    }

    @Test func titleBarShowsOfficialUnitViewAndCounts() {
        for (w, h) in [(80, 24), (120, 40), (200, 50)] {
            let desk = FakeDesk(rows: DeskFixtures.rows(10), width: w, height: h)
            let l0 = desk.grid.line(0), l1 = desk.grid.line(1)
            #expect(l0.contains("Nguyễn Văn Bình"), "\(w): \(l0)")
            #expect(l0.contains("Quá hạn 3"), "\(w): \(l0)")
            #expect(l0.contains("Sắp hạn 2"))
            #expect(l0.contains("Đang mở 10"))
            if w >= 120 { #expect(l0.contains("Phòng Kinh tế")) }
            // The current view is marked (in brackets where there is room, in its colour
            // always); every view key is listed.
            #expect(l1.contains("[1 ") || w <= 80, "\(w): \(l1)")
            let x = l1.distance(from: l1.startIndex, to: l1.range(of: "1 ")!.lowerBound)
            #expect(desk.grid[x + (l1.contains("[1 ") ? 1 : 0), 1].role == .titleViewActive, "\(w): \(l1)")
            for k in 1...8 { #expect(l1.contains("\(k)"), "\(w): view key \(k) in \(l1)") }
            #expect(desk.grid[0, 0].role == .titleBar)
        }
        let en = FakeDesk(rows: DeskFixtures.rows(10), width: 120, height: 40, lang: .en)
        #expect(en.grid.line(0).contains("Overdue 3"))
        #expect(en.grid.line(1).contains("[1 Mine]"))
    }

    @Test func aLongMessageWrapsUpwardInsteadOfBeingCut() {
        let desk = FakeDesk(rows: DeskFixtures.rows(10), width: 80, height: 24)
        let long = Notice(StoreError.permissionDenied(login: "vanthu.hoankiem", permission: .reply,
                                                      unit: "Phòng Kinh tế, Hạ tầng và Đô thị"))
        desk.handle(.failed(long))
        let g = desk.grid
        let shown = (21...23).map { g.line($0).trimmingCharacters(in: .whitespaces) }.joined(separator: " ")
        #expect(shown.contains(long.text(.vi)), "\(shown)")
        #expect(g[0, 23].role == .statusError && g[0, 22].role == .statusError)
        // A short one stays on the status line; the pane above is untouched.
        desk.handle(.failed(Notice(vi: "Lỗi ngắn", en: "Short", isError: true)))
        #expect(desk.grid.line(23).hasPrefix("Lỗi ngắn"))
        #expect(desk.grid[0, 22].role != .statusError)
        // Never more than three rows, ending in "…" when even that is not enough.
        desk.handle(.failed(Notice(vi: String(repeating: "rất dài ", count: 60), en: "", isError: true)))
        #expect(desk.grid.line(20).contains("rất dài") == false)
        #expect(desk.grid.line(23).hasSuffix("…"))
    }

    @Test func theChosenUnitOfTheOverdueViewIsAlwaysInView() throws {
        var s = DeskState(me: DeskFixtures.me, lang: .vi, width: 80, height: 24, view: .overdue)
        let units = (0..<8).map { i in
            OrgUnit(id: Int64(200 + i), code: "00070-\(i)", name: "Phòng ban số \(i) có tên khá dài", level: .department,
                    divisionType: "phòng ban", parentId: 10)
        }
        s.groups = units.enumerated().map { UnitCount(unit: $1, count: 10 - $0) }
        func text(_ line: StyledLine) -> String { line.map(\.text).joined() }
        for (i, u) in units.enumerated() {
            s.spec.group = UnitRef(u)
            let line = DeskView.groupLine(s, width: 80)
            let shown = text(line)
            // The chosen unit ends within the 80 columns (what follows it is cut by the grid).
            let chosen = "[\(u.name) \(10 - i)]"
            let end = try #require(shown.range(of: chosen), "unit \(i): \(shown)").upperBound
            #expect(TerminalText.width(String(shown[..<end])) <= 80, "unit \(i): \(shown)")
            #expect(shown.contains("Tất cả 52"), "\(shown)")
            // From the second unit on, the ones before it give way.
            if i >= 1 { #expect(shown.contains("…")) } else { #expect(!shown.contains("…")) }
        }
        s.spec.group = nil
        #expect(text(DeskView.groupLine(s, width: 80)).contains("[Tất cả 52]"))
    }

    @Test func layoutsAdaptToTheSize() {
        let wide = FakeDesk(rows: DeskFixtures.rows(10), width: 160, height: 40)
        #expect(wide.state.layout.kind == .wide)
        #expect(wide.screen.contains("Chi tiết HN-2026-000001"))
        #expect(wide.screen.contains("Trả lời"))
        let narrow = FakeDesk(rows: DeskFixtures.rows(10), width: 80, height: 24)
        #expect(narrow.state.layout.kind == .stacked)
        #expect(narrow.screen.contains("Chi tiết HN-2026-000001"))
        narrow.send(.char("R"))
        // The reply pane replaces the detail while composing.
        #expect(!narrow.screen.contains("Chi tiết HN-2026-000001"))
        #expect(narrow.screen.contains("Trả lời HN-2026-000001"))
        #expect(narrow.grid.cursor != nil)
        narrow.type("Xin chào 你好")
        let c = narrow.grid.cursor!
        let r = narrow.state.layout.reply
        #expect(c.y == r.y + 1)
        #expect(c.x == r.x + 1 + TerminalText.width("Xin chào 你好"))
    }

    @Test(arguments: [(59, 24), (80, 15), (1, 1), (0, 0), (3, 40), (200, 2)])
    func tooSmallSaysSoAndNeverCrashes(size: (Int, Int)) {
        let desk = FakeDesk(rows: DeskFixtures.rows(10), width: size.0, height: size.1)
        let g = desk.grid
        #expect(g.width == size.0 && g.height == size.1)
        if size.0 >= 40 && size.1 >= 3 {
            #expect(g.text.contains("quá nhỏ"))
            #expect(g.text.contains("60×16"))
        }
        desk.send([.char("j"), .char("R"), .char("?"), .tab])
        _ = desk.grid
    }

    @Test func detailShowsEverythingAndMasksTheReporter() {
        let desk = FakeDesk(rows: DeskFixtures.rows(10), width: 160, height: 80)
        let d = desk.state.selectedDetail!
        let text = DetailText.lines(d, state: desk.state, width: 120).map { $0.map(\.text).joined() }.joined(separator: "\n")
        for needle in ["Người gửi: T. T. B*** · *******321", "Căn cứ: Quy chế tiếp nhận", "15 ngày làm việc",
                       "Gia hạn: 1 lần, thêm 5 ngày", "đã dừng 2 ngày", "Tệp đính kèm (1)", "anh-hien-truong.jpg",
                       "HN-2026-000099", "Lịch sử xử lý (2)", "Lê Thị Hoa", "Tự động chuyển theo bảng phân công",
                       "␛[2J", "Phường Hoàn Kiếm"] {
            #expect(text.contains(needle), "missing \(needle)")
        }
        // The masked reporter is drawn in the masked role.
        let g = desk.grid
        let y = (0..<g.height).first { g.line($0).contains("T. T. B***") }!
        let x = g.line(y).distance(from: g.line(y).startIndex, to: g.line(y).range(of: "T. T. B***")!.lowerBound)
        #expect(g[x, y].role == .detailMasked)
    }

    @Test func sealedReporterIsNeverShown() {
        var d = DeskFixtures.detail(for: DeskFixtures.row(0))
        d.reporter = Reporter(confidential: true)
        var s = DeskState(me: DeskFixtures.me, lang: .vi, width: 100, height: 40)
        s.queue.rows = [DeskFixtures.row(0)]
        s.detail = d
        let text = DetailText.lines(d, state: s, width: 90).map { $0.map(\.text).joined() }.joined(separator: "\n")
        #expect(text.contains("danh tính được giữ bí mật theo luật"))
    }

    @Test func helpOverlayListsEveryKeyOfTheContext() {
        let desk = FakeDesk(rows: DeskFixtures.rows(10), width: 120, height: 80)
        desk.send(.char("?"))
        let text = desk.screen
        for a in ActionRegistry.all where a.contexts.contains(.queue) || a.contexts.contains(.global) {
            let keys = KeyMap.standard.keys(for: a.id, in: a.contexts.contains(.queue) ? .queue : .global)
            guard !keys.isEmpty else { continue }
            #expect(text.contains(a.help(.vi)), "help for \(a.id)")
        }
        desk.send(.char("q"))
        #expect(desk.state.mode == .normal)
        #expect(!desk.state.quit)
        // In the editor, help lists editor keys only.
        desk.send(.char("R"))
        desk.send(.function(1))
        #expect(desk.screen.contains(ActionRegistry.action(.send).help(.vi)))
        #expect(!desk.screen.contains(ActionRegistry.action(.viewOverdue).help(.vi)))
    }

    @Test func overlaysDrawInsideTheScreenAtEverySize() {
        for (w, h) in Self.sizes {
            let desk = FakeDesk(rows: DeskFixtures.rows(10), width: w, height: h)
            for k: Key in [.char("a"), .char("s"), .char("K"), .char("?")] {
                desk.send(k)
                #expect(desk.state.mode != .normal)
                #expect(desk.grid.cells.count == w * h)
                desk.send(.escape)
                if case .help = desk.state.mode { desk.send(.char("q")) }
            }
        }
    }
}
