import Foundation
import PaknCore
import PaknStoreAPI
import PostgresNIO

// What the server session does not do yet: each throws `StoreError.notOnServer`, one
// sentence naming what and the server, never a made-up answer (docs/deployment.md §0).

extension ServerSession {
    /// Unseals a reporter through `pakn_reveal_reporter`, which checks `reveal_reporter` at
    /// the handling unit and appends the `reveal` event (or the `refused` one) itself.
    public func revealReporter(caseRef: String, reason: String) throws -> Reporter {
        let why = try ActionText.reason(reason)
        let me = try current()
        guard let c = try fetchCase(caseRef), try inScope(c) else {
            // Recorded here; a permission refused is recorded by the server function itself.
            let e = StoreError.outOfScope(login: me.login, code: caseRef)
            recordRefusal(e, caseRef: caseRef)
            throw e
        }
        if c.anonymous || c.reporterId == nil { throw Message("trust.reveal.anonymous", c.code) }
        // The refusal the server records commits with the call: thrown after it.
        let reporter: Reporter? = try db.transaction { tx in
            var b = Binds()
            guard let r = try tx.one("""
                SELECT revealed, name, phone, email, address, national_id, confidential
                FROM pakn_reveal_reporter(\(b.add(c.code)), \(b.add(why)))
                """, b) else { throw StoreError.outOfScope(login: me.login, code: caseRef) }
            guard try r.bool(0) else { return nil }
            return Reporter(id: c.reporterId, name: try r.strOpt(1), phone: try r.strOpt(2), email: try r.strOpt(3),
                            address: try r.strOpt(4), nationalId: try r.strOpt(5), anonymous: false, confidential: try r.bool(6))
        }
        guard let reporter else {
            throw StoreError.permissionDenied(login: me.login, permission: .revealReporter,
                                              unit: try c.unitId.flatMap { try unit(id: $0)?.label } ?? "-")
        }
        return reporter
    }

    /// The guided tour is for training databases; a server database is never one.
    public func newestCaseId() throws -> Int64 { throw StoreError.notTrainingDatabase(option: "tour") }

    /// When a case's reporter was erased, through `pakn_reporter_erased_at` (the reporter
    /// table is not readable by officials' roles).
    public func reporterErasedAt(caseRef: String) throws -> Date? {
        guard let c = try fetchCase(caseRef) else { throw StoreError.outOfScope(login: official.login, code: caseRef) }
        return try db.one("SELECT extract(epoch FROM pakn_reporter_erased_at(\(c.id)))::bigint")?.intOpt(0).map(Self.date)
    }

    static let templateColumns = "id, lang, category, kind, title, body, purpose, action"
    static func template(_ r: PostgresRandomAccessRow) throws -> ReplyTemplate {
        ReplyTemplate(id: try r.str(0), lang: Lang(rawValue: try r.str(1)) ?? .vi, category: try r.strOpt(2),
                      kind: try r.strOpt(3).flatMap(CaseKind.init(rawValue:)), title: try r.str(4), body: try r.str(5),
                      purpose: TemplatePurpose(rawValue: try r.str(6)) ?? .answer, action: try r.strOpt(7).flatMap(ActionName.init(rawValue:)))
    }

    /// Templates for a category and kind (and the generic ones), in `lang` first (ReplyTemplate.fetch).
    public func templates(category: String?, kind: CaseKind?, lang: Lang, purposes: [TemplatePurpose]?) throws -> [ReplyTemplate] {
        var b = Binds()
        let cat = b.add(category), k = b.add(kind?.rawValue), l = b.add(lang.rawValue)
        return try db.rows("""
            SELECT \(Self.templateColumns) FROM reply_template
            WHERE (category IS NULL OR category = \(cat)::text) AND (kind IS NULL OR kind = \(k)::text)
            ORDER BY (lang = \(l)) DESC, (category IS NULL), (kind IS NULL), id COLLATE "C"
            """, b).map(Self.template).filter { t in purposes.map { $0.contains(t.purpose) } ?? true }
    }

    public func allTemplates(category: String?) throws -> [ReplyTemplate] {
        var b = Binds()
        let cat = b.add(category)
        return try db.rows("""
            SELECT \(Self.templateColumns) FROM reply_template WHERE \(cat)::text IS NULL OR category IS NULL OR category = \(cat)::text
            ORDER BY (category IS NULL) DESC, (kind IS NULL) DESC, category COLLATE "C", kind COLLATE "C", id COLLATE "C", lang COLLATE "C" DESC
            """, b).map(Self.template)
    }

    public func templateNeedsReason(_ id: String, lang: Lang) throws -> Bool {
        var b = Binds()
        return try db.one("SELECT body FROM reply_template WHERE id = \(b.add(id)) AND lang = \(b.add(lang.rawValue))", b)?
            .str(0).contains("{reason}") ?? false
    }

    /// A server's database is backed up by the server's tools (docs/deployment.md §6).
    public func backup(to dest: String, force: Bool) throws -> BackupResult { throw Message("pgs.backup", path) }
}
