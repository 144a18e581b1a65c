import Foundation
import GRDB
import PaknCore

/// One row of a units file: a province or a commune, by statistics office code.
public struct UnitRow: Equatable, Sendable {
    public var code: String
    public var name: String
    public var level: UnitLevel
    public var divisionType: String
    public var parentCode: String?
    /// Where the row is in its file (0 for JSON), for error messages.
    public var line: Int = 0
}

/// Reads the units of the administrative divisions, from the shipped TSV or from the
/// statistics office's JSON (provinces with their `wards`).
public enum UnitFile {
    public static func read(_ url: URL) throws -> [UnitRow] {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw StoreError.unreadable(url.path, error)
        }
        return try read(data: data, name: url.lastPathComponent, path: url.path)
    }

    /// The same from bytes already read (the shipped file, built into the binary).
    static func read(data: Data, name: String, path: String) throws -> [UnitRow] {
        guard let text = String(data: data, encoding: .utf8) else {
            throw StoreError.unreadableFile(path: path, reason: "store.units.not_utf8")
        }
        let trimmed = text.drop { $0 == "\u{FEFF}" || $0.isWhitespace }
        if trimmed.first == "[" { return try readJSON(data, name: name) }
        return try readTSV(text, name: name)
    }

    static func readTSV(_ text: String, name: String) throws -> [UnitRow] {
        var rows: [UnitRow] = []
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard let header = lines.first?.split(separator: "\t").map({ $0.trimmingCharacters(in: .whitespacesAndNewlines) }) else { return [] }
        func col(_ n: String) throws -> Int {
            guard let i = header.firstIndex(of: n) else {
                throw StoreError.badData(file: name, line: 1, reason: Message("store.units.missing_column", n))
            }
            return i
        }
        let ci = try col("code"), ni = try col("name"), li = try col("level"), di = try col("division_type"), pi = try col("parent_code")
        for (i, line) in lines.enumerated().dropFirst() {
            let l = line.trimmingCharacters(in: CharacterSet(charactersIn: "\r"))
            if l.isEmpty { continue }
            let f = l.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            guard f.count > max(ci, ni, li, di, pi) else {
                throw StoreError.badData(file: name, line: i + 1, reason: Message("store.units.columns", header.count, f.count))
            }
            guard let level = UnitLevel(rawValue: f[li]) else {
                throw StoreError.badData(file: name, line: i + 1, reason: Message("store.units.level", SafeText.clean(String(f[li].prefix(40)))))
            }
            rows.append(try checked(code: f[ci], name: f[ni], level: level, divisionType: f[di],
                                    parentCode: f[pi].isEmpty ? nil : f[pi], file: name, line: i + 1))
        }
        return rows
    }

    struct JSONProvince: Decodable {
        var name: String
        var code: Int
        var division_type: String
        var wards: [JSONWard]
    }

    struct JSONWard: Decodable {
        var name: String
        var code: Int
        var division_type: String
    }

    static func readJSON(_ data: Data, name: String) throws -> [UnitRow] {
        let provinces: [JSONProvince]
        do { provinces = try JSONDecoder().decode([JSONProvince].self, from: data) } catch {
            throw StoreError.badData(file: name, line: 0, reason: Message("store.units.json", SafeText.clean(String("\(error)".prefix(300)))))
        }
        var rows: [UnitRow] = []
        for p in provinces {
            guard (0...99).contains(p.code) else {
                throw StoreError.badData(file: name, line: 0, reason: Message("store.units.code", String(p.code)))
            }
            let pc = String(format: "%02d", p.code)
            rows.append(try checked(code: pc, name: p.name, level: .province, divisionType: p.division_type,
                                    parentCode: nil, file: name, line: 0))
            for w in p.wards {
                guard (0...99_999).contains(w.code) else {
                    throw StoreError.badData(file: name, line: 0, reason: Message("store.units.code", String(w.code)))
                }
                rows.append(try checked(code: String(format: "%05d", w.code), name: w.name, level: .commune,
                                        divisionType: w.division_type, parentCode: pc, file: name, line: 0))
            }
        }
        return rows
    }

    /// A unit as it will be stored: a code of ASCII letters, digits and '-' (at most 16), a
    /// name and division type cleaned like citizen text (NFC, no controls, no bidi
    /// overrides) and not empty, at most `CitizenText.maxLineFieldLength` characters. A
    /// row that cannot be made so is refused with its line: a units file is trusted data
    /// that ends up on every official's screen.
    static func checked(code: String, name: String, level: UnitLevel, divisionType: String, parentCode: String?,
                        file: String, line: Int) throws -> UnitRow {
        func validCode(_ c: String) -> Bool {
            (1...16).contains(c.unicodeScalars.count)
                && c.unicodeScalars.allSatisfy { $0.isASCII && (CharacterSet.alphanumerics.contains($0) || $0 == "-") }
        }
        let code = code.trimmingCharacters(in: .whitespaces)
        guard validCode(code) else {
            throw StoreError.badData(file: file, line: line, reason: Message("store.units.code", SafeText.clean(String(code.prefix(40)))))
        }
        let parent = parentCode?.trimmingCharacters(in: .whitespaces)
        if let parent, !validCode(parent) {
            throw StoreError.badData(file: file, line: line, reason: Message("store.units.code", SafeText.clean(String(parent.prefix(40)))))
        }
        guard level == .province || level == .commune else {
            throw StoreError.badData(file: file, line: line, reason: Message("store.units.level", level.rawValue))
        }
        let cleanName = CitizenText.clean(name, multiline: false)
        let cleanType = CitizenText.clean(divisionType, multiline: false)
        guard !cleanName.isEmpty else { throw StoreError.badData(file: file, line: line, reason: Message("store.units.empty_name")) }
        for (field, v) in [("name", cleanName), ("division_type", cleanType)] where v.count > CitizenText.maxLineFieldLength {
            throw StoreError.badData(file: file, line: line, reason: Message("store.units.too_long", field, CitizenText.maxLineFieldLength))
        }
        return UnitRow(code: code, name: cleanName, level: level, divisionType: cleanType, parentCode: parent, line: line)
    }
}

enum UnitStore {
    /// Inserts or updates units by code, keeping ids (cases refer to them), then makes sure
    /// every province and commune has the standard departments.
    static func importUnits(_ db: Database, rows: [UnitRow], departments: [String: [BundledData.DepartmentEntry]]) throws -> UnitImportSummary {
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
    static func scopeRefusal(_ db: Database, rows: [UnitRow], departments: [String: [BundledData.DepartmentEntry]],
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
    static func renameDepartments(_ db: Database, departments: [String: [BundledData.DepartmentEntry]]) throws -> Int {
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
