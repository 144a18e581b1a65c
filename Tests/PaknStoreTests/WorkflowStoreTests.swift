import Foundation
import GRDB
import PaknCore
import Testing
@testable import PaknStore

@Suite struct WorkflowStoreTests {
    func eventCount(_ db: AppDatabase) throws -> Int {
        try db.pool.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM event")! }
    }

    @Test func autoRoutingSendsFeedbackToTheWardDepartment() throws {
        let db = try Fixtures.production()
        let me = try Fixtures.official(db, "tester")
        let c = try db.intake(Fixtures.draft(category: "environment"), by: me, at: Fixtures.now)
        let unit = try #require(try db.unit(id: c.unitId!))
        let expected = try BundledData.routing().first { $0.category == "environment" && ($0.kind == nil || $0.kind == .feedback) }
        #expect(c.status == .routed)
        #expect(unit.code == "00070-\(expected!.department)")
        let history = try db.history(caseRef: c.code, viewer: try Fixtures.official(db, Fixtures.adminLogin(db)))
        #expect(history.map(\.event.action) == [.intake, .route])
    }

    @Test func intakeWithoutRoutingWaitsForTriage() throws {
        let db = try Fixtures.production()
        let c = try db.intake(Fixtures.draft(routing: .none), by: try Fixtures.official(db, "tester"), at: Fixtures.now)
        #expect(c.status == .received)
        #expect(try db.unit(id: c.unitId!)?.code == "00070")
    }

    @Test func denunciationsAreAlwaysConfidential() throws {
        let db = try Fixtures.production()
        let me = try Fixtures.official(db, "tester")
        let c = try db.intake(Fixtures.draft(kind: .denunciation, category: "land"), by: me, at: Fixtures.now)
        #expect(c.confidential)
        let d = try db.detail(caseRef: c.code, viewer: me, now: Fixtures.now)
        #expect(d.reporter?.name == nil)
        #expect(d.reporter?.confidential == true)
    }

    @Test func badIntakeWritesNothing() throws {
        let db = try Fixtures.production()
        let me = try Fixtures.official(db, "tester")
        let before = try eventCount(db)
        #expect(throws: StoreError.unknownUnit("12345")) { _ = try db.intake(Fixtures.draft(ward: "12345"), by: me, at: Fixtures.now) }
        #expect(throws: StoreError.unknownCategory("weather")) { _ = try db.intake(Fixtures.draft(category: "weather"), by: me, at: Fixtures.now) }
        #expect(throws: StoreError.missingField("title")) { _ = try db.intake(Fixtures.draft(title: " \u{1B}\u{07}\u{9B} "), by: me, at: Fixtures.now) }
        #expect(throws: StoreError.unknownUnit("nope")) { _ = try db.intake(Fixtures.draft(routing: .unit("nope")), by: me, at: Fixtures.now) }
        #expect(try eventCount(db) == before)
        #expect(try db.count(QueueFilter(), now: Fixtures.now) == 0)
        // The sequence did not advance either: the next good case is number 1.
        #expect(try db.intake(Fixtures.draft(), by: me, at: Fixtures.now).code.hasSuffix("000001"))
    }

    @Test func citizenTextIsStoredCleanAndNFC() throws {
        let db = try Fixtures.production()
        let nfd = "Đường ngập nước".decomposedStringWithCanonicalMapping
        let c = try db.intake(Fixtures.draft(title: nfd + " \u{1B}]52;c;SGVsbG8=\u{07}", body: "Dòng 1\r\nDòng 2\u{202E}đảo"),
                              by: try Fixtures.official(db, "tester"), at: Fixtures.now)
        let stored = try db.resolveCase(c.code)
        #expect(stored.title.unicodeScalars.allSatisfy { !CitizenText.isUnsafe($0) })
        #expect(stored.title.hasPrefix("Đường ngập nước".precomposedStringWithCanonicalMapping))
        #expect(stored.title == stored.title.precomposedStringWithCanonicalMapping)
        #expect(stored.body == "Dòng 1\nDòng 2đảo")
    }

    @Test func fullLifecycleThroughTheStore() throws {
        let db = try Fixtures.demo()
        let clerk = try Fixtures.official(db, "vanthu.hoankiem")
        let handler = try Fixtures.official(db, "canbo.hoankiem.kt")
        var c = try db.intake(Fixtures.draft(category: "urban_order"), by: clerk, at: Fixtures.now)
        c = try db.perform(.assign(officialId: handler.id), on: c.code, expectedVersion: c.version, by: clerk, at: Fixtures.now)
        #expect(c.status == .assigned)
        c = try db.perform(.start, on: c.code, by: handler, at: Fixtures.now)
        c = try db.perform(.reply(text: "Đã xử lý xong."), on: c.code, by: handler, at: Fixtures.now)
        #expect(c.status == .resolved)
        c = try db.perform(.close, on: c.code, by: clerk, at: Fixtures.now)
        c = try db.perform(.rate(Rating(score: 5, reasons: [.satisfied])), on: c.code, by: clerk, at: Fixtures.now)
        #expect(c.status == .closed)
        #expect(c.rating == 5)
        let events = try db.history(caseRef: c.code, viewer: try Fixtures.official(db, Fixtures.adminLogin(db))).map(\.event)
        #expect(events.map(\.action) == [.intake, .route, .assign, .start, .reply, .close, .rate])
        #expect(CaseSnapshot.replay(events.map(\.draft)) == CaseSnapshot.of(c))
    }

    @Test func assigningOutsideTheUnitIsRefusedAndChangesNothing() throws {
        let db = try Fixtures.demo()
        let clerk = try Fixtures.official(db, "vanthu.hoankiem")
        let c = try db.intake(Fixtures.draft(), by: clerk, at: Fixtures.now)
        let stranger = try Fixtures.official(db, "canbo.badinh.kt")
        let before = try eventCount(db)
        #expect(throws: StoreError.self) {
            try db.perform(.assign(officialId: stranger.id), on: c.code, by: clerk, at: Fixtures.now)
        }
        #expect(try db.resolveCase(c.code) == c)
        #expect(try eventCount(db) == before)
    }

    @Test func aStaleVersionIsAConflict() throws {
        let db = try Fixtures.demo()
        let clerk = try Fixtures.official(db, "vanthu.hoankiem")
        let c = try db.intake(Fixtures.draft(), by: clerk, at: Fixtures.now)
        try db.perform(.note(text: "Đã gọi điện cho công dân."), on: c.code, expectedVersion: c.version, by: clerk, at: Fixtures.now)
        #expect(throws: StoreError.conflict(code: c.code, expected: c.version, found: c.version + 1)) {
            try db.perform(.note(text: "Ghi chú thứ hai"), on: c.code, expectedVersion: c.version, by: clerk, at: Fixtures.now)
        }
    }

    @Test func aRefusedPermissionIsRecorded() throws {
        let db = try Fixtures.demo()
        let clerk = try Fixtures.official(db, "vanthu.hoankiem")
        let viewer = try Fixtures.official(db, "xem.hanoi")
        let c = try db.intake(Fixtures.draft(), by: clerk, at: Fixtures.now)
        #expect(throws: StoreError.permissionDenied(login: "xem.hanoi", permission: .assign, unit: try db.unit(id: c.unitId!)!.label)) {
            try db.perform(.assign(officialId: clerk.id), on: c.code, by: viewer, at: Fixtures.now)
        }
        let last = try #require(try db.history(caseRef: c.code, viewer: try Fixtures.official(db, Fixtures.adminLogin(db))).last)
        #expect(last.event.action == .refused)
        #expect(last.event.actorId == viewer.id)
        #expect(try db.resolveCase(c.code).version == c.version)
    }

    @Test func aClerkCannotActOutsideTheirWard() throws {
        let db = try Fixtures.demo()
        let hk = try Fixtures.official(db, "vanthu.hoankiem")
        let bd = try Fixtures.official(db, "vanthu.badinh")
        let c = try db.intake(Fixtures.draft(ward: "00070"), by: hk, at: Fixtures.now)
        #expect(throws: StoreError.outOfScope(login: "vanthu.badinh", code: c.code)) {
            try db.perform(.note(text: "x"), on: c.code, by: bd, at: Fixtures.now)
        }
    }

    @Test func escalationGoesToTheProvince() throws {
        let db = try Fixtures.demo()
        let clerk = try Fixtures.official(db, "vanthu.hoankiem")
        let supervisor = try Fixtures.official(db, "lanhdao.hoankiem")
        let c = try db.intake(Fixtures.draft(), by: clerk, at: Fixtures.now)
        #expect(throws: StoreError.self) {
            try db.perform(.escalate(parentUnitId: 0, reason: "Vượt thẩm quyền phường"), on: c.code, by: clerk, at: Fixtures.now)
        }
        let up = try db.perform(.escalate(parentUnitId: 0, reason: "Vượt thẩm quyền phường"), on: c.code, by: supervisor, at: Fixtures.now)
        #expect(try db.unit(id: up.unitId!)?.code == "01")
        #expect(up.status == .routed)
    }

    @Test func mergeLinksTheDuplicate() throws {
        let db = try Fixtures.demo()
        let clerk = try Fixtures.official(db, "vanthu.hoankiem")
        let master = try db.intake(Fixtures.draft(), by: clerk, at: Fixtures.now)
        let dup = try db.intake(Fixtures.draft(), by: clerk, at: Fixtures.now)
        try db.perform(.merge(masterId: master.id), on: dup.code, by: clerk, at: Fixtures.now)
        let d = try db.detail(caseRef: master.code, viewer: clerk, now: Fixtures.now)
        #expect(d.duplicates.map(\.code) == [dup.code])
        let dd = try db.detail(caseRef: dup.code, viewer: clerk, now: Fixtures.now)
        #expect(dd.master?.code == master.code)
        #expect(dd.case.status == .merged)
        // Nothing can be merged into a merged case.
        let third = try db.intake(Fixtures.draft(), by: clerk, at: Fixtures.now)
        #expect(throws: StoreError.notMergeable(dup.code)) {
            try db.perform(.merge(masterId: dup.id), on: third.code, by: clerk, at: Fixtures.now)
        }
    }

    @Test func waitingPausesTheClockAcrossDays() throws {
        let db = try Fixtures.demo()
        let clerk = try Fixtures.official(db, "vanthu.hoankiem")
        let handler = try Fixtures.official(db, "canbo.hoankiem.kt")
        var c = try db.intake(Fixtures.draft(category: "urban_order"), by: clerk, at: Fixtures.now)
        c = try db.perform(.assign(officialId: handler.id), on: c.code, by: clerk, at: Fixtures.now)
        let due = c.dueAt
        c = try db.perform(.wait(request: "Đề nghị gửi ảnh hiện trường"), on: c.code, by: handler, at: Fixtures.now)
        // Monday 23/11 → Thursday 26/11: three working days paused.
        let later = Fixtures.now.addingTimeInterval(3 * 86400)
        c = try db.perform(.resume(note: nil), on: c.code, by: handler, at: later)
        let ref = try db.reference()
        #expect(c.deadline.pausedDays == 3)
        #expect(c.dueAt == ref.calendar.add(3, to: Day(due), counting: .working).end)
    }
}
