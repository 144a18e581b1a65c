import Foundation
import PaknCore

/// Migration `v2-stats`: the statistics counters (docs/data-model.md §9) kept by the server
/// as SQLite's triggers keep them (Sources/PaknStore/Stats/StatSchema.swift), in the same
/// transaction as the change they count, whoever makes it (the trigger functions are
/// SECURITY DEFINER: officials cannot write the counters themselves).
///
/// The same buckets as SQLite: a case counts for `coalesce(unit_id, ward_id, 0)`; a day is
/// the Vietnam day ordinal `(epoch + 25200) / 86400`; a month `year * 12 + month - 1` of
/// that day; facets 1 rule, 2 channel, 3 category (stat_open: 0 all, 2, 3).
extension ServerSchema {
    static var statsReasons: String {
        (["''"] + RatingReason.allCases.map { literal($0.rawValue) }).map { "(\($0))" }.joined(separator: ", ")
    }

    static var stats: [String] {
        [
            "CREATE FUNCTION pakn_vn_day(t timestamptz) RETURNS integer LANGUAGE sql IMMUTABLE AS $$ SELECT ((floor(extract(epoch FROM t))::bigint + 25200) / 86400)::integer $$",
            """
            CREATE FUNCTION pakn_vn_month(d integer) RETURNS integer LANGUAGE sql IMMUTABLE AS
            $$ SELECT (extract(year FROM date '1970-01-01' + d)::integer * 12 + extract(month FROM date '1970-01-01' + d)::integer - 1) $$
            """,
            // One bucket of stat_day and stat_month (per facet of the row).
            """
            CREATE FUNCTION pakn_stat_add(r pakn_case, d integer, rc integer, rs integer, ot integer, rj integer) RETURNS void
            LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS
            $$ DECLARE u bigint := coalesce(r.unit_id, r.ward_id, 0); f record;
               BEGIN
                 FOR f IN SELECT * FROM (VALUES (1, r.rule_id), (2, r.channel), (3, r.category)) AS x(facet, value) LOOP
                   INSERT INTO stat_day AS s (unit_id, day, facet, value, received, resolved, on_time, rejected)
                     VALUES (u, d, f.facet, f.value, rc, rs, ot, rj)
                     ON CONFLICT (unit_id, day, facet, value) DO UPDATE SET received = s.received + rc, resolved = s.resolved + rs,
                       on_time = s.on_time + ot, rejected = s.rejected + rj;
                   INSERT INTO stat_month AS s (unit_id, month, facet, value, received, resolved, on_time, rejected)
                     VALUES (u, pakn_vn_month(d), f.facet, f.value, rc, rs, ot, rj)
                     ON CONFLICT (unit_id, month, facet, value) DO UPDATE SET received = s.received + rc, resolved = s.resolved + rs,
                       on_time = s.on_time + ot, rejected = s.rejected + rj;
                 END LOOP;
                 DELETE FROM stat_day WHERE unit_id = u AND day = d AND received = 0 AND resolved = 0 AND on_time = 0 AND rejected = 0;
                 DELETE FROM stat_month WHERE unit_id = u AND month = pakn_vn_month(d)
                   AND received = 0 AND resolved = 0 AND on_time = 0 AND rejected = 0;
               END $$
            """,
            // A row's whole contribution, added (sg = 1) or taken back (sg = -1).
            """
            CREATE FUNCTION pakn_stat_move(r pakn_case, sg integer) RETURNS void
            LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS
            $$ DECLARE u bigint := coalesce(r.unit_id, r.ward_id, 0); f record; dd integer; sp integer;
               BEGIN
                 PERFORM pakn_stat_add(r, pakn_vn_day(r.received_at), sg, 0, 0, 0);
                 IF r.resolved_at IS NOT NULL THEN
                   PERFORM pakn_stat_add(r, pakn_vn_day(r.resolved_at), 0, sg, CASE WHEN r.resolved_at <= r.due_at THEN sg ELSE 0 END, 0);
                   sp := pakn_vn_day(r.resolved_at) - pakn_vn_day(r.received_at);
                   INSERT INTO stat_span AS s (unit_id, day, span, n) VALUES (u, pakn_vn_day(r.resolved_at), sp, sg)
                     ON CONFLICT (unit_id, day, span) DO UPDATE SET n = s.n + sg;
                   DELETE FROM stat_span WHERE unit_id = u AND day = pakn_vn_day(r.resolved_at) AND span = sp AND n = 0;
                 END IF;
                 IF r.status = 'rejected' AND r.closed_at IS NOT NULL THEN
                   PERFORM pakn_stat_add(r, pakn_vn_day(r.closed_at), 0, 0, 0, sg);
                 END IF;
                 IF NOT r.done THEN
                   dd := pakn_vn_day(r.due_at);
                   FOR f IN SELECT * FROM (VALUES (0, ''), (2, r.channel), (3, r.category)) AS x(facet, value) LOOP
                     INSERT INTO stat_open AS s (unit_id, facet, due_day, paused, value, n)
                       VALUES (u, f.facet, dd, CASE WHEN r.status = 'awaiting_info' THEN 1 ELSE 0 END, f.value, sg)
                       ON CONFLICT (unit_id, facet, due_day, paused, value) DO UPDATE SET n = s.n + sg;
                   END LOOP;
                   DELETE FROM stat_open WHERE unit_id = u AND due_day = dd AND n = 0;
                 END IF;
               END $$
            """,
            """
            CREATE FUNCTION pakn_stat_case() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS
            $$ BEGIN
                 IF TG_OP = 'INSERT' THEN
                   PERFORM pakn_stat_move(NEW, 1);
                 ELSIF TG_OP = 'DELETE' THEN
                   PERFORM pakn_stat_move(OLD, -1);
                 ELSIF (OLD.received_at, OLD.resolved_at, OLD.due_at, OLD.done, OLD.status = 'awaiting_info', OLD.unit_id, OLD.ward_id,
                        OLD.kind, OLD.channel, OLD.category, OLD.rule_id)
                       IS DISTINCT FROM (NEW.received_at, NEW.resolved_at, NEW.due_at, NEW.done, NEW.status = 'awaiting_info', NEW.unit_id,
                        NEW.ward_id, NEW.kind, NEW.channel, NEW.category, NEW.rule_id)
                    OR ((OLD.status = 'rejected' OR NEW.status = 'rejected')
                        AND (OLD.status IS DISTINCT FROM NEW.status OR OLD.closed_at IS DISTINCT FROM NEW.closed_at)) THEN
                   PERFORM pakn_stat_move(OLD, -1);
                   PERFORM pakn_stat_move(NEW, 1);
                 END IF;
                 RETURN NULL;
               END $$
            """,
            "CREATE TRIGGER stat_case AFTER INSERT OR UPDATE OR DELETE ON pakn_case FOR EACH ROW EXECUTE FUNCTION pakn_stat_case()",
            // A rating is counted the day it is given, from the case row its action has just written.
            """
            CREATE FUNCTION pakn_stat_rating() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS
            $$ BEGIN
                 INSERT INTO stat_rating AS s (unit_id, day, score, reason, n)
                   SELECT coalesce(c.unit_id, c.ward_id, 0), pakn_vn_day(NEW.at), c.rating, x.reason, 1
                   FROM pakn_case c, (VALUES \(statsReasons)) AS x(reason)
                   WHERE c.id = NEW.case_id AND c.rating IS NOT NULL
                     AND (x.reason = '' OR position(',' || x.reason || ',' IN ',' || coalesce(c.rating_reasons, '') || ',') > 0)
                   ON CONFLICT (unit_id, day, score, reason) DO UPDATE SET n = s.n + 1;
                 RETURN NULL;
               END $$
            """,
            "CREATE TRIGGER stat_rating_event AFTER INSERT ON event FOR EACH ROW WHEN (NEW.action = 'rate') EXECUTE FUNCTION pakn_stat_rating()",
        ] + ["pakn_stat_add", "pakn_stat_move", "pakn_stat_case", "pakn_stat_rating"].map { "REVOKE EXECUTE ON FUNCTION \($0) FROM PUBLIC" }
    }

    /// The counters recounted from the cases and rating events (StatSchema.rebuildSQL), one
    /// query per table, for tests and after a bulk load with the triggers off.
    public static var statsRecount: [String: String] {
        let facets = "(VALUES (1), (2), (3)) AS x(f)"
        let value = "CASE x.f WHEN 1 THEN c.rule_id WHEN 2 THEN c.channel ELSE c.category END"
        let u = "coalesce(c.unit_id, c.ward_id, 0)"
        let day = """
            SELECT u, d, f, v, sum(rc) AS received, sum(rs) AS resolved, sum(ot) AS on_time, sum(rj) AS rejected FROM (
              SELECT \(u) AS u, pakn_vn_day(c.received_at) AS d, x.f, \(value) AS v, 1 AS rc, 0 AS rs, 0 AS ot, 0 AS rj
                FROM pakn_case c, \(facets)
              UNION ALL
              SELECT \(u), pakn_vn_day(c.resolved_at), x.f, \(value), 0, 1, CASE WHEN c.resolved_at <= c.due_at THEN 1 ELSE 0 END, 0
                FROM pakn_case c, \(facets) WHERE c.resolved_at IS NOT NULL
              UNION ALL
              SELECT \(u), pakn_vn_day(c.closed_at), x.f, \(value), 0, 0, 0, 1
                FROM pakn_case c, \(facets) WHERE c.status = 'rejected' AND c.closed_at IS NOT NULL) t
            GROUP BY u, d, f, v
            """
        return [
            "stat_day": day,
            "stat_month": """
                SELECT u, pakn_vn_month(d), f, v, sum(received), sum(resolved), sum(on_time), sum(rejected)
                FROM (\(day)) y GROUP BY 1, 2, 3, 4
                """,
            "stat_span": """
                SELECT \(u), pakn_vn_day(c.resolved_at), pakn_vn_day(c.resolved_at) - pakn_vn_day(c.received_at), count(*)
                FROM pakn_case c WHERE c.resolved_at IS NOT NULL GROUP BY 1, 2, 3
                """,
            "stat_open": """
                SELECT \(u), x.f, pakn_vn_day(c.due_at), CASE WHEN c.status = 'awaiting_info' THEN 1 ELSE 0 END,
                  CASE x.f WHEN 0 THEN '' WHEN 2 THEN c.channel ELSE c.category END, count(*)
                FROM pakn_case c, (VALUES (0), (2), (3)) AS x(f) WHERE NOT c.done GROUP BY 1, 2, 3, 4, 5
                """,
            "stat_rating": """
                SELECT \(u), pakn_vn_day(e.at), c.rating, x.reason, count(*)
                FROM event e JOIN pakn_case c ON c.id = e.case_id, (VALUES \(statsReasons)) AS x(reason)
                WHERE e.action = 'rate' AND c.rating IS NOT NULL
                  AND (x.reason = '' OR position(',' || x.reason || ',' IN ',' || coalesce(c.rating_reasons, '') || ',') > 0)
                GROUP BY 1, 2, 3, 4
                """,
        ]
    }
}
