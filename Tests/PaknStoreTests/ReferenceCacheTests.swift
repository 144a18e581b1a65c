import Foundation
import GRDB
import PaknCore
import Testing
@testable import PaknStore

/// The reference data is read once and kept until a trigger moves `reference_version`:
/// a change made through another connection to the file (another desk, `pakn calendar`)
/// is seen at the next read, and a write that rolled back leaves nothing behind.
@Suite struct ReferenceCacheTests {
    static func version(_ db: AppDatabase) throws -> Int64 {
        try db.pool.read { try #require(try ReferenceVersion.read($0)) }
    }

    @Test func everyReferenceTableAndTheTwoSettingsMoveTheCounter() throws {
        let db = try Fixtures.demo()
        var last = try Self.version(db)
        let changes = [
            "INSERT INTO calendar_exception(day, kind, name) VALUES ('2031-01-02', 'holiday', 'Thử')",
            "UPDATE calendar_exception SET name = 'Thử 2' WHERE day = '2031-01-02'",
            "DELETE FROM calendar_exception WHERE day = '2031-01-02'",
            "UPDATE deadline_rule SET json = json WHERE rowid = (SELECT min(rowid) FROM deadline_rule)",
            "UPDATE routing_rule SET department = department WHERE id = (SELECT min(id) FROM routing_rule)",
            "UPDATE category SET name_en = name_en WHERE code = 'environment'",
            "INSERT INTO setting(key, value) VALUES ('due_soon_days', '3') ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            "DELETE FROM setting WHERE key = 'due_soon_days'",
        ]
        for sql in changes {
            try db.pool.write { try $0.execute(sql: sql) }
            let now = try Self.version(db)
            #expect(now > last, "\(sql)")
            last = now
        }
        // Other settings do not: the desk's own bookkeeping must not empty the cache.
        try db.pool.write { try AppDatabase.setSetting($0, "pakn_test_other", "1") }
        #expect(try Self.version(db) == last)
    }

    @Test func aChangeThroughAnotherConnectionIsSeenAtTheNextRead() throws {
        let db = try Fixtures.demo()
        let day = Day("2031-03-04")!
        #expect(try db.reference().calendar.isWorkingDay(day))
        // A second handle on the file, as a second desk or `pakn calendar add` would be.
        let other = try AppDatabase(path: db.path, create: false)
        let admin = try Fixtures.official(other, "taphuan")
        _ = try other.calendarAdd(CalendarEntryInput(day: "2031-03-04", kind: "holiday", name: "Ngày nghỉ thử", standing: "announced",
                                                     document: "QĐ 1/2031"), reason: "thử", by: admin, at: Fixtures.now)
        #expect(try !db.reference().calendar.isWorkingDay(day))
        try other.pool.write { try $0.execute(sql: "UPDATE setting SET value = '9' WHERE key = 'reopen_at_or_below'") }
        try other.pool.write { try AppDatabase.setSetting($0, "reopen_at_or_below", "1") }
        #expect(try db.reference().policy.reopenAtOrBelow == 1)
    }

    @Test func aWriteThatRolledBackLeavesNoReferenceBehind() throws {
        let db = try Fixtures.demo()
        let before = try db.reference().categories.map(\.nameVi)
        struct Abort: Error {}
        // A write renames a category, reads the reference data with the new name, and rolls back.
        #expect(throws: Abort.self) {
            try db.pool.write { d in
                try d.execute(sql: "UPDATE category SET name_vi = 'Tên tạm' WHERE code = 'environment'")
                #expect(try db.reference(writing: d).category("environment")?.nameVi == "Tên tạm")
                throw Abort()
            }
        }
        #expect(try db.reference().categories.map(\.nameVi) == before)
        // A later committed change that brings the counter to the same number is read, not the
        // rolled-back one.
        try db.pool.write { try $0.execute(sql: "UPDATE category SET name_vi = 'Tên mới' WHERE code = 'environment'") }
        #expect(try db.reference().category("environment")?.nameVi == "Tên mới")
    }

    @Test func intakesAloneKeepTheCacheCurrent() throws {
        let db = try Fixtures.demo()
        let clerk = try Fixtures.official(db, "vanthu.hoankiem")
        _ = try db.intake(Fixtures.draft(), by: clerk, at: Fixtures.now)
        #expect(!db.referenceCache.wantsFill)
        // A change from another handle: the next intake's write finds the counter moved and
        // reads the tables itself; the one after fills the cache from a read first.
        let other = try AppDatabase(path: db.path, create: false)
        try other.pool.write { try $0.execute(sql: "UPDATE category SET name_en = 'Environment!' WHERE code = 'environment'") }
        _ = try db.intake(Fixtures.draft(), by: clerk, at: Fixtures.now)
        #expect(db.referenceCache.wantsFill)
        _ = try db.intake(Fixtures.draft(), by: clerk, at: Fixtures.now)
        #expect(!db.referenceCache.wantsFill)
        #expect(try db.reference().category("environment")?.nameEn == "Environment!")
    }

    @Test func aFileMigratedFromBeforeTheCounterGetsIt() throws {
        let db = try Fixtures.demo()
        let applied = try db.pool.read { try Schema.migrator.appliedIdentifiers($0) }
        #expect(applied.contains(ReferenceVersion.migrationName))
        let triggers = try db.pool.read {
            try String.fetchAll($0, sql: "SELECT name FROM sqlite_schema WHERE type = 'trigger' AND name LIKE '%_reference_%'")
        }
        #expect(triggers.count == ReferenceCache.tables.count * 3 + 3)
    }
}
