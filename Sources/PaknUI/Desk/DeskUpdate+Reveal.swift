import Foundation
import PaknCore
import PaknStoreAPI

/// Revealing a protected reporter from the desk, as `pakn reveal` does: the official gives
/// a reason, the store checks the permission and the case's protection and records the
/// reveal in the case's history, and the desk shows the identity while the case stays
/// selected. Nothing of it is kept once the official moves on.
extension DeskUpdate {
    static func beginReveal(_ s: inout DeskState, reason preset: String?) -> [DeskEffect] {
        guard let row = s.selectedRow else { return noCase(&s) }
        if let refusal = lacksPermission(s, .reveal) {
            s.notice = refusal
            return []
        }
        if let d = s.selectedDetail, d.case.id == row.id {
            // Nothing hidden, nothing to record.
            if d.reporterRevealed || (d.reporter.map { !$0.confidential && !$0.anonymous } ?? false && !d.reporterMasked) {
                s.notice = .info("desk.reveal.already")
                return []
            }
        }
        if let reason = preset?.trimmingCharacters(in: .whitespaces), !reason.isEmpty {
            return [.reveal(caseId: row.id, code: row.code, reason: reason)]
        }
        s.mode = .prompt(PromptState(purpose: .revealReason(caseId: row.id, code: row.code), labelKey: "desk.prompt.reveal",
                                     labelArgs: [row.code], editor: TextEditor("", multiline: false), optional: false))
        return []
    }

    static func revealed(_ s: inout DeskState, _ caseId: Int64, _ reporter: Reporter) -> [DeskEffect] {
        guard s.selectedRow?.id == caseId else { return [] }
        let r = RevealedReporter(caseId: caseId, reporter: reporter)
        s.revealed = r
        if let d = s.detail { s.detail = r.apply(to: d) }
        s.notice = .info("desk.reveal.done")
        // The history now holds the reveal.
        return [.loadDetail(caseId: caseId)]
    }
}
