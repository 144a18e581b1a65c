import Foundation
import PaknCore
import Testing
@testable import PaknUI

/// A due day past the holiday calendar: a marker in the queue row, a warning line in the
/// detail pane, never a silent date.
@Suite("Desk: the calendar's horizon")
struct CalendarWarningViewTests {
    static func rows() -> [QueueRow] {
        var rows = DeskFixtures.rows(6)
        rows[0].calendarWarning = CalendarWarning(dueDay: Day(year: 2028, month: 1, day: 4)!, horizon: Day(year: 2027, month: 12, day: 31)!)
        return rows
    }

    @Test(arguments: [Lang.vi, .en])
    func queueRowMarkedAndDetailWarns(lang: Lang) {
        let desk = FakeDesk(rows: Self.rows(), width: 160, height: 50, lang: lang)
        let g = desk.grid
        let ys = ViewTests.queueRowLines(desk)
        #expect(ys.count >= 2)
        // The row past the horizon carries the marker in its deadline cell; the others don't.
        let x = desk.state.layout.queue.x + QueueColumns(width: desk.state.layout.queue.width).x[.deadline]!
        let cell0 = g.line(ys[0])
        #expect(cell0.contains(DeskFormat.deadline(desk.state.queue.rows[0].deadline, lang) + " " + CalendarWarning.marker))
        #expect(!g.line(ys[1]).contains(CalendarWarning.marker))
        #expect(g[x, ys[0]].role == DeskFormat.role(desk.state.queue.rows[0].deadline.state))
        // The first row is selected: the detail pane says why, in the reader's language.
        let expected = lang == .vi ? "⚠ Cảnh báo: Lịch ngày nghỉ chỉ có đến" : "⚠ Warning: The holiday calendar ends on"
        #expect(g.text.contains(expected))
        let d = try! #require(desk.state.selectedDetail)
        let lines = DetailText.lines(d, state: desk.state, width: 150).map { $0.map(\.text).joined() }
        let at = try! #require(lines.firstIndex { $0.contains(CalendarWarning.marker) })
        #expect(lines[at].contains(lang == .vi ? "Cảnh báo" : "Warning") && lines[at].contains("2028"))
        // Right under the deadline line.
        #expect(at > 0 && lines[at - 1].contains(L10n.t("desk.d.deadline", lang)))
    }

    @Test func aLongDeadlineTextKeepsTheMarker() {
        var rows = Self.rows()
        rows[0].deadline = DeadlineStatus(state: .overdue, dueDay: Day(year: 2024, month: 1, day: 4)!, daysLeft: -700)
        rows[0].calendarWarning = CalendarWarning(dueDay: Day(year: 2024, month: 1, day: 4)!, horizon: Day(year: 2027, month: 12, day: 31)!)
        let desk = FakeDesk(rows: rows, width: 120, height: 40)
        let line = desk.grid.line(ViewTests.queueRowLines(desk)[0])
        #expect(line.contains(CalendarWarning.marker))
        #expect(rows[0].calendarWarning!.text(.en).contains("no entries for 2024"))
    }
}
