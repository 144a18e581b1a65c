import Foundation
import PaknCore

/// Migrations `v6-admin-*`: `pakn rules import`, `pakn calendar add/remove/import` and
/// `pakn units import` on a server, with the server checking and recording what the SQLite
/// store checks and records (Sources/PaknStore/Reference/Setup.swift, CalendarStore.swift,
/// Trust/AdminScope.swift):
///
/// - `v6-admin-scope`: `pakn_national_admin` as `AdminScope.isNational` — at province level
///   or above *and* over the unit the database serves (`home_unit`); v1's did not look at
///   the home unit. `pakn_rule_reach`: `AdminScope.ruleRefusal` over a rule's JSON (a local
///   rule needs its issuer within the caller's units, a national one the national admin).
/// - `v6-admin-rules`: `pakn_rules_import` writes a whole rules file in one call: every rule
///   that changes (and the rule it replaces) is checked before anything is written, then each
///   is written with its access-log entry (the digests of its old and new text), as
///   `importRules`. `v5-admin-record`'s `pakn_rule_put` asks the national admin for every
///   rule (a local admin's own rule too) and records another note: it stays for `psql`.
/// - `v6-admin-calendar`: a calendar change and the due instants of the open cases it moves,
///   in one transaction, as `CalendarTable.apply`. `pakn_calendar_clocks` locks the calendar
///   and gives the national admin the clocks of every open case a change of those days may
///   move (of every unit: row-level security would hide most); the session recomputes their
///   due instants with the core (`Deadline.dueDay`, the same code as SQLite) and
///   `pakn_calendar_apply` writes the days, moves only those cases (open, their clock
///   spanning a changed day) and appends one access-log entry per changed day naming the
///   cases it moved. SQLite appends no case event for a re-dated case; neither does this.
/// - `v6-admin-units`: `pakn_units_import` loads a units file's rows, as
///   `UnitStore.importUnits`: the session works out every row's new state (the standard
///   departments, their names, the labels) and the function checks each change against the
///   caller's units (`UnitStore.scopeRefusal`: a new unit's parent, a changed unit and its
///   new parent within them) before writing any, writes them, rebuilds the paths and
///   provinces and appends the access-log entry.
extension ServerSchema {
    static func adminImportMigrations(group: String) -> [Migration] {
        let g = ident(group)
        return [
            Migration(id: "v6-admin-scope", statements: adminScope(group: g)),
            Migration(id: "v6-admin-rules", statements: adminRules(group: g)),
            Migration(id: "v6-admin-calendar", statements: adminCalendar(group: g)),
            Migration(id: "v6-admin-units", statements: adminUnits(group: g)),
        ]
    }

    /// The kinds whose deadline rules are set by law (`DeadlineRule.isLawKind`).
    static var lawKinds: String {
        "ARRAY[" + CaseKind.allCases.filter(DeadlineRule.isLawKind).map { literal($0.rawValue) }.joined(separator: ", ") + "]::text[]"
    }

    /// `Day.start` of a `date`: midnight in Vietnam, as an instant.
    static func dayStartSQL(_ d: String) -> String {
        "to_timestamp(((\(d)) - date '1970-01-01')::bigint * 86400 - \(Int(Day.vietnamOffset)))"
    }

    static func grants(_ names: [String], to g: String) -> [String] {
        names.flatMap { ["REVOKE EXECUTE ON FUNCTION \($0) FROM PUBLIC", "GRANT EXECUTE ON FUNCTION \($0) TO \(g)"] }
    }

    static func adminScope(group g: String) -> [String] {
        [
            """
            CREATE OR REPLACE FUNCTION pakn_national_admin() RETURNS boolean LANGUAGE sql STABLE \(definer) AS
            $$ SELECT pakn_may('manage_rules') AND EXISTS (
                 SELECT 1 FROM official o JOIN unit u ON u.id = o.unit_id
                 WHERE o.login = session_user AND o.active AND (u.parent_id IS NULL OR u.level IN ('centre', 'province'))
                   AND coalesce((SELECT starts_with(h.path, u.path) FROM setting s JOIN unit h ON h.code = s.value
                                 WHERE s.key = 'home_unit'), true)) $$
            """,
            """
            CREATE FUNCTION pakn_rule_reach(p_json text) RETURNS boolean LANGUAGE plpgsql STABLE \(definer) AS
            $$ DECLARE j jsonb; iss bigint;
               BEGIN
                 IF NOT pakn_may('manage_rules') THEN RETURN false; END IF;
                 BEGIN j := p_json::jsonb; EXCEPTION WHEN others THEN RETURN pakn_national_admin(); END;
                 IF jsonb_typeof(j -> 'issuer') = 'string' AND NOT (j ->> 'kind' = ANY(\(lawKinds))) THEN
                   SELECT id INTO iss FROM unit WHERE code = j ->> 'issuer';
                   IF iss IS NOT NULL THEN RETURN pakn_within(iss, pakn_my_path()); END IF;
                 END IF;
                 RETURN pakn_national_admin();
               END $$
            """,
        ] + grants(["pakn_national_admin", "pakn_rule_reach"], to: g)
    }

    static func adminRules(group g: String) -> [String] {
        let digest = { (t: String) in "encode(sha256(convert_to(\(t), 'UTF8')), 'hex')" }
        return [
            """
            CREATE FUNCTION pakn_rules_import(p_file text, p_rules text[]) RETURNS integer LANGUAGE plpgsql \(definer) AS
            $$ DECLARE me bigint := pakn_me(); t text; j jsonb; before text; n integer := 0;
               BEGIN
                 IF me IS NULL THEN \(notOfficialRaise); END IF;
                 IF NOT pakn_may('manage_rules') THEN \(deniedRaise("'manage_rules'")); END IF;
                 LOCK TABLE deadline_rule IN SHARE ROW EXCLUSIVE MODE;
                 FOREACH t IN ARRAY p_rules LOOP
                   j := t::jsonb;
                   IF coalesce(j ->> 'id', '') = '' THEN \(deniedRaise("'manage_rules'")); END IF;
                   before := (SELECT r.json FROM deadline_rule r WHERE r.id = j ->> 'id');
                   CONTINUE WHEN before IS NOT DISTINCT FROM t;
                   IF NOT pakn_rule_reach(t) OR (before IS NOT NULL AND NOT pakn_rule_reach(before)) THEN
                     \(deniedRaise("'manage_rules'"));
                   END IF;
                 END LOOP;
                 FOREACH t IN ARRAY p_rules LOOP
                   j := t::jsonb;
                   before := (SELECT r.json FROM deadline_rule r WHERE r.id = j ->> 'id');
                   CONTINUE WHEN before IS NOT DISTINCT FROM t;
                   INSERT INTO deadline_rule(id, kind, effective_from, effective_to, json)
                     VALUES (j ->> 'id', j ->> 'kind', (j ->> 'effectiveFrom')::date, (j ->> 'effectiveTo')::date, t)
                     ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, effective_from = excluded.effective_from,
                       effective_to = excluded.effective_to, json = excluded.json;
                   PERFORM pakn_access_write(me, session_user, 'rules_import', j ->> 'id',
                     p_file || ': ' || coalesce(\(digest("before")), '—') || ' → ' || \(digest("t")), 1, \(digest("t")), '{}');
                   n := n + 1;
                 END LOOP;
                 RETURN n;
               END $$
            """,
        ] + grants(["pakn_rules_import"], to: g)
    }

    static func adminCalendar(group g: String) -> [String] {
        [
            // CalendarTable.describe: `holiday "Tết…" announced: DOC (note)`, or — for none.
            """
            CREATE FUNCTION pakn_calendar_describe(e calendar_exception) RETURNS text LANGUAGE sql IMMUTABLE AS
            $$ SELECT CASE WHEN e.day IS NULL THEN '—'
                 ELSE e.kind || ' "' || e.name || '" ' || e.standing || coalesce(': ' || e.document, '') || coalesce(' (' || e.note || ')', '')
               END $$
            """,
            """
            CREATE FUNCTION pakn_calendar_clocks(p_first date, p_last date)
            RETURNS TABLE(id bigint, rule_id text, counting text, clock_start bigint, clock_days bigint, extended_days bigint,
                          extensions bigint, paused_days bigint, paused_since bigint, accept_days bigint, accept_counting text,
                          accepted_on bigint, rollover boolean, due_at bigint)
            LANGUAGE plpgsql \(definer) AS
            $$ BEGIN
                 IF pakn_me() IS NULL THEN \(notOfficialRaise); END IF;
                 IF NOT pakn_national_admin() THEN \(deniedRaise("'manage_rules'")); END IF;
                 LOCK TABLE calendar_exception IN SHARE ROW EXCLUSIVE MODE;
                 RETURN QUERY
                   SELECT c.id, c.rule_id, c.counting, (c.clock_start - date '1970-01-01')::bigint, c.clock_days::bigint,
                          c.extended_days::bigint, c.extensions::bigint, c.paused_days::bigint,
                          (c.paused_since - date '1970-01-01')::bigint, c.accept_days::bigint, c.accept_counting,
                          (c.accepted_on - date '1970-01-01')::bigint, c.rollover, extract(epoch FROM c.due_at)::bigint
                   FROM pakn_case c
                   WHERE NOT c.done AND c.due_at >= \(dayStartSQL("p_first")) AND c.clock_start < p_last
                   ORDER BY c.id FOR UPDATE;
               END $$
            """,
            // p_days: [{"day": "2026-09-03", "entry": {"kind", "name", "standing", "document", "note"} or null}];
            // p_moves: [{"id": case id, "due": seconds since 1970}]. Returns how many cases moved.
            """
            CREATE FUNCTION pakn_calendar_apply(p_days jsonb, p_reason text, p_moves jsonb) RETURNS integer
            LANGUAGE plpgsql \(definer) AS
            $$ DECLARE me bigint := pakn_me(); x jsonb; a jsonb; d date; e calendar_exception; n calendar_exception;
                       days date[] := '{}'; befores text[] := '{}'; afters text[] := '{}'; acts text[] := '{}';
                       ids bigint[] := '{}'; starts date[] := '{}'; olds timestamptz[] := '{}';
                       c pakn_case; first_ date; last_ date; i integer; cases bigint[];
               BEGIN
                 IF me IS NULL THEN \(notOfficialRaise); END IF;
                 IF NOT pakn_national_admin() THEN \(deniedRaise("'manage_rules'")); END IF;
                 IF btrim(coalesce(p_reason, '')) = '' THEN
                   RAISE EXCEPTION USING ERRCODE = 'P0001', MESSAGE = \(pattern("pg.trust.reason_needed", args: 0));
                 END IF;
                 LOCK TABLE calendar_exception IN SHARE ROW EXCLUSIVE MODE;
                 FOR x IN SELECT * FROM jsonb_array_elements(p_days) LOOP
                   d := (x ->> 'day')::date; a := x -> 'entry';
                   e := NULL;
                   SELECT * INTO e FROM calendar_exception WHERE day = d;
                   n := NULL;
                   IF jsonb_typeof(a) = 'object' THEN
                     n := ROW(d, a ->> 'kind', a ->> 'name', coalesce(a ->> 'standing', 'expected'), a ->> 'document', a ->> 'note');
                   END IF;
                   CONTINUE WHEN e IS NOT DISTINCT FROM n;
                   IF n.day IS NULL THEN
                     DELETE FROM calendar_exception WHERE day = d;
                   ELSE
                     INSERT INTO calendar_exception(day, kind, name, standing, document, note)
                       VALUES (n.day, n.kind, n.name, n.standing, n.document, n.note)
                       ON CONFLICT (day) DO UPDATE SET kind = excluded.kind, name = excluded.name, standing = excluded.standing,
                         document = excluded.document, note = excluded.note;
                   END IF;
                   days := days || d;
                   befores := befores || pakn_calendar_describe(e);
                   afters := afters || pakn_calendar_describe(n);
                   acts := acts || CASE WHEN e.day IS NULL THEN 'calendar_add' WHEN n.day IS NULL THEN 'calendar_remove'
                                        ELSE 'calendar_update' END;
                 END LOOP;
                 first_ := (SELECT min(x_) FROM unnest(days) x_);
                 last_ := (SELECT max(x_) FROM unnest(days) x_);
                 -- Only the open cases whose clock spans a changed day move (CalendarTable.redate).
                 FOR x IN SELECT * FROM jsonb_array_elements(coalesce(p_moves, '[]'::jsonb)) LOOP
                   SELECT * INTO c FROM pakn_case WHERE pakn_case.id = (x ->> 'id')::bigint FOR UPDATE;
                   IF NOT FOUND OR first_ IS NULL OR c.done OR c.due_at < \(dayStartSQL("first_")) OR c.clock_start >= last_
                      OR c.id = ANY(ids) THEN
                     \(deniedRaise("'manage_rules'"));
                   END IF;
                   CONTINUE WHEN c.due_at = to_timestamp((x ->> 'due')::bigint);
                   UPDATE pakn_case SET due_at = to_timestamp((x ->> 'due')::bigint) WHERE pakn_case.id = c.id;
                   ids := ids || c.id; starts := starts || c.clock_start; olds := olds || c.due_at;
                 END LOOP;
                 FOR i IN 1 .. coalesce(array_length(days, 1), 0) LOOP
                   SELECT coalesce(array_agg(ids[k] ORDER BY ids[k]), '{}') INTO cases FROM generate_subscripts(ids, 1) k
                     WHERE starts[k] < days[i] AND olds[k] >= \(dayStartSQL("days[i]"));
                   PERFORM pakn_access_write(me, session_user, acts[i], days[i]::text,
                     left(p_reason || ' | ' || befores[i] || ' → ' || afters[i], 2000), cardinality(cases), NULL, cases);
                 END LOOP;
                 RETURN cardinality(ids);
               END $$
            """,
            "REVOKE EXECUTE ON FUNCTION pakn_calendar_describe FROM PUBLIC",
        ] + grants(["pakn_calendar_clocks", "pakn_calendar_apply"], to: g)
    }

    static func adminUnits(group g: String) -> [String] {
        [
            // p_units: [{"code", "name", "level", "division_type", "parent" (a code, or null for the
            // centre), "folded", "label", "row" (true: a row of the file, false: a department
            // or a name the load derives)}], parents before children. Returns added, updated,
            // departments added.
            """
            CREATE FUNCTION pakn_units_import(p_file text, p_units jsonb)
            RETURNS TABLE(added integer, updated integer, departments integer) LANGUAGE plpgsql \(definer) AS
            $$ DECLARE me bigint := pakn_me(); mypath text := pakn_my_path(); x jsonb; u unit; p unit; pid bigint;
                       newcodes text[] := '{}'; id_ bigint; a integer := 0; up integer := 0; dep integer := 0;
                       structural boolean;
               BEGIN
                 IF me IS NULL THEN \(notOfficialRaise); END IF;
                 IF NOT pakn_may('manage_rules') THEN \(deniedRaise("'manage_rules'")); END IF;
                 LOCK TABLE unit IN SHARE ROW EXCLUSIVE MODE;
                 -- Every change within the caller's units before anything is written.
                 FOR x IN SELECT * FROM jsonb_array_elements(p_units) LOOP
                   u := NULL; p := NULL;
                   SELECT * INTO u FROM unit WHERE code = x ->> 'code';
                   IF x ->> 'parent' IS NULL THEN SELECT * INTO p FROM unit WHERE code = 'VN';
                   ELSE SELECT * INTO p FROM unit WHERE code = x ->> 'parent'; END IF;
                   IF p.id IS NULL AND NOT (x ->> 'parent' = ANY(newcodes)) THEN \(deniedRaise("'manage_rules'")); END IF;
                   IF u.id IS NULL THEN
                     IF p.id IS NOT NULL AND NOT starts_with(p.path, mypath) THEN \(deniedRaise("'manage_rules'")); END IF;
                     newcodes := newcodes || (x ->> 'code');
                   ELSE
                     structural := u.name <> x ->> 'name' OR u.level <> x ->> 'level' OR u.division_type <> x ->> 'division_type'
                                   OR u.parent_id IS DISTINCT FROM p.id;
                     IF (structural OR u.folded <> x ->> 'folded' OR u.label <> x ->> 'label')
                        AND (NOT starts_with(u.path, mypath) OR (structural AND p.id IS NOT NULL AND NOT starts_with(p.path, mypath))) THEN
                       \(deniedRaise("'manage_rules'"));
                     END IF;
                   END IF;
                 END LOOP;
                 FOR x IN SELECT * FROM jsonb_array_elements(p_units) LOOP
                   u := NULL;
                   SELECT * INTO u FROM unit WHERE code = x ->> 'code';
                   pid := (SELECT id FROM unit WHERE code = coalesce(x ->> 'parent', 'VN'));
                   IF u.id IS NULL THEN
                     SELECT coalesce(max(id), 0) + 1 INTO id_ FROM unit;
                     INSERT INTO unit(id, code, name, level, division_type, parent_id, path, folded, label)
                       VALUES (id_, x ->> 'code', x ->> 'name', x ->> 'level', x ->> 'division_type', pid, '', x ->> 'folded', x ->> 'label');
                     IF (x ->> 'row')::boolean THEN a := a + 1; ELSE dep := dep + 1; END IF;
                   ELSE
                     UPDATE unit SET name = x ->> 'name', level = x ->> 'level', division_type = x ->> 'division_type',
                       parent_id = pid, folded = x ->> 'folded', label = x ->> 'label' WHERE id = u.id;
                     IF (x ->> 'row')::boolean THEN up := up + 1; END IF;
                   END IF;
                 END LOOP;
                 -- UnitStore.rebuildPaths.
                 WITH RECURSIVE tree(id, path) AS (
                   SELECT t.id, '/' || t.id || '/' FROM unit t WHERE t.parent_id IS NULL
                   UNION ALL
                   SELECT t.id, tree.path || t.id || '/' FROM unit t JOIN tree ON t.parent_id = tree.id)
                 UPDATE unit SET path = tree.path FROM tree WHERE tree.id = unit.id AND unit.path IS DISTINCT FROM tree.path;
                 -- The province whose path the unit's starts with (a province's own), or none.
                 UPDATE unit SET province_id = pr.id FROM unit pr
                   WHERE pr.level = 'province' AND starts_with(unit.path, pr.path) AND unit.province_id IS DISTINCT FROM pr.id;
                 UPDATE unit SET province_id = NULL WHERE province_id IS NOT NULL AND NOT EXISTS (
                   SELECT 1 FROM unit pr WHERE pr.id = unit.province_id AND pr.level = 'province' AND starts_with(unit.path, pr.path));
                 PERFORM pakn_access_write(me, session_user, 'units_import', left(p_file, 500),
                   'added ' || a || ', updated ' || up || ', departments ' || dep, a + up, NULL, '{}');
                 RETURN QUERY SELECT a, up, dep;
               END $$
            """,
        ] + grants(["pakn_units_import"], to: g)
    }
}
