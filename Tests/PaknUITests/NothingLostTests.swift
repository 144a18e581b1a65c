import Foundation
import PaknTestSupport
import PaknCore
@testable import PaknStore
import Testing
@testable import PaknUI

/// Issue 15, "Nothing lost, nothing sent by accident": a look before a text goes to a
/// citizen, drafts kept on disk and brought back, the official's own editor, a banner on
/// a training database.
@Suite("Nothing lost, nothing sent by accident")
struct NothingLostTests {
    @Test func sendingAReplyShowsItFirstWithItsTemplateAndTheStatusItLeadsTo() {
        let desk = FakeDesk(rows: DeskFixtures.rows(5), width: 80, height: 24)
        desk.send(.char("R"))
        desk.send(.alt("1"))
        let key = DraftKey(caseId: 1, kind: .reply)
        let template = desk.state.templates(for: .reply)[0].title
        desk.send(.ctrl("s"))
        #expect(desk.state.mode == .confirm(.send(key)))
        #expect(desk.performed.isEmpty)
        let screen = desk.screen
        #expect(screen.contains("Gửi trả lời công dân — HN-2026-000001"), "\(screen)")
        #expect(screen.contains("Mẫu đã dùng: " + template))
        #expect(screen.contains("Trạng thái sau khi gửi: Đang xử lý → Đã trả lời"))
        #expect(screen.contains(String(desk.state.drafts[key]!.text.prefix(20))))
        #expect(screen.contains("(y/n)"))
        // `n`: nothing sent, back to the draft as it was.
        desk.send(.char("n"))
        #expect(desk.performed.isEmpty && desk.state.composing == key && desk.state.mode == .normal)
        #expect(desk.state.notice?.vi == "Chưa gửi; bản nháp vẫn còn.")
        desk.send(.ctrl("s"))
        desk.send(.char("y"))
        #expect(desk.performed.count == 1)
        #expect(desk.state.drafts.isEmpty && desk.state.draftTemplates.isEmpty)
        // In English, a request for information says it pauses the case.
        let en = FakeDesk(rows: DeskFixtures.rows(5), width: 80, height: 24, lang: .en)
        en.send(.char("R"))
        en.type("Kính gửi ông/bà,")
        en.send(.ctrl("s"))
        #expect(en.screen.contains("Templates used: none"))
        #expect(en.screen.contains("Status once sent: In progress → Resolved"))
        // An internal note goes at once.
        let note = FakeDesk(rows: DeskFixtures.rows(5))
        note.send(.char("t"))
        note.type("Ghi chú")
        note.send(.ctrl("s"))
        #expect(note.performed.map(\.action) == [.note(text: "Ghi chú")])
    }

    @Test func draftsAreKeptOnDiskAsTheyChangeAndComeBack() {
        let desk = FakeDesk(rows: DeskFixtures.rows(5), width: 80, height: 24)
        desk.state.draftsKept = true
        desk.send(.char("R"))
        desk.type("Kính gửi")
        let key = DraftKey(caseId: 1, kind: .reply)
        #expect(desk.disk[key]?.text == "Kính gửi")
        #expect(desk.disk[key]?.code == "HN-2026-000001")
        #expect(desk.disk[key]?.baseVersion == 3)
        desk.send(.alt("2"))
        #expect(desk.disk[key]?.templates == [desk.state.templates(for: .reply)[1].title])
        // Leaving the editor, moving on: still kept. Quitting does not ask (nothing is lost).
        desk.send(.escape)
        desk.send(.char("j"))
        #expect(desk.disk[key] != nil)
        desk.send(.char("q"))
        #expect(desk.state.quit)

        // The next desk (after a crash, a closed terminal, or quitting) brings it back.
        let next = FakeDesk(rows: DeskFixtures.rows(5), width: 80, height: 24, disk: Array(desk.disk.values))
        #expect(next.state.drafts[key]?.text == desk.disk[key]?.text)
        #expect(next.state.draftBase[key] == 3)
        #expect(next.state.notice?.vi == "Đã khôi phục 1 bản nháp chưa gửi: HN-2026-000001.")
        #expect(next.grid.line(4).hasPrefix("✎"))
        // Sent: forgotten on disk too.
        next.send(.char("R"))
        next.send(.ctrl("s"))
        next.send(.char("y"))
        #expect(next.performed.first?.expectedVersion == 3)
        #expect(next.disk.isEmpty)
        // Discarded, or emptied: forgotten as well.
        next.send(.char("t"))
        next.type("x")
        #expect(next.disk[DraftKey(caseId: 1, kind: .note)] != nil)
        next.send(.backspace)
        #expect(next.disk.isEmpty)
        next.type("y")
        next.send(.ctrl("x"))
        next.send(.char("y"))
        #expect(next.disk.isEmpty)
    }

    @Test func theDraftOpensInTheOfficialsOwnEditor() {
        let desk = FakeDesk(rows: DeskFixtures.rows(5), width: 80, height: 24)
        desk.editor = { $0 + "\nViết thêm trong vim.\n" }
        desk.send(.char("R"))
        desk.type("Kính gửi ông/bà,")
        desk.send(.ctrl("e"))
        let key = DraftKey(caseId: 1, kind: .reply)
        #expect(desk.state.drafts[key]?.text == "Kính gửi ông/bà,\nViết thêm trong vim.")
        #expect(desk.state.notice?.vi == "Đã lấy lại bản nháp từ trình soạn thảo.")
        #expect(desk.state.composing == key && desk.state.focus == .reply)
        // `:edit` from the queue opens the selected case's reply there.
        let other = FakeDesk(rows: DeskFixtures.rows(5), width: 80, height: 24)
        other.editor = { _ in "Trả lời viết ngoài." }
        other.send(.char(":"))
        other.type("edit")
        other.send(.enter)
        #expect(other.state.drafts[key]?.text == "Trả lời viết ngoài.")
        // Where there is no terminal to hand over, it says so and the draft stays.
        let none = FakeDesk(rows: DeskFixtures.rows(5))
        none.send(.char("R"))
        none.type("abc")
        none.send(.ctrl("e"))
        #expect(none.state.drafts[key]?.text == "abc")
        #expect(none.state.notice?.isError == true)
    }

    @Test func aTrainingDatabaseSaysSoOnEveryScreen() {
        for lang in Lang.allCases {
            let desk = FakeDesk(rows: DeskFixtures.rows(5), width: 80, height: 24, lang: lang)
            #expect(!desk.grid.line(0).contains("TẬP HUẤN") && !desk.grid.line(0).contains("TRAINING"))
            desk.state.training = true
            let line = desk.grid.line(0)
            #expect(line.contains(lang == .vi ? "TẬP HUẤN" : "TRAINING"), "\(line)")
            #expect(line.contains(DeskFixtures.me.fullName))
            // The banner has its own look, in every theme.
            let g = desk.grid
            let x = line.distance(from: line.startIndex, to: line.range(of: lang == .vi ? "TẬP" : "TRAINING")!.lowerBound)
            #expect(g[x, 0].role == .titleTraining)
        }
    }
}

@Suite("Drafts on disk", .serialized)
struct DraftStoreTests {
    static func tempDir() -> URL {
        let u = TestScratch.folder("pakn-ui-tests").appendingPathComponent("drafts-\(getpid())-\(UUID().uuidString)")
        return u
    }

    @Test func draftsRoundTripPrivatelyAndPerDatabaseAndOfficial() throws {
        let root = Self.tempDir()
        defer { try? FileManager.default.removeItem(at: root) }
        let store = DraftStore(root: root, databasePath: "/srv/pakn/pakn.sqlite", login: "canbo.hoankiem.kt")
        let d = SavedDraft(caseId: 42, code: "HN-2026-000042", kind: .reply, baseVersion: 7, templates: ["Trả lời"],
                           purpose: nil, text: "Kính gửi ông/bà,\nĐã xử lý.")
        try store.save([d])
        #expect(store.load() == [d])
        let file = store.directory.appendingPathComponent("42-reply.json").path
        let attrs = try FileManager.default.attributesOfItem(atPath: file)
        #expect((attrs[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        let dirAttrs = try FileManager.default.attributesOfItem(atPath: store.directory.path)
        #expect((dirAttrs[.posixPermissions] as? NSNumber)?.intValue == 0o700)
        // Written again: replaced whole, no temporary file left.
        var d2 = d
        d2.text += "\nTrân trọng."
        try store.save([d2])
        #expect(store.load() == [d2])
        #expect(try FileManager.default.contentsOfDirectory(atPath: store.directory.path) == ["42-reply.json"])
        // Another database, another official: their own folders.
        #expect(DraftStore(root: root, databasePath: "/tmp/demo.sqlite", login: "canbo.hoankiem.kt").load().isEmpty)
        #expect(DraftStore(root: root, databasePath: "/srv/pakn/pakn.sqlite", login: "vanthu.hoankiem").load().isEmpty)
        store.delete([d.key])
        #expect(store.load().isEmpty)
        // Where: $XDG_STATE_HOME, else ~/.local/state.
        #expect(DraftStore.defaultRoot(environment: ["XDG_STATE_HOME": "/x/state", "HOME": "/home/a"]).path == "/x/state/pakn/drafts")
        #expect(DraftStore.defaultRoot(environment: ["HOME": "/home/a"]).path == "/home/a/.local/state/pakn/drafts")
    }

    /// A desk that dies mid-draft (no quit, no cleanup) loses nothing: the next desk on the
    /// same database brings the draft back, and sending it clears it.
    @Test func aDraftSurvivesADeskThatDies() throws {
        let db = try DemoDB.copy()
        let root = Self.tempDir()
        defer { try? FileManager.default.removeItem(at: root) }
        let me = try DemoDB.official(db, "canbo.hoankiem.kt")
        func desk() throws -> DeskRunner {
            let r = try DeskRunner(session: try db.session(login: me.login, now: DemoDB.now), lang: .vi, width: 80, height: 24)
            r.drafts = DraftStore(root: root, databasePath: db.path, login: me.login)
            r.start()
            return r
        }
        var first: DeskRunner? = try desk()
        let row = try #require(first!.state.selectedRow)
        first!.send(.char("R"))
        first!.type("Đã kiểm tra hiện trường")
        first!.idle()   // the quiet moment after typing, as the terminal gives it
        first = nil     // killed: no quit, nothing else
        let second = try desk()
        let key = DraftKey(caseId: row.id, kind: .reply)
        #expect(second.state.drafts[key]?.text == "Đã kiểm tra hiện trường")
        #expect(second.frame().text.contains("Đã khôi phục 1 bản nháp"))
        second.send(.char("R"))
        second.send(.ctrl("s"))
        second.send(.char("y"))
        #expect(second.state.notice?.isError == false, "\(second.state.notice?.text(.en) ?? "")")
        second.flush()
        #expect(DraftStore(root: root, databasePath: db.path, login: me.login).load().isEmpty)
        #expect(try db.resolveCase(row.code).status == .resolved)
        // A demo database is a training one: the banner is there.
        #expect(second.state.training)
    }
}
