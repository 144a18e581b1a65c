import Foundation
import PaknCore
import PaknStoreAPI

/// Migrations `v4-ops-*`: what the session engine needs to do on a server what the SQLite
/// store does, with the server enforcing it (docs/deployment.md §3):
///
/// - `v4-ops-record`: refusals and reads recorded by the server. `pakn_record_refusal` appends
///   a `refused` event to a case the caller named, whether or not their row-level security
///   shows it (as the SQLite store records an attempt on a case outside one's units);
///   `pakn_access_refused` and `pakn_access_read` append to the access log, chained as
///   `AccessLog.canonical` (the same text `pakn_verify_access_chain` recomputes), through
///   `pakn_access_write`, which only the owner's functions may call. Each is called in its
///   own statement after the refused action rolled back: the record commits before the
///   error is shown.
/// - `v4-ops-officials`: adding an official (and their LOGIN role), changing a role,
///   disabling and enabling, each checked on the server (`manage_officials`, the official
///   within the caller's units, no role above the caller's, never oneself, never the last
///   who may manage officials) and recorded in the access log in the same transaction.
/// - `v4-ops-audit`: the chains checked, their heads and the access log read through
///   functions that check the caller (the access log and `event_head` stay unreadable).
/// - `v4-ops-sent-up`: who sent what up (SQLite's `v7-sent-up`, Sources/PaknStore/Cases/
///   SentUp.swift): `case_sent_up`, kept by a trigger in the transaction that moves a case,
///   and the case read policy widened to the cases a unit of one's subtree sent away (read
///   only: the update policy, `pakn_in_scope` and so every action keep the old scope).
/// - `v4-ops-case-act`: a case changes only with its event. `pakn_case_act` checks the case
///   is in the caller's scope and the action's permission, writes the row and appends the
///   event, in one call; officials lose the direct UPDATE on `pakn_case`. A transfer or an
///   escalation that takes a case out of the caller's sight works (row-level security
///   would refuse the UPDATE's new row), and no one can change a case from `psql` without
///   a chained, permitted event.
/// - `v4-ops-export`: an export's reporters (`pakn export`), read by `pakn_export_reporters`,
///   which records the export in the access log (naming every case) in the same call and
///   gives the reporters masked as `Reporter.masked()` masks them, or whole for an
///   unredacted export (`export_unredacted` and a reason); sealed and anonymous ones never.
/// - `v4-ops-remote`: a commune flagged (or unflagged) remote (`pakn units remote set`) by
///   `pakn_unit_set_remote`: `manage_rules` over the commune, a reason, the access-log entry
///   in the same transaction.
extension ServerSchema {
    /// The `v4-ops-*` migrations, appended after the others (ServerSchema.migrations).
    static func opsMigrations(group: String) -> [Migration] {
        let g = ident(group)
        return [
            Migration(id: "v4-ops-record", statements: opsRecord(group: g)),
            Migration(id: "v4-ops-officials", statements: opsOfficials(group: g)),
            Migration(id: "v4-ops-audit", statements: opsAudit(group: g)),
            Migration(id: "v4-ops-sent-up", statements: opsSentUp(group: g)),
            Migration(id: "v4-ops-case-act", statements: opsCaseAct(group: g)),
            Migration(id: "v4-ops-export", statements: opsExport(group: g)),
            Migration(id: "v4-ops-remote", statements: opsRemote(group: g)),
        ]
    }

    static let definer = "SECURITY DEFINER SET search_path = public, pg_temp"
    static var notOfficialRaise: String {
        "RAISE EXCEPTION USING ERRCODE = '42501', MESSAGE = format(\(pattern("pg.trust.not_official", args: 1)), \(patternArgs("session_user")))"
    }
    static func deniedRaise(_ perm: String) -> String {
        "RAISE EXCEPTION USING ERRCODE = '42501', MESSAGE = format(\(pattern("pg.trust.denied", args: 2)), \(patternArgs("session_user", perm)))"
    }

    /// The access-log actions an official's session may record for a read it made itself.
    static let readActions = [AccessAction.export, .exportUnredacted, .reportExport, .citizenExport].map(\.rawValue)

    static func opsRecord(group g: String) -> [String] {
        let zeros = String(repeating: "0", count: 64)
        return [
            // The caller as an official, active or not (a disabled official's attempt is
            // recorded too).
            """
            CREATE FUNCTION pakn_caller() RETURNS official LANGUAGE sql STABLE \(definer) AS
            $$ SELECT * FROM official WHERE login = session_user $$
            """,
            // The one way into the access log: serialised on the table, the hash over the
            // previous one and the entry's canonical text (AccessLog.canonical, no facts).
            """
            CREATE FUNCTION pakn_access_write(p_actor bigint, p_login text, p_action text, p_target text, p_note text,
                p_count bigint, p_digest text, p_cases bigint[]) RETURNS bigint LANGUAGE plpgsql \(definer) AS
            $$ DECLARE prev bytea; id_ bigint; at_ timestamptz := to_timestamp(floor(extract(epoch FROM now())));
                       ids bigint[]; t text; h bytea;
               BEGIN
                 LOCK TABLE access_log IN SHARE ROW EXCLUSIVE MODE;
                 SELECT l.id, l.hash INTO id_, prev FROM access_log l ORDER BY l.id DESC LIMIT 1;
                 id_ := coalesce(id_, 0) + 1;
                 prev := coalesce(prev, '\\x\(zeros)'::bytea);
                 SELECT coalesce(array_agg(DISTINCT x ORDER BY x), '{}') INTO ids FROM unnest(coalesce(p_cases, '{}'::bigint[])) x;
                 t := id_::text || chr(31) || floor(extract(epoch FROM at_))::bigint::text || chr(31) || coalesce(p_actor::text, '')
                   || chr(31) || p_login || chr(31) || p_action || chr(31) || coalesce(p_target, '') || chr(31) || coalesce(p_note, '')
                   || chr(31) || coalesce(p_count, 0)::text || chr(31) || coalesce(p_digest, '') || chr(31)
                   || encode(sha256(convert_to(array_to_string(ids, ','), 'UTF8')), 'hex');
                 h := sha256(prev || convert_to(t, 'UTF8'));
                 INSERT INTO access_log(id, at, actor_id, login, action, target, note, count, digest, hash)
                   VALUES (id_, at_, p_actor, p_login, p_action, p_target, p_note, coalesce(p_count, 0), p_digest, h);
                 INSERT INTO access_case(access_id, case_id) SELECT id_, x FROM unnest(ids) x;
                 RETURN id_;
               END $$
            """,
            // A refused act that is not one case's (a list outside one's units, a permission
            // an administrative act needs): an access-log entry by the caller.
            """
            CREATE FUNCTION pakn_access_refused(p_target text, p_note text) RETURNS bigint LANGUAGE plpgsql \(definer) AS
            $$ DECLARE o official := pakn_caller();
               BEGIN
                 IF o.id IS NULL THEN \(notOfficialRaise); END IF;
                 RETURN pakn_access_write(o.id, o.login, 'refused', left(p_target, 500), left(p_note, 2000), 0, NULL, '{}');
               END $$
            """,
            // A read the caller made (an export, a report), with the cases it named: only the
            // actions of reads, only cases the caller may read, by an active official.
            """
            CREATE FUNCTION pakn_access_read(p_action text, p_target text, p_note text, p_count bigint, p_digest text,
                p_cases bigint[]) RETURNS bigint LANGUAGE plpgsql \(definer) AS
            $$ DECLARE me bigint := pakn_me(); ids bigint[];
               BEGIN
                 IF me IS NULL THEN \(notOfficialRaise); END IF;
                 IF p_action NOT IN (\(readActions.map(literal).joined(separator: ", "))) THEN \(deniedRaise("p_action")); END IF;
                 IF p_action = 'export_unredacted' AND NOT pakn_may('export_unredacted') THEN \(deniedRaise("'export_unredacted'")); END IF;
                 SELECT coalesce(array_agg(c.id), '{}') INTO ids FROM pakn_case c
                   WHERE c.id = ANY(coalesce(p_cases, '{}'::bigint[])) AND pakn_in_scope(c.unit_id, c.ward_id, c.assignee_id);
                 RETURN pakn_access_write(me, session_user, p_action, left(p_target, 500), left(p_note, 2000), p_count, p_digest, ids);
               END $$
            """,
            // A refused attempt on a case, named as the caller typed it (a code or an id): a
            // `refused` event in its history whether or not the caller may read it; false
            // when there is no such case (nothing to record it on).
            """
            CREATE FUNCTION pakn_record_refusal(p_ref text, p_note text) RETURNS boolean LANGUAGE plpgsql \(definer) AS
            $$ DECLARE o official := pakn_caller(); c pakn_case; t text := btrim(coalesce(p_ref, ''));
               BEGIN
                 IF o.id IS NULL THEN \(notOfficialRaise); END IF;
                 SELECT * INTO c FROM pakn_case WHERE code = upper(t);
                 IF NOT FOUND AND t ~ '^[0-9]{1,18}$' THEN SELECT * INTO c FROM pakn_case WHERE id = t::bigint; END IF;
                 IF c.id IS NULL THEN RETURN false; END IF;
                 PERFORM pakn_chain_append(o.id, c.id, 'refused', c.status, c.status, left(p_note, 2000), '{}');
                 RETURN true;
               END $$
            """,
            "REVOKE EXECUTE ON FUNCTION pakn_access_write FROM PUBLIC",
            "REVOKE EXECUTE ON FUNCTION pakn_caller FROM PUBLIC",
        ] + ["pakn_caller", "pakn_access_refused", "pakn_access_read", "pakn_record_refusal"].flatMap {
            ["REVOKE EXECUTE ON FUNCTION \($0) FROM PUBLIC", "GRANT EXECUTE ON FUNCTION \($0) TO \(g)"]
        }
    }

    static func opsOfficials(group g: String) -> [String] {
        let lastAdmin = "RAISE EXCEPTION USING ERRCODE = 'P0001', MESSAGE = format(\(pattern("trust.officials.last_admin", args: 1)), \(patternArgs("p_login")))"
        let notSelf = "RAISE EXCEPTION USING ERRCODE = 'P0001', MESSAGE = \(pattern("trust.officials.self", args: 0))"
        // Whether anyone else active may still manage officials.
        let othersManage = """
            EXISTS (SELECT 1 FROM official x JOIN role_permission rp ON rp.role = x.role AND rp.permission = 'manage_officials'
                    WHERE x.active AND x.id <> o.id)
            """
        let manages = { (role: String) in
            "EXISTS (SELECT 1 FROM role_permission WHERE role = \(role) AND permission = 'manage_officials')"
        }
        return [
            // Replaces v1's: the same checks, and the access-log entry in the same transaction.
            """
            CREATE OR REPLACE FUNCTION pakn_official_add(p_login text, p_full_name text, p_unit_code text, p_role text,
                p_password text DEFAULT NULL) RETURNS bigint LANGUAGE plpgsql \(definer) AS
            $$ DECLARE me bigint := pakn_me(); u unit; id_ bigint;
               BEGIN
                 IF me IS NULL THEN \(notOfficialRaise); END IF;
                 IF NOT pakn_may('manage_officials') THEN \(deniedRaise("'manage_officials'")); END IF;
                 SELECT * INTO u FROM unit WHERE code = p_unit_code;
                 IF NOT FOUND OR NOT pakn_within(u.id, pakn_my_path()) OR NOT pakn_may_handle(p_role)
                    OR NOT EXISTS (SELECT 1 FROM role_permission WHERE role = p_role) THEN
                   \(deniedRaise("'manage_officials'"));
                 END IF;
                 IF p_login !~ '^[a-z0-9][a-z0-9._-]*$' OR EXISTS (SELECT 1 FROM official WHERE login = p_login) THEN
                   RAISE EXCEPTION USING ERRCODE = 'P0001', MESSAGE = format(\(pattern("pg.trust.login_taken", args: 1)), \(patternArgs("p_login")));
                 END IF;
                 LOCK TABLE official IN SHARE ROW EXCLUSIVE MODE;
                 SELECT coalesce(max(id), 0) + 1 INTO id_ FROM official;
                 INSERT INTO official(id, login, full_name, unit_id, role, active, folded)
                   VALUES (id_, p_login, p_full_name, u.id, p_role, true, pakn_fold(p_full_name || ' ' || p_login));
                 PERFORM pakn_official_role(p_login, p_password);
                 PERFORM pakn_access_write(me, session_user, 'official_add', p_login, p_role || ' @ ' || u.code, 0, NULL, '{}');
                 RETURN id_;
               END $$
            """,
            """
            CREATE OR REPLACE FUNCTION pakn_official_set_active(p_login text, p_active boolean) RETURNS void LANGUAGE plpgsql \(definer) AS
            $$ DECLARE me bigint := pakn_me(); o official;
               BEGIN
                 IF me IS NULL THEN \(notOfficialRaise); END IF;
                 SELECT * INTO o FROM official WHERE login = p_login;
                 IF NOT FOUND OR NOT pakn_may('manage_officials') OR NOT pakn_within(o.unit_id, pakn_my_path())
                    OR NOT pakn_may_handle(o.role) THEN \(deniedRaise("'manage_officials'")); END IF;
                 IF o.id = me THEN \(notSelf); END IF;
                 IF o.active = p_active THEN RETURN; END IF;
                 IF NOT p_active AND \(manages("o.role")) AND NOT \(othersManage) THEN \(lastAdmin); END IF;
                 UPDATE official SET active = p_active WHERE id = o.id;
                 EXECUTE format('ALTER ROLE %I %s', p_login, CASE WHEN p_active THEN 'LOGIN' ELSE 'NOLOGIN' END);
                 PERFORM pakn_access_write(me, session_user, CASE WHEN p_active THEN 'official_enable' ELSE 'official_disable' END,
                                           p_login, NULL, 0, NULL, '{}');
               END $$
            """,
            """
            CREATE FUNCTION pakn_official_set_role(p_login text, p_role text) RETURNS void LANGUAGE plpgsql \(definer) AS
            $$ DECLARE me bigint := pakn_me(); o official;
               BEGIN
                 IF me IS NULL THEN \(notOfficialRaise); END IF;
                 SELECT * INTO o FROM official WHERE login = p_login;
                 IF NOT FOUND OR NOT pakn_may('manage_officials') OR NOT pakn_within(o.unit_id, pakn_my_path())
                    OR NOT pakn_may_handle(o.role) OR NOT pakn_may_handle(p_role)
                    OR NOT EXISTS (SELECT 1 FROM role_permission WHERE role = p_role) THEN \(deniedRaise("'manage_officials'")); END IF;
                 IF o.id = me THEN \(notSelf); END IF;
                 IF o.role = p_role THEN RETURN; END IF;
                 IF \(manages("o.role")) AND NOT \(manages("p_role")) AND NOT \(othersManage) THEN \(lastAdmin); END IF;
                 UPDATE official SET role = p_role WHERE id = o.id;
                 PERFORM pakn_access_write(me, session_user, 'official_role', p_login, o.role || ' → ' || p_role, 0, NULL, '{}');
               END $$
            """,
            "REVOKE EXECUTE ON FUNCTION pakn_official_set_role FROM PUBLIC",
            "GRANT EXECUTE ON FUNCTION pakn_official_set_role TO \(g)",
        ]
    }

    static func opsAudit(group g: String) -> [String] {
        let needView = "IF NOT pakn_may('view') THEN \(deniedRaise("'view'")); END IF;"
        return [
            // Either chain walked on the server (`pakn audit verify`): what verified, where it
            // broke, which id came instead of the one expected, the id of `p_against`'s hash
            // among the verified entries, and the case of a broken intake that fixes its facts.
            """
            CREATE FUNCTION pakn_audit_chain(p_chain text, p_against text)
            RETURNS TABLE(entries bigint, head text, first_broken bigint, against_id bigint, facts_case text)
            LANGUAGE plpgsql STABLE \(definer) AS
            $$ DECLARE n bigint; h text; broken bigint; aid bigint; fc text; e event;
               BEGIN
                 IF pakn_me() IS NULL THEN \(notOfficialRaise); END IF;
                 \(needView)
                 IF p_chain = 'access' THEN
                   SELECT v.entries, v.head, v.first_broken INTO n, h, broken FROM pakn_verify_access_chain() v;
                   IF p_against IS NOT NULL THEN
                     SELECT id INTO aid FROM access_log WHERE hash = decode(p_against, 'hex') AND id <= n;
                   END IF;
                 ELSE
                   SELECT v.events, v.head, v.first_broken INTO n, h, broken FROM pakn_verify_chain() v;
                   IF p_against IS NOT NULL THEN
                     SELECT id INTO aid FROM event WHERE hash = decode(p_against, 'hex') AND id <= n;
                   END IF;
                   IF broken IS NOT NULL THEN
                     SELECT * INTO e FROM event WHERE id = broken;
                     IF pakn_covers_facts(e.action, e.changes) THEN SELECT code INTO fc FROM pakn_case WHERE id = e.case_id; END IF;
                   END IF;
                 END IF;
                 RETURN QUERY SELECT n, h, broken, aid, fc;
               END $$
            """,
            """
            CREATE FUNCTION pakn_chain_head() RETURNS text LANGUAGE plpgsql STABLE \(definer) AS
            $$ BEGIN
                 IF pakn_me() IS NULL THEN \(notOfficialRaise); END IF;
                 \(needView)
                 RETURN (SELECT encode(hash, 'hex') FROM event_head);
               END $$
            """,
            """
            CREATE FUNCTION pakn_access_head() RETURNS text LANGUAGE plpgsql STABLE \(definer) AS
            $$ BEGIN
                 IF pakn_me() IS NULL THEN \(notOfficialRaise); END IF;
                 \(needView)
                 RETURN coalesce((SELECT encode(hash, 'hex') FROM access_log ORDER BY id DESC LIMIT 1), repeat('0', 64));
               END $$
            """,
            // Cases without their intake event, across the database (codes, at most 20).
            """
            CREATE FUNCTION pakn_audit_without_intake() RETURNS TABLE(total bigint, codes text[])
            LANGUAGE plpgsql STABLE \(definer) AS
            $$ BEGIN
                 IF pakn_me() IS NULL THEN \(notOfficialRaise); END IF;
                 \(needView)
                 RETURN QUERY SELECT (SELECT count(*) FROM pakn_case),
                   (SELECT coalesce(array_agg(code ORDER BY id), '{}') FROM (
                      SELECT c.id, c.code FROM pakn_case c
                      WHERE (SELECT e.action FROM event e WHERE e.case_id = c.id ORDER BY e.id LIMIT 1) IS DISTINCT FROM 'intake'
                      ORDER BY c.id LIMIT 20) x);
               END $$
            """,
            // The access log, newest first (`pakn audit log`), for those who manage officials.
            """
            CREATE FUNCTION pakn_access_entries(p_limit integer, p_case bigint)
            RETURNS TABLE(id bigint, at bigint, actor_id bigint, login text, action text, target text, note text, count bigint,
                          digest text, hash text, case_ids bigint[])
            LANGUAGE plpgsql STABLE \(definer) AS
            $$ BEGIN
                 IF pakn_me() IS NULL THEN \(notOfficialRaise); END IF;
                 IF NOT pakn_may('manage_officials') THEN \(deniedRaise("'manage_officials'")); END IF;
                 RETURN QUERY SELECT l.id, floor(extract(epoch FROM l.at))::bigint, l.actor_id, l.login, l.action, l.target, l.note,
                     l.count, l.digest, encode(l.hash, 'hex'),
                     (SELECT coalesce(array_agg(a.case_id ORDER BY a.case_id), '{}') FROM access_case a WHERE a.access_id = l.id)
                   FROM access_log l
                   WHERE p_case IS NULL OR EXISTS (SELECT 1 FROM access_case a WHERE a.access_id = l.id AND a.case_id = p_case)
                   ORDER BY l.id DESC LIMIT greatest(p_limit, 0);
               END $$
            """,
        ] + ["pakn_audit_chain", "pakn_chain_head", "pakn_access_head", "pakn_audit_without_intake", "pakn_access_entries"].flatMap {
            ["REVOKE EXECUTE ON FUNCTION \($0) FROM PUBLIC", "GRANT EXECUTE ON FUNCTION \($0) TO \(g)"]
        }
    }

    static func opsSentUp(group g: String) -> [String] {
        [
            """
            CREATE TABLE case_sent_up(
              from_unit_id bigint NOT NULL REFERENCES unit(id),
              at timestamptz NOT NULL,
              case_id bigint NOT NULL REFERENCES pakn_case(id),
              to_unit_id bigint NOT NULL REFERENCES unit(id),
              PRIMARY KEY (from_unit_id, at, case_id))
            """,
            "CREATE INDEX case_sent_up_case ON case_sent_up(case_id)",
            // A change of handling unit on a case that was not `received` is a sending (a
            // transfer or an escalation; routing a received case is not).
            """
            CREATE FUNCTION pakn_case_sent_up() RETURNS trigger LANGUAGE plpgsql \(definer) AS
            $$ BEGIN
                 IF OLD.unit_id IS NOT NULL AND NEW.unit_id IS NOT NULL AND NEW.unit_id <> OLD.unit_id AND OLD.status <> 'received' THEN
                   INSERT INTO case_sent_up(from_unit_id, at, case_id, to_unit_id) VALUES (OLD.unit_id, NEW.updated_at, NEW.id, NEW.unit_id)
                     ON CONFLICT DO NOTHING;
                 END IF;
                 RETURN NULL;
               END $$
            """,
            "CREATE TRIGGER case_sent_up AFTER UPDATE OF unit_id ON pakn_case FOR EACH ROW EXECUTE FUNCTION pakn_case_sent_up()",
            "REVOKE EXECUTE ON FUNCTION pakn_case_sent_up FROM PUBLIC",
            // What is already in the history (a database migrated before this step).
            """
            INSERT INTO case_sent_up(from_unit_id, at, case_id, to_unit_id)
            SELECT (e.changes::jsonb -> 'unit_id' ->> 'before')::bigint, e.at, e.case_id, (e.changes::jsonb -> 'unit_id' ->> 'after')::bigint
            FROM event e
            WHERE e.action IN ('escalate', 'transfer') AND (e.changes::jsonb -> 'unit_id' ->> 'before') ~ '^[0-9]+$'
              AND (e.changes::jsonb -> 'unit_id' ->> 'after') ~ '^[0-9]+$'
            ON CONFLICT DO NOTHING
            """,
            "GRANT SELECT ON case_sent_up TO \(g)",
            // Read: one's scope, or sent away by a unit of one's subtree.
            "DROP POLICY case_read ON pakn_case",
            """
            CREATE POLICY case_read ON pakn_case FOR SELECT TO \(g) USING ((\(caseScope)) OR EXISTS (
              SELECT 1 FROM public.case_sent_up s JOIN public.unit su ON su.id = s.from_unit_id
              WHERE s.case_id = pakn_case.id
                AND starts_with(su.path, (SELECT mu.path FROM public.official o JOIN public.unit mu ON mu.id = o.unit_id
                                          WHERE o.login = session_user AND o.active))))
            """,
        ]
    }

    /// The columns an action may change (those v1 granted to the group to UPDATE).
    static let actColumns = ["title", "body", "category", "unit_id", "assignee_id", "status", "done", "complex", "rule_id", "counting",
                             "clock_start", "clock_days", "extended_days", "extensions", "paused_days", "paused_since", "due_at",
                             "master_id", "reply", "resolved_at", "closed_at", "rating", "rating_reasons", "version", "updated_at",
                             "accept_days", "accept_counting", "accepted_on", "rollover", "search"]

    static func opsCaseAct(group g: String, columns: [String] = actColumns, replace: Bool = false) -> [String] {
        let noCase = "RAISE EXCEPTION USING ERRCODE = 'P0002', MESSAGE = format(\(pattern("pg.trust.no_case", args: 1)), \(patternArgs("p_case::text")))"
        let sets = columns.map { "\($0) = n.\($0)" }.joined(separator: ", ")
        return [
            """
            CREATE \(replace ? "OR REPLACE " : "")FUNCTION pakn_case_act(p_case bigint, p_row jsonb, p_action text, p_from text, p_to text, p_note text,
                p_changes text) RETURNS bigint LANGUAGE plpgsql \(definer) AS
            $$ DECLARE me bigint := pakn_me(); c pakn_case; n pakn_case; perm text; r event;
               BEGIN
                 IF me IS NULL THEN \(notOfficialRaise); END IF;
                 SELECT * INTO c FROM pakn_case WHERE id = p_case FOR UPDATE;
                 IF NOT FOUND OR NOT pakn_in_scope(c.unit_id, c.ward_id, c.assignee_id) THEN \(noCase); END IF;
                 SELECT permission INTO perm FROM action_permission WHERE action = p_action;
                 IF perm IS NULL OR NOT pakn_may(perm) THEN \(deniedRaise("coalesce(perm, p_action)")); END IF;
                 n := jsonb_populate_record(c, p_row);
                 IF n.version <> c.version + 1 THEN
                   RAISE EXCEPTION USING ERRCODE = '40001', MESSAGE = 'version ' || c.version || ' → ' || n.version;
                 END IF;
                 UPDATE pakn_case SET \(sets),
                   province_id = (SELECT coalesce(u.province_id, CASE WHEN u.level = 'province' THEN u.id END) FROM unit u WHERE u.id = n.unit_id),
                   commune_id = (SELECT CASE WHEN u.level = 'commune' THEN u.id WHEN p.level = 'commune' THEN p.id END
                                 FROM unit u LEFT JOIN unit p ON p.id = u.parent_id WHERE u.id = n.unit_id)
                   WHERE id = p_case;
                 r := pakn_chain_append(me, p_case, p_action, p_from, p_to, p_note, p_changes);
                 RETURN r.id;
               END $$
            """,
            "REVOKE EXECUTE ON FUNCTION pakn_case_act FROM PUBLIC",
            "GRANT EXECUTE ON FUNCTION pakn_case_act TO \(g)",
            "REVOKE UPDATE ON pakn_case FROM \(g)",
        ]
    }

    static func opsExport(group g: String) -> [String] {
        [
            // Mask.name, Mask.phone, Mask.email (PaknCore): just enough to tell two people apart.
            """
            CREATE FUNCTION pakn_mask_name(p text) RETURNS text LANGUAGE sql IMMUTABLE STRICT AS
            $$ SELECT CASE WHEN n = 0 THEN '***'
                 ELSE coalesce((SELECT string_agg(left(w, 1) || '.', ' ' ORDER BY i) FROM unnest(ws[1:n - 1]) WITH ORDINALITY AS x(w, i)) || ' ', '')
                      || left(ws[n], 1) || '***' END
               FROM (SELECT ws, coalesce(array_length(ws, 1), 0) AS n
                     FROM (SELECT array_remove(string_to_array(p, ' '), '') AS ws) a) b $$
            """,
            """
            CREATE FUNCTION pakn_mask_phone(p text) RETURNS text LANGUAGE sql IMMUTABLE STRICT AS
            $$ SELECT CASE WHEN length(p) > 3 THEN repeat('*', length(p) - 3) || right(p, 3) ELSE '***' END $$
            """,
            """
            CREATE FUNCTION pakn_mask_email(p text) RETURNS text LANGUAGE sql IMMUTABLE STRICT AS
            $$ SELECT CASE WHEN strpos(p, '@') > 0 THEN left(p, 1) || '***' || substr(p, strpos(p, '@')) ELSE '***' END $$
            """,
            """
            CREATE FUNCTION pakn_export_reporters(p_unredacted boolean, p_target text, p_note text, p_cases bigint[])
            RETURNS TABLE(access_id bigint, case_id bigint, name text, phone text, email text, address text, national_id text,
                          erased boolean)
            LANGUAGE plpgsql \(definer) AS
            $$ DECLARE me bigint := pakn_me(); ids bigint[]; aid bigint;
               BEGIN
                 IF me IS NULL THEN \(notOfficialRaise); END IF;
                 IF p_unredacted AND (NOT pakn_may('export_unredacted') OR btrim(coalesce(p_note, '')) = '') THEN
                   \(deniedRaise("'export_unredacted'"));
                 END IF;
                 IF NOT pakn_may('view') THEN \(deniedRaise("'view'")); END IF;
                 SELECT coalesce(array_agg(c.id ORDER BY c.id), '{}') INTO ids FROM pakn_case c
                   WHERE c.id = ANY(coalesce(p_cases, '{}'::bigint[])) AND pakn_in_scope(c.unit_id, c.ward_id, c.assignee_id);
                 aid := pakn_access_write(me, session_user, CASE WHEN p_unredacted THEN 'export_unredacted' ELSE 'export' END,
                                          left(p_target, 500), left(p_note, 2000), cardinality(ids), NULL, ids);
                 RETURN QUERY SELECT aid, NULL::bigint, NULL::text, NULL::text, NULL::text, NULL::text, NULL::text, NULL::boolean;
                 RETURN QUERY
                   SELECT aid, c.id,
                     CASE WHEN p_unredacted THEN r.name ELSE pakn_mask_name(r.name) END,
                     CASE WHEN p_unredacted THEN r.phone ELSE pakn_mask_phone(r.phone) END,
                     CASE WHEN p_unredacted THEN r.email ELSE pakn_mask_email(r.email) END,
                     CASE WHEN p_unredacted OR r.address IS NULL THEN r.address ELSE '***' END,
                     CASE WHEN p_unredacted THEN r.national_id ELSE pakn_mask_phone(r.national_id) END,
                     r.erased_at IS NOT NULL
                   FROM pakn_case c JOIN reporter r ON r.id = c.reporter_id
                   WHERE c.id = ANY(ids) AND NOT c.anonymous AND NOT c.confidential;
               END $$
            """,
        ] + ["pakn_mask_name", "pakn_mask_phone", "pakn_mask_email", "pakn_export_reporters"].flatMap {
            ["REVOKE EXECUTE ON FUNCTION \($0) FROM PUBLIC", "GRANT EXECUTE ON FUNCTION \($0) TO \(g)"]
        }
    }

    static func opsRemote(group g: String) -> [String] {
        [
            """
            CREATE FUNCTION pakn_unit_set_remote(p_code text, p_remote boolean, p_note text) RETURNS boolean
            LANGUAGE plpgsql \(definer) AS
            $$ DECLARE me bigint := pakn_me(); u unit;
               BEGIN
                 IF me IS NULL THEN \(notOfficialRaise); END IF;
                 SELECT * INTO u FROM unit WHERE code = p_code FOR UPDATE;
                 IF NOT FOUND OR u.level <> 'commune' OR NOT pakn_may('manage_rules') OR NOT pakn_within(u.id, pakn_my_path())
                    OR btrim(coalesce(p_note, '')) = '' THEN
                   \(deniedRaise("'manage_rules'"));
                 END IF;
                 IF u.remote = p_remote THEN RETURN false; END IF;
                 UPDATE unit SET remote = p_remote WHERE id = u.id;
                 PERFORM pakn_access_write(me, session_user, CASE WHEN p_remote THEN 'unit_remote_set' ELSE 'unit_remote_unset' END,
                                           u.code, left(p_note, 2000), 1, NULL, '{}');
                 RETURN true;
               END $$
            """,
            "REVOKE EXECUTE ON FUNCTION pakn_unit_set_remote FROM PUBLIC",
            "GRANT EXECUTE ON FUNCTION pakn_unit_set_remote TO \(g)",
        ]
    }
}

extension ServerSchema {
    /// Migration `v5-admin-record`: the functions that write units, deadline rules and the
    /// calendar (`v1-trust`) record each change in the access log in the same transaction,
    /// as every other administrative act: an admin who calls them from `psql` leaves the
    /// same trace as pakn would (`units_change`, `rules_import`, `calendar_add` or
    /// `calendar_update`, with what was there before). They still do not move the due
    /// instants of open cases a calendar change shifts (`pakn calendar` on a server is
    /// refused for that reason: docs/deployment.md §0).
    static func adminRecordMigrations() -> [Migration] {
        [Migration(id: "v5-admin-record", statements: [
            """
            CREATE OR REPLACE FUNCTION pakn_unit_put(p_code text, p_name text, p_level text, p_division_type text, p_parent_code text)
            RETURNS bigint LANGUAGE plpgsql \(definer) AS
            $$ DECLARE me bigint := pakn_me(); p unit; u unit; id_ bigint;
               BEGIN
                 IF me IS NULL THEN \(notOfficialRaise); END IF;
                 SELECT * INTO p FROM unit WHERE code = p_parent_code;
                 SELECT * INTO u FROM unit WHERE code = p_code;
                 IF NOT pakn_may('manage_rules') OR p.id IS NULL OR NOT pakn_within(p.id, pakn_my_path())
                    OR (u.id IS NOT NULL AND (NOT pakn_within(u.id, pakn_my_path()) OR u.id = pakn_me_unit())) THEN
                   \(deniedRaise("'manage_rules'"));
                 END IF;
                 IF u.id IS NULL THEN
                   LOCK TABLE unit IN SHARE ROW EXCLUSIVE MODE;
                   SELECT coalesce(max(id), 0) + 1 INTO id_ FROM unit;
                   INSERT INTO unit(id, code, name, level, division_type, parent_id, path, province_id, folded)
                     VALUES (id_, p_code, p_name, p_level, p_division_type, p.id, p.path || id_ || '/',
                             coalesce(p.province_id, CASE WHEN p.level = 'province' THEN p.id END), pakn_fold(p_name));
                   PERFORM pakn_access_write(me, session_user, 'units_change', p_code,
                                             '— → ' || p_name || ' (' || p_level || ') @ ' || p.code, 0, NULL, '{}');
                   RETURN id_;
                 END IF;
                 UPDATE unit SET name = p_name, level = p_level, division_type = p_division_type, folded = pakn_fold(p_name)
                   WHERE id = u.id;
                 PERFORM pakn_access_write(me, session_user, 'units_change', p_code,
                                           u.name || ' (' || u.level || ') → ' || p_name || ' (' || p_level || ')', 0, NULL, '{}');
                 RETURN u.id;
               END $$
            """,
            """
            CREATE OR REPLACE FUNCTION pakn_rule_put(p_id text, p_kind text, p_from date, p_to date, p_json text) RETURNS void
            LANGUAGE plpgsql \(definer) AS
            $$ DECLARE me bigint := pakn_me(); r deadline_rule;
               BEGIN
                 IF me IS NULL THEN \(notOfficialRaise); END IF;
                 IF NOT pakn_national_admin() THEN \(deniedRaise("'manage_rules'")); END IF;
                 SELECT * INTO r FROM deadline_rule WHERE id = p_id;
                 INSERT INTO deadline_rule(id, kind, effective_from, effective_to, json) VALUES (p_id, p_kind, p_from, p_to, p_json)
                   ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, effective_from = excluded.effective_from,
                     effective_to = excluded.effective_to, json = excluded.json;
                 PERFORM pakn_access_write(me, session_user, 'rules_import', p_id,
                   CASE WHEN r.id IS NULL THEN '— → ' ELSE r.kind || ' ' || r.effective_from || '…' || coalesce(r.effective_to::text, '') || ' → ' END
                   || p_kind || ' ' || p_from || '…' || coalesce(p_to::text, ''), 0, encode(sha256(convert_to(p_json, 'UTF8')), 'hex'), '{}');
               END $$
            """,
            """
            CREATE OR REPLACE FUNCTION pakn_calendar_put(p_day date, p_kind text, p_name text) RETURNS void LANGUAGE plpgsql \(definer) AS
            $$ DECLARE me bigint := pakn_me(); e calendar_exception;
               BEGIN
                 IF me IS NULL THEN \(notOfficialRaise); END IF;
                 IF NOT pakn_national_admin() THEN \(deniedRaise("'manage_rules'")); END IF;
                 SELECT * INTO e FROM calendar_exception WHERE day = p_day;
                 INSERT INTO calendar_exception(day, kind, name) VALUES (p_day, p_kind, p_name)
                   ON CONFLICT (day) DO UPDATE SET kind = excluded.kind, name = excluded.name;
                 PERFORM pakn_access_write(me, session_user, CASE WHEN e.day IS NULL THEN 'calendar_add' ELSE 'calendar_update' END,
                   p_day::text, CASE WHEN e.day IS NULL THEN '—' ELSE e.kind || ' "' || e.name || '"' END
                   || ' → ' || p_kind || ' "' || p_name || '"', 0, NULL, '{}');
               END $$
            """,
        ])]
    }
}

extension ServerSchema {
    /// The urgency tier as the indexes hold it: the same expression as the queue's
    /// `ServerSession.tierSQL`, over the table's own columns (the planner matches it).
    static let tierIndexSQL = "(CASE WHEN done THEN 2 WHEN status = 'awaiting_info' THEN 1 ELSE 0 END)"

    /// Migration `v5-queue-tiers`: the urgency order's indexes, one per desk scope, on
    /// (scope, tier, due_at, id). The queue orders by the tier (running clocks, then paused
    /// ones, then finished) and the due instant; without them a page of a province's queue
    /// sorted every case of the province (0.5 s at 100,000 cases), with them it reads one
    /// page of an index, as SQLite's tier-by-tier ranges do.
    static func queueTierMigrations() -> [Migration] {
        let t = tierIndexSQL
        return [Migration(id: "v5-queue-tiers", statements: [
            "CREATE INDEX case_open_tier ON pakn_case(\(t), due_at, id)",
            "CREATE INDEX case_province_tier ON pakn_case(province_id, \(t), due_at, id)",
            "CREATE INDEX case_commune_tier ON pakn_case(commune_id, \(t), due_at, id) WHERE commune_id IS NOT NULL",
            "CREATE INDEX case_unit_tier ON pakn_case(unit_id, \(t), due_at, id)",
            "CREATE INDEX case_ward_tier ON pakn_case(ward_id, \(t), due_at, id) WHERE ward_id IS NOT NULL",
            "CREATE INDEX case_assignee_tier ON pakn_case(assignee_id, \(t), due_at, id) WHERE assignee_id IS NOT NULL",
            "ANALYZE pakn_case",
        ])]
    }
}

extension ServerSchema {
    /// The words of a case's folded search text as the words' index holds them: every run
    /// of letters and digits a word (`'simple'`: no stemming, no stop words).
    static func searchWordsSQL(_ column: String) -> String {
        "to_tsvector('simple'::regconfig, regexp_replace(\(column), '[^[:alnum:]]+', ' ', 'g'))"
    }

    /// Migration `v5-search-words`: a text-search index over the words of the folded search
    /// text. The trigram index answers a word's pattern (`search ~ '\mduong'`) by reading every
    /// case that holds its trigrams and checking each; for a common word at 100,000 cases that
    /// was 0.1–0.3 s. The words' index finds the cases holding the words (the last as a
    /// prefix) at once; the pattern still decides (ServerSession.searchWordsQuery).
    static func searchWordsMigrations() -> [Migration] {
        [Migration(id: "v5-search-words", statements: [
            "CREATE INDEX case_search_words ON pakn_case USING gin (\(searchWordsSQL("search")))",
            "ANALYZE pakn_case",
        ])]
    }
}

extension ServerSchema {
    /// Migration `v5-data-version`: the newest event the caller may read (a desk's
    /// `dataVersion`, asked every second and after every write). Under row-level security
    /// `max(id)` over `event` hashed every case the official may read first (187 ms at
    /// 100,000 cases, in every assign and reply of the desk); this walks the events newest
    /// first and stops at the first whose case the caller may read, by the same test as the
    /// read policy (`case_read`). Past 20,000 events of other units it asks the slow way.
    static func dataVersionMigrations(group g: String) -> [Migration] {
        let visible = { (c: String) in
            """
            (\(c).assignee_id = me
             OR EXISTS (SELECT 1 FROM unit u WHERE u.id IN (\(c).unit_id, \(c).ward_id) AND starts_with(u.path, mypath))
             OR EXISTS (SELECT 1 FROM case_sent_up s JOIN unit su ON su.id = s.from_unit_id
                        WHERE s.case_id = \(c).case_id AND starts_with(su.path, mypath)))
            """
        }
        return [Migration(id: "v5-data-version", statements: [
            """
            CREATE FUNCTION pakn_data_version() RETURNS bigint LANGUAGE plpgsql STABLE \(definer) AS
            $$ DECLARE me bigint := pakn_me(); mypath text := pakn_my_path(); r record; n int := 0;
               BEGIN
                 IF me IS NULL OR mypath IS NULL THEN RETURN 0; END IF;
                 FOR r IN SELECT e.id, e.case_id, c.unit_id, c.ward_id, c.assignee_id
                          FROM event e JOIN pakn_case c ON c.id = e.case_id ORDER BY e.id DESC LIMIT 20000 LOOP
                   IF \(visible("r")) THEN RETURN r.id; END IF;
                   n := n + 1;
                   EXIT WHEN n >= 20000;
                 END LOOP;
                 IF n < 20000 THEN RETURN 0; END IF;
                 RETURN (SELECT coalesce(max(x.id), 0) FROM (SELECT e.id, e.case_id, c.unit_id, c.ward_id, c.assignee_id
                         FROM event e JOIN pakn_case c ON c.id = e.case_id) x WHERE \(visible("x")));
               END $$
            """,
            "REVOKE EXECUTE ON FUNCTION pakn_data_version FROM PUBLIC",
            "GRANT EXECUTE ON FUNCTION pakn_data_version TO \(g)",
        ])]
    }
}
