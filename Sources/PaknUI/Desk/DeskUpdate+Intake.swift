import Foundation
import PaknCore
import PaknStoreAPI

/// The intake form: `N` (or `:intake`) opens it, Tab and S-Tab move between fields, `C-s`
/// takes the case in through the session, `M-1`… merge it into a case it duplicates.
extension DeskUpdate {
    /// Opens the form, if the session grants intake; the runner answers with its clock.
    static func beginIntake(_ s: inout DeskState) -> [DeskEffect] {
        if s.intake != nil { return [] }
        guard s.grants.contains(.intake) else {
            s.notice = Notice(StoreError.permissionDenied(login: s.me.login, permission: .intake, unit: s.myUnit?.label ?? "-"))
            return []
        }
        _ = closeStats(&s)
        return [.beginIntake]
    }

    static func intakeOpened(_ s: inout DeskState, now: Date) -> [DeskEffect] {
        guard s.intake == nil, s.grants.contains(.intake) else { return [] }
        let ward = s.myUnit.flatMap { $0.level == .commune ? $0 : nil }
        s.intake = IntakeForm(now: now, lang: s.lang, categories: s.categories, ward: ward)
        s.mode = .normal
        return []
    }

    static func intakeKey(_ s: inout DeskState, _ k: Key) -> [DeskEffect] {
        guard var f = s.intake else { return [] }
        if f.saving { return [] }
        if let hit = s.keyMap.action(for: k, in: [.intake]) {
            switch hit.id {
            case .help:
                s.mode = .help(scroll: 0, contexts: [.intake])
                return []
            case .intakeClose:
                if f.hasInput {
                    s.mode = .confirm(.discardIntake)
                } else {
                    s.intake = nil
                    s.notice = .info("desk.cancelled")
                }
                return []
            case .intakeNext, .intakePrev:
                return moveField(&s, &f, by: hit.id == .intakeNext ? 1 : -1)
            case .newline:
                if f.focus == .body {
                    f.texts[.body]?.newline()
                    s.intake = f
                    return []
                }
                return moveField(&s, &f, by: 1)
            case .down, .up:
                let by = hit.id == .down ? 1 : -1
                if var c = f.choice(f.focus) {
                    c.move(by)
                    f.setChoice(f.focus, c)
                    s.intake = f
                    return f.focus == .ward ? askDuplicates(&s) : []
                }
                if f.focus == .body, var ed = f.texts[.body] {
                    // Within the text first; from its first or last row, to the next field.
                    let before = (ed.row, ed.col)
                    ed.moveVertically(by: by, width: IntakeView.bodyWidth(s))
                    if ed.row != before.0 || ed.col != before.1 {
                        f.texts[.body] = ed
                        s.intake = f
                        return []
                    }
                }
                return moveField(&s, &f, by: by)
            case .intakeSave:
                return saveIntake(&s, &f)
            case .intakeDuplicate:
                return pickDuplicate(&s, &f, index: hit.index)
            default:
                if f.focus.isCheck, hit.id == .left || hit.id == .right {
                    toggle(&f)
                    s.intake = f
                    return []
                }
                return editField(&s, &f) { ed in _ = editLine(&ed, hit.id) }
            }
        }
        guard let typed = k.typedText else { return [] }
        if f.focus.isCheck {
            if typed == " " || typed.lowercased() == "x" { toggle(&f); s.intake = f }
            return []
        }
        return editField(&s, &f) { $0.insert(typed) }
    }

    static func toggle(_ f: inout IntakeForm) {
        if f.focus == .anonymous { f.anonymous.toggle() } else { f.confidential.toggle() }
    }

    /// Tab / S-Tab: the next (previous) field; leaving one shows its problem, if any.
    static func moveField(_ s: inout DeskState, _ f: inout IntakeForm, by: Int) -> [DeskEffect] {
        leaveField(&f)
        let order = f.order
        let i = order.firstIndex(of: f.focus) ?? 0
        f.focus = order[(i + by + order.count) % order.count]
        s.intake = f
        // The wards within the official's units, listed as the ward field is reached.
        if f.focus == .ward, f.ward.query.isEmpty, f.ward.items.count <= 1 {
            s.intake?.wardGeneration += 1
            return [.intakeWards(text: "", within: office(of: s.myUnit) ?? s.me.unitId, generation: s.intake?.wardGeneration ?? 0)]
        }
        return []
    }

    /// A choice field keeps what it matched and forgets the typing.
    static func leaveField(_ f: inout IntakeForm) {
        f.touched.insert(f.focus)
        if var c = f.choice(f.focus) {
            c.listOpen = false
            f.setChoice(f.focus, c)
        }
        if var c = f.choice(f.focus), c.value != nil {
            c.query = TextEditor("", multiline: false)
            c.items = c.all ?? (c.value.map { [$0] } ?? [])
            c.selected = c.value.flatMap { c.items.firstIndex(of: $0) } ?? 0
            f.setChoice(f.focus, c)
        }
    }

    /// Applies an edit to the focused field: a text, or the query of a choice.
    static func editField(_ s: inout DeskState, _ f: inout IntakeForm, _ edit: (inout TextEditor) -> Void) -> [DeskEffect] {
        if var c = f.choice(f.focus) {
            let before = c.query.text
            edit(&c.query)
            guard c.query.text != before else { return [] }
            var fx: [DeskEffect] = []
            if let all = c.all {
                c.filter(filterLocal(all, c.query.text))
            } else {
                // The wards are searched in the store, by name (accents optional) or code.
                f.wardGeneration += 1
                fx.append(.intakeWards(text: c.query.text, within: office(of: s.myUnit) ?? s.me.unitId, generation: f.wardGeneration))
            }
            f.setChoice(f.focus, c)
            s.intake = f
            if f.focus == .ward && c.all != nil { fx += askDuplicates(&s) }
            return fx
        }
        guard var ed = f.texts[f.focus] else { return [] }
        edit(&ed)
        f.texts[f.focus] = ed
        s.intake = f
        return f.focus == .title ? askDuplicates(&s) : []
    }

    /// The open cases of the ward that look like this petition, asked again when the
    /// title or the ward changed (the store reads one short index range).
    static func askDuplicates(_ s: inout DeskState) -> [DeskEffect] {
        guard var f = s.intake else { return [] }
        if f.duplicateOf != nil, f.ward.value?.id != f.duplicateWard {
            f.duplicateOf = nil
            f.duplicateWard = nil
        }
        let title = f.text(.title)
        guard let wardId = f.ward.value.flatMap({ Int64($0.id) }), VietnameseFold.words(title).count >= 2 else {
            f.candidates = []
            f.duplicatesAsked = nil
            s.intake = f
            return []
        }
        let key = "\(wardId)\u{1F}" + VietnameseFold.words(title).joined(separator: " ")
        guard key != f.duplicatesAsked else { return [] }
        f.duplicatesAsked = key
        f.duplicatesGeneration += 1
        s.intake = f
        return [.intakeDuplicates(title: title, wardId: wardId, generation: f.duplicatesGeneration)]
    }

    static func intakeWardsLoaded(_ s: inout DeskState, generation: Int, items: [PickerItem]) -> [DeskEffect] {
        guard var f = s.intake, f.wardGeneration == generation else { return [] }
        f.ward.filter(items)
        s.intake = f
        return askDuplicates(&s)
    }

    static func intakeDuplicatesLoaded(_ s: inout DeskState, generation: Int, _ found: [DuplicateCandidate]) -> [DeskEffect] {
        guard var f = s.intake, f.duplicatesGeneration == generation else { return [] }
        f.candidates = found
        s.intake = f
        return []
    }

    /// `M-n`: the new case is a duplicate of candidate n (again: it is not).
    static func pickDuplicate(_ s: inout DeskState, _ f: inout IntakeForm, index: Int) -> [DeskEffect] {
        guard f.candidates.indices.contains(index) else {
            s.notice = .error("desk.intake.no_candidate", index + 1)
            return []
        }
        guard s.grants.contains(.merge) else {
            s.notice = Notice(StoreError.permissionDenied(login: s.me.login, permission: .merge, unit: s.myUnit?.label ?? "-"))
            return []
        }
        let c = f.candidates[index]
        if f.duplicateOf?.id == c.id {
            f.duplicateOf = nil
            s.notice = .info("desk.intake.not_duplicate", c.code)
        } else {
            f.duplicateOf = c
            f.duplicateWard = f.ward.value?.id
            s.notice = .info("desk.intake.duplicate_of", c.code)
        }
        s.intake = f
        return []
    }

    /// `C-s`: every problem shown, the first one focused; none: the case goes to the store.
    static func saveIntake(_ s: inout DeskState, _ f: inout IntakeForm) -> [DeskEffect] {
        leaveField(&f)
        f.touched = Set(IntakeForm.Field.allCases)
        let problems = f.problems
        if let first = problems.first {
            f.focus = first
            s.intake = f
            let names = problems.map { $0.label(.vi) }.joined(separator: ", ")
            let namesEn = problems.map { $0.label(.en) }.joined(separator: ", ")
            s.notice = Notice(vi: L10n.t("desk.intake.fix", .vi, problems.count, names),
                              en: L10n.t("desk.intake.fix", .en, problems.count, namesEn), isError: true)
            return []
        }
        guard let req = f.request else { return [] }
        f.saving = true
        s.intake = f
        return [.takeIn(req)]
    }

    static func takenIn(_ s: inout DeskState, _ o: IntakeOutcome) -> [DeskEffect] {
        s.intake = nil
        if let master = o.mergedInto {
            s.notice = .info("desk.intake.done_merged", o.code, master)
        } else if let unit = o.routedTo {
            s.notice = .info("desk.intake.done_routed", o.code, unit)
        } else {
            s.notice = .info("desk.intake.done", o.code)
        }
        return reloadAll(&s)
    }

    static func intakeFailed(_ s: inout DeskState, _ n: Notice) -> [DeskEffect] {
        guard var f = s.intake else { s.notice = n; return [] }
        f.saving = false
        s.intake = f
        s.notice = n
        return []
    }
}
