import Foundation
import GRDB
import PaknCore

extension ReferenceData {
    static func load(_ db: Database) throws -> ReferenceData {
        let exceptions = try CalendarTable.all(db)
        let decoder = JSONDecoder()
        let rules = try String.fetchAll(db, sql: "SELECT json FROM deadline_rule").map {
            try decoder.decode(DeadlineRule.self, from: Data($0.utf8))
        }
        let routing = try Row.fetchAll(db, sql: "SELECT kind, category, level, department FROM routing_rule ORDER BY id").map { r in
            RoutingRule(kind: (r["kind"] as String?).flatMap(CaseKind.init(rawValue:)), category: r["category"],
                        level: UnitLevel(rawValue: r["level"]) ?? .commune, department: r["department"])
        }
        let categories = try Row.fetchAll(db, sql: "SELECT code, name_vi, name_en FROM category ORDER BY sort").map {
            Category(code: $0["code"], nameVi: $0["name_vi"], nameEn: $0["name_en"])
        }
        var policy = WorkflowPolicy()
        if let v = try AppDatabase.setting(db, "due_soon_days").flatMap(Int.init) { policy.dueSoonDays = v }
        if let v = try AppDatabase.setting(db, "reopen_at_or_below").flatMap(Int.init) { policy.reopenAtOrBelow = v }
        return ReferenceData(calendar: WorkingCalendar(exceptions: exceptions), rulebook: DeadlineRulebook(rules),
                             routing: RoutingTable(routing), categories: categories, policy: policy)
    }
}

/// Migration `v10-reference-version`: the counter behind `ReferenceCache`, moved by triggers
/// on the reference tables and on the two workflow settings (no other setting).
enum ReferenceVersion {
    static let migrationName = "v10-reference-version"

    /// The counter, or nil in a file opened read-only before `v10-reference-version`.
    static func read(_ db: Database) throws -> Int64? {
        do {
            return try Int64.fetchOne(db.cachedStatement(sql: "SELECT n FROM reference_version WHERE id = 1"))
        } catch let e as DatabaseError where e.resultCode == .SQLITE_ERROR {
            return nil
        }
    }

    static func migrate(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE reference_version(id INTEGER PRIMARY KEY CHECK (id = 1), n INTEGER NOT NULL);
            INSERT INTO reference_version(id, n) VALUES (1, 0);
            """)
        let bump = "UPDATE reference_version SET n = n + 1 WHERE id = 1"
        for t in ReferenceCache.tables {
            for (name, event) in [("insert", "INSERT"), ("update", "UPDATE"), ("delete", "DELETE")] {
                try db.execute(sql: "CREATE TRIGGER \(t)_reference_\(name) AFTER \(event) ON \(t) BEGIN \(bump); END")
            }
        }
        let keys = "(" + ReferenceCache.settings.map { "'\($0)'" }.joined(separator: ", ") + ")"
        try db.execute(sql: """
            CREATE TRIGGER setting_reference_insert AFTER INSERT ON setting WHEN NEW.key IN \(keys) BEGIN \(bump); END;
            CREATE TRIGGER setting_reference_update AFTER UPDATE ON setting
                WHEN NEW.key IN \(keys) OR OLD.key IN \(keys) BEGIN \(bump); END;
            CREATE TRIGGER setting_reference_delete AFTER DELETE ON setting WHEN OLD.key IN \(keys) BEGIN \(bump); END;
            """)
    }
}

extension AppDatabase {
    package func reference() throws -> ReferenceData {
        try read { db in try referenceCache.get(version: ReferenceVersion.read(db), fill: true) { try ReferenceData.load(db) } }
    }
    /// The reference data inside a write transaction already open (an intake reads it there).
    func reference(writing db: Database) throws -> ReferenceData {
        try referenceCache.get(version: ReferenceVersion.read(db), fill: false) { try ReferenceData.load(db) }
    }
    /// Fills the cache from a read before a write that will need it, when it is empty or a
    /// write found it stale (`ReferenceCache.wantsFill`).
    func primeReference() throws { if referenceCache.wantsFill { _ = try reference() } }
}
