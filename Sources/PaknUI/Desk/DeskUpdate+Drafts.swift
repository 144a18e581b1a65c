import Foundation
import PaknCore
import PaknStoreAPI

/// Nothing lost, nothing sent by accident: drafts kept on disk as they change and brought
/// back when the desk opens again, a look before a text goes to a citizen, and the draft
/// in the official's own editor (`$VISUAL`/`$EDITOR`).
extension DeskUpdate {
    // MARK: Drafts on disk

    /// Every unsent draft as it would be kept on disk (empty ones are not kept).
    static func persisted(_ s: DeskState) -> [DraftKey: SavedDraft] {
        guard !s.drafts.isEmpty else { return [:] }
        var out: [DraftKey: SavedDraft] = [:]
        for (key, ed) in s.drafts where !ed.isEmpty {
            out[key] = SavedDraft(caseId: key.caseId, code: draftCode(s, key), kind: key.kind, baseVersion: s.draftBase[key],
                                  templates: s.draftTemplates[key] ?? [], purpose: s.draftPurpose[key], text: ed.text)
        }
        return out
    }

    /// The effects that bring the drafts on disk up to date after a message.
    static func persistDrafts(before: [DraftKey: SavedDraft], after: [DraftKey: SavedDraft]) -> [DeskEffect] {
        guard before != after else { return [] }
        let changed = after.filter { before[$0.key] != $0.value }.values.sorted { ($0.caseId, $0.kind.rawValue) < ($1.caseId, $1.kind.rawValue) }
        let gone = before.keys.filter { after[$0] == nil }.sorted { ($0.caseId, $0.kind.rawValue) < ($1.caseId, $1.kind.rawValue) }
        var fx: [DeskEffect] = []
        if !changed.isEmpty { fx.append(.saveDrafts(Array(changed))) }
        if !gone.isEmpty { fx.append(.deleteDrafts(gone)) }
        return fx
    }

    /// The case code a draft answers.
    static func draftCode(_ s: DeskState, _ key: DraftKey) -> String {
        if let d = s.detail, d.case.id == key.caseId { return d.case.code }
        if let c = s.draftCodes[key] { return c }
        return s.queue.rows.first { $0.id == key.caseId }?.code ?? String(key.caseId)
    }

    /// Drafts left unsent last time, put back (a draft already open here wins).
    static func draftsRestored(_ s: inout DeskState, _ saved: [SavedDraft]) -> [DeskEffect] {
        var restored: [String] = []
        for d in saved where s.drafts[d.key] == nil && !d.text.isEmpty {
            var ed = TextEditor()
            ed.insert(d.text)
            s.drafts[d.key] = ed
            s.draftBase[d.key] = d.baseVersion
            if !d.templates.isEmpty { s.draftTemplates[d.key] = d.templates }
            if let p = d.purpose { s.draftPurpose[d.key] = p }
            s.draftCodes[d.key] = d.code
            restored.append(d.code)
        }
        if !restored.isEmpty { s.notice = .info("desk.drafts.restored", restored.count, codeList(restored)) }
        return []
    }

    /// Forgets everything kept about a draft (sent or discarded).
    static func forgetDraft(_ s: inout DeskState, _ key: DraftKey) {
        s.drafts[key] = nil
        s.draftBase[key] = nil
        s.draftPurpose[key] = nil
        s.draftTemplates[key] = nil
        s.draftCodes[key] = nil
    }

    // MARK: Before sending

    /// The status a draft leads to when sent: a reply answers (resolves) the case, a
    /// request for information pauses it; a note or a notice leaves it as it is.
    static func statusAfterSending(_ kind: DraftKey.Kind, from status: CaseStatus) -> CaseStatus {
        switch kind {
        case .reply: .resolved
        case .request: .awaitingInfo
        case .note, .notice: status
        }
    }

    /// `C-s`: a text for the citizen (reply, notice, request) is shown once more — its first
    /// lines, the templates used, the status it leads to — and goes only on `y`. An
    /// internal note goes at once.
    static func askToSend(_ s: inout DeskState, _ key: DraftKey, _ ed: TextEditor) -> [DeskEffect] {
        s.drafts[key] = ed
        guard key.kind != .note, !ed.text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            return sendDraft(&s, key, ed)
        }
        s.mode = .confirm(.send(key))
        return []
    }

    // MARK: The official's own editor

    static func editExternally(_ s: inout DeskState, _ key: DraftKey) -> [DeskEffect] {
        [.editExternally(key, text: s.drafts[key]?.text ?? "")]
    }

    static func editedExternally(_ s: inout DeskState, _ key: DraftKey, _ text: String) -> [DeskEffect] {
        // An editor ends the file with a newline; the draft does not need it.
        var t = text.replacingOccurrences(of: "\r\n", with: "\n")
        while t.hasSuffix("\n") { t.removeLast() }
        let before = s.drafts[key]?.text ?? ""
        var ed = TextEditor()
        ed.insert(t)
        s.drafts[key] = ed
        if s.draftCodes[key] == nil { s.draftCodes[key] = draftCode(s, key) }
        s.composing = key
        s.focus = .reply
        s.notice = .info(ed.text == before ? "desk.editor.unchanged" : "desk.editor.done")
        return []
    }
}
