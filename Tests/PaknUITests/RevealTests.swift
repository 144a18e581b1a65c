import Foundation
import PaknCore
@testable import PaknStore
import Testing
@testable import PaknUI

/// Revealing a protected reporter from the desk (`V`, or `:reveal reason`): a reason is
/// required, the permission is checked before anything is asked, and the identity is shown
/// only while that case stays selected.
@Suite struct RevealTests {
    @Test func aSupervisorGivesAReasonAndSeesTheReporterUntilMovingOn() throws {
        let desk = FakeDesk(rows: DeskFixtures.rows(20), lang: .en)
        #expect(desk.screen.contains("T. T. B***"), "masked before")
        desk.send(.char("V"))
        guard case .prompt = desk.state.mode else { Issue.record("no prompt: \(desk.state.mode)"); return }
        #expect(desk.screen.contains("Why see the reporter of"))
        // An empty reason is refused; the prompt stays.
        desk.send(.enter)
        #expect(desk.reveals.isEmpty)
        guard case .prompt = desk.state.mode else { Issue.record("the prompt closed on an empty reason"); return }
        desk.type("Xác minh nội dung tố cáo")
        desk.send(.enter)
        let id = try #require(desk.state.selectedRow?.id)
        #expect(desk.reveals.count == 1 && desk.reveals[0].caseId == id && desk.reveals[0].reason == "Xác minh nội dung tố cáo")
        #expect(desk.screen.contains("Trần Thị Bình · 0987654321"))
        #expect(desk.screen.contains("revealed; recorded in the history"))
        #expect(!desk.screen.contains("T. T. B***"))
        // Asked again: already shown, nothing recorded twice.
        desk.send(.char("V"))
        #expect(desk.reveals.count == 1)
        // Moving on forgets it; coming back shows the masked reporter again.
        desk.send(.down)
        desk.send(.up)
        #expect(desk.state.selectedRow?.id == id)
        #expect(desk.screen.contains("T. T. B***"))
        #expect(!desk.screen.contains("Trần Thị Bình"))
    }

    @Test func aReasonCanComeWithTheCommand() {
        let desk = FakeDesk(rows: DeskFixtures.rows(5))
        desk.send(.char(":"))
        desk.type("reveal Kiểm tra đơn trùng")
        desk.send(.enter)
        #expect(desk.reveals.map(\.reason) == ["Kiểm tra đơn trùng"])
        #expect(desk.screen.contains("Trần Thị Bình"))
    }

    @Test func withoutThePermissionNothingIsAskedOrRecorded() {
        let desk = FakeDesk(rows: DeskFixtures.rows(5), me: DeskFixtures.handler, lang: .en)
        desk.send(.char("V"))
        #expect(desk.state.mode == .normal)
        #expect(desk.reveals.isEmpty)
        #expect(desk.state.notice?.isError == true)
    }

    @Test func aRefusalFromTheStoreIsShownAndRevealsNothing() {
        let desk = FakeDesk(rows: DeskFixtures.rows(5), lang: .en)
        desk.failWith = Notice(vi: "Hồ sơ ẩn danh", en: "The case is anonymous", isError: true)
        desk.send(.char("V"))
        desk.type("lý do")
        desk.send(.enter)
        #expect(desk.reveals.count == 1)
        #expect(desk.state.revealed == nil)
        #expect(desk.screen.contains("The case is anonymous"))
        #expect(desk.screen.contains("T. T. B***"))
    }
}

/// The same on a real database: the reveal and its reason go into the case's history, a
/// reporter already shown in full is not "revealed" again, and a clerk is refused.
@Suite("Reveal at the desk against a demo database", .serialized)
struct RevealRunnerTests {
    @Test func aSealedDenouncerIsShownToTheSupervisorWithARecord() throws {
        let db = try DemoDB.copy()
        let clerk = try DemoDB.official(db, "vanthu.hoankiem")
        let c = try db.intake(IntakeDraft(title: "Tố cáo cán bộ địa chính nhận tiền", body: "Người tố cáo đề nghị giữ bí mật.",
                                          kind: .denunciation, category: "land", channel: .walkIn, wardCode: "00070",
                                          reporter: Reporter(name: "Phạm Thị Quỳnh Hoa", phone: "0912 345 678"), routing: .none),
                              by: clerk, at: DemoDB.now)
        func reveals() throws -> [String] {
            try db.pool.read { d in
                try Int64.fetchAll(d, sql: "SELECT id FROM event WHERE case_id = ? AND action = 'reveal'", arguments: [c.id]).map(String.init)
            }
        }
        let r = try DemoDB.runner(db, "lanhdao.hoankiem", width: 120, height: 40, lang: .en)
        r.send(.char(":"))
        for ch in "goto \(c.code)" { r.send(.char(ch)) }
        r.send(.enter)
        #expect(r.state.selectedRow?.id == c.id, "\(String(describing: r.state.notice))")
        #expect(r.frame().text.contains("identity sealed by law"))
        #expect(!r.frame().text.contains("Quỳnh Hoa"))
        r.send(.char("V"))
        for ch in "Mời người tố cáo đến làm việc" { r.send(.char(ch)) }
        r.send(.enter)
        let screen = r.frame().text
        #expect(screen.contains("Phạm Thị Quỳnh Hoa · 0912 345 678"), "\(screen)")
        #expect(screen.contains("revealed and recorded"))
        #expect(try reveals().count == 1)
        let history = try #require(r.state.selectedDetail?.history)
        #expect(history.last?.event.action == .reveal && history.last?.event.note == "Mời người tố cáo đến làm việc")

        // A reporter the supervisor already sees in full: nothing to reveal, nothing recorded.
        let open = try db.intake(IntakeDraft(title: "Đèn đường hỏng trên phố Hàng Bài", body: "Đèn hỏng đã một tuần.",
                                             kind: .feedback, category: "urban_order", channel: .hotline, wardCode: "00070",
                                             reporter: Reporter(name: "Lê Văn Tám", phone: "0904 111 222"), routing: .none),
                                 by: clerk, at: DemoDB.now)
        r.send(.char(":"))
        for ch in "goto \(open.code)" { r.send(.char(ch)) }
        r.send(.enter)
        #expect(r.frame().text.contains("Lê Văn Tám · 0904 111 222"))
        r.send(.char("V"))
        #expect(r.state.mode == .normal && r.frame().text.contains("nothing to reveal"))
        let openReveals = try db.pool.read { d in
            try Int.fetchOne(d, sql: "SELECT count(*) FROM event WHERE case_id = ? AND action = 'reveal'", arguments: [open.id]) ?? -1
        }
        #expect(openReveals == 0)

        // A clerk cannot: refused before any reason is asked, nothing recorded.
        let other = try DemoDB.runner(db, "vanthu.hoankiem", width: 120, height: 40, lang: .en)
        other.send(.char(":"))
        for ch in "goto \(c.code)" { other.send(.char(ch)) }
        other.send(.enter)
        other.send(.char("V"))
        #expect(other.state.mode == .normal && other.state.notice?.isError == true)
        #expect(try reveals().count == 1)
    }
}
