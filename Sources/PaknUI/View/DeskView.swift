import Foundation
import PaknCore

/// The desk's pure view: state in, grid of cells out. Everything citizen-supplied goes
/// through `Grid.put`, which renders control characters visibly.
public enum DeskView {
    public static func render(_ s: DeskState) -> Grid {
        var g = Grid(width: s.width, height: s.height)
        let l = s.layout
        if l.kind == .tooSmall {
            tooSmall(&g, s)
            return g
        }
        title(&g, s, l.title)
        if let form = s.intake {
            IntakeView.render(&g, s, form)
        } else if let screen = s.stats {
            StatsView.render(&g, s, screen)
        } else {
            panes(&g, s, l)
        }
        if let tour = s.tour, s.stats == nil { TourView.render(&g, s, tour) }
        statusLine(&g, s, l.status)
        switch s.mode {
        case let .picker(p): picker(&g, s, p)
        case let .menu(m): menu(&g, s, m)
        case let .rating(f): rating(&g, s, f)
        case let .help(scroll, contexts): help(&g, s, scroll: scroll, contexts: contexts)
        case let .confirm(.send(key)): sendConfirm(&g, s, key)
        case let .command(ed): completions(&g, s, ed.text)
        default: break
        }
        return g
    }

    static func panes(_ g: inout Grid, _ s: DeskState, _ l: DeskLayout) {
        queuePane(&g, s, l.queue)
        if l.detail.width > 0 && l.detail.height > 0 { detailPane(&g, s, l.detail) }
        if l.reply.width > 0 && l.reply.height > 0 { replyPane(&g, s, l.reply) }
        if l.kind == .wide {
            separator(&g, x: l.detail.maxX, rect: l.detail, focused: s.focus == .detail || s.focus == .reply)
        }
    }

    static func t(_ s: DeskState, _ key: String, _ args: CustomStringConvertible...) -> String {
        L10n.format(key, s.lang, args.map(\.description))
    }

    // MARK: Too small

    static func tooSmall(_ g: inout Grid, _ s: DeskState) {
        guard g.width > 0, g.height > 0 else { return }
        let msg = t(s, "desk.too_small", DeskLayout.minWidth, DeskLayout.minHeight, s.width, s.height)
        let lines = Wrap.lines(msg, width: g.width)
        let y0 = max(0, (g.height - lines.count) / 2)
        for (i, line) in lines.enumerated() where y0 + i < g.height {
            let x = max(0, (g.width - TerminalText.width(line)) / 2)
            g.put(line, x: x, y: y0 + i, role: .statusError, maxWidth: g.width)
        }
    }

    // MARK: Title bar

    static func title(_ g: inout Grid, _ s: DeskState, _ r: Rect) {
        g.fill(x: r.x, y: r.y, width: r.width, height: 2, role: .titleBar)
        // Row 1: who, where, counts.
        var counts: StyledLine = []
        if let c = s.counts {
            counts = [Span(t(s, "desk.count.open", c.open) + "  ", .titleCount),
                      Span(t(s, "desk.count.due_soon", c.dueSoon) + "  ", c.dueSoon > 0 ? .deadlineDueSoon : .titleCount),
                      Span(t(s, "desk.count.overdue", c.overdue) + " ", c.overdue > 0 ? .deadlineOverdue : .titleCount)]
        }
        let cw = StyledText.width(counts)
        var x = r.x
        if s.training {
            // A training database says so on every screen, in both languages.
            x += g.put(" pakn ", x: x, y: r.y, role: .titleBar, maxWidth: max(0, r.width - cw - 1))
            x += g.put(" " + t(s, "desk.training") + " ", x: x, y: r.y, role: .titleTraining,
                       maxWidth: max(0, r.maxX - cw - 1 - x))
        }
        let who = (s.training ? " " : " pakn │ ") + "\(s.me.fullName) (\(s.me.role.label(s.lang)))" + (s.myUnit.map { " · " + $0.name } ?? "")
        let room = max(0, r.maxX - cw - 1 - x)
        g.put(TerminalText.truncate(who, to: room), x: x, y: r.y, role: .titleBar, maxWidth: room)
        if cw < r.width { g.put(counts, x: r.maxX - cw, y: r.y, width: cw) }

        // Row 2: the views, one key each. Full names when they fit, else names shortened by
        // dropping words (brackets round the current view while there is room for them: its
        // colour says it too); still too long, the longest names of the other views give way
        // to their keys alone, one at a time (the current view keeps its name).
        let views = ActionRegistry.viewActions
        // The views added after the first eight (Sent up) give way first: their names, then
        // their keys (the view stays one key away; `?` lists it).
        var hidden: Set<QueueView> = []
        func line(_ labels: [String], brackets: Bool = true) -> StyledLine {
            var spans: StyledLine = brackets ? [Span(" ")] : []
            for ((id, v), label) in zip(views, labels) where !hidden.contains(v) {
                let key = s.keyMap.keys(for: id).first?.description ?? ""
                let active = v == s.spec.view
                let text = key.isEmpty ? label : (label.isEmpty ? key : key + " " + label)
                guard !text.isEmpty else { continue }
                if !brackets && spans.count > 0 { spans.append(Span(" ")) }
                spans.append(Span(active && brackets ? "[" + text + "]" : text, active ? .titleViewActive : .titleView))
                if brackets { spans.append(Span(" ")) }
            }
            return spans
        }
        var spans = line(views.map { t(s, "desk.view.\($0.1.rawValue)") })
        if StyledText.width(spans) > r.width {
            var labels = views.map { t(s, "desk.view_short.\($0.1.rawValue)") }
            spans = line(labels)
            if StyledText.width(spans) > r.width { spans = line(labels, brackets: false) }
            let late = views.indices.filter { $0 >= 8 && views[$0].1 != s.spec.view }
            for i in late where StyledText.width(spans) > r.width {
                labels[i] = ""
                spans = line(labels, brackets: false)
            }
            for i in late where StyledText.width(spans) > r.width {
                hidden.insert(views[i].1)
                spans = line(labels, brackets: false)
            }
            while StyledText.width(spans) > r.width,
                  let i = labels.indices.filter({ !labels[$0].isEmpty && views[$0].1 != s.spec.view && !hidden.contains(views[$0].1) })
                      .max(by: { (TerminalText.width(labels[$0]), $1) < (TerminalText.width(labels[$1]), $0) }) {
                labels[i] = ""
                spans = line(labels, brackets: false)
            }
        }
        g.put(spans, x: r.x, y: r.y + 1, width: r.width)
    }

    // MARK: Pane frames

    /// The title line of a pane: `─ Title ───── right ─`.
    static func paneTitle(_ g: inout Grid, _ r: Rect, _ title: String, right: String = "", focused: Bool) {
        let border: StyleRole = focused ? .paneBorderFocused : .paneBorder
        g.put(String(repeating: "─", count: r.width), x: r.x, y: r.y, role: border, maxWidth: r.width)
        let used = g.put(" " + title + " ", x: r.x + 1, y: r.y, role: focused ? .paneBorderFocused : .paneTitle,
                         maxWidth: max(0, r.width - 2))
        let rw = TerminalText.width(right)
        if !right.isEmpty && used + rw + 4 <= r.width {
            g.put(" " + right + " ", x: r.maxX - rw - 3, y: r.y, role: border, maxWidth: rw + 2)
        }
    }

    static func separator(_ g: inout Grid, x: Int, rect r: Rect, focused: Bool) {
        guard x < g.width else { return }
        for y in r.y..<r.maxY { g.put(y == r.y ? "┬" : "│", x: x, y: y, role: focused ? .paneBorderFocused : .paneBorder) }
    }

    // MARK: Queue

    static func queuePane(_ g: inout Grid, _ s: DeskState, _ r: Rect) {
        let (sortColumn, descending) = s.spec.sort
        var titleText = t(s, "desk.view.\(s.spec.view.rawValue)") + " · "
            + t(s, "desk.sort.by", t(s, "desk.sort.\(sortColumn.rawValue)"), descending ? "↓" : "↑")
        if let one = s.spec.single { titleText = t(s, "desk.single", one.code, keyName(s, .back)) }
        let filters = filterSummary(s)
        if !filters.isEmpty { titleText += " · " + filters }
        var right = ""
        if !s.queue.rows.isEmpty {
            // "18/245": the selected row's place in the whole list and its length ("…" while
            // they are being counted, in the quiet moment after the key).
            let pos = s.position
            let total = s.total.map { max($0, pos ?? 0) }
            right = (pos.map(String.init) ?? "…") + "/" + (total.map(String.init) ?? "…") + (s.totalCapped ? "+" : "")
        }
        if !s.marks.isEmpty { right = t(s, "desk.marked", s.marks.count) + "  " + right }
        paneTitle(&g, r, titleText, right: right, focused: s.focus == .queue && s.mode == .normal)

        let cols = QueueColumns(s, width: r.width)
        let anyDrafts = !s.drafts.isEmpty
        g.put(cols.header(s), x: r.x, y: r.y + 1, width: r.width)
        g.restyle(x: r.x, y: r.y + 1, width: r.width, role: .queueHeader)
        var y = r.y + 2
        if s.spec.view == .overdue {
            g.put(groupLine(s, width: r.width), x: r.x, y: y, width: r.width)
            y += 1
        }
        let visible = r.maxY - y
        if s.queue.rows.isEmpty {
            let msg = s.queue.loaded ? t(s, "desk.queue.empty") : t(s, "desk.loading")
            g.put(msg, x: r.x + 2, y: y, role: .dim, maxWidth: r.width - 2)
            return
        }
        // Rows are drawn once into cells of their own and remembered; a row drawn before
        // (same row, highlight, mark, draft, columns, language, categories) is copied in.
        let inGrid = r.x >= 0 && r.x + r.width <= g.width
        let context = RenderMemo.shared.rowContextNumber(.init(columns: cols, width: r.width, lang: s.lang, categories: s.categories))
        for i in 0..<visible {
            let idx = s.queue.top + i
            guard idx < s.queue.rows.count else { break }
            let row = s.queue.rows[idx]
            guard inGrid else {
                let (base, marked, _) = rowLook(s, idx, anyDrafts: anyDrafts)
                g.fill(x: r.x, y: y + i, width: r.width, height: 1, role: base)
                g.put(cols.row(row, s, base: base, marked: marked), x: r.x, y: y + i, width: r.width)
                continue
            }
            g.copy(rowCells(s, idx, cols, width: r.width, context: context, anyDrafts: anyDrafts), x: r.x, y: y + i)
        }
    }

    /// How row `idx` looks: its highlight, whether it is marked, whether it has a draft.
    static func rowLook(_ s: DeskState, _ idx: Int, anyDrafts: Bool) -> (base: StyleRole, marked: Bool, draft: Bool) {
        let row = s.queue.rows[idx]
        let marked = s.marks[row.id] != nil
        let base: StyleRole = idx == s.queue.selected ? (s.focus == .queue ? .queueSelected : .queueSelectedUnfocused)
            : (marked ? .queueMarked : .queueRow)
        return (base, marked, anyDrafts && s.drafts.keys.contains { $0.caseId == row.id })
    }

    /// Row `idx` drawn into cells `width` wide, remembered (`RenderMemo`).
    static func rowCells(_ s: DeskState, _ idx: Int, _ cols: QueueColumns, width: Int, context: Int, anyDrafts: Bool) -> [Cell] {
        let row = s.queue.rows[idx]
        let (base, marked, draft) = rowLook(s, idx, anyDrafts: anyDrafts)
        let key = RenderMemo.RowKey(row: row, base: base, marked: marked, draft: draft)
        if let cells = RenderMemo.shared.rowCells(key, context: context) { return cells }
        var line = Grid(width: width, height: 1)
        line.fill(x: 0, y: 0, width: width, height: 1, role: base)
        line.put(cols.row(row, s, base: base, marked: marked), x: 0, y: 0, width: width)
        RenderMemo.shared.remember(key, context: context, cells: line.cells)
        return line.cells
    }

    /// Lays out ahead, for a quiet moment, the queue rows a page down or up would show as
    /// they would look unselected (a page moves the selection onto one of them), so that
    /// the frame after the key copies them. Changes no frame: only what is remembered.
    public static func prepareRows(_ s: DeskState) {
        let l = s.layout
        guard l.kind != .tooSmall, !s.queue.rows.isEmpty else { return }
        let r = l.queue
        let cols = QueueColumns(s, width: r.width)
        let context = RenderMemo.shared.rowContextNumber(.init(columns: cols, width: r.width, lang: s.lang, categories: s.categories))
        let visible = DeskUpdate.queueVisibleRows(s)
        let anyDrafts = !s.drafts.isEmpty
        let below = min(s.queue.rows.count, s.queue.top + visible)..<min(s.queue.rows.count, s.queue.top + 2 * visible)
        let above = max(0, s.queue.top - visible)..<max(0, s.queue.top)
        for idx in Array(below) + Array(above) where idx != s.queue.selected {
            _ = rowCells(s, idx, cols, width: r.width, context: context, anyDrafts: anyDrafts)
        }
    }

    static func filterSummary(_ s: DeskState) -> String {
        var parts: [String] = []
        if let st = s.spec.stats { parts.append(st.title(s.lang)) }
        if !s.spec.text.isEmpty { parts.append("/" + s.spec.text) }
        if let k = s.spec.kind { parts.append(k.label(s.lang)) }
        if let c = s.spec.category, s.spec.stats == nil { parts.append(s.categoryName(c)) }
        if let w = s.spec.ward { parts.append(w.name) }
        if let grp = s.spec.group, s.spec.view == .overdue, s.spec.stats == nil { parts.append(grp.name) }
        return parts.joined(separator: ", ")
    }

    /// "By unit: [All 47]  Dept A 18  Dept B 9 …", with the chosen unit always in view: when
    /// it would fall past the right edge, the units before it give way to "…".
    static func groupLine(_ s: DeskState, width: Int = .max) -> StyledLine {
        let total = s.groups.reduce(0) { $0 + $1.count }
        let head = Span(" " + t(s, "desk.groups") + ": ", .queueGroup)
        let all = t(s, "desk.groups.all", total)
        var items: [Span] = [Span(s.spec.group == nil ? "[" + all + "]" : all, s.spec.group == nil ? .emphasis : .queueGroup)]
        var active = 0
        for gc in s.groups {
            let on = s.spec.group?.id == gc.unit.id
            if on { active = items.count }
            let text = "\(gc.unit.label) \(gc.count)"
            items.append(Span(on ? "[" + text + "]" : text, on ? .emphasis : .queueGroup))
        }
        func w(_ sp: Span) -> Int { TerminalText.width(sp.text) }
        let sep = Span("  ", .queueGroup)
        // Items dropped from the front (after "All") until the active one ends within the width.
        var first = 1
        while active >= first, first < active {
            let shown = [items[0]] + items[first...active]
            let used = w(head) + shown.reduce(0) { $0 + w($1) } + (shown.count - 1) * 2 + (first > 1 ? 3 : 0)
            if used <= width { break }
            first += 1
        }
        var spans: StyledLine = [head, items[0]]
        if first > 1 { spans.append(Span("  …", .queueGroup)) }
        for item in items[max(1, first)...] where items.count > 1 {
            spans.append(sep)
            spans.append(item)
        }
        return spans
    }

    // MARK: Detail

    static func detailPane(_ g: inout Grid, _ s: DeskState, _ r: Rect) {
        let focused = s.focus == .detail && s.mode == .normal
        guard let d = s.selectedDetail else {
            paneTitle(&g, r, t(s, "desk.pane.detail"), focused: focused)
            let msg: String
            if let e = s.detailError { msg = e.text(s.lang) } else if s.selectedRow != nil { msg = t(s, "desk.loading") } else {
                msg = t(s, "desk.detail.none")
            }
            for (i, line) in Wrap.lines(msg, width: max(1, r.width - 2)).enumerated() where i + 1 < r.height {
                g.put(line, x: r.x + 1, y: r.y + 1 + i, role: s.detailError != nil ? .statusError : .dim, maxWidth: r.width - 1)
            }
            return
        }
        let lines = DetailText.lines(d, state: s, width: max(1, r.width - 1))
        let h = r.height - 1
        let scroll = max(0, min(s.detailScroll, lines.count - h))
        var right = ""
        if lines.count > h { right = "\(scroll + 1)–\(min(lines.count, scroll + h))/\(lines.count)" }
        paneTitle(&g, r, t(s, "desk.pane.detail") + " " + d.case.code, right: right, focused: focused)
        for i in 0..<h where scroll + i < lines.count {
            g.put(lines[scroll + i], x: r.x + 1, y: r.y + 1 + i, width: r.width - 1)
        }
    }

    // MARK: Reply

    static func replyPane(_ g: inout Grid, _ s: DeskState, _ r: Rect) {
        let focused = s.focus == .reply && s.mode == .normal
        let key = s.composing ?? s.selectedRow.flatMap { row in
            s.drafts.keys.sorted { $0.kind.rawValue > $1.kind.rawValue }.first { $0.caseId == row.id }
        }
        guard let key else {
            paneTitle(&g, r, t(s, "desk.pane.reply"), focused: focused)
            let hint = t(s, "desk.reply.hint", keyName(s, .reply), keyName(s, .note))
            for (i, line) in Wrap.lines(hint, width: max(1, r.width - 2)).enumerated() where i + 1 < r.height {
                g.put(line, x: r.x + 1, y: r.y + 1 + i, role: .dim, maxWidth: r.width - 1)
            }
            return
        }
        let code = s.detail.flatMap { $0.case.id == key.caseId ? $0.case.code : nil }
            ?? s.queue.rows.first { $0.id == key.caseId }?.code ?? ""
        let titleKey: String
        switch key.kind {
        case .reply: titleKey = "desk.pane.reply_to"
        case .note: titleKey = "desk.pane.note_on"
        case .notice: titleKey = "desk.pane.notice_to"
        case .request: titleKey = "desk.pane.request_to"
        }
        paneTitle(&g, r, t(s, titleKey, code), focused: focused)
        let ed = s.drafts[key] ?? TextEditor()
        let editing = s.composing == key && s.focus == .reply
        // Footer: keys, and the numbered templates while the draft is empty.
        var footer: [StyledLine] = []
        if editing {
            if ed.isEmpty && key.kind != .note {
                let tkeys = s.keyMap.keys(for: .insertTemplate)
                for (i, tpl) in s.templates(for: key.kind).enumerated() where i < tkeys.count {
                    footer.append([Span(tkeys[i].description + " ", .helpKey), Span(tpl.title, .helpText)])
                }
            }
        }
        let maxFooter = max(0, (r.height - 1) / 2)
        if footer.count > maxFooter { footer = Array(footer.prefix(maxFooter)) }
        let textH = max(0, r.height - 1 - footer.count)
        let width = max(1, r.width - 2)
        let rows = ed.visualRows(width: width)
        let (cy, cx) = ed.cursorPosition(in: rows)
        let scroll = max(0, cy - textH + 1)
        for i in 0..<textH where scroll + i < rows.count {
            let vr = rows[scroll + i]
            let text = String(ed.lines[vr.line][vr.range])
            g.put(text, x: r.x + 1, y: r.y + 1 + i, role: .editorText, maxWidth: width)
        }
        if editing && textH > 0 {
            let x = r.x + 1 + min(cx, width - 1), y = r.y + 1 + (cy - scroll)
            if y < r.maxY && x < g.width {
                g.restyle(x: x, y: y, width: 1, role: .editorCursor)
                g.cursor = GridPoint(x: x, y: y)
            }
        }
        for (i, line) in footer.enumerated() {
            g.put(line, x: r.x + 1, y: r.maxY - footer.count + i, width: r.width - 1)
        }
    }

    static func keyName(_ s: DeskState, _ id: ActionID) -> String {
        s.keyMap.keys(for: id).first?.description ?? ":" + id.rawValue
    }

    // MARK: Status line

    /// The most rows a status message may take (it wraps upward from the status line).
    static let noticeRows = 3

    static func statusLine(_ g: inout Grid, _ s: DeskState, _ r: Rect) {
        g.fill(x: r.x, y: r.y, width: r.width, height: 1, role: .statusLine)
        func input(_ prefix: String, _ ed: TextEditor) {
            let used = g.put(prefix, x: r.x, y: r.y, role: .prompt, maxWidth: r.width)
            let avail = max(1, r.width - used - 1)
            let chars = ed.currentLine
            // Keep the cursor in view: show the tail when the text is long.
            var start = 0
            while TerminalText.width(String(chars[start..<ed.col])) > avail - 1 && start < ed.col { start += 1 }
            let shown = String(chars[start...])
            g.put(shown, x: r.x + used, y: r.y, role: .statusLine, maxWidth: avail)
            let cx = r.x + used + TerminalText.width(String(chars[start..<ed.col]))
            if cx < g.width { g.cursor = GridPoint(x: cx, y: r.y); g.restyle(x: cx, y: r.y, width: 1, role: .editorCursor) }
        }
        switch s.mode {
        case let .search(ed, _):
            input("/", ed)
            return
        case let .command(ed):
            input(":", ed)
            return
        case let .prompt(p):
            input(L10n.format(p.labelKey, s.lang, p.labelArgs) + ": ", p.editor)
            return
        case let .confirm(subject):
            g.put(confirmQuestion(s, subject), x: r.x, y: r.y, role: .prompt, maxWidth: r.width)
            return
        default:
            break
        }
        if let n = s.notice {
            // A message longer than the line (a refusal naming a long unit) grows upward over
            // the pane above, at most `noticeRows` rows; nothing of it is cut silently.
            let role: StyleRole = n.isError ? .statusError : .statusInfo
            var lines = Wrap.lines(n.text(s.lang), width: r.width)
            if lines.count > noticeRows {
                lines = Array(lines.prefix(noticeRows))
                lines[noticeRows - 1] = TerminalText.truncate(lines[noticeRows - 1] + "…", to: r.width)
            }
            for (i, line) in lines.enumerated() {
                let y = r.y - (lines.count - 1) + i
                guard y >= 0 else { continue }
                g.fill(x: r.x, y: y, width: r.width, height: 1, role: .statusLine)
                g.put(line, x: r.x, y: y, role: role, maxWidth: r.width)
            }
            return
        }
        let hint: String
        if s.intake != nil {
            hint = IntakeView.hint(s)
        } else if s.stats != nil {
            hint = StatsView.hints(s)
        } else if s.composing != nil && s.focus == .reply {
            hint = t(s, "desk.hint.editor_ext", keyName(s, .send), keyName(s, .leaveEditor), keyName(s, .templates),
                     keyName(s, .externalEdit), keyName(s, .discardDraft),
                     s.keyMap.keys(for: .help, in: .editor).first?.description ?? ":help")
        } else {
            hint = t(s, "desk.hint.normal", keyName(s, .help), keyName(s, .search), keyName(s, .command),
                     keyName(s, .statusMenu), keyName(s, .quit))
        }
        g.put(hint, x: r.x, y: r.y, role: .statusLine, maxWidth: r.width)
    }

    public static func confirmQuestion(_ s: DeskState, _ subject: ConfirmSubject) -> String {
        let yes = s.keyMap.keys(for: .yes).first?.description ?? "y"
        let no = s.keyMap.keys(for: .no).first?.description ?? "n"
        switch subject {
        case let .action(p):
            let codes = DeskUpdate.codeList(p.targets.map(\.code))
            switch p.action {
            case .merge: return t(s, "desk.confirm.merge", codes, p.master?.code ?? "?", yes, no)
            case .reject: return t(s, "desk.confirm.reject", codes, p.reason ?? "", yes, no)
            default: return t(s, "desk.confirm.action", p.action.label(s.lang), codes, yes, no)
            }
        case .discard: return t(s, "desk.confirm.discard", yes, no)
        case .discardIntake: return t(s, "desk.confirm.discard_intake", yes, no)
        case .quit: return t(s, "desk.confirm.quit", s.drafts.filter { !$0.value.isEmpty }.count, yes, no)
        case let .switchView(v): return t(s, "desk.confirm.switch_view", s.marks.count, t(s, "desk.view.\(v.rawValue)"), yes, no)
        case let .send(key): return t(s, "desk.confirm.send.\(key.kind.rawValue)", DeskUpdate.draftCode(s, key), yes, no)
        }
    }

    // MARK: Overlays

    /// Where a centred box of `w`×`h` goes on a `gw`×`gh` screen, and its inner rectangle.
    static func boxRects(gridWidth gw: Int, gridHeight gh: Int, width w: Int, height h: Int) -> (outer: Rect, inner: Rect) {
        let bw = min(w, gw - 2), bh = min(h, gh - 2)
        let x = max(0, (gw - bw) / 2), y = max(1, (gh - bh) / 2)
        return (Rect(x: x, y: y, width: bw, height: bh), Rect(x: x + 2, y: y + 1, width: bw - 4, height: bh - 2))
    }

    /// The inner rectangle of the picker's box (the query line, then the items).
    public static func pickerInner(_ s: DeskState) -> Rect {
        boxRects(gridWidth: s.width, gridHeight: s.height, width: min(70, s.width - 4), height: min(20, s.height - 2)).inner
    }

    /// The inner rectangle of a menu's box (one item a row).
    public static func menuInner(_ s: DeskState, _ m: Menu) -> Rect {
        boxRects(gridWidth: s.width, gridHeight: s.height, width: min(50, s.width - 4), height: min(m.items.count + 2, s.height - 2)).inner
    }

    /// The first item a list of `height` rows shows, keeping `selected` in view.
    static func listTop(selected: Int, height: Int) -> Int { max(0, selected - height + 1) }

    /// A centred box; returns the inner rectangle.
    @discardableResult
    static func box(_ g: inout Grid, width w: Int, height h: Int, title: String) -> Rect {
        let outer = boxRects(gridWidth: g.width, gridHeight: g.height, width: w, height: h).outer
        let bw = outer.width, bh = outer.height, x = outer.x, y = outer.y
        g.fill(x: x, y: y, width: bw, height: bh, role: .overlay)
        g.put("┌" + String(repeating: "─", count: max(0, bw - 2)) + "┐", x: x, y: y, role: .paneBorderFocused, maxWidth: bw)
        for yy in (y + 1)..<max(y + 1, y + bh - 1) {
            g.put("│", x: x, y: yy, role: .paneBorderFocused)
            g.put("│", x: x + bw - 1, y: yy, role: .paneBorderFocused)
        }
        g.put("└" + String(repeating: "─", count: max(0, bw - 2)) + "┘", x: x, y: y + bh - 1, role: .paneBorderFocused, maxWidth: bw)
        g.put(" " + title + " ", x: x + 2, y: y, role: .paneTitle, maxWidth: max(0, bw - 4))
        return Rect(x: x + 2, y: y + 1, width: bw - 4, height: bh - 2)
    }

    static func picker(_ g: inout Grid, _ s: DeskState, _ p: Picker) {
        let inner = box(&g, width: min(70, g.width - 4), height: min(20, g.height - 2), title: t(s, p.titleKey))
        guard inner.height > 1 else { return }
        let used = g.put("> ", x: inner.x, y: inner.y, role: .prompt, maxWidth: inner.width)
        g.put(p.query.text, x: inner.x + used, y: inner.y, role: .overlay, maxWidth: inner.width - used)
        let cx = inner.x + used + TerminalText.width(String(p.query.currentLine[0..<p.query.col]))
        if cx < inner.maxX { g.cursor = GridPoint(x: cx, y: inner.y) }
        let listH = inner.height - 1
        if p.items.isEmpty {
            g.put(t(s, "desk.picker.none"), x: inner.x, y: inner.y + 1, role: .dim, maxWidth: inner.width)
            return
        }
        let top = listTop(selected: p.selected, height: listH)
        for i in 0..<listH where top + i < p.items.count {
            let item = p.items[top + i]
            let sel = top + i == p.selected
            let role: StyleRole = sel ? .pickerSelected : .pickerItem
            g.fill(x: inner.x, y: inner.y + 1 + i, width: inner.width, height: 1, role: role)
            let w = g.put(item.label, x: inner.x, y: inner.y + 1 + i, role: role, maxWidth: inner.width)
            if !item.detail.isEmpty && w + 3 < inner.width {
                g.put("  " + item.detail, x: inner.x + w, y: inner.y + 1 + i, role: sel ? role : .dim, maxWidth: inner.width - w)
            }
        }
    }

    /// Before a text goes to a citizen: to whom, the templates it was written from, the
    /// status the case goes to, and its first lines.
    static func sendConfirm(_ g: inout Grid, _ s: DeskState, _ key: DraftKey) {
        let ed = s.drafts[key] ?? TextEditor()
        let code = DeskUpdate.draftCode(s, key)
        let w = min(76, g.width - 2)
        let inner = Rect(x: 0, y: 0, width: max(1, w - 4), height: 0)
        let status = s.detail.flatMap { $0.case.id == key.caseId ? $0.case.status : nil }
            ?? s.queue.rows.first { $0.id == key.caseId }?.status
        var head: [StyledLine] = []
        let templates = s.draftTemplates[key] ?? []
        head += StyledText.wrap([Span(t(s, "desk.send.templates") + ": ", .detailLabel),
                                 Span(templates.isEmpty ? t(s, "desk.send.no_template") : templates.joined(separator: "; "),
                                      templates.isEmpty ? .dim : .detailValue)], width: inner.width, indent: 2)
        if let from = status {
            let to = DeskUpdate.statusAfterSending(key.kind, from: from)
            let text = from == to ? t(s, "desk.send.status_same", from.label(s.lang))
                : from.label(s.lang) + " → " + to.label(s.lang)
            head += StyledText.wrap([Span(t(s, "desk.send.status") + ": ", .detailLabel), Span(text, from == to ? .detailValue : .emphasis)],
                                    width: inner.width, indent: 2)
        }
        head.append([])
        let body = ed.lines.map { String($0) }
        var shown: [StyledLine] = []
        for line in body {
            for part in Wrap.lines(line, width: inner.width) { shown.append([Span(part, .editorText)]) }
        }
        let maxBody = max(1, min(8, g.height - 6 - head.count))
        if shown.count > maxBody {
            let more = shown.count - (maxBody - 1)
            shown = Array(shown.prefix(maxBody - 1)) + [[Span(t(s, "desk.send.more_lines", more), .dim)]]
        }
        let lines = head + shown
        let box = box(&g, width: w, height: min(lines.count + 2, g.height - 2), title: t(s, "desk.send.title.\(key.kind.rawValue)", code))
        for (i, line) in lines.enumerated() where i < box.height {
            g.put(line, x: box.x, y: box.y + i, width: box.width)
        }
    }

    /// While a `:` command is typed: the commands it could still become, in a list just
    /// above the prompt (`Tab` completes their common part).
    static func completions(_ g: inout Grid, _ s: DeskState, _ text: String) {
        let typed = text.lowercased()
        guard !typed.isEmpty, !typed.contains(" ") else { return }
        let matches = DeskUpdate.commandNames.filter { $0.hasPrefix(typed) }
        guard matches.count > 1 || (matches.count == 1 && matches[0] != typed) else { return }
        let rows = max(1, min(matches.count, g.height / 2, 12))
        var shown = Array(matches.prefix(rows))
        if matches.count > rows { shown[rows - 1] = "… +\(matches.count - rows + 1)" }
        let w = min(g.width, max(TerminalText.width(t(s, "desk.completions")) + 6, (shown.map(TerminalText.width).max() ?? 0) + 4))
        let y0 = max(0, s.layout.status.y - rows - 1)
        g.fill(x: 0, y: y0, width: w, height: rows + 1, role: .overlay)
        g.put("─ " + t(s, "desk.completions") + " " + String(repeating: "─", count: max(0, w)), x: 0, y: y0, role: .paneBorderFocused, maxWidth: w)
        for (i, name) in shown.enumerated() {
            let n = min(TerminalText.width(name), typed.count)
            g.put([Span(" " + String(name.prefix(n)), .pickerMatch), Span(String(name.dropFirst(n)), .pickerItem)],
                  x: 0, y: y0 + 1 + i, width: w)
        }
    }

    static func menu(_ g: inout Grid, _ s: DeskState, _ m: Menu) {
        let inner = box(&g, width: min(50, g.width - 4), height: min(m.items.count + 2, g.height - 2), title: t(s, m.titleKey))
        guard inner.height > 0 else { return }
        let top = listTop(selected: m.selected, height: inner.height)
        let chooseKeys = s.keyMap.keys(for: .choose, in: .menu)
        for i in 0..<inner.height where top + i < m.items.count {
            let idx = top + i
            let item = m.items[idx]
            let role: StyleRole = idx == m.selected ? .pickerSelected : .pickerItem
            g.fill(x: inner.x, y: inner.y + i, width: inner.width, height: 1, role: role)
            let num = idx < chooseKeys.count ? chooseKeys[idx].description : " "
            var line: StyledLine = [Span(num + "  ", idx == m.selected ? role : .helpKey), Span(item.label, role)]
            if let k = item.key { line.append(Span("  (" + k + ")", idx == m.selected ? role : .dim)) }
            g.put(line, x: inner.x, y: inner.y + i, width: inner.width)
        }
    }

    static func rating(_ g: inout Grid, _ s: DeskState, _ f: RatingForm) {
        let reasons = RatingReason.allCases
        let inner = box(&g, width: min(56, g.width - 4), height: min(reasons.count + 5, g.height - 2),
                        title: t(s, "desk.rating.title", DeskUpdate.codeList(f.pending.targets.map(\.code))))
        guard inner.height > 1 else { return }
        var stars = ""
        for i in 1...5 { stars += (f.score ?? 0) >= i ? "★" : "☆" }
        g.put([Span(t(s, "desk.rating.score") + ": ", .detailLabel), Span(stars, .emphasis),
               Span(f.score.map { " \($0)/5" } ?? "  " + t(s, "desk.rating.press"), .dim)],
              x: inner.x, y: inner.y, width: inner.width)
        g.put(t(s, "desk.rating.reasons"), x: inner.x, y: inner.y + 1, role: .detailLabel, maxWidth: inner.width)
        for (i, r) in reasons.enumerated() where inner.y + 2 + i < inner.maxY {
            let role: StyleRole = i == f.selected ? .pickerSelected : .pickerItem
            g.fill(x: inner.x, y: inner.y + 2 + i, width: inner.width, height: 1, role: role)
            g.put((f.reasons.contains(r) ? "[x] " : "[ ] ") + r.label(s.lang), x: inner.x, y: inner.y + 2 + i, role: role,
                  maxWidth: inner.width)
        }
    }

    static func help(_ g: inout Grid, _ s: DeskState, scroll: Int, contexts: [KeyContext]) {
        let lines = HelpText.lines(s, contexts: contexts)
        let inner = box(&g, width: min(78, g.width - 2), height: g.height - 2, title: t(s, "desk.help.title"))
        guard inner.height > 0 else { return }
        for i in 0..<inner.height where scroll + i < lines.count {
            g.put(lines[scroll + i], x: inner.x, y: inner.y + i, width: inner.width)
        }
    }
}
