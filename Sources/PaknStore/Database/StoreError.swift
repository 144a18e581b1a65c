import PaknCore

/// Why the store refused or failed. Every case says what a person can do about it.
public enum StoreError: Error, Localized, Equatable {
    case unknownCase(String)
    case unknownUnit(String)
    case unknownOfficial(String)
    case unknownCategory(String)
    case noOfficialForLogin(String)
    case officialDisabled(String)
    case notTrainingDatabase(option: String)
    case conflict(code: String, expected: Int, found: Int)
    case permissionDenied(login: String, permission: Permission, unit: String)
    case outOfScope(login: String, code: String)
    case noDeadlineRule(kind: CaseKind, day: Day)
    case noParentUnit(String)
    case notMergeable(String)
    case assigneeNotInUnit(login: String, unit: String)
    case missingField(String)
    case tooLong(field: String, max: Int)
    case invalidValue(field: String, value: String)
    case unreadableFile(path: String, reason: String)
    case attachmentRejected(name: String, reason: String)
    case databaseMissing(path: String)
    case databaseUnusable(path: String, reason: String)
    case badData(file: String, line: Int, reason: String)

    public func text(_ lang: Lang) -> String {
        switch self {
        case let .unknownCase(c): L10n.t("store.unknown_case", lang, c)
        case let .unknownUnit(c): L10n.t("store.unknown_unit", lang, c)
        case let .unknownOfficial(c): L10n.t("store.unknown_official", lang, c)
        case let .unknownCategory(c): L10n.t("store.unknown_category", lang, c)
        case let .noOfficialForLogin(l): L10n.t("store.no_official", lang, l)
        case let .officialDisabled(l): L10n.t("store.official_disabled", lang, l)
        case let .notTrainingDatabase(o): L10n.t("store.not_training", lang, o)
        case let .conflict(code, e, f): L10n.t("store.conflict", lang, code, e, f)
        case let .permissionDenied(l, p, u): L10n.t("store.permission_denied", lang, l, p.rawValue, u)
        case let .outOfScope(l, c): L10n.t("store.out_of_scope", lang, l, c)
        case let .noDeadlineRule(k, d): L10n.t("store.no_rule", lang, k.label(lang), d.description)
        case let .noParentUnit(u): L10n.t("store.no_parent", lang, u)
        case let .notMergeable(c): L10n.t("store.not_mergeable", lang, c)
        case let .assigneeNotInUnit(l, u): L10n.t("store.assignee_scope", lang, l, u)
        case let .missingField(f): L10n.t("store.missing_field", lang, f)
        case let .tooLong(f, m): L10n.t("store.too_long", lang, f, m)
        case let .invalidValue(f, v): L10n.t("store.invalid_value", lang, f, v)
        case let .unreadableFile(p, r): L10n.t("store.unreadable_file", lang, p, r)
        case let .attachmentRejected(n, r): L10n.t("store.attachment_rejected", lang, n, r)
        case let .databaseMissing(p): L10n.t("store.db_missing", lang, p)
        case let .databaseUnusable(p, r): L10n.t("store.db_unusable", lang, p, L10n.has(r) ? L10n.t(r, lang) : r)
        case let .badData(f, l, r): L10n.t("store.bad_data", lang, f, l, r)
        }
    }
}
