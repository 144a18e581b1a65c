import Foundation
import GRDB
import PaknCore

enum UnitChanges {
    /// Checks and applies change lists in the caller's transaction; throws (and the caller
    /// rolls back) naming every bad row of the first list that has any.
    ///
    /// `allow`, when given, is asked about every unit a list would change (after the list's
    /// rows are found good, before anything of it is written) and throws to refuse it.
    static func apply(_ db: Database, _ lists: [UnitChangeList], file: String,
                      departments: [String: [BundledData.DepartmentEntry]], at now: Date,
                      allow: ((OrgUnit) throws -> Void)? = nil) throws -> UnitChangeSummary {
        var summary = UnitChangeSummary()
        for list in lists {
            let s = try apply(db, list, file: file, at: now, allow: allow)
            summary.codes += s.codes; summary.types += s.types; summary.provinceTypes += s.provinceTypes
            summary.alreadyInForce += s.alreadyInForce
        }
        summary.departmentsRenamed = try UnitStore.renameDepartments(db, departments: departments)
        try UnitStore.refreshLabels(db)
        return summary
    }

    /// The units as the database holds them, for `UnitChangeList.check`.
    struct DatabaseChangeUnits: UnitChangeUnits {
        let db: Database
        func unit(code: String) throws -> OrgUnit? {
            try Row.fetchOne(db, sql: "SELECT \(UnitQueries.columns) FROM unit WHERE code = ?", arguments: [code]).map(UnitQueries.unit(from:))
        }
        func aliased(code: String) throws -> OrgUnit? { try UnitQueries.aliased(db, code: code) }
        func historyHas(old: String, new: String) throws -> Bool { try UnitChanges.historyHas(db, old: old, new: new) }
    }

    fileprivate static func historyHas(_ db: Database, old: String, new: String) throws -> Bool {
        try Bool.fetchOne(db, sql: "SELECT 1 FROM unit_code_history WHERE old_code = ? AND new_code = ?", arguments: [old, new]) != nil
    }

    private static func apply(_ db: Database, _ list: UnitChangeList, file: String, at now: Date,
                              allow: ((OrgUnit) throws -> Void)?) throws -> UnitChangeSummary {
        let step = try list.check(file: file, units: DatabaseChangeUnits(db: db))
        if let allow {
            for u in step.units { try allow(u) }
        }
        let (moves, retypes, provinces) = (step.moves, step.retypes, step.provinces)
        var summary = UnitChangeSummary()
        summary.alreadyInForce = step.alreadyInForce

        let recorded = CaseRow.secs(now)
        func history(_ u: OrgUnit, oldCode: String?, newCode: String?, oldName: String?, newName: String?,
                     oldType: String?, newType: String?) throws {
            try db.execute(sql: """
                INSERT INTO unit_code_history(unit_id, old_code, new_code, old_name, new_name, old_type, new_type,
                                              effective_on, date_basis, document, recorded_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [u.id, oldCode, newCode, oldName, newName, oldType, newType, list.effective.description,
                                 list.dateBasis.rawValue, list.document, recorded])
        }
        let home = try AppDatabase.setting(db, "home_unit")
        try recode(db, moves.map { ($0.unit.id, $0.unit.code, $0.new) })
        for m in moves {
            try db.execute(sql: "INSERT OR REPLACE INTO unit_alias(old_code, unit_id, note, kind) VALUES (?, ?, ?, 'change')",
                           arguments: [m.unit.code, m.unit.id, list.document])
            try history(m.unit, oldCode: m.unit.code, newCode: m.new, oldName: nil, newName: nil, oldType: nil, newType: nil)
            if home == m.unit.code { try AppDatabase.setSetting(db, "home_unit", m.new) }
        }
        for r in retypes + provinces {
            try db.execute(sql: "UPDATE unit SET name = ?, division_type = ?, folded = ? WHERE id = ?",
                           arguments: [r.name, r.type, VietnameseFold.fold(r.name), r.unit.id])
            try history(r.unit, oldCode: nil, newCode: nil, oldName: r.unit.name, newName: r.name, oldType: r.unit.divisionType, newType: r.type)
        }
        summary.codes = moves.count
        summary.types = retypes.count
        summary.provinceTypes = provinces.count
        return summary
    }

    /// Gives units new codes, with their departments (`<code>-<suffix>`), through
    /// temporary codes so a swap or a chain (A→B while B→C) never meets UNIQUE(code).
    static func recode(_ db: Database, _ moves: [(id: Int64, old: String, new: String)]) throws {
        for m in moves {
            let tmp = "~\(m.id)"
            try db.execute(sql: "UPDATE unit SET code = ? WHERE id = ?", arguments: [tmp, m.id])
            try db.execute(sql: """
                UPDATE unit SET code = ? || substr(code, ?) WHERE parent_id = ? AND level = 'department' AND substr(code, 1, ?) = ?
                """, arguments: [tmp, m.old.count + 1, m.id, m.old.count + 1, m.old + "-"])
        }
        for m in moves {
            let tmp = "~\(m.id)"
            try db.execute(sql: "UPDATE unit SET code = ? WHERE id = ?", arguments: [m.new, m.id])
            try db.execute(sql: """
                UPDATE unit SET code = ? || substr(code, ?) WHERE parent_id = ? AND substr(code, 1, ?) = ?
                """, arguments: [m.new, tmp.count + 1, m.id, tmp.count + 1, tmp + "-"])
        }
    }

    /// Records the shipped changes since 1 July 2025 (already in the shipped units file) as
    /// history, and their old codes as aliases, for the units that carry the new codes.
    static func installShippedHistory(_ db: Database, at now: Date) throws {
        let lists = try UnitChangeList.parse(try BundledData.data("units/changes-since-2025-07-01.json"),
                                             file: "changes-since-2025-07-01.json")
        let recorded = CaseRow.secs(now)
        for list in lists {
            func history(_ u: OrgUnit, _ oc: String?, _ nc: String?, _ on: String?, _ nn: String?, _ ot: String?, _ nt: String?) throws {
                try db.execute(sql: """
                    INSERT INTO unit_code_history(unit_id, old_code, new_code, old_name, new_name, old_type, new_type,
                                                  effective_on, date_basis, document, recorded_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """, arguments: [u.id, oc, nc, on, nn, ot, nt, list.effective.description, list.dateBasis.rawValue,
                                     list.document, recorded])
            }
            for c in list.codeChanges {
                guard let u = try UnitQueries.unit(db, code: c.new), u.code == c.new else { continue }
                if try historyHas(db, old: c.old, new: c.new) { continue }
                try db.execute(sql: "INSERT OR REPLACE INTO unit_alias(old_code, unit_id, note, kind) VALUES (?, ?, ?, 'change')",
                               arguments: [c.old, u.id, list.document])
                try history(u, c.old, c.new, nil, nil, nil, nil)
            }
            for t in list.typeChanges {
                guard let u = try UnitQueries.unit(db, code: t.code), u.code == t.code else { continue }
                let oldType = t.was.flatMap(UnitNames.communeType(of:))
                try history(u, nil, nil, t.was, t.now, oldType, UnitNames.communeType(of: t.now))
            }
            for p in list.provinceTypeChanges {
                guard let u = try UnitQueries.unit(db, code: p.code), u.code == p.code else { continue }
                let old = p.now == "thành phố" ? "tỉnh" : "thành phố"
                try history(u, nil, nil, UnitNames.provinceName(u.name, as: old), u.name, old, p.now)
            }
        }
    }

    /// The codes of the older, wrong vn-divisions-2025.json, kept as aliases of the units
    /// they were meant for (an old CSV or export lands right). A current code wins over
    /// them in every lookup.
    static func installCorrectionAliases(_ db: Database) throws {
        let text = String(decoding: try BundledData.data("units/corrections-2025.tsv"), as: UTF8.self)
        for line in text.split(separator: "\n").dropFirst() {
            let f = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            guard f.count >= 2, let id = try Int64.fetchOne(db, sql: "SELECT id FROM unit WHERE code = ?", arguments: [f[1]]) else { continue }
            try db.execute(sql: "INSERT OR IGNORE INTO unit_alias(old_code, unit_id, note, kind) VALUES (?, ?, ?, 'correction')",
                           arguments: [f[0], id, "vn-divisions-2025.json → \(f[1])"])
        }
    }

    /// old 2025-file code → official code.
    static func corrections() throws -> [String: String] {
        let text = String(decoding: try BundledData.data("units/corrections-2025.tsv"), as: UTF8.self)
        var out: [String: String] = [:]
        for line in text.split(separator: "\n").dropFirst() {
            let f = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            if f.count >= 2 { out[f[0]] = f[1] }
        }
        return out
    }
}

extension AppDatabase {
    /// Loads official change lists (`pakn units import` with a change list): needs
    /// `manage_rules` and every unit a list changes, and the unit above it, within the
    /// actor's units (rows already in force are not changes); all or nothing; recorded in
    /// the access log, with the digest of every row changed, in the same transaction.
    func importUnitChanges(_ lists: [UnitChangeList], file: String, by actor: Official, at now: Date) throws -> UnitChangeSummary {
        let what = "units import \(file)"
        let me = try authorize(actor, .manageRules, unitId: actor.unitId, what: what, at: now)
        let depts = try BundledData.departments()
        return try scoped(me, what: what, at: now) {
            try write { db in
                let watch = try Facts.Watch(db, [Facts.unit, Facts.unitAlias, Facts.setting])
                let s = try UnitChanges.apply(db, lists, file: file, departments: depts, at: now) { u in
                    if let refusal = try AdminScope.unitRefusal(db, me, unit: u.id, parent: u.parentId, label: AdminScope.label(u)) {
                        throw ScopeRefusal(reason: refusal)
                    }
                }
                let docs = lists.map { "\($0.document) (\($0.dateBasis.rawValue) \($0.effective))" }.joined(separator: "; ")
                try AccessLog.append(db, AccessDraft(at: now, actorId: me.id, login: me.login, action: .unitsChange, target: file,
                                                     note: "\(docs): codes \(s.codes), types \(s.types), provinces \(s.provinceTypes), already \(s.alreadyInForce)",
                                                     count: s.applied, facts: try watch.changes(db)))
                return s
            }
        }
    }

    /// A unit's recorded changes (by any of its codes, old or current), oldest first.
    func unitHistory(code: String) throws -> [UnitHistoryEntry] {
        try read { db in
            guard let u = try UnitQueries.unit(db, code: code) else { throw StoreError.unknownUnit(code) }
            return try Row.fetchAll(db, sql: """
                SELECT * FROM unit_code_history WHERE unit_id = ? ORDER BY effective_on, id
                """, arguments: [u.id]).map { r in
                UnitHistoryEntry(unitCode: u.code, unitLabel: u.label, oldCode: r["old_code"], newCode: r["new_code"],
                                 oldName: r["old_name"], newName: r["new_name"], oldType: r["old_type"], newType: r["new_type"],
                                 effective: r["effective_on"], dateBasis: r["date_basis"], document: r["document"])
            }
        }
    }

    /// The old codes that lead to a unit (`unit_alias`), with their kind.
    func unitAliases(code: String) throws -> [(code: String, kind: String?)] {
        try read { db in
            guard let u = try UnitQueries.unit(db, code: code) else { throw StoreError.unknownUnit(code) }
            return try Row.fetchAll(db, sql: "SELECT old_code, kind FROM unit_alias WHERE unit_id = ? AND old_code <> ? ORDER BY old_code",
                                    arguments: [u.id, u.code]).map { ($0["old_code"], $0["kind"]) }
        }
    }
}
