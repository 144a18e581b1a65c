import Foundation
import PaknCore
import PaknStoreAPI

/// The desk's pure update: a message changes the state and may ask for effects. The
/// runner performs the effects and feeds their results back as messages.
public enum DeskUpdate {
    /// The effects that fill a fresh desk: reference data, the first page, counts.
    public static func start(_ s: inout DeskState) -> [DeskEffect] {
        var fx: [DeskEffect] = [.loadReference]
        fx += newQueue(&s)
        fx.append(.loadCounts)
        if s.spec.view == .overdue { fx.append(.loadGroups) }
        fx.append(.loadDrafts)
        return fx
    }

    public static func update(_ s: inout DeskState, _ msg: DeskMessage) -> [DeskEffect] {
        // Drafts are kept on disk as they change (`persistDrafts`), whatever changed them.
        let kept = persisted(s)
        var fx = handle(&s, msg)
        fx += observeTour(&s, msg)
        if case .draftsRestored = msg { return fx }
        fx += persistDrafts(before: kept, after: persisted(s))
        return fx
    }

    static func handle(_ s: inout DeskState, _ msg: DeskMessage) -> [DeskEffect] {
        var fx: [DeskEffect]
        switch msg {
        case let .key(k):
            fx = key(&s, k)
        case let .resize(w, h):
            fx = resize(&s, w, h)
        case let .referenceLoaded(categories, unit, grants):
            s.categories = categories
            s.myUnit = unit
            s.grants = grants
            fx = []
            // A sort from the config file this scope cannot afford: by deadline instead.
            if !s.spec.sort.column.isCheap(in: s) {
                s.spec.sort(by: .deadline, descending: false)
                s.notice = .info("desk.sort.only_deadline")
                fx = newQueue(&s)
            }
        case let .queueLoaded(page):
            fx = queueLoaded(&s, page)
        case let .countsLoaded(c):
            s.counts = c
            fx = []
        case let .queueCounted(c):
            fx = queueCounted(&s, c)
        case let .groupsLoaded(g):
            s.groups = g
            fx = []
        case let .detailLoaded(d, templates):
            fx = detailLoaded(&s, d, templates)
        case let .detailFailed(id, n):
            if s.selectedRow?.id == id {
                s.detail = nil
                s.detailError = n
            }
            fx = []
        case let .pickerLoaded(gen, items):
            if case var .picker(p) = s.mode, p.generation == gen {
                p.items = items
                p.selected = min(p.selected, max(0, items.count - 1))
                s.mode = .picker(p)
            }
            fx = []
        case let .caseResolved(c, purpose):
            fx = caseResolved(&s, c, purpose)
        case let .failed(n):
            s.notice = n
            fx = []
        case let .performed(outcomes, draft):
            fx = performed(&s, outcomes, draft)
        case let .revealed(caseId, reporter):
            fx = revealed(&s, caseId, reporter)
        case let .statsLoaded(generation, r):
            fx = statsLoaded(&s, generation, r)
        case let .statsFailed(generation, n):
            fx = statsFailed(&s, generation, n)
        case .dataChanged:
            fx = reloadAll(&s)
        case let .draftsRestored(saved):
            fx = draftsRestored(&s, saved)
        case let .editedExternally(key, text):
            fx = editedExternally(&s, key, text)
        case let .copied(code, summary, ok):
            fx = copied(&s, code: code, summary: summary, ok: ok)
        case let .intakeOpened(now):
            fx = intakeOpened(&s, now: now)
        case let .intakeWardsLoaded(generation, items):
            fx = intakeWardsLoaded(&s, generation: generation, items: items)
        case let .intakeDuplicatesLoaded(generation, found):
            fx = intakeDuplicatesLoaded(&s, generation: generation, found)
        case let .takenIn(o):
            fx = takenIn(&s, o)
        case let .intakeFailed(n):
            fx = intakeFailed(&s, n)
        case let .tourStarted(baseline):
            fx = tourStarted(&s, baseline: baseline)
        case .tourCaseFound:
            fx = []
        }
        return fx
    }

    // MARK: Keys

    static func key(_ s: inout DeskState, _ k: Key) -> [DeskEffect] {
        if case let .resize(w, h) = k { return resize(&s, w, h) }
        if DeskLayout(width: s.width, height: s.height, composing: s.composing != nil).kind == .tooSmall {
            // Only quitting makes sense on a screen too small to show anything.
            if s.keyMap.action(for: k, in: [.global])?.id == .quit, s.mode == .normal, s.composing == nil, s.intake == nil {
                return runAction(&s, .quit, index: 0)
            }
            return []
        }
        s.notice = nil
        if case let .mouse(x, y, a) = k { return mouse(&s, x, y, a) }
        switch s.mode {
        case .normal:
            if s.intake != nil { return intakeKey(&s, k) }
            if s.contexts == [.editor] { return editorKey(&s, k) }
            guard let hit = s.keyMap.action(for: k, in: s.contexts) else { return [] }
            return runAction(&s, hit.id, index: hit.index)
        case .search, .command, .prompt:
            return lineKey(&s, k)
        case .picker:
            return pickerKey(&s, k)
        case .menu:
            return menuKey(&s, k)
        case .confirm:
            return confirmKey(&s, k)
        case .rating:
            return ratingKey(&s, k)
        case .help:
            return helpKey(&s, k)
        }
    }

    static func resize(_ s: inout DeskState, _ w: Int, _ h: Int) -> [DeskEffect] {
        s.width = max(0, w)
        s.height = max(0, h)
        ensureVisible(&s)
        clampDetailScroll(&s)
        return []
    }

    /// Runs a registry action in normal mode (from a key or a `:` command).
    static func runAction(_ s: inout DeskState, _ id: ActionID, index: Int, arg: String? = nil) -> [DeskEffect] {
        if s.stats != nil, !(id == .stats && arg != nil), let fx = statsAction(&s, id, arg: arg) { return fx }
        if let v = ActionRegistry.view(for: id) {
            _ = closeStats(&s)
            return switchView(&s, v)
        }
        switch id {
        case .stats:
            return openStats(&s, arg: arg)
        case .quit:
            if !s.draftsKept && !s.drafts.filter({ !$0.value.isEmpty }).isEmpty {
                s.mode = .confirm(.quit)
                return []
            }
            s.quit = true
            return [.quit]
        case .help:
            s.mode = .help(scroll: 0, contexts: s.contexts)
            return []
        case .command:
            s.mode = .command(TextEditor(arg ?? "", multiline: false))
            return []
        case .search:
            s.mode = .search(TextEditor(s.spec.text, multiline: false), previous: s.spec.text)
            return []
        case .reload:
            return reloadAll(&s)
        case .back:
            if s.focus != .queue { s.focus = .queue; return [] }
            if s.spec.single != nil {
                // Out of the one-case view, back to the view it was opened from.
                s.spec.single = nil
                return newQueue(&s)
            }
            if s.spec.stats != nil, s.statsReturn != nil, s.spec.text.isEmpty { return returnToStats(&s) }
            if !s.spec.text.isEmpty {
                s.spec.text = ""
                return newQueue(&s)
            }
            if !s.marks.isEmpty { s.marks = [:]; return [] }
            return []
        case .nextPane, .prevPane:
            return cyclePane(&s, forward: id == .nextPane)
        case .orderNext:
            // The next sort column this queue can be sorted by cheaply, ascending.
            let all = SortColumn.allCases
            let i = all.firstIndex(of: s.spec.sort.column) ?? 0
            let next = (1...all.count).map { all[(i + $0) % all.count] }.first { $0.isCheap(in: s) } ?? .deadline
            s.spec.sort(by: next, descending: false)
            s.notice = sortNotice(s.spec)
            if next == .deadline, !SortColumn.allCases.allSatisfy({ $0.isCheap(in: s) }) {
                s.notice = .info("desk.sort.only_deadline")
            }
            return reorderQueue(&s)
        case .sortReverse:
            s.spec.reversed.toggle()
            s.notice = sortNotice(s.spec)
            return reorderQueue(&s)
        case .tour:
            return tourCommand(&s, arg)
        case .tourBack, .tourSkip, .tourQuit:
            return tourKey(&s, id)
        case .filterKind:
            openKindMenu(&s)
            return []
        case .filterCategory:
            return openLocalPicker(&s, .category, items: s.categories.map {
                PickerItem(id: $0.code, label: $0.name(s.lang), detail: $0.code)
            }, query: arg ?? "")
        case .filterWard:
            return openPicker(&s, .ward, query: arg ?? "")
        case .filterClear:
            s.spec.text = ""
            s.spec.kind = nil
            s.spec.category = nil
            s.spec.ward = nil
            s.spec.group = nil
            return newQueue(&s)
        case .groupPrev, .groupNext:
            guard s.spec.view == .overdue, !s.groups.isEmpty else { return [] }
            let options: [UnitRef?] = [nil] + s.groups.map { UnitRef($0.unit) }
            let i = options.firstIndex(of: s.spec.group) ?? 0
            let n = options.count
            s.spec.group = options[(i + (id == .groupNext ? 1 : n - 1)) % n]
            return newQueue(&s)
        case .mark:
            guard let row = s.selectedRow else { return noCase(&s) }
            if s.marks[row.id] != nil {
                s.marks[row.id] = nil
            } else {
                s.marks[row.id] = target(for: row, in: s)
            }
            return moveSelection(&s, to: s.queue.selected + 1)
        case .unmarkAll:
            s.marks = [:]
            return []
        case .assign:
            return begin(&s, .assign, bulk: true, preset: arg)
        case .route:
            return begin(&s, .route, bulk: true, preset: arg)
        case .reply:
            return openEditor(&s, .reply)
        case .note:
            return openEditor(&s, .note)
        case .notify:
            return openEditor(&s, .notice)
        case .citizenLang:
            s.citizenLang = arg.flatMap { Lang(rawValue: $0.lowercased()) } ?? (s.citizenLang == .vi ? .en : .vi)
            s.notice = .info("desk.citizen_lang", s.citizenLang.rawValue)
            return []
        case .statusMenu:
            return openStatusMenu(&s)
        case .searchNext, .searchPrev:
            return searchStep(&s, forward: id == .searchNext)
        case .copyCode, .copySummary:
            return copySelected(&s, summary: id == .copySummary)
        case .start: return begin(&s, .start, bulk: false, preset: arg)
        case .requestInfo: return begin(&s, .wait, bulk: false, preset: arg)
        case .resume: return begin(&s, .resume, bulk: false, preset: arg)
        case .reject: return begin(&s, .reject, bulk: false, preset: arg)
        case .escalate: return begin(&s, .escalate, bulk: false, preset: arg)
        case .extend: return begin(&s, .extend, bulk: false, preset: arg)
        case .merge: return begin(&s, .merge, bulk: false, preset: arg)
        case .rate: return begin(&s, .rate, bulk: false, preset: arg)
        case .close: return begin(&s, .close, bulk: false, preset: arg)
        case .reopen: return begin(&s, .reopen, bulk: false, preset: arg)
        case .reveal: return beginReveal(&s, reason: arg)
        case .intake: return beginIntake(&s)
        case .down: return s.focus == .detail ? scrollDetail(&s, by: 1) : moveSelection(&s, to: s.queue.selected + 1)
        case .up: return s.focus == .detail ? scrollDetail(&s, by: -1) : moveSelection(&s, to: s.queue.selected - 1)
        case .pageDown:
            if s.focus == .detail { return scrollDetail(&s, by: s.layout.detailLines - 1) }
            return moveSelection(&s, to: s.queue.selected + queueVisibleRows(s))
        case .pageUp:
            if s.focus == .detail { return scrollDetail(&s, by: -(s.layout.detailLines - 1)) }
            return moveSelection(&s, to: s.queue.selected - queueVisibleRows(s))
        case .top:
            if s.focus == .detail { s.detailScroll = 0; return [] }
            return goTop(&s)
        case .bottom:
            if s.focus == .detail { s.detailScroll = Int.max / 2; clampDetailScroll(&s); return [] }
            return goBottom(&s)
        case .open:
            guard s.selectedRow != nil else { return noCase(&s) }
            s.focus = .detail
            return []
        case .send, .templates, .insertTemplate, .discardDraft, .leaveEditor, .externalEdit:
            // Editor actions; from a command they apply to the selected case's draft.
            guard let row = s.selectedRow else { return noCase(&s) }
            let existing = s.drafts.keys.first { $0.caseId == row.id && $0.kind == .reply }
                ?? s.drafts.keys.first { $0.caseId == row.id }
            if id == .externalEdit && existing == nil {
                // A new reply, with the checks `R` makes, then the editor.
                _ = openEditor(&s, .reply)
                guard s.composing != nil else { return [] }
                return editorAction(&s, id, index: index)
            }
            let key = existing ?? DraftKey(caseId: row.id, kind: .reply)
            s.composing = key
            if s.drafts[key] == nil { s.drafts[key] = TextEditor() }
            s.focus = .reply
            return editorAction(&s, id, index: index)
        default:
            return []
        }
    }

    /// "Sorted by deadline ↑".
    static func sortNotice(_ spec: QueueSpec) -> Notice {
        let (column, descending) = spec.sort
        func text(_ lang: Lang) -> String {
            L10n.t("desk.sort.now", lang, L10n.t("desk.sort.\(column.rawValue)", lang), descending ? "↓" : "↑")
        }
        return Notice(vi: text(.vi), en: text(.en), isError: false)
    }

    static func noCase(_ s: inout DeskState) -> [DeskEffect] {
        s.notice = .error("desk.no_case")
        return []
    }

    static func cyclePane(_ s: inout DeskState, forward: Bool) -> [DeskEffect] {
        let order: [Pane] = [.queue, .detail, .reply]
        var i = order.firstIndex(of: s.focus) ?? 0
        for _ in 0..<order.count {
            i = (i + (forward ? 1 : order.count - 1)) % order.count
            let p = order[i]
            if p == .reply {
                guard let row = s.selectedRow else { continue }
                let key = s.composing.flatMap { $0.caseId == row.id ? $0 : nil }
                    ?? s.drafts.keys.sorted { $0.kind.rawValue > $1.kind.rawValue }.first { $0.caseId == row.id }
                    ?? DraftKey(caseId: row.id, kind: .reply)
                if s.drafts[key] == nil { s.drafts[key] = TextEditor() }
                s.composing = key
                s.focus = .reply
                return []
            }
            if p == .detail && s.selectedRow == nil { continue }
            leaveEditor(&s)
            s.focus = p
            return []
        }
        return []
    }

    /// Leaves the editor; an empty draft is dropped, any other kept.
    static func leaveEditor(_ s: inout DeskState) {
        if let k = s.composing, s.drafts[k]?.isEmpty ?? true { s.drafts[k] = nil }
        s.composing = nil
    }

    // MARK: Answers

    static func detailLoaded(_ s: inout DeskState, _ d: CaseDetail, _ templates: [ReplyTemplate]) -> [DeskEffect] {
        let wanted = s.selectedRow?.id ?? s.composing?.caseId
        guard d.case.id == wanted || d.case.id == s.composing?.caseId else { return [] }
        if s.detail?.case.id != d.case.id { s.detailScroll = 0 }
        // A reveal lasts while its case stays on screen.
        if let r = s.revealed, r.caseId != d.case.id { s.revealed = nil }
        s.detail = s.revealed?.apply(to: d) ?? d
        s.detailError = nil
        s.templates = templates
        // The view clamps the scroll it draws; scrolling keys clamp it here.
        return []
    }

    static func caseResolved(_ s: inout DeskState, _ c: Case, _ purpose: ResolvePurpose) -> [DeskEffect] {
        switch purpose {
        case var .merge(p):
            p.master = CaseRef(id: c.id, code: c.code, title: c.title, status: c.status)
            return advance(&s, p)
        case .goto:
            // Marks belong to the view they were made in.
            if !s.marks.isEmpty {
                s.notice = .info("desk.marks.cleared", s.marks.count)
                s.marks = [:]
            }
            // The one-case view: the case alone, wherever it is handled (the session has
            // said the official may see it); Esc goes back to the view.
            leaveEditor(&s)
            s.spec.single = CaseRef(id: c.id, code: c.code, title: c.title, status: c.status)
            s.focus = .queue
            return newQueue(&s)
        }
    }

    static func performed(_ s: inout DeskState, _ outcomes: [PerformOutcome], _ draft: DraftKey?) -> [DeskEffect] {
        let ok = outcomes.filter { $0.error == nil }
        let failed = outcomes.filter { $0.error != nil }
        for o in ok { s.marks[o.caseId] = nil }
        if let draft, ok.contains(where: { $0.caseId == draft.caseId }) {
            forgetDraft(&s, draft)
            if s.composing == draft { s.composing = nil; s.focus = .queue }
        } else if let draft {
            // Refused (a conflict): the reload that follows shows the case as it is now,
            // and sending again answers that.
            s.draftBase[draft] = nil
        }
        if let first = failed.first?.error {
            if ok.isEmpty && failed.count == 1 {
                s.notice = first
            } else {
                // Which cases were refused, and why: codes grouped by reason. The refused
                // ones stay marked, for another try.
                let key = failed.contains { s.marks[$0.caseId] != nil } ? "desk.bulk.refused_marked" : "desk.bulk.refused"
                s.notice = Notice(vi: L10n.t(key, .vi, ok.count, failed.count, refusals(failed, .vi)),
                                  en: L10n.t(key, .en, ok.count, failed.count, refusals(failed, .en)), isError: true)
            }
        } else if let o = ok.first {
            let codes = codeList(ok.map(\.code))
            if o.action == .rate, let c = o.updated, c.status.isOpen, let r = c.rating {
                s.notice = .info("wf.rated_reopened", r)
            } else {
                s.notice = Notice(vi: L10n.t("desk.done", .vi, o.action.label(.vi), codes),
                                  en: L10n.t("desk.done", .en, o.action.label(.en), codes), isError: false)
            }
        }
        return reloadAll(&s)
    }

    /// "HN-2026-000012, HN-2026-000015: <reason>; HN-2026-000020: <another reason>".
    static func refusals(_ failed: [PerformOutcome], _ lang: Lang) -> String {
        var groups: [(reason: String, codes: [String])] = []
        for o in failed {
            let reason = o.error?.text(lang) ?? ""
            if let i = groups.firstIndex(where: { $0.reason == reason }) {
                groups[i].codes.append(o.code)
            } else {
                groups.append((reason, [o.code]))
            }
        }
        return groups.map { $0.codes.joined(separator: ", ") + ": " + $0.reason }.joined(separator: "; ")
    }

    static func codeList(_ codes: [String]) -> String {
        codes.count <= 3 ? codes.joined(separator: ", ") : codes.prefix(3).joined(separator: ", ") + " (+\(codes.count - 3))"
    }

    /// Reloads what is on screen, keeping the selection on the same case.
    static func reloadAll(_ s: inout DeskState) -> [DeskEffect] {
        s.totalStale = true
        var fx = reloadQueue(&s)
        fx.append(.loadCounts)
        if s.spec.view == .overdue { fx.append(.loadGroups) }
        if let id = s.selectedRow?.id ?? s.composing?.caseId { fx.append(.loadDetail(caseId: id)) }
        if s.stats != nil { fx += loadStats(&s) }
        return fx
    }

    // MARK: Helpers

    static func target(for row: QueueRow, in s: DeskState) -> Target {
        let version = s.detail.flatMap { $0.case.id == row.id ? $0.case.version : nil }
        let status = s.detail.flatMap { $0.case.id == row.id ? $0.case.status : nil } ?? row.status
        return Target(id: row.id, code: row.code, status: status, version: version)
    }
}
