import Foundation
import GRDB
import PaknCore
import Testing
@testable import PaknDemo
@testable import PaknStore

/// A database written before `v4-compact-storage` (plain text everywhere, each reply also on
/// its case row, full status indexes) opens, reads exactly as before, keeps its chain, and
/// takes new work in the new format.
@Suite struct StorageMigrationTests {
    /// Writes generated cases as pakn wrote them up to migration v3: the body as TEXT, the
    /// reply on the case row too, events' changes and notes as TEXT, hashed over that text.
    final class V3Sink: DemoCaseSink {
        let db: Database
        let writer: BulkCaseWriter
        var pending: BulkCaseWriter.Pending?
        var lastEventId: Int64 = 0
        var prev = EventLog.genesis

        init(db: Database, writer: BulkCaseWriter) { self.db = db; self.writer = writer }

        func intake(_ draft: IntakeDraft, by actor: Official, at now: Date) throws -> Case {
            let p = try writer.intake(draft, by: actor, at: now)
            pending = p
            return p.c
        }

        func apply(_ action: Action, to c: Case, by actor: Official, at now: Date) throws -> Case {
            guard var p = pending else { throw StoreError.unknownCase(c.code) }
            try writer.step(&p, action, by: actor, at: now)
            pending = p
            return p.c
        }

        func link(master: Int64, duplicate: Int64) throws { pending?.links.append((master, duplicate)) }

        func finishCase() throws {
            guard let p = pending else { return }
            pending = nil
            if let r = p.reporter { _ = try CaseWriter.insertReporter(db, r, id: p.c.reporterId) }
            // v3's CaseRow.insert: the case's own values, plain, reply included.
            try db.execute(sql: StorageMigrationTests.v3InsertSQL, arguments: StatementArguments(
                Array(CaseRow.values(p.c, scope: writer.units.scope(of: p.c.unitId), includeText: true, logical: true)
                    .dropLast(StorageMigrationTests.clockColumns.count)) + [p.c.id]))
            try SearchIndex.add(db, p.c)
            for var e in p.events {
                e.changes.removeValue(forKey: EventLog.factsKey)   // v3 intakes did not cover the facts
                let id = lastEventId + 1
                let changes = EventLog.changesJSON(e.changes)
                let h = EventLog.hash(prev: prev, id: id, draft: e, changes: changes)
                try db.execute(sql: """
                    INSERT INTO event(id, case_id, at, actor_id, action, from_status, to_status, note, changes, hash)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """, arguments: [id, e.caseId, CaseRow.secs(e.at), e.actorId, e.action.rawValue, e.fromStatus?.rawValue,
                                     e.toStatus?.rawValue, e.note, changes, Data(h)])
                lastEventId = id
                prev = h
            }
            for (master, dup) in p.links {
                try db.execute(sql: "INSERT OR IGNORE INTO case_link(case_id, other_id, kind) VALUES (?, ?, 'duplicate')", arguments: [master, dup])
            }
        }
    }

    /// The columns migration `v5-clocks` added, last in `CaseRow`'s lists.
    static let clockColumns = ["accept_days", "accept_counting", "accepted_on", "rollover"]
    static var v3Columns: String {
        CaseRow.columns.split(separator: ",").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
            .filter { !clockColumns.contains($0) }.joined(separator: ", ")
    }
    /// `CaseRow.insertSQL` as it was before `v5-clocks`.
    static var v3InsertSQL: String {
        let head = CaseRow.insertSQL.components(separatedBy: "VALUES")[0]
        let cols = clockColumns.reduce(head) { $0.replacingOccurrences(of: $1 + ", ", with: "") }
        let n = cols.components(separatedBy: ",").count
        return cols + "VALUES (" + Array(repeating: "?", count: n).joined(separator: ", ") + ")"
    }

    /// A training database at migration v3 with `cases` generated cases in the v3 format.
    static func v3Database(cases: Int) throws -> String {
        let path = Fixtures.tempPath("v3")
        var config = Configuration()
        config.foreignKeysEnabled = true
        let queue = try DatabaseQueue(path: path, configuration: config)
        try Schema.migrator.migrate(queue, upTo: "v3-search-prefixes")
        try queue.write { d in
            // Today's reference setup writes the v5 unit columns; they are removed again below.
            try UnitMigration.schema(d)
            let options = DemoOptions(cases: cases, seed: 5, now: Fixtures.now, login: "tester")
            var staff = try DemoGenerator.setUp(d, options: options)
            // The rules as a v3 database had them: acceptance recorded but no step, pauses
            // while awaiting information, no day-off rule (migration v5-clocks adds them).
            let v3Rules = try BundledData.rules().map { r -> DeadlineRule in
                var r = r
                r.acceptanceDays = nil; r.acceptanceCounting = nil; r.acceptanceMaxDays = nil
                r.pause = .awaitingInfo; r.suspensionGrounds = []
                r.lastDayOffMovesToNextWorkingDay = false; r.extensionNeedsComplexity = false
                return r
            }
            try d.execute(sql: "DELETE FROM deadline_rule")
            try Setup.installRules(d, v3Rules)
            let ref = try ReferenceData.load(d)
            let writer = try BulkCaseWriter(d, ref: ref)
            var sink: DemoCaseSink = V3Sink(db: d, writer: writer)
            let corpus = try DemoCorpus.load()
            var rng = SeededRandom(seed: 5)
            let times = (0..<cases).map { _ in Fixtures.now.addingTimeInterval(-Double.random(in: 600..<(90 * 86400), using: &rng)) }.sorted()
            for t in times {
                try DemoGenerator.makeCase(d, sink: &sink, at: t, corpus: corpus, staff: &staff, ref: ref, now: Fixtures.now, rng: &rng)
            }
            try writer.finish(d)
            try PreV5.strip(d)
        }
        try queue.close()
        return path
    }

    /// Everything readable about the cases, read straight from the rows as v3 stored them.
    static func snapshot(_ d: Database) throws -> (cases: [Case], events: [Event]) {
        let cols = try d.columns(in: "pakn_case").contains { $0.name == "rollover" } ? CaseRow.columns : v3Columns
        let cases = try Row.fetchAll(d, sql: "SELECT \(cols) FROM pakn_case ORDER BY id").map(CaseRow.decodeRow)
        let events = try Row.fetchAll(d, sql: "SELECT * FROM event ORDER BY id").map(EventLog.event(from:))
        return (cases, events)
    }

    @Test func aV3DatabaseReadsTheSameKeepsItsChainAndTakesNewWork() throws {
        let path = try Self.v3Database(cases: 160)
        let old = try DatabaseQueue(path: path)
        let (before, eventsBefore) = try old.read { try Self.snapshot($0) }
        let formats = try old.read { try String.fetchAll($0, sql: "SELECT DISTINCT typeof(changes) FROM event UNION SELECT DISTINCT typeof(body) FROM pakn_case") }
        #expect(formats == ["text"])
        #expect(before.filter { $0.reply != nil }.count > 20, "answered cases, some answered twice")
        try old.close()

        // Opening migrates it.
        let db = try AppDatabase(path: path, create: false)
        try db.pool.read { d in
            let applied = try String.fetchAll(d, sql: "SELECT identifier FROM grdb_migrations")
            #expect(applied.contains("v4-compact-storage") && applied.contains("v5-clocks"))
            // The rules gained the lawful clocks' properties, kept their day counts, and the 2026 rules came in.
            let rules = try ReferenceData.load(d).rulebook
            #expect(rules.rule(id: "complaint-2011")?.pause == PausePolicy.none)
            #expect(rules.rule(id: "complaint-2011")?.effectiveTo == Day("2026-07-01"))
            #expect(rules.rule(id: "complaint-2026")?.pause == .suspension)
            #expect(rules.rule(id: "denunciation-2018")?.acceptanceCounting == .working)
            #expect(applied.contains("v5-template-purpose"))
            // v5: the templates the old database held got their purposes and the new texts.
            #expect(try String.fetchOne(d, sql: "SELECT purpose FROM reply_template WHERE id = 'ack' AND lang = 'vi'") == "acknowledgement")
            #expect(try String.fetchOne(d, sql: "SELECT purpose FROM reply_template WHERE id = 'request-info' AND lang = 'vi'") == "request_info")
            #expect(try String.fetchOne(d, sql: "SELECT action FROM reply_template WHERE id = 'transfer' AND lang = 'vi'") == "transfer")
            #expect(try !(String.fetchOne(d, sql: "SELECT body FROM reply_template WHERE id = 'ack' AND lang = 'vi'") ?? "").contains("Đơn vị được giao xử lý"))
            let status = try String.fetchOne(d, sql: "SELECT sql FROM sqlite_schema WHERE name = 'case_province_status'") ?? ""
            #expect(status.contains("WHERE status = 'received'"))
            #expect(try String.fetchAll(d, sql: "SELECT name FROM pragma_index_info('event_case')") == ["case_id"])
        }
        // Every case and event reads as it did, through every reader.
        let sup = try Fixtures.official(db, "taphuan")
        for c in before {
            let now = try db.resolveCase(c.code)
            #expect(now == c)
            #expect(Array(now.body.utf8) == Array(c.body.utf8))
            #expect(try db.detail(caseRef: c.code, viewer: sup, now: Fixtures.now).case.reply == c.reply)
        }
        let eventsAfter = try db.pool.read { try Row.fetchAll($0, sql: "SELECT * FROM event ORDER BY id").map(EventLog.event(from:)) }
        #expect(eventsAfter == eventsBefore)
        let head = try db.chainHead()
        let chain = try db.checkChain(against: head)
        #expect(chain.ok && chain.entries == eventsBefore.count)
        #expect(try db.checkConsistency().ok)

        // New work on old cases, and a new case.
        let clerk = try Fixtures.official(db, "vanthu.hoankiem")
        let answered = try #require(before.first { $0.status == .closed && $0.reply != nil && $0.assigneeId != nil })
        let handler = try #require(try db.pool.read { try OfficialStore.byId($0, answered.assigneeId!) })
        let supervisor = try Fixtures.official(db, "taphuan")
        try db.perform(.note(text: "Ghi chú sau khi nâng cấp"), on: answered.code, by: supervisor, at: Fixtures.now)
        #expect(try db.resolveCase(answered.code).reply == answered.reply, "an old row keeps its reply")
        try db.perform(.reopen(reason: "Công dân phản ánh lại"), on: answered.code, by: supervisor, at: Fixtures.now)
        try db.perform(.reply(text: "Trả lời mới sau khi nâng cấp."), on: answered.code, by: handler, at: Fixtures.now)
        #expect(try db.resolveCase(answered.code).reply == "Trả lời mới sau khi nâng cấp.")
        try db.pool.read { d in
            #expect(try String.fetchOne(d, sql: "SELECT reply FROM pakn_case WHERE id = ?", arguments: [answered.id])
                    == "Trả lời mới sau khi nâng cấp.")
            let replies = try EventLog.history(d, caseId: answered.id).compactMap { $0.changes["reply"] }
            let oldReplies = eventsBefore.filter { $0.caseId == answered.id }.compactMap { $0.changes["reply"] }
            #expect(!oldReplies.isEmpty && Array(replies.prefix(oldReplies.count)) == oldReplies, "earlier answers stay in the history")
            #expect(replies.last == FieldChange(before: answered.reply, after: "Trả lời mới sau khi nâng cấp."))
            let kinds = try String.fetchAll(d, sql: "SELECT typeof(changes) FROM event WHERE case_id = ? ORDER BY id", arguments: [answered.id])
            #expect(kinds.prefix(eventsBefore.filter { $0.caseId == answered.id }.count).allSatisfy { $0 == "text" })
            // Plain text from v6 on (`v6-plain-text`).
            #expect(kinds.suffix(3) == ["text", "text", "text"])
        }
        let fresh = try db.intake(Fixtures.draft(), by: clerk, at: Fixtures.now)
        #expect(try db.pool.read { try String.fetchOne($0, sql: "SELECT typeof(body) FROM pakn_case WHERE id = ?", arguments: [fresh.id]) } == "text")
        #expect(try db.resolveCase(fresh.code).body == fresh.body)

        // Old and new links of the chain verify together, from the same head on.
        let after = try db.checkChain(against: head)
        #expect(after.ok && after.againstId == Int64(eventsBefore.count))
        #expect(try db.checkConsistency().ok)
    }
}

/// A database as versions v4–v5 wrote it (titles, bodies, notes and changes deflated;
/// statuses left out of events; replies only in their events) becomes plain data at
/// `v6-plain-text`: any tool reads it, every hash still holds, and the views work.
@Suite struct PlainTextMigrationTests {
    /// Rewrites a demo copy the way v5 stored it and forgets the migration, as a v5 file.
    static func v5Copy() throws -> (path: String, head: String, cases: [Case], events: [Event]) {
        let db = try Fixtures.demo()
        let head = try db.chainHead()
        let (cases, events) = try db.pool.read { d in
            (try Row.fetchAll(d, sql: "SELECT \(CaseRow.columns) FROM pakn_case ORDER BY id").map { try CaseRow.decode(d, $0) },
             try Row.fetchAll(d, sql: "SELECT * FROM event ORDER BY id").map(EventLog.event(from:)))
        }
        try TrustFixtures.dropGuards(db)
        try db.pool.write { d in
            for c in cases {
                try d.execute(sql: "UPDATE pakn_case SET title = ?, body = ?, reply = NULL WHERE id = ?",
                              arguments: [PackedText.deflated(c.title) ?? c.title.databaseValue,
                                          PackedText.deflated(c.body) ?? c.body.databaseValue, c.id])
            }
            for e in events {
                let changes = EventLog.changesJSON(e.changes)
                // v5's status forms: '' for what the changes hold, or for a from equal to to.
                var from = e.fromStatus?.rawValue, to = e.toStatus?.rawValue
                if let t = e.toStatus, let s = e.changes["status"], s.after == t.rawValue, s.before == e.fromStatus?.rawValue {
                    (from, to) = ("", "")
                } else if let t = e.toStatus, e.fromStatus == t { from = "" }
                try d.execute(sql: "UPDATE event SET from_status = ?, to_status = ?, note = ?, changes = ? WHERE id = ?",
                              arguments: [from, to, e.note.map { PackedText.deflated($0) ?? $0.databaseValue },
                                          PackedText.deflated(changes) ?? changes.databaseValue, e.id])
            }
            try d.execute(sql: "DROP VIEW case_view; DROP VIEW event_view")
            try d.execute(sql: "DELETE FROM grdb_migrations WHERE identifier = ?", arguments: [PlainTextMigration.name])
            #expect(try Int.fetchOne(d, sql: "SELECT count(*) FROM pakn_case WHERE typeof(body) = 'blob'")! > 0)
            #expect(try Int.fetchOne(d, sql: "SELECT count(*) FROM event WHERE to_status = '' OR from_status = ''")! > 0)
        }
        return (db.path, head, cases, events)
    }

    @Test func aV5DatabaseBecomesPlainDataAndKeepsItsChain() throws {
        let (path, head, cases, events) = try Self.v5Copy()
        let db = try AppDatabase(path: path, create: false)
        try db.pool.read { d in
            #expect(try Int.fetchOne(d, sql: """
                SELECT (SELECT count(*) FROM pakn_case WHERE typeof(title) = 'blob' OR typeof(body) = 'blob')
                     + (SELECT count(*) FROM event WHERE typeof(note) = 'blob' OR typeof(changes) = 'blob'
                        OR from_status = '' OR to_status = '')
                """) == 0, "nothing packed, no status left out")
            let after = try Row.fetchAll(d, sql: "SELECT * FROM event ORDER BY id").map(EventLog.event(from:))
            #expect(after == events, "every event reads as before")
            for c in cases {
                let row = try #require(try Row.fetchOne(d, sql: "SELECT title, body, reply FROM pakn_case WHERE id = ?", arguments: [c.id]))
                #expect(Array((row["title"] as String).utf8) == Array(c.title.utf8))
                #expect(Array((row["body"] as String).utf8) == Array(c.body.utf8))
                #expect(row["reply"] as String? == c.reply, "\(c.code): its current reply is in its row")
            }
            // The views answer in ordinary SQL, times in Vietnam time.
            let v = try #require(try Row.fetchOne(d, sql: "SELECT code, title, status, received_at, reply FROM case_view WHERE id = ?",
                                                  arguments: [cases[0].id]))
            #expect(v["code"] as String == cases[0].code && (v["received_at"] as String).hasSuffix("+07:00"))
            #expect(v["received_at"] as String == ISO8601.format(cases[0].receivedAt))
            #expect(try Int.fetchOne(d, sql: "SELECT count(*) FROM event_view")! == events.count)
        }
        let chain = try db.checkChain(against: head)
        #expect(chain.ok && chain.head == head, "the same head: hashes cover the texts, not their stored form")
        #expect(try db.checkConsistency().ok)
    }

    /// The plain file as sqlite3 itself shows it: the words, not bytes.
    @Test func sqlite3ReadsTitlesBodiesAndReplies() throws {
        let db = try Fixtures.demo()
        let c = try #require(try db.pool.read { try Row.fetchOne($0, sql: "SELECT code, title FROM pakn_case WHERE reply IS NOT NULL LIMIT 1") })
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
        guard FileManager.default.isExecutableFile(atPath: p.executableURL!.path) else {
            withKnownIssue("no sqlite3 here") { Issue.record("sqlite3 missing") }
            return
        }
        p.arguments = ["-readonly", db.path, "SELECT title, status, received_at FROM case_view WHERE code = '\(c["code"] as String)'"]
        let out = Pipe()
        p.standardOutput = out
        try p.run()
        p.waitUntilExit()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(text.hasPrefix(c["title"] as String), "\(text)")
        #expect(text.contains("+07:00"))
    }
}
