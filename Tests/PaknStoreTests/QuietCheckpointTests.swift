import Foundation
import GRDB
import Testing
@testable import PaknStore

/// The desk's checkpoints are put off to a quiet moment (`CheckpointPolicy.whenIdle`):
/// commits leave the WAL alone until `checkpointIfDue`, except past the overdue size.
@Suite struct QuietCheckpointTests {
    /// Commits `count` writes of `bytes` bytes each (pages the WAL must hold).
    private func write(_ db: AppDatabase, count: Int, bytes: Int) throws {
        let blob = Data(repeating: 0xA5, count: bytes)
        for i in 0..<count {
            try db.pool.write { try $0.execute(sql: "INSERT INTO setting(key, value) VALUES (?, ?)",
                                               arguments: ["scratch.\(UUID().uuidString).\(i)", blob]) }
        }
    }

    private func fileSize(_ path: String) throws -> Int {
        (try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
    }

    @Test func commitsLeaveTheWALUntilAQuietMoment() throws {
        let path = Fixtures.tempPath("quiet")
        try AppDatabase(path: path, create: true).pool.close()
        let db = try AppDatabase(path: path, create: false, checkpoints: .whenIdle)
        let before = try fileSize(path)
        #expect(!db.checkpointDue)
        // ~1,500 pages: SQLite's own checkpoint would have run at 1,000.
        try write(db, count: 30, bytes: 200_000)
        #expect(db.checkpointDue)
        #expect(try fileSize(path) == before, "no commit copied the WAL into the database file")

        db.checkpointIfDue()
        #expect(!db.checkpointDue)
        #expect(try fileSize(path) > before + 5_000_000, "the quiet checkpoint copied the pages")
        let rows = try db.pool.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM setting WHERE key LIKE 'scratch.%'") }
        #expect(rows == 30)
    }

    @Test func aDeskThatNeverRestsStillCheckpointsPastTheOverdueSize() throws {
        let path = Fixtures.tempPath("overdue")
        try AppDatabase(path: path, create: true).pool.close()
        let db = try AppDatabase(path: path, create: false, checkpoints: .whenIdle)
        let before = try fileSize(path)
        // ~4,900 pages of 4 KB, past `QuietCheckpoints.overdue`.
        let pages = Int(QuietCheckpoints.overdue) * 4096
        try write(db, count: 20, bytes: pages / 16)
        #expect(try fileSize(path) > before + pages / 2, "the overdue commit checkpointed by itself")
    }

    @Test func theCLIKeepsSQLitesOwnCheckpoints() throws {
        let path = Fixtures.tempPath("automatic")
        try AppDatabase(path: path, create: true).pool.close()
        let db = try AppDatabase(path: path, create: false)
        let before = try fileSize(path)
        try write(db, count: 30, bytes: 200_000)
        #expect(!db.checkpointDue, "nothing is put off under the automatic policy")
        #expect(try fileSize(path) > before + 3_000_000, "SQLite checkpointed past 1,000 pages")
    }
}
