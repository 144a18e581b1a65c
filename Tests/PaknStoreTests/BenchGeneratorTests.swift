import Foundation
import GRDB
import PaknCore
import Testing
@testable import PaknDemo
@testable import PaknStore

/// The bulk path the demo generator, the benchmark and `pakn import` write with must leave
/// exactly the rows the one-step-at-a-time path leaves.
@Suite struct BenchGeneratorTests {
    static func generate(cases: Int, seed: UInt64, bulk: Bool, deferIndexes: Bool? = nil) throws -> AppDatabase {
        var o = DemoOptions(cases: cases, seed: seed, now: Fixtures.now, login: "tester", batch: 97)
        o.bulk = bulk
        o.deferIndexes = deferIndexes
        return try DemoGenerator.create(path: Fixtures.tempPath("gen"), options: o)
    }

    static func dump(_ db: AppDatabase, _ sql: String) throws -> [[DatabaseValue]] {
        try db.pool.read { d in try Row.fetchAll(d, sql: sql).map { Array($0.databaseValues) } }
    }

    static let tables = [
        "SELECT * FROM pakn_case ORDER BY id", "SELECT * FROM event ORDER BY id", "SELECT * FROM reporter ORDER BY id",
        "SELECT * FROM case_link ORDER BY case_id, other_id", "SELECT * FROM case_sequence ORDER BY year",
        "SELECT * FROM case_count ORDER BY scope, paused, due_at", "SELECT * FROM official ORDER BY id",
    ]

    @Test(arguments: [false, true])
    func theBulkPathWritesTheSameRowsAsTheStepPath(deferIndexes: Bool) throws {
        let step = try Self.generate(cases: 400, seed: 11, bulk: false)
        let bulk = try Self.generate(cases: 400, seed: 11, bulk: true, deferIndexes: deferIndexes)
        for sql in Self.tables {
            let a = try Self.dump(step, sql), b = try Self.dump(bulk, sql)
            #expect(a.count == b.count, "\(sql)")
            #expect(a == b, "\(sql)")
        }
        for word in ["duong", "ngap", "rac thai", "ha", "d", "xa"] {
            let q = try #require(SearchIndex.match(word))
            let sql = "SELECT rowid FROM case_fts WHERE case_fts MATCH '\(q.replacingOccurrences(of: "'", with: "''"))' ORDER BY rowid"
            #expect(try Self.dump(step, sql) == Self.dump(bulk, sql), "\(word)")
        }
        #expect(try bulk.verifyChain().firstBroken == nil)
        #expect(try bulk.checkConsistency().ok)
        // The indexes are all back, with statistics.
        let indexes = try bulk.pool.read { try String.fetchAll($0, sql: "SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'pakn_case'") }
        #expect(Set(Schema.caseIndexNames).isSubset(of: Set(indexes)))
        let triggers = try bulk.pool.read { try String.fetchAll($0, sql: "SELECT name FROM sqlite_schema WHERE type = 'trigger'") }
        #expect(Set(Schema.caseCountTriggerNames).isSubset(of: Set(triggers)))
    }

    @Test func aLargeDatabaseSpansYearsWithAFewPercentStillOpen() throws {
        #expect(DemoOptions(cases: 2000, now: Fixtures.now, login: "x").spanDays == 90)
        #expect(DemoOptions(cases: 1_000_000, now: Fixtures.now, login: "x").spanDays == 1000)
    }

    @Test func generationReportsItsWriteTimeAndIndexSteps() throws {
        var o = DemoOptions(cases: 300, seed: 5, now: Fixtures.now, login: "tester", batch: 100)
        o.deferIndexes = true
        var seen: [DemoProgress] = []
        let (db, timings) = try DemoGenerator.create(path: Fixtures.tempPath("gen"), options: o, rowSink: nil) { seen.append($0) }
        #expect(try db.count(QueueFilter(), now: Fixtures.now) == 300)
        #expect(timings.writeSeconds > 0 && timings.writeSeconds <= timings.totalSeconds)
        #expect(timings.events >= 300)
        #expect(seen.contains { if case .cases(300, 300) = $0 { return true } else { return false } })
        #expect(seen.contains { if case .indexes = $0 { return true } else { return false } })
    }
}
