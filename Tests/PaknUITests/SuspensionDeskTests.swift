import Foundation
import PaknCore
import Testing
@testable import PaknUI

/// Pausing at the desk asks what the case's rule needs: nothing more (awaiting
/// information), a refusal at once (no pause), or a suspension decision's ground and number.
@Suite("Desk: pauses by the case's rule")
struct SuspensionDeskTests {
    static func rule(_ pause: PausePolicy) -> DeadlineRule {
        DeadlineRule(id: "tc-2018", kind: .denunciation, effectiveFrom: Day("2019-01-01")!, counting: .calendar,
                     acceptanceDays: 7, acceptanceCounting: .working, days: 30, pause: pause,
                     suspensionGrounds: [SuspensionGround(code: "await_other", vi: "Cần đợi kết quả của cơ quan khác", en: "Awaiting another body"),
                                         SuspensionGround(code: "await_assessment", vi: "Cần đợi kết quả giám định", en: "Awaiting an assessment")],
                     basis: "Điều 34 Luật Tố cáo 2018")
    }

    static func desk(_ pause: PausePolicy) -> FakeDesk {
        let rows = DeskFixtures.rows(3).map { r in var r = r; r.status = .inProgress; return r }
        let desk = FakeDesk(rows: rows, me: DeskFixtures.handler)
        desk.detailStatus = [1: .inProgress]
        desk.detailRule = rule(pause)
        desk.send([.char("j"), .char("k")])   // back on the first case: its detail, with the rule, is read again
        return desk
    }

    @Test func aSuspensionAsksTheGroundThenTheDecisionNumber() throws {
        let desk = Self.desk(.suspension)
        desk.send(.char("i"))
        guard case let .menu(m) = desk.state.mode else { Issue.record("no ground menu: \(desk.state.mode)"); return }
        #expect(m.items.map(\.value) == ["await_other", "await_assessment"])
        #expect(m.items.first?.label == "Cần đợi kết quả của cơ quan khác")
        desk.send(.char("j"))
        desk.send(.enter)
        guard case .prompt(let p) = desk.state.mode, case .decision = p.purpose else {
            Issue.record("no decision prompt: \(desk.state.mode)"); return
        }
        for ch in "07/QĐ-TTr" { desk.send(.char(ch)) }
        desk.send(.enter)
        // The request text is optional under a suspension.
        guard case .prompt(let q) = desk.state.mode, case .reason = q.purpose, q.optional else {
            Issue.record("no optional request prompt: \(desk.state.mode)"); return
        }
        desk.send(.enter)
        let done = try #require(desk.performed.first)
        #expect(done.action == .wait(request: "", suspension: Suspension(decision: "07/QĐ-TTr", ground: "await_assessment")))
    }

    @Test func aRuleWithoutPauseIsRefusedBeforeAnythingIsTyped() {
        let desk = Self.desk(.none)
        desk.send(.char("i"))
        #expect(desk.state.mode == .normal)
        #expect(desk.state.notice?.text(.en).contains("allows no pause") == true, "\(desk.state.notice?.text(.en) ?? "")")
        #expect(desk.performed.isEmpty)
    }

    @Test func awaitingInformationAsksOnlyForTheRequest() throws {
        let desk = Self.desk(.awaitingInfo)
        desk.send(.char("i"))
        guard case .prompt(let p) = desk.state.mode, case .reason = p.purpose, !p.optional else {
            Issue.record("no request prompt: \(desk.state.mode)"); return
        }
        for ch in "Đề nghị gửi ảnh" { desk.send(.char(ch)) }
        desk.send(.enter)
        let done = try #require(desk.performed.first)
        #expect(done.action == .wait(request: "Đề nghị gửi ảnh", suspension: nil))
    }
}
