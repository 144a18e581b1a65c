import Foundation
import PaknTestSupport
import GRDB
import PaknCore
import Testing
@testable import PaknStore

/// The holiday calendar as maintained data: the shipped days and their standing, `pakn
/// calendar add|remove|import` recorded in the access log, refusals, bad files, the
/// migration of an older database, and the due days a change moves.
@Suite struct CalendarStoreTests {
    static func day(_ s: String) -> Day { Day(s)! }

    // MARK: The shipped calendar

    @Test func tet2027IsExpectedThursdayToWednesday() throws {
        let days = try BundledData.holidays()
        let byDay = Dictionary(uniqueKeysWithValues: days.map { ($0.day, $0) })
        // Mùng 1 Đinh Mùi is Saturday 6 February 2027; 2020 and 2024 ran Thursday to Wednesday.
        #expect(Self.day("2027-02-06").weekday == 6)
        for d in ["2027-02-04", "2027-02-05", "2027-02-06", "2027-02-07", "2027-02-08", "2027-02-09", "2027-02-10"] {
            let e = try #require(byDay[Self.day(d)], "\(d) is in the shipped calendar")
            #expect(e.kind == .holiday && e.standing == .expected && e.document == nil && e.note != nil, "\(d)")
            #expect(e.name.contains("Đinh Mùi"))
        }
        #expect(byDay[Self.day("2027-02-11")] == nil, "Thursday 11 February 2027 is a working day")
        #expect(byDay[Self.day("2027-02-03")] == nil)
        let cal = WorkingCalendar(exceptions: days)
        // Wednesday 3 February + 1 working day is Thursday 11 February.
        #expect(cal.add(1, to: Self.day("2027-02-03"), counting: .working) == Self.day("2027-02-11"))
        // Giỗ Tổ 10/3 Đinh Mùi: Friday 16 April 2027; 1 May 2027 is a Saturday, Monday 3 May off.
        #expect(byDay[Self.day("2027-04-16")]?.standing == .expected)
        #expect(byDay[Self.day("2027-05-03")]?.kind == .holiday)
        #expect(byDay[Self.day("2027-09-03")]?.kind == .holiday)
        // Every 2025 and 2026 day is announced, with its document.
        for e in days where e.day.year < 2027 {
            #expect(e.standing == .announced && !(e.document ?? "").isEmpty, "\(e.day)")
        }
        #expect(cal.coveredYears == [2025, 2026, 2027])
        #expect(cal.horizon == Self.day("2027-12-31"))
    }

    @Test func vietnamCultureDayIsLoadableNotADefault() throws {
        let file = try BundledData.calendarFile("calendar/ngay-van-hoa-viet-nam.json")
        #expect(file.map(\.day) == [Self.day("2027-11-24")])
        #expect(file[0].standing == .expected && file[0].note?.contains("80-NQ/TW") == true)
        #expect(try BundledData.holidays().contains { $0.day.month == 11 && $0.day.dayOfMonth == 24 } == false)
        let db = try Fixtures.demo()
        #expect(try db.calendarEntries(year: 2027).contains { $0.day == Self.day("2027-11-24") } == false)
        let admin = try Fixtures.official(db, "taphuan")
        let r = try db.calendarImport(from: BundledData.url("calendar/ngay-van-hoa-viet-nam.json"), reason: "Quyết định của UBND",
                                      by: admin, at: Fixtures.now)
        #expect(r.added == 1)
        #expect(try !db.reference().calendar.isWorkingDay(Self.day("2027-11-24")))
    }

    // MARK: Changes, recorded

    @Test func addUpdateRemoveAreRecordedAndChained() throws {
        let db = try Fixtures.demo()
        let admin = try Fixtures.official(db, "taphuan")
        let before = try db.accessLog(limit: 1000).count
        let add = try db.calendarAdd(CalendarEntryInput(day: "2027-12-31", kind: "holiday", name: "Nghỉ thử", standing: "expected"),
                                     reason: "Thử nghiệm", by: admin, at: Fixtures.now)
        #expect(add.added == 1)
        let e = try #require(try db.calendarEntries(year: 2027).first { $0.day == Self.day("2027-12-31") })
        #expect(e.standing == .expected && e.note == "Thử nghiệm", "an expected day takes the reason as its note")

        let upd = try db.calendarAdd(CalendarEntryInput(day: "2027-12-31", kind: "holiday", name: "Nghỉ thử",
                                                        standing: "announced", document: "Thông báo 1/TB-BNV"),
                                     reason: "Đã công bố", by: admin, at: Fixtures.now)
        #expect(upd.updated == 1 && upd.added == 0)
        let same = try db.calendarAdd(CalendarEntryInput(day: "2027-12-31", kind: "holiday", name: "Nghỉ thử",
                                                         standing: "announced", document: "Thông báo 1/TB-BNV"),
                                      reason: "Lặp lại", by: admin, at: Fixtures.now)
        #expect(same.unchanged == 1)
        let rm = try db.calendarRemove(day: "2027-12-31", reason: "Nhầm ngày", by: admin, at: Fixtures.now)
        #expect(rm.changes.first?.after == nil)

        let log = try db.accessLog(limit: 1000)
        #expect(log.count == before + 3, "add, update, remove; the unchanged add writes nothing")
        let mine = Array(log.prefix(3))
        #expect(mine.map(\.action) == [.calendarRemove, .calendarUpdate, .calendarAdd])
        #expect(mine.allSatisfy { $0.login == "taphuan" && $0.target == "2027-12-31" })
        #expect(mine[0].note?.hasPrefix("Nhầm ngày | holiday \"Nghỉ thử\" announced: Thông báo 1/TB-BNV → —") == true)
        #expect(mine[1].note?.contains("expected (Thử nghiệm) → holiday \"Nghỉ thử\" announced: Thông báo 1/TB-BNV") == true)
        #expect(mine[2].note?.hasPrefix("Thử nghiệm | — → holiday") == true)
        #expect(try db.checkAccessChain().ok && db.checkChain().ok)
        #expect(try db.calendarEntries(year: 2027).contains { $0.day == Self.day("2027-12-31") } == false)
    }

    @Test func refusedWithoutManageRulesRecordedAndNothingWritten() throws {
        let db = try Fixtures.demo()
        let clerk = try Fixtures.official(db, "vanthu.hoankiem")
        let days = try db.calendarEntries()
        let headBefore = try db.accessLog(limit: 1).first?.id ?? 0
        #expect(throws: StoreError.self) {
            try db.calendarAdd(CalendarEntryInput(day: "2027-12-31", kind: "holiday", name: "X", standing: "expected"),
                               reason: "r", by: clerk, at: Fixtures.now)
        }
        #expect(throws: StoreError.self) { try db.calendarRemove(day: "2027-02-04", reason: "r", by: clerk, at: Fixtures.now) }
        #expect(try db.calendarEntries() == days)
        let log = try db.accessLog(limit: 10).filter { $0.id > headBefore }
        #expect(log.map(\.action) == [.refused, .refused])
        #expect(log.map(\.target) == ["calendar remove 2027-02-04", "calendar add 2027-12-31"])
        #expect(try db.checkAccessChain().ok)
    }

    @Test func aBadFileNamesItsLineAndWritesNothing() throws {
        let db = try Fixtures.demo()
        let admin = try Fixtures.official(db, "taphuan")
        let dir = TestScratch.folder("pakn-tests").appendingPathComponent("cal-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let cases: [(String, String, Int, String)] = [
            ("bad-day.json", """
             [
               {"day": "2027-11-24", "kind": "holiday", "name": "A", "standing": "expected", "note": "n"},
               {"day": "2027-11-25",
                "kind": "holiday", "name": "B", "standing": "expected", "note": "n"},
               {"day": "2027-02-30", "kind": "holiday", "name": "C", "standing": "expected", "note": "n"}
             ]
             """, 5, "calendar.err.day"),
            ("bad-kind.csv", "day,kind,name,standing,document,note\n2027-11-24,holiday,A,expected,,n\n2027-11-25,nghi,B,expected,,n\n", 3, "calendar.err.kind"),
            ("no-doc.csv", "day,kind,name,standing,document,note\n2027-11-24,holiday,A,announced,,\n", 2, "calendar.err.document"),
            ("twice.csv", "day,kind,name,standing,note\n2027-11-24,holiday,A,expected,n\n2027-11-24,workday,B,expected,n\n", 3, "calendar.err.twice"),
            ("header.csv", "ngay,loai\n2027-11-24,holiday\n", 1, "calendar.err.csv_header"),
        ]
        let days = try db.calendarEntries()
        let head = try db.accessHead()
        for (name, text, line, key) in cases {
            let url = dir.appendingPathComponent(name)
            try text.write(to: url, atomically: true, encoding: .utf8)
            do {
                try db.calendarImport(from: url, reason: "Nạp", by: admin, at: Fixtures.now)
                Issue.record("\(name) was accepted")
            } catch let StoreError.badData(file, l, reason) {
                #expect(file == url.path && l == line && reason.key == key, "\(name): line \(l) \(reason.key)")
            }
        }
        #expect(try db.calendarEntries() == days)
        #expect(try db.accessHead() == head)
    }

    @Test func importIsAllOrNothingAndAReimportIsAnUpdate() throws {
        let db = try Fixtures.demo()
        let admin = try Fixtures.official(db, "taphuan")
        let url = TestScratch.folder("pakn-tests").appendingPathComponent("cal-\(UUID().uuidString).csv")
        try """
        day,kind,name,standing,document,note
        2027-02-04,holiday,Tết Nguyên đán Đinh Mùi (28 tháng Chạp),announced,Thông báo 9999/TB-BNV,
        2027-12-31,holiday,Nghỉ thử,expected,,Thử
        """.write(to: url, atomically: true, encoding: .utf8)
        let r = try db.calendarImport(from: url, reason: "Lịch 2027 đã công bố", by: admin, at: Fixtures.now)
        #expect(r.added == 1 && r.updated == 1 && r.unchanged == 0)
        let again = try db.calendarImport(from: url, reason: "Lặp", by: admin, at: Fixtures.now)
        #expect(again.unchanged == 2 && again.added == 0 && again.updated == 0)
        let log = try db.accessLog(limit: 2)
        #expect(Set(log.map(\.action)) == [.calendarAdd, .calendarUpdate])
        #expect(log.allSatisfy { $0.note?.hasPrefix("import \(url.lastPathComponent): Lịch 2027 đã công bố | ") == true })
        #expect(try db.calendarEntries(year: 2027).first { $0.day == Self.day("2027-02-04") }?.document == "Thông báo 9999/TB-BNV")
        #expect(try db.checkAccessChain().ok)
    }

    /// A holiday added inside an open case's clock moves its stored due instant, and the
    /// access-log entry names the case.
    @Test func aChangeRecomputesTheDueDaysItMoves() throws {
        let db = try Fixtures.demo()
        let admin = try Fixtures.official(db, "taphuan")
        let ref = try db.reference()
        let open = try db.pool.read { d in
            try Row.fetchAll(d, sql: "SELECT * FROM pakn_case WHERE done = 0 AND counting = 'working' ORDER BY id LIMIT 50")
        }
        let r = try #require(open.first { row in
            let dl = CaseRow.deadline(row)
            return dl.dueDay(in: ref.calendar).ordinal - dl.start.ordinal >= 3
        })
        let id: Int64 = r["id"]
        let clock = CaseRow.deadline(r)
        let due = clock.dueDay(in: ref.calendar)
        // A working day inside the clock.
        var inside = clock.start.adding(1)
        while !ref.calendar.isWorkingDay(inside) { inside = inside.adding(1) }
        let result = try db.calendarAdd(CalendarEntryInput(day: inside.description, kind: "holiday", name: "Nghỉ đột xuất",
                                                           standing: "announced", document: "Quyết định thử"),
                                        reason: "Thử", by: admin, at: Fixtures.now)
        #expect(result.redated >= 1)
        let newDue: Int64 = try db.pool.read { try Int64.fetchOne($0, sql: "SELECT due_at FROM pakn_case WHERE id = ?", arguments: [id]) ?? 0 }
        let expected = clock.dueDay(in: try db.reference().calendar)
        #expect(expected > due)
        #expect(newDue == CaseRow.secs(expected.end))
        #expect(try db.accessLog(limit: 1).first?.caseIds.contains(id) == true)
        #expect(try db.checkAccessChain().ok)
    }

    // MARK: Migration

    /// A database made before v5: the shipped days as pakn shipped them, one day an admin
    /// entered, and one shipped day an admin changed.
    @Test func aV4DatabaseGetsStandingsAndTheNew2027Projection() throws {
        let path = Fixtures.tempPath("v4-calendar")
        let queue = try DatabaseQueue(path: path)
        try Schema.migrator.migrate(queue, upTo: "v4-compact-storage")
        struct Old: Decodable { var day: String; var kind: String; var name: String }
        let old = try JSONDecoder().decode([Old].self, from: BundledData.data("calendar/holidays-before-v5.json"))
        #expect(old.contains { $0.day == "2027-02-11" })
        try queue.write { d in
            for o in old where o.day != "2026-09-02" {
                try d.execute(sql: "INSERT INTO calendar_exception(day, kind, name) VALUES (?, ?, ?)", arguments: [o.day, o.kind, o.name])
            }
            try d.execute(sql: "INSERT INTO calendar_exception(day, kind, name) VALUES ('2026-09-02', 'holiday', 'Quốc khánh (sửa tay)')")
            try d.execute(sql: "INSERT INTO calendar_exception(day, kind, name) VALUES ('2026-11-24', 'holiday', 'Ngày Văn hóa Việt Nam')")
        }
        try queue.close()

        let db = try AppDatabase(path: path, create: false)
        let days = Dictionary(uniqueKeysWithValues: try db.calendarEntries().map { ($0.day.description, $0) })
        // The shipped days follow the new file, with their standing.
        #expect(days["2026-02-17"]?.standing == .announced)
        #expect(days["2026-02-17"]?.document?.contains("9441/TB-BNV") == true)
        #expect(days["2027-02-04"]?.standing == .expected, "the new projection's first day is added")
        #expect(days["2027-02-11"] == nil, "the old projection's last day is gone")
        #expect(days["2027-05-01"] != nil)
        // What an admin entered or changed stays, marked for checking.
        #expect(days["2026-09-02"]?.name == "Quốc khánh (sửa tay)")
        #expect(days["2026-11-24"]?.standing == .expected && days["2026-11-24"]?.note?.contains("v5-calendar") == true)
        // Every change of a day, kind or name is in the access log, and the chain holds.
        let log = try db.accessLog(limit: 1000)
        #expect(log.allSatisfy { $0.login == CalendarMigration.login })
        #expect(log.contains { $0.action == .calendarRemove && $0.target == "2027-02-11" })
        #expect(log.contains { $0.action == .calendarAdd && $0.target == "2027-02-04" })
        #expect(!log.contains { $0.target == "2026-09-02" || $0.target == "2026-11-24" })
        #expect(try db.checkAccessChain().ok)
        // The calendar the workflow uses equals the shipped one on the shipped days.
        let cal = try db.reference().calendar
        for e in try BundledData.holidays() where e.day.description != "2026-09-02" {
            #expect(cal.exception(on: e.day) == e, "\(e.day)")
        }
    }
}
