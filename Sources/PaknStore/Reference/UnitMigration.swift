import Foundation
import GRDB
import PaknCore

/// Migration `v5-units-2026`: the official unit codes and the unit history.
///
/// Databases made before it carry the codes of the older vn-divisions-2025.json, 123 of
/// which are not the Statistics Office's (some name another commune). Each unit keeps its
/// id — so its cases, officials and history stay with it — and gets its official code, name
/// and type from the shipped `units/vn-divisions-2026.tsv`: by `units/corrections-2025.tsv`
/// (old code → official code), else by its normalised name in its province. Codes move
/// through temporary codes, so chains and swaps never meet UNIQUE(code); departments
/// (`<code>-<suffix>`) follow their parent. Old codes stay as aliases; the changes since
/// 1 July 2025 are recorded as history; departments take the names their parent's type
/// calls for; the migration is recorded in the access log (no actor, login `pakn-migrate`).
enum UnitMigration {
    static let name = "v5-units-2026"
    static let login = "pakn-migrate"

    static func schema(_ db: Database) throws {
        try db.execute(sql: """
            ALTER TABLE unit ADD COLUMN label TEXT NOT NULL DEFAULT '';
            ALTER TABLE unit_alias ADD COLUMN kind TEXT;
            UPDATE unit_alias SET kind = 'province';
            CREATE INDEX unit_alias_unit ON unit_alias(unit_id);

            -- Effective-dated changes of units (code, name, type), by official document.
            -- Corrections of a wrong source file are not history: they are aliases.
            CREATE TABLE unit_code_history(
              id INTEGER PRIMARY KEY,
              unit_id INTEGER NOT NULL REFERENCES unit(id),
              old_code TEXT,
              new_code TEXT,
              old_name TEXT,
              new_name TEXT,
              old_type TEXT,
              new_type TEXT,
              effective_on TEXT NOT NULL,
              date_basis TEXT NOT NULL CHECK (date_basis IN ('on', 'by', 'stated')),
              document TEXT NOT NULL,
              recorded_at INTEGER NOT NULL);
            CREATE INDEX unit_code_history_unit ON unit_code_history(unit_id);
            CREATE INDEX unit_code_history_old ON unit_code_history(old_code);
            """)
    }

    static func migrate(_ db: Database, at now: Date = Date()) throws {
        try schema(db)
        let existing = try Int.fetchOne(db, sql: "SELECT count(*) FROM unit WHERE level IN ('province', 'commune')") ?? 0
        guard existing > 0 else { return }  // a new database: Setup installs everything
        let summary = try recodeToOfficial(db)
        try UnitChanges.installCorrectionAliases(db)
        try UnitChanges.installShippedHistory(db, at: now)
        let depts = try UnitStore.renameDepartments(db, departments: try BundledData.departments())
        try UnitStore.refreshLabels(db)
        if let home = try AppDatabase.setting(db, "home_unit"), let u = try UnitQueries.unit(db, code: home), u.code != home {
            try AppDatabase.setSetting(db, "home_unit", u.code)
        }
        let changed = summary.recoded + summary.renamed + depts
        try AccessLog.append(db, AccessDraft(
            at: now, actorId: nil, login: login, action: .unitsMigrate, target: name,
            note: "vn-divisions-2026: \(summary.recoded) codes, \(summary.renamed) names/types, \(depts) departments renamed"
                + (summary.unmatched.isEmpty ? "" : "; not matched: " + summary.unmatched.prefix(20).joined(separator: ", ")),
            count: changed))
    }

    struct Summary {
        var recoded = 0
        var renamed = 0
        var unmatched: [String] = []
    }

    /// Gives every province and commune its official code, name and type.
    static func recodeToOfficial(_ db: Database) throws -> Summary {
        let official = try BundledData.unitRows()
        let byCode = Dictionary(official.map { ($0.code, $0) }, uniquingKeysWith: { a, _ in a })
        var byCore: [String: [String: [UnitRow]]] = [:]  // province → core name → rows
        for r in official where r.level == .commune {
            byCore[r.parentCode ?? "", default: [:]][UnitNames.core(r.name), default: []].append(r)
        }
        let corrections = try UnitChanges.corrections()
        let units = try Row.fetchAll(db, sql: """
            SELECT u.id, u.code, u.name, u.level, u.division_type, p.code AS pcode
            FROM unit u LEFT JOIN unit p ON p.id = u.parent_id WHERE u.level IN ('province', 'commune')
            """)
        var summary = Summary()
        var target: [Int64: UnitRow] = [:]
        var claimed: [String: Int64] = [:]
        var moves: [(id: Int64, old: String, new: String)] = []
        for r in units {
            let id: Int64 = r["id"], code: String = r["code"], name: String = r["name"]
            let pcode: String? = r["pcode"]
            var row: UnitRow?
            if let o = byCode[code], o.level == .province || o.parentCode == pcode,
               corrections[code] == nil || UnitNames.core(o.name) == UnitNames.core(name) {
                row = o  // already the official code (only the name or type may differ)
            } else if let c = corrections[code], let o = byCode[c] {
                row = o
            } else if let candidates = byCore[pcode ?? ""]?[UnitNames.core(name)], candidates.count == 1 {
                row = candidates[0]
            }
            guard let row, claimed[row.code] == nil else { summary.unmatched.append(code); continue }
            claimed[row.code] = id
            target[id] = row
            if row.code != code { moves.append((id, code, row.code)) }
        }
        // A target code still held by a unit that does not move would break UNIQUE(code):
        // leave that unit as it is (named in the access log) rather than fail the migration.
        let moving = Set(moves.map(\.id))
        let holders = Dictionary(units.map { (($0["code"] as String), ($0["id"] as Int64)) }, uniquingKeysWith: { a, _ in a })
        moves = moves.filter { m in
            if let h = holders[m.new], !moving.contains(h) {
                summary.unmatched.append(m.old)
                target[m.id] = nil
                return false
            }
            return true
        }
        try UnitChanges.recode(db, moves)
        summary.recoded = moves.count
        for r in units {
            let id: Int64 = r["id"]
            guard let row = target[id] else { continue }
            if row.name != r["name"] as String || row.divisionType != r["division_type"] as String {
                try db.execute(sql: "UPDATE unit SET name = ?, division_type = ?, folded = ? WHERE id = ?",
                               arguments: [row.name, row.divisionType, VietnameseFold.fold(row.name), id])
                summary.renamed += 1
            }
        }
        return summary
    }
}
