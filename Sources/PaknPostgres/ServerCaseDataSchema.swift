import Foundation
import PaknCore
import PaknStoreAPI

/// Migrations `v6-casedata-*`: a citizen's data request and attachments on the server, with
/// the server enforcing them as it does a reveal (`pakn_reveal_reporter`):
///
/// - `v6-casedata-citizen`: `pakn citizen export` and `pakn citizen erase` (SQLite:
///   Sources/PaknStore/Trust/CitizenData.swift). `reporter` stays unreadable by officials'
///   roles: `pakn_citizen_export` and `pakn_citizen_erase` match the reporters themselves
///   (the keys of `CitizenQuery.matches`: a phone's digits, 84… as 0…; a name's folded
///   words; an ID's letters and digits; an e-mail in lower case), check the permission
///   (`export_unredacted`; `reveal_reporter` and a reason when a sealed reporter is listed;
///   the erase action's permission for an erasure) and the scope (a sealed reporter only
///   where the caller's units handle the case; an erasure refused while a match lies
///   outside them), and write the same records as SQLite in the same transaction: the
///   `citizen_export`/`citizen_erase` access-log entry naming the cases, a `reveal` event on
///   each case whose sealed reporter is listed, an `erase` event on each case erased.
/// - `v6-casedata-report-import`: a lower level's report file (Fatherland Front roll-up;
///   SQLite: Session.importReport) kept by `pakn_report_import`: `import_reports`, a unit
///   one level below the caller's (never their own), the same file once, another report of
///   the same unit and period only when replacing it, and the `report_import` access-log
///   entry in the same transaction (officials' roles may read `report_import`, not write it).
/// - `v6-casedata-attachments`: an attachment's bytes kept in the database
///   (`attachment_blob`, by SHA-256, as SQLite keeps one file per digest beside its
///   database), so any desk host reads them. They are readable under the same row-level
///   security as the attachments that name them (so as the case), and written only by
///   `pakn_attach`, which checks the case is in the caller's scope, `work`, the type and
///   the `attachment_max_mb` limit, and appends the `attach` event (note: the name;
///   changes: the digest) as SQLite does; an intake's files by `pakn_attach_intake`
///   (`intake`, on the case the caller took in within the same transaction). Officials' roles lose the direct INSERT on
///   `attachment`: no attachment without its chained event.
extension ServerSchema {
    /// The `v6-casedata-*` migrations, appended after the others (ServerSchema.migrations).
    static func caseDataMigrations(group: String) -> [Migration] {
        let g = ident(group)
        return [
            Migration(id: "v6-casedata-citizen", statements: caseDataCitizen(group: g)),
            Migration(id: "v6-casedata-attachments", statements: caseDataAttachments(group: g)),
            Migration(id: "v6-casedata-report-import", statements: caseDataReportImport(group: g)),
        ]
    }

    /// The media types `AttachmentContent.sniff` tells.
    static let attachmentTypes = ["image/jpeg", "image/png", "application/pdf", "image/webp", "text/plain"]

    /// A catalog text in Vietnamese only as a `format()` pattern (what SQLite records in a
    /// case's history, e.g. the note of a reveal by a citizen export).
    static func patternVi(_ key: String, args: Int) -> String {
        literal(L10n.format(key, .vi, Array(repeating: "%s", count: args)))
    }

    static func caseDataCitizen(group g: String) -> [String] {
        let erasePermission = Permission.required(for: .erase).rawValue
        let reasonNeeded = "RAISE EXCEPTION USING ERRCODE = 'P0001', MESSAGE = \(pattern("pg.trust.reason_needed", args: 0))"
        let nameAlone = "RAISE EXCEPTION USING ERRCODE = 'P0001', MESSAGE = \(pattern("trust.citizen.name_alone", args: 0))"
        let noCase = "RAISE EXCEPTION USING ERRCODE = 'P0002', MESSAGE = format(\(pattern("pg.trust.no_case", args: 1)), \(patternArgs("x::text")))"
        // The selectors: NULL when not given; '' when given but holding nothing to match
        // (CitizenQuery.matches then matches nothing).
        let selectors = "p_phone text, p_name text, p_national_id text, p_email text, p_cases bigint[]"
        let passed = "p_phone, p_name, p_national_id, p_email, p_cases"
        // Every case the caller named is one they may touch (the session checked and
        // recorded it; this holds for a caller from psql too).
        let casesInScope = """
            FOR x IN SELECT unnest(coalesce(p_cases, '{}'::bigint[])) LOOP
                   IF NOT EXISTS (SELECT 1 FROM pakn_case c WHERE c.id = x AND pakn_in_scope(c.unit_id, c.ward_id, c.assignee_id)) THEN
                     \(noCase);
                   END IF;
                 END LOOP;
            """
        return [
            // CitizenQuery.phoneKey, nameKey, idKey (PaknStoreAPI), over the stored values.
            """
            CREATE FUNCTION pakn_phone_key(p text) RETURNS text LANGUAGE sql IMMUTABLE STRICT AS
            $$ SELECT CASE WHEN d LIKE '84%' AND length(d) >= 11 THEN '0' || substr(d, 3) ELSE d END
               FROM (SELECT regexp_replace(p, '[^0-9]', '', 'g') AS d) x $$
            """,
            """
            CREATE FUNCTION pakn_name_key(p text) RETURNS text LANGUAGE sql IMMUTABLE STRICT AS
            $$ SELECT array_to_string(array_remove(regexp_split_to_array(pakn_fold(p), '[^[:alnum:]]+'), ''), ' ') $$
            """,
            """
            CREATE FUNCTION pakn_id_key(p text) RETURNS text LANGUAGE sql IMMUTABLE STRICT AS
            $$ SELECT regexp_replace(upper(p), '[^[:alnum:]]', '', 'g') $$
            """,
            // AppDatabase.citizenMatches: the reporters not yet erased that match, with their
            // case. A sealed one only where the caller's units handle the case (never counted
            // otherwise); any other one in scope or counted outside it.
            """
            CREATE FUNCTION pakn_citizen_matches(\(selectors))
            RETURNS TABLE(case_id bigint, reporter_id bigint, confidential boolean, in_scope boolean)
            LANGUAGE sql STABLE \(definer) AS
            $$ SELECT c.id, r.id, c.confidential,
                 c.confidential OR pakn_in_scope(c.unit_id, c.ward_id, c.assignee_id)
               FROM reporter r JOIN pakn_case c ON c.reporter_id = r.id
               WHERE r.erased_at IS NULL
                 AND (p_cases IS NULL OR c.id = ANY(p_cases))
                 AND (p_phone IS NULL OR (p_phone <> '' AND pakn_phone_key(r.phone) = p_phone))
                 AND (p_name IS NULL OR (p_name <> '' AND pakn_name_key(r.name) = p_name))
                 AND (p_national_id IS NULL OR (p_national_id <> '' AND pakn_id_key(r.national_id) = p_national_id))
                 AND (p_email IS NULL OR (p_email <> '' AND lower(btrim(r.email)) = p_email))
                 AND (NOT c.confidential OR pakn_within(c.unit_id, pakn_my_path()))
               ORDER BY c.id $$
            """,
            // AppDatabase.citizenExport. Answers a status: `reveal_denied` or `reason_needed`
            // (a sealed reporter matches; nothing written: the session records the refusal
            // as SQLite does), or `ok` with what is held and every recorded access to it.
            // `p_note`: the export's note; `p_reason`: the reason when a sealed one is listed.
            """
            CREATE FUNCTION pakn_citizen_export(\(selectors), p_kinds text, p_note text, p_reason text) RETURNS jsonb
            LANGUAGE plpgsql \(definer) AS
            $$ DECLARE me bigint := pakn_me(); x bigint; ids bigint[]; sealed bigint[]; outside bigint; note text := p_note;
                 strong boolean := coalesce(p_phone, '') <> '' OR coalesce(p_national_id, '') <> '' OR coalesce(p_email, '') <> ''
                                   OR cardinality(coalesce(p_cases, '{}'::bigint[])) > 0;
               BEGIN
                 IF me IS NULL THEN \(notOfficialRaise); END IF;
                 IF NOT pakn_may('export_unredacted') THEN \(deniedRaise("'export_unredacted'")); END IF;
                 \(casesInScope)
                 SELECT coalesce(array_agg(m.case_id ORDER BY m.case_id) FILTER (WHERE m.in_scope AND (strong OR NOT m.confidential)), '{}'),
                        coalesce(array_agg(m.case_id ORDER BY m.case_id) FILTER (WHERE m.in_scope AND strong AND m.confidential), '{}'),
                        count(*) FILTER (WHERE NOT m.in_scope)
                   INTO ids, sealed, outside FROM pakn_citizen_matches(\(passed)) m;
                 IF cardinality(sealed) > 0 THEN
                   -- Listing a sealed identity is a reveal: the permission and a reason.
                   IF NOT pakn_may('reveal_reporter') THEN RETURN jsonb_build_object('status', 'reveal_denied'); END IF;
                   IF btrim(coalesce(p_reason, '')) = '' THEN RETURN jsonb_build_object('status', 'reason_needed'); END IF;
                   note := p_reason;
                 END IF;
                 PERFORM pakn_access_write(me, session_user, 'citizen_export', left(p_kinds, 500), left(note, 2000),
                                           cardinality(ids), NULL, ids);
                 FOR x IN SELECT unnest(sealed) LOOP
                   PERFORM pakn_chain_append(me, c.id, 'reveal', c.status, c.status,
                                             format(\(patternVi("trust.reveal.by_citizen_export", args: 1)), coalesce(note, '')), '{}')
                     FROM pakn_case c WHERE c.id = x;
                 END LOOP;
                 RETURN jsonb_build_object('status', 'ok', 'outside', outside,
                   'held', (SELECT coalesce(jsonb_agg(jsonb_build_object('case', c.id, 'reporter', r.id, 'name', r.name, 'phone', r.phone,
                              'email', r.email, 'address', r.address, 'national_id', r.national_id, 'anonymous', r.anonymous,
                              'confidential', r.confidential) ORDER BY c.id), '[]'::jsonb)
                            FROM pakn_case c JOIN reporter r ON r.id = c.reporter_id WHERE c.id = ANY(ids)),
                   'accesses', (SELECT coalesce(jsonb_agg(jsonb_build_object('at', floor(extract(epoch FROM a.at))::bigint, 'login', a.login,
                                  'action', a.action, 'case', a.case_id, 'note', a.note) ORDER BY a.case_id, a.src, a.id), '[]'::jsonb)
                                FROM (SELECT e.at, coalesce(o.login, '#' || e.actor_id) AS login, 'reveal'::text AS action, e.case_id,
                                             e.note, 0 AS src, e.id
                                      FROM event e LEFT JOIN official o ON o.id = e.actor_id
                                      WHERE e.case_id = ANY(ids) AND e.action = 'reveal'
                                      UNION ALL
                                      SELECT l.at, l.login, l.action, ac.case_id, l.note, 1, l.id
                                      FROM access_log l JOIN access_case ac ON ac.access_id = l.id
                                      WHERE ac.case_id = ANY(ids) AND l.action IN ('export_unredacted', 'citizen_export', 'citizen_erase')) a));
               END $$
            """,
            // AppDatabase.citizenErase. Answers `out_of_scope` (with how many), `none`, or
            // `ok` with the codes erased; only `ok` writes.
            """
            CREATE FUNCTION pakn_citizen_erase(\(selectors), p_kinds text, p_reason text) RETURNS jsonb
            LANGUAGE plpgsql \(definer) AS
            $$ DECLARE me bigint := pakn_me(); x bigint; why text := btrim(coalesce(p_reason, '')); ids bigint[]; outside bigint;
                 at_ timestamptz := to_timestamp(floor(extract(epoch FROM now())));
                 strong boolean := coalesce(p_phone, '') <> '' OR coalesce(p_national_id, '') <> '' OR coalesce(p_email, '') <> ''
                                   OR cardinality(coalesce(p_cases, '{}'::bigint[])) > 0;
               BEGIN
                 IF me IS NULL THEN \(notOfficialRaise); END IF;
                 IF NOT strong THEN \(nameAlone); END IF;
                 IF why = '' THEN \(reasonNeeded); END IF;
                 IF NOT pakn_may(\(literal(erasePermission))) THEN \(deniedRaise(literal(erasePermission))); END IF;
                 \(casesInScope)
                 -- The matching reporters stay as they are until this commits.
                 LOCK TABLE reporter IN SHARE ROW EXCLUSIVE MODE;
                 SELECT coalesce(array_agg(m.case_id ORDER BY m.case_id) FILTER (WHERE m.in_scope), '{}'),
                        count(*) FILTER (WHERE NOT m.in_scope)
                   INTO ids, outside FROM pakn_citizen_matches(\(passed)) m;
                 IF outside > 0 THEN RETURN jsonb_build_object('status', 'out_of_scope', 'outside', outside); END IF;
                 IF cardinality(ids) = 0 THEN RETURN jsonb_build_object('status', 'none'); END IF;
                 FOR x IN SELECT unnest(ids) LOOP
                   UPDATE reporter r SET name = NULL, phone = NULL, email = NULL, address = NULL, national_id = NULL, erased_at = at_
                     FROM pakn_case c WHERE c.id = x AND r.id = c.reporter_id;
                   PERFORM pakn_chain_append(me, c.id, 'erase', c.status, c.status, p_reason, '{}') FROM pakn_case c WHERE c.id = x;
                 END LOOP;
                 PERFORM pakn_access_write(me, session_user, 'citizen_erase', left(p_kinds, 500), left(p_reason, 2000),
                                           cardinality(ids), NULL, ids);
                 RETURN jsonb_build_object('status', 'ok', 'count', cardinality(ids),
                   'codes', (SELECT jsonb_agg(c.code ORDER BY c.id) FROM pakn_case c WHERE c.id = ANY(ids)));
               END $$
            """,
        ] + ["pakn_phone_key", "pakn_name_key", "pakn_id_key", "pakn_citizen_matches"].map { "REVOKE EXECUTE ON FUNCTION \($0) FROM PUBLIC" }
          + ["pakn_citizen_export", "pakn_citizen_erase"].flatMap {
            ["REVOKE EXECUTE ON FUNCTION \($0) FROM PUBLIC", "GRANT EXECUTE ON FUNCTION \($0) TO \(g)"]
        }
    }

    static func caseDataAttachments(group g: String) -> [String] {
        let noCase = "RAISE EXCEPTION USING ERRCODE = 'P0002', MESSAGE = format(\(pattern("pg.trust.no_case", args: 1)), \(patternArgs("p_case::text")))"
        // StoreError.attachmentRejected's text, "vi / en" as the server's refusals are.
        let rejected = { (reasonKey: String, arg: String?) -> String in
            let each = [Lang.vi, .en].map { lang in
                let reason = arg.map { "format(\(literal(L10n.format(reasonKey, lang, ["%s"]))), \($0))" }
                    ?? literal(L10n.format(reasonKey, lang, []))
                return "format(\(literal(L10n.format("store.attachment_rejected", lang, ["%s", "%s"]))), p_name, \(reason))"
            }
            return "RAISE EXCEPTION USING ERRCODE = 'P0001', MESSAGE = " + each.joined(separator: " || ' / ' || ")
        }
        return [
            "CREATE TABLE attachment_blob(sha256 text PRIMARY KEY, bytes bytea NOT NULL)",
            "ALTER TABLE attachment_blob ENABLE ROW LEVEL SECURITY",
            // Readable where an attachment the caller may read names it (so under the case's policy).
            """
            CREATE POLICY attachment_blob_read ON attachment_blob FOR SELECT TO \(g)
              USING (EXISTS (SELECT 1 FROM attachment a WHERE a.sha256 = attachment_blob.sha256))
            """,
            "REVOKE ALL ON attachment_blob FROM PUBLIC",
            "GRANT SELECT ON attachment_blob TO \(g)",
            "REVOKE INSERT ON attachment FROM \(g)",
            // AttachmentFile.store: the type and the limit checked; the bytes kept once per
            // digest; the row and the `attach` event (owner only: the two below call it).
            """
            CREATE FUNCTION pakn_attach_store(me bigint, c pakn_case, p_name text, p_media_type text, p_bytes bytea) RETURNS bigint
            LANGUAGE plpgsql \(definer) AS
            $$ DECLARE h text; id_ bigint; n bigint := octet_length(p_bytes); maxmb bigint;
                 at_ timestamptz := to_timestamp(floor(extract(epoch FROM now())));
               BEGIN
                 SELECT CASE WHEN value ~ '^[0-9]{1,9}$' THEN value::bigint END INTO maxmb FROM setting WHERE key = 'attachment_max_mb';
                 maxmb := coalesce(maxmb, \(AttachmentContent.defaultMaxMB));
                 IF coalesce(n, 0) = 0 THEN
                   \(rejected("store.attachment.empty", nil));
                 END IF;
                 IF n > maxmb * 1048576 THEN
                   \(rejected("store.attachment.too_big", "maxmb::text"));
                 END IF;
                 IF p_media_type NOT IN (\(attachmentTypes.map(literal).joined(separator: ", "))) THEN
                   \(rejected("store.attachment.type", nil));
                 END IF;
                 h := encode(sha256(p_bytes), 'hex');
                 INSERT INTO attachment_blob(sha256, bytes) VALUES (h, p_bytes) ON CONFLICT (sha256) DO NOTHING;
                 LOCK TABLE attachment IN SHARE ROW EXCLUSIVE MODE;
                 SELECT coalesce(max(id), 0) + 1 INTO id_ FROM attachment;
                 INSERT INTO attachment(id, case_id, name, media_type, size, sha256, added_at, added_by)
                   VALUES (id_, c.id, p_name, p_media_type, n, h, at_, me);
                 PERFORM pakn_chain_append(me, c.id, 'attach', NULL, NULL, p_name, '{"attachment":{"after":"' || h || '"}}');
                 RETURN id_;
               END $$
            """,
            // AppDatabase.attach: the case in the caller's scope, `work`.
            """
            CREATE FUNCTION pakn_attach(p_case bigint, p_name text, p_media_type text, p_bytes bytea) RETURNS bigint
            LANGUAGE plpgsql \(definer) AS
            $$ DECLARE me bigint := pakn_me(); c pakn_case;
               BEGIN
                 IF me IS NULL THEN \(notOfficialRaise); END IF;
                 SELECT * INTO c FROM pakn_case WHERE id = p_case;
                 IF NOT FOUND OR NOT pakn_in_scope(c.unit_id, c.ward_id, c.assignee_id) THEN \(noCase); END IF;
                 IF NOT pakn_may('work') THEN \(deniedRaise("'work'")); END IF;
                 RETURN pakn_attach_store(me, c, p_name, p_media_type, p_bytes);
               END $$
            """,
            // AppDatabase.intake's attachments: `intake`, on a case the caller took in within
            // this very transaction (every event of it theirs, at this transaction's instant).
            """
            CREATE FUNCTION pakn_attach_intake(p_case bigint, p_name text, p_media_type text, p_bytes bytea) RETURNS bigint
            LANGUAGE plpgsql \(definer) AS
            $$ DECLARE me bigint := pakn_me(); c pakn_case; at_ timestamptz := to_timestamp(floor(extract(epoch FROM now())));
               BEGIN
                 IF me IS NULL THEN \(notOfficialRaise); END IF;
                 SELECT * INTO c FROM pakn_case WHERE id = p_case;
                 IF NOT FOUND OR NOT EXISTS (SELECT 1 FROM event e WHERE e.case_id = c.id AND e.action = 'intake')
                    OR EXISTS (SELECT 1 FROM event e WHERE e.case_id = c.id AND (e.actor_id <> me OR e.at <> at_)) THEN \(noCase); END IF;
                 IF NOT pakn_may('intake') THEN \(deniedRaise("'intake'")); END IF;
                 RETURN pakn_attach_store(me, c, p_name, p_media_type, p_bytes);
               END $$
            """,
            "REVOKE EXECUTE ON FUNCTION pakn_attach_store FROM PUBLIC",
            "REVOKE EXECUTE ON FUNCTION pakn_attach_intake FROM PUBLIC",
            "GRANT EXECUTE ON FUNCTION pakn_attach_intake TO \(g)",
            "REVOKE EXECUTE ON FUNCTION pakn_attach FROM PUBLIC",
            "GRANT EXECUTE ON FUNCTION pakn_attach TO \(g)",
        ]
    }

    static func caseDataReportImport(group g: String) -> [String] {
        let refused = { (key: String, args: [String]) -> String in
            "RAISE EXCEPTION USING ERRCODE = 'P0001', MESSAGE = "
                + (args.isEmpty ? pattern(key, args: 0) : "format(\(pattern(key, args: args.count)), \((args + args).joined(separator: ", ")))")
        }
        return [
            """
            CREATE FUNCTION pakn_report_import(p_unit_code text, p_kind text, p_label text, p_first integer, p_last integer,
                p_digest text, p_chain_head text, p_made_by text, p_made_at timestamptz, p_made_at_text text, p_body text,
                p_replace boolean) RETURNS boolean LANGUAGE plpgsql \(definer) AS
            $$ DECLARE me bigint := pakn_me(); mine bigint := pakn_me_unit(); u unit; old_id bigint; id_ bigint;
               BEGIN
                 IF me IS NULL THEN \(notOfficialRaise); END IF;
                 IF NOT pakn_may('import_reports') THEN \(deniedRaise("'import_reports'")); END IF;
                 SELECT * INTO u FROM unit WHERE code = p_unit_code;
                 IF NOT FOUND OR u.id = mine OR NOT pakn_within(u.id, pakn_my_path()) OR u.parent_id IS DISTINCT FROM mine THEN
                   \(deniedRaise("'import_reports'"));
                 END IF;
                 IF p_kind NOT IN ('week', 'month', 'quarter') THEN \(refused("report.import.range", [])); END IF;
                 LOCK TABLE report_import IN SHARE ROW EXCLUSIVE MODE;
                 IF EXISTS (SELECT 1 FROM report_import WHERE digest = p_digest) THEN
                   \(refused("report.import.duplicate", ["coalesce(nullif(u.label, ''), u.name)", "p_label"]));
                 END IF;
                 SELECT id INTO old_id FROM report_import WHERE unit_id = u.id AND period_kind = p_kind AND period_label = p_label;
                 IF old_id IS NOT NULL THEN
                   IF NOT p_replace THEN \(refused("report.import.exists", ["coalesce(nullif(u.label, ''), u.name)", "p_label"])); END IF;
                   DELETE FROM report_import WHERE id = old_id;
                 END IF;
                 SELECT coalesce(max(id), 0) + 1 INTO id_ FROM report_import;
                 INSERT INTO report_import(id, unit_id, period_kind, period_label, first_day, last_day, digest, chain_head, made_by,
                     made_at, imported_at, imported_by, body)
                   VALUES (id_, u.id, p_kind, p_label, p_first, p_last, p_digest, p_chain_head, p_made_by, p_made_at,
                           to_timestamp(floor(extract(epoch FROM now()))), me, p_body);
                 PERFORM pakn_access_write(me, session_user, 'report_import', u.code || ' ' || p_label,
                   CASE WHEN old_id IS NOT NULL THEN 'replaced; ' ELSE '' END || 'made by ' || p_made_by || ' at ' || p_made_at_text
                   || '; chain head ' || p_chain_head, 0, p_digest, '{}');
                 RETURN old_id IS NOT NULL;
               END $$
            """,
            "REVOKE EXECUTE ON FUNCTION pakn_report_import FROM PUBLIC",
            "GRANT EXECUTE ON FUNCTION pakn_report_import TO \(g)",
        ]
    }
}
