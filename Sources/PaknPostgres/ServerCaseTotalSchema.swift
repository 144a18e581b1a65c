import Foundation

/// Migration `v7-case-total`: how many cases (open and finished) each desk scope holds, kept
/// by a trigger in the transaction of every change, as `case_count` keeps the open ones.
///
/// The desk's "all" view counts every case of the official's subtree in its header; on a
/// server that was every row of a province read under the read policy (about 100 ms at
/// 100,000 cases). `case_total` holds the same scopes as `case_count` (0 everything, a
/// positive unit id the province or commune, a negative one exactly that unit), so the
/// header reads a few rows (`ServerSession.counterCount`). The trigger function is SECURITY
/// DEFINER: an official who may take in or move a case but not write the counters still
/// moves them. `pakn migrate` turns the trigger off while it copies and recounts after.
extension ServerSchema {
    /// `case_total` recounted from the cases, for the migration (replaced by
    /// `case_status_total` in `v9-case-status-total`): its sums over the statuses.
    static var caseTotalRecount: String {
        "SELECT scope, sum(n)::bigint AS n FROM (\(caseStatusTotalRecount)) t GROUP BY scope"
    }

    static func caseTotalMigrations(group g: String) -> [Migration] {
        [Migration(id: "v7-case-total", statements: [
            "CREATE TABLE case_total(scope bigint PRIMARY KEY, n bigint NOT NULL)",
            "INSERT INTO case_total(scope, n) \(caseTotalRecount)",
            """
            CREATE FUNCTION pakn_case_total_move(r pakn_case, delta integer) RETURNS void LANGUAGE plpgsql \(definer) AS
            $$ BEGIN
                 INSERT INTO case_total(scope, n)
                   SELECT s, delta FROM (VALUES (0::bigint), (r.province_id), (r.commune_id), (-r.unit_id)) AS v(s) WHERE s IS NOT NULL
                   ON CONFLICT (scope) DO UPDATE SET n = case_total.n + delta;
               END $$
            """,
            """
            CREATE FUNCTION pakn_case_total_changed() RETURNS trigger LANGUAGE plpgsql \(definer) AS
            $$ BEGIN
                 IF TG_OP = 'INSERT' THEN
                   PERFORM pakn_case_total_move(NEW, 1);
                 ELSIF TG_OP = 'DELETE' THEN
                   PERFORM pakn_case_total_move(OLD, -1);
                 ELSIF (OLD.unit_id, OLD.province_id, OLD.commune_id) IS DISTINCT FROM (NEW.unit_id, NEW.province_id, NEW.commune_id) THEN
                   PERFORM pakn_case_total_move(OLD, -1);
                   PERFORM pakn_case_total_move(NEW, 1);
                 END IF;
                 RETURN NULL;
               END $$
            """,
            """
            CREATE TRIGGER case_total AFTER INSERT OR DELETE OR UPDATE OF unit_id, province_id, commune_id ON pakn_case
            FOR EACH ROW EXECUTE FUNCTION pakn_case_total_changed()
            """,
            "REVOKE EXECUTE ON FUNCTION pakn_case_total_move FROM PUBLIC",
            "REVOKE EXECUTE ON FUNCTION pakn_case_total_changed FROM PUBLIC",
            "GRANT SELECT ON case_total TO \(g)",
        ])]
    }
}

/// Migration `v9-case-status-total`: `case_total` by status. The header of a view of one
/// status or a few (received, resolved, closed and rejected…) counted every case of the
/// subtree in those statuses, row by row under the read policy: at 1,000,000 cases a finished
/// status passed the header's 250 ms budget and showed the rows held with a "+". The counts
/// now have the status beside the scope, kept by a trigger deferred to the commit (below),
/// so a status view and the "all" view alike read a few rows (`ServerSession.counterCount`).
/// It replaces `case_total` (one trigger on the cases, as before).
extension ServerSchema {
    /// `case_status_total` recounted from the cases, for the migration, `pakn migrate` and tests.
    public static let caseStatusTotalRecount = """
        SELECT s AS scope, status, count(*)::bigint AS n FROM (
          SELECT 0::bigint AS s, status FROM pakn_case
          UNION ALL SELECT province_id, status FROM pakn_case WHERE province_id IS NOT NULL
          UNION ALL SELECT commune_id, status FROM pakn_case WHERE commune_id IS NOT NULL
          UNION ALL SELECT -unit_id, status FROM pakn_case WHERE unit_id IS NOT NULL) x
        GROUP BY s, status
        """

    static func caseStatusTotalMigrations(group g: String) -> [Migration] {
        [Migration(id: "v9-case-status-total", statements: [
            "CREATE TABLE case_status_total(scope bigint NOT NULL, status text NOT NULL, n bigint NOT NULL, PRIMARY KEY (scope, status))",
            "INSERT INTO case_status_total(scope, status, n) \(caseStatusTotalRecount)",
            // One statement for a case's move, its rows in one order: two moves in opposite
            // directions (A→B and B→A) lock the same rows in the same order, not crosswise.
            """
            CREATE FUNCTION pakn_case_status_total_move(o pakn_case, n pakn_case) RETURNS void LANGUAGE plpgsql \(definer) AS
            $$ BEGIN
                 INSERT INTO case_status_total(scope, status, n)
                   SELECT s, st, sum(d) FROM (VALUES
                       (0::bigint, o.status, -1), (o.province_id, o.status, -1), (o.commune_id, o.status, -1), (-o.unit_id, o.status, -1),
                       (0::bigint, n.status, 1), (n.province_id, n.status, 1), (n.commune_id, n.status, 1), (-n.unit_id, n.status, 1)
                     ) AS v(s, st, d)
                   WHERE s IS NOT NULL AND st IS NOT NULL
                   GROUP BY s, st HAVING sum(d) <> 0 ORDER BY s, st
                   ON CONFLICT (scope, status) DO UPDATE SET n = case_status_total.n + EXCLUDED.n;
               END $$
            """,
            """
            CREATE FUNCTION pakn_case_status_total_changed() RETURNS trigger LANGUAGE plpgsql \(definer) AS
            $$ BEGIN
                 IF TG_OP = 'INSERT' THEN
                   PERFORM pakn_case_status_total_move(NULL, NEW);
                 ELSIF TG_OP = 'DELETE' THEN
                   PERFORM pakn_case_status_total_move(OLD, NULL);
                 ELSIF (OLD.unit_id, OLD.province_id, OLD.commune_id, OLD.status)
                       IS DISTINCT FROM (NEW.unit_id, NEW.province_id, NEW.commune_id, NEW.status) THEN
                   PERFORM pakn_case_status_total_move(OLD, NEW);
                 END IF;
                 RETURN NULL;
               END $$
            """,
            // Deferred to the commit: every change of a case appends its event first, and the
            // chain's head is locked from that append to the commit, so the counters' rows
            // (the city's, the province's, one per status) are written while the writes are
            // already one at a time. As an ordinary trigger, each action locked them from its
            // UPDATE on: the load test's assigns waited seconds behind one another.
            """
            CREATE CONSTRAINT TRIGGER case_status_total AFTER INSERT OR DELETE OR UPDATE OF unit_id, province_id, commune_id, status
            ON pakn_case DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION pakn_case_status_total_changed()
            """,
            "REVOKE EXECUTE ON FUNCTION pakn_case_status_total_move FROM PUBLIC",
            "REVOKE EXECUTE ON FUNCTION pakn_case_status_total_changed FROM PUBLIC",
            "GRANT SELECT ON case_status_total TO \(g)",
            // The totals by scope alone are the sums of these.
            "DROP TRIGGER case_total ON pakn_case",
            "DROP FUNCTION pakn_case_total_changed()",
            "DROP FUNCTION pakn_case_total_move(pakn_case, integer)",
            "DROP TABLE case_total",
        ])]
    }
}
