import Foundation
import GRDB
import PaknCore

/// Reading reply templates from the SQLite database.
extension ReplyTemplate {
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
