import Foundation
import GRDB
import PaknCore

enum UnitStore {
    /// Inserts or updates units by code, keeping ids (cases refer to them), then makes sure
    /// every province and commune has the standard departments.
    static func importUnits(_ db: Database, rows: [UnitRow], departments: [String: [DepartmentEntry]]) throws -> UnitImportSummary {
        var added = 0, updated = 0, depts = 0
        var codeToId: [String: Int64] = [:]
        for r in try Row.fetchAll(db, sql: "SELECT id, code FROM unit") { codeToId[r["code"]] = r["id"] }
        let centre = try ensureCentre(db)
        for r in rows {
            let parentId: Int64
            if let pc = r.parentCode {
                guard let p = codeToId[pc] else {
                    throw StoreError.badData(file: "units", line: r.line, reason: Message("store.units.parent", pc))
                }
                parentId = p
            } else {
                parentId = centre
            }
            if let id = codeToId[r.code] {
                try db.execute(sql: "UPDATE unit SET name = ?, level = ?, division_type = ?, parent_id = ?, folded = ? WHERE id = ?",
                               arguments: [r.name, r.level.rawValue, r.divisionType, parentId, VietnameseFold.fold(r.name), id])
                updated += 1
            } else {
                try db.execute(sql: "INSERT INTO unit(code, name, level, division_type, parent_id, path, folded) VALUES (?, ?, ?, ?, ?, '', ?)",
                               arguments: [r.code, r.name, r.level.rawValue, r.divisionType, parentId, VietnameseFold.fold(r.name)])
                codeToId[r.code] = db.lastInsertedRowID
                added += 1
            }
        }
        for r in rows {
            guard let parentId = codeToId[r.code] else { continue }
            for d in departments[r.level.rawValue] ?? [] {
                let code = "\(r.code)-\(d.suffix)"
                if codeToId[code] != nil { continue }
                let name = d.name(under: r.divisionType)
                try db.execute(sql: "INSERT INTO unit(code, name, level, division_type, parent_id, path, folded) VALUES (?, ?, 'department', 'phòng ban', ?, '', ?)",
                               arguments: [code, name, parentId, VietnameseFold.fold(name + " " + r.name)])
                codeToId[code] = db.lastInsertedRowID
                depts += 1
            }
        }
        _ = try renameDepartments(db, departments: departments)
        try rebuildPaths(db)
        try refreshLabels(db)
        return UnitImportSummary(added: added, updated: updated, departments: depts)
    }

    /// Why `me` may not load `rows`, naming the first unit out of their reach, or nil. Only
    /// what the load would change counts: a new unit (its parent must be within their units),
    /// a unit whose name, level, type or parent differs (it and its new parent must be), a
    /// standard department missing under a row (that row must be). Rows identical to the
    /// stored units — the rest of the country in a national file — are not changes.
    static func scopeRefusal(_ db: Database, rows: [UnitRow], departments: [String: [DepartmentEntry]],
                             me: Official) throws -> Message? {
        struct Stored { var id: Int64; var name: String; var level: String; var type: String; var parent: Int64? }
        var stored: [String: Stored] = [:]
        for r in try Row.fetchAll(db, sql: "SELECT id, code, name, level, division_type, parent_id FROM unit") {
            stored[r["code"]] = Stored(id: r["id"], name: r["name"], level: r["level"], type: r["division_type"], parent: r["parent_id"])
        }
        let centre = stored["VN"]?.id
        var covered: [Int64: Bool] = [:]
        func covers(_ id: Int64) throws -> Bool {
            if let c = covered[id] { return c }
            let c = try AdminScope.covers(db, me, id)
            covered[id] = c
            return c
        }
        /// Codes of rows the file adds (their parents were found within reach).
        var added: Set<String> = []
        for r in rows {
            let label = "\(r.code) \(r.name)"
            // A parent the file itself adds was checked as its own row.
            let parentIsNew = r.parentCode.map(added.contains) ?? false
            let parent: Int64?
            let parentCovered: Bool
            if parentIsNew {
                parent = nil
                parentCovered = true
            } else if let pc = r.parentCode {
                guard let p = stored[pc]?.id else { continue }  // the load refuses it, naming the line
                parent = p
                parentCovered = try covers(p)
            } else {
                parent = centre
                parentCovered = try centre.map(covers) ?? false
            }
            if let s = stored[r.code] {
                let changed = parentIsNew || s.name != r.name || s.level != r.level.rawValue || s.type != r.divisionType
                    || s.parent != parent
                guard changed else { continue }
                if try !covers(s.id) || !parentCovered { return Message("admin.scope.unit", me.login, label) }
            } else {
                if !parentCovered { return Message("admin.scope.unit", me.login, label) }
                added.insert(r.code)
            }
        }
        for r in rows where !added.contains(r.code) {
            guard let s = stored[r.code] else { continue }
            for d in departments[r.level.rawValue] ?? [] where stored["\(r.code)-\(d.suffix)"] == nil {
                if try !covers(s.id) { return Message("admin.scope.unit", me.login, "\(r.code)-\(d.suffix) (\(r.code) \(r.name))") }
            }
        }
        return nil
    }

    /// Gives every standard department (`<parent code>-<suffix>`) the name its parent's
    /// division type calls for (a ward's "Phòng Kinh tế, Hạ tầng và Đô thị", a commune's
    /// "Phòng Kinh tế", a centrally run city's "Thanh tra Thành phố") and refreshes its
    /// search text. Returns how many were renamed.
    @discardableResult
    static func renameDepartments(_ db: Database, departments: [String: [DepartmentEntry]]) throws -> Int {
        var changed = 0
        let rows = try Row.fetchAll(db, sql: """
            SELECT d.id, d.code, d.name, d.folded, p.code AS pcode, p.name AS pname, p.level AS plevel, p.division_type AS ptype
            FROM unit d JOIN unit p ON p.id = d.parent_id WHERE d.level = 'department'
            """)
        for r in rows {
            let code: String = r["code"], pcode: String = r["pcode"]
            guard code.hasPrefix(pcode + "-") else { continue }
            let suffix = String(code.dropFirst(pcode.count + 1))
            guard let entry = (departments[r["plevel"] as String] ?? []).first(where: { $0.suffix == suffix }) else { continue }
            let name = entry.name(under: r["ptype"])
            let folded = VietnameseFold.fold(name + " " + (r["pname"] as String))
            if name != r["name"] as String || folded != r["folded"] as String {
                try db.execute(sql: "UPDATE unit SET name = ?, folded = ? WHERE id = ?", arguments: [name, folded, r["id"] as Int64])
                if name != r["name"] as String { changed += 1 }
            }
        }
        return changed
    }

    /// Rebuilds `unit.label` (the name shown where units of different wards meet) with
    /// `UnitNaming.qualified`, the one function that builds it.
    static func refreshLabels(_ db: Database) throws {
        let rows = try Row.fetchAll(db, sql: """
            SELECT u.id, u.name, u.level, u.label, p.name AS pname FROM unit u LEFT JOIN unit p ON p.id = u.parent_id
            """)
        let update = try db.makeStatement(sql: "UPDATE unit SET label = ? WHERE id = ?")
        for r in rows {
            let level = UnitLevel(rawValue: r["level"]) ?? .department
            let label = UnitNaming.qualified(name: r["name"], level: level, parentName: r["pname"])
            if label != (r["label"] as String?) { try update.execute(arguments: [label, r["id"] as Int64]) }
        }
    }

    static func ensureCentre(_ db: Database) throws -> Int64 {
        if let id = try Int64.fetchOne(db, sql: "SELECT id FROM unit WHERE code = 'VN'") { return id }
        try db.execute(sql: "INSERT INTO unit(code, name, level, division_type, parent_id, path, folded) VALUES ('VN', 'Trung ương', 'centre', 'trung ương', NULL, '', 'trung uong')")
        return db.lastInsertedRowID
    }

    /// Materialised paths (`/1/5/77/`) make "this unit and everything under it" one range scan.
    static func rebuildPaths(_ db: Database) throws {
        try db.execute(sql: """
            WITH RECURSIVE tree(id, path) AS (
              SELECT id, '/' || id || '/' FROM unit WHERE parent_id IS NULL
              UNION ALL
              SELECT u.id, tree.path || u.id || '/' FROM unit u JOIN tree ON u.parent_id = tree.id)
            UPDATE unit SET path = (SELECT path FROM tree WHERE tree.id = unit.id)
            """)
        try db.execute(sql: """
            UPDATE unit SET province_id = (SELECT p.id FROM unit p WHERE p.level = 'province'
                                           AND unit.path LIKE p.path || '%')
            """)
    }

    static func importAliases(_ db: Database, url: URL) throws -> Int {
        guard let text = try? String(contentsOf: url, encoding: .utf8) else { return 0 }
        return try importAliases(db, text: text, name: url.lastPathComponent)
    }

    /// The same from the file's text (the shipped one, built into the binary).
    static func importAliases(_ db: Database, text: String, name: String) throws -> Int {
        var n = 0
        for (i, line) in text.split(separator: "\n").enumerated().dropFirst() {
            let f = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            guard f.count >= 2 else { continue }
            guard let id = try Int64.fetchOne(db, sql: "SELECT id FROM unit WHERE code = ?", arguments: [f[1]]) else {
                throw StoreError.badData(file: name, line: i + 1, reason: Message("store.units.alias", SafeText.clean(f[1])))
            }
            try db.execute(sql: "INSERT OR REPLACE INTO unit_alias(old_code, unit_id, note, kind) VALUES (?, ?, ?, 'province')",
                           arguments: [f[0], id, f.count > 2 ? f[2] : nil])
            n += 1
        }
        return n
    }
}
