import Foundation
import GRDB
import PaknCore

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
              commune_id INTEGER REFERENCES unit(id),
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
            \(caseIndexesV1.joined(separator: ";\n"));
            \(caseCountSQL)

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
            -- Only which cases hold a word is kept (detail=none, no column sizes): search is
            -- "every word, the last as a prefix", ordered by the queue, never by rank. The
            -- prefix indexes let a word being typed ("d", "du", "duo") read one list instead
            -- of merging thousands (docs/performance.md).
            CREATE VIRTUAL TABLE case_fts USING fts5(
              code, title, body, address,
              content = '', detail = none, columnsize = 0, prefix = '1 2 3',
              tokenize = 'unicode61 remove_diacritics 2');
            """)
        }
        m.registerMigration("v2-trust") { db in
            // Who exported, revealed in bulk, answered a data-subject request, changed an
            // official, backed up or restored — what is not one case's history. Hash-chained
            // like `event`, in its own chain (docs/security.md).
            try db.execute(sql: """
            CREATE TABLE access_log(
              id INTEGER PRIMARY KEY,
              at INTEGER NOT NULL,
              actor_id INTEGER REFERENCES official(id),
              login TEXT NOT NULL,
              action TEXT NOT NULL,
              target TEXT,
              note TEXT,
              count INTEGER NOT NULL DEFAULT 0,
              digest TEXT,
              hash BLOB NOT NULL);

            CREATE TABLE access_case(
              access_id INTEGER NOT NULL REFERENCES access_log(id),
              case_id INTEGER NOT NULL REFERENCES pakn_case(id),
              PRIMARY KEY (access_id, case_id)) WITHOUT ROWID;
            CREATE INDEX access_case_case ON access_case(case_id, access_id);

            CREATE TRIGGER access_log_no_update BEFORE UPDATE ON access_log
              BEGIN SELECT RAISE(ABORT, 'the access log is append-only'); END;
            CREATE TRIGGER access_log_no_delete BEFORE DELETE ON access_log
              BEGIN SELECT RAISE(ABORT, 'the access log is append-only'); END;
            CREATE TRIGGER access_case_no_update BEFORE UPDATE ON access_case
              BEGIN SELECT RAISE(ABORT, 'the access log is append-only'); END;
            CREATE TRIGGER access_case_no_delete BEFORE DELETE ON access_case
              BEGIN SELECT RAISE(ABORT, 'the access log is append-only'); END;
            """)
        }
        m.registerMigration("v3-search-prefixes") { db in
            // Prefix indexes up to 5 letters (Vietnamese syllables are 1–7): while typing,
            // the last word is a prefix, and a prefix longer than the longest prefix index
            // made FTS5 merge the lists of every word starting with it — all of "duong" for
            // "duong*", ~150 ms at a million cases (docs/performance.md). The index is
            // contentless, so it is rebuilt from the cases.
            try db.execute(sql: """
                DROP TABLE case_fts;
                \(searchTableSQL);
                """)
            let rows = try Row.fetchCursor(db, sql: "SELECT id, code, title, body, address FROM pakn_case")
            let insert = try db.makeStatement(sql: "INSERT INTO case_fts(rowid, code, title, body, address) VALUES (?, ?, ?, ?, ?)")
            while let r = try rows.next() {
                try insert.execute(arguments: [r["id"] as Int64, VietnameseFold.fold(r["code"]), VietnameseFold.fold(r["title"]),
                                               VietnameseFold.fold(r["body"]), VietnameseFold.fold((r["address"] as String?) ?? "")])
            }
        }
        m.registerMigration("v4-compact-storage") { db in
            // Smaller rows and indexes (docs/performance.md, "Size"). Stored text needs no
            // schema change: from now on `event.changes`, `event.note` and `pakn_case.body`
            // may hold a BLOB (a format byte, then raw deflate: `PackedText`) where rows
            // written before hold TEXT, and stay as they are; a new reply is stored only
            // in its event, so `pakn_case.reply` keeps the text only for rows written before.
            //
            // The status views' indexes cover only the statuses a status view shows (open
            // ones and resolved: most cases of a large database are closed), and the event
            // index is on `case_id` alone: every index ends with the rowid, which is `id`, so
            // `(case_id)` is already in `(case_id, id)` order without storing `id` twice.
            try db.execute(sql: """
                DROP INDEX IF EXISTS case_status_due;
                DROP INDEX IF EXISTS case_province_status;
                DROP INDEX IF EXISTS case_commune_status;
                DROP INDEX IF EXISTS case_unit_status;
                DROP INDEX IF EXISTS event_case;
                CREATE INDEX event_case ON event(case_id);
                \(caseIndexes.filter { statusIndexNames.contains(indexName($0)) }.joined(separator: ";\n"));
                """)
        }
        m.registerMigration("v5-clocks") { db in
            // Lawful clocks (docs/workflow.md §4): the acceptance step (thụ lý) and the day-off
            // rule are part of a case's clock. Cases taken in before keep the clock they had
            // (no acceptance step, no day-off rule): these columns are NULL/0 for them.
            try db.execute(sql: """
                ALTER TABLE pakn_case ADD COLUMN accept_days INTEGER;
                ALTER TABLE pakn_case ADD COLUMN accept_counting TEXT;
                ALTER TABLE pakn_case ADD COLUMN accepted_on INTEGER;
                ALTER TABLE pakn_case ADD COLUMN rollover INTEGER NOT NULL DEFAULT 0;
                """)
            try ClockRulesMigration.run(db)
        }
        m.registerMigration("v5-calendar") { db in try CalendarMigration.v5(db) }
        m.registerMigration("v5-template-purpose") { db in
            // A template has a purpose (docs/workflow.md, "Templates and purposes"): an
            // answer resolves the case, a request for information pauses it, a notice leaves
            // it open. Rows of a database made before get the shipped texts and purposes
            // again (the acknowledgement no longer claims work not done); a row pakn did not
            // ship stays an answer.
            try db.execute(sql: """
                ALTER TABLE reply_template ADD COLUMN purpose TEXT NOT NULL DEFAULT 'answer';
                ALTER TABLE reply_template ADD COLUMN action TEXT;
                """)
            if try Int.fetchOne(db, sql: "SELECT count(*) FROM reply_template") ?? 0 > 0 {
                try Setup.installTemplates(db, try BundledData.templates())
            }
        }
        m.registerMigration(UnitMigration.name) { db in
            // The official unit codes (vn-divisions-2026), unit history, qualified names.
            try UnitMigration.migrate(db)
        }
        m.registerMigration(PlainTextMigration.name) { db in
            // Plain text, both statuses in every event, replies in their rows, and the
            // documented views (docs/data-model.md).
            try PlainTextMigration.migrate(db)
        }
        m.registerMigration("v6-admin-facts") { db in
            // The access chain covers the administrative tables (docs/data-model.md, "What
            // the chain covers"): each entry that changes an official, a unit, an alias, a
            // deadline rule, a calendar day or a covered setting records the digest of each
            // row it changed, in `access_fact`, inside the entry's hash. A database made
            // before gets one baseline entry per table with every row as it is now; a new one
            // gets it when `init` or `demo` has filled it.
            try db.execute(sql: """
                CREATE TABLE access_fact(
                  access_id INTEGER NOT NULL REFERENCES access_log(id),
                  tbl TEXT NOT NULL,
                  key TEXT NOT NULL,
                  digest TEXT,
                  PRIMARY KEY (access_id, tbl, key)) WITHOUT ROWID;
                CREATE TRIGGER access_fact_no_update BEFORE UPDATE ON access_fact
                  BEGIN SELECT RAISE(ABORT, 'the access log is append-only'); END;
                CREATE TRIGGER access_fact_no_delete BEFORE DELETE ON access_fact
                  BEGIN SELECT RAISE(ABORT, 'the access log is append-only'); END;
                """)
            if try Int.fetchOne(db, sql: "SELECT count(*) FROM unit") ?? 0 > 0 {
                try Facts.baseline(db, login: UnitMigration.login, at: Date(timeIntervalSince1970: Date().timeIntervalSince1970.rounded(.down)),
                                   note: "migration v6-admin-facts",
                                   tables: [Facts.official, Facts.unit, Facts.unitAlias, Facts.rule, Facts.calendar, Facts.setting])
            }
        }
        m.registerMigration(StatSchema.migrationName) { db in
            // Statistics kept as counters per unit and day (docs/data-model.md §8).
            try StatSchema.migrate(db)
        }
        m.registerMigration("v6-intake-duplicates") { db in
            // The open cases of a ward, newest first: the intake form's duplicate check
            // (`DuplicateQuery`) reads one short range of it.
            try db.execute(sql: Schema.wardOpenIndex)
        }
        m.registerMigration(SentUp.migrationName) { db in
            // Who sent what up: escalations and transfers by sending unit (docs/data-model.md),
            // for the "Sent up" view and the statistics' "sent up" figure.
            try SentUp.migrate(db)
        }
        m.registerMigration("v7-facts-reference") { db in
            // The access chain covers the categories, the routing table and the reply
            // templates too (docs/data-model.md, "What the chain covers"): one baseline entry
            // per table, with every row as it is now. A new database gets it when `init` or
            // `demo` has filled it (`Facts.all`).
            if try Int.fetchOne(db, sql: "SELECT count(*) FROM unit") ?? 0 > 0 {
                try Facts.baseline(db, login: UnitMigration.login, at: Date(timeIntervalSince1970: Date().timeIntervalSince1970.rounded(.down)),
                                   note: "migration v7-facts-reference", tables: Facts.reference)
            }
        }
        m.registerMigration("v8-stat-lists") { db in
            // The cases behind a statistics figure (`StatsScreen`'s `l`): received or
            // answered in a period, per scope, and the ratings given in a period — index
            // ranges, never the whole case table (docs/performance.md §6).
            for sql in statListIndexes + [eventRatedIndex] { try db.execute(sql: sql) }
            // Ratings count for the unit that handled the case when it was rated, as the
            // trigger counts them; `v6-stats` counted them for the case's unit now.
            try db.execute(sql: StatSchema.ratingRebuildSQL(sentUp: true))
        }
        m.registerMigration(ApiKeyStore.migrationName) { db in
            // Open311 API keys and the cases taken in with them (docs/open311.md).
            try ApiKeyStore.migrate(db)
        }
        m.registerMigration(ReferenceVersion.migrationName) { db in
            // One counter that triggers on the reference tables move, so the reference data
            // is read once and kept until it changes (`ReferenceCache`).
            try ReferenceVersion.migrate(db)
        }
        return m
    }

    /// The search index as it is now (v3).
    static let searchTableSQL = """
        CREATE VIRTUAL TABLE case_fts USING fts5(
          code, title, body, address,
          content = '', detail = none, columnsize = 0, prefix = '1 2 3 4 5',
          tokenize = 'unicode61 remove_diacritics 2')
        """
}

/// The case table's indexes and counters (docs/performance.md). Every desk view reads a
/// keyset page from one of these in its own order, so a page costs the same at 10,000
/// cases as at 1,000,000. A bulk load drops and rebuilds them (`BulkCaseWriter`).
extension Schema {
    /// Each scope a desk can be opened at — everything, a province, a commune (a ward and
    /// its departments), one unit, one assignee — has its urgency order `(done, due_at, id)`
    /// and, for the views of one status, `(status, due_at, id)`.
    ///
    /// The status indexes hold only the cases whose status is one of `indexedStatuses`
    /// (partial indexes, `v4-compact-storage`): the status views show those, and most cases
    /// of a large database are closed. A query uses such an index only when its WHERE says
    /// the status as a literal (`QueueSQL`): SQLite proves a partial index usable when the
    /// query is prepared, before any parameter is bound.
    static let caseIndexes: [String] = [
        "CREATE INDEX case_open_due ON pakn_case(done, due_at)",
        "CREATE INDEX case_province_due ON pakn_case(province_id, done, due_at)",
        "CREATE INDEX case_commune_due ON pakn_case(commune_id, done, due_at) WHERE commune_id IS NOT NULL",
        "CREATE INDEX case_unit_due ON pakn_case(unit_id, done, due_at)",
        "CREATE INDEX case_assignee_due ON pakn_case(assignee_id, done, due_at) WHERE assignee_id IS NOT NULL",
        "CREATE INDEX case_status_due ON pakn_case(status, due_at) WHERE \(statusIndexWhere)",
        "CREATE INDEX case_province_status ON pakn_case(province_id, status, due_at) WHERE \(statusIndexWhere)",
        "CREATE INDEX case_commune_status ON pakn_case(commune_id, status, due_at) WHERE commune_id IS NOT NULL AND (\(statusIndexWhere))",
        "CREATE INDEX case_unit_status ON pakn_case(unit_id, status, due_at) WHERE \(statusIndexWhere)",
        "CREATE INDEX case_received ON pakn_case(received_at)",
        "CREATE INDEX case_reporter ON pakn_case(reporter_id) WHERE reporter_id IS NOT NULL",
        "CREATE INDEX case_master ON pakn_case(master_id) WHERE master_id IS NOT NULL",
        wardOpenIndex,
    ] + statListIndexes

    /// Each scope's cases by time received and time answered (`v8-stat-lists`): the cases
    /// behind "received in the period" and "resolved in the period" are a range of one.
    static let statListIndexes: [String] = [
        "CREATE INDEX case_province_received ON pakn_case(province_id, received_at)",
        "CREATE INDEX case_commune_received ON pakn_case(commune_id, received_at) WHERE commune_id IS NOT NULL",
        "CREATE INDEX case_unit_received ON pakn_case(unit_id, received_at)",
        "CREATE INDEX case_resolved ON pakn_case(resolved_at) WHERE resolved_at IS NOT NULL",
        "CREATE INDEX case_province_resolved ON pakn_case(province_id, resolved_at) WHERE resolved_at IS NOT NULL",
        "CREATE INDEX case_commune_resolved ON pakn_case(commune_id, resolved_at) WHERE commune_id IS NOT NULL AND resolved_at IS NOT NULL",
        "CREATE INDEX case_unit_resolved ON pakn_case(unit_id, resolved_at) WHERE resolved_at IS NOT NULL",
    ]

    /// The rating events by time (`v8-stat-lists`): "rated in the period".
    static let eventRatedIndex = "CREATE INDEX event_rated ON event(at) WHERE action = 'rate'"

    /// The open cases of each ward by time of receipt (`v6-intake-duplicates`): where the
    /// intake form looks for a petition taken in before (`DuplicateQuery`).
    static let wardOpenIndex = "CREATE INDEX case_ward_open ON pakn_case(ward_id, received_at) WHERE done = 0 AND ward_id IS NOT NULL"

    /// The statuses the status indexes hold: every open one, and resolved (the "awaiting
    /// rating" view). Closed, rejected and merged cases — most of a large database — are
    /// listed by the urgency indexes `(scope, done, due_at)` instead.
    static let indexedStatuses: [CaseStatus] = CaseStatus.allCases.filter { $0.isOpen || $0 == .resolved }

    /// `status = 'a' OR status = 'b' …`: the form SQLite can match a query's
    /// `status = 'a'` against (it does not reason about IN lists).
    static let statusIndexWhere = indexedStatuses.map { "status = '\($0.rawValue)'" }.joined(separator: " OR ")

    static let statusIndexNames: Set<String> = ["case_status_due", "case_province_status", "case_commune_status", "case_unit_status"]

    /// The case indexes as migration v1 created them (all full indexes), frozen with it.
    static let caseIndexesV1: [String] = [
        "CREATE INDEX case_open_due ON pakn_case(done, due_at)",
        "CREATE INDEX case_province_due ON pakn_case(province_id, done, due_at)",
        "CREATE INDEX case_commune_due ON pakn_case(commune_id, done, due_at) WHERE commune_id IS NOT NULL",
        "CREATE INDEX case_unit_due ON pakn_case(unit_id, done, due_at)",
        "CREATE INDEX case_assignee_due ON pakn_case(assignee_id, done, due_at) WHERE assignee_id IS NOT NULL",
        "CREATE INDEX case_status_due ON pakn_case(status, due_at)",
        "CREATE INDEX case_province_status ON pakn_case(province_id, status, due_at)",
        "CREATE INDEX case_commune_status ON pakn_case(commune_id, status, due_at) WHERE commune_id IS NOT NULL",
        "CREATE INDEX case_unit_status ON pakn_case(unit_id, status, due_at)",
        "CREATE INDEX case_received ON pakn_case(received_at)",
        "CREATE INDEX case_reporter ON pakn_case(reporter_id) WHERE reporter_id IS NOT NULL",
        "CREATE INDEX case_master ON pakn_case(master_id) WHERE master_id IS NOT NULL",
    ]

    static func indexName(_ sql: String) -> String { sql.split(separator: " ")[2].description }

    /// Names of `caseIndexes`, for dropping them before a bulk load.
    static var caseIndexNames: [String] { caseIndexes.map(indexName) }

    /// Open cases counted by scope, paused or not, and due instant, kept by triggers, so
    /// the title bar's counts and the overdue view's groups add up a few hundred rows
    /// instead of scanning cases. `scope`: 0 = every case, a positive unit id = the
    /// province or commune subtree, a negative one = exactly that responsible unit.
    static let caseCountSQL = """
        CREATE TABLE case_count(
          scope INTEGER NOT NULL,
          paused INTEGER NOT NULL,
          due_at INTEGER NOT NULL,
          n INTEGER NOT NULL,
          PRIMARY KEY (scope, paused, due_at)) WITHOUT ROWID;
        \(caseCountTriggers.joined(separator: ";\n"));
        """

    static let caseCountTriggerNames = ["case_count_insert", "case_count_update", "case_count_delete"]

    private static func countUp(_ r: String) -> String {
        """
        INSERT INTO case_count(scope, paused, due_at, n)
            SELECT s, \(r).status = 'awaiting_info', \(r).due_at, 1
            FROM (SELECT 0 AS s UNION ALL SELECT \(r).province_id UNION ALL SELECT \(r).commune_id UNION ALL SELECT -\(r).unit_id)
            WHERE \(r).done = 0 AND s IS NOT NULL
            ON CONFLICT DO UPDATE SET n = n + 1;
        """
    }

    private static func countDown(_ r: String) -> String {
        """
        UPDATE case_count SET n = n - 1
            WHERE \(r).done = 0 AND scope IN (0, \(r).province_id, \(r).commune_id, -\(r).unit_id)
              AND paused = (\(r).status = 'awaiting_info') AND due_at = \(r).due_at;
        DELETE FROM case_count
            WHERE \(r).done = 0 AND n <= 0 AND scope IN (0, \(r).province_id, \(r).commune_id, -\(r).unit_id)
              AND paused = (\(r).status = 'awaiting_info') AND due_at = \(r).due_at;
        """
    }

    static var caseCountTriggers: [String] {
        [
            "CREATE TRIGGER case_count_insert AFTER INSERT ON pakn_case BEGIN \(countUp("NEW")) END",
            """
            CREATE TRIGGER case_count_update AFTER UPDATE OF done, status, due_at, unit_id, province_id, commune_id ON pakn_case
            WHEN (OLD.done = 0 OR NEW.done = 0) AND (OLD.done IS NOT NEW.done
              OR (OLD.status = 'awaiting_info') IS NOT (NEW.status = 'awaiting_info') OR OLD.due_at IS NOT NEW.due_at
              OR OLD.unit_id IS NOT NEW.unit_id OR OLD.province_id IS NOT NEW.province_id OR OLD.commune_id IS NOT NEW.commune_id)
            BEGIN \(countDown("OLD")) \(countUp("NEW")) END
            """,
            "CREATE TRIGGER case_count_delete AFTER DELETE ON pakn_case BEGIN \(countDown("OLD")) END",
        ]
    }

    /// Recounts `case_count` from the cases (after a bulk load with the triggers off).
    /// One pass over the open cases, each counted for the whole (0), its province, its
    /// commune and its unit (negative), rather than four passes.
    static let caseCountRebuild = """
        DELETE FROM case_count;
        INSERT INTO case_count(scope, paused, due_at, n)
            SELECT s, paused, due_at, count(*) FROM (
              SELECT CASE x.k WHEN 0 THEN 0 WHEN 1 THEN c.province_id WHEN 2 THEN c.commune_id ELSE -c.unit_id END AS s,
                     c.status = 'awaiting_info' AS paused, c.due_at AS due_at
              FROM pakn_case c CROSS JOIN (SELECT 0 AS k UNION ALL SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3) x
              WHERE c.done = 0)
            WHERE s IS NOT NULL
            GROUP BY s, paused, due_at;
        """
}

/// Brings the deadline rules of a database made before `v5-clocks` to the shipped rules'
/// properties, without undoing a deployment's own numbers: for each shipped rule whose id
/// the database has, the new properties (pause policy and grounds, the day-off rule, how
/// acceptance counts and how far it may be extended, extensions tied to complexity, the
/// closing day of a rule a later law replaced, a limit the old row did not set) are taken
/// from the shipped rule, while the stored day counts stay; shipped rules the database
/// lacks (the 2026 complaint rules) are added. A new database has no rules yet here:
/// `Setup` installs the shipped ones after the migrations.
enum ClockRulesMigration {
    static func run(_ db: Database) throws {
        let stored = try Row.fetchAll(db, sql: "SELECT json FROM deadline_rule").compactMap {
            try? JSONDecoder().decode(DeadlineRule.self, from: Data(($0["json"] as String).utf8))
        }
        guard !stored.isEmpty else { return }
        let byId = Dictionary(stored.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        var merged: [DeadlineRule] = []
        for shipped in try BundledData.rules() {
            guard var r = byId[shipped.id] else {
                merged.append(shipped)
                continue
            }
            r.pause = shipped.pause
            r.suspensionGrounds = shipped.suspensionGrounds
            r.lastDayOffMovesToNextWorkingDay = shipped.lastDayOffMovesToNextWorkingDay
            r.acceptanceCounting = shipped.acceptanceCounting
            r.acceptanceMaxDays = shipped.acceptanceMaxDays
            r.extensionNeedsComplexity = shipped.extensionNeedsComplexity
            // Acceptance was recorded but unused before; it is a step now, only where the law has one.
            r.acceptanceDays = shipped.acceptanceDays == nil ? nil : (r.acceptanceDays ?? shipped.acceptanceDays)
            if r.effectiveTo == nil { r.effectiveTo = shipped.effectiveTo }
            if r.complexDays == nil { r.complexDays = shipped.complexDays }
            r.basis = shipped.basis
            merged.append(r)
        }
        try Setup.installRules(db, merged)
    }
}
