import Foundation
import PaknCore
import PaknStoreAPI

/// Migration `v5-open311`: the Open311 service (`pakn serve`, docs/open311.md) on a server,
/// as SQLite's `v9-api-keys` (Sources/PaknStore/Open311):
///
/// - `api_key` and `api_intake` as SQLite's, readable by no official's role: only the
///   owner's functions below touch them, each checking its caller.
/// - A key's service official `api.NAME` is an official (a clerk at the key's unit) with a
///   LOGIN role of its own, as `pakn officials add` makes one: the service acts for a key by
///   connecting as that role, so that the server's row-level security and `pakn_case_act`
///   hold the key to its unit as they hold any official (docs/deployment.md says how the
///   service host is allowed to connect as `api.*` roles).
/// - `pakn_api_key_add`, `_revoke` (manage_officials within the key's unit, the access-log
///   entry in the same transaction), `pakn_api_keys` (those within the caller's units),
///   `pakn_api_key_find` (by the digest of a secret, for the service).
/// - `pakn_my_api_key`, `pakn_key_intake_find` and `pakn_key_intake_record`: an intake by a
///   key's service official keeps the idempotency key and the tracking token's digest in
///   the intake's transaction; a retry with the same idempotency key finds the case.
/// - Public reads (`pakn_public_requests`, `_request`, `_steps`): the columns a citizen may
///   see, never a denunciation, never a reporter, a body or a note; the answer only with the
///   tracking token. `pakn_citizen_login`: the service official that rates for a citizen
///   whose token matches the case.
extension ServerSchema {
    static func open311Migrations(group g: String) -> [Migration] {
        [Migration(id: "v5-open311", statements: open311(group: g))]
    }

    /// The columns of a key as the functions return it (ApiKey).
    static let apiKeyColumns = """
        k.id, k.name, k.channel, extract(epoch FROM k.created_at)::bigint, extract(epoch FROM k.revoked_at)::bigint, u.code, o.login
        FROM api_key k JOIN unit u ON u.id = k.unit_id JOIN official o ON o.id = k.official_id
        """
    static let apiKeyTable = "TABLE(id bigint, name text, channel text, created_at bigint, revoked_at bigint, unit_code text, login text)"

    /// The columns of a public request (PublicRequest), over `pakn_case c`.
    static let publicColumns = """
        c.code, c.status, c.category, c.title, c.address, c.latitude, c.longitude, extract(epoch FROM c.received_at)::bigint,
        extract(epoch FROM c.updated_at)::bigint, extract(epoch FROM c.due_at)::bigint, c.rating::bigint,
        (SELECT u.name FROM unit u WHERE u.id = c.unit_id)
        """
    static let publicTable = """
        TABLE(code text, status text, category text, title text, address text, latitude float8, longitude float8,
              received_at bigint, updated_at bigint, due_at bigint, rating bigint, agency text
        """

    static func open311(group g: String) -> [String] {
        let keyError = { (key: String, arg: String) in
            "RAISE EXCEPTION USING ERRCODE = 'P0001', MESSAGE = format(\(pattern(key, args: 1)), \(patternArgs(arg)))"
        }
        let unknownKey = "RAISE EXCEPTION USING ERRCODE = '42501', MESSAGE = \(pattern("open311.key.unknown", args: 0))"
        let publicActions = PublicStep.publicActions.map(\.rawValue).sorted().map(literal).joined(separator: ", ")
        let functions = ["pakn_api_key_add", "pakn_api_keys", "pakn_api_key_revoke", "pakn_api_key_find", "pakn_my_api_key",
                         "pakn_key_intake_find", "pakn_key_intake_record", "pakn_public_requests", "pakn_public_request",
                         "pakn_public_steps", "pakn_citizen_login"]
        return [
            """
            CREATE TABLE api_key(
              id bigint PRIMARY KEY,
              name text NOT NULL UNIQUE,
              key_hash text NOT NULL UNIQUE,
              channel text NOT NULL,
              unit_id bigint NOT NULL REFERENCES unit(id),
              official_id bigint NOT NULL UNIQUE REFERENCES official(id),
              created_at timestamptz NOT NULL,
              revoked_at timestamptz)
            """,
            """
            CREATE TABLE api_intake(
              case_id bigint PRIMARY KEY REFERENCES pakn_case(id),
              api_key_id bigint NOT NULL REFERENCES api_key(id),
              idempotency_key text,
              token_hash text NOT NULL)
            """,
            "CREATE UNIQUE INDEX api_intake_idempotency ON api_intake(api_key_id, idempotency_key) WHERE idempotency_key IS NOT NULL",
            "REVOKE ALL ON api_key, api_intake FROM PUBLIC",
            """
            CREATE FUNCTION pakn_api_key_add(p_name text, p_channel text, p_unit_code text, p_hash text) RETURNS bigint
            LANGUAGE plpgsql \(definer) AS
            $$ DECLARE me bigint := pakn_me(); u unit; oid bigint; kid bigint; l text := 'api.' || p_name;
               BEGIN
                 IF me IS NULL THEN \(notOfficialRaise); END IF;
                 SELECT * INTO u FROM unit WHERE code = p_unit_code;
                 IF NOT FOUND OR NOT pakn_may('manage_officials') OR NOT pakn_within(u.id, pakn_my_path())
                    OR NOT pakn_may_handle('clerk') THEN \(deniedRaise("'manage_officials'")); END IF;
                 IF p_name !~ '^[a-z0-9][a-z0-9-]{0,39}$' THEN \(keyError("open311.key.invalid_name", "p_name")); END IF;
                 IF p_channel NOT IN (\(PaknCore.Channel.allCases.map(\.rawValue).map(literal).joined(separator: ", "))) THEN
                   \(deniedRaise("'manage_officials'"));
                 END IF;
                 LOCK TABLE api_key IN SHARE ROW EXCLUSIVE MODE;
                 LOCK TABLE official IN SHARE ROW EXCLUSIVE MODE;
                 IF EXISTS (SELECT 1 FROM api_key WHERE name = p_name) OR EXISTS (SELECT 1 FROM official WHERE login = l) THEN
                   \(keyError("open311.key.duplicate", "p_name"));
                 END IF;
                 SELECT coalesce(max(id), 0) + 1 INTO oid FROM official;
                 INSERT INTO official(id, login, full_name, unit_id, role, active, folded)
                   VALUES (oid, l, 'Open311 ' || p_name, u.id, 'clerk', true, pakn_fold('Open311 ' || p_name || ' ' || l));
                 PERFORM pakn_official_role(l, NULL);
                 SELECT coalesce(max(id), 0) + 1 INTO kid FROM api_key;
                 INSERT INTO api_key(id, name, key_hash, channel, unit_id, official_id, created_at)
                   VALUES (kid, p_name, p_hash, p_channel, u.id, oid, to_timestamp(floor(extract(epoch FROM now()))));
                 PERFORM pakn_access_write(me, session_user, 'api_key_add', p_name, p_channel || ' @ ' || u.code || ' → ' || l,
                                           0, NULL, '{}');
                 RETURN kid;
               END $$
            """,
            // The keys whose unit is within the caller's (manage_officials).
            """
            CREATE FUNCTION pakn_api_keys() RETURNS \(apiKeyTable) LANGUAGE plpgsql STABLE \(definer) AS
            $$ BEGIN
                 IF pakn_me() IS NULL THEN \(notOfficialRaise); END IF;
                 IF NOT pakn_may('manage_officials') THEN \(deniedRaise("'manage_officials'")); END IF;
                 RETURN QUERY SELECT \(apiKeyColumns) WHERE pakn_within(k.unit_id, pakn_my_path()) ORDER BY k.name COLLATE "C";
               END $$
            """,
            """
            CREATE FUNCTION pakn_api_key_revoke(p_name text) RETURNS void LANGUAGE plpgsql \(definer) AS
            $$ DECLARE me bigint := pakn_me(); k api_key; l text;
               BEGIN
                 IF me IS NULL THEN \(notOfficialRaise); END IF;
                 SELECT * INTO k FROM api_key WHERE name = p_name FOR UPDATE;
                 IF NOT FOUND OR NOT pakn_within(k.unit_id, pakn_my_path()) THEN \(keyError("open311.key.no_name", "p_name")); END IF;
                 IF NOT pakn_may('manage_officials') THEN \(deniedRaise("'manage_officials'")); END IF;
                 IF k.revoked_at IS NOT NULL THEN RETURN; END IF;
                 SELECT login INTO l FROM official WHERE id = k.official_id;
                 UPDATE api_key SET revoked_at = to_timestamp(floor(extract(epoch FROM now()))) WHERE id = k.id;
                 UPDATE official SET active = false WHERE id = k.official_id;
                 EXECUTE format('ALTER ROLE %I NOLOGIN', l);
                 PERFORM pakn_access_write(me, session_user, 'api_key_revoke', p_name, l, 0, NULL, '{}');
               END $$
            """,
            // For the service (run by an official): the key whose secret has this digest.
            """
            CREATE FUNCTION pakn_api_key_find(p_hash text) RETURNS \(apiKeyTable) LANGUAGE plpgsql STABLE \(definer) AS
            $$ BEGIN
                 IF pakn_me() IS NULL THEN \(notOfficialRaise); END IF;
                 RETURN QUERY SELECT \(apiKeyColumns) WHERE k.key_hash = p_hash;
               END $$
            """,
            // The caller's own key, when the caller is a key's service official.
            """
            CREATE FUNCTION pakn_my_api_key() RETURNS \(apiKeyTable) LANGUAGE plpgsql STABLE \(definer) AS
            $$ BEGIN
                 RETURN QUERY SELECT \(apiKeyColumns) WHERE o.login = session_user;
               END $$
            """,
            // The case a retried POST made (nil: none yet), for the caller's key.
            """
            CREATE FUNCTION pakn_key_intake_find(p_idem text) RETURNS bigint LANGUAGE plpgsql STABLE \(definer) AS
            $$ DECLARE k api_key; found_ bigint;
               BEGIN
                 SELECT * INTO k FROM api_key WHERE official_id = pakn_me();
                 IF NOT FOUND THEN \(unknownKey); END IF;
                 IF k.revoked_at IS NOT NULL THEN \(keyError("open311.key.revoked", "k.name")); END IF;
                 IF p_idem IS NULL THEN RETURN NULL; END IF;
                 SELECT case_id INTO found_ FROM api_intake WHERE api_key_id = k.id AND idempotency_key = p_idem;
                 RETURN found_;
               END $$
            """,
            // In the intake's transaction: the case the caller's key just took in. A second
            // intake with the same idempotency key fails on the unique index, and the retried
            // transaction finds the first.
            """
            CREATE FUNCTION pakn_key_intake_record(p_case bigint, p_idem text, p_token_hash text) RETURNS void
            LANGUAGE plpgsql \(definer) AS
            $$ DECLARE k api_key; c pakn_case;
               BEGIN
                 SELECT * INTO k FROM api_key WHERE official_id = pakn_me() AND revoked_at IS NULL;
                 IF NOT FOUND THEN \(unknownKey); END IF;
                 SELECT * INTO c FROM pakn_case WHERE id = p_case;
                 IF NOT FOUND OR NOT pakn_in_scope(c.unit_id, c.ward_id, c.assignee_id) THEN \(unknownKey); END IF;
                 INSERT INTO api_intake(case_id, api_key_id, idempotency_key, token_hash) VALUES (p_case, k.id, p_idem, p_token_hash);
               END $$
            """,
            // Public reads (PublicReads): no denunciation, only the public columns.
            """
            CREATE FUNCTION pakn_public_requests(p_codes text[], p_service text, p_start timestamptz, p_end timestamptz,
                p_open boolean, p_limit int) RETURNS \(publicTable)) LANGUAGE sql STABLE \(definer) AS
            $$ SELECT \(publicColumns) FROM pakn_case c
               WHERE c.kind <> 'denunciation'
                 AND (cardinality(coalesce(p_codes, '{}')) = 0 OR c.code = ANY(p_codes))
                 AND (p_service IS NULL OR c.category = p_service)
                 AND (p_start IS NULL OR c.received_at >= p_start) AND (p_end IS NULL OR c.received_at <= p_end)
                 AND (p_open IS NULL OR c.done = NOT p_open)
               ORDER BY c.received_at DESC, c.id DESC LIMIT greatest(1, least(coalesce(p_limit, 1000), 1000)) $$
            """,
            // One case; with a token hash, whether it is the case's and then the answer.
            """
            CREATE FUNCTION pakn_public_request(p_code text, p_token_hash text)
            RETURNS \(publicTable), answer text, token_ok boolean) LANGUAGE sql STABLE \(definer) AS
            $$ SELECT \(publicColumns),
                 CASE WHEN a.token_hash = p_token_hash THEN c.reply END,
                 CASE WHEN p_token_hash IS NULL THEN NULL ELSE coalesce(a.token_hash = p_token_hash, false) END
               FROM pakn_case c LEFT JOIN api_intake a ON a.case_id = c.id
               WHERE c.code = upper(p_code) AND c.kind <> 'denunciation' $$
            """,
            """
            CREATE FUNCTION pakn_public_steps(p_codes text[], p_start timestamptz, p_end timestamptz, p_limit int)
            RETURNS TABLE(id bigint, code text, action text, status text, at bigint) LANGUAGE sql STABLE \(definer) AS
            $$ SELECT e.id, c.code, e.action, coalesce(e.to_status, c.status), extract(epoch FROM e.at)::bigint
               FROM event e JOIN pakn_case c ON c.id = e.case_id
               WHERE c.kind <> 'denunciation' AND e.action IN (\(publicActions))
                 AND (cardinality(coalesce(p_codes, '{}')) = 0 OR c.code = ANY(p_codes))
                 AND (p_start IS NULL OR e.at >= p_start) AND (p_end IS NULL OR e.at <= p_end)
               ORDER BY e.id DESC LIMIT greatest(1, least(coalesce(p_limit, 1000), 1000)) $$
            """,
            // The service official of the key that took the case in, when the token is the case's.
            """
            CREATE FUNCTION pakn_citizen_login(p_code text, p_token_hash text) RETURNS text LANGUAGE sql STABLE \(definer) AS
            $$ SELECT o.login FROM api_intake a JOIN pakn_case c ON c.id = a.case_id JOIN api_key k ON k.id = a.api_key_id
                 JOIN official o ON o.id = k.official_id
               WHERE c.code = upper(p_code) AND c.kind <> 'denunciation' AND a.token_hash = p_token_hash $$
            """,
        ] + functions.flatMap { ["REVOKE EXECUTE ON FUNCTION \($0) FROM PUBLIC", "GRANT EXECUTE ON FUNCTION \($0) TO \(g)"] }
    }
}
