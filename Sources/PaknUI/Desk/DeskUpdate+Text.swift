import Foundation
import PaknCore
import PaknStoreAPI

/// The reply editor, one-line prompts (search, `:` commands, reasons) and commands.
extension DeskUpdate {
    // MARK: Reply editor

    /// Opens (or returns to) the draft of the selected case.
    static func openEditor(_ s: inout DeskState, _ kind: DraftKey.Kind) -> [DeskEffect] {
        guard let row = s.selectedRow else { return noCase(&s) }
        let action = kind.action
        if let refusal = lacksPermission(s, action) {
            s.notice = refusal
            return []
        }
        // A reply to a case that is done (closed, resolved, rejected, merged) is refused
        // before it is written. An open case may get a draft even when it cannot be sent yet
        // (awaiting information): it can be, once the case resumes.
        let status = s.selectedDetail?.case.status ?? row.status
        if !Workflow.isAllowed(action, from: status) && !((action == .reply || action == .wait) && status.isOpen) {
            s.notice = Notice(WorkflowError.illegalTransition(action: action, from: status,
                                                              allowed: Workflow.allowedActions(from: status)))
            return []
        }
        let key = DraftKey(caseId: row.id, kind: kind)
        if s.drafts[key] == nil { s.drafts[key] = TextEditor() }
        s.draftCodes[key] = row.code
        // The case as it is on screen now is what the draft answers.
        if let d = s.detail, d.case.id == row.id { s.draftBase[key] = d.case.version } else { s.draftBase[key] = nil }
        s.composing = key
        s.focus = .reply
        return []
    }

    /// Columns the editor wraps at: the reply pane minus a margin.
    static func editorWidth(_ s: DeskState) -> Int { max(1, s.layout.reply.width - 2) }

    static func editorKey(_ s: inout DeskState, _ k: Key) -> [DeskEffect] {
        if let hit = s.keyMap.action(for: k, in: [.editor]) { return editorAction(&s, hit.id, index: hit.index) }
        if let t = k.typedText, let key = s.composing {
            s.drafts[key, default: TextEditor()].insert(t)
        }
        return []
    }

    static func editorAction(_ s: inout DeskState, _ id: ActionID, index: Int) -> [DeskEffect] {
        guard let key = s.composing else { return [] }
        var ed = s.drafts[key] ?? TextEditor()
        switch id {
        case .help:
            s.mode = .help(scroll: 0, contexts: [.editor])
            return []
        case .nextPane, .prevPane:
            return cyclePane(&s, forward: id == .nextPane)
        case .leaveEditor:
            leaveEditor(&s)
            s.focus = .queue
            if !ed.isEmpty { s.notice = .info("desk.draft.kept") }
            return []
        case .send:
            return askToSend(&s, key, ed)
        case .externalEdit:
            s.drafts[key] = ed
            return editExternally(&s, key)
        case .templates:
            return openTemplatePicker(&s, key)
        case .insertTemplate:
            return insertTemplate(&s, key, index: index)
        case .discardDraft:
            if ed.isEmpty {
                leaveEditor(&s)
                s.focus = .queue
            } else {
                s.mode = .confirm(.discard(key))
            }
            return []
        case .newline: ed.newline()
        case .down: ed.moveVertically(by: 1, width: editorWidth(s))
        case .up: ed.moveVertically(by: -1, width: editorWidth(s))
        default:
            guard editLine(&ed, id) else { return [] }
        }
        s.drafts[key] = ed
        return []
    }

    /// Applies a text-editing action shared by the editor and one-line prompts.
    static func editLine(_ ed: inout TextEditor, _ id: ActionID) -> Bool {
        switch id {
        case .left: ed.left()
        case .right: ed.right()
        case .lineStart: ed.lineStart()
        case .lineEnd: ed.lineEnd()
        case .backspace: ed.backspace()
        case .delete: ed.deleteForward()
        case .killLine: ed.killToEnd()
        case .deleteWord: ed.deleteWordBackward()
        default: return false
        }
        return true
    }

    /// The picker of the templates a draft may use (its purpose, the citizen's language).
    static func openTemplatePicker(_ s: inout DeskState, _ key: DraftKey) -> [DeskEffect] {
        let items = s.templates(for: key.kind).enumerated().map { i, t in
            PickerItem(id: String(i), label: t.title, detail: t.lang.rawValue + " · " + t.id)
        }
        guard !items.isEmpty else { s.notice = .error("desk.templates.none"); return [] }
        return openLocalPicker(&s, .template(key), items: items, query: "")
    }

    /// Inserts template `index` (0-based) of those the draft may use, filled with the
    /// case's code, title, unit, ward and date of receipt in the citizen's language.
    static func insertTemplate(_ s: inout DeskState, _ key: DraftKey, index: Int) -> [DeskEffect] {
        guard let d = s.detail, d.case.id == key.caseId else {
            s.notice = .error("desk.templates.none")
            return []
        }
        let usable = s.templates(for: key.kind)
        guard usable.indices.contains(index) else {
            s.notice = .error("desk.templates.no_such", index + 1)
            return []
        }
        let t = usable[index]
        let office = d.unit?.level == .department ? nil : d.unit
        let fill = TemplateFill.of(d.case, ward: d.ward, unit: d.unit, office: office ?? s.myUnit, lang: s.citizenLang)
        let text = t.filled(fill)
        var ed = s.drafts[key] ?? TextEditor()
        ed.insert(text)
        s.drafts[key] = ed
        if key.kind == .notice { s.draftPurpose[key] = t.purpose }
        if !(s.draftTemplates[key] ?? []).contains(t.title) { s.draftTemplates[key, default: []].append(t.title) }
        s.composing = key
        s.focus = .reply
        return []
    }

    static func sendDraft(_ s: inout DeskState, _ key: DraftKey, _ ed: TextEditor) -> [DeskEffect] {
        s.drafts[key] = ed
        let text = ed.text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty else {
            s.notice = Notice(WorkflowError.missingText(field: key.kind == .request ? "request" : key.kind.rawValue))
            return []
        }
        let code = s.detail.flatMap { $0.case.id == key.caseId ? $0.case.code : nil }
            ?? s.queue.rows.first { $0.id == key.caseId }?.code ?? String(key.caseId)
        let version = s.draftBase[key] ?? s.detail.flatMap { $0.case.id == key.caseId ? $0.case.version : nil }
        let action: Action
        switch key.kind {
        case .reply: action = .reply(text: text)
        case .note: action = .note(text: text)
        case .notice: action = .notify(text: text, purpose: s.draftPurpose[key] ?? .acknowledgement)
        case .request: action = .wait(request: text)
        }
        return [.perform([PerformRequest(caseId: key.caseId, code: code, action: action, expectedVersion: version)], draft: key)]
    }

    // MARK: One-line prompts

    static func lineKey(_ s: inout DeskState, _ k: Key) -> [DeskEffect] {
        var ed: TextEditor
        switch s.mode {
        case let .search(e, _): ed = e
        case let .command(e): ed = e
        case let .prompt(p): ed = p.editor
        default: return []
        }
        var changed = false
        if let hit = s.keyMap.action(for: k, in: [.prompt]) {
            switch hit.id {
            case .accept: return acceptLine(&s, ed.text)
            case .cancel: return cancelLine(&s)
            case .complete:
                if case .command = s.mode { ed = TextEditor(complete(&s, ed.text), multiline: false) }
            case .templates:
                // In the request-for-information prompt: write the request from a template,
                // in the editor (a letter has paragraphs); sending it pauses the case.
                if case let .prompt(p) = s.mode, case let .reason(pending) = p.purpose, pending.action == .wait,
                   pending.targets.count == 1, let t = pending.targets.first {
                    let key = DraftKey(caseId: t.id, kind: .request)
                    if s.drafts[key] == nil { s.drafts[key] = TextEditor(ed.text) }
                    s.draftBase[key] = t.version
                    s.composing = key
                    s.focus = .reply
                    s.mode = .normal
                    return openTemplatePicker(&s, key)
                }
            default: changed = editLine(&ed, hit.id)
            }
        } else if let t = k.typedText {
            ed.insert(t)
            changed = true
        }
        switch s.mode {
        case let .search(_, previous):
            s.mode = .search(ed, previous: previous)
            if changed && ed.text != s.spec.text && searchWorthRunning(ed.text) {
                s.spec.text = ed.text
                return newQueue(&s)
            }
        case .command: s.mode = .command(ed)
        case var .prompt(p):
            p.editor = ed
            s.mode = .prompt(p)
        default: break
        }
        return []
    }

    /// Whether typed search text is worth a query while typing: a single letter as the last
    /// word would prefix-match a large part of a big database, so the list waits for the
    /// second letter (Enter searches at once).
    static func searchWorthRunning(_ text: String) -> Bool {
        guard let last = VietnameseFold.words(text).last else { return true }
        return last.count >= 2 || text.hasSuffix(" ") || last.allSatisfy(\.isNumber)
    }

    static func cancelLine(_ s: inout DeskState) -> [DeskEffect] {
        let mode = s.mode
        s.mode = .normal
        switch mode {
        case let .search(_, previous):
            if s.spec.text != previous {
                s.spec.text = previous
                return newQueue(&s)
            }
        case .prompt:
            s.notice = .info("desk.cancelled")
        default: break
        }
        return []
    }

    static func acceptLine(_ s: inout DeskState, _ text: String) -> [DeskEffect] {
        let mode = s.mode
        s.mode = .normal
        switch mode {
        case let .search(ed, _):
            if ed.text != s.spec.text {
                s.spec.text = ed.text
                return newQueue(&s)
            }
            return []
        case .command:
            return executeCommand(&s, text)
        case let .prompt(p):
            let t = text.trimmingCharacters(in: .whitespaces)
            switch p.purpose {
            case var .reason(pending):
                if t.isEmpty && !p.optional {
                    s.notice = .error("desk.prompt.required")
                    s.mode = .prompt(p)
                    return []
                }
                pending.reason = t
                return advance(&s, pending)
            case var .decision(pending):
                guard !t.isEmpty else { s.mode = .prompt(p); s.notice = .error("desk.prompt.required"); return [] }
                pending.suspension?.decision = t
                return advance(&s, pending)
            case let .mergeCode(pending):
                guard !t.isEmpty else { s.mode = .prompt(p); s.notice = .error("desk.prompt.required"); return [] }
                return [.resolveCase(code: t, purpose: .merge(pending))]
            case .goto:
                guard !t.isEmpty else { return [] }
                return [.resolveCase(code: t, purpose: .goto)]
            case let .revealReason(caseId, code):
                guard !t.isEmpty else { s.mode = .prompt(p); s.notice = .error("desk.prompt.required"); return [] }
                return [.reveal(caseId: caseId, code: code, reason: t)]
            }
        default:
            return []
        }
    }

    // MARK: Commands

    /// Words a `:` command may start with, besides action names.
    static let commandWords = ["view", "order", "sort", "lang", "goto", "filter", "q"]

    public static var commandNames: [String] {
        (commandWords + ActionRegistry.all.filter(\.command).map(\.id.rawValue)).sorted()
    }

    /// Completes the first word of a command line; lists the candidates when ambiguous.
    static func complete(_ s: inout DeskState, _ text: String) -> String {
        guard !text.contains(" ") else { return text }
        let matches = commandNames.filter { $0.hasPrefix(text.lowercased()) }
        guard let first = matches.first else { return text }
        if matches.count == 1 { return first + " " }
        var common = first
        for m in matches.dropFirst() {
            while !m.hasPrefix(common) { common.removeLast() }
        }
        // The candidates are listed above the prompt (`DeskView.completions`).
        return common
    }

    static func parseView(_ text: String) -> QueueView? {
        let t = text.lowercased().replacingOccurrences(of: "-", with: "_").replacingOccurrences(of: " ", with: "_")
        if let v = QueueView(rawValue: t) { return v }
        if let id = ActionID(rawValue: "view_" + t), let v = ActionRegistry.view(for: id) { return v }
        // By its name in either language: "qua han", "overdue".
        let folded = VietnameseFold.fold(text)
        for v in QueueView.allCases {
            for lang in Lang.allCases where VietnameseFold.fold(L10n.t("desk.view.\(v.rawValue)", lang)) == folded {
                return v
            }
        }
        return nil
    }

    /// Runs a `:` command: any action name (`:assign`, `:reject Lý do`), or `:view overdue`,
    /// `:order newest`, `:lang en`, `:goto HN-2026-000123`, `:filter kind complaint`,
    /// `:filter category land`, `:filter clear`, `:search text`, `:q`.
    static func executeCommand(_ s: inout DeskState, _ line: String) -> [DeskEffect] {
        let trimmed = line.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty else { return [] }
        let parts = trimmed.split(separator: " ", maxSplits: 1).map(String.init)
        let name = parts[0].lowercased().replacingOccurrences(of: "-", with: "_")
        let arg = parts.count > 1 ? parts[1].trimmingCharacters(in: .whitespaces) : nil
        switch name {
        case "q", "quit", "exit":
            return runAction(&s, .quit, index: 0)
        case "view":
            guard let a = arg, let v = parseView(a) else {
                s.notice = .error("desk.cmd.bad_arg", name, QueueView.allCases.map(\.rawValue).joined(separator: ", "))
                return []
            }
            return switchView(&s, v)
        case "order":
            guard let a = arg, let o = QueueOrder(rawValue: a.lowercased()) else {
                s.notice = .error("desk.cmd.bad_arg", name, QueueOrder.allCases.map(\.rawValue).joined(separator: ", "))
                return []
            }
            var spec = s.spec
            spec.order = o
            guard spec.sort.column.isCheap(in: s) else {
                s.notice = .error("desk.sort.only_deadline")
                return []
            }
            s.spec.order = o
            s.spec.reversed = false
            return reorderQueue(&s)
        case "sort":
            // `:sort received`, `:sort -deadline` (descending).
            guard let a = arg, let (column, descending) = SortColumn.parse(a) else {
                s.notice = .error("desk.cmd.bad_arg", name, SortColumn.allCases.map(\.rawValue).joined(separator: ", "))
                return []
            }
            guard column.isCheap(in: s) else {
                s.notice = .error("desk.sort.only_deadline")
                return []
            }
            s.spec.sort(by: column, descending: descending)
            s.notice = sortNotice(s.spec)
            return reorderQueue(&s)
        case "lang":
            guard let a = arg, let l = Lang(rawValue: a.lowercased()) else {
                s.notice = .error("desk.cmd.bad_arg", name, "vi, en")
                return []
            }
            s.lang = l
            if let id = s.selectedRow?.id { return [.loadDetail(caseId: id)] }
            return []
        case "goto", "open":
            guard let a = arg, !a.isEmpty else {
                s.mode = .prompt(PromptState(purpose: .goto, labelKey: "desk.prompt.goto", labelArgs: [],
                                             editor: TextEditor("", multiline: false), optional: false))
                return []
            }
            return [.resolveCase(code: a, purpose: .goto)]
        case "search", "find":
            s.spec.text = arg ?? ""
            return newQueue(&s)
        case "filter":
            let words = (arg ?? "").split(separator: " ", maxSplits: 1).map(String.init)
            switch words.first?.lowercased() {
            case "clear", nil:
                return runAction(&s, .filterClear, index: 0)
            case "kind":
                if words.count > 1 {
                    guard let k = CaseKind(rawValue: words[1].lowercased().replacingOccurrences(of: "-", with: "_")) else {
                        s.notice = .error("desk.cmd.bad_arg", "filter kind", CaseKind.allCases.map(\.rawValue).joined(separator: ", "))
                        return []
                    }
                    s.spec.kind = k
                    return newQueue(&s)
                }
                return runAction(&s, .filterKind, index: 0)
            case "category":
                if words.count > 1 {
                    let code = words[1]
                    if s.categories.contains(where: { $0.code == code }) {
                        s.spec.category = code
                        return newQueue(&s)
                    }
                    return runAction(&s, .filterCategory, index: 0, arg: code)
                }
                return runAction(&s, .filterCategory, index: 0)
            case "ward":
                return runAction(&s, .filterWard, index: 0, arg: words.count > 1 ? words[1] : nil)
            default:
                s.notice = .error("desk.cmd.bad_arg", "filter", "kind, category, ward, clear")
                return []
            }
        default:
            guard let id = ActionID(rawValue: name), ActionRegistry.action(id).command else {
                s.notice = .error("desk.cmd.unknown", parts[0])
                return []
            }
            return runAction(&s, id, index: 0, arg: arg)
        }
    }
}
