import Foundation
import PaknCore

extension DeskRunner {
    /// Drafts on disk (`drafts`) and the official's own editor (`externalEditor`).
    func performDrafts(_ effect: DeskEffect) -> [DeskMessage] {
        switch effect {
        case .loadDrafts:
            let saved = drafts?.load() ?? []
            return saved.isEmpty ? [] : [.draftsRestored(saved)]
        case let .saveDrafts(list):
            do {
                try drafts?.save(list)
            } catch {
                let dir = drafts?.directory.path ?? ""
                return [.failed(.error("desk.drafts.unwritable", dir, error.localizedDescription))]
            }
            return []
        case let .deleteDrafts(keys):
            drafts?.delete(keys)
            return []
        case let .editExternally(key, text):
            guard let editor = externalEditor else { return [.failed(.error("desk.editor.none"))] }
            let name = DeskUpdate.draftCode(state, key) + "-" + key.kind.rawValue
            switch editor(text, name) {
            case let .success(edited): return [.editedExternally(key, text: edited)]
            case let .failure(notice): return [.failed(notice)]
            }
        case let .copy(text, code, summary):
            return [.copied(code: code, summary: summary, ok: clipboard?(text) ?? false)]
        default:
            return []
        }
    }
}
