import Foundation
import GRDB
import PaknCore
import Testing
@testable import PaknStore

/// Administration is scoped like cases (issue 12): the database's rules, calendar and unit
/// tree are the admin's of the unit it serves, never a ward's; a denouncer is unsealed only
/// through the unit that handles the denunciation, whatever the path; every refusal is
/// recorded.
@Suite("Administration and reveals in scope")
struct AdminScopeTests {
    static let now = Fixtures.now

    /// A demo database with a ward-level admin of Hoàn Kiếm (added by the city trainer).
    static func setUp() throws -> (AppDatabase, wardAdmin: Official, city: Official) {
        let db = try Fixtures.demo()
        let city = try Fixtures.official(db, "taphuan")
        let wardAdmin = try db.addOfficial(login: "quantri.hoankiem", fullName: "Quản Trị Phường", unitCode: "00070",
                                           role: .admin, by: city, at: now)
        return (db, wardAdmin, city)
    }

    static func rulesFile(_ rules: [DeadlineRule]) throws -> URL {
        let url = URL(fileURLWithPath: Fixtures.tempPath("rules")).deletingPathExtension().appendingPathExtension("json")
        try JSONEncoder().encode(rules).write(to: url)
        return url
    }

    static func refusals(_ db: AppDatabase, _ login: String) throws -> [AccessEntry] {
        try db.accessLog(limit: 50).filter { $0.action == .refused && $0.login == login }
    }

    @Test func aWardAdminCannotRewriteTheNationalRulesAndTheTryIsRecorded() throws {
        let (db, wardAdmin, _) = try Self.setUp()
        var rule = try #require(try db.reference().rulebook.rule(id: "denunciation-2018"))
        rule.days = 1
        let url = try Self.rulesFile([rule])
        #expect(throws: StoreError.self) { try db.importRules(from: url, by: wardAdmin, at: Self.now) }
        #expect(try db.reference().rulebook.rule(id: "denunciation-2018")?.days == 30, "nothing written")
        #expect(try Self.refusals(db, wardAdmin.login).contains { $0.target?.hasPrefix("rules import") == true })
    }

    @Test func theCityAdminsRuleChangeIsRecordedWithItsDigests() throws {
        let (db, _, city) = try Self.setUp()
        var rule = try #require(try db.reference().rulebook.rule(id: "feedback-local"))
        rule.days = 12
        let url = try Self.rulesFile([rule])
        #expect(try db.importRules(from: url, by: city, at: Self.now) == 1)
        #expect(try db.reference().rulebook.rule(id: "feedback-local")?.days == 12)
        let entry = try #require(try db.accessLog(limit: 5).first { $0.action == .rulesImport })
        #expect(entry.target == "feedback-local" && entry.login == "taphuan" && entry.digest?.count == 64)
        #expect(try db.checkAccessChain().ok)
        // The same file again changes nothing and records nothing new.
        _ = try db.importRules(from: url, by: city, at: Self.now)
        #expect(try db.accessLog(limit: 50).filter { $0.action == .rulesImport }.count == 1)
    }

    @Test("A rule that makes no sense is refused whole", arguments: [0, -3, 5000])
    func badRulesAreRefusedBeforeAnythingIsWritten(days: Int) throws {
        let (db, _, city) = try Self.setUp()
        var good = try #require(try db.reference().rulebook.rule(id: "feedback-local"))
        good.days = 11
        var bad = try #require(try db.reference().rulebook.rule(id: "denunciation-2018"))
        bad.days = days
        let url = try Self.rulesFile([good, bad])
        #expect(throws: StoreError.self) { try db.importRules(from: url, by: city, at: Self.now) }
        #expect(try db.reference().rulebook.rule(id: "feedback-local")?.days == 10, "all or nothing")
    }

    @Test func aWardAdminCannotChangeTheCalendarOrTheUnitTreeButMayFlagTheirOwnWard() throws {
        let (db, wardAdmin, _) = try Self.setUp()
        let day = CalendarEntryInput(day: "2027-12-31", kind: "holiday", name: "Nghỉ thử", standing: "expected", note: "thử")
        #expect(throws: StoreError.self) { try db.calendarAdd(day, reason: "thử", by: wardAdmin, at: Self.now) }
        #expect(try !db.calendarEntries(year: 2027).contains { $0.day == Day("2027-12-31") })
        let changes = URL(fileURLWithPath: Fixtures.tempPath("changes")).deletingPathExtension().appendingPathExtension("json")
        try Data(#"{"document": "Thử", "effective": "2026-12-01", "code_changes": [{"old": "00235", "new": "99235"}]}"#.utf8)
            .write(to: changes)
        #expect(throws: StoreError.self) { try db.importUnitFile(changes, by: wardAdmin, at: Self.now) }
        #expect(try db.unit(code: "00235") != nil)
        #expect(try Self.refusals(db, wardAdmin.login).count >= 2)
        // Their own ward is theirs to flag; a neighbour is not.
        _ = try db.setRemote(codes: ["00070"], remote: true, reason: "Thử", by: wardAdmin, at: Self.now)
        #expect(try db.unit(code: "00070")?.remote == true)
        #expect(throws: StoreError.self) { try db.setRemote(codes: ["00004"], remote: true, reason: "Thử", by: wardAdmin, at: Self.now) }
    }

    /// A denunciation about Hoàn Kiếm, handled by the city inspectorate.
    static func cityDenunciation(_ db: AppDatabase) throws -> Case {
        _ = try Fixtures.official(db, "taphuan")
        let clerk = try Fixtures.official(db, "vanthu.hoankiem")
        var d = Fixtures.draft(title: "Tố cáo cán bộ địa chính nhận tiền", kind: .denunciation, category: "land")
        d.reporter = Reporter(name: "Nguyễn Thị Tố Cáo", phone: "0912345678")
        let c = try db.intake(d, by: clerk, at: Self.now)
        let unitId = try #require(c.unitId)
        let unit = try #require(try db.unit(id: unitId))
        #expect(unit.code.hasPrefix("01-"), "routed to a city body: \(unit.code)")
        return c
    }

    @Test func aWardSupervisorCannotUnsealADenouncerTheCityHandles() throws {
        let (db, _, city) = try Self.setUp()
        let c = try Self.cityDenunciation(db)
        let ward = try Fixtures.official(db, "lanhdao.hoankiem")
        #expect(throws: StoreError.self) { try db.revealReporter(caseRef: c.code, reason: "Kiểm tra", by: ward, at: Self.now) }
        let history = try db.history(caseRef: c.code, viewer: city)
        #expect(!history.contains { $0.event.action == .reveal })
        #expect(history.contains { $0.event.action == .refused })
        // The city, which handles it, may — and it is recorded.
        let r = try db.revealReporter(caseRef: c.code, reason: "Xác minh theo Điều 24", by: city, at: Self.now)
        #expect(r.name == "Nguyễn Thị Tố Cáo")
        #expect(try db.history(caseRef: c.code, viewer: city).contains { $0.event.action == .reveal })
    }

    @Test func aCitizenRequestNeitherConfirmsNorDeniesASealedIdentityOutsideScope() throws {
        let (db, _, city) = try Self.setUp()
        let c = try Self.cityDenunciation(db)
        let ward = try Fixtures.official(db, "lanhdao.hoankiem")
        let q = CitizenQuery(phone: "0912345678", name: "Nguyễn Thị Tố Cáo")
        let report = try db.citizenExport(q, reason: "Yêu cầu của công dân", by: ward, at: Self.now)
        #expect(report.held.isEmpty && report.outOfScope == 0, "no listing, no count")
        // A case code outside one's units reads like one that does not exist.
        let other = try db.intake(Fixtures.draft(ward: "00004"), by: city, at: Self.now)
        func message(_ ref: String) -> String? {
            do { _ = try db.citizenExport(CitizenQuery(phone: "0987654321", cases: [ref]), reason: "x", by: ward, at: Self.now) }
            catch let e as StoreError { return e.text(.en).replacingOccurrences(of: ref, with: "REF") } catch { return "\(error)" }
            return nil
        }
        #expect(message(other.code) != nil && message(other.code) == message("HN-2026-999999"))
        // The city lists it, and the unsealing is a reveal event on the case.
        let full = try db.citizenExport(q, reason: "Yêu cầu của người tố cáo", by: city, at: Self.now)
        #expect(full.held.map(\.case.code) == [c.code])
        #expect(try db.history(caseRef: c.code, viewer: city).contains { $0.event.action == .reveal })
    }
}

/// The chain covers a case's facts: an intake written from v5 on fixes them, so editing them
/// with sqlite3 is named by `audit verify`.
@Suite("Tampering with a case's facts")
struct FactsTamperTests {
    static let edits: [(String, String)] = [
        ("title", "UPDATE pakn_case SET title = 'Tiêu đề đã bị sửa' WHERE id = ?"),
        ("body", "UPDATE pakn_case SET body = 'Nội dung khác' WHERE id = ?"),
        ("received_at", "UPDATE pakn_case SET received_at = received_at + 86400 WHERE id = ?"),
        ("ward", "UPDATE pakn_case SET ward_id = (SELECT id FROM unit WHERE code = '00004') WHERE id = ?"),
        ("channel", "UPDATE pakn_case SET channel = 'letter' WHERE id = ?"),
        ("reporter", "UPDATE pakn_case SET reporter_id = NULL, anonymous = 1 WHERE id = ?"),
    ]

    @Test("An edited fact is named", arguments: edits.map(\.0))
    func anEditedFactIsNamed(field: String) throws {
        let db = try Fixtures.demo()
        let clerk = try Fixtures.official(db, "vanthu.hoankiem")
        let c = try db.intake(Fixtures.draft(), by: clerk, at: Fixtures.now)
        #expect(try db.checkChain().ok && db.verifyChain().firstBroken == nil)
        let sql = try #require(Self.edits.first { $0.0 == field }?.1)
        try db.pool.write { d in try d.execute(sql: sql, arguments: [c.id]) }
        let check = try db.checkChain()
        #expect(!check.ok && check.factsCase == c.code, "\(field)")
        #expect(check.text(.en).contains(c.code))
        #expect(try db.verifyChain().firstBroken != nil)
        #expect(try !db.checkConsistency().ok)
    }

    @Test func casesFromBulkLoadsAreCoveredToo() throws {
        // The demo's cases are written by the bulk writer.
        let db = try Fixtures.demo()
        let id = try #require(try db.pool.read { try Int64.fetchOne($0, sql: "SELECT min(id) FROM pakn_case") })
        #expect(try db.checkChain().ok)
        try db.pool.write { d in try d.execute(sql: "UPDATE pakn_case SET title = 'Sửa' WHERE id = ?", arguments: [id]) }
        #expect(try db.checkChain().factsCase != nil)
    }
}

/// Events may record more than a case's workflow fields (an attachment's digest, a notice's
/// purpose, an intake's facts marker); the full check still finds every case sound.
@Suite("Full check after attachments and notices")
struct ReplayExtrasTests {
    @Test func aCaseWithAnAttachmentAndANoticeStillMatchesItsHistory() throws {
        let db = try Fixtures.demo()
        let clerk = try Fixtures.official(db, "vanthu.hoankiem")
        let handler = try Fixtures.official(db, "taphuan")
        let c = try db.intake(Fixtures.draft(), by: clerk, at: Fixtures.now)
        let file = URL(fileURLWithPath: Fixtures.tempPath("anh")).deletingPathExtension().appendingPathExtension("txt")
        try Data("Ảnh hiện trường (mô tả)\n".utf8).write(to: file)
        _ = try db.attach(file, to: c.code, by: handler, at: Fixtures.now)
        try db.perform(.notify(text: "Ủy ban nhân dân phường Hoàn Kiếm đã tiếp nhận phản ánh của ông/bà.", purpose: .acknowledgement),
                       on: c.code, by: clerk, at: Fixtures.now)
        let report = try db.checkConsistency()
        #expect(report.ok, "\(report.lines(.en))")
        #expect(report.replayMismatches.isEmpty)
    }
}
