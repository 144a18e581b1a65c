import Foundation
import GRDB
import PaknCore
import Testing
@testable import PaknStore

/// Issue 15, "Duplicates at intake": the open cases of a ward that look like the petition
/// being typed, a case merged into one of them as it is taken in, and the master's answer
/// recorded for the reporter of every case merged into it.
@Suite struct IntakeDuplicatesTests {
    static let streetLight = "Đèn đường hỏng nhiều ngày trên phố Hàng Bông"

    func ward(_ db: AppDatabase, _ code: String) throws -> OrgUnit { try #require(try db.unit(code: code)) }

    @Test func theWardsOpenCasesWithTheSameWordsAreCandidates() throws {
        let db = try Fixtures.demo()
        let clerk = try Fixtures.official(db, "vanthu.hoankiem")
        let session = try db.session(login: "vanthu.hoankiem", now: Fixtures.now)
        let hoanKiem = try ward(db, "00070")
        let light = try db.intake(Fixtures.draft(title: Self.streetLight, category: "urban_order"), by: clerk, at: Fixtures.now)
        let rubbish = try db.intake(Fixtures.draft(), by: clerk, at: Fixtures.now)
        // The same street is not the same petition (its name is a quarter of the words at most).
        let flood = try db.intake(Fixtures.draft(title: "Ngập nước sau mưa trên phố Hàng Bông", category: "urban_order"), by: clerk,
                                  at: Fixtures.now)
        // The same words in another ward are another petition.
        let admin = try Fixtures.official(db, "taphuan")
        let elsewhere = try db.intake(Fixtures.draft(title: Self.streetLight, category: "urban_order", ward: "00004"), by: admin,
                                      at: Fixtures.now)

        // Accents optional, NFD as NFC, other words around them.
        for typed in ["den duong hong", "Đèn đường bị hỏng", "ĐÈN ĐƯỜNG HỎNG".decomposedStringWithCanonicalMapping,
                      "Phố Hàng Bông tối om vì đèn đường hỏng"] {
            let found = try session.duplicateCandidates(title: typed, wardId: hoanKiem.id)
            #expect(found.first?.code == light.code, "\(typed)")
            #expect(!found.map(\.code).contains(rubbish.code), "\(typed)")
            // Only a title that names the street too may list the flood, after the light.
            if !typed.contains("Hàng Bông") { #expect(!found.map(\.code).contains(flood.code), "\(typed)") }
            #expect(!found.map(\.code).contains(elsewhere.code), "\(typed)")
            #expect(found.count <= 5)
        }
        #expect(try !session.duplicateCandidates(title: "Đèn chiếu sáng ngõ 12 Hàng Bông hỏng nhiều ngày", wardId: hoanKiem.id)
            .map(\.code).contains(flood.code))
        // One word says nothing yet; a title sharing one word is no duplicate.
        #expect(try session.duplicateCandidates(title: "đèn", wardId: hoanKiem.id).isEmpty)
        #expect(try !session.duplicateCandidates(title: "Đèn trang trí", wardId: hoanKiem.id).map(\.code).contains(light.code))
        // The best match first; the case itself is left out when asked.
        let best = try session.duplicateCandidates(title: Self.streetLight, wardId: hoanKiem.id)
        #expect(best.first?.code == light.code)
        #expect(try !session.duplicateCandidates(title: Self.streetLight, wardId: hoanKiem.id, excluding: light.id, limit: 5)
            .map(\.code).contains(light.code))
        // A ward outside the official's units lists nothing.
        #expect(try session.duplicateCandidates(title: Self.streetLight, wardId: try ward(db, "00004").id).isEmpty)
    }

    @Test func atMostFiveOpenCasesNewestFirstFromTheIndex() throws {
        let db = try Fixtures.demo()
        let clerk = try Fixtures.official(db, "vanthu.hoankiem")
        let session = try db.session(login: "vanthu.hoankiem", now: Fixtures.now)
        let hoanKiem = try ward(db, "00070")
        var made: [Case] = []
        for i in 0..<7 {
            made.append(try db.intake(Fixtures.draft(title: Self.streetLight + " (lần \(i + 1))", category: "urban_order"), by: clerk,
                                      at: Fixtures.now.addingTimeInterval(Double(i) * 60)))
        }
        // A case that is done (here: merged) is no candidate.
        try db.perform(.merge(masterId: made[0].id), on: made[6].code, by: clerk, at: Fixtures.now.addingTimeInterval(600))
        let found = try session.duplicateCandidates(title: Self.streetLight, wardId: hoanKiem.id)
        #expect(found.count == 5)
        #expect(!found.map(\.code).contains(made[6].code))
        // Equally alike: the newest first.
        #expect(found.map(\.code) == made[1...5].reversed().map(\.code))
        // The query reads the ward's open cases from their own index, never the whole table.
        let plan = try db.pool.read { d in
            try Row.fetchAll(d, sql: "EXPLAIN QUERY PLAN SELECT id FROM pakn_case INDEXED BY case_ward_open WHERE ward_id = ? AND ward_id IS NOT NULL AND done = 0 ORDER BY received_at DESC LIMIT 400",
                             arguments: [hoanKiem.id]).map { $0["detail"] as String }
        }
        #expect(plan.contains { $0.contains("USING INDEX case_ward_open (ward_id=?)") }, "\(plan)")
        #expect(!plan.contains { $0.contains("TEMP B-TREE") }, "\(plan)")
    }

    @Test func aDuplicateIsMergedAsItIsTakenInOrNotAtAll() throws {
        let db = try Fixtures.demo()
        let clerk = try Fixtures.official(db, "vanthu.hoankiem")
        let session = try db.session(login: "vanthu.hoankiem", now: Fixtures.now)
        let master = try session.intake(Fixtures.draft(title: Self.streetLight, category: "urban_order"))
        var draft = Fixtures.draft(title: "Đèn đường hỏng phố Hàng Bông", category: "urban_order")
        draft.duplicateOf = master.code
        let dup = try session.intake(draft)
        #expect(dup.status == .merged)
        #expect(dup.masterId == master.id)
        let d = try db.detail(caseRef: master.code, viewer: clerk, now: Fixtures.now)
        #expect(d.duplicates.map(\.code) == [dup.code])
        #expect(try session.history(caseRef: dup.code).map(\.event.action) == [.intake, .route, .merge])

        // A master that cannot take it (merged itself): nothing is written, not even the case.
        let cases = try db.pool.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM pakn_case")! }
        draft.duplicateOf = dup.code
        #expect(throws: StoreError.notMergeable(dup.code)) { try session.intake(draft) }
        draft.duplicateOf = "HN-2026-999999"
        #expect(throws: StoreError.self) { try session.intake(draft) }
        #expect(try db.pool.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM pakn_case")! } == cases)
        #expect(try db.checkConsistency().ok)
    }

    @Test func theMastersAnswerReachesTheReporterOfEveryMergedDuplicate() throws {
        let db = try Fixtures.demo()
        let clerk = try Fixtures.official(db, "vanthu.hoankiem")
        let handler = try Fixtures.official(db, "canbo.hoankiem.kt")
        var master = try db.intake(Fixtures.draft(title: Self.streetLight, category: "urban_order"), by: clerk, at: Fixtures.now)
        // One merged as it was taken in, one merged later; a third stays on its own.
        var first = Fixtures.draft(title: "Đèn đường phố Hàng Bông không sáng", category: "urban_order")
        first.duplicateOf = master.code
        first.reporter = Reporter(name: "Lê Văn Cường", phone: "0912345678")
        let merged1 = try db.intake(first, by: clerk, at: Fixtures.now)
        let other = try db.intake(Fixtures.draft(title: "Đèn đường hỏng ở ngõ Hàng Bông", category: "urban_order"), by: clerk,
                                  at: Fixtures.now)
        let merged2 = try db.intake(Fixtures.draft(title: "Hỏng đèn đường Hàng Bông", category: "urban_order"), by: clerk,
                                    at: Fixtures.now)
        try db.perform(.merge(masterId: master.id), on: merged2.code, by: clerk, at: Fixtures.now)
        let before = try db.pool.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM event")! }

        master = try db.perform(.assign(officialId: handler.id), on: master.code, by: clerk, at: Fixtures.now)
        master = try db.perform(.start, on: master.code, by: handler, at: Fixtures.now)
        // A reply refused (a stale version) passes nothing on.
        #expect(throws: StoreError.self) {
            try db.perform(.reply(text: "Sai phiên bản"), on: master.code, expectedVersion: master.version - 1, by: handler, at: Fixtures.now)
        }
        #expect(try db.detail(caseRef: merged1.code, viewer: clerk, now: Fixtures.now).case.reply == nil)

        let answer = "Đơn vị chiếu sáng đã thay bóng đèn trên phố Hàng Bông ngày 24/11."
        let later = Fixtures.now.addingTimeInterval(86400)
        master = try db.perform(.reply(text: answer), on: master.code, by: handler, at: later)
        let events = try db.pool.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM event")! }
        // assign, start, reply on the master; one reply on each duplicate.
        #expect(events == before + 5)
        for dup in [merged1, merged2] {
            let d = try db.detail(caseRef: dup.code, viewer: clerk, now: later)
            #expect(d.case.reply == answer)
            #expect(d.case.status == .merged)
            let last = try #require(d.history.last?.event)
            #expect(last.action == .reply)
            #expect(last.at == later && last.actorId == handler.id)
            #expect(last.note == L10n.t("intake.master_reply", .vi, master.code))
            #expect(last.changes["reply"]?.after == answer)
        }
        #expect(try db.detail(caseRef: other.code, viewer: clerk, now: later).case.reply == nil)
        // Chained like any event; every case still replays to what its row holds.
        let report = try db.checkConsistency()
        #expect(report.ok, "\(report.lines(.en))")

        // A second answer (the master reopened and answered again) reaches them too.
        master = try db.perform(.reopen(reason: "Công dân báo đèn lại hỏng"), on: master.code, by: clerk, at: later)
        if master.status == .assigned { master = try db.perform(.start, on: master.code, by: handler, at: later) }
        _ = try db.perform(.reply(text: answer + " Đã kiểm tra lại."), on: master.code, by: handler, at: later)
        #expect(try db.detail(caseRef: merged1.code, viewer: clerk, now: later).case.reply == answer + " Đã kiểm tra lại.")
        #expect(try db.checkConsistency().ok)

        // Merged after the answer (at intake, or later): the answer comes with the merge.
        var late = Fixtures.draft(title: "Đèn đường Hàng Bông vẫn hỏng", category: "urban_order")
        late.duplicateOf = master.code
        let atIntake = try db.intake(late, by: clerk, at: later)
        #expect(atIntake.reply == answer + " Đã kiểm tra lại.")
        let afterwards = try db.intake(Fixtures.draft(title: "Hàng Bông mất đèn", category: "urban_order"), by: clerk, at: later)
        let merged = try db.perform(.merge(masterId: master.id), on: afterwards.code, by: clerk, at: later)
        #expect(merged.reply == answer + " Đã kiểm tra lại.")
        #expect(try db.history(caseRef: afterwards.code, viewer: clerk).map(\.event.action) == [.intake, .route, .merge, .reply])
        #expect(try db.resolveCase(afterwards.code, viewer: clerk, at: later).version == merged.version)
        #expect(try db.checkConsistency().ok)
    }
}
