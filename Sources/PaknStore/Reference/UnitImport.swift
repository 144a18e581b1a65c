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
}

/// Reads the units of the administrative divisions, from the shipped TSV or from the
/// statistics office's JSON (provinces with their `wards`).
public enum UnitFile {
    public static func read(_ url: URL) throws -> [UnitRow] {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw StoreError.unreadableFile(path: url.path, reason: error.localizedDescription)
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw StoreError.unreadableFile(path: url.path, reason: "not UTF-8")
        }
        let trimmed = text.drop { $0 == "\u{FEFF}" || $0.isWhitespace }
        if trimmed.first == "[" { return try readJSON(data, name: url.lastPathComponent) }
        return try readTSV(text, name: url.lastPathComponent)
    }

    static func readTSV(_ text: String, name: String) throws -> [UnitRow] {
        var rows: [UnitRow] = []
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard let header = lines.first?.split(separator: "\t").map({ $0.trimmingCharacters(in: .whitespacesAndNewlines) }) else { return [] }
        func col(_ n: String) throws -> Int {
            guard let i = header.firstIndex(of: n) else {
                throw StoreError.badData(file: name, line: 1, reason: "missing column \(n)")
            }
            return i
        }
        let ci = try col("code"), ni = try col("name"), li = try col("level"), di = try col("division_type"), pi = try col("parent_code")
        for (i, line) in lines.enumerated().dropFirst() {
            let l = line.trimmingCharacters(in: CharacterSet(charactersIn: "\r"))
            if l.isEmpty { continue }
            let f = l.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            guard f.count > max(ci, ni, li, di, pi) else {
                throw StoreError.badData(file: name, line: i + 1, reason: "expected \(header.count) columns, got \(f.count)")
            }
            guard let level = UnitLevel(rawValue: f[li]) else {
                throw StoreError.badData(file: name, line: i + 1, reason: "unknown level \(f[li])")
            }
            guard !f[ci].isEmpty, !f[ni].isEmpty else {
                throw StoreError.badData(file: name, line: i + 1, reason: "empty code or name")
            }
            rows.append(UnitRow(code: f[ci], name: f[ni].precomposedStringWithCanonicalMapping, level: level,
                                divisionType: f[di], parentCode: f[pi].isEmpty ? nil : f[pi]))
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
            throw StoreError.badData(file: name, line: 0, reason: "\(error)")
        }
        var rows: [UnitRow] = []
        for p in provinces {
            let pc = String(format: "%02d", p.code)
            rows.append(UnitRow(code: pc, name: p.name.precomposedStringWithCanonicalMapping, level: .province,
                                divisionType: p.division_type, parentCode: nil))
            for w in p.wards {
                rows.append(UnitRow(code: String(format: "%05d", w.code), name: w.name.precomposedStringWithCanonicalMapping,
                                    level: .commune, divisionType: w.division_type, parentCode: pc))
            }
        }
        return rows
    }
}

public struct UnitImportSummary: Equatable, Sendable {
    public var added: Int
    public var updated: Int
    public var departments: Int
}

enum UnitStore {
    /// Inserts or updates units by code, keeping ids (cases refer to them), then makes sure
    /// every province and commune has the standard departments.
    static func importUnits(_ db: Database, rows: [UnitRow], departments: [String: [BundledData.DepartmentEntry]]) throws -> UnitImportSummary {
        var added = 0, updated = 0, depts = 0
        var codeToId: [String: Int64] = [:]
        for r in try Row.fetchAll(db, sql: "SELECT id, code FROM unit") { codeToId[r["code"]] = r["id"] }
        let centre = try ensureCentre(db)
        for (i, r) in rows.enumerated() {
            let parentId: Int64
            if let pc = r.parentCode {
                guard let p = codeToId[pc] else {
                    throw StoreError.badData(file: "units", line: i + 2, reason: "unknown parent code \(pc)")
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
                try db.execute(sql: "INSERT INTO unit(code, name, level, division_type, parent_id, path, folded) VALUES (?, ?, 'department', 'phòng ban', ?, '', ?)",
                               arguments: [code, d.name, parentId, VietnameseFold.fold(d.name + " " + r.name)])
                codeToId[code] = db.lastInsertedRowID
                depts += 1
            }
        }
        try rebuildPaths(db)
        return UnitImportSummary(added: added, updated: updated, departments: depts)
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
        var n = 0
        for (i, line) in text.split(separator: "\n").enumerated().dropFirst() {
            let f = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            guard f.count >= 2 else { continue }
            guard let id = try Int64.fetchOne(db, sql: "SELECT id FROM unit WHERE code = ?", arguments: [f[1]]) else {
                throw StoreError.badData(file: url.lastPathComponent, line: i + 1, reason: "unknown new code \(f[1])")
            }
            try db.execute(sql: "INSERT OR REPLACE INTO unit_alias(old_code, unit_id, note) VALUES (?, ?, ?)",
                           arguments: [f[0], id, f.count > 2 ? f[2] : nil])
            n += 1
        }
        return n
    }
}
