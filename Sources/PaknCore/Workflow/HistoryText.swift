import Foundation

extension HistoryEntry {
    /// What the event did, as a person says it: "Giao cho Lê Gia Lộc (Phòng Kinh tế, Hạ
    /// tầng và Đô thị — Phường Hoàn Kiếm)", "Chuyển sang Phòng Văn hóa - Xã hội — …", or the
    /// action's name when the event names nobody and nowhere.
    public func headline(_ lang: Lang) -> String {
        switch event.action {
        case .assign:
            if let a = assignedTo { return L10n.t("history.assigned_to", lang, a) }
        case .route:
            if let u = sentTo { return L10n.t("history.routed_to", lang, u) }
        case .transfer:
            if let u = sentTo { return L10n.t("history.transferred_to", lang, u) }
        case .escalate:
            if let u = sentTo { return L10n.t("history.escalated_to", lang, u) }
        case .merge:
            if let m = mergedInto { return L10n.t("history.merged_into", lang, m) }
        default:
            break
        }
        return event.action.label(lang)
    }
}
