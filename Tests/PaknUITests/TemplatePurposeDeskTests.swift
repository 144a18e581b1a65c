import Foundation
import PaknCore
import PaknStore
import Testing
@testable import PaknUI

/// The desk offers each draft only the templates of its purpose, in the citizen's language.
@Suite struct TemplatePurposeDeskTests {
    func performed(_ desk: FakeDesk) -> [Action] {
        desk.effects.flatMap { e -> [Action] in
            if case let .perform(reqs, _) = e { return reqs.map(\.action) }
            return []
        }
    }

    @Test func aReplyOffersOnlyAnswers() {
        let desk = FakeDesk(rows: DeskFixtures.rows(5))
        desk.send(.char("R"))
        #expect(desk.state.templates(for: .reply).map(\.id) == ["ack", "env-reply"])
        desk.send(.alt("3"))
        #expect(desk.state.notice?.text(.en) == "No template number 3.")
    }

    @Test func aNoticeIsSentAsANoticeAndKeepsItsPurpose() {
        let desk = FakeDesk(rows: DeskFixtures.rows(5))
        desk.send(.char("T"))
        #expect(desk.state.composing == DraftKey(caseId: 1, kind: .notice))
        desk.send(.alt("1"))
        let text = desk.state.drafts[DraftKey(caseId: 1, kind: .notice)]?.text ?? ""
        #expect(text == "Ủy ban nhân dân phường Hoàn Kiếm đã tiếp nhận phản ánh mã HN-2026-000001.")
        desk.send(.ctrl("s"))
        desk.send(.char("y"))
        #expect(performed(desk).last == .notify(text: text, purpose: .acknowledgement))
    }

    @Test func theCitizenLanguageChoosesTheVersion() {
        let desk = FakeDesk(rows: DeskFixtures.rows(5))
        desk.state.lang = .en
        desk.send(.char("T"))
        desk.send(.alt("1"))
        #expect(desk.state.drafts[DraftKey(caseId: 1, kind: .notice)]?.text.hasPrefix("Ủy ban nhân dân phường") == true,
                "an English desk still writes Vietnamese to the citizen")
        desk.send(.ctrl("x"))
        desk.send(.char("y"))
        desk.state.citizenLang = .en
        desk.send(.char("T"))
        desk.send(.alt("1"))
        #expect(desk.state.drafts[DraftKey(caseId: 1, kind: .notice)]?.text == "The People's Committee of Hoàn Kiếm Ward has received report HN-2026-000001.")
    }

    @Test func aRequestFromATemplatePausesTheCase() {
        let desk = FakeDesk(rows: DeskFixtures.rows(5))
        desk.send(.char("i"))
        desk.send(.ctrl("t"))
        guard case let .picker(p) = desk.state.mode else { Issue.record("no template picker"); return }
        #expect(p.items.map(\.label) == ["Đề nghị bổ sung"])
        desk.send(.enter)
        let key = DraftKey(caseId: 1, kind: .request)
        #expect(desk.state.drafts[key]?.text == "Đề nghị ông/bà bổ sung ảnh hiện trường (HN-2026-000001).")
        desk.send(.ctrl("s"))
        desk.send(.char("y"))
        #expect(performed(desk).last == .wait(request: "Đề nghị ông/bà bổ sung ảnh hiện trường (HN-2026-000001)."))
    }
}
