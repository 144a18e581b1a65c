import Foundation
import GRDB
import PaknCore

/// A reply template, with its placeholders still in place.
public struct ReplyTemplate: Equatable, Sendable {
    public var id: String
    public var lang: Lang
    public var category: String?
    public var kind: CaseKind?
    public var title: String
    public var body: String
    /// What the text is for: which actions may send it.
    public var purpose: TemplatePurpose
    /// The one action it is for when its purpose serves several (a notice of transfer).
    public var action: ActionName?

    public init(id: String, lang: Lang, category: String?, kind: CaseKind?, title: String, body: String,
                purpose: TemplatePurpose = .answer, action: ActionName? = nil) {
        self.id = id; self.lang = lang; self.category = category; self.kind = kind; self.title = title
        self.body = body; self.purpose = purpose; self.action = action
    }

    /// The actions that may send this template.
    public var actions: [ActionName] { action.map { [$0] } ?? purpose.actions }

    /// Whether `action` may send it.
    public func fits(_ action: ActionName) -> Bool { actions.contains(action) }

    /// The refusal when `action` may not send it, naming the actions that may.
    public func refusal(for action: ActionName) -> Message? {
        guard !fits(action) else { return nil }
        return Message("tpl.wrong_action", id, purpose.rawValue,
                       actions.map { "pakn \(TemplateLetter.command(for: $0))" }.joined(separator: ", "),
                       "pakn \(TemplateLetter.command(for: action))")
    }

    public var needsAuthority: Bool { body.contains("{authority}") }
    public var needsReason: Bool { body.contains("{reason}") }

    /// The body with its placeholders filled in the template's own language.
    public func filled(_ f: TemplateFill) -> String {
        body.replacingOccurrences(of: "{code}", with: f.code)
            .replacingOccurrences(of: "{title}", with: f.title)
            .replacingOccurrences(of: "{unit}", with: f.unit)
            .replacingOccurrences(of: "{ward}", with: f.ward)
            .replacingOccurrences(of: "{date}", with: f.date)
            .replacingOccurrences(of: "{status}", with: f.status)
            .replacingOccurrences(of: "{authority}", with: f.authority ?? "…")
            .replacingOccurrences(of: "{reason}", with: f.reason ?? "…")
    }

    static func fetch(_ db: Database, category: String?, kind: CaseKind?, lang: Lang,
                      purposes: [TemplatePurpose]?) throws -> [ReplyTemplate] {
        // Cached: the desk asks for every category and kind it meets first.
        try Row.fetchAll(db.cachedStatement(sql: """
            SELECT * FROM reply_template
            WHERE (category IS NULL OR category = ?) AND (kind IS NULL OR kind = ?)
            ORDER BY (lang = ?) DESC, (category IS NULL), (kind IS NULL), id
            """), arguments: [category, kind?.rawValue, lang.rawValue]).map(ReplyTemplate.init(row:))
            .filter { t in purposes.map { $0.contains(t.purpose) } ?? true }
    }

    init(row r: Row) {
        self.init(id: r["id"], lang: Lang(rawValue: r["lang"]) ?? .vi, category: r["category"],
                  kind: (r["kind"] as String?).flatMap(CaseKind.init(rawValue:)), title: r["title"], body: r["body"],
                  purpose: TemplatePurpose(rawValue: r["purpose"]) ?? .answer,
                  action: (r["action"] as String?).flatMap(ActionName.init(rawValue:)))
    }
}

/// What a template's placeholders become for one case, in the citizen's language:
/// `{ward}` "phường Hoàn Kiếm" (so "Ủy ban nhân dân {ward}" reads as Decree 30 writes it),
/// `{unit}` the body handling the case, `{date}` the day of receipt ("05 tháng 12 năm 2026").
public struct TemplateFill: Equatable, Sendable {
    public var code: String
    public var title: String
    public var unit: String
    public var ward: String
    public var date: String
    public var status: String
    public var authority: String?
    public var reason: String?

    public init(code: String, title: String, unit: String, ward: String, date: String, status: String,
                authority: String? = nil, reason: String? = nil) {
        self.code = code; self.title = title; self.unit = unit; self.ward = ward; self.date = date
        self.status = status; self.authority = authority; self.reason = reason
    }

    /// The fill-ins of case `c`, whose ward is `ward` and responsible unit `unit`, in `lang`.
    /// Without a ward, the office the case is with stands in (`office`).
    public static func of(_ c: Case, ward: OrgUnit?, unit: OrgUnit?, office: OrgUnit? = nil, lang: Lang,
                          authority: String? = nil, reason: String? = nil) -> TemplateFill {
        let place = ward ?? office ?? unit.flatMap { $0.level == .department ? nil : $0 }
        return TemplateFill(code: c.code, title: c.title,
                            unit: unit.map { body($0, lang) } ?? "",
                            ward: place.map { OfficialStyle.unitName($0.name, lang) } ?? "",
                            date: OfficialStyle.date(Day(c.receivedAt), lang),
                            status: c.status.label(lang), authority: authority, reason: reason)
    }

    /// The body that acts for a unit: "Ủy ban nhân dân phường Hoàn Kiếm", or a department.
    public static func body(_ u: OrgUnit, _ lang: Lang) -> String {
        OfficialStyle.bodyName(u.name, isAdministrative: u.level == .commune || u.level == .province, lang)
    }
}

/// A text for the citizen made from a template, checked against the action that sends it.
public struct TemplateLetter: Equatable, Sendable {
    public var text: String
    public var purpose: TemplatePurpose

    /// The CLI command that performs an action.
    public static func command(for action: ActionName) -> String {
        action == .notice ? "notify" : action.rawValue
    }
}

extension AppDatabase {
    /// Fills template `id` for case `caseRef`, to be sent with `action` in the citizen's
    /// language. Refused when the template does not exist for the case, is for another
    /// action, has no version in `citizenLang`, or names an authority or a reason not given.
    /// `targetUnitId`: the unit a transfer goes to (the authority a transfer notice names).
    func letter(template id: String, caseRef: String, action: ActionName, citizenLang: Lang,
                       authority: String? = nil, reason: String? = nil, targetUnitId: Int64? = nil) throws -> TemplateLetter {
        try read { db in
            let c = try CaseRow.resolve(db, caseRef, reply: false)
            let all = try ReplyTemplate.fetch(db, category: c.category, kind: c.kind, lang: citizenLang, purposes: nil)
            guard let any = all.first(where: { $0.id == id }) else { throw Message("tpl.unknown", id, c.code) }
            if let refusal = any.refusal(for: action) { throw refusal }
            guard let t = all.first(where: { $0.id == id && $0.lang == citizenLang }) else {
                throw Message("tpl.no_lang", id, citizenLang.rawValue)
            }
            let unit = try c.unitId.flatMap { try UnitQueries.unit(db, id: $0) }
            let office = try unit.flatMap { u in u.level == .department ? try u.parentId.flatMap { try UnitQueries.unit(db, id: $0) } : u }
            let ward = try c.wardId.flatMap { try UnitQueries.unit(db, id: $0) }
            var auth = authority.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.flatMap { $0.isEmpty ? nil : $0 }
            if auth == nil, let target = try targetUnitId.flatMap({ try UnitQueries.unit(db, id: $0) }) {
                auth = TemplateFill.body(target, citizenLang)
            }
            if t.needsAuthority && auth == nil { throw Message("tpl.authority_needed", id) }
            let why = reason.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.flatMap { $0.isEmpty ? nil : $0 }
            if t.needsReason && why == nil { throw Message("tpl.reason_needed", id) }
            let fill = TemplateFill.of(c, ward: ward, unit: unit, office: office, lang: citizenLang, authority: auth, reason: why)
            return TemplateLetter(text: t.filled(fill), purpose: t.purpose)
        }
    }
}

extension AppDatabase {
    /// Every template (of `category` and the generic ones, when given), by id then language.
    func allTemplates(category: String? = nil) throws -> [ReplyTemplate] {
        try read { db in
            try Row.fetchAll(db, sql: """
                SELECT * FROM reply_template WHERE ?1 IS NULL OR category IS NULL OR category = ?1
                ORDER BY (category IS NULL) DESC, (kind IS NULL) DESC, category, kind, id, lang DESC
                """, arguments: [category]).map(ReplyTemplate.init(row:))
        }
    }

    /// Whether template `id` in `lang` states a reason (`{reason}`): the reason given is
    /// then part of the text rather than added after it.
    func templateNeedsReason(_ id: String, lang: Lang) throws -> Bool {
        try read { db in
            try String.fetchOne(db, sql: "SELECT body FROM reply_template WHERE id = ? AND lang = ?", arguments: [id, lang.rawValue])
        }?.contains("{reason}") ?? false
    }
}
