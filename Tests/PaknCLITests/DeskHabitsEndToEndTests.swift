import Foundation
import PaknTestSupport
import PaknCore
import Testing

extension DeskEndToEndTests {
    /// A handler writes a reply, finishes it in their own editor (`C-e`), and the terminal
    /// is killed mid-draft (SIGKILL: nothing to clean up with); the next desk brings the
    /// draft back, and `C-s` shows it once more before it goes.
    @Test func aDraftFromTheEditorSurvivesAKilledDeskAndIsShownBeforeSending() throws {
        let db = try Self.database()
        let list = try db.ok(["--as", Self.handler, "--now", Self.now, "list", "--status", "in_progress",
                              "--assignee", Self.handler, "--json"])
        let code = try #require((try list.json() as? [[String: Any]])?.first?["code"] as? String)
        let state = TestScratch.folder("pakn-cli-tests").appendingPathComponent("state-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: state) }
        // The "editor" adds a line to the end of the file, as an official would in vim.
        let env = ["XDG_STATE_HOME": state, "VISUAL": "", "EDITOR": "sed -i '$ a Dòng viết trong trình soạn thảo.'"]

        let first = try DeskTmux(Self.desk(db, as: Self.handler), env: env)
        defer { first.stop() }
        first.waitFor("the queue") { !Self.queueCodes($0).isEmpty }
        first.press(":")
        first.type("goto " + code)
        first.press("Enter")
        first.waitFor("the case") { Self.detailCode($0) == code }
        first.press("R")
        first.waitFor(text: Self.t("desk.pane.reply_to", code))
        first.type("Kính gửi ông/bà,")
        first.press("C-e")
        first.waitFor(text: "Dòng viết trong trình soạn thảo.")
        first.waitFor(text: Self.t("desk.editor.done"))
        first.type(" Đã kiểm tra.")
        first.waitFor(text: "trình soạn thảo. Đã kiểm tra.")
        // The pane's program is pakn itself (`env` execs it).
        let pakn = try #require(first.panePid())
        #expect(Self.childPid(of: pakn) == nil, "pakn, not a shell around it")
        kill(pakn, SIGKILL)
        first.stop()

        let second = try DeskTmux(Self.desk(db, as: Self.handler), env: env)
        defer { second.stop() }
        second.waitFor(text: Self.t("desk.drafts.restored", 1, code))
        second.press(":")
        second.type("goto " + code)
        second.press("Enter")
        second.waitFor("the case") { Self.detailCode($0) == code }
        second.press("R")
        second.waitFor(text: "trình soạn thảo. Đã kiểm tra.")
        second.press("C-s")
        second.waitFor(text: Self.t("desk.send.title.reply", code))
        second.waitFor(text: "Đang xử lý → Đã trả lời")
        second.press("y")
        second.waitFor(text: Self.t("desk.done", L10n.t("action.reply", .vi), code))
        second.press("q")
        #expect(second.exitStatus() == 0)
        let shown = try db.ok(["--as", Self.handler, "show", code, "--json"]).object()
        #expect(shown["reply"] as? String == "Kính gửi ông/bà,\nDòng viết trong trình soạn thảo. Đã kiểm tra.")
        // Sent: nothing left on disk.
        let left = FileManager.default.enumerator(atPath: state)?.compactMap { $0 as? String }.filter { $0.hasSuffix(".json") } ?? []
        #expect(left.isEmpty, "\(left)")
    }
}
