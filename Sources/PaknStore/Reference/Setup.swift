import Foundation
import GRDB
import PaknCore

/// Fills a new database with the shipped reference data.
package enum Setup {
    package static func installReference(_ db: Database, unitsFile: URL? = nil, at now: Date = Date()) throws {
        let units = try unitsFile.map(UnitFile.read) ?? BundledData.unitRows()
        _ = try UnitStore.importUnits(db, rows: units, departments: try BundledData.departments())
        _ = try UnitStore.importAliases(db, text: try BundledData.text(BundledData.aliasesName), name: "code-aliases.tsv")
        if unitsFile == nil {
            try UnitChanges.installCorrectionAliases(db)
            try UnitChanges.installShippedHistory(db, at: now)
        }

        for (i, c) in try BundledData.categories().enumerated() {
            try db.execute(sql: "INSERT OR REPLACE INTO category(code, name_vi, name_en, department, sort) VALUES (?, ?, ?, ?, ?)",
                           arguments: [c.code, c.vi, c.en, c.department, i])
        }
        try installRules(db, try BundledData.rules())
        try installHolidays(db, try BundledData.holidays())
        try db.execute(sql: "DELETE FROM routing_rule")
        for r in try BundledData.routing() {
            try db.execute(sql: "INSERT INTO routing_rule(kind, category, level, department) VALUES (?, ?, ?, ?)",
                           arguments: [r.kind?.rawValue, r.category, r.level.rawValue, r.department])
        }
        try installTemplates(db, try BundledData.templates())
        for (k, v) in [("due_soon_days", "3"), ("reopen_at_or_below", "2"), ("attachment_max_mb", "10")] {
            if try AppDatabase.setting(db, k) == nil { try AppDatabase.setSetting(db, k, v) }
        }
    }

    /// What is wrong with a rule from a file, as a catalog key, or nil (`RuleFile.problem`).
    static func problem(_ r: DeadlineRule) -> String? { RuleFile.problem(r) }

    static func installRules(_ db: Database, _ rules: [DeadlineRule]) throws {
        let enc = JSONEncoder()
        enc.outputFormatting = [.sortedKeys]
        for r in rules {
            try db.execute(sql: "INSERT OR REPLACE INTO deadline_rule(id, kind, effective_from, effective_to, json) VALUES (?, ?, ?, ?, ?)",
                           arguments: [r.id, r.kind.rawValue, r.effectiveFrom.description, r.effectiveTo?.description,
                                       String(decoding: try enc.encode(r), as: UTF8.self)])
        }
    }

    /// The shipped templates, replacing rows of the same id and language.
    static func installTemplates(_ db: Database, _ templates: [BundledData.TemplateEntry]) throws {
        let hasPurpose = try db.columns(in: "reply_template").contains { $0.name == "purpose" }
        for t in templates {
            guard TemplatePurpose(rawValue: t.purpose) != nil,
                  t.action.map({ a in ActionName(rawValue: a).map { TemplatePurpose(rawValue: t.purpose)!.actions.contains($0) } ?? false }) ?? true else {
                throw StoreError.badData(file: "reply-templates.json", line: 0,
                                         reason: Message("store.data.json", "\(t.id): purpose \(t.purpose), action \(t.action ?? "-")"))
            }
            if hasPurpose {
                try db.execute(sql: """
                    INSERT OR REPLACE INTO reply_template(id, lang, category, kind, title, body, purpose, action)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """, arguments: [t.id, t.lang, t.category, t.kind, t.title, t.body, t.purpose, t.action])
            } else {
                // A schema before v5-template-purpose (a test building an old database):
                // the migration adds the purposes later.
                try db.execute(sql: "INSERT OR REPLACE INTO reply_template(id, lang, category, kind, title, body) VALUES (?, ?, ?, ?, ?, ?)",
                               arguments: [t.id, t.lang, t.category, t.kind, t.title, t.body])
            }
        }
    }

    static func installHolidays(_ db: Database, _ days: [CalendarException]) throws {
        // A database at a schema before `v5-calendar` (a test building an old database)
        // has no standing columns: it gets the days as that schema held them.
        guard try CalendarTable.hasStandings(db) else {
            for h in days {
                try db.execute(sql: "INSERT OR REPLACE INTO calendar_exception(day, kind, name) VALUES (?, ?, ?)",
                               arguments: [h.day.description, h.kind.rawValue, h.name])
            }
            return
        }
        for h in days { try CalendarTable.put(db, h) }
    }
}

extension AppDatabase {
    /// Creates a production database: reference data and `adminLogin` as its first admin,
    /// attached to `unitCode` (the province or ward that runs it).
    public static func initialize(path: String, adminLogin: String, adminName: String, unitCode: String,
                                  casePrefix: String?) throws -> AppDatabase {
        if FileManager.default.fileExists(atPath: path) {
            throw StoreError.invalidValue(field: "--db", value: path + " (exists)")
        }
        let staging = FreshFile.staging(for: path)
        let db = try AppDatabase(path: staging, create: true)
        do {
            try db.write { d in
                try Setup.installReference(d)
                guard let unit = try UnitQueries.unit(d, code: unitCode) else { throw StoreError.unknownUnit(unitCode) }
                try AppDatabase.setSetting(d, "training", "0")
                try AppDatabase.setSetting(d, "case_prefix", casePrefix ?? UnitQueries.prefix(for: unit, d))
                try AppDatabase.setSetting(d, "home_unit", unit.code)
                try OfficialStore.insert(d, login: adminLogin, fullName: adminName, unitId: unit.id, role: .admin)
                try Facts.baseline(d, login: Facts.initLogin, at: Date(timeIntervalSince1970: Date().timeIntervalSince1970.rounded(.down)),
                                   note: "init \(unit.code) \(adminLogin)")
            }
        } catch {
            try? db.pool.close()
            FreshFile.remove(staging)
            throw error
        }
        return try FreshFile.publish(db, staging: staging, to: path)
    }

    /// Reloads units from a file (TSV or the statistics office's JSON), keeping ids.
    func importUnits(from url: URL) throws -> UnitImportSummary {
        let rows = try UnitFile.read(url)
        let depts = try BundledData.departments()
        return try write { db in try UnitStore.importUnits(db, rows: rows, departments: depts) }
    }

    /// `pakn units import`: a units file (TSV or the statistics office's JSON) reloads the
    /// units, keeping ids; an official change list (docs/data-sources.md) is applied as
    /// history. Needs `manage_rules` and every unit the file changes within the actor's
    /// units (`AdminScope`; the first one outside is named and the refusal recorded); all or
    /// nothing; recorded in the access log with the digest of every row it changed.
    func importUnitFile(_ url: URL, by actor: Official, at now: Date, document: String? = nil,
                               effective: String? = nil, dateBasis: String? = nil) throws -> UnitFileImport {
        let data: Data
        do { data = try Data(contentsOf: url) } catch { throw StoreError.unreadable(url.path, error) }
        let what = "units import \(url.lastPathComponent)"
        if UnitChangeList.looksLikeChangeList(data) {
            let me = try authorize(actor, .manageRules, unitId: actor.unitId, what: what, at: now)
            let lists = try UnitChangeList.parse(data, file: url.lastPathComponent, document: document, effective: effective,
                                                 dateBasis: dateBasis)
            return .changes(try importUnitChanges(lists, file: url.lastPathComponent, by: me, at: now))
        }
        let me = try authorize(actor, .manageRules, unitId: actor.unitId, what: what, at: now)
        let rows = try UnitFile.read(url)
        let depts = try BundledData.departments()
        return .units(try scoped(me, what: what, at: now) {
            try write { db in
                if let refusal = try UnitStore.scopeRefusal(db, rows: rows, departments: depts, me: me) { throw ScopeRefusal(reason: refusal) }
                let watch = try Facts.Watch(db, [Facts.unit, Facts.unitAlias])
                let s = try UnitStore.importUnits(db, rows: rows, departments: depts)
                try AccessLog.append(db, AccessDraft(at: now, actorId: me.id, login: me.login, action: .unitsImport,
                                                     target: url.lastPathComponent,
                                                     note: "added \(s.added), updated \(s.updated), departments \(s.departments)",
                                                     count: s.added + s.updated, facts: try watch.changes(db)))
                return s
            }
        })
    }

    /// Adds or replaces deadline rules, e.g. when a new law takes effect. Needs
    /// `manage_rules`; a national rule (the law's kinds, or no `issuer`) needs an admin at
    /// province level or above, a local one its issuer within the actor's units — for the
    /// rule replaced as well as the new one (`AdminScope.ruleRefusal`). A refusal names the
    /// first such rule and is recorded. Each rule is checked before anything is written;
    /// each one added or replaced is an access-log entry with the digests of its old and new
    /// text (and the row's fact), in the same transaction.
    func importRules(from url: URL, by actor: Official, at now: Date) throws -> Int {
        let what = "rules import \(url.lastPathComponent)"
        let me = try authorize(actor, .manageRules, unitId: actor.unitId, what: what, at: now)
        var rules = try RuleFile.read(url)
        // A local rule names a unit that exists; it is stored under the unit's current code.
        try read { db in
            for i in rules.indices {
                guard let code = rules[i].issuer else { continue }
                if DeadlineRule.isLawKind(rules[i].kind) {
                    throw StoreError.badData(file: url.path, line: 0, reason: Message("rules.bad.issuer_law", SafeText.clean(rules[i].id)))
                }
                guard let u = try UnitQueries.unit(db, code: code) else {
                    throw StoreError.badData(file: url.path, line: 0,
                                             reason: Message("rules.bad.issuer", SafeText.clean(rules[i].id), SafeText.clean(String(code.prefix(40)))))
                }
                rules[i].issuer = u.code
            }
        }
        try scoped(me, what: what, at: now) { try write { db in
            let enc = JSONEncoder()
            enc.outputFormatting = [.sortedKeys]
            // Every rule that changes, and the rule it replaces, within reach before anything is
            // written (a rule the file repeats unchanged is not a change).
            for r in rules {
                let before = try String.fetchOne(db, sql: "SELECT json FROM deadline_rule WHERE id = ?", arguments: [r.id])
                guard before != String(decoding: try enc.encode(r), as: UTF8.self) else { continue }
                var refusal = try AdminScope.ruleRefusal(db, me, r)
                if refusal == nil, let before {
                    if let old = try? JSONDecoder().decode(DeadlineRule.self, from: Data(before.utf8)) {
                        refusal = try AdminScope.ruleRefusal(db, me, old)
                    } else if try !AdminScope.isNational(db, me) {
                        refusal = Message("admin.scope.national_rule", me.login, r.id)  // unreadable: the national admin's
                    }
                }
                if let refusal { throw ScopeRefusal(reason: refusal) }
            }
            for r in rules {
                let before = try String.fetchOne(db, sql: "SELECT json FROM deadline_rule WHERE id = ?", arguments: [r.id])
                let after = String(decoding: try enc.encode(r), as: UTF8.self)
                guard before != after else { continue }
                try Setup.installRules(db, [r])
                try AccessLog.append(db, AccessDraft(
                    at: now, actorId: me.id, login: me.login, action: .rulesImport, target: r.id,
                    note: "\(url.lastPathComponent): \(before.map { SHA256.hex($0) } ?? "—") → \(SHA256.hex(after))", count: 1,
                    digest: SHA256.hex(after), facts: try Facts.enabled(db) ? [try Facts.current(db, Facts.rule, key: r.id)] : []))
            }
        } }
        return rules.count
    }
}
