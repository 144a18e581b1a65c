import Foundation
import PaknCore

/// The queue window: keyset pages fetched around the selection, never a whole table.
extension DeskUpdate {
    static func queueVisibleRows(_ s: DeskState) -> Int {
        s.layout.queueRows(groupLine: s.spec.view == .overdue)
    }

    /// Rows a new queue's first page (or End's last page) reads: a screen and a margin. The
    /// frame needs no more; the rest is read as the selection moves on (`prefetch`, which
    /// the runner puts off for a quiet moment).
    public static func firstPage(_ s: DeskState) -> Int {
        max(1, min(s.pageSize, queueVisibleRows(s) + 10))
    }

    /// A new queue (view, filter): first page, selection at the top.
    static func newQueue(_ s: inout DeskState) -> [DeskEffect] {
        s.queueGeneration += 1
        s.queue.loading = true
        return [.loadQueue(QueueRequest(generation: s.queueGeneration, placement: .first, spec: s.spec, limit: firstPage(s)))]
    }

    /// Same cases, another order: stay on the selected case.
    static func reorderQueue(_ s: inout DeskState) -> [DeskEffect] {
        guard let row = s.selectedRow else { return newQueue(&s) }
        s.queueGeneration += 1
        s.queue.loading = true
        return [.loadQueue(QueueRequest(generation: s.queueGeneration, placement: .around(caseId: row.id, anchor: nil),
                                        spec: s.spec, limit: s.pageSize))]
    }

    /// Reloads the window around the selected case (after an action or a change elsewhere).
    static func reloadQueue(_ s: inout DeskState) -> [DeskEffect] {
        guard let row = s.selectedRow else { return newQueue(&s) }
        let anchor = s.queue.selected > 0 ? s.queue.rows[s.queue.selected - 1].cursor : nil
        s.queueGeneration += 1
        s.queue.loading = true
        return [.loadQueue(QueueRequest(generation: s.queueGeneration, placement: .around(caseId: row.id, anchor: anchor),
                                        spec: s.spec, limit: s.pageSize))]
    }

    static func switchView(_ s: inout DeskState, _ v: QueueView, confirmed: Bool = false) -> [DeskEffect] {
        // Marks belong to the view they were made in: leaving it asks first, then clears them.
        if !s.marks.isEmpty && v != s.spec.view {
            guard confirmed else {
                s.mode = .confirm(.switchView(v))
                return []
            }
            s.marks = [:]
        }
        leaveEditor(&s)
        s.focus = .queue
        s.spec.view = v
        s.spec.group = nil
        s.spec.single = nil
        s.spec.stats = nil
        s.statsReturn = nil
        var fx = newQueue(&s)
        if v == .overdue { fx.append(.loadGroups) }
        return fx
    }

    static func queueLoaded(_ s: inout DeskState, _ page: QueuePage) -> [DeskEffect] {
        let req = page.request
        guard req.generation == s.queueGeneration else { return [] }
        let known = s.windowOffset
        var q = s.queue
        let oldOffset = q.selected - q.top
        q.loading = false
        q.loaded = true
        switch req.placement {
        case .first:
            q.rows = page.rows
            q.moreAbove = false
            q.moreBelow = page.rows.count >= req.limit
            q.selected = 0
            q.top = 0
            q.offset = 0
        case .last:
            q.offset = nil
            q.rows = page.before
            q.moreAbove = page.before.count >= req.limit
            q.moreBelow = false
            q.selected = max(0, q.rows.count - 1)
            q.top = max(0, q.rows.count - queueVisibleRows(s))
        case let .append(after):
            guard q.rows.last?.cursor == after else { break }
            let have = Set(q.rows.map(\.id))
            q.rows += page.rows.filter { !have.contains($0.id) }
            q.moreBelow = page.rows.count >= req.limit
            let excess = q.rows.count - s.maxWindow
            q.offset = known
            if excess > 0 && q.selected >= excess {
                q.offset = known.map { $0 + excess }
                q.rows.removeFirst(excess)
                q.selected -= excess
                q.top = max(0, q.top - excess)
                q.moreAbove = true
            }
        case let .prepend(before):
            guard q.rows.first?.cursor == before else { break }
            let have = Set(q.rows.map(\.id))
            let add = page.before.filter { !have.contains($0.id) }
            q.rows = add + q.rows
            q.selected += add.count
            q.top += add.count
            q.moreAbove = page.before.count >= req.limit
            q.offset = q.moreAbove ? known.map { max(0, $0 - add.count) } : 0
            let excess = q.rows.count - s.maxWindow
            if excess > 0 && q.selected < q.rows.count - excess {
                q.rows.removeLast(excess)
                q.moreBelow = true
            }
        case .around:
            q.rows = page.before + page.rows
            q.moreAbove = page.before.count >= Self.aroundBefore(req.limit)
            q.offset = q.moreAbove ? nil : 0
            q.moreBelow = page.rows.count >= req.limit
            q.selected = min(page.before.count, max(0, q.rows.count - 1))
            q.top = max(0, q.selected - max(0, oldOffset))
            if req.reportMissing && !page.found { s.notice = .error("desk.goto.not_in_view") }
        }
        s.queue = q
        ensureVisible(&s)
        return selectionChanged(&s) + prefetch(&s) + countIfNeeded(&s)
    }

    /// Asks for the queue's length when it is not known for this spec (or the data changed),
    /// and for the window's place in it when neither end of the list is in the window.
    static func countIfNeeded(_ s: inout DeskState) -> [DeskEffect] {
        let q = s.queue
        let needTotal = s.totalStale || s.queueTotal?.spec != s.spec
        let exact = !q.moreAbove && !q.moreBelow
        // With the list's end in the window, the total places it.
        let needPlace = q.moreAbove && q.offset == nil && q.moreBelow
        guard (needTotal && !exact) || needPlace, let first = q.rows.first else {
            if needTotal && exact && q.loaded {
                s.queueTotal = QueueTotal(spec: s.spec, count: q.rows.count)
                s.totalStale = false
            }
            return []
        }
        s.totalStale = false
        return [.countQueue(QueueCountRequest(generation: s.queueGeneration, spec: s.spec, before: needPlace ? first.cursor : nil))]
    }

    static func queueCounted(_ s: inout DeskState, _ c: QueueCount) -> [DeskEffect] {
        guard c.request.spec == s.spec else { return [] }
        // A capped count is "at least": never fewer than the rows the desk holds (a server
        // that gave up counting within its budget says 0, capped).
        s.queueTotal = QueueTotal(spec: s.spec, count: c.capped ? max(c.total, s.queue.rows.count) : c.total, capped: c.capped)
        if let n = c.before, let cursor = c.request.before, s.queue.offset == nil,
           let i = s.queue.rows.firstIndex(where: { $0.cursor == cursor }) {
            s.queue.offset = max(0, n - i)
        }
        return []
    }

    /// Rows fetched before the case in an `around` request.
    public static func aroundBefore(_ limit: Int) -> Int { max(1, limit / 2) }

    static func moveSelection(_ s: inout DeskState, to index: Int) -> [DeskEffect] {
        guard !s.queue.rows.isEmpty else { return [] }
        s.queue.selected = max(0, min(s.queue.rows.count - 1, index))
        ensureVisible(&s)
        return selectionChanged(&s) + prefetch(&s)
    }

    static func goTop(_ s: inout DeskState) -> [DeskEffect] {
        if s.queue.moreAbove { return newQueue(&s) }
        return moveSelection(&s, to: 0)
    }

    static func goBottom(_ s: inout DeskState) -> [DeskEffect] {
        if s.queue.moreBelow {
            s.queueGeneration += 1
            s.queue.loading = true
            return [.loadQueue(QueueRequest(generation: s.queueGeneration, placement: .last, spec: s.spec, limit: firstPage(s)))]
        }
        return moveSelection(&s, to: s.queue.rows.count - 1)
    }

    /// Asks for the next page before the selection reaches the edge of the window.
    static func prefetch(_ s: inout DeskState) -> [DeskEffect] {
        let q = s.queue
        guard !q.loading, !q.rows.isEmpty else { return [] }
        let margin = max(queueVisibleRows(s), 10)
        if q.moreBelow && q.selected >= q.rows.count - margin, let last = q.rows.last {
            s.queue.loading = true
            return [.loadQueue(QueueRequest(generation: s.queueGeneration, placement: .append(after: last.cursor),
                                            spec: s.spec, limit: s.pageSize))]
        }
        if q.moreAbove && q.selected < margin, let first = q.rows.first {
            s.queue.loading = true
            return [.loadQueue(QueueRequest(generation: s.queueGeneration, placement: .prepend(before: first.cursor),
                                            spec: s.spec, limit: s.pageSize))]
        }
        return []
    }

    static func ensureVisible(_ s: inout DeskState) {
        let visible = queueVisibleRows(s)
        var q = s.queue
        if q.rows.isEmpty { q.selected = 0; q.top = 0; s.queue = q; return }
        q.selected = max(0, min(q.rows.count - 1, q.selected))
        if q.selected < q.top { q.top = q.selected }
        if q.selected >= q.top + visible { q.top = q.selected - visible + 1 }
        q.top = max(0, min(q.top, max(0, q.rows.count - visible)))
        s.queue = q
    }

    /// Loads the detail of a newly selected case.
    static func selectionChanged(_ s: inout DeskState) -> [DeskEffect] {
        guard let row = s.selectedRow else {
            s.detail = nil
            s.detailError = nil
            s.templates = []
            if s.focus == .detail { s.focus = .queue }
            return []
        }
        if s.detail?.case.id == row.id { return [] }
        s.detailScroll = 0
        s.detailError = nil
        return [.loadDetail(caseId: row.id)]
    }

    static func scrollDetail(_ s: inout DeskState, by delta: Int) -> [DeskEffect] {
        s.detailScroll = max(0, s.detailScroll + delta)
        clampDetailScroll(&s)
        return []
    }

    static func clampDetailScroll(_ s: inout DeskState) {
        guard let d = s.selectedDetail else { s.detailScroll = 0; return }
        guard s.layout.detail.width >= 2 else { return }
        let lines = DetailText.lines(d, state: s, width: max(1, s.layout.detail.width - 1)).count
        s.detailScroll = max(0, min(s.detailScroll, lines - s.layout.detailLines))
    }
}
