import Foundation
import GRDB
import PaknCore

package enum OfficialStore {
    package static let columns = "id, login, full_name, unit_id, role, active"

    package static func official(from r: Row) -> Official {
        Official(id: r["id"], login: r["login"], fullName: r["full_name"], unitId: r["unit_id"],
                 role: Role(rawValue: r["role"]) ?? .viewer, active: r["active"])
    }

    @discardableResult
    package static func insert(_ db: Database, login: String, fullName: String, unitId: Int64, role: Role) throws -> Official {
        let login = login.trimmingCharacters(in: .whitespaces)
        guard !login.isEmpty, login.allSatisfy({ $0.isLetter || $0.isNumber || "._-".contains($0) }) else {
            throw StoreError.invalidValue(field: "login", value: login)
        }
        let name = CitizenText.clean(fullName, multiline: false)
        guard !name.isEmpty else { throw StoreError.missingField("full name") }
        if try Int.fetchOne(db, sql: "SELECT 1 FROM official WHERE login = ?", arguments: [login]) != nil {
            throw StoreError.invalidValue(field: "login", value: login + " (exists)")
        }
        try db.execute(sql: "INSERT INTO official(login, full_name, unit_id, role, active, folded) VALUES (?, ?, ?, ?, 1, ?)",
                       arguments: [login, name, unitId, role.rawValue, VietnameseFold.fold(name + " " + login)])
        return Official(id: db.lastInsertedRowID, login: login, fullName: name, unitId: unitId, role: role)
    }

    static func byLogin(_ db: Database, _ login: String) throws -> Official? {
        try Row.fetchOne(db, sql: "SELECT \(columns) FROM official WHERE login = ?", arguments: [login]).map(official(from:))
    }

    static func byId(_ db: Database, _ id: Int64) throws -> Official? {
        // Cached: the desk reads an official for every history line and assignee it shows.
        try Row.fetchOne(db.cachedStatement(sql: "SELECT \(columns) FROM official WHERE id = ?"), arguments: [id]).map(official(from:))
    }

    package static func search(_ db: Database, text: String, withinUnit: Int64?, limit: Int) throws -> [Official] {
        var sql = "SELECT o.id, o.login, o.full_name, o.unit_id, o.role, o.active FROM official o JOIN unit u ON u.id = o.unit_id WHERE o.active = 1"
        var args: [DatabaseValueConvertible?] = []
        // Each word may name the person (name or login) or their unit, so "kinh te" finds the
        // officials of the economic department as a clerk would look for them.
        for w in VietnameseFold.words(text) {
            sql += " AND (o.folded LIKE ? ESCAPE '\\' OR u.folded LIKE ? ESCAPE '\\')"
            let pattern = "%" + UnitQueries.likeEscape(w) + "%"
            args += [pattern, pattern]
        }
        if let withinUnit, let p = try UnitQueries.path(db, id: withinUnit) {
            sql += " AND u.path >= ? AND u.path < ?"
            args += [p, p + "\u{FFFF}"]
        }
        sql += " ORDER BY o.full_name LIMIT ?"
        args.append(limit)
        return try Row.fetchAll(db, sql: sql, arguments: StatementArguments(args)).map(official(from:))
    }
}

extension AppDatabase {
    func official(login: String) throws -> Official? { try read { try OfficialStore.byLogin($0, login) } }
    func official(id: Int64) throws -> Official? { try read { try OfficialStore.byId($0, id) } }

    /// Active officials whose name, login or unit name matches every word, within a unit's subtree.
    package func officials(matching text: String = "", withinUnit: Int64? = nil, limit: Int = 200) throws -> [Official] {
        try read { try OfficialStore.search($0, text: text, withinUnit: withinUnit, limit: limit) }
    }

    func addOfficial(login: String, fullName: String, unitCode: String, role: Role) throws -> Official {
        try write { db in
            guard let u = try UnitQueries.unit(db, code: unitCode) else { throw StoreError.unknownUnit(unitCode) }
            return try OfficialStore.insert(db, login: login, fullName: fullName, unitId: u.id, role: role)
        }
    }
}
