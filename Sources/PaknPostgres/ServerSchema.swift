import Foundation
import PaknCore

/// The PostgreSQL schema as ordered, versioned migrations (table `schema_migrations`). Never
/// edit a shipped migration: append a new one. Each migration is a list of statements run in
/// one transaction (the driver sends one statement at a time).
///
/// The tables mirror the SQLite plain-data schema (Sources/PaknStore/Database/Schema.swift,
/// PlainTextMigration.swift, Stats/StatSchema.swift; docs/data-model.md): the same table
/// and column names, with the server's own types where SQLite has none — `timestamptz` for
/// instants (SQLite: seconds since 1970), `date` for days (SQLite: day ordinals), `boolean`
/// for flags, `bytea` for hashes. Texts a hash covers (an event's note and changes, a
/// rule's JSON) stay `text`, byte for byte as written.
///
/// Beyond SQLite's tables: `pakn_case.search` (the folded text, đ→d, with a trigram GIN
/// index), `event_head` (the one row every append locks), and the trust model: roles,
/// row-level security and the SECURITY DEFINER functions (docs/deployment.md).
public enum ServerSchema {
    public struct Migration: Sendable {
        public var id: String
        public var statements: [String]
    }

    /// The role every official's login role is a member of, for a database: one group per
    /// database, so officials of one pakn database are nobody in another on the same cluster.
    public static func groupRole(database: String) -> String { "\(database)_officials" }

    /// A quoted SQL identifier.
    public static func ident(_ name: String) -> String { "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }

    /// A quoted SQL string literal.
    public static func literal(_ text: String) -> String { "'" + text.replacingOccurrences(of: "'", with: "''") + "'" }

    /// Every migration, in order, for a database whose officials' group role is `group`.
    public static func migrations(group: String) -> [Migration] {
        let g = ident(group)
        var all: [Migration] = [
            Migration(id: "v1-tables", statements: tables),
            Migration(id: "v1-views", statements: views),
            Migration(id: "v1-trust", statements: trust(group: g, groupName: group)),
            Migration(id: "v2-counts-notify", statements: countsAndNotify),
            Migration(id: "v2-access-chain", statements: accessChain),
            Migration(id: "v2-stats", statements: stats),
            Migration(id: "v3-session", statements: session(group: g)),
        ]
        all += opsMigrations(group: group)
        all += open311Migrations(group: g)
        all += adminRecordMigrations()
        all += queueTierMigrations()
        all += searchWordsMigrations()
        all += dataVersionMigrations(group: g)
        all += scopeColumnMigrations(group: g)
        all += schemaVisibleMigrations(group: g)
        all += adminImportMigrations(group: group)
        all += caseDataMigrations(group: group)
        all += detailReporterMigrations(group: g)
        all += referenceVersionMigrations(group: g)
        all += complexityMigrations(group: g)
        all += caseTotalMigrations(group: g)
        all += unitChangesMigrations(group: group)
        all += searchIdsMigrations(group: g)
        all += wordsColumnMigrations(group: g)
        all += statusStatisticsMigrations()
        all += searchIdsWordsMigrations(group: g)
        all += unitPathPrefixMigrations()
        all += caseStatusTotalMigrations(group: g)
        all += writePathMigrations()
        return all
    }

    /// The statuses the partial status indexes hold: every open one, and resolved (as SQLite).
    static var statusIndexWhere: String {
        let statuses = CaseStatus.allCases.filter { $0.isOpen || $0 == .resolved }
        return "status IN (" + statuses.map { literal($0.rawValue) }.joined(separator: ", ") + ")"
    }

    static let tables: [String] = [
        "CREATE EXTENSION IF NOT EXISTS pg_trgm",
        "CREATE TABLE setting(key text PRIMARY KEY, value text NOT NULL)",
        """
        CREATE TABLE unit(
          id bigint PRIMARY KEY,
          code text NOT NULL UNIQUE,
          name text NOT NULL,
          level text NOT NULL,
          division_type text NOT NULL,
          parent_id bigint REFERENCES unit(id),
          remote boolean NOT NULL DEFAULT false,
          path text NOT NULL,
          province_id bigint,
          folded text NOT NULL,
          label text NOT NULL DEFAULT '')
        """,
        "CREATE INDEX unit_parent ON unit(parent_id)",
        // text_pattern_ops: a subtree is a path prefix (`starts_with`, `LIKE '/1/2/%'`).
        "CREATE INDEX unit_path ON unit(path text_pattern_ops)",
        """
        CREATE TABLE unit_alias(
          old_code text PRIMARY KEY,
          unit_id bigint NOT NULL REFERENCES unit(id),
          note text,
          kind text)
        """,
        "CREATE INDEX unit_alias_unit ON unit_alias(unit_id)",
        """
        CREATE TABLE unit_code_history(
          id bigint PRIMARY KEY,
          unit_id bigint NOT NULL REFERENCES unit(id),
          old_code text, new_code text, old_name text, new_name text, old_type text, new_type text,
          effective_on date NOT NULL,
          date_basis text NOT NULL CHECK (date_basis IN ('on', 'by', 'stated')),
          document text NOT NULL,
          recorded_at timestamptz NOT NULL)
        """,
        "CREATE INDEX unit_code_history_unit ON unit_code_history(unit_id)",
        "CREATE INDEX unit_code_history_old ON unit_code_history(old_code)",
        """
        CREATE TABLE category(
          code text PRIMARY KEY,
          name_vi text NOT NULL,
          name_en text NOT NULL,
          department text,
          sort integer NOT NULL)
        """,
        """
        CREATE TABLE official(
          id bigint PRIMARY KEY,
          login text NOT NULL UNIQUE,
          full_name text NOT NULL,
          unit_id bigint NOT NULL REFERENCES unit(id),
          role text NOT NULL,
          active boolean NOT NULL DEFAULT true,
          folded text NOT NULL)
        """,
        "CREATE INDEX official_unit ON official(unit_id)",
        """
        CREATE TABLE deadline_rule(
          id text PRIMARY KEY,
          kind text NOT NULL,
          effective_from date NOT NULL,
          effective_to date,
          json text NOT NULL)
        """,
        """
        CREATE TABLE calendar_exception(
          day date PRIMARY KEY,
          kind text NOT NULL CHECK (kind IN ('holiday', 'workday')),
          name text NOT NULL,
          standing text NOT NULL DEFAULT 'expected',
          document text,
          note text)
        """,
        """
        CREATE TABLE routing_rule(
          id bigint PRIMARY KEY,
          kind text,
          category text,
          level text NOT NULL,
          department text NOT NULL)
        """,
        """
        CREATE TABLE reply_template(
          id text NOT NULL,
          lang text NOT NULL,
          category text,
          kind text,
          title text NOT NULL,
          body text NOT NULL,
          purpose text NOT NULL DEFAULT 'answer',
          action text,
          PRIMARY KEY (id, lang))
        """,
        """
        CREATE TABLE reporter(
          id bigint PRIMARY KEY,
          name text, phone text, email text, address text, national_id text,
          anonymous boolean NOT NULL DEFAULT false,
          confidential boolean NOT NULL DEFAULT false,
          erased_at timestamptz)
        """,
        "CREATE TABLE case_sequence(year integer PRIMARY KEY, last bigint NOT NULL)",
        """
        CREATE TABLE pakn_case(
          id bigint PRIMARY KEY,
          code text NOT NULL UNIQUE,
          title text NOT NULL,
          body text NOT NULL,
          kind text NOT NULL,
          category text NOT NULL REFERENCES category(code),
          channel text NOT NULL,
          ward_id bigint REFERENCES unit(id),
          province_id bigint REFERENCES unit(id),
          commune_id bigint REFERENCES unit(id),
          address text,
          latitude double precision,
          longitude double precision,
          reporter_id bigint REFERENCES reporter(id),
          anonymous boolean NOT NULL,
          confidential boolean NOT NULL,
          unit_id bigint REFERENCES unit(id),
          assignee_id bigint REFERENCES official(id),
          status text NOT NULL,
          done boolean NOT NULL,
          complex boolean NOT NULL DEFAULT false,
          received_at timestamptz NOT NULL,
          rule_id text NOT NULL,
          counting text NOT NULL,
          clock_start date NOT NULL,
          clock_days integer NOT NULL,
          extended_days integer NOT NULL DEFAULT 0,
          extensions integer NOT NULL DEFAULT 0,
          paused_days integer NOT NULL DEFAULT 0,
          paused_since date,
          due_at timestamptz NOT NULL,
          master_id bigint REFERENCES pakn_case(id),
          reply text,
          resolved_at timestamptz,
          closed_at timestamptz,
          rating integer,
          rating_reasons text,
          version bigint NOT NULL,
          updated_at timestamptz NOT NULL,
          accept_days integer,
          accept_counting text,
          accepted_on date,
          rollover boolean NOT NULL DEFAULT false,
          search text NOT NULL DEFAULT '')
        """,
        // The keyset orders of every desk scope, as SQLite's (Schema.caseIndexes): the
        // urgency order (scope, done, due_at, id) and, for one status, (scope, status, due_at, id).
        "CREATE INDEX case_open_due ON pakn_case(done, due_at, id)",
        "CREATE INDEX case_province_due ON pakn_case(province_id, done, due_at, id)",
        "CREATE INDEX case_commune_due ON pakn_case(commune_id, done, due_at, id) WHERE commune_id IS NOT NULL",
        "CREATE INDEX case_unit_due ON pakn_case(unit_id, done, due_at, id)",
        "CREATE INDEX case_assignee_due ON pakn_case(assignee_id, done, due_at, id) WHERE assignee_id IS NOT NULL",
        "CREATE INDEX case_status_due ON pakn_case(status, due_at, id) WHERE \(statusIndexWhere)",
        "CREATE INDEX case_province_status ON pakn_case(province_id, status, due_at, id) WHERE \(statusIndexWhere)",
        "CREATE INDEX case_commune_status ON pakn_case(commune_id, status, due_at, id) WHERE commune_id IS NOT NULL AND \(statusIndexWhere)",
        "CREATE INDEX case_unit_status ON pakn_case(unit_id, status, due_at, id) WHERE \(statusIndexWhere)",
        "CREATE INDEX case_received ON pakn_case(received_at, id)",
        "CREATE INDEX case_reporter ON pakn_case(reporter_id) WHERE reporter_id IS NOT NULL",
        "CREATE INDEX case_master ON pakn_case(master_id) WHERE master_id IS NOT NULL",
        // Search: every word, the last as a prefix, over the folded text (VietnameseFold:
        // lower case, no diacritics, đ→d) of code, title, body and address. Trigrams answer
        // `search LIKE '%duong%'` and `search ~ '\\mduong'` from the index.
        "CREATE INDEX case_search ON pakn_case USING gin (search gin_trgm_ops)",
        """
        CREATE TABLE case_count(
          scope bigint NOT NULL,
          paused boolean NOT NULL,
          due_at timestamptz NOT NULL,
          n bigint NOT NULL,
          PRIMARY KEY (scope, paused, due_at))
        """,
        """
        CREATE TABLE case_link(
          case_id bigint NOT NULL REFERENCES pakn_case(id),
          other_id bigint NOT NULL REFERENCES pakn_case(id),
          kind text NOT NULL,
          PRIMARY KEY (case_id, other_id, kind))
        """,
        "CREATE INDEX case_link_other ON case_link(other_id)",
        """
        CREATE TABLE attachment(
          id bigint PRIMARY KEY,
          case_id bigint NOT NULL REFERENCES pakn_case(id),
          name text NOT NULL,
          media_type text NOT NULL,
          size bigint NOT NULL,
          sha256 text NOT NULL,
          added_at timestamptz NOT NULL,
          added_by bigint NOT NULL REFERENCES official(id))
        """,
        "CREATE INDEX attachment_case ON attachment(case_id)",
        """
        CREATE TABLE event(
          id bigint PRIMARY KEY,
          case_id bigint NOT NULL REFERENCES pakn_case(id),
          at timestamptz NOT NULL,
          actor_id bigint NOT NULL REFERENCES official(id),
          action text NOT NULL,
          from_status text,
          to_status text,
          note text,
          changes text NOT NULL,
          hash bytea NOT NULL)
        """,
        "CREATE INDEX event_case ON event(case_id, id)",
        // The chain's one row: every append locks it, takes the next id and links to its hash.
        """
        CREATE TABLE event_head(
          one boolean PRIMARY KEY DEFAULT true CHECK (one),
          last_id bigint NOT NULL,
          hash bytea NOT NULL)
        """,
        "INSERT INTO event_head(one, last_id, hash) VALUES (true, 0, '\\x\(String(repeating: "0", count: 64))'::bytea)",
        """
        CREATE TABLE access_log(
          id bigint PRIMARY KEY,
          at timestamptz NOT NULL,
          actor_id bigint REFERENCES official(id),
          login text NOT NULL,
          action text NOT NULL,
          target text,
          note text,
          count bigint NOT NULL DEFAULT 0,
          digest text,
          hash bytea NOT NULL)
        """,
        """
        CREATE TABLE access_case(
          access_id bigint NOT NULL REFERENCES access_log(id),
          case_id bigint NOT NULL REFERENCES pakn_case(id),
          PRIMARY KEY (access_id, case_id))
        """,
        "CREATE INDEX access_case_case ON access_case(case_id, access_id)",
        """
        CREATE TABLE access_fact(
          access_id bigint NOT NULL REFERENCES access_log(id),
          tbl text NOT NULL,
          key text NOT NULL,
          digest text,
          PRIMARY KEY (access_id, tbl, key))
        """,
        // Statistics counters (docs/data-model.md §8): days and months as SQLite's ordinals.
        """
        CREATE TABLE stat_day(unit_id bigint NOT NULL, day integer NOT NULL, facet integer NOT NULL, value text NOT NULL,
          received bigint NOT NULL, resolved bigint NOT NULL, on_time bigint NOT NULL, rejected bigint NOT NULL,
          PRIMARY KEY (unit_id, day, facet, value))
        """,
        """
        CREATE TABLE stat_month(unit_id bigint NOT NULL, month integer NOT NULL, facet integer NOT NULL, value text NOT NULL,
          received bigint NOT NULL, resolved bigint NOT NULL, on_time bigint NOT NULL, rejected bigint NOT NULL,
          PRIMARY KEY (unit_id, month, facet, value))
        """,
        """
        CREATE TABLE stat_span(unit_id bigint NOT NULL, day integer NOT NULL, span integer NOT NULL, n bigint NOT NULL,
          PRIMARY KEY (unit_id, day, span))
        """,
        """
        CREATE TABLE stat_open(unit_id bigint NOT NULL, facet integer NOT NULL, due_day integer NOT NULL, paused integer NOT NULL,
          value text NOT NULL, n bigint NOT NULL, PRIMARY KEY (unit_id, facet, due_day, paused, value))
        """,
        """
        CREATE TABLE stat_rating(unit_id bigint NOT NULL, day integer NOT NULL, score integer NOT NULL, reason text NOT NULL,
          n bigint NOT NULL, PRIMARY KEY (unit_id, day, score, reason))
        """,
        """
        CREATE TABLE report_import(
          id bigint PRIMARY KEY,
          unit_id bigint NOT NULL REFERENCES unit(id),
          period_kind text NOT NULL,
          period_label text NOT NULL,
          first_day integer NOT NULL,
          last_day integer NOT NULL,
          digest text NOT NULL UNIQUE,
          chain_head text NOT NULL,
          made_by text NOT NULL,
          made_at timestamptz NOT NULL,
          imported_at timestamptz NOT NULL,
          imported_by bigint NOT NULL REFERENCES official(id),
          body text NOT NULL,
          UNIQUE (unit_id, period_kind, period_label))
        """,
    ]

    /// The documented views (docs/data-model.md, "Views"), as SQLite's: times as ISO 8601
    /// text in Vietnam time (+07:00), days as dates.
    static let views: [String] = {
        let t = { (e: String) in "to_char(\(e) AT TIME ZONE 'Asia/Ho_Chi_Minh', 'YYYY-MM-DD\"T\"HH24:MI:SS\"+07:00\"')" }
        return [
            """
            CREATE VIEW case_view WITH (security_invoker = true) AS
            SELECT c.id, c.code, c.title, c.body, c.kind, c.category, c.channel, c.status, c.done,
              w.code AS ward_code, w.name AS ward_name, u.code AS unit_code, coalesce(nullif(u.label, ''), u.name) AS unit_name,
              o.login AS assignee_login, o.full_name AS assignee_name,
              c.address, c.latitude, c.longitude, c.anonymous, c.confidential, c.complex,
              \(t("c.received_at")) AS received_at,
              \(t("c.due_at")) AS due_at,
              c.rule_id, c.counting, c.clock_days, c.extended_days, c.extensions, c.paused_days,
              c.clock_start, c.accepted_on,
              \(t("c.resolved_at")) AS resolved_at,
              \(t("c.closed_at")) AS closed_at,
              c.reply, c.rating, c.rating_reasons, m.code AS master_code, c.version,
              \(t("c.updated_at")) AS updated_at
            FROM pakn_case c
            LEFT JOIN unit w ON w.id = c.ward_id
            LEFT JOIN unit u ON u.id = c.unit_id
            LEFT JOIN official o ON o.id = c.assignee_id
            LEFT JOIN pakn_case m ON m.id = c.master_id
            """,
            """
            CREATE VIEW event_view WITH (security_invoker = true) AS
            SELECT e.id, c.code AS case_code, \(t("e.at")) AS at,
              o.login AS actor_login, o.full_name AS actor_name, e.action, e.from_status, e.to_status, e.note, e.changes,
              encode(e.hash, 'hex') AS hash
            FROM event e
            JOIN pakn_case c ON c.id = e.case_id
            LEFT JOIN official o ON o.id = e.actor_id
            """,
        ]
    }()
}
