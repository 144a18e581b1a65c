import Foundation
import GRDB
import PaknCore

/// The maintained statistics (migration `v6-stats`, docs/data-model.md §8,
/// docs/performance.md "Statistics"): per-day, per-unit counters kept by triggers in the
/// same transaction as the change they count, as `case_count` is for the title bar. A
/// statistics view or a report adds up a few thousand counter rows; it never reads cases
/// one by one (except the list of overdue cases, which it reads from the urgency index).
///
/// Each case counts for the unit handling it, or, before it is routed, for its ward
/// (`coalesce(unit_id, ward_id, 0)`); days are Vietnam days (`(t + 25200) / 86400`, the
/// ordinal of `Day`). A breakdown is a `facet`: 1 the deadline rule (which also gives the
/// kind and, summed, the total), 2 the channel, 3 the category.
///
/// - `stat_day(unit_id, day, facet, value)`: received that day; resolved (latest answer)
///   that day and of those on time (`resolved_at <= due_at`); rejected that day.
/// - `stat_month(unit_id, month, facet, value)`: the same by month (`year * 12 + month - 1`),
///   so a month or a quarter adds up a few rows per unit instead of one per day.
/// - `stat_span(unit_id, day, span)`: resolved that day, `span` calendar days after the day
///   received (working days are counted from it with the calendar when read).
/// - `stat_open(unit_id, facet, due_day, paused, value)`: open cases by due day (facet 0: all,
///   value ''; 2 and 3 by channel and category): overdue now is `due_day < today`, not paused.
/// - `stat_rating(unit_id, day, score, reason)`: ratings given that day (`reason` '' for
///   all of a score, else one of its reasons).
enum StatSchema {
    static let migrationName = "v6-stats"

    static let tablesSQL = """
        CREATE TABLE stat_day(
          unit_id INTEGER NOT NULL,
          day INTEGER NOT NULL,
          facet INTEGER NOT NULL,
          value TEXT NOT NULL,
          received INTEGER NOT NULL,
          resolved INTEGER NOT NULL,
          on_time INTEGER NOT NULL,
          rejected INTEGER NOT NULL,
          PRIMARY KEY (unit_id, day, facet, value)) WITHOUT ROWID;
        CREATE TABLE stat_month(
          unit_id INTEGER NOT NULL,
          month INTEGER NOT NULL,
          facet INTEGER NOT NULL,
          value TEXT NOT NULL,
          received INTEGER NOT NULL,
          resolved INTEGER NOT NULL,
          on_time INTEGER NOT NULL,
          rejected INTEGER NOT NULL,
          PRIMARY KEY (unit_id, month, facet, value)) WITHOUT ROWID;
        CREATE TABLE stat_span(
          unit_id INTEGER NOT NULL,
          day INTEGER NOT NULL,
          span INTEGER NOT NULL,
          n INTEGER NOT NULL,
          PRIMARY KEY (unit_id, day, span)) WITHOUT ROWID;
        CREATE TABLE stat_open(
          unit_id INTEGER NOT NULL,
          facet INTEGER NOT NULL,
          due_day INTEGER NOT NULL,
          paused INTEGER NOT NULL,
          value TEXT NOT NULL,
          n INTEGER NOT NULL,
          PRIMARY KEY (unit_id, facet, due_day, paused, value)) WITHOUT ROWID;
        CREATE TABLE stat_rating(
          unit_id INTEGER NOT NULL,
          day INTEGER NOT NULL,
          score INTEGER NOT NULL,
          reason TEXT NOT NULL,
          n INTEGER NOT NULL,
          PRIMARY KEY (unit_id, day, score, reason)) WITHOUT ROWID;

        -- Reports child offices sent (`pakn report import`), kept whole with their digest.
        CREATE TABLE report_import(
          id INTEGER PRIMARY KEY,
          unit_id INTEGER NOT NULL REFERENCES unit(id),
          period_kind TEXT NOT NULL,
          period_label TEXT NOT NULL,
          first_day INTEGER NOT NULL,
          last_day INTEGER NOT NULL,
          digest TEXT NOT NULL UNIQUE,
          chain_head TEXT NOT NULL,
          made_by TEXT NOT NULL,
          made_at INTEGER NOT NULL,
          imported_at INTEGER NOT NULL,
          imported_by INTEGER NOT NULL REFERENCES official(id),
          body TEXT NOT NULL,
          UNIQUE (unit_id, period_kind, period_label));
        """

    enum Facet: Int, CaseIterable {
        case rule = 1, channel = 2, category = 3
        var column: String {
            switch self {
            case .rule: "rule_id"
            case .channel: "channel"
            case .category: "category"
            }
        }
    }

    static let reasons = RatingReason.allCases.map(\.rawValue)

    static func unit(_ r: String) -> String { "coalesce(\(r).unit_id, \(r).ward_id, 0)" }
    static func day(_ e: String) -> String { "((\(e) + 25200) / 86400)" }
    /// The month (`year * 12 + month - 1`) of a Vietnam day ordinal.
    static func monthOfDay(_ d: String) -> String {
        "(CAST(strftime('%Y', (\(d)) * 86400, 'unixepoch') AS INTEGER) * 12 + CAST(strftime('%m', (\(d)) * 86400, 'unixepoch') AS INTEGER) - 1)"
    }
    static func month(_ e: String) -> String { monthOfDay(day(e)) }

    /// The facets of open cases: all (0), channel, category.
    static func openFacets(_ r: String) -> String {
        "SELECT 0 AS f, '' AS v UNION ALL SELECT 2, \(r).channel UNION ALL SELECT 3, \(r).category"
    }

    /// The facets of a row as (facet, value) rows.
    static func facets(_ r: String) -> String {
        Facet.allCases.map { "SELECT \($0.rawValue) AS f, \(r).\($0.column) AS v" }.joined(separator: " UNION ALL ")
    }

    /// What one row adds to `stat_day` (sign `s`): received, resolved/on time, rejected.
    static func dayParts(_ r: String, _ s: Int, bucket: (String) -> String = day) -> String {
        """
        SELECT \(bucket("\(r).received_at")) AS d, \(s) AS rc, 0 AS rs, 0 AS ot, 0 AS rj
        UNION ALL SELECT \(bucket("\(r).resolved_at")), 0, \(s), \(s) * (\(r).resolved_at <= \(r).due_at), 0 WHERE \(r).resolved_at IS NOT NULL
        UNION ALL SELECT \(bucket("\(r).closed_at")), 0, 0, 0, \(s) WHERE \(r).status = 'rejected' AND \(r).closed_at IS NOT NULL
        """
    }

    /// The statements that move a row's contributions: `rows` lists (alias, sign) — OLD with
    /// -1, NEW with +1; rows left at zero are deleted.
    static func move(_ rows: [(String, Int)]) -> String {
        let dayRows = rows.map { r, s in
            "SELECT \(unit(r)) AS u, m.d, x.f, x.v, m.rc, m.rs, m.ot, m.rj FROM (\(dayParts(r, s))) m, (\(facets(r))) x"
        }.joined(separator: " UNION ALL ")
        let monthRows = rows.map { r, s in
            "SELECT \(unit(r)) AS u, m.d, x.f, x.v, m.rc, m.rs, m.ot, m.rj FROM (\(dayParts(r, s, bucket: month))) m, (\(facets(r))) x"
        }.joined(separator: " UNION ALL ")
        let span = rows.map { r, s in
            "SELECT \(unit(r)) AS u, \(Self.day("\(r).resolved_at")) AS d, \(Self.day("\(r).resolved_at")) - \(Self.day("\(r).received_at")) AS sp, \(s) AS s WHERE \(r).resolved_at IS NOT NULL"
        }.joined(separator: " UNION ALL ")
        let open = rows.map { r, s in
            "SELECT \(unit(r)) AS u, \(Self.day("\(r).due_at")) AS dd, \(r).status = 'awaiting_info' AS p, x.f, x.v, \(s) AS s FROM (\(openFacets(r))) x WHERE \(r).done = 0"
        }.joined(separator: " UNION ALL ")
        var sql = """
            INSERT INTO stat_day(unit_id, day, facet, value, received, resolved, on_time, rejected)
              SELECT u, d, f, v, sum(rc), sum(rs), sum(ot), sum(rj) FROM (\(dayRows)) WHERE 1
              GROUP BY u, d, f, v HAVING sum(rc) <> 0 OR sum(rs) <> 0 OR sum(ot) <> 0 OR sum(rj) <> 0
              ON CONFLICT DO UPDATE SET received = received + excluded.received, resolved = resolved + excluded.resolved,
                on_time = on_time + excluded.on_time, rejected = rejected + excluded.rejected;
            INSERT INTO stat_month(unit_id, month, facet, value, received, resolved, on_time, rejected)
              SELECT u, d, f, v, sum(rc), sum(rs), sum(ot), sum(rj) FROM (\(monthRows)) WHERE 1
              GROUP BY u, d, f, v HAVING sum(rc) <> 0 OR sum(rs) <> 0 OR sum(ot) <> 0 OR sum(rj) <> 0
              ON CONFLICT DO UPDATE SET received = received + excluded.received, resolved = resolved + excluded.resolved,
                on_time = on_time + excluded.on_time, rejected = rejected + excluded.rejected;
            INSERT INTO stat_span(unit_id, day, span, n)
              SELECT u, d, sp, sum(s) FROM (\(span)) WHERE 1 GROUP BY u, d, sp HAVING sum(s) <> 0
              ON CONFLICT DO UPDATE SET n = n + excluded.n;
            INSERT INTO stat_open(unit_id, facet, due_day, paused, value, n)
              SELECT u, f, dd, p, v, sum(s) FROM (\(open)) WHERE 1 GROUP BY u, f, dd, p, v HAVING sum(s) <> 0
              ON CONFLICT DO UPDATE SET n = n + excluded.n;
            """
        for (r, s) in rows where s < 0 {
            sql += """

                DELETE FROM stat_day WHERE unit_id = \(unit(r))
                  AND day IN (\(day("\(r).received_at")), \(day("\(r).resolved_at")), \(day("\(r).closed_at")))
                  AND received = 0 AND resolved = 0 AND on_time = 0 AND rejected = 0;
                DELETE FROM stat_month WHERE unit_id = \(unit(r))
                  AND month IN (\(month("\(r).received_at")), \(month("\(r).resolved_at")), \(month("\(r).closed_at")))
                  AND received = 0 AND resolved = 0 AND on_time = 0 AND rejected = 0;
                DELETE FROM stat_span WHERE \(r).resolved_at IS NOT NULL AND unit_id = \(unit(r))
                  AND day = \(day("\(r).resolved_at")) AND n = 0;
                DELETE FROM stat_open WHERE \(r).done = 0 AND unit_id = \(unit(r)) AND facet IN (0, 2, 3)
                  AND due_day = \(day("\(r).due_at")) AND n = 0;
                """
        }
        return sql
    }

    static let triggerNames = ["stat_case_insert", "stat_case_update", "stat_case_delete", "stat_rating_event"]

    /// The columns a statistic reads: a change to any other (an assignee, a note, the
    /// version) does not touch the counters.
    static let watched = ["received_at", "resolved_at", "closed_at", "due_at", "done", "status", "unit_id", "ward_id",
                          "kind", "channel", "category", "rule_id"]

    static var triggers: [String] {
        let changed = """
            OLD.received_at IS NOT NEW.received_at OR OLD.resolved_at IS NOT NEW.resolved_at
              OR OLD.due_at IS NOT NEW.due_at OR OLD.done IS NOT NEW.done
              OR ((OLD.status = 'rejected' OR NEW.status = 'rejected') AND (OLD.status IS NOT NEW.status OR OLD.closed_at IS NOT NEW.closed_at))
              OR (OLD.status = 'awaiting_info') IS NOT (NEW.status = 'awaiting_info')
              OR OLD.unit_id IS NOT NEW.unit_id OR OLD.ward_id IS NOT NEW.ward_id OR OLD.kind IS NOT NEW.kind
              OR OLD.channel IS NOT NEW.channel OR OLD.category IS NOT NEW.category OR OLD.rule_id IS NOT NEW.rule_id
            """
        let reasonRows = (["''"] + reasons.map { "'\($0)'" }).map { "SELECT \($0) AS reason" }.joined(separator: " UNION ALL ")
        return [
            "CREATE TRIGGER stat_case_insert AFTER INSERT ON pakn_case BEGIN \(move([("NEW", 1)])) END",
            """
            CREATE TRIGGER stat_case_update AFTER UPDATE OF \(watched.joined(separator: ", ")) ON pakn_case
            WHEN \(changed)
            BEGIN \(move([("OLD", -1), ("NEW", 1)])) END
            """,
            "CREATE TRIGGER stat_case_delete AFTER DELETE ON pakn_case BEGIN \(move([("OLD", -1)])) END",
            // A rating is counted the day it is given, from the case row its action has just
            // written (the case is updated before its event is appended).
            """
            CREATE TRIGGER stat_rating_event AFTER INSERT ON event WHEN NEW.action = 'rate' BEGIN
              INSERT INTO stat_rating(unit_id, day, score, reason, n)
                SELECT \(unit("c")), \(day("NEW.at")), c.rating, x.reason, 1
                FROM pakn_case c, (\(reasonRows)) x
                WHERE c.id = NEW.case_id AND c.rating IS NOT NULL
                  AND (x.reason = '' OR instr(',' || coalesce(c.rating_reasons, '') || ',', ',' || x.reason || ',') > 0)
                ON CONFLICT DO UPDATE SET n = n + 1;
            END
            """,
        ]
    }

    /// Recounts every counter from the cases and the rating events: after a bulk load
    /// (triggers off) and when the migration first runs. A rating is read from its case's
    /// row (a bulk load writes each case once, in its final state).
    static var rebuildSQL: String { rebuildSQL(sentUp: true) }

    /// The unit a rating event `e` of case `c` counts for, as the trigger counted it: the
    /// unit that handled the case when it was rated. A later transfer or escalation is in
    /// `case_sent_up` (`from_unit_id`: the unit that held it); without one, the case's
    /// unit now. Routing (a ward handing a received case to a department) is not recorded
    /// there, and a rated case has long been routed. A transfer in the same second as the
    /// rating counts as after it.
    static func ratingUnit(sentUp: Bool) -> String {
        guard sentUp else { return unit("c") }
        return "coalesce((SELECT s.from_unit_id FROM case_sent_up s WHERE s.case_id = c.id AND s.at >= e.at ORDER BY s.at LIMIT 1), \(unit("c")))"
    }

    /// The ratings recounted from the rating events.
    static func ratingRebuildSQL(sentUp: Bool) -> String {
        let reasonRows = (["''"] + reasons.map { "'\($0)'" }).map { "SELECT \($0) AS reason" }.joined(separator: " UNION ALL ")
        return """
            DELETE FROM stat_rating;
            INSERT INTO stat_rating(unit_id, day, score, reason, n)
              SELECT \(ratingUnit(sentUp: sentUp)), \(day("e.at")), c.rating, x.reason, count(*)
              FROM event e JOIN pakn_case c ON c.id = e.case_id CROSS JOIN (\(reasonRows)) x
              WHERE e.action = 'rate' AND c.rating IS NOT NULL
                AND (x.reason = '' OR instr(',' || coalesce(c.rating_reasons, '') || ',', ',' || x.reason || ',') > 0)
              GROUP BY 1, 2, 3, 4;
            """
    }

    /// `sentUp`: attribute ratings through `case_sent_up` (false only in migration
    /// `v6-stats`, which ran before that table existed; `v8-stat-lists` recounts them).
    ///
    /// `CROSS JOIN` keeps the case table the outer loop: one pass over it, each row
    /// expanded into its facets, rather than one pass per facet (at 1M cases the recount
    /// after a bulk load takes 5 s less).
    static func rebuildSQL(sentUp: Bool) -> String {
        let facetsSQL = "(SELECT 1 AS f UNION ALL SELECT 2 UNION ALL SELECT 3) x"
        let value = "CASE x.f WHEN 1 THEN c.rule_id WHEN 2 THEN c.channel ELSE c.category END"
        let openValue = "CASE x.f WHEN 0 THEN '' WHEN 2 THEN c.channel ELSE c.category END"
        let u = unit("c")
        return """
            DELETE FROM stat_day;
            DELETE FROM stat_month;
            DELETE FROM stat_span;
            DELETE FROM stat_open;
            INSERT INTO stat_day(unit_id, day, facet, value, received, resolved, on_time, rejected)
              SELECT u, d, f, v, sum(rc), sum(rs), sum(ot), sum(rj) FROM (
                SELECT \(u) AS u, \(day("c.received_at")) AS d, x.f, \(value) AS v, 1 AS rc, 0 AS rs, 0 AS ot, 0 AS rj
                  FROM pakn_case c CROSS JOIN \(facetsSQL)
                UNION ALL
                SELECT \(u), \(day("c.resolved_at")), x.f, \(value), 0, 1, c.resolved_at <= c.due_at, 0
                  FROM pakn_case c CROSS JOIN \(facetsSQL) WHERE c.resolved_at IS NOT NULL
                UNION ALL
                SELECT \(u), \(day("c.closed_at")), x.f, \(value), 0, 0, 0, 1
                  FROM pakn_case c CROSS JOIN \(facetsSQL) WHERE c.status = 'rejected' AND c.closed_at IS NOT NULL)
              GROUP BY u, d, f, v;
            INSERT INTO stat_month(unit_id, month, facet, value, received, resolved, on_time, rejected)
              SELECT unit_id, \(monthOfDay("day")), facet, value, sum(received), sum(resolved), sum(on_time), sum(rejected)
              FROM stat_day GROUP BY 1, 2, 3, 4;
            INSERT INTO stat_span(unit_id, day, span, n)
              SELECT \(u), \(day("c.resolved_at")), \(day("c.resolved_at")) - \(day("c.received_at")), count(*)
              FROM pakn_case c WHERE c.resolved_at IS NOT NULL GROUP BY 1, 2, 3;
            INSERT INTO stat_open(unit_id, facet, due_day, paused, value, n)
              SELECT \(u), x.f, \(day("c.due_at")), c.status = 'awaiting_info', \(openValue), count(*)
              FROM pakn_case c CROSS JOIN (SELECT 0 AS f UNION ALL SELECT 2 UNION ALL SELECT 3) x WHERE c.done = 0 GROUP BY 1, 2, 3, 4, 5;
            """ + ratingRebuildSQL(sentUp: sentUp)
    }

    /// The migration: tables, counters from what the database holds, triggers.
    static func migrate(_ db: Database) throws {
        try db.execute(sql: tablesSQL)
        try db.execute(sql: rebuildSQL(sentUp: false))
        for t in triggers { try db.execute(sql: t) }
    }

    static func dropTriggers(_ db: Database) throws {
        for name in triggerNames { try db.execute(sql: "DROP TRIGGER IF EXISTS \(name)") }
    }

    static func createTriggers(_ db: Database) throws {
        for sql in triggers {
            try db.execute(sql: sql.replacingOccurrences(of: "CREATE TRIGGER ", with: "CREATE TRIGGER IF NOT EXISTS "))
        }
    }
}
