import Foundation
import PaknCore
import PaknStoreAPI

/// The habits of good terminal programs: `n`/`N` after a search, `y`/`Y` to copy, the mouse.
extension DeskUpdate {
    // MARK: Search: next and previous match

    /// After `/`: in the queue (every row of which matches) the next or previous row; in the
    /// detail pane the next or previous line holding a searched word.
    static func searchStep(_ s: inout DeskState, forward: Bool) -> [DeskEffect] {
        let words = VietnameseFold.words(s.spec.text)
        guard !words.isEmpty else {
            s.notice = .info("desk.search.none", s.keyMap.keys(for: .search).first?.description ?? "/")
            return []
        }
        guard s.focus == .detail, let d = s.selectedDetail, s.layout.detail.width >= 2 else {
            return moveSelection(&s, to: s.queue.selected + (forward ? 1 : -1))
        }
        let lines = DetailText.lines(d, state: s, width: max(1, s.layout.detail.width - 1))
        func holds(_ i: Int) -> Bool {
            let text = VietnameseFold.words(lines[i].map(\.text).joined())
            return words.contains { w in text.contains { $0.hasPrefix(w) } }
        }
        let order = forward ? Array((s.detailScroll + 1)..<max(s.detailScroll + 1, lines.count))
            : Array((0..<min(s.detailScroll, lines.count)).reversed())
        guard let hit = order.first(where: holds) else {
            s.notice = .info("desk.search.no_more", s.spec.text)
            return []
        }
        s.detailScroll = hit
        clampDetailScroll(&s)
        return []
    }

    // MARK: Copy

    /// `y`: the case code; `Y`: a one-line summary (code, title, status, deadline, unit), to
    /// the terminal's clipboard.
    static func copySelected(_ s: inout DeskState, summary: Bool) -> [DeskEffect] {
        guard let row = s.selectedRow else { return noCase(&s) }
        guard summary else { return [.copy(row.code, code: row.code, summary: false)] }
        let d = s.selectedDetail
        let parts = [row.code, d?.case.title ?? row.title, (d?.case.status ?? row.status).label(s.lang),
                     (d?.deadline ?? row.deadline).text(s.lang), d?.unit?.label ?? row.unitName ?? ""]
        return [.copy(parts.filter { !$0.isEmpty }.joined(separator: " — "), code: row.code, summary: true)]
    }

    static func copied(_ s: inout DeskState, code: String, summary: Bool, ok: Bool) -> [DeskEffect] {
        guard ok else { s.notice = .error("desk.copy.unavailable", code); return [] }
        if summary {
            s.notice = Notice(vi: L10n.t("desk.copy.done", .vi, L10n.t("desk.copy.summary", .vi, code)),
                              en: L10n.t("desk.copy.done", .en, L10n.t("desk.copy.summary", .en, code)), isError: false)
        } else {
            s.notice = .info("desk.copy.done", code)
        }
        return []
    }
}

extension DeskUpdate {
    // MARK: Mouse

    static func inside(_ r: Rect, _ x: Int, _ y: Int) -> Bool { x >= r.x && x < r.maxX && y >= r.y && y < r.maxY }

    /// A click selects the row under it (a second click on it opens the detail), focuses the
    /// pane under it, picks an item in a picker or a menu; the wheel scrolls what is under it.
    static func mouse(_ s: inout DeskState, _ x: Int, _ y: Int, _ a: MouseAction) -> [DeskEffect] {
        // The intake form is kept to the keyboard.
        if s.intake != nil && s.mode == .normal { return [] }
        let l = s.layout
        let step = 3
        switch s.mode {
        case .normal:
            if inside(l.queue, x, y) {
                switch a {
                case .wheelUp: return moveSelection(&s, to: s.queue.selected - step)
                case .wheelDown: return moveSelection(&s, to: s.queue.selected + step)
                case .click:
                    let first = l.queue.y + 2 + (s.spec.view == .overdue ? 1 : 0)
                    let idx = s.queue.top + (y - first)
                    guard y >= first, s.queue.rows.indices.contains(idx) else { return [] }
                    if s.focus == .reply { leaveEditor(&s) }
                    if idx == s.queue.selected && s.focus == .queue { s.focus = .detail; return [] }
                    s.focus = .queue
                    return moveSelection(&s, to: idx)
                }
            }
            if l.detail.width > 0, inside(l.detail, x, y), s.selectedRow != nil {
                switch a {
                case .wheelUp: return scrollDetail(&s, by: -step)
                case .wheelDown: return scrollDetail(&s, by: step)
                case .click:
                    if s.focus == .reply { leaveEditor(&s) }
                    s.focus = .detail
                    return []
                }
            }
            if l.reply.width > 0, inside(l.reply, x, y), a == .click, s.focus != .reply {
                s.focus = .queue
                return cyclePane(&s, forward: false)
            }
            return []
        case var .picker(p):
            let inner = DeskView.pickerInner(s)
            let listH = inner.height - 1
            switch a {
            case .wheelUp: p.selected = max(0, p.selected - 1)
            case .wheelDown: p.selected = min(max(0, p.items.count - 1), p.selected + 1)
            case .click:
                let idx = DeskView.listTop(selected: p.selected, height: listH) + (y - inner.y - 1)
                guard inside(Rect(x: inner.x, y: inner.y + 1, width: inner.width, height: listH), x, y),
                      p.items.indices.contains(idx) else { return [] }
                s.mode = .normal
                return pickerChosen(&s, p, p.items[idx])
            }
            s.mode = .picker(p)
            return []
        case var .menu(m):
            let inner = DeskView.menuInner(s, m)
            switch a {
            case .wheelUp: m.selected = max(0, m.selected - 1)
            case .wheelDown: m.selected = min(m.items.count - 1, m.selected + 1)
            case .click:
                let idx = DeskView.listTop(selected: m.selected, height: inner.height) + (y - inner.y)
                guard inside(inner, x, y), m.items.indices.contains(idx) else { return [] }
                s.mode = .normal
                return menuChosen(&s, m, m.items[idx])
            }
            s.mode = .menu(m)
            return []
        default:
            return []
        }
    }
}
