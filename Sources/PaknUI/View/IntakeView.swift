import Foundation
import PaknCore
import PaknStoreAPI

/// The intake form on screen: one field a row (the text of the petition on several), the
/// problem of a field shown under it once it has been left, the cases it may duplicate
/// under the title, and the list of a choice field open under it while it has focus. The
/// form scrolls to keep the field being filled in view.
enum IntakeView {
    typealias Field = IntakeForm.Field

    /// Where the form goes: between the title bar and the status line.
    static func rect(_ s: DeskState) -> Rect { Rect(x: 0, y: 2, width: s.width, height: s.height - 3) }

    static func labelWidth(_ s: DeskState) -> Int {
        let widest = Field.allCases.map { TerminalText.width($0.label(s.lang)) }.max() ?? 10
        return min(widest + 4, max(8, s.width / 3))
    }

    /// Rows the text of the petition takes.
    static func bodyRows(_ s: DeskState) -> Int { s.height >= 40 ? 6 : 3 }

    static func valueWidth(_ s: DeskState) -> Int { max(1, s.width - labelWidth(s) - 1) }
    static func bodyWidth(_ s: DeskState) -> Int { max(1, valueWidth(s) - 1) }

    /// The rows most a choice's list shows.
    static let listRows = 5

    struct Row {
        var field: Field?
        var line: StyledLine
        /// Where the cursor goes in this row (columns from the row's start).
        var cursor: Int?
    }

    static func t(_ s: DeskState, _ key: String, _ args: CustomStringConvertible...) -> String {
        L10n.format(key, s.lang, args.map(\.description))
    }

    // MARK: Rows

    static func rows(_ s: DeskState, _ f: IntakeForm) -> [Row] {
        let lw = labelWidth(s), vw = valueWidth(s)
        var out: [Row] = []
        for field in Field.allCases {
            let focused = f.focus == field
            // A field's problem once it has been left; text too long (a paste) at once.
            let problem = f.problem(field).flatMap { f.touched.contains(field) || $0.key == "desk.intake.err.too_long" ? $0 : nil }
            let off = f.anonymous && field.isReporter
            let marker = focused ? "▸ " : "  "
            let labelRole: StyleRole = problem != nil ? .statusError : focused ? .emphasis : off ? .dim : .detailLabel
            let label = TerminalText.truncate(marker + field.label(s.lang), to: lw - 1)
            let pad = String(repeating: " ", count: max(0, lw - TerminalText.width(label)))
            let head: StyledLine = [Span(label, labelRole), Span(pad)]
            if field == .body {
                let ed = f.texts[.body] ?? TextEditor()
                let width = bodyWidth(s)
                let visual = ed.visualRows(width: width)
                let (cy, cx) = ed.cursorPosition(in: visual)
                let n = bodyRows(s)
                let top = focused ? max(0, cy - n + 1) : 0
                for i in 0..<n {
                    var line: StyledLine = i == 0 ? head : [Span(String(repeating: " ", count: lw))]
                    var cursor: Int?
                    if i == 0 && ed.isEmpty && !focused {
                        line.append(Span("—", .dim))
                    } else if top + i < visual.count {
                        let vr = visual[top + i]
                        line.append(Span(String(ed.lines[vr.line][vr.range]), .editorText))
                    }
                    if focused && top + i == cy { cursor = lw + min(cx, width) }
                    out.append(Row(field: field, line: line, cursor: cursor))
                }
                if visual.count > n, !focused {
                    out[out.count - 1].line.append(Span(" …", .dim))
                }
            } else {
                var (value, cursor) = valueLine(s, f, field, width: vw, focused: focused)
                if off { value = [Span("—", .dim)]; cursor = nil }
                out.append(Row(field: field, line: head + value, cursor: cursor.map { lw + $0 }))
            }
            if let problem {
                let text = TerminalText.truncate("⚠ " + problem.text(s.lang), to: vw)
                out.append(Row(field: field, line: [Span(String(repeating: " ", count: lw)), Span(text, .statusError)], cursor: nil))
            }
            if field == .title { out += duplicateRows(s, f, lw: lw, width: vw) }
        }
        return out
    }

    /// The value part of a one-row field, and where its cursor goes when it has focus.
    static func valueLine(_ s: DeskState, _ f: IntakeForm, _ field: Field, width: Int, focused: Bool) -> (StyledLine, Int?) {
        if let c = f.choice(field) {
            let chosen: StyledLine = c.value.map { v in
                [Span(v.label, .detailValue)] + (v.detail.isEmpty || v.detail == v.id && field != .ward ? [] : [Span("  " + v.detail, .dim)])
            } ?? [Span("—", .dim)]
            guard focused else {
                if c.value == nil && !c.query.isEmpty { return ([Span(c.query.text, .statusError)], nil) }
                return (chosen, nil)
            }
            let (shown, cx) = tail(c.query, width: max(1, width / 2))
            var line: StyledLine = [Span(shown, .editorText)]
            if c.value != nil {
                line.append(Span(c.query.isEmpty ? "" : "  → ", .dim))
                line += chosen
            }
            return (line, cx)
        }
        if field.isCheck {
            let on = field == .anonymous ? f.anonymous : f.protected
            var line: StyledLine = [Span(on ? "[x]" : "[ ]", focused ? .editorText : .detailValue)]
            let forced = field == .confidential && f.protected && !f.confidential
            let hintKey = field == .anonymous ? "desk.intake.anonymous_hint" : forced ? "desk.intake.always_protected" : "desk.intake.confidential_hint"
            if on || focused { line.append(Span("  " + t(s, hintKey), .dim)) }
            return (line, focused ? 1 : nil)
        }
        let ed = f.texts[field] ?? TextEditor("", multiline: false)
        if focused {
            let (shown, cx) = tail(ed, width: width - 1)
            return ([Span(shown, .editorText)], cx)
        }
        if ed.isEmpty { return ([Span("—", .dim)], nil) }
        return ([Span(TerminalText.truncate(ed.text, to: width - 1), .detailValue)], nil)
    }

    /// The part of a one-line editor that keeps the cursor in `width` columns, and the
    /// cursor's column in it.
    static func tail(_ ed: TextEditor, width: Int) -> (String, Int) {
        let chars = ed.currentLine
        var start = 0
        while start < ed.col && TerminalText.width(String(chars[start..<ed.col])) > max(0, width - 1) { start += 1 }
        var shown = String(chars[start...])
        if TerminalText.width(shown) > width { shown = TerminalText.truncate(shown, to: width) }
        return (shown, TerminalText.width(String(chars[start..<ed.col])))
    }

    /// Under the title: the open cases of the ward that look like this petition.
    static func duplicateRows(_ s: DeskState, _ f: IntakeForm, lw: Int, width: Int) -> [Row] {
        guard !f.candidates.isEmpty || f.duplicateOf != nil else { return [] }
        let indent = Span(String(repeating: " ", count: lw))
        var out: [Row] = []
        let keys = s.keyMap.keys(for: .intakeDuplicate, in: .intake)
        if !f.candidates.isEmpty {
            out.append(Row(field: .title, line: [indent, Span(TerminalText.truncate(t(s, "desk.intake.candidates", f.candidates.count), to: width), .detailLabel)]))
        }
        for (i, c) in f.candidates.enumerated() {
            let chosen = f.duplicateOf?.id == c.id
            let key = i < keys.count ? keys[i].description : "   "
            let mark = chosen ? " ◀ " + t(s, "desk.intake.merge_mark") : ""
            let fixed = TerminalText.width(key) + 1 + TerminalText.width(c.code) + 1 + TerminalText.width(mark)
            // The status where there is room for it beside most of the title.
            var status = " · " + c.status.label(s.lang)
            if width - fixed - TerminalText.width(status) < min(40, TerminalText.width(c.title)) { status = "" }
            let room = max(4, width - fixed - TerminalText.width(status))
            let role: StyleRole = chosen ? .pickerSelected : .pickerItem
            out.append(Row(field: .title, line: [indent, Span(key + " ", chosen ? role : .helpKey), Span(c.code + " ", role),
                                                 Span(TerminalText.truncate(c.title, to: room), role), Span(status, chosen ? role : .dim),
                                                 Span(mark, role)]))
        }
        if let d = f.duplicateOf, !f.candidates.contains(where: { $0.id == d.id }) {
            out.append(Row(field: .title, line: [indent, Span(TerminalText.truncate(t(s, "desk.intake.merging", d.code), to: width), .emphasis)]))
        }
        return out
    }

    // MARK: Drawing

    static func render(_ g: inout Grid, _ s: DeskState, _ f: IntakeForm) {
        let r = rect(s)
        guard r.height > 1, r.width > 0 else { return }
        g.fill(x: r.x, y: r.y, width: r.width, height: r.height, role: .normal)
        let problems = f.problems.count
        let right = f.saving ? t(s, "desk.intake.saving")
            : problems == 0 ? t(s, "desk.intake.ready", DeskView.keyName(s, .intakeSave)) : t(s, "desk.intake.to_fix", problems)
        DeskView.paneTitle(&g, r, t(s, "desk.intake.title"), right: right, focused: true)
        let all = rows(s, f)
        let areaY = r.y + 1, areaH = r.height - 1
        // The field with focus in view, with its problem, its list, and under the title the
        // possible duplicates.
        let first = all.firstIndex { $0.field == f.focus } ?? 0
        var last = all.lastIndex { $0.field == f.focus } ?? first
        let list = dropdown(s, f)
        if !list.isEmpty { last = max(last, first + list.count) }
        var top = max(0, last - areaH + 1)
        top = min(top, first)
        for i in 0..<areaH where top + i < all.count {
            let row = all[top + i]
            g.put(row.line, x: r.x, y: areaY + i, width: r.width)
            if let cx = row.cursor, s.mode == .normal, r.x + cx < g.width {
                g.cursor = GridPoint(x: r.x + cx, y: areaY + i)
                g.restyle(x: r.x + cx, y: areaY + i, width: 1, role: .editorCursor)
            }
        }
        // A choice's list opens under it, over the rows that follow (their labels blanked,
        // so no item reads as another field's value).
        if !list.isEmpty {
            let x = r.x + labelWidth(s)
            let w = min(valueWidth(s), 56)
            for (i, line) in list.enumerated() {
                let y = areaY + (first - top) + 1 + i
                guard y < areaY + areaH else { break }
                g.fill(x: r.x, y: y, width: x - r.x, height: 1, role: .normal)
                g.fill(x: x, y: y, width: w, height: 1, role: .overlay)
                g.put(line, x: x, y: y, width: w)
            }
        }
    }

    /// The items of the focused choice field, as the list under it shows them.
    static func dropdown(_ s: DeskState, _ f: IntakeForm) -> [StyledLine] {
        guard let c = f.choice(f.focus), c.listOpen, s.mode == .normal else { return [] }
        if c.items.isEmpty {
            return c.query.isEmpty ? [] : [[Span(" " + t(s, "desk.picker.none"), .dim)]]
        }
        let n = min(listRows, c.items.count)
        let top = DeskView.listTop(selected: c.selected, height: n)
        var out: [StyledLine] = []
        for i in top..<min(c.items.count, top + n) {
            let item = c.items[i]
            let role: StyleRole = i == c.selected ? .pickerSelected : .pickerItem
            var line: StyledLine = [Span(i == c.selected ? "› " : "│ ", i == c.selected ? role : .paneBorder), Span(item.label, role)]
            if !item.detail.isEmpty { line.append(Span("  " + item.detail, i == c.selected ? role : .dim)) }
            out.append(line)
        }
        if c.items.count > n, let lastLine = out.indices.last {
            out[lastLine].append(Span("  (+\(c.items.count - n))", .dim))
        }
        return out
    }

    /// The keys of the form, on the status line.
    static func hint(_ s: DeskState) -> String {
        let dup = s.keyMap.keys(for: .intakeDuplicate, in: .intake)
        let dupKeys = dup.isEmpty ? ":" : dup.count == 1 ? dup[0].description : dup[0].description + "…" + dup[dup.count - 1].description
        return t(s, "desk.intake.hint", DeskView.keyName(s, .intakeNext), DeskView.keyName(s, .intakePrev),
                 DeskView.keyName(s, .intakeSave), dupKeys, DeskView.keyName(s, .intakeClose),
                 s.keyMap.keys(for: .help, in: .intake).first?.description ?? "F1")
    }
}
