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
    case notAwaitingAcceptance
    case notAccepted(action: ActionName)
    case pauseNotAllowed(ruleId: String, basis: String)
    case suspensionRequired(grounds: [String])
    case unknownGround(String, grounds: [String])
    case extensionOverdue(due: Day)
    case extensionNotLate(due: Day)
    case extensionNeedsComplexity(used: Int, basis: String)
    case acceptanceExtensionNotAllowed(ruleId: String)
    case complexityOutOfRange(Int)
    case sameComplexity
    case complexityBelowExtensions(extensions: Int)

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
        case .notAwaitingAcceptance: return L10n.t("clock.err.not_pending", lang)
        case let .notAccepted(action): return L10n.t("clock.err.not_accepted", lang, action.label(lang).lowercased())
        case let .pauseNotAllowed(ruleId, basis): return L10n.t("clock.err.no_pause", lang, ruleId, basis)
        case let .suspensionRequired(grounds): return L10n.t("clock.err.suspension_required", lang, grounds.joined(separator: ", "))
        case let .unknownGround(code, grounds): return L10n.t("clock.err.unknown_ground", lang, code, grounds.joined(separator: ", "))
        case let .extensionOverdue(due): return L10n.t("clock.err.ext_overdue", lang, due.description)
        case let .extensionNotLate(due): return L10n.t("clock.err.ext_not_late", lang, due.description)
        case let .extensionNeedsComplexity(used, basis): return L10n.t("clock.err.ext_complexity", lang, used, basis)
        case let .acceptanceExtensionNotAllowed(ruleId): return L10n.t("clock.err.accept_ext", lang, ruleId)
        case let .complexityOutOfRange(n): return L10n.t("clock.err.complexity_range", lang, n)
        case .sameComplexity: return L10n.t("clock.err.same_complexity", lang)
        case let .complexityBelowExtensions(n): return L10n.t("clock.err.complexity_below", lang, n)
        }
    }
}
