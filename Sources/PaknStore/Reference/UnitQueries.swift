import Foundation
import GRDB
import PaknCore

package enum UnitQueries {
    package static func unit(from r: Row) -> OrgUnit {
        let label: String? = r["label"]
        return OrgUnit(id: r["id"], code: r["code"], name: r["name"], level: UnitLevel(rawValue: r["level"]) ?? .department,
                       divisionType: r["division_type"], parentId: r["parent_id"], remote: r["remote"],
                       label: label.flatMap { $0.isEmpty ? nil : $0 })
    }

    package static let columns = "id, code, name, level, division_type, parent_id, remote, label"

    /// By code, or by an old code that maps to a new one (`unit_alias`: old province
    /// codes, codes changed by a decision, codes of the corrected 2025 file). A current
    /// code wins over an alias. A department's derived code (`00073-KT`) follows its
    /// parent's alias (`00082-KT`).
    package static func unit(_ db: Database, code: String) throws -> OrgUnit? {
        if let r = try Row.fetchOne(db.cachedStatement(sql: "SELECT \(columns) FROM unit WHERE code = ?"), arguments: [code]) {
            return unit(from: r)
        }
        return try aliased(db, code: code)
    }

    /// The unit an old code now names, if it is an alias (or a department under one).
    static func aliased(_ db: Database, code: String) throws -> OrgUnit? {
        let alias = "SELECT \(columns) FROM unit WHERE id = (SELECT unit_id FROM unit_alias WHERE old_code = ?)"
        if let r = try Row.fetchOne(db.cachedStatement(sql: alias), arguments: [code]) { return unit(from: r) }
        if let dash = code.firstIndex(of: "-"), dash != code.startIndex {
            let parentCode = String(code[..<dash]), suffix = String(code[code.index(after: dash)...])
            if !suffix.isEmpty, let parent = try Row.fetchOne(db.cachedStatement(sql: alias), arguments: [parentCode]).map(unit(from:)),
               let r = try Row.fetchOne(db.cachedStatement(sql: "SELECT \(columns) FROM unit WHERE code = ?"),
                                        arguments: ["\(parent.code)-\(suffix)"]) {
                return unit(from: r)
            }
        }
        return nil
    }

    /// By current code only: an old code is refused with the unit it became
    /// ("00073 is no longer a unit code: it is now 00082 Phường Cửa Nam"), an unknown
    /// one as unknown. For acts that define something by code (a change list).
    static func current(_ db: Database, code: String) throws -> OrgUnit {
        if let r = try Row.fetchOne(db.cachedStatement(sql: "SELECT \(columns) FROM unit WHERE code = ?"), arguments: [code]) {
            return unit(from: r)
        }
        if let now = try aliased(db, code: code) { throw Message("units.superseded", code, now.code, now.label) }
        throw StoreError.unknownUnit(code)
    }

    static func hasChildren(_ db: Database, _ id: Int64) throws -> Bool {
        try Bool.fetchOne(db.cachedStatement(sql: "SELECT 1 FROM unit WHERE parent_id = ? LIMIT 1"), arguments: [id]) != nil
    }

    static func unit(_ db: Database, id: Int64) throws -> OrgUnit? {
        let stmt = try db.cachedStatement(sql: "SELECT \(columns) FROM unit WHERE id = ?")
        return try Row.fetchOne(stmt, arguments: [id]).map(unit(from:))
    }

    static func path(_ db: Database, id: Int64) throws -> String? {
        let stmt = try db.cachedStatement(sql: "SELECT path FROM unit WHERE id = ?")
        return try String.fetchOne(stmt, arguments: [id])
    }

    /// The unit and everything under it.
    static func subtreeIds(_ db: Database, of id: Int64) throws -> [Int64] {
        guard let p = try path(db, id: id) else { return [] }
        return try Int64.fetchAll(db, sql: "SELECT id FROM unit WHERE path >= ? AND path < ?", arguments: [p, p + "\u{FFFF}"])
    }

    static func isWithin(_ db: Database, unit: Int64, ancestor: Int64) throws -> Bool {
        guard let p = try path(db, id: unit) else { return false }
        return p.contains("/\(ancestor)/")
    }

    /// The province a unit belongs to (itself when it is one).
    static func province(_ db: Database, of id: Int64) throws -> OrgUnit? {
        guard let pid = try provinceId(db, of: id) else { return nil }
        return try unit(db, id: pid)
    }

    static func provinceId(_ db: Database, of id: Int64) throws -> Int64? {
        let stmt = try db.cachedStatement(sql: "SELECT province_id FROM unit WHERE id = ?")
        return try Int64?.fetchOne(stmt, arguments: [id]) ?? nil
    }

    /// The commune a unit belongs to (itself when it is one).
    static func commune(_ db: Database, of id: Int64) throws -> OrgUnit? {
        guard let p = try path(db, id: id) else { return nil }
        for i in p.split(separator: "/").compactMap({ Int64($0) }) {
            if let u = try unit(db, id: i), u.level == .commune { return u }
        }
        return nil
    }

    static func department(_ db: Database, parent: OrgUnit, suffix: String) throws -> OrgUnit? {
        try unit(db, code: "\(parent.code)-\(suffix)")
    }

    /// A short case-code prefix from a province name: "Thành phố Hà Nội" → "HN".
    static func prefix(for unit: OrgUnit, _ db: Database) -> String {
        let province = (try? Self.province(db, of: unit.id)) ?? nil
        let name = province?.name ?? unit.name
        var words = VietnameseFold.words(name)
        for lead in [["thanh", "pho"], ["tinh"]] where Array(words.prefix(lead.count)) == lead {
            words.removeFirst(lead.count)
        }
        let letters = words.compactMap(\.first).map { String($0).uppercased() }.joined()
        return letters.isEmpty ? "VN" : String(letters.prefix(3))
    }

    static func search(_ db: Database, text: String, within ancestor: Int64?, levels: [UnitLevel]?, limit: Int) throws -> [OrgUnit] {
        var sql = "SELECT \(columns) FROM unit WHERE 1"
        var args: [DatabaseValueConvertible?] = []
        for w in VietnameseFold.words(text) {
            sql += " AND (folded LIKE ? ESCAPE '\\' OR code LIKE ? ESCAPE '\\')"
            let pat = "%" + likeEscape(w) + "%"
            args += [pat, pat]
        }
        if let ancestor, let p = try path(db, id: ancestor) {
            sql += " AND path >= ? AND path < ?"
            args += [p, p + "\u{FFFF}"]
        }
        if let levels, !levels.isEmpty {
            sql += " AND level IN (\(levels.map { _ in "?" }.joined(separator: ",")))"
            args += levels.map(\.rawValue)
        }
        sql += " ORDER BY length(path), name LIMIT ?"
        args.append(limit)
        return try Row.fetchAll(db, sql: sql, arguments: StatementArguments(args)).map(unit(from:))
    }

    static func likeEscape(_ s: String) -> String {
        s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%")
            .replacingOccurrences(of: "_", with: "\\_")
    }
}

extension AppDatabase {
    func unit(code: String) throws -> OrgUnit? { try read { try UnitQueries.unit($0, code: code) } }
    func unit(id: Int64) throws -> OrgUnit? { try read { try UnitQueries.unit($0, id: id) } }
    func units(matching text: String, within ancestor: Int64? = nil, levels: [UnitLevel]? = nil,
                      limit: Int = 50) throws -> [OrgUnit] {
        try read { try UnitQueries.search($0, text: text, within: ancestor, levels: levels, limit: limit) }
    }
    /// Whether `unit` is `ancestor` or lies under it.
    func isWithin(unit: Int64, ancestor: Int64) throws -> Bool {
        try read { try UnitQueries.isWithin($0, unit: unit, ancestor: ancestor) }
    }

    func children(of id: Int64) throws -> [OrgUnit] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT \(UnitQueries.columns) FROM unit WHERE parent_id = ? ORDER BY level, name",
                             arguments: [id]).map(UnitQueries.unit(from:))
        }
    }
    func unitCount() throws -> [UnitLevel: Int] {
        try read { db in
            var out: [UnitLevel: Int] = [:]
            for r in try Row.fetchAll(db, sql: "SELECT level, count(*) AS n FROM unit GROUP BY level") {
                if let l = UnitLevel(rawValue: r["level"]) { out[l] = r["n"] }
            }
            return out
        }
    }
}
