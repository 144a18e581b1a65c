import Foundation
import PaknCore
import PaknStoreAPI

/// Putting an action together: pick a target, ask what is missing (a unit, an official, a
/// reason, a case code, a rating), confirm the dangerous ones, then perform.
extension DeskUpdate {
    /// Actions that ask "are you sure?".
    static let dangerous: Set<ActionName> = [.reject, .merge, .close]

    /// The registry action that starts a workflow action (for showing its key).
    static func actionID(for name: ActionName) -> ActionID? {
        switch name {
        case .route, .transfer: .route
        case .assign: .assign
        case .start: .start
        case .wait: .requestInfo
        case .resume: .resume
        case .reply: .reply
        case .close: .close
        case .reject: .reject
        case .reopen: .reopen
        case .escalate: .escalate
        case .extend: .extend
        case .merge: .merge
        case .rate: .rate
        case .note: .note
        case .notice: .notify
        default: nil
        }
    }

    /// The targets of an action: the marked cases (bulk assign/route) or the selected one.
    static func targets(_ s: DeskState, bulk: Bool) -> [Target] {
        if bulk && !s.marks.isEmpty {
            return s.marks.values.sorted { $0.code < $1.code }.map { t in
                var t = t
                if let d = s.detail, d.case.id == t.id { t.version = d.case.version; t.status = d.case.status }
                return t
            }
        }
        guard let row = s.selectedRow else { return [] }
        return [target(for: row, in: s)]
    }

    /// The workflow action a target gets: `route` becomes `transfer` once a case has a unit.
    static func effectiveName(_ name: ActionName, for t: Target) -> ActionName {
        name == .route && t.status != .received ? .transfer : name
    }

    static func begin(_ s: inout DeskState, _ name: ActionName, bulk: Bool, preset: String? = nil) -> [DeskEffect] {
        let ts = targets(s, bulk: bulk)
        guard !ts.isEmpty else { return noCase(&s) }
        if let refusal = lacksPermission(s, effectiveName(name, for: ts[0])) {
            s.notice = refusal
            return []
        }
        if ts.count == 1, let t = ts.first {
            let eff = effectiveName(name, for: t)
            if !Workflow.isAllowed(eff, from: t.status) {
                s.notice = Notice(WorkflowError.illegalTransition(action: eff, from: t.status,
                                                                  allowed: Workflow.allowedActions(from: t.status)))
                return []
            }
        }
        var p = Pending(action: name, targets: ts)
        if name == .complex, let d = s.selectedDetail, ts.count == 1, d.case.id == ts[0].id { p.complexity = d.case.complexity }
        if let preset, !preset.isEmpty {
            switch name {
            case .merge:
                s.mode = .normal
                return [.resolveCase(code: preset, purpose: .merge(p))]
            case .assign:
                return openPicker(&s, .assign(p), query: preset)
            case .route:
                return openPicker(&s, .unit(p), query: preset)
            case .rate:
                if let n = Int(preset), (1...5).contains(n) { p.rating = Rating(score: n) }
            default:
                p.reason = preset
            }
        }
        return advance(&s, p)
    }

    /// The store's refusal, said before anything is asked for, when the official does not
    /// hold the permission an action needs (`grants`, as the session gave them; the store
    /// still checks it, and the scope, when the action is performed). Without this a
    /// clerk could write a whole reply only to be refused at the end.
    static func lacksPermission(_ s: DeskState, _ name: ActionName) -> Notice? {
        let needed = Permission.required(for: name)
        guard !s.grants.contains(needed) else { return nil }
        let unit = s.selectedDetail?.unit?.label ?? s.selectedRow?.unitName ?? "-"
        return Notice(StoreError.permissionDenied(login: s.me.login, permission: needed, unit: unit))
    }

    static func needsReason(_ p: Pending) -> Bool {
        switch p.action {
        case .reject, .reopen, .transfer, .escalate, .extend, .wait, .resume, .accept, .complex: return true
        case .route: return p.targets.contains { $0.status != .received }
        default: return false
        }
    }

    /// Asks for the next missing piece, or performs.
    static func advance(_ s: inout DeskState, _ p: Pending) -> [DeskEffect] {
        switch p.action {
        case .assign where p.official == nil:
            return openPicker(&s, .assign(p), query: "")
        case .route where p.unit == nil, .transfer where p.unit == nil:
            return openPicker(&s, .unit(p), query: "")
        case .merge where p.master == nil:
            s.mode = .prompt(PromptState(purpose: .mergeCode(p), labelKey: "desk.prompt.merge",
                                         labelArgs: [p.targets.first?.code ?? ""], editor: TextEditor("", multiline: false),
                                         optional: false))
            return []
        case .rate where p.rating == nil:
            s.mode = .rating(RatingForm(pending: p))
            return []
        case .wait:
            if let asked = askSuspension(&s, p) { return asked }
        default:
            break
        }
        if needsReason(p) && p.reason == nil {
            let key = "desk.prompt.\(p.action == .route ? "transfer" : p.action.rawValue)"
            s.mode = .prompt(PromptState(purpose: .reason(p), labelKey: key,
                                         labelArgs: [codeList(p.targets.map(\.code))],
                                         editor: TextEditor("", multiline: false),
                                         optional: p.action == .resume || p.action == .accept || p.suspension != nil))
            return []
        }
        if dangerous.contains(p.action) && !p.confirmed {
            s.mode = .confirm(.action(p))
            return []
        }
        s.mode = .normal
        let reqs = p.targets.compactMap { t -> PerformRequest? in
            guard let a = buildAction(p, t) else { return nil }
            return PerformRequest(caseId: t.id, code: t.code, action: a, expectedVersion: t.version)
        }
        guard !reqs.isEmpty else { return [] }
        return [.perform(reqs, draft: nil)]
    }

    /// A pause asks what the case's rule needs (the store checks it again): under a rule
    /// with no pause it is refused at once; under one that pauses only by a suspension
    /// decision, the ground is chosen from the rule's, then the decision's number is asked.
    /// Nil: nothing more to ask here (a rule that pauses for information, or several cases).
    static func askSuspension(_ s: inout DeskState, _ p: Pending) -> [DeskEffect]? {
        guard p.targets.count == 1, let d = s.selectedDetail, d.case.id == p.targets[0].id, let rule = d.rule else { return nil }
        switch rule.pause {
        case .awaitingInfo:
            return nil
        case .none:
            s.mode = .normal
            s.notice = Notice(WorkflowError.pauseNotAllowed(ruleId: rule.id, basis: rule.basis))
            return []
        case .suspension:
            guard let sus = p.suspension else {
                let items = rule.suspensionGrounds.map {
                    Menu.Item(label: s.lang == .vi ? $0.vi : $0.en, value: $0.code, key: nil)
                }
                s.mode = .menu(Menu(purpose: .ground(p), titleKey: "desk.menu.ground", items: items))
                return []
            }
            guard !sus.decision.isEmpty else {
                s.mode = .prompt(PromptState(purpose: .decision(p), labelKey: "desk.prompt.decision",
                                             labelArgs: [p.targets[0].code], editor: TextEditor("", multiline: false),
                                             optional: false))
                return []
            }
            return nil
        }
    }

    static func buildAction(_ p: Pending, _ t: Target) -> Action? {
        let reason = p.reason ?? ""
        switch p.action {
        case .route, .transfer:
            guard let u = p.unit else { return nil }
            return effectiveName(p.action, for: t) == .route ? .route(unitId: u.id) : .transfer(unitId: u.id, reason: reason)
        case .assign:
            guard let o = p.official else { return nil }
            return .assign(officialId: o.id)
        case .start: return .start
        case .wait: return .wait(request: reason, suspension: p.suspension)
        case .resume: return .resume(note: reason.trimmingCharacters(in: .whitespaces).isEmpty ? nil : reason)
        case .close: return .close
        case .reject: return .reject(reason: reason)
        case .reopen: return .reopen(reason: reason)
        // The store replaces the parent with the unit above the case's office.
        case .escalate: return .escalate(parentUnitId: 0, reason: reason)
        case .extend: return .extend(reason: reason)
        case .accept: return .accept(note: reason.trimmingCharacters(in: .whitespaces).isEmpty ? nil : reason)
        // One step up the scale (complex, then especially complex); the store refuses past it.
        case .complex: return .markComplex(level: min(2, (p.complexity ?? 0) + 1), reason: reason)
        case .merge:
            guard let m = p.master else { return nil }
            return .merge(masterId: m.id)
        case .rate:
            guard let r = p.rating else { return nil }
            return .rate(r)
        default:
            return nil
        }
    }

    // MARK: Pickers

    /// The office a unit belongs to: a department's parent, else the unit itself.
    static func office(of unit: OrgUnit?) -> Int64? {
        guard let u = unit else { return nil }
        return u.level == .department ? (u.parentId ?? u.id) : u.id
    }

    static func openPicker(_ s: inout DeskState, _ purpose: Picker.Purpose, query: String) -> [DeskEffect] {
        s.pickerGeneration += 1
        let p = Picker(purpose: purpose, query: TextEditor(query, multiline: false), items: [], generation: s.pickerGeneration,
                       local: nil)
        s.mode = .picker(p)
        return pickerSearch(s, p)
    }

    static func openLocalPicker(_ s: inout DeskState, _ purpose: Picker.Purpose, items: [PickerItem], query: String) -> [DeskEffect] {
        s.pickerGeneration += 1
        var p = Picker(purpose: purpose, query: TextEditor(query, multiline: false), items: [], generation: s.pickerGeneration,
                       local: items)
        p.items = filterLocal(items, query)
        s.mode = .picker(p)
        return []
    }

    /// Vietnamese-aware filtering: every typed word must start a word of the label or detail
    /// ("ha noi" finds "Hà Nội", "duong" finds "Đường").
    public static func filterLocal(_ items: [PickerItem], _ query: String) -> [PickerItem] {
        let words = VietnameseFold.words(query)
        guard !words.isEmpty else { return items }
        return items.filter { item in
            let hay = VietnameseFold.words(item.label + " " + item.detail)
            return words.allSatisfy { w in hay.contains { $0.hasPrefix(w) } }
        }
    }

    /// The store search for a picker's current query.
    static func pickerSearch(_ s: DeskState, _ p: Picker) -> [DeskEffect] {
        let text = p.query.text
        switch p.purpose {
        case let .assign(pending):
            // Officials of the case's office (a department's parent), else of my unit.
            var within = s.me.unitId
            if pending.targets.count == 1, let d = s.detail, d.case.id == pending.targets[0].id,
               let o = office(of: d.unit) {
                within = o
            }
            return [.searchOfficials(text: text, withinUnit: within, generation: p.generation)]
        case .unit:
            return [.searchUnits(text: text, within: office(of: s.myUnit) ?? s.me.unitId,
                                 levels: [.province, .commune, .department], generation: p.generation)]
        case .ward:
            return [.searchUnits(text: text, within: office(of: s.myUnit) ?? s.me.unitId, levels: [.commune],
                                 generation: p.generation)]
        case .category, .template:
            return []
        }
    }

    static func pickerKey(_ s: inout DeskState, _ k: Key) -> [DeskEffect] {
        guard case var .picker(p) = s.mode else { return [] }
        if let hit = s.keyMap.action(for: k, in: [.picker]) {
            switch hit.id {
            case .down: p.selected = min(max(0, p.items.count - 1), p.selected + 1)
            case .up: p.selected = max(0, p.selected - 1)
            case .pageDown: p.selected = min(max(0, p.items.count - 1), p.selected + 10)
            case .pageUp: p.selected = max(0, p.selected - 10)
            case .cancel:
                s.mode = .normal
                s.notice = .info("desk.cancelled")
                return []
            case .accept:
                guard p.items.indices.contains(p.selected) else {
                    s.notice = .error("desk.picker.none")
                    s.mode = .picker(p)
                    return []
                }
                s.mode = .normal
                return pickerChosen(&s, p, p.items[p.selected])
            default:
                if editLine(&p.query, hit.id) { return pickerQueryChanged(&s, p) }
            }
            s.mode = .picker(p)
            return []
        }
        if let t = k.typedText {
            p.query.insert(t)
            return pickerQueryChanged(&s, p)
        }
        return []
    }

    static func pickerQueryChanged(_ s: inout DeskState, _ picker: Picker) -> [DeskEffect] {
        var p = picker
        p.selected = 0
        if let local = p.local {
            p.items = filterLocal(local, p.query.text)
            s.mode = .picker(p)
            return []
        }
        s.pickerGeneration += 1
        p.generation = s.pickerGeneration
        s.mode = .picker(p)
        return pickerSearch(s, p)
    }

    static func pickerChosen(_ s: inout DeskState, _ p: Picker, _ item: PickerItem) -> [DeskEffect] {
        switch p.purpose {
        case var .assign(pending):
            guard let id = Int64(item.id) else { return [] }
            pending.official = OfficialRef(id: id, name: item.label)
            return advance(&s, pending)
        case var .unit(pending):
            guard let id = Int64(item.id) else { return [] }
            pending.unit = UnitRef(id: id, name: item.label)
            return advance(&s, pending)
        case .category:
            s.spec.category = item.id
            return newQueue(&s)
        case .ward:
            guard let id = Int64(item.id) else { return [] }
            s.spec.ward = UnitRef(id: id, name: item.label)
            return newQueue(&s)
        case let .template(key):
            guard let i = Int(item.id) else { return [] }
            return insertTemplate(&s, key, index: i)
        }
    }

    // MARK: Menus

    static func openStatusMenu(_ s: inout DeskState) -> [DeskEffect] {
        guard let row = s.selectedRow else { return noCase(&s) }
        let t = target(for: row, in: s)
        // The detail's actions are the session's answer (state and permission); before it
        // arrives, what the state offers that the official's grants cover.
        let allowed = s.selectedDetail?.allowedActions
            ?? Workflow.offered(from: t.status).filter { s.grants.contains(Permission.required(for: $0)) }
        let items = allowed.map { a in
            Menu.Item(label: a.label(s.lang), value: a.rawValue,
                      key: actionID(for: a).flatMap { s.keyMap.keys(for: $0).first?.description })
        }
        guard !items.isEmpty else {
            s.notice = .error("desk.status.none", t.status.label(s.lang))
            return []
        }
        s.mode = .menu(Menu(purpose: .status(t), titleKey: "desk.menu.status", items: items))
        return []
    }

    static func openKindMenu(_ s: inout DeskState) {
        var items = [Menu.Item(label: L10n.t("desk.filter.any_kind", s.lang), value: "", key: nil)]
        items += CaseKind.allCases.map { Menu.Item(label: $0.label(s.lang), value: $0.rawValue, key: nil) }
        var m = Menu(purpose: .kind, titleKey: "desk.menu.kind", items: items)
        m.selected = s.spec.kind.flatMap { k in items.firstIndex { $0.value == k.rawValue } } ?? 0
        s.mode = .menu(m)
    }

    static func menuKey(_ s: inout DeskState, _ k: Key) -> [DeskEffect] {
        guard case var .menu(m) = s.mode, let hit = s.keyMap.action(for: k, in: [.menu]) else { return [] }
        switch hit.id {
        case .down: m.selected = min(m.items.count - 1, m.selected + 1)
        case .up: m.selected = max(0, m.selected - 1)
        case .pageDown, .bottom: m.selected = m.items.count - 1
        case .pageUp, .top: m.selected = 0
        case .cancel:
            s.mode = .normal
            return []
        case .choose:
            guard m.items.indices.contains(hit.index) else { return [] }
            m.selected = hit.index
            s.mode = .normal
            return menuChosen(&s, m, m.items[m.selected])
        case .accept:
            s.mode = .normal
            return menuChosen(&s, m, m.items[m.selected])
        default:
            break
        }
        s.mode = .menu(m)
        return []
    }

    static func menuChosen(_ s: inout DeskState, _ m: Menu, _ item: Menu.Item) -> [DeskEffect] {
        switch m.purpose {
        case .kind:
            s.spec.kind = CaseKind(rawValue: item.value)
            return newQueue(&s)
        case .status:
            guard let name = ActionName(rawValue: item.value) else { return [] }
            switch name {
            case .reply: return openEditor(&s, .reply)
            case .note: return openEditor(&s, .note)
            case .notice: return openEditor(&s, .notice)
            case .transfer: return begin(&s, .route, bulk: false)
            default: return begin(&s, name, bulk: false)
            }
        case var .ground(p):
            p.suspension = Suspension(decision: "", ground: item.value)
            return advance(&s, p)
        }
    }

    // MARK: Confirm, rating, help

    static func confirmKey(_ s: inout DeskState, _ k: Key) -> [DeskEffect] {
        guard case let .confirm(subject) = s.mode, let hit = s.keyMap.action(for: k, in: [.confirm]) else { return [] }
        s.mode = .normal
        guard hit.id == .yes else {
            // Not sent: back to the draft, as it was.
            s.notice = .info(subject.isSend ? "desk.send.kept" : subject == .discardIntake ? "desk.intake.kept" : "desk.cancelled")
            return []
        }
        switch subject {
        case var .action(p):
            p.confirmed = true
            return advance(&s, p)
        case let .discard(key):
            forgetDraft(&s, key)
            if s.composing == key { s.composing = nil; s.focus = .queue }
            s.notice = .info("desk.draft.discarded")
            return []
        case .quit:
            s.quit = true
            return [.quit]
        case let .switchView(v):
            return switchView(&s, v, confirmed: true)
        case let .send(key):
            guard let ed = s.drafts[key] else { return [] }
            return sendDraft(&s, key, ed)
        case .discardIntake:
            s.intake = nil
            s.notice = .info("desk.intake.discarded")
            return []
        }
    }

    static func ratingKey(_ s: inout DeskState, _ k: Key) -> [DeskEffect] {
        guard case var .rating(f) = s.mode, let hit = s.keyMap.action(for: k, in: [.rating]) else { return [] }
        let reasons = RatingReason.allCases
        switch hit.id {
        case .score: f.score = hit.index + 1
        case .down: f.selected = min(reasons.count - 1, f.selected + 1)
        case .up: f.selected = max(0, f.selected - 1)
        case .toggle:
            let r = reasons[f.selected]
            if f.reasons.contains(r) { f.reasons.remove(r) } else { f.reasons.insert(r) }
        case .cancel:
            s.mode = .normal
            s.notice = .info("desk.cancelled")
            return []
        case .accept:
            guard let score = f.score else {
                s.notice = .error("desk.rating.need_score")
                s.mode = .rating(f)
                return []
            }
            var p = f.pending
            p.rating = Rating(score: score, reasons: reasons.filter { f.reasons.contains($0) })
            return advance(&s, p)
        default:
            break
        }
        s.mode = .rating(f)
        return []
    }

    static func helpKey(_ s: inout DeskState, _ k: Key) -> [DeskEffect] {
        guard case let .help(scroll, contexts) = s.mode, let hit = s.keyMap.action(for: k, in: [.help]) else { return [] }
        let total = HelpText.lines(s, contexts: contexts).count
        let page = max(1, s.height - 6)
        let maxScroll = max(0, total - page)
        var sc = scroll
        switch hit.id {
        case .down: sc += 1
        case .up: sc -= 1
        case .pageDown: sc += page
        case .pageUp: sc -= page
        case .top: sc = 0
        case .bottom: sc = maxScroll
        case .closeHelp:
            s.mode = .normal
            return []
        default: break
        }
        s.mode = .help(scroll: max(0, min(maxScroll, sc)), contexts: contexts)
        return []
    }
}
