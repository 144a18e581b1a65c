import GRDB

/// The schema, as ordered migrations. Never edit a shipped migration: add a new one.
enum Schema {
    static var migrator: DatabaseMigrator {
        var m = DatabaseMigrator()
        m.registerMigration("v1") { db in
            try db.execute(sql: """
            CREATE TABLE setting(key TEXT PRIMARY KEY, value TEXT NOT NULL);

            CREATE TABLE unit(
              id INTEGER PRIMARY KEY,
              code TEXT NOT NULL UNIQUE,
              name TEXT NOT NULL,
              level TEXT NOT NULL,
              division_type TEXT NOT NULL,
              parent_id INTEGER REFERENCES unit(id),
              remote INTEGER NOT NULL DEFAULT 0,
              path TEXT NOT NULL,
              province_id INTEGER,
              folded TEXT NOT NULL);
            CREATE INDEX unit_parent ON unit(parent_id);
            CREATE INDEX unit_path ON unit(path);

            CREATE TABLE unit_alias(
              old_code TEXT PRIMARY KEY,
              unit_id INTEGER NOT NULL REFERENCES unit(id),
              note TEXT);

            CREATE TABLE category(
              code TEXT PRIMARY KEY,
              name_vi TEXT NOT NULL,
              name_en TEXT NOT NULL,
              department TEXT,
              sort INTEGER NOT NULL);

            CREATE TABLE official(
              id INTEGER PRIMARY KEY,
              login TEXT NOT NULL UNIQUE,
              full_name TEXT NOT NULL,
              unit_id INTEGER NOT NULL REFERENCES unit(id),
              role TEXT NOT NULL,
              active INTEGER NOT NULL DEFAULT 1,
              folded TEXT NOT NULL);
            CREATE INDEX official_unit ON official(unit_id);

            CREATE TABLE deadline_rule(
              id TEXT PRIMARY KEY,
              kind TEXT NOT NULL,
              effective_from TEXT NOT NULL,
              effective_to TEXT,
              json TEXT NOT NULL);

            CREATE TABLE calendar_exception(
              day TEXT PRIMARY KEY,
              kind TEXT NOT NULL CHECK (kind IN ('holiday', 'workday')),
              name TEXT NOT NULL);

            CREATE TABLE routing_rule(
              id INTEGER PRIMARY KEY,
              kind TEXT,
              category TEXT,
              level TEXT NOT NULL,
              department TEXT NOT NULL);

            CREATE TABLE reply_template(
              id TEXT NOT NULL,
              lang TEXT NOT NULL,
              category TEXT,
              kind TEXT,
              title TEXT NOT NULL,
              body TEXT NOT NULL,
              PRIMARY KEY (id, lang));

            CREATE TABLE reporter(
              id INTEGER PRIMARY KEY,
              name TEXT, phone TEXT, email TEXT, address TEXT, national_id TEXT,
              anonymous INTEGER NOT NULL DEFAULT 0,
              confidential INTEGER NOT NULL DEFAULT 0,
              erased_at INTEGER);

            CREATE TABLE case_sequence(year INTEGER PRIMARY KEY, last INTEGER NOT NULL);

            CREATE TABLE pakn_case(
              id INTEGER PRIMARY KEY,
              code TEXT NOT NULL UNIQUE,
              title TEXT NOT NULL,
              body TEXT NOT NULL,
              kind TEXT NOT NULL,
              category TEXT NOT NULL REFERENCES category(code),
              channel TEXT NOT NULL,
              ward_id INTEGER REFERENCES unit(id),
              province_id INTEGER REFERENCES unit(id),
              address TEXT,
              latitude REAL,
              longitude REAL,
              reporter_id INTEGER REFERENCES reporter(id),
              anonymous INTEGER NOT NULL,
              confidential INTEGER NOT NULL,
              unit_id INTEGER REFERENCES unit(id),
              assignee_id INTEGER REFERENCES official(id),
              status TEXT NOT NULL,
              done INTEGER NOT NULL,
              complex INTEGER NOT NULL DEFAULT 0,
              received_at INTEGER NOT NULL,
              rule_id TEXT NOT NULL,
              counting TEXT NOT NULL,
              clock_start INTEGER NOT NULL,
              clock_days INTEGER NOT NULL,
              extended_days INTEGER NOT NULL DEFAULT 0,
              extensions INTEGER NOT NULL DEFAULT 0,
              paused_days INTEGER NOT NULL DEFAULT 0,
              paused_since INTEGER,
              due_at INTEGER NOT NULL,
              master_id INTEGER REFERENCES pakn_case(id),
              reply TEXT,
              resolved_at INTEGER,
              closed_at INTEGER,
              rating INTEGER,
              rating_reasons TEXT,
              version INTEGER NOT NULL,
              updated_at INTEGER NOT NULL);
            CREATE INDEX case_open_due ON pakn_case(done, due_at, id);
            CREATE INDEX case_unit_due ON pakn_case(unit_id, done, due_at);
            CREATE INDEX case_assignee_due ON pakn_case(assignee_id, done, due_at);
            CREATE INDEX case_province_due ON pakn_case(province_id, done, due_at);
            CREATE INDEX case_status_due ON pakn_case(status, due_at);
            CREATE INDEX case_received ON pakn_case(received_at);
            CREATE INDEX case_reporter ON pakn_case(reporter_id);
            CREATE INDEX case_master ON pakn_case(master_id) WHERE master_id IS NOT NULL;

            CREATE TABLE case_link(
              case_id INTEGER NOT NULL REFERENCES pakn_case(id),
              other_id INTEGER NOT NULL REFERENCES pakn_case(id),
              kind TEXT NOT NULL,
              PRIMARY KEY (case_id, other_id, kind));
            CREATE INDEX case_link_other ON case_link(other_id);

            CREATE TABLE attachment(
              id INTEGER PRIMARY KEY,
              case_id INTEGER NOT NULL REFERENCES pakn_case(id),
              name TEXT NOT NULL,
              media_type TEXT NOT NULL,
              size INTEGER NOT NULL,
              sha256 TEXT NOT NULL,
              added_at INTEGER NOT NULL,
              added_by INTEGER NOT NULL REFERENCES official(id));
            CREATE INDEX attachment_case ON attachment(case_id);

            CREATE TABLE event(
              id INTEGER PRIMARY KEY,
              case_id INTEGER NOT NULL REFERENCES pakn_case(id),
              at INTEGER NOT NULL,
              actor_id INTEGER NOT NULL REFERENCES official(id),
              action TEXT NOT NULL,
              from_status TEXT,
              to_status TEXT,
              note TEXT,
              changes TEXT NOT NULL,
              hash BLOB NOT NULL);
            CREATE INDEX event_case ON event(case_id, id);

            -- The history is append-only. (A hand edit that drops these triggers still
            -- breaks the hash chain, which `pakn audit verify` detects.)
            CREATE TRIGGER event_no_update BEFORE UPDATE ON event
              BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
            CREATE TRIGGER event_no_delete BEFORE DELETE ON event
              BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;

            -- Folded (diacritic-free, đ→d) text; contentless, the case row holds the original.
            CREATE VIRTUAL TABLE case_fts USING fts5(
              code, title, body, address,
              content = '', tokenize = 'unicode61 remove_diacritics 2');
            """)
        }
        return m
    }
}
