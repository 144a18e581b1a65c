import Foundation
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
    /// A case outside the official's units. Told apart from an unknown case by nobody but
    /// the history: the text is the same as `unknownCase`, so a refusal does not tell an
    /// official that a case exists elsewhere.
    case outOfScope(login: String, code: String)
    /// A unit (a `--unit` filter, an export) outside the official's units.
    case unitOutOfScope(login: String, unit: String)
    /// An administrative act beyond the official's reach (a unit outside their units, a
    /// national rule, a role above their own): the reason says which. Exit code 4.
    case adminOutOfScope(login: String, reason: Message)
    case noDeadlineRule(kind: CaseKind, day: Day)
    case noParentUnit(String)
    case notMergeable(String)
    case assigneeNotInUnit(login: String, unit: String)
    case missingField(String)
    case tooLong(field: String, max: Int)
    case invalidValue(field: String, value: String)
    case unreadableFile(path: String, reason: String)
    case attachmentRejected(name: String, reason: Message)
    case databaseMissing(path: String)
    case databaseUnusable(path: String, reason: String)
    case badData(file: String, line: Int, reason: Message)
    /// A stored text (an event's changes or note, a case's body) that does not read back:
    /// an unknown format byte or damaged data (`PackedText`).
    case unreadableText(String)
    /// `--db` names a server, and this build has no engine for it (`StoreLocation.display`).
    case noEngine(location: String)
    /// A command that works on a SQLite file only (`init`, `demo`, `restore`, `bench`) was
    /// given a server (`StoreLocation.display`).
    case fileOnly(command: String, location: String)
    /// What a PostgreSQL session does not do yet (`what`: the command or part, as people
    /// know it), on the server `location` (`StoreLocation.display`).
    case notOnServer(what: String, location: String)

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
        case let .outOfScope(_, c): L10n.t("store.unknown_case", lang, c)
        case let .unitOutOfScope(l, u): L10n.t("store.out_of_scope", lang, l, u)
        case let .adminOutOfScope(_, r): r.text(lang)
        case let .noDeadlineRule(k, d): L10n.t("store.no_rule", lang, k.label(lang), d.description)
        case let .noParentUnit(u): L10n.t("store.no_parent", lang, u)
        case let .notMergeable(c): L10n.t("store.not_mergeable", lang, c)
        case let .assigneeNotInUnit(l, u): L10n.t("store.assignee_scope", lang, l, u)
        case let .missingField(f): L10n.t("store.missing_field", lang, f)
        case let .tooLong(f, m): L10n.t("store.too_long", lang, f, m)
        case let .invalidValue(f, v): L10n.t("store.invalid_value", lang, f, v)
        case let .unreadableFile(p, r): L10n.t("store.unreadable_file", lang, p, L10n.has(r) ? L10n.t(r, lang) : r)
        case let .attachmentRejected(n, r): L10n.t("store.attachment_rejected", lang, n, r.text(lang))
        case let .databaseMissing(p): L10n.t("store.db_missing", lang, p)
        case let .databaseUnusable(p, r): L10n.t("store.db_unusable", lang, p, L10n.has(r) ? L10n.t(r, lang) : r)
        case let .badData(f, l, r): L10n.t("store.bad_data", lang, f, l, r.text(lang))
        case let .unreadableText(w): L10n.t("store.unreadable_text", lang, w)
        case let .noEngine(l): L10n.t("engine.no_postgres", lang, l)
        case let .fileOnly(c, l): L10n.t("engine.file_only", lang, c, l)
        case let .notOnServer(w, l): L10n.t("pgs.not_yet", lang, w, l)
        }
    }
}

extension StoreError {
    /// What a refusal records in the history or the access log: both languages, from the
    /// catalog, so the record reads the same to every auditor. An out-of-scope refusal
    /// says what it was (the official was told only that no such case is in their units).
    public var recordedNote: String {
        let text: (Lang) -> String = { lang in
            if case let .outOfScope(login, _) = self { return L10n.t("trust.refused.out_of_scope", lang, login) }
            return self.text(lang)
        }
        return text(.vi) + " / " + text(.en)
    }
}

extension StoreError {
    /// A file that could not be read (or written), with the reason as a catalog key when it
    /// is one a person can act on (missing, no permission, a folder), so it reads in their
    /// language; otherwise the system's own words.
    public static func unreadable(_ path: String, _ error: Error) -> StoreError {
        let ns = error as NSError
        var code = ns.domain == NSPOSIXErrorDomain ? ns.code : nil
        if code == nil, let under = ns.userInfo[NSUnderlyingErrorKey] as? NSError, under.domain == NSPOSIXErrorDomain {
            code = under.code
        }
        switch code.map(Int32.init) {
        case ENOENT?: return .unreadableFile(path: path, reason: "store.file.missing")
        case EACCES?, EPERM?: return .unreadableFile(path: path, reason: "store.file.denied")
        case EISDIR?: return .unreadableFile(path: path, reason: "store.file.folder")
        default:
            if ns.domain == NSCocoaErrorDomain && [NSFileReadNoSuchFileError, NSFileNoSuchFileError].contains(ns.code) {
                return .unreadableFile(path: path, reason: "store.file.missing")
            }
            let text = error.localizedDescription.trimmingCharacters(in: CharacterSet(charactersIn: ". "))
            return .unreadableFile(path: path, reason: text)
        }
    }
}
