import Foundation

/// Migration `v2-counts-notify`: what the session engine's desks stand on besides the rows.
///
/// - `case_count` kept by a trigger in the same transaction as the change it counts, as the
///   SQLite triggers do (Schema.caseCountTriggers): open cases by scope (0 everything, a
///   positive unit id the province or commune subtree, a negative one exactly that unit),
///   paused or not, and due instant. The trigger function is SECURITY DEFINER: an official
///   who may update a case but not the counters still moves them.
/// - `NOTIFY pakn_case, '<id> <version>'` for every new or changed case, delivered when the
///   transaction commits: a desk that LISTENs re-reads what changed (through its own row-level
///   security) at once instead of polling. The payload holds only the id and version, never
///   content.
///
/// The statistics counters (`stat_*`) are not kept on the server yet: `pakn migrate` copies
/// them as they are (docs/deployment.md §0).
extension ServerSchema {
    static let countsAndNotify: [String] = [
        """
        CREATE FUNCTION pakn_case_count_move(r pakn_case, delta integer) RETURNS void LANGUAGE plpgsql
        SECURITY DEFINER SET search_path = public, pg_temp AS
        $$ BEGIN
             IF r.done THEN RETURN; END IF;
             IF delta > 0 THEN
               INSERT INTO case_count(scope, paused, due_at, n)
                 SELECT s, r.status = 'awaiting_info', r.due_at, 1
                 FROM (VALUES (0::bigint), (r.province_id), (r.commune_id), (-r.unit_id)) AS v(s) WHERE s IS NOT NULL
                 ON CONFLICT (scope, paused, due_at) DO UPDATE SET n = case_count.n + 1;
             ELSE
               UPDATE case_count SET n = n - 1
                 WHERE scope IN (0, r.province_id, r.commune_id, -r.unit_id)
                   AND paused = (r.status = 'awaiting_info') AND due_at = r.due_at;
               DELETE FROM case_count
                 WHERE n <= 0 AND scope IN (0, r.province_id, r.commune_id, -r.unit_id)
                   AND paused = (r.status = 'awaiting_info') AND due_at = r.due_at;
             END IF;
           END $$
        """,
        """
        CREATE FUNCTION pakn_case_changed() RETURNS trigger LANGUAGE plpgsql
        SECURITY DEFINER SET search_path = public, pg_temp AS
        $$ BEGIN
             IF TG_OP = 'DELETE' THEN
               PERFORM pakn_case_count_move(OLD, -1);
               RETURN NULL;
             END IF;
             IF TG_OP = 'INSERT' THEN
               PERFORM pakn_case_count_move(NEW, 1);
             ELSIF (OLD.done, OLD.status = 'awaiting_info', OLD.due_at, OLD.unit_id, OLD.province_id, OLD.commune_id)
                   IS DISTINCT FROM (NEW.done, NEW.status = 'awaiting_info', NEW.due_at, NEW.unit_id, NEW.province_id, NEW.commune_id) THEN
               PERFORM pakn_case_count_move(OLD, -1);
               PERFORM pakn_case_count_move(NEW, 1);
             END IF;
             PERFORM pg_notify('pakn_case', NEW.id::text || ' ' || NEW.version::text);
             RETURN NULL;
           END $$
        """,
        "CREATE TRIGGER case_changed AFTER INSERT OR UPDATE OR DELETE ON pakn_case FOR EACH ROW EXECUTE FUNCTION pakn_case_changed()",
        "REVOKE EXECUTE ON FUNCTION pakn_case_count_move FROM PUBLIC",
        "REVOKE EXECUTE ON FUNCTION pakn_case_changed FROM PUBLIC",
    ]

    /// `case_count` recounted from the cases (SQLite's Schema.caseCountRebuild), for tests
    /// and after a bulk load with the trigger off.
    public static let caseCountRecount = """
        SELECT s AS scope, paused, due_at, count(*) AS n FROM (
          SELECT 0::bigint AS s, status = 'awaiting_info' AS paused, due_at FROM pakn_case WHERE NOT done
          UNION ALL SELECT province_id, status = 'awaiting_info', due_at FROM pakn_case WHERE NOT done AND province_id IS NOT NULL
          UNION ALL SELECT commune_id, status = 'awaiting_info', due_at FROM pakn_case WHERE NOT done AND commune_id IS NOT NULL
          UNION ALL SELECT -unit_id, status = 'awaiting_info', due_at FROM pakn_case WHERE NOT done AND unit_id IS NOT NULL) x
        GROUP BY s, paused, due_at
        """
}

/// Migration `v2-access-chain`: the access log's chain recomputed on the server, as
/// `AccessLog.canonical` and `ChainWalker` do: SHA-256 over the previous hash and the entry's
/// fields joined by U+001F — id, time, actor, login, action, target, note, count, digest,
/// the SHA-256 (hex) of its case ids (ascending, comma-separated) and, for an entry with
/// facts, the SHA-256 (hex) of its facts (`table RS key RS digest`, `-` for a removed row,
/// byte order, one a line).
extension ServerSchema {
    static let accessChain: [String] = [
        """
        CREATE FUNCTION pakn_verify_access_chain() RETURNS TABLE(entries bigint, head text, first_broken bigint)
        LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS
        $$ DECLARE prev bytea := '\\x\(String(repeating: "0", count: 64))'::bytea; expected bigint := 1; n bigint := 0;
                   e access_log; ids text; facts text; t text; h bytea;
           BEGIN
             FOR e IN SELECT * FROM access_log ORDER BY id LOOP
               SELECT coalesce(string_agg(case_id::text, ',' ORDER BY case_id), '') INTO ids FROM access_case WHERE access_id = e.id;
               SELECT string_agg(line, chr(10) ORDER BY line COLLATE "C") INTO facts
                 FROM (SELECT tbl || chr(30) || key || chr(30) || coalesce(digest, '-') AS line FROM access_fact WHERE access_id = e.id) f;
               t := e.id::text || chr(31) || floor(extract(epoch FROM e.at))::bigint::text || chr(31) || coalesce(e.actor_id::text, '')
                 || chr(31) || e.login || chr(31) || e.action || chr(31) || coalesce(e.target, '') || chr(31) || coalesce(e.note, '')
                 || chr(31) || e.count::text || chr(31) || coalesce(e.digest, '') || chr(31) || encode(sha256(convert_to(ids, 'UTF8')), 'hex')
                 || coalesce(chr(31) || encode(sha256(convert_to(facts, 'UTF8')), 'hex'), '');
               h := sha256(prev || convert_to(t, 'UTF8'));
               IF e.id <> expected OR h IS DISTINCT FROM e.hash THEN
                 RETURN QUERY SELECT n, encode(prev, 'hex'), e.id; RETURN;
               END IF;
               prev := h; expected := expected + 1; n := n + 1;
             END LOOP;
             RETURN QUERY SELECT n, encode(prev, 'hex'), NULL::bigint;
           END $$
        """,
        "REVOKE EXECUTE ON FUNCTION pakn_verify_access_chain FROM PUBLIC",
    ]
}
