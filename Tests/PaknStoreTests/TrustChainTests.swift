import Foundation
import GRDB
import PaknCore
import Testing
@testable import PaknStore

/// Someone with the sqlite3 shell drops the append-only triggers and edits history: each
/// kind of edit is named by `checkChain` (and the cut-off tail by `--against`).
@Suite struct TrustChainTests {
    func tampered(_ sql: String...) throws -> AppDatabase {
        let db = try Fixtures.demo()
        try TrustFixtures.dropGuards(db)
        try db.pool.write { d in for s in sql { try d.execute(sql: s) } }
        return db
    }

    func count(_ db: AppDatabase) throws -> Int64 { try db.pool.read { try Int64.fetchOne($0, sql: "SELECT max(id) FROM event")! } }

    /// A forger who knows the algorithm recomputes every hash after an edit.
    func rehash(_ db: AppDatabase) throws {
        try db.pool.write { d in
            var prev = EventLog.genesis
            for r in try Row.fetchAll(d, sql: "SELECT * FROM event ORDER BY id") {
                let (e, changes) = try EventLog.stored(r)
                // An attacker who knows the construction rehashes the facts too.
                let h = EventLog.hash(prev: prev, id: e.id, draft: e.draft, changes: changes,
                                      facts: try EventLog.storedFacts(d, e.draft))
                try d.execute(sql: "UPDATE event SET hash = ? WHERE id = ?", arguments: [Data(h), e.id])
                prev = h
            }
        }
    }

    @Test func anIntactChainVerifiesAgainstAnyHeadItPassedThrough() throws {
        let db = try Fixtures.demo()
        let head = try db.chainHead()
        let c = try db.checkChain(against: head)
        let n = try count(db)
        #expect(c.ok && c.head == head && c.againstId == n)
        let middle = try db.pool.read { SHA256.toHex([UInt8](try Data.fetchOne($0, sql: "SELECT hash FROM event WHERE id = 10")!)) }
        #expect(try db.checkChain(against: middle.uppercased()).againstId == 10)
        #expect(try db.checkAccessChain().ok)
    }

    @Test func anAlteredFieldIsNamed() throws {
        let db = try tampered("UPDATE event SET at = at + 60 WHERE id = 50")
        let c = try db.checkChain()
        #expect(c.problem == .altered(id: 50) && c.entries == 49)
        #expect(c.text(.vi).contains("50") && c.text(.en).contains("altered"))
    }

    @Test func aDeletedMiddleEventIsNamed() throws {
        let db = try tampered("DELETE FROM event WHERE id = 100")
        #expect(try db.checkChain().problem == .gap(id: 101, expected: 100))
    }

    @Test func anInsertedEventIsNamed() throws {
        // Make room at 31 by moving the later events up one, then slip a forged event in.
        let db = try tampered("UPDATE event SET id = -id WHERE id > 30", "UPDATE event SET id = 1 - id WHERE id < 0",
                              "INSERT INTO event(id, case_id, at, actor_id, action, from_status, to_status, note, changes, hash) " +
                              "SELECT 31, case_id, at, actor_id, 'note', to_status, to_status, 'ghi thêm', '{}', hash FROM event WHERE id = 30")
        #expect(try db.checkChain().problem == .altered(id: 31))
        // An event appended out of sequence is a gap.
        let other = try tampered("INSERT INTO event(id, case_id, at, actor_id, action, changes, hash) " +
                                 "SELECT max(id) + 5, 1, 0, 1, 'note', '{}', x'00' FROM event")
        #expect(try other.checkChain().problem == .gap(id: try count(other), expected: try count(other) - 4))
    }

    @Test func reorderedEventsAreNamed() throws {
        let db = try tampered("UPDATE event SET id = -1 WHERE id = 60", "UPDATE event SET id = 60 WHERE id = 61",
                              "UPDATE event SET id = 61 WHERE id = -1")
        #expect(try db.checkChain().problem == .altered(id: 60))
    }

    @Test func aTruncatedTailIsCaughtOnlyAgainstAKeptHead() throws {
        let db = try Fixtures.demo()
        let kept = try db.chainHead()
        let n = try count(db)
        try TrustFixtures.dropGuards(db)
        try db.pool.write { try $0.execute(sql: "DELETE FROM event WHERE id > ?", arguments: [n - 5]) }
        // The shortened chain is internally consistent…
        #expect(try db.checkChain().ok)
        // …but the head kept earlier is no longer in it.
        let c = try db.checkChain(against: kept)
        #expect(c.problem == .headNotFound(head: kept, lastId: n - 5))
        #expect(c.firstBrokenId == n - 4)
        #expect(c.text(.vi).contains("cắt bớt"))
    }

    @Test func aFullRewriteIsCaughtOnlyAgainstAKeptHead() throws {
        let db = try Fixtures.demo()
        let kept = try db.chainHead()
        try TrustFixtures.dropGuards(db)
        try db.pool.write { try $0.execute(sql: "UPDATE event SET note = 'đã sửa' WHERE id = 20") }
        try rehash(db)
        #expect(try db.checkChain().ok)
        #expect(try db.checkChain(against: kept).problem != nil)
    }

    @Test func theAccessLogIsChainedToo() throws {
        let db = try Fixtures.demo()
        let sup = try Fixtures.official(db, "lanhdao.hoankiem")
        // The demo's log starts with its baseline entries (one per covered table).
        let base = try #require(try db.accessLog(limit: 1).first?.id)
        for i in 0..<3 { try db.exportCases(ExportRequest(reason: "lần \(i)"), by: sup, at: Fixtures.now) { _ in } }
        let kept = try db.accessHead()
        #expect(try db.checkAccessChain(against: kept).againstId == base + 3)
        try TrustFixtures.dropGuards(db)
        try db.pool.write { try $0.execute(sql: "UPDATE access_log SET note = 'khác' WHERE id = ?", arguments: [base + 2]) }
        #expect(try db.checkAccessChain().problem == .altered(id: base + 2))

        let db2 = try Fixtures.demo()
        for i in 0..<3 { try db2.exportCases(ExportRequest(reason: "lần \(i)"), by: sup, at: Fixtures.now) { _ in } }
        try TrustFixtures.dropGuards(db2)
        // Hiding one case from an export's record breaks it as well.
        try db2.pool.write {
            try $0.execute(sql: "DELETE FROM access_case WHERE access_id = ? AND case_id = (SELECT min(case_id) FROM access_case WHERE access_id = ?)",
                           arguments: [base + 1, base + 1])
        }
        #expect(try db2.checkAccessChain().problem == .altered(id: base + 1))
        #expect(throws: (any Error).self) { try db.pool.write { try $0.execute(sql: "INSERT INTO access_log(id, at, login, action, hash) VALUES (1, 0, 'x', 'export', x'00')") } }
    }

    @Test func theConsistencyCheckFindsHalfWrittenAndDriftedCases() throws {
        let db = try Fixtures.demo()
        #expect(try db.checkConsistency().ok)
        try db.pool.write { d in
            guard var c = try CaseRow.fetch(d, id: 1) else { return }
            c.code = "HN-2026-999999"
            _ = try CaseRow.insert(d, c, provinceId: nil)
            try d.execute(sql: "UPDATE pakn_case SET status = 'closed', done = 1 WHERE id = (SELECT min(id) FROM pakn_case WHERE status = 'in_progress')")
        }
        let drifted = try db.pool.read { try String.fetchOne($0, sql: "SELECT code FROM pakn_case WHERE id = (SELECT min(id) FROM pakn_case WHERE status = 'closed' AND closed_at IS NULL)") }
        let r = try db.checkConsistency()
        #expect(!r.ok)
        #expect(r.withoutIntake == ["HN-2026-999999"])
        #expect(r.replayMismatches == [try #require(drifted)])
        #expect(r.lines(.vi).contains { $0.contains("HN-2026-999999") })
    }
}
