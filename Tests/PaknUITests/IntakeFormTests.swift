import Foundation
import PaknCore
@testable import PaknStore
import Testing
@testable import PaknUI

/// Issue 15, "Intake at the desk": the intake form's pure update and view.
@Suite("Intake form")
struct IntakeFormTests {
    static func clerkDesk(width: Int = 100, height: Int = 40, lang: Lang = .vi) -> FakeDesk {
        FakeDesk(rows: DeskFixtures.rows(12), width: width, height: height, me: DeskFixtures.clerk, view: .triage, lang: lang)
    }

    static func form(_ desk: FakeDesk) throws -> IntakeForm { try #require(desk.state.intake) }

    /// Tab until `field` has focus.
    static func go(_ desk: FakeDesk, to field: IntakeForm.Field) {
        for _ in 0..<IntakeForm.Field.allCases.count where desk.state.intake?.focus != field { desk.send(.tab) }
    }

    static func fill(_ desk: FakeDesk, title: String = "Đèn đường hỏng trên phố Hàng Bông") {
        go(desk, to: .category)
        desk.type("moi truong")
        go(desk, to: .title)
        desk.type(title)
        go(desk, to: .body)
        desk.type("Người dân gọi đường dây nóng phản ánh.")
    }

    @Test func nOpensTheFormOnlyWhereTheSessionGrantsIntake() throws {
        // A handler does not take cases in: the session's grants say so, and the store's words.
        let handler = FakeDesk(rows: DeskFixtures.rows(3), me: DeskFixtures.handler)
        handler.send(.char("N"))
        #expect(handler.state.intake == nil)
        #expect(handler.state.notice?.isError == true)
        #expect(handler.state.notice?.en.contains("\"intake\"") == true, "\(String(describing: handler.state.notice))")
        #expect(!handler.effects.contains(.beginIntake))

        let desk = Self.clerkDesk()
        desk.send(.char("N"))
        let f = try Self.form(desk)
        #expect(desk.state.contexts == [.intake])
        #expect(f.focus == .kind)
        #expect(f.kind.value?.id == "feedback" && f.channel.value?.id == "hotline")
        // The clerk's own ward, and now by the session's clock.
        #expect(f.ward.value?.detail == DeskFixtures.ward.code)
        #expect(f.text(.received) == "2026-11-23 09:00")
        #expect(f.problems == [.category, .title, .body])
        // `:intake` opens it as well.
        let other = Self.clerkDesk()
        other.send(.char(":"))
        other.type("intake")
        other.send(.enter)
        #expect(other.state.intake != nil)
    }

    @Test func tabMovesThroughTheFieldsAndAnonymitySkipsTheReporter() throws {
        let desk = Self.clerkDesk()
        desk.send(.char("N"))
        var seen: [IntakeForm.Field] = []
        for _ in IntakeForm.Field.allCases {
            seen.append(try Self.form(desk).focus)
            desk.send(.tab)
        }
        #expect(seen == IntakeForm.Field.allCases)
        #expect(try Self.form(desk).focus == .kind)
        desk.send(.backTab)
        #expect(try Self.form(desk).focus == .attachments)
        // Enter moves on too, except in the text, where it starts a new line.
        Self.go(desk, to: .body)
        desk.type("Dòng 1")
        desk.send(.enter)
        desk.type("Dòng 2")
        #expect(try Self.form(desk).text(.body) == "Dòng 1\nDòng 2")
        #expect(try Self.form(desk).focus == .body)
        Self.go(desk, to: .anonymous)
        desk.send(.char(" "))
        #expect(try Self.form(desk).anonymous)
        desk.send(.tab)
        #expect(try Self.form(desk).focus == .received, "the protected box is the reporter's: skipped")
        let order = try Self.form(desk).order
        #expect(!order.contains(.name) && !order.contains(.phone) && !order.contains(.confidential))
    }

    @Test func choicesFilterAsYouTypeAccentsOptionalCodesToo() throws {
        let desk = Self.clerkDesk()
        desk.send(.char("N"))
        desk.type("to cao")
        #expect(try Self.form(desk).kind.value?.id == "denunciation")
        #expect(try Self.form(desk).protected, "a denouncer is always protected")
        #expect(desk.screen.contains("[x]  " + L10n.t("desk.intake.always_protected", .vi)))
        for _ in 0..<6 { desk.send(.backspace) }
        desk.type("khieu")
        #expect(try Self.form(desk).kind.value?.id == "complaint")
        desk.send(.down)
        #expect(try Self.form(desk).kind.value?.id == "complaint2")
        desk.send(.tab)
        #expect(try Self.form(desk).kind.query.isEmpty, "the typing is forgotten, the choice kept")
        #expect(try Self.form(desk).kind.value?.id == "complaint2")
        desk.send(.tab)
        desk.type("trat tu")
        #expect(try Self.form(desk).category.value?.id == "urban_order")
        desk.send(.tab)
        // Wards by name without accents, or by code.
        desk.type("cua nam")
        #expect(try Self.form(desk).ward.value?.detail == "00082")
        for _ in 0..<7 { desk.send(.backspace) }
        desk.type("00073")
        #expect(try Self.form(desk).ward.value?.label.contains("Hoàn Kiếm Bắc") == true)
        // What matches nothing is said so once the field is left.
        for _ in 0..<5 { desk.send(.backspace) }
        desk.type("zzz")
        #expect(try Self.form(desk).ward.value == nil)
        desk.send(.tab)
        let f = try Self.form(desk)
        #expect(f.problem(.ward)?.text(.en) == "Nothing matches \"zzz\"")
        #expect(desk.screen.contains("⚠ Không có mục nào khớp «zzz»"))
        #expect(desk.effects.contains { if case .intakeWards = $0 { true } else { false } })
    }

    @Test func fieldsAreCheckedAsTheyAreLeftAndSavingShowsEveryProblem() throws {
        let desk = Self.clerkDesk()
        desk.send(.char("N"))
        Self.go(desk, to: .phone)
        desk.type("0912 34")
        #expect(try Self.form(desk).problem(.phone) != nil)
        #expect(!desk.screen.contains("⚠ " + L10n.t("desk.intake.err.phone", .vi)), "not while it is typed")
        // Fields passed over say what they lack.
        #expect(desk.screen.contains("⚠ " + L10n.t("desk.intake.err.category", .vi)))
        desk.send(.tab)
        #expect(desk.screen.contains("⚠ " + L10n.t("desk.intake.err.phone", .vi)))
        desk.type("ten@")
        desk.send(.tab)
        desk.type("0123")
        desk.send(.tab)
        let f = try Self.form(desk)
        #expect(f.problem(.email) != nil && f.problem(.nationalId) != nil)
        // C-s: nothing goes to the store; every problem shown, the first one focused.
        desk.send(.ctrl("s"))
        #expect(!desk.effects.contains { if case .takeIn = $0 { true } else { false } })
        #expect(try Self.form(desk).focus == .category)
        #expect(desk.state.notice?.vi == "Còn 6 trường cần sửa: Lĩnh vực, Tiêu đề, Nội dung, Điện thoại, Thư điện tử, Số định danh.")
        #expect(desk.state.notice?.en == "6 field(s) to fix: Category, Title, Text, Phone, E-mail, ID number.")
        // Fixed, one by one.
        Self.fill(desk)
        Self.go(desk, to: .phone)
        desk.type("567")
        desk.send(.tab)
        desk.type("example.vn")
        desk.send(.tab)
        desk.type("00120000")
        #expect(try Self.form(desk).problems == [])
        #expect(desk.screen.contains(L10n.t("desk.intake.ready", .vi, "C-s")))
    }

    @Test func theTimeOfReceiptDefaultsToNowAndCannotBeLater() throws {
        let desk = Self.clerkDesk()
        desk.send(.char("N"))
        Self.go(desk, to: .received)
        for _ in 0..<16 { desk.send(.backspace) }
        desk.type("23/11/2026")
        #expect(try Self.form(desk).problem(.received)?.text(.en) == L10n.t("desk.intake.err.received", .en))
        for _ in 0..<10 { desk.send(.backspace) }
        desk.type("2026-11-23 10:30")
        #expect(try Self.form(desk).problem(.received)?.text(.vi) == "Không được sau thời điểm hiện tại (2026-11-23 09:00)")
        for _ in 0..<5 { desk.send(.backspace) }
        desk.type("07:15")
        #expect(try Self.form(desk).problem(.received) == nil)
        #expect(try Self.form(desk).receivedAt == ISO8601.parse("2026-11-23T07:15:00+07:00"))
    }

    @Test func cSTakesTheCaseInAndSaysItsCodeAndWhereItWent() throws {
        let desk = Self.clerkDesk()
        desk.send(.char("N"))
        Self.fill(desk)
        Self.go(desk, to: .name)
        desk.type("Trần Thị Bình")
        desk.send(.tab)
        desk.type("0987 654 321")
        Self.go(desk, to: .attachments)
        desk.type("/tmp/anh 1.jpg; /tmp/don.pdf")
        let counted = desk.effects.filter { $0 == .loadCounts }.count
        desk.send(.ctrl("s"))
        let req = try #require(desk.takenIn.last)
        #expect(req.title == "Đèn đường hỏng trên phố Hàng Bông")
        #expect(req.category == "environment" && req.kind == .feedback && req.channel == .hotline)
        #expect(req.wardCode == DeskFixtures.ward.code)
        #expect(req.reporter.name == "Trần Thị Bình" && req.reporter.phone == "0987 654 321")
        #expect(req.receivedAt == DeskFixtures.now)
        #expect(req.attachments.map(\.path) == ["/tmp/anh 1.jpg", "/tmp/don.pdf"])
        #expect(req.duplicateOf == nil)
        #expect(desk.state.intake == nil)
        #expect(desk.state.notice?.vi == "Đã tiếp nhận HN-2026-000901, chuyển đến \(DeskFixtures.dept.label).")
        // The queue and counts are read again.
        #expect(desk.effects.filter { $0 == .loadCounts }.count == counted + 1)

        // Anonymous: nothing of the reporter goes to the store.
        desk.send(.char("N"))
        Self.fill(desk)
        Self.go(desk, to: .name)
        desk.type("Người không muốn nêu tên")
        Self.go(desk, to: .anonymous)
        desk.send(.char("x"))
        desk.send(.ctrl("s"))
        #expect(desk.takenIn.last?.reporter == Reporter(anonymous: true))
    }

    @Test func duplicatesAreListedAsTheTitleIsTypedAndOneKeyMergesIntoOne() throws {
        let desk = Self.clerkDesk()
        desk.send(.char("N"))
        Self.go(desk, to: .title)
        desk.type("Rác")
        #expect(try Self.form(desk).candidates.isEmpty, "one word says nothing yet")
        desk.type(" thải phố Huế")
        let f = try Self.form(desk)
        let first = try #require(f.candidates.first)
        #expect(first.title == DeskFixtures.titles[0])
        #expect(desk.screen.contains("M-1 " + first.code))
        // Asked again only when the words change.
        let asked = desk.effects.filter { if case .intakeDuplicates = $0 { true } else { false } }.count
        desk.type(" ")
        #expect(desk.effects.filter { if case .intakeDuplicates = $0 { true } else { false } }.count == asked)
        desk.send(.alt("1"))
        #expect(try Self.form(desk).duplicateOf == first)
        #expect(desk.state.notice?.en == "The new case will be merged into \(first.code) when taken in.")
        #expect(desk.screen.contains("◀ sẽ gộp vào"))
        desk.send(.alt("1"))
        #expect(try Self.form(desk).duplicateOf == nil)
        desk.send(.alt("5"))
        #expect(desk.state.notice?.isError == true)
        // Another ward: the cases of this one are no duplicates, nor the one picked.
        desk.send(.alt("1"))
        Self.go(desk, to: .ward)
        desk.type("cua nam")
        #expect(try Self.form(desk).duplicateOf == nil)
        #expect(try Self.form(desk).candidates.isEmpty)
        for _ in 0..<7 { desk.send(.backspace) }
        desk.type("00070")
        #expect(try Self.form(desk).candidates.first == first)
        desk.send(.alt("1"))
        Self.fill(desk, title: "")
        desk.send(.ctrl("s"))
        #expect(desk.takenIn.last?.duplicateOf == first.code)
        #expect(desk.state.notice?.en == "Taken in: HN-2026-000901, merged into \(first.code): its reporter will get that case's answer.")
    }

    @Test func aHandlerCannotMergeAndAStoreRefusalKeepsTheForm() throws {
        // A supervisor takes calls too; the store's refusal keeps everything typed.
        let desk = FakeDesk(rows: DeskFixtures.rows(12), me: DeskFixtures.me, view: .all)
        desk.send(.char("N"))
        #expect(try Self.form(desk).ward.value == nil, "a department is no ward")
        Self.fill(desk)
        desk.failWith = Notice(StoreError.unknownUnit("00070-XX"))
        desk.send(.ctrl("s"))
        let f = try Self.form(desk)
        #expect(!f.saving)
        #expect(f.text(.title) == "Đèn đường hỏng trên phố Hàng Bông")
        #expect(desk.state.notice?.isError == true)
    }

    @Test func f1ListsTheFormsKeysAndEscReturnsToIt() throws {
        let desk = Self.clerkDesk(width: 80, height: 24, lang: .en)
        desk.send(.char("N"))
        desk.type("?")
        #expect(desk.state.mode == .normal, "? is text in the form")
        desk.send(.function(1))
        #expect(desk.state.mode == .help(scroll: 0, contexts: [.intake]))
        #expect(desk.screen.contains(L10n.t("desk.act.intake_save", .en)))
        #expect(desk.screen.contains("M-1 … M-5") || desk.screen.contains("M-1"))
        desk.send(.escape)
        #expect(desk.state.mode == .normal)
        #expect(desk.state.intake != nil)
    }

    @Test func escAsksBeforeThrowingTypedInputAway() throws {
        let desk = Self.clerkDesk()
        desk.send(.char("N"))
        desk.send(.escape)
        #expect(desk.state.intake == nil, "nothing typed: closed at once")
        desk.send(.char("N"))
        Self.go(desk, to: .title)
        desk.type("Ồn ào")
        desk.send(.escape)
        #expect(desk.state.mode == .confirm(.discardIntake))
        #expect(desk.screen.contains("Bỏ phiếu tiếp nhận đang nhập dở? (y/n)"))
        desk.send(.char("n"))
        #expect(try Self.form(desk).text(.title) == "Ồn ào")
        #expect(desk.state.notice?.vi == L10n.t("desk.intake.kept", .vi))
        desk.send(.escape)
        desk.send(.char("y"))
        #expect(desk.state.intake == nil)
        #expect(desk.state.mode == .normal)
    }

    @Test func pastedLongLinesEmojiAndNFDStayInTheirField() throws {
        let desk = Self.clerkDesk(width: 80, height: 24)
        desk.send(.char("N"))
        Self.go(desk, to: .title)
        let nfd = "Đường ngập sâu 🌧️ sau mưa".decomposedStringWithCanonicalMapping
        desk.send(.paste(nfd))
        #expect(try Self.form(desk).text(.title) == "Đường ngập sâu 🌧️ sau mưa".precomposedStringWithCanonicalMapping)
        desk.send(.paste(String(repeating: "rất dài ", count: 80)))
        let typed = try Self.form(desk).text(.title).trimmingCharacters(in: .whitespaces).count
        #expect(typed > 500)
        #expect(try Self.form(desk).problem(.title)?.text(.en) == "Too long: at most 500 characters (now \(typed))")
        // Every row within the screen, the cursor on the title's row, at its end.
        let g = desk.grid
        for y in 0..<g.height { #expect(TerminalText.width(g.line(y)) <= 80, "row \(y)") }
        let cursor = try #require(g.cursor)
        #expect(g.line(cursor.y).contains("Tiêu đề"))
        // Too small a terminal shows the usual message, and keys are ignored (no quitting
        // from the form by accident).
        desk.send(.resize(width: 40, height: 10))
        desk.send(.char("q"))
        #expect(!desk.state.quit)
        desk.send(.resize(width: 80, height: 24))
        #expect(desk.state.intake != nil)
    }
}
