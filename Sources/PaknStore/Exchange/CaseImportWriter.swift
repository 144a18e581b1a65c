import Foundation
import GRDB
import PaknCore

/// Writes many new cases quickly, for the demo generator, the benchmark and `pakn import`.
///
/// Each case is taken in and moved through the workflow in memory with the very functions a
/// single intake uses (`CaseWriter.plan`, `CaseWriter.transition`), then written once in its
/// final state with all its events, hash-chained in memory, and its search entry. The rows
/// are the same, byte for byte, as those of the one-step-at-a-time path (a test checks it);
/// what goes away is one UPDATE per step, one chain-head query per event, and the unit
/// lookups (a `UnitMap` answers them from memory).
///
/// The writer owns the ids it hands out (cases, reporters, events, case codes): nothing else
/// may write cases while it runs, which one IMMEDIATE transaction, or a fresh database,
/// guarantees.
package final class BulkCaseWriter {
    /// A case being built: its state so far, its reporter and its events (not yet chained).
    package struct Pending {
        package var c: Case
        package var reporter: Reporter?
        package var events: [EventDraft]
        /// (master, duplicate) links to record with it.
        package var links: [(Int64, Int64)] = []
    }

    let ref: ReferenceData
    package let units: UnitMap
    private(set) var nextCaseId: Int64
    private var nextReporterId: Int64
    private var lastEventId: Int64
    private var prevHash: [UInt8]
    private let prefix: String
    private var sequences: [Int: Int] = [:]
    private var touchedYears: Set<Int> = []
    /// Cases and events written so far.
    private(set) var casesWritten = 0
    package private(set) var eventsWritten = 0

    package init(_ db: Database, ref: ReferenceData, units: UnitMap? = nil) throws {
        self.ref = ref
        self.units = try units ?? UnitMap(db)
        nextCaseId = (try Int64.fetchOne(db, sql: "SELECT max(id) FROM pakn_case") ?? 0) + 1
        nextReporterId = (try Int64.fetchOne(db, sql: "SELECT max(id) FROM reporter") ?? 0) + 1
        let head = try EventLog.head(db)
        lastEventId = head?.id ?? 0
        prevHash = head?.hash ?? EventLog.genesis
        prefix = try AppDatabase.setting(db, "case_prefix") ?? "VN"
        for r in try Row.fetchAll(db, sql: "SELECT year, last FROM case_sequence") { sequences[r[0]] = r[1] }
        // Never below a code issued before a restore (`CodeFloor`).
        for (y, n) in CodeFloor.read(db) where n > (sequences[y] ?? 0) { sequences[y] = n }
    }

    /// Takes a case in, as `CaseWriter.intake` does, without writing it yet.
    /// A case that fails (a bad draft, a refused route) hands out no id and no code.
    package func intake(_ draft: IntakeDraft, by actor: Official, at now: Date) throws -> Pending {
        let saved = (nextCaseId, nextReporterId, sequences, touchedYears)
        do {
            return try intakeUnchecked(draft, by: actor, at: now)
        } catch {
            (nextCaseId, nextReporterId, sequences, touchedYears) = saved
            throw error
        }
    }

    private func intakeUnchecked(_ draft: IntakeDraft, by actor: Official, at now: Date) throws -> Pending {
        let p = try CaseWriter.plan(draft, ref: ref, units: units, by: actor, at: now)
        var reporterId: Int64?
        if p.reporter != nil { reporterId = nextReporterId; nextReporterId += 1 }
        let year = Day(p.received).year
        let number = (sequences[year] ?? 0) + 1
        sequences[year] = number
        touchedYears.insert(year)
        let c = p.makeCase(id: nextCaseId, code: CaseWriter.code(prefix: prefix, year: year, number: number),
                           reporterId: reporterId, dueAt: p.deadline.dueDay(in: ref.calendar).end, at: now)
        nextCaseId += 1
        var pending = Pending(c: c, reporter: p.reporter,
                              events: [EventLog.coveringFacts(Workflow.intakeEvent(for: c, actorId: actor.id, at: now))])
        if let target = p.target {
            try step(&pending, .route(unitId: target.id), by: actor, at: now, note: p.routeNote)
        }
        return pending
    }

    /// One workflow step, in memory.
    package func step(_ p: inout Pending, _ action: Action, by actor: Official, at now: Date, note: String? = nil) throws {
        let t = try CaseWriter.transition(action, to: p.c, ref: ref, by: actor, at: now, note: note)
        p.c = t.updated
        p.events.append(t.event)
    }

    /// Writes a case in its final state with its reporter, search entry, events and links.
    package func write(_ db: Database, _ p: Pending) throws {
        let s = try statements(db)
        if let r = p.reporter {
            try s.reporter.run(db) { b in
                b.int(p.c.reporterId); b.text(r.name); b.text(r.phone); b.text(r.email); b.text(r.address)
                b.text(r.nationalId); b.bool(r.confidential)
            }
        }
        let scope = try units.scope(of: p.c.unitId)
        try s.pakn_case.run(db) { b in CaseRow.bind(p.c, scope: scope, into: &b) }
        search.append(SearchIndex.values(p.c))
        for e in p.events {
            let id = lastEventId + 1
            let changes = EventLog.changesJSONBytes(e.changes)
            // The facts an intake fixes do not change with later steps: the final case holds them.
            let h = ChainHash.digest(EventLog.hashInput(prev: prevHash, id: id, draft: e, changesUTF8: changes,
                                                        facts: EventLog.coversFacts(e) ? EventLog.facts(p.c) : nil))
            let statuses = EventLog.storedStatuses(e)
            try s.event.run(db) { b in
                b.int(id); b.int(e.caseId); b.int(CaseRow.secs(e.at)); b.int(e.actorId); b.text(e.action.rawValue)
                b.text(statuses.from); b.text(statuses.to); b.value(PackedText.pack(e.note))
                b.value(PackedText.pack(utf8: changes)); b.blob(h)
            }
            lastEventId = id
            prevHash = h
        }
        for (master, dup) in p.links { try s.link.run(db) { b in b.int(master); b.int(dup) } }
        casesWritten += 1
        eventsWritten += p.events.count
    }

    /// The inserts of `write`, prepared once per connection.
    private struct Statements {
        let db: Database
        let reporter, pakn_case, event, link, search: RawInsert
    }
    private var prepared: Statements?

    private func statements(_ db: Database) throws -> Statements {
        if let s = prepared, s.db === db { return s }
        let s = Statements(
            db: db,
            reporter: try RawInsert(db, sql: """
                INSERT INTO reporter(id, name, phone, email, address, national_id, anonymous, confidential) VALUES (?, ?, ?, ?, ?, ?, 0, ?)
                """),
            pakn_case: try RawInsert(db, sql: CaseRow.insertSQL),
            event: try RawInsert(db, sql: """
                INSERT INTO event(id, case_id, at, actor_id, action, from_status, to_status, note, changes, hash)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """),
            link: try RawInsert(db, sql: "INSERT OR IGNORE INTO case_link(case_id, other_id, kind) VALUES (?, ?, 'duplicate')"),
            search: try RawInsert(db, sql: "INSERT INTO case_fts(rowid, code, title, body, address) VALUES (?, ?, ?, ?, ?)"))
        prepared = s
        return s
    }

    // MARK: Search entries, all of a batch together

    /// The search entries of the cases written since the last `flushSearch`. Inserted into
    /// `case_fts` between the other rows, each case's INSERT (which opens a statement
    /// transaction: triggers, foreign keys) would make FTS5 flush its pending terms as a new
    /// segment — one segment, and soon a merge, per case. Inserted one after the other at
    /// the end of the batch, FTS5 keeps adding to the same pending segment.
    private var search: [SearchIndex.Entry] = []

    /// Writes the search entries of the cases written since the last call.
    func flushSearch(_ db: Database) throws {
        guard !search.isEmpty else { return }
        let s = try statements(db)
        for e in search {
            try s.search.run(db) { b in b.int(e.id); b.text(e.code); b.text(e.title); b.text(e.body); b.text(e.address) }
        }
        search.removeAll(keepingCapacity: true)
    }

    /// Writes the staged search entries and records the case-code sequences handed out.
    /// Call before the transaction commits.
    package func finish(_ db: Database) throws {
        try flushSearch(db)
        let stmt = try db.cachedStatement(sql: """
            INSERT INTO case_sequence(year, last) VALUES (?, ?) ON CONFLICT(year) DO UPDATE SET last = excluded.last
            """)
        for y in touchedYears.sorted() { try stmt.execute(arguments: [y, sequences[y] ?? 0]) }
        try CodeFloor.raise(db, Dictionary(uniqueKeysWithValues: touchedYears.map { ($0, sequences[$0] ?? 0) }))
        touchedYears.removeAll()
    }

    // MARK: Index maintenance around a large load

    /// Drops the case table's secondary indexes and the counters' triggers: a large load
    /// then appends rows, and `rebuildIndexes` sorts each index once, which is several
    /// times faster than keeping them all up to date row by row.
    package static func dropIndexes(_ db: Database) throws {
        for name in Schema.caseIndexNames { try db.execute(sql: "DROP INDEX IF EXISTS \(name)") }
        for name in Schema.caseCountTriggerNames { try db.execute(sql: "DROP TRIGGER IF EXISTS \(name)") }
        try StatSchema.dropTriggers(db)
    }

    /// Recreates what `dropIndexes` dropped, recounts `case_count` and refreshes the
    /// planner's statistics. `progress` is called after each step with (done, total).
    package static func rebuildIndexes(_ db: Database, progress: ((Int, Int) -> Void)? = nil) throws {
        let total = Schema.caseIndexes.count + 2
        var done = 0
        for sql in Schema.caseIndexes {
            try db.execute(sql: sql.replacingOccurrences(of: "CREATE INDEX ", with: "CREATE INDEX IF NOT EXISTS "))
            done += 1
            progress?(done, total)
        }
        for sql in Schema.caseCountTriggers {
            try db.execute(sql: sql.replacingOccurrences(of: "CREATE TRIGGER ", with: "CREATE TRIGGER IF NOT EXISTS "))
        }
        try db.execute(sql: Schema.caseCountRebuild)
        try StatSchema.createTriggers(db)
        try db.execute(sql: StatSchema.rebuildSQL)
        done += 1
        progress?(done, total)
        try analyze(db)
        done += 1
        progress?(done, total)
    }

    /// FTS5 keeps the terms of a transaction in memory up to its `hashsize` (1 MB by
    /// default), then writes them as a new segment, which later merges rewrite. During a
    /// large load a batch's terms (a few MB) are kept until its commit, one segment a
    /// batch: fewer segments written and merged. Set back to the default afterwards.
    package static func searchBuffer(_ db: Database, large: Bool) throws {
        try db.execute(sql: "INSERT INTO case_fts(case_fts, rank) VALUES ('hashsize', ?)", arguments: [large ? 64 << 20 : 1 << 20])
    }

    /// Statistics for the query planner (sampled, so it stays quick on large tables).
    package static func analyze(_ db: Database) throws {
        try db.execute(sql: "PRAGMA analysis_limit = 1000; ANALYZE;")
    }

    /// Whether the indexes are currently dropped (a load was interrupted before rebuilding).
    static func indexesMissing(_ db: Database) throws -> Bool {
        try Int.fetchOne(db, sql: "SELECT count(*) FROM sqlite_schema WHERE type = 'index' AND name = 'case_province_due'") == 0
    }
}
