import Foundation
import PaknCore

/// The guided tour's panel: a box at the bottom of the panes saying the step, what to do
/// (with the keys as the official's key map has them) and what to notice. It leaves the
/// title bar, the queue's first rows and the status line in view.
enum TourView {
    static func render(_ g: inout Grid, _ s: DeskState, _ tour: Tour) {
        let l = s.layout
        guard l.kind != .tooSmall else { return }
        let step = tour.shown
        let width = g.width
        let inner = max(10, width - 4)
        func text(_ part: String) -> String {
            let keys = (part == "notice" ? step.noticeKeys : part == "do" ? step.keys : []).map { DeskView.keyName(s, $0) }
            return L10n.format("tour.\(step.name).\(part)", s.lang, keys)
        }

        var lines: [StyledLine] = []
        if let code = tour.code {
            lines.append([Span(DeskView.t(s, "tour.case") + ": ", .detailLabel), Span(code, .emphasis)])
        }
        lines += StyledText.wrap([Span(DeskView.t(s, "tour.do") + ": ", .detailLabel), Span(text("do"), .detailValue)],
                                 width: inner, indent: 2)
        lines += StyledText.wrap([Span(DeskView.t(s, "tour.notice") + ": ", .detailLabel), Span(text("notice"), .dim)],
                                 width: inner, indent: 2)
        // At most half the screen below the title bar; the queue keeps its first rows. While
        // the official writes (the editor) or answers a question, only the title and the
        // first line of what to do, so the panel hides nothing they need.
        let compact = s.composing != nil || s.mode != .normal
        if compact { lines = Array(lines.filter { !$0.isEmpty }.prefix(tour.code == nil ? 1 : 2).suffix(1)) }
        let room = max(3, (g.height - 3) / 2)
        let height = compact ? 2 : min(lines.count + 2, room)
        // Compact: over the queue's title, away from the editor and the dialogs.
        let y = compact ? l.queue.y : max(2, l.status.y - height)
        g.fill(x: 0, y: y, width: width, height: height, role: .overlay)
        let border = String(repeating: "─", count: max(0, width - 2))
        g.put("┌" + border + "┐", x: 0, y: y, role: .paneBorderFocused, maxWidth: width)
        for yy in (y + 1)..<max(y + 1, y + height - 1) {
            g.put("│", x: 0, y: yy, role: .paneBorderFocused)
            g.put("│", x: width - 1, y: yy, role: .paneBorderFocused)
        }
        if !compact { g.put("└" + border + "┘", x: 0, y: y + height - 1, role: .paneBorderFocused, maxWidth: width) }
        // Title: "Tour 2/7 · Routing ✓" and, on the right, the tour's own keys.
        let number = step == .finished ? "" : " \(step.rawValue + 1)/\(Tour.Step.work.count)"
        let title = " " + DeskView.t(s, "tour.title") + number + " · " + text("title") + (tour.done.contains(step) ? " ✓" : "") + " "
        let right = " " + DeskView.t(s, "tour.keys", DeskView.keyName(s, .tourBack), DeskView.keyName(s, .tourSkip),
                                     DeskView.keyName(s, .tourQuit)) + " "
        let used = g.put(title, x: 2, y: y, role: .paneTitle, maxWidth: max(0, width - 4))
        let rw = TerminalText.width(right)
        if used + rw + 6 <= width { g.put(right, x: width - rw - 2, y: y, role: .helpKey, maxWidth: rw) }
        for (i, line) in lines.enumerated() where i < max(1, height - 2) {
            g.put(line, x: 2, y: y + 1 + i, width: inner)
        }
    }
}
