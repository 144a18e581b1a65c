/// Why the workflow refused an action. Each case carries what a person needs to fix it.
public enum WorkflowError: Error, Equatable, Localized {
    case illegalTransition(action: ActionName, from: CaseStatus, allowed: [ActionName])
    case extensionCapReached(max: Int, basis: String)
    case extensionNotAllowed(ruleId: String)
    case ratingOutOfRange(Int)
    case missingText(field: String)
    case mergeIntoSelf
    case sameUnit
    case sameAssignee

    public func text(_ lang: Lang) -> String {
        switch self {
        case let .illegalTransition(action, from, allowed):
            if allowed.isEmpty {
                return L10n.t("wf.illegal.none", lang, action.label(lang).lowercased(), from.label(lang))
            }
            let list = allowed.map { "\($0.rawValue) (\($0.label(lang)))" }.joined(separator: ", ")
            return L10n.t("wf.illegal", lang, action.label(lang).lowercased(), from.label(lang), list)
        case let .extensionCapReached(max, basis): return L10n.t("wf.extension_cap", lang, max, basis)
        case let .extensionNotAllowed(ruleId): return L10n.t("wf.extension_none", lang, ruleId)
        case let .ratingOutOfRange(n): return L10n.t("wf.rating_range", lang, n)
        case let .missingText(field): return L10n.t("wf.empty", lang, L10n.t("field.\(field)", lang))
        case .mergeIntoSelf: return L10n.t("wf.merge_self", lang)
        case .sameUnit: return L10n.t("wf.same_unit", lang)
        case .sameAssignee: return L10n.t("wf.same_assignee", lang)
        }
    }
}
