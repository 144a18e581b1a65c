import Foundation
import PaknCore

/// The trust model, enforced by the server itself (issue 13, docs/deployment.md "Roles and
/// what the server enforces"): an official who connects with `psql` and their own
/// credentials reads and changes no more than pakn lets them.
///
/// - Each official is a LOGIN role named by their login, a member of the database's group
///   role (`ServerSchema.groupRole`). Who they are is `session_user`: the role the
///   connection logged in as (peer authentication on the socket, a password or a certificate
///   over TCP), which neither `SET ROLE` nor a SECURITY DEFINER function changes.
/// - Row-level security limits `pakn_case`, `event` and `attachment` to the official's
///   scope as the store's `Guard.inScope` does: the handling unit or the ward within the
///   official's unit subtree (a path prefix), or assigned to them.
/// - `reporter` is not readable by the group at all; `pakn_reveal_reporter` reveals one,
///   after checking `reveal_reporter` at the handling unit, and appends the `reveal` event
///   (or a `refused` one) in the same transaction.
/// - `event` is append-only by privilege (no UPDATE, DELETE or TRUNCATE is granted; a
///   trigger refuses them from anyone, the owner too); events are appended only by
///   `pakn_append_event`, which checks the action's permission, serialises on `event_head`
///   and computes the hash as `EventLog` does.
/// - The administrative tables (units, deadline rules, calendar, officials, settings) are
///   readable by the group and writable only through the `pakn_*_put`/`pakn_official_*`
///   functions, which check `manage_rules`/`manage_officials` and the admin's units.
enum ServerTrust {}

extension ServerSchema {
    /// Role → permission and action → permission, as data (PaknCore's `PermissionTable.standard`
    /// and `Permission.required(for:)` when the migration ran).
    static var permissionRows: [String] {
        let roles = PermissionTable.standard.grants.sorted { $0.key.rawValue < $1.key.rawValue }.flatMap { role, perms in
            perms.map(\.rawValue).sorted().map { "(\(literal(role.rawValue)), \(literal($0)))" }
        }
        let actions = ActionName.allCases.map { "(\(literal($0.rawValue)), \(literal(Permission.required(for: $0).rawValue)))" }
        return [
            "INSERT INTO role_permission(role, permission) VALUES " + roles.joined(separator: ", "),
            "INSERT INTO action_permission(action, permission) VALUES " + actions.joined(separator: ", "),
        ]
    }

    /// A catalog text as a `format()` pattern: `{0}`, `{1}` … become `%s` (both languages,
    /// "vi / en", as a refusal's note is recorded).
    static func pattern(_ key: String, args: Int) -> String {
        let pct = Array(repeating: "%s", count: args)
        let both = L10n.format(key, .vi, pct) + " / " + L10n.format(key, .en, pct)
        return literal(both)
    }

    /// The pattern's arguments, repeated for the second language.
    static func patternArgs(_ args: String...) -> String { (args + args).joined(separator: ", ") }

    static func trust(group g: String, groupName: String) -> [String] {
        let definer = "SECURITY DEFINER SET search_path = public, pg_temp"
        let notOfficial = "RAISE EXCEPTION USING ERRCODE = '42501', MESSAGE = format(\(pattern("pg.trust.not_official", args: 1)), \(patternArgs("session_user")))"
        let noCase = "RAISE EXCEPTION USING ERRCODE = 'P0002', MESSAGE = format(\(pattern("pg.trust.no_case", args: 1)), \(patternArgs("p_case::text")))"
        let denied = { (perm: String) in
            "RAISE EXCEPTION USING ERRCODE = '42501', MESSAGE = format(\(pattern("pg.trust.denied", args: 2)), \(patternArgs("session_user", perm)))"
        }
        let zeros = String(repeating: "0", count: 64)
        return [
            // The group, once per cluster (another database's migration may be making it too).
            """
            DO $$ BEGIN CREATE ROLE \(g) NOLOGIN; EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$
            """,
            "REVOKE ALL ON ALL TABLES IN SCHEMA public FROM PUBLIC",
            "REVOKE CREATE ON SCHEMA public FROM PUBLIC",
            "GRANT USAGE ON SCHEMA public TO \(g)",
            "DO $$ BEGIN EXECUTE format('REVOKE CONNECT, TEMPORARY ON DATABASE %I FROM PUBLIC', current_database()); END $$",
            "DO $$ BEGIN EXECUTE format('GRANT CONNECT ON DATABASE %I TO \(g.replacingOccurrences(of: "'", with: "''"))', current_database()); END $$",

            "CREATE TABLE role_permission(role text NOT NULL, permission text NOT NULL, PRIMARY KEY (role, permission))",
            "CREATE TABLE action_permission(action text PRIMARY KEY, permission text NOT NULL)",
        ] + permissionRows + [
            // Who is asking, and where they sit.
            """
            CREATE FUNCTION pakn_me() RETURNS bigint LANGUAGE sql STABLE \(definer) AS
            $$ SELECT id FROM official WHERE login = session_user AND active $$
            """,
            """
            CREATE FUNCTION pakn_my_path() RETURNS text LANGUAGE sql STABLE \(definer) AS
            $$ SELECT u.path FROM official o JOIN unit u ON u.id = o.unit_id WHERE o.login = session_user AND o.active $$
            """,
            """
            CREATE FUNCTION pakn_within(p_unit bigint, p_ancestor_path text) RETURNS boolean LANGUAGE sql STABLE \(definer) AS
            $$ SELECT coalesce((SELECT starts_with(path, p_ancestor_path) FROM unit WHERE id = p_unit), false) $$
            """,
            // Guard.inScope: assigned to me, or its handling unit or ward within my units.
            """
            CREATE FUNCTION pakn_in_scope(p_unit bigint, p_ward bigint, p_assignee bigint) RETURNS boolean LANGUAGE sql STABLE \(definer) AS
            $$ SELECT coalesce(p_assignee = pakn_me(), false)
                  OR EXISTS (SELECT 1 FROM unit u WHERE u.id IN (p_unit, p_ward) AND starts_with(u.path, pakn_my_path())) $$
            """,
            """
            CREATE FUNCTION pakn_may(p_permission text) RETURNS boolean LANGUAGE sql STABLE \(definer) AS
            $$ SELECT EXISTS (SELECT 1 FROM official o JOIN role_permission rp ON rp.role = o.role
                              WHERE o.login = session_user AND o.active AND rp.permission = p_permission) $$
            """,
            // Whether my role holds every permission of `p_role` (AdminScope.mayHandle).
            """
            CREATE FUNCTION pakn_may_handle(p_role text) RETURNS boolean LANGUAGE sql STABLE \(definer) AS
            $$ SELECT NOT EXISTS (SELECT permission FROM role_permission WHERE role = p_role
                                  EXCEPT SELECT rp.permission FROM official o JOIN role_permission rp ON rp.role = o.role
                                         WHERE o.login = session_user AND o.active) $$
            """,
            // Lower case, no diacritics, đ→d (as VietnameseFold for the letters of Vietnamese).
            """
            CREATE FUNCTION pakn_fold(p text) RETURNS text LANGUAGE sql IMMUTABLE AS
            $$ SELECT translate(lower(p),
                 'àáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ',
                 'aaaaaaaaaaaaaaaaadeeeeeeeeeeeiiiiiooooooooooooooooouuuuuuuuuuuyyyyy') $$
            """,

            // The hash chain, as EventLog.canonical/hashInput: SHA-256 over the previous hash
            // and the fields joined by U+001F; an intake event that carries the facts marker
            // covers its case's facts too (EventLog.facts).
            """
            CREATE FUNCTION pakn_event_hash(p_prev bytea, p_id bigint, p_case bigint, p_at timestamptz, p_actor bigint,
                p_action text, p_from text, p_to text, p_note text, p_changes text, p_facts text)
            RETURNS bytea LANGUAGE sql IMMUTABLE AS
            $$ SELECT sha256(p_prev || convert_to(
                 p_id::text || chr(31) || p_case::text || chr(31) || floor(extract(epoch FROM p_at))::bigint::text || chr(31)
                 || p_actor::text || chr(31) || p_action || chr(31) || coalesce(p_from, '') || chr(31) || coalesce(p_to, '')
                 || chr(31) || coalesce(p_note, '') || chr(31) || p_changes || coalesce(chr(31) || p_facts, ''), 'UTF8')) $$
            """,
            """
            CREATE FUNCTION pakn_covers_facts(p_action text, p_changes text) RETURNS boolean LANGUAGE plpgsql IMMUTABLE AS
            $$ BEGIN
                 RETURN p_action = 'intake' AND coalesce((p_changes::jsonb -> 'facts' ->> 'after') = 'v1', false);
               EXCEPTION WHEN others THEN RETURN false;
               END $$
            """,
            """
            CREATE FUNCTION pakn_case_facts(p_case bigint) RETURNS text LANGUAGE sql STABLE \(definer) AS
            $$ SELECT concat_ws(chr(31), c.title, c.body, floor(extract(epoch FROM c.received_at))::bigint::text,
                 coalesce(c.ward_id::text, ''), c.channel, c.kind, c.category, coalesce(c.address, ''),
                 coalesce(c.reporter_id::text, ''), CASE WHEN c.anonymous THEN '1' ELSE '0' END,
                 CASE WHEN c.confidential THEN '1' ELSE '0' END)
               FROM pakn_case c WHERE c.id = p_case $$
            """,
            // The one way into `event`: locks the head row, takes the next id, links the hash.
            """
            CREATE FUNCTION pakn_chain_append(p_actor bigint, p_case bigint, p_action text, p_from text, p_to text,
                p_note text, p_changes text) RETURNS event LANGUAGE plpgsql \(definer) AS
            $$ DECLARE h event_head; r event; facts text;
               BEGIN
                 SELECT * INTO h FROM event_head FOR UPDATE;
                 IF pakn_covers_facts(p_action, p_changes) THEN facts := pakn_case_facts(p_case); END IF;
                 r.id := h.last_id + 1; r.case_id := p_case; r.at := to_timestamp(floor(extract(epoch FROM now())));
                 r.actor_id := p_actor; r.action := p_action; r.from_status := p_from; r.to_status := p_to;
                 r.note := p_note; r.changes := p_changes;
                 r.hash := pakn_event_hash(h.hash, r.id, r.case_id, r.at, r.actor_id, r.action, r.from_status, r.to_status,
                                           r.note, r.changes, facts);
                 INSERT INTO event SELECT r.*;
                 UPDATE event_head SET last_id = r.id, hash = r.hash;
                 RETURN r;
               END $$
            """,
            """
            CREATE FUNCTION pakn_append_event(p_case bigint, p_action text, p_from text, p_to text, p_note text,
                p_changes text DEFAULT '{}') RETURNS event LANGUAGE plpgsql \(definer) AS
            $$ DECLARE me bigint := pakn_me(); c pakn_case; perm text;
               BEGIN
                 IF me IS NULL THEN \(notOfficial); END IF;
                 SELECT * INTO c FROM pakn_case WHERE id = p_case;
                 IF NOT FOUND OR NOT pakn_in_scope(c.unit_id, c.ward_id, c.assignee_id) THEN \(noCase); END IF;
                 SELECT permission INTO perm FROM action_permission WHERE action = p_action;
                 IF perm IS NULL OR NOT pakn_may(perm) THEN \(denied("coalesce(perm, p_action)")); END IF;
                 RETURN pakn_chain_append(me, p_case, p_action, p_from, p_to, p_note, p_changes);
               END $$
            """,
            // Recomputes every hash in order, as `pakn audit verify`; stops at the first break.
            """
            CREATE FUNCTION pakn_verify_chain() RETURNS TABLE(events bigint, head text, first_broken bigint)
            LANGUAGE plpgsql STABLE \(definer) AS
            $$ DECLARE prev bytea := '\\x\(zeros)'::bytea; expected bigint := 1; n bigint := 0; e event; h bytea;
               BEGIN
                 FOR e IN SELECT * FROM event ORDER BY id LOOP
                   h := pakn_event_hash(prev, e.id, e.case_id, e.at, e.actor_id, e.action, e.from_status, e.to_status,
                          e.note, e.changes, CASE WHEN pakn_covers_facts(e.action, e.changes) THEN pakn_case_facts(e.case_id) END);
                   IF e.id <> expected OR h IS DISTINCT FROM e.hash THEN
                     RETURN QUERY SELECT n, encode(prev, 'hex'), e.id; RETURN;
                   END IF;
                   prev := h; expected := expected + 1; n := n + 1;
                 END LOOP;
                 RETURN QUERY SELECT n, encode(prev, 'hex'), NULL::bigint;
               END $$
            """,
            """
            CREATE FUNCTION pakn_refuse_event_change() RETURNS trigger LANGUAGE plpgsql AS
            $$ BEGIN RAISE EXCEPTION USING ERRCODE = '42501', MESSAGE = \(pattern("pg.trust.append_only", args: 0)); END $$
            """,
            "CREATE TRIGGER event_no_update BEFORE UPDATE OR DELETE ON event FOR EACH ROW EXECUTE FUNCTION pakn_refuse_event_change()",
            "CREATE TRIGGER event_no_truncate BEFORE TRUNCATE ON event FOR EACH STATEMENT EXECUTE FUNCTION pakn_refuse_event_change()",
            "CREATE TRIGGER access_log_no_update BEFORE UPDATE OR DELETE ON access_log FOR EACH ROW EXECUTE FUNCTION pakn_refuse_event_change()",
            "CREATE TRIGGER access_case_no_update BEFORE UPDATE OR DELETE ON access_case FOR EACH ROW EXECUTE FUNCTION pakn_refuse_event_change()",
            "CREATE TRIGGER access_fact_no_update BEFORE UPDATE OR DELETE ON access_fact FOR EACH ROW EXECUTE FUNCTION pakn_refuse_event_change()",

            // Reveal one reporter (Reveal.swift): a reason; the case in scope; `reveal_reporter`
            // at the unit handling it. A refusal is itself recorded (a `refused` event) and
            // returned as `revealed = false`; a reveal appends the `reveal` event.
            """
            CREATE FUNCTION pakn_reveal_reporter(p_case text, p_reason text)
            RETURNS TABLE(revealed boolean, name text, phone text, email text, address text, national_id text,
                          confidential boolean, erased_at timestamptz)
            LANGUAGE plpgsql \(definer) AS
            $$ DECLARE me bigint := pakn_me(); c pakn_case; why text := btrim(coalesce(p_reason, ''));
               BEGIN
                 IF me IS NULL THEN \(notOfficial); END IF;
                 IF why = '' THEN
                   RAISE EXCEPTION USING ERRCODE = 'P0001', MESSAGE = \(pattern("pg.trust.reason_needed", args: 0));
                 END IF;
                 SELECT * INTO c FROM pakn_case WHERE code = p_case;
                 IF NOT FOUND OR NOT pakn_in_scope(c.unit_id, c.ward_id, c.assignee_id) THEN \(noCase); END IF;
                 IF NOT pakn_may('reveal_reporter') OR NOT pakn_within(c.unit_id, pakn_my_path()) THEN
                   PERFORM pakn_chain_append(me, c.id, 'refused', c.status, c.status,
                     format(\(pattern("pg.trust.denied", args: 2)), \(patternArgs("session_user", "'reveal_reporter'"))), '{}');
                   RETURN QUERY SELECT false, NULL::text, NULL::text, NULL::text, NULL::text, NULL::text, c.confidential, NULL::timestamptz;
                   RETURN;
                 END IF;
                 IF c.anonymous OR c.reporter_id IS NULL THEN
                   RAISE EXCEPTION USING ERRCODE = 'P0001', MESSAGE = format(\(pattern("pg.trust.anonymous", args: 1)), \(patternArgs("c.code")));
                 END IF;
                 PERFORM pakn_chain_append(me, c.id, 'reveal', c.status, c.status, why, '{}');
                 RETURN QUERY SELECT true, r.name, r.phone, r.email, r.address, r.national_id, c.confidential, r.erased_at
                   FROM reporter r WHERE r.id = c.reporter_id;
               END $$
            """,
            // A new reporter, for intake: the group may not write `reporter` itself.
            """
            CREATE FUNCTION pakn_add_reporter(p_name text, p_phone text, p_email text, p_address text, p_national_id text,
                p_anonymous boolean, p_confidential boolean) RETURNS bigint LANGUAGE plpgsql \(definer) AS
            $$ DECLARE id_ bigint;
               BEGIN
                 IF pakn_me() IS NULL THEN \(notOfficial); END IF;
                 IF NOT pakn_may('intake') THEN \(denied("'intake'")); END IF;
                 LOCK TABLE reporter IN SHARE ROW EXCLUSIVE MODE;
                 SELECT coalesce(max(id), 0) + 1 INTO id_ FROM reporter;
                 INSERT INTO reporter(id, name, phone, email, address, national_id, anonymous, confidential)
                   VALUES (id_, p_name, p_phone, p_email, p_address, p_national_id, p_anonymous, p_confidential);
                 RETURN id_;
               END $$
            """,

            // Officials and their roles (`pakn officials add` on a server).
            """
            CREATE FUNCTION pakn_official_role(p_login text, p_password text DEFAULT NULL) RETURNS void LANGUAGE plpgsql \(definer) AS
            $$ BEGIN
                 BEGIN
                   EXECUTE format('CREATE ROLE %I LOGIN', p_login);
                 EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
                 END;
                 IF p_password IS NOT NULL THEN EXECUTE format('ALTER ROLE %I PASSWORD %L', p_login, p_password); END IF;
                 EXECUTE format('GRANT %I TO %I', \(literal(groupName)), p_login);
               END $$
            """,
            """
            CREATE FUNCTION pakn_official_add(p_login text, p_full_name text, p_unit_code text, p_role text,
                p_password text DEFAULT NULL) RETURNS bigint LANGUAGE plpgsql \(definer) AS
            $$ DECLARE me bigint := pakn_me(); u unit; id_ bigint;
               BEGIN
                 IF me IS NULL THEN \(notOfficial); END IF;
                 IF NOT pakn_may('manage_officials') THEN \(denied("'manage_officials'")); END IF;
                 SELECT * INTO u FROM unit WHERE code = p_unit_code;
                 IF NOT FOUND OR NOT pakn_within(u.id, pakn_my_path()) OR NOT pakn_may_handle(p_role)
                    OR NOT EXISTS (SELECT 1 FROM role_permission WHERE role = p_role) THEN
                   \(denied("'manage_officials'"));
                 END IF;
                 IF p_login !~ '^[a-z0-9][a-z0-9._-]*$' OR EXISTS (SELECT 1 FROM official WHERE login = p_login) THEN
                   RAISE EXCEPTION USING ERRCODE = 'P0001', MESSAGE = format(\(pattern("pg.trust.login_taken", args: 1)), \(patternArgs("p_login")));
                 END IF;
                 LOCK TABLE official IN SHARE ROW EXCLUSIVE MODE;
                 SELECT coalesce(max(id), 0) + 1 INTO id_ FROM official;
                 INSERT INTO official(id, login, full_name, unit_id, role, active, folded)
                   VALUES (id_, p_login, p_full_name, u.id, p_role, true, pakn_fold(p_full_name || ' ' || p_login));
                 PERFORM pakn_official_role(p_login, p_password);
                 RETURN id_;
               END $$
            """,
            """
            CREATE FUNCTION pakn_official_set_active(p_login text, p_active boolean) RETURNS void LANGUAGE plpgsql \(definer) AS
            $$ DECLARE o official;
               BEGIN
                 IF pakn_me() IS NULL THEN \(notOfficial); END IF;
                 SELECT * INTO o FROM official WHERE login = p_login;
                 IF NOT FOUND OR NOT pakn_may('manage_officials') OR NOT pakn_within(o.unit_id, pakn_my_path())
                    OR NOT pakn_may_handle(o.role) THEN \(denied("'manage_officials'")); END IF;
                 UPDATE official SET active = p_active WHERE id = o.id;
                 EXECUTE format('ALTER ROLE %I %s', p_login, CASE WHEN p_active THEN 'LOGIN' ELSE 'NOLOGIN' END);
               END $$
            """,
            // Units, rules and the calendar (AdminScope, simplified: a unit is managed from
            // the unit above it within the admin's units; rules and the calendar need an
            // admin at province level or above).
            """
            CREATE FUNCTION pakn_national_admin() RETURNS boolean LANGUAGE sql STABLE \(definer) AS
            $$ SELECT pakn_may('manage_rules') AND EXISTS (SELECT 1 FROM official o JOIN unit u ON u.id = o.unit_id
                 WHERE o.login = session_user AND o.active AND (u.parent_id IS NULL OR u.level IN ('centre', 'province'))) $$
            """,
            """
            CREATE FUNCTION pakn_unit_put(p_code text, p_name text, p_level text, p_division_type text, p_parent_code text)
            RETURNS bigint LANGUAGE plpgsql \(definer) AS
            $$ DECLARE p unit; u unit; id_ bigint;
               BEGIN
                 IF pakn_me() IS NULL THEN \(notOfficial); END IF;
                 SELECT * INTO p FROM unit WHERE code = p_parent_code;
                 SELECT * INTO u FROM unit WHERE code = p_code;
                 IF NOT pakn_may('manage_rules') OR p.id IS NULL OR NOT pakn_within(p.id, pakn_my_path())
                    OR (u.id IS NOT NULL AND (NOT pakn_within(u.id, pakn_my_path()) OR u.id = pakn_me_unit())) THEN
                   \(denied("'manage_rules'"));
                 END IF;
                 IF u.id IS NULL THEN
                   LOCK TABLE unit IN SHARE ROW EXCLUSIVE MODE;
                   SELECT coalesce(max(id), 0) + 1 INTO id_ FROM unit;
                   INSERT INTO unit(id, code, name, level, division_type, parent_id, path, province_id, folded)
                     VALUES (id_, p_code, p_name, p_level, p_division_type, p.id, p.path || id_ || '/',
                             coalesce(p.province_id, CASE WHEN p.level = 'province' THEN p.id END), pakn_fold(p_name));
                   RETURN id_;
                 END IF;
                 UPDATE unit SET name = p_name, level = p_level, division_type = p_division_type, folded = pakn_fold(p_name)
                   WHERE id = u.id;
                 RETURN u.id;
               END $$
            """,
            """
            CREATE FUNCTION pakn_me_unit() RETURNS bigint LANGUAGE sql STABLE \(definer) AS
            $$ SELECT unit_id FROM official WHERE login = session_user AND active $$
            """,
            """
            CREATE FUNCTION pakn_rule_put(p_id text, p_kind text, p_from date, p_to date, p_json text) RETURNS void
            LANGUAGE plpgsql \(definer) AS
            $$ BEGIN
                 IF pakn_me() IS NULL THEN \(notOfficial); END IF;
                 IF NOT pakn_national_admin() THEN \(denied("'manage_rules'")); END IF;
                 INSERT INTO deadline_rule(id, kind, effective_from, effective_to, json) VALUES (p_id, p_kind, p_from, p_to, p_json)
                   ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, effective_from = excluded.effective_from,
                     effective_to = excluded.effective_to, json = excluded.json;
               END $$
            """,
            """
            CREATE FUNCTION pakn_calendar_put(p_day date, p_kind text, p_name text) RETURNS void LANGUAGE plpgsql \(definer) AS
            $$ BEGIN
                 IF pakn_me() IS NULL THEN \(notOfficial); END IF;
                 IF NOT pakn_national_admin() THEN \(denied("'manage_rules'")); END IF;
                 INSERT INTO calendar_exception(day, kind, name) VALUES (p_day, p_kind, p_name)
                   ON CONFLICT (day) DO UPDATE SET kind = excluded.kind, name = excluded.name;
               END $$
            """,

            // Row-level security: cases, their events and attachments, in the official's scope.
            "ALTER TABLE pakn_case ENABLE ROW LEVEL SECURITY",
            // The scope written out in the policies (not through pakn_in_scope, which is the
            // same test): the official's id and unit path are then computed once per query
            // and each row costs one primary-key probe of `unit` (30× faster on a count).
            "CREATE POLICY case_read ON pakn_case FOR SELECT TO \(g) USING (\(caseScope))",
            "CREATE POLICY case_insert ON pakn_case FOR INSERT TO \(g) WITH CHECK (pakn_may('intake') AND (\(caseScope)))",
            // A case one may touch may be sent on (transfer, escalate): the check is on the row before.
            "CREATE POLICY case_update ON pakn_case FOR UPDATE TO \(g) USING (\(caseScope)) WITH CHECK (true)",
            "ALTER TABLE event ENABLE ROW LEVEL SECURITY",
            "CREATE POLICY event_read ON event FOR SELECT TO \(g) USING (EXISTS (SELECT 1 FROM pakn_case c WHERE c.id = event.case_id))",
            "ALTER TABLE attachment ENABLE ROW LEVEL SECURITY",
            "CREATE POLICY attachment_read ON attachment FOR SELECT TO \(g) USING (EXISTS (SELECT 1 FROM pakn_case c WHERE c.id = attachment.case_id))",
            "CREATE POLICY attachment_insert ON attachment FOR INSERT TO \(g) WITH CHECK (EXISTS (SELECT 1 FROM pakn_case c WHERE c.id = attachment.case_id))",

            // What the group may read and write directly.
            """
            GRANT SELECT ON setting, unit, unit_alias, unit_code_history, category, official, deadline_rule, calendar_exception,
              routing_rule, reply_template, case_count, case_link, stat_day, stat_month, stat_span, stat_open, stat_rating,
              report_import, role_permission, action_permission, pakn_case, event, attachment, case_view, event_view TO \(g)
            """,
            "GRANT SELECT, INSERT, UPDATE ON case_sequence TO \(g)",
            "GRANT INSERT ON pakn_case, attachment, case_link TO \(g)",
            """
            GRANT UPDATE (title, body, category, unit_id, assignee_id, status, done, complex, rule_id, counting, clock_start,
              clock_days, extended_days, extensions, paused_days, paused_since, due_at, master_id, reply, resolved_at, closed_at,
              rating, rating_reasons, version, updated_at, accept_days, accept_counting, accepted_on, rollover, search,
              province_id, commune_id) ON pakn_case TO \(g)
            """,
            // Append-only by privilege: nobody but the owner's functions writes events.
            "REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON event, access_log, access_case, access_fact FROM PUBLIC, \(g)",
            "REVOKE ALL ON reporter, event_head FROM PUBLIC, \(g)",
        ] + internalFunctions.map { "REVOKE EXECUTE ON FUNCTION \($0) FROM PUBLIC" }
          + officialFunctions.map { "GRANT EXECUTE ON FUNCTION \($0) TO \(g)" }
    }

    /// Guard.inScope over a `pakn_case` row, as a policy expression: assigned to the
    /// official, or its handling unit or ward within the official's unit subtree.
    static let caseScope = """
        assignee_id = (SELECT o.id FROM public.official o WHERE o.login = session_user AND o.active)
        OR EXISTS (SELECT 1 FROM public.unit u WHERE u.id IN (unit_id, ward_id)
          AND starts_with(u.path, (SELECT mu.path FROM public.official o JOIN public.unit mu ON mu.id = o.unit_id
                                   WHERE o.login = session_user AND o.active)))
        """

    /// Functions only the owner (and its other functions) may run.
    static let internalFunctions = ["pakn_chain_append", "pakn_official_role", "pakn_refuse_event_change", "pakn_case_facts",
                                    "pakn_verify_chain"]

    /// The functions an official may call (each checks who is calling).
    static let officialFunctions = ["pakn_me", "pakn_my_path", "pakn_me_unit", "pakn_within", "pakn_in_scope", "pakn_may",
                                    "pakn_may_handle", "pakn_fold", "pakn_event_hash", "pakn_covers_facts",
                                    "pakn_append_event", "pakn_reveal_reporter", "pakn_add_reporter",
                                    "pakn_official_add", "pakn_official_set_active", "pakn_national_admin", "pakn_unit_put",
                                    "pakn_rule_put", "pakn_calendar_put"]
}
