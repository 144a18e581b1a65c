import Foundation
import GRDB
import PaknCore

/// Migration `v6-plain-text`: the database as any tool reads it (issue 13, "a database any
/// tool can read"). Versions v4–v5 stored titles, bodies, notes and event changes deflated
/// against a private dictionary, left a status out of an event when its changes held it, and
/// kept a reply only in its event. This rewrites every such value as plain TEXT, writes
/// both statuses into every event, and puts each case's current reply back in its row; it
/// adds the documented views `case_view` and `event_view` (times in ISO 8601, Vietnam time;
/// docs/data-model.md).
///
/// The hash chain covers the texts and statuses themselves, never their stored form, so no
/// hash changes: `audit verify --against` a head kept before the migration still holds. The
/// append-only triggers on `event` are dropped for the rewrite and made again in the same
/// transaction.
enum PlainTextMigration {
    static let name = "v6-plain-text"

    static func migrate(_ db: Database) throws {
        try db.execute(sql: "DROP TRIGGER IF EXISTS event_no_update")
        // In batches of ids, so a million cases never sit in memory at once.
        let batch = 5_000
        // Cases: packed title/body (BLOBs) back to text.
        let updateCase = try db.makeStatement(sql: "UPDATE pakn_case SET title = ?, body = ? WHERE id = ?")
        var after: Int64 = 0
        while true {
            let rows = try Row.fetchAll(db, sql: """
                SELECT id, title, body FROM pakn_case WHERE id > ? AND (typeof(title) = 'blob' OR typeof(body) = 'blob')
                ORDER BY id LIMIT ?
                """, arguments: [after, batch])
            guard let last = rows.last else { break }
            for r in rows {
                let id: Int64 = r["id"]
                try updateCase.execute(arguments: [try PackedText.text(r, "title", "case \(id) title"),
                                                   try PackedText.text(r, "body", "case \(id) body"), id])
            }
            after = last["id"]
        }

        // Events: packed note/changes, and statuses left out.
        let updateEvent = try db.makeStatement(sql: """
            UPDATE event SET from_status = ?, to_status = ?, note = ?, changes = ? WHERE id = ?
            """)
        after = 0
        while true {
            let rows = try Row.fetchAll(db, sql: """
                SELECT id, from_status, to_status, note, changes FROM event
                WHERE id > ? AND (typeof(note) = 'blob' OR typeof(changes) = 'blob' OR from_status = '' OR to_status = '')
                ORDER BY id LIMIT ?
                """, arguments: [after, batch])
            guard let last = rows.last else { break }
            for r in rows {
                let id: Int64 = r["id"]
                let changesText = try PackedText.text(r, "changes", "event \(id) changes")
                let changes = (try? JSONDecoder().decode([String: FieldChange].self, from: Data(changesText.utf8))) ?? [:]
                let (from, to) = EventLog.statuses(from: r["from_status"], to: r["to_status"], changes: changes)
                try updateEvent.execute(arguments: [from?.rawValue, to?.rawValue,
                                                    try PackedText.optionalText(r, "note", "event \(id) note"), changesText, id])
            }
            after = last["id"]
        }
        try db.execute(sql: """
            CREATE TRIGGER event_no_update BEFORE UPDATE ON event
              BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
            """)

        // Replies back in their rows: the latest event that changed `reply`, per case.
        let replies = try Row.fetchCursor(db, sql: """
            SELECT e.case_id, e.changes FROM event e
            JOIN (SELECT case_id, max(id) AS id FROM event WHERE changes LIKE '%"reply":{%' GROUP BY case_id) last
              ON last.id = e.id
            JOIN pakn_case c ON c.id = e.case_id AND c.reply IS NULL
            """)
        let updateReply = try db.makeStatement(sql: "UPDATE pakn_case SET reply = ? WHERE id = ?")
        var replyRows: [(String, Int64)] = []
        while let r = try replies.next() {
            let text: String = r["changes"]
            let changes = (try? JSONDecoder().decode([String: FieldChange].self, from: Data(text.utf8))) ?? [:]
            if let reply = changes["reply"]?.after { replyRows.append((reply, r["case_id"])) }
        }
        for (reply, id) in replyRows { try updateReply.execute(arguments: [reply, id]) }

        try db.execute(sql: viewsSQL)
    }

    /// The documented views (docs/data-model.md, "Views"): what an IT officer's SQL, Excel or
    /// Power BI reads. Times are ISO 8601 in Vietnam time (+07:00); days (`clock_start`,
    /// `accepted_on`) as dates; statuses and kinds as their codes with the Vietnamese label.
    static let viewsSQL = """
        CREATE VIEW case_view AS
        SELECT c.id, c.code, c.title, c.body, c.kind, c.category, c.channel, c.status, c.done,
          w.code AS ward_code, w.name AS ward_name, u.code AS unit_code, coalesce(nullif(u.label, ''), u.name) AS unit_name,
          o.login AS assignee_login, o.full_name AS assignee_name,
          c.address, c.latitude, c.longitude, c.anonymous, c.confidential, c.complex,
          strftime('%Y-%m-%dT%H:%M:%S+07:00', c.received_at + 25200, 'unixepoch') AS received_at,
          strftime('%Y-%m-%dT%H:%M:%S+07:00', c.due_at + 25200, 'unixepoch') AS due_at,
          c.rule_id, c.counting, c.clock_days, c.extended_days, c.extensions, c.paused_days,
          date(c.clock_start * 86400, 'unixepoch') AS clock_start,
          date(c.accepted_on * 86400, 'unixepoch') AS accepted_on,
          strftime('%Y-%m-%dT%H:%M:%S+07:00', c.resolved_at + 25200, 'unixepoch') AS resolved_at,
          strftime('%Y-%m-%dT%H:%M:%S+07:00', c.closed_at + 25200, 'unixepoch') AS closed_at,
          c.reply, c.rating, c.rating_reasons, m.code AS master_code, c.version,
          strftime('%Y-%m-%dT%H:%M:%S+07:00', c.updated_at + 25200, 'unixepoch') AS updated_at
        FROM pakn_case c
        LEFT JOIN unit w ON w.id = c.ward_id
        LEFT JOIN unit u ON u.id = c.unit_id
        LEFT JOIN official o ON o.id = c.assignee_id
        LEFT JOIN pakn_case m ON m.id = c.master_id;

        CREATE VIEW event_view AS
        SELECT e.id, c.code AS case_code,
          strftime('%Y-%m-%dT%H:%M:%S+07:00', e.at + 25200, 'unixepoch') AS at,
          o.login AS actor_login, o.full_name AS actor_name, e.action, e.from_status, e.to_status, e.note, e.changes,
          lower(hex(e.hash)) AS hash
        FROM event e
        JOIN pakn_case c ON c.id = e.case_id
        LEFT JOIN official o ON o.id = e.actor_id;
        """
}
