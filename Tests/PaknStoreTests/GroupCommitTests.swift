import Foundation
import GRDB
import PaknCore
@testable import PaknStore
import Testing

/// Intakes through API keys that arrive together share one commit (`GroupCommit`), and
/// each is still all or nothing on its own.
@Suite struct GroupCommitTests {
    /// Another process holds the write lock while eight portals post: the first intake waits
    /// for the lock with its own batch; the seven that queue behind it are committed
    /// together, once the lock is free. One of them has no title: refused alone, nothing of
    /// it written; the others are written once each, and the chain holds.
    @Test func intakesThatArriveTogetherShareOneCommitAndFailAlone() throws {
        let db = try Fixtures.demo()
        let admin = try db.session(login: "tester")
        let unitCode = try #require(try admin.unit(id: try admin.current().unitId)?.code)
        let made = try admin.addApiKey(name: "portal", channel: .app, unitCode: unitCode)
        let served = try AppDatabase(path: db.path, create: false)
        let (session, _) = try served.openKeySession(secret: made.secret)
        let before = served.groupCommit.transactionCount

        // The other process: a connection of its own that takes the write lock.
        let other = try DatabaseQueue(path: db.path)
        let holding = DispatchSemaphore(value: 0), release = DispatchSemaphore(value: 0), released = DispatchSemaphore(value: 0)
        Thread {
            try? other.write { _ in
                holding.signal()
                release.wait()
            }
            released.signal()
        }.start()
        holding.wait()

        let results = Results()
        let group = DispatchGroup()
        for i in 0..<8 {
            group.enter()
            Thread {
                defer { group.leave() }
                let draft = IntakeDraft(title: i == 5 ? "" : "Ổ gà số \(i)", body: "Ổ gà sâu trước số \(i)", kind: .feedback,
                                        category: "traffic", channel: .web, routing: .none)
                results.set(i, Result { try session.keyIntake(draft, idempotencyKey: "g\(i)", trackingToken: "t\(i)") })
            }.start()
            // The first one leads (and waits for the lock) before the others queue.
            if i == 0 { while served.groupCommit.transactionCount == before { usleep(1000) } }
        }
        while served.groupCommit.queued < 7 { usleep(1000) }
        release.signal()
        released.wait()
        group.wait()

        #expect(served.groupCommit.transactionCount - before == 2, "one for the first intake, one for the seven behind it")
        let all = results.all()
        #expect(all.count == 8)
        for (i, r) in all {
            switch r {
            case let .success(k): #expect(i != 5 && k.created, "intake \(i)")
            case let .failure(e): #expect(i == 5 && e as? StoreError == .missingField("title"), "intake \(i): \(e)")
            }
        }
        let codes = all.compactMap { try? $0.1.get().request.code }
        #expect(Set(codes).count == 7)
        let taken = try db.read { try String.fetchAll($0, sql: "SELECT c.code FROM api_intake a JOIN pakn_case c ON c.id = a.case_id") }
        #expect(Set(taken) == Set(codes) && taken.count == 7)
        // Each has its search entry, written in its own savepoint: the desk's search finds
        // each by its own words.
        for (i, r) in all where i != 5 {
            let code = try r.get().request.code
            let found = try db.queue(QueueQuery(filter: QueueFilter(text: "o ga sau truoc so \(i)"), limit: 50), now: Fixtures.now).map(\.code)
            #expect(found.contains(code), "intake \(i): \(found)")
        }
        let indexed = try db.read { d in
            try Int.fetchOne(d, sql: "SELECT count(*) FROM case_fts WHERE case_fts MATCH 'truoc' AND rowid IN (SELECT case_id FROM api_intake)")
        }
        #expect(indexed == 7)
        // The sidecar of issued codes holds the highest (raised once for the seven, before
        // their commit: `CodeFloor.Watch`).
        let highest = try #require(codes.compactMap { Int($0.split(separator: "-").last ?? "") }.max())
        let year = try #require(codes.first.flatMap { Int($0.split(separator: "-").dropFirst().first ?? "") })
        #expect(CodeFloor.read(dbPath: db.path)[year] == highest)
        #expect(try admin.checkChain().problem == nil)
        // A retry finds its case, through the same shared commits.
        let again = try session.keyIntake(IntakeDraft(title: "Ổ gà số 3", body: "Ổ gà sâu trước số 3", kind: .feedback,
                                                      category: "traffic", channel: .web, routing: .none),
                                          idempotencyKey: "g3", trackingToken: "t3")
        let third = try #require(all.first { $0.0 == 3 }).1.get().request.code
        #expect(!again.created && again.request.code == third)
    }

    /// A transaction that issues many codes raises the sidecar once, before it commits; when
    /// the sidecar cannot be written, the transaction is rolled back and nothing is written.
    @Test func theSidecarOfIssuedCodesIsWrittenOnceATransactionAndBeforeItCommits() throws {
        let db = try Fixtures.demo()
        let clerk = try Fixtures.official(db, "vanthu.hoankiem")
        let ref = try db.reference()
        let before = CodeFloor.syncs.load(ordering: .relaxed)
        let codes = try db.pool.write { d in
            try (0..<5).map { _ in try CaseWriter.intake(d, Fixtures.draft(), ref: ref, by: clerk, at: Fixtures.now).code }
        }
        // Other tests run beside this one: at least one raise, never five.
        let raised = CodeFloor.syncs.load(ordering: .relaxed) - before
        #expect(raised >= 1 && raised < 5, "\(raised)")
        let highest = try #require(codes.compactMap { Int($0.split(separator: "-").last ?? "") }.max())
        #expect(CodeFloor.read(dbPath: db.path).values.contains(highest))
        // The sidecar cannot be written (its temporary file's name is a folder): the intake
        // fails and leaves no case behind.
        let cases = try db.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM pakn_case") }
        try FileManager.default.createDirectory(atPath: CodeFloor.path(forDatabase: db.path) + ".tmp", withIntermediateDirectories: true)
        #expect(throws: (any Error).self) { _ = try db.intake(Fixtures.draft(), by: clerk, at: Fixtures.now) }
        #expect(try db.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM pakn_case") } == cases)
        try FileManager.default.removeItem(atPath: CodeFloor.path(forDatabase: db.path) + ".tmp")
        let next = try db.intake(Fixtures.draft(), by: clerk, at: Fixtures.now)
        #expect(!codes.contains(next.code))
    }

    /// The writer keeps its prepared case UPDATE from one transaction to the next: raising
    /// the sidecar of issued codes once a transaction does not make GRDB drop it (an observer
    /// added per transaction did, and every group commit compiled the UPDATE and its triggers
    /// again).
    @Test func theWriterKeepsItsCaseUpdatePreparedAcrossIntakes() throws {
        let db = try Fixtures.demo()
        let clerk = try Fixtures.official(db, "vanthu.hoankiem")
        _ = try db.intake(Fixtures.draft(), by: clerk, at: Fixtures.now)
        func prepared() throws -> ObjectIdentifier { try db.pool.write { ObjectIdentifier(try $0.cachedStatement(sql: CaseRow.updateSQL)) } }
        let first = try prepared()
        let before = CodeFloor.syncs.load(ordering: .relaxed)
        let made = try db.intake(Fixtures.draft(), by: clerk, at: Fixtures.now)
        #expect(CodeFloor.syncs.load(ordering: .relaxed) > before, "the intake raised the sidecar")
        #expect(CodeFloor.read(dbPath: db.path).values.contains(Int(made.code.split(separator: "-").last ?? "") ?? -1))
        #expect(try prepared() == first, "the same prepared statement")
    }

    /// The writer's statement and savepoint journals stay in memory once the schema is
    /// current (`AppDatabase.keepJournalsInMemory`); the readers keep SQLite's default (their
    /// sorts may be large).
    @Test func theWriterKeepsItsJournalsInMemoryAndTheReadersDoNot() throws {
        let db = try Fixtures.demo()
        #expect(try db.pool.write { try Int.fetchOne($0, sql: "PRAGMA temp_store") } == 2)
        #expect(try db.pool.read { try Int.fetchOne($0, sql: "PRAGMA temp_store") } == 0)
        let again = try AppDatabase(path: db.path, create: false)
        #expect(try again.pool.write { try Int.fetchOne($0, sql: "PRAGMA temp_store") } == 2)
    }

    /// The sidecar is parsed again only when it changed: a sidecar another process put in
    /// place (its raise renames a new file over the old), or one written over in place with
    /// another length, is what the next intake reads; the process's own raise needs no read.
    @Test func anotherWritersSidecarIsReadAlthoughTheParsedOneIsKept() throws {
        let db = try Fixtures.demo()
        let clerk = try Fixtures.official(db, "vanthu.hoankiem")
        let first = try db.intake(Fixtures.draft(), by: clerk, at: Fixtures.now)
        let year = try #require(Int(first.code.split(separator: "-").dropLast().last ?? ""))
        let n = try #require(Int(first.code.split(separator: "-").last ?? ""))
        #expect(CodeFloor.read(dbPath: db.path)[year] == n, "this process's raise is known")
        let file = CodeFloor.path(forDatabase: db.path)
        // Another process's raise: a new file renamed over the sidecar.
        try "\(year) \(n + 500)\n".write(toFile: file + ".other", atomically: false, encoding: .utf8)
        #expect(rename(file + ".other", file) == 0)
        let second = try db.intake(Fixtures.draft(), by: clerk, at: Fixtures.now)
        #expect(second.code.hasSuffix("-" + Day.padded(n + 501, 6)), "\(second.code)")
        // Written over in place, longer.
        try "\(year) \(n + 100_000)\n".write(toFile: file, atomically: false, encoding: .utf8)
        let third = try db.intake(Fixtures.draft(), by: clerk, at: Fixtures.now)
        #expect(third.code.hasSuffix("-" + Day.padded(n + 100_001, 6)), "\(third.code)")
        #expect(CodeFloor.read(dbPath: db.path)[year] == n + 100_001)
    }

    final class Results: @unchecked Sendable {
        private let lock = NSLock()
        private var items: [(Int, Result<KeyIntake, Error>)] = []
        func set(_ i: Int, _ r: Result<KeyIntake, Error>) { lock.withLock { items.append((i, r)) } }
        func all() -> [(Int, Result<KeyIntake, Error>)] { lock.withLock { items.sorted { $0.0 < $1.0 } } }
    }
}
