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
    /// `case_total` recounted from the cases, for the migration, `pakn migrate` and tests.
    public static let caseTotalRecount = """
        SELECT s AS scope, count(*)::bigint AS n FROM (
          SELECT 0::bigint AS s FROM pakn_case
          UNION ALL SELECT province_id FROM pakn_case WHERE province_id IS NOT NULL
          UNION ALL SELECT commune_id FROM pakn_case WHERE commune_id IS NOT NULL
          UNION ALL SELECT -unit_id FROM pakn_case WHERE unit_id IS NOT NULL) x
        GROUP BY s
        """

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
