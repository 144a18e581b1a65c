import Foundation
import GRDB
import PaknCore

/// The administrative tables the access chain covers, and each row's canonical digest
/// (docs/data-model.md, "What the chain covers").
///
/// Every act that changes one of these tables records, in its access-log entry
/// (`access_fact`, inside the entry's hash), the digest of each row it changed; a baseline
/// entry per table (`facts_baseline`) records every row at once. The latest digest of each
/// row is what the table must hold: `pakn audit verify --full` names every row that differs.
///
/// Frozen: a row's digest is over the columns listed here, in this order. Covering another
/// column or table means a new migration that writes a new baseline.
package enum Facts {
    package struct Table: Sendable {
        let name: String
        /// The columns, the key first.
        let columns: [String]
        let filter: String?

        var select: String { "SELECT \(columns.joined(separator: ", ")) FROM \(name)" + (filter.map { " WHERE \($0)" } ?? "") }
    }

    static let official = Table(name: "official", columns: ["id", "login", "full_name", "unit_id", "role", "active"], filter: nil)
    /// `path` and `province_id` are derived from `parent_id`, but scope is read from `path`:
    /// they are covered. `folded` (search text) is not.
    static let unit = Table(name: "unit", columns: ["id", "code", "name", "level", "division_type", "parent_id", "remote", "path",
                                                    "province_id", "label"], filter: nil)
    static let unitAlias = Table(name: "unit_alias", columns: ["old_code", "unit_id", "note", "kind"], filter: nil)
    static let rule = Table(name: "deadline_rule", columns: ["id", "kind", "effective_from", "effective_to", "json"], filter: nil)
    static let calendar = Table(name: "calendar_exception", columns: ["day", "kind", "name", "standing", "document", "note"], filter: nil)
    /// The settings that change what pakn does or who it trusts; others are not covered.
    static let coveredSettings = ["training", "home_unit", "case_prefix", "due_soon_days", "reopen_at_or_below",
                                  "attachment_max_mb", "import_max_mb"]
    static let setting = Table(name: "setting", columns: ["key", "value"],
                               filter: "key IN (" + coveredSettings.map { "'\($0)'" }.joined(separator: ", ") + ")")

    /// What routes a case and what it is answered with (`v7-facts-reference`): a category's
    /// department, the routing table, the reply templates. Written when a database is made;
    /// edited by hand, `audit verify --full` names the row.
    static let category = Table(name: "category", columns: ["code", "name_vi", "name_en", "department", "sort"], filter: nil)
    static let routingRule = Table(name: "routing_rule", columns: ["id", "kind", "category", "level", "department"], filter: nil)
    /// Keyed by `id/lang` (the table's two-column primary key).
    static let template = Table(name: "reply_template", columns: ["id || '/' || lang", "id", "lang", "category", "kind", "title",
                                                                  "body", "purpose", "action"], filter: nil)
    /// The tables the `v7-facts-reference` migration added to the chain's coverage.
    static let reference = [category, routingRule, template]

    static let all = [official, unit, unitAlias, rule, calendar, setting] + reference

    /// The login the access log names for a baseline written when a database is made.
    package static let initLogin = "pakn-init"

    /// Whether this database records facts (the `v6-admin-facts` migration ran).
    static func enabled(_ db: Database) throws -> Bool { try db.tableExists("access_fact") }

    // MARK: Canonical text

    /// One value, typed and length-prefixed so that no two rows share a text: `n` for NULL,
    /// `i<decimal>;` for an integer, `r<decimal>;` for a real, `t<UTF-8 bytes>:<text>` for
    /// text, `b<bytes>:<hex>` for a blob.
    static func encode(_ v: DatabaseValue, into s: inout String) {
        switch v.storage {
        case .null: s += "n"
        case let .int64(i): s += "i\(i);"
        case let .double(d): s += "r\(d);"
        case let .string(t): s += "t\(t.utf8.count):"; s += t
        case let .blob(b): s += "b\(b.count):" + SHA256.toHex([UInt8](b))
        }
    }

    static func keyText(_ v: DatabaseValue) -> String {
        switch v.storage {
        case .null: ""
        case let .int64(i): String(i)
        case let .double(d): String(d)
        case let .string(t): t
        case let .blob(b): SHA256.toHex([UInt8](b))
        }
    }

    /// The row's canonical text: its values in the table's column order, each `encode`d.
    static func text(_ r: Row, columns: Int) -> String {
        var s = ""
        for i in 0..<columns { encode(r[i] as DatabaseValue, into: &s) }
        return s
    }

    /// Lowercase hex SHA-256 of the canonical text.
    static func digest(_ r: Row, columns: Int) -> String {
        SHA256.toHex(ChainHash.digest(Array(text(r, columns: columns).utf8)))
    }

    // MARK: Reading the tables

    /// Every covered row of `t`: key → digest.
    static func snapshot(_ db: Database, _ t: Table) throws -> [String: String] {
        var out: [String: String] = [:]
        let cursor = try Row.fetchCursor(db, sql: t.select)
        let n = t.columns.count
        while let r = try cursor.next() { out[keyText(r[0] as DatabaseValue)] = digest(r, columns: n) }
        return out
    }

    /// One row's fact as it stands now (digest nil when there is no such row, or it is not covered).
    static func current(_ db: Database, _ t: Table, key: DatabaseValueConvertible) throws -> AccessFact {
        let sql = t.select + (t.filter == nil ? " WHERE " : " AND ") + "\(t.columns[0]) = ?"
        let r = try Row.fetchOne(db.cachedStatement(sql: sql), arguments: [key])
        return AccessFact(table: t.name, key: keyText(key.databaseValue), digest: r.map { digest($0, columns: t.columns.count) })
    }

    /// The facts of the rows that differ between two snapshots of `t`.
    static func diff(_ t: Table, before: [String: String], after: [String: String]) -> [AccessFact] {
        var out: [AccessFact] = []
        for (k, d) in after where before[k] != d { out.append(AccessFact(table: t.name, key: k, digest: d)) }
        for k in before.keys where after[k] == nil { out.append(AccessFact(table: t.name, key: k, digest: nil)) }
        return out
    }

    /// Snapshots of some tables taken before a bulk change, to record what it changed.
    struct Watch {
        let tables: [Table]
        let before: [[String: String]]

        init(_ db: Database, _ tables: [Table]) throws {
            self.tables = tables
            before = try tables.map { try Facts.snapshot(db, $0) }
        }

        /// The rows changed since the watch began (empty when facts are not recorded yet).
        func changes(_ db: Database) throws -> [AccessFact] {
            guard try Facts.enabled(db) else { return [] }
            return try zip(tables, before).flatMap { t, b in Facts.diff(t, before: b, after: try Facts.snapshot(db, t)) }
        }
    }

    /// Appends one `facts_baseline` entry per covered table, with the digest of every row:
    /// from it on, the chain says what each table holds.
    /// A database at a schema before `v6-admin-facts` (a test building an old one) gets none.
    package static func baseline(_ db: Database, actorId: Int64? = nil, login: String, at now: Date, note: String,
                                 tables: [Table]? = nil) throws {
        guard try enabled(db) else { return }
        for t in tables ?? all {
            let rows = try snapshot(db, t)
            try AccessLog.append(db, AccessDraft(
                at: now, actorId: actorId, login: login, action: .factsBaseline, target: t.name, note: note, count: rows.count,
                facts: rows.map { AccessFact(table: t.name, key: $0.key, digest: $0.value) }))
        }
    }

    // MARK: Checking

    /// Every covered row that differs from the chain's latest digest of it, table by table in
    /// `all`'s order, keys in order. Empty on a database without facts.
    static func differences(_ db: Database) throws -> [FactDifference] {
        guard try enabled(db) else { return [] }
        // The latest baseline of each table; earlier facts of that table are superseded.
        var since: [String: Int64] = [:]
        for r in try Row.fetchAll(db, sql: "SELECT target, max(id) AS id FROM access_log WHERE action = ? GROUP BY target",
                                  arguments: [AccessAction.factsBaseline.rawValue]) {
            if let t: String = r["target"] { since[t] = r["id"] }
        }
        var expected: [String: [String: String?]] = [:]
        let cursor = try Row.fetchCursor(db, sql: "SELECT access_id, tbl, key, digest FROM access_fact ORDER BY access_id")
        while let r = try cursor.next() {
            let table: String = r["tbl"]
            if let s = since[table], (r["access_id"] as Int64) < s { continue }
            expected[table, default: [:]][r["key"] as String] = .some(r["digest"] as String?)
        }
        var out: [FactDifference] = []
        for t in all {
            let now = try snapshot(db, t)
            let was = expected[t.name] ?? [:]
            var found: [FactDifference] = []
            for (k, d) in now {
                switch was[k] {
                case let .some(.some(e)) where e == d: continue
                case .some(.some): found.append(FactDifference(table: t.name, key: k, change: .altered))
                default: found.append(FactDifference(table: t.name, key: k, change: .added))
                }
            }
            for (k, e) in was where e != nil && now[k] == nil {
                found.append(FactDifference(table: t.name, key: k, change: .removed))
            }
            found.sort { a, b in
                if let x = Int64(a.key), let y = Int64(b.key) { return x < y }
                return a.key < b.key
            }
            for i in found.indices where found[i].change != .removed { found[i].name = try name(db, t, key: found[i].key) }
            out += found
        }
        return out
    }

    /// How a person knows a row: an official's login, a unit's code and name.
    static func name(_ db: Database, _ t: Table, key: String) throws -> String? {
        switch t.name {
        case "official":
            return try String.fetchOne(db, sql: "SELECT login FROM official WHERE id = ?", arguments: [key])
        case "unit":
            return try Row.fetchOne(db, sql: "SELECT code, name FROM unit WHERE id = ?", arguments: [key])
                .map { "\($0["code"] as String? ?? "") \($0["name"] as String? ?? "")" }
        default:
            return key
        }
    }
}
