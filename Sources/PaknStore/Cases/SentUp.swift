import Foundation
import GRDB
import PaknCore

/// Who sent what up (issue 15, "Sent up"): every escalation or transfer of a case, by the
/// unit that held it before and the unit it went to, kept by a trigger on `pakn_case` in
/// the transaction that moved the case (migration `v7-sent-up`, docs/data-model.md).
///
/// A case's responsible unit changes in three ways only: routing a received case (its
/// ward hands it to a department), a transfer and an escalation (both from a routed or
/// later case). So a change of `unit_id` on a case that was not `received` is a sending.
///
/// The "Sent up" view and the statistics read this table by its `(from_unit_id, at)` key,
/// one range per unit of the official's subtree, never the cases or the events.
enum SentUp {
    static let migrationName = "v7-sent-up"

    static let tableSQL = """
        CREATE TABLE case_sent_up(
          from_unit_id INTEGER NOT NULL REFERENCES unit(id),
          at INTEGER NOT NULL,
          case_id INTEGER NOT NULL REFERENCES pakn_case(id),
          to_unit_id INTEGER NOT NULL REFERENCES unit(id),
          PRIMARY KEY (from_unit_id, at, case_id)) WITHOUT ROWID;
        CREATE INDEX case_sent_up_case ON case_sent_up(case_id);
        CREATE TRIGGER case_sent_up_insert AFTER UPDATE OF unit_id ON pakn_case
          WHEN OLD.unit_id IS NOT NULL AND NEW.unit_id IS NOT NULL AND NEW.unit_id <> OLD.unit_id
               AND OLD.status <> 'received'
          BEGIN
            INSERT OR IGNORE INTO case_sent_up(from_unit_id, at, case_id, to_unit_id)
              VALUES (OLD.unit_id, NEW.updated_at, NEW.id, NEW.unit_id);
          END
        """

    /// Creates the table and fills it from the history: every escalate and transfer event
    /// (read once, at the migration; the events name the units by id in `changes`).
    static func migrate(_ db: Database) throws {
        try db.execute(sql: tableSQL)
        let insert = try db.makeStatement(sql: """
            INSERT OR IGNORE INTO case_sent_up(from_unit_id, at, case_id, to_unit_id) VALUES (?, ?, ?, ?)
            """)
        let rows = try Row.fetchCursor(db, sql: """
            SELECT case_id, at, changes FROM event WHERE action IN ('escalate', 'transfer') ORDER BY id
            """)
        let decoder = JSONDecoder()
        while let r = try rows.next() {
            guard let text = try PackedText.text(r["changes"] as DatabaseValue, "event changes"),
                  let changes = try? decoder.decode([String: FieldChange].self, from: Data(text.utf8)),
                  let from = changes["unit_id"]?.before.flatMap({ Int64($0) }),
                  let to = changes["unit_id"]?.after.flatMap({ Int64($0) }) else { continue }
            try insert.execute(arguments: [from, r["at"] as Int64, r["case_id"] as Int64, to])
        }
    }

    /// `unit_id IN <the subtree of the unit whose path is bound twice>`.
    static let subtreeUnits = "SELECT id FROM unit WHERE path >= ? AND path < ?"

    /// The condition "a unit of the subtree sent this case, and it is handled outside the
    /// subtree now", and its arguments (the subtree's path, twice each).
    static func clause(_ db: Database, subtree unitId: Int64) throws -> (sql: String, args: [DatabaseValueConvertible?]) {
        guard let path = try UnitQueries.path(db, id: unitId) else { return ("0", []) }
        let end = path + "\u{FFFF}"
        return ("""
            pakn_case.id IN (SELECT case_id FROM case_sent_up WHERE from_unit_id IN (\(subtreeUnits))) \
            AND pakn_case.unit_id NOT IN (\(subtreeUnits))
            """, [path, end, path, end])
    }

    /// How many times units of the subtree sent a case outside it in `[first, last]`
    /// (Vietnam days): the "sent up" figure of the statistics.
    static func count(_ db: Database, subtree unitId: Int64, everything: Bool, from first: Day, to last: Day) throws -> Int {
        let start = Int64(first.start.timeIntervalSince1970), end = Int64(last.end.timeIntervalSince1970)
        if everything {
            // The whole tree sends nothing outside itself; what the centre's units sent to
            // one another is a transfer, counted all the same.
            return try Int.fetchOne(db, sql: "SELECT count(*) FROM case_sent_up WHERE at >= ? AND at <= ?",
                                    arguments: [start, end]) ?? 0
        }
        guard let path = try UnitQueries.path(db, id: unitId) else { return 0 }
        let p2 = path + "\u{FFFF}"
        return try Int.fetchOne(db, sql: """
            SELECT count(*) FROM case_sent_up
            WHERE from_unit_id IN (\(subtreeUnits)) AND at >= ? AND at <= ? AND to_unit_id NOT IN (\(subtreeUnits))
            """, arguments: [path, p2, start, end, path, p2]) ?? 0
    }
}
