import Foundation
import Testing

/// Templates by purpose from the CLI: each action takes only its own templates, a notice
/// leaves the case open, and text to the citizen is Vietnamese whatever the interface says.
@Suite struct TemplatePurposeCLITests {
    let now = ["--now", "2026-11-23T09:00:00+07:00"]
    var clerk: [String] { now + ["--as", "vanthu.hoankiem"] }
    var handler: [String] { now + ["--as", "canbo.hoankiem.kt"] }

    /// A new feedback case in Phường Hoàn Kiếm, assigned to the handler and in progress.
    func inProgressCase(_ cli: CLI) throws -> String {
        let code = try cli.ok(clerk + ["intake", "--title", "Đèn chiếu sáng hỏng trên phố Hàng Bài",
                                       "--body", "Ba cột đèn trước số 20 Hàng Bài không sáng.",
                                       "--category", "electricity_water", "--ward", "00070", "--route", "none"])
            .stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        try cli.ok(clerk + ["route", code, "00070-KT"])
        try cli.ok(clerk + ["assign", code, "canbo.hoankiem.kt"])
        try cli.ok(handler + ["start", code])
        return code
    }

    @Test func replyRefusesARequestForInformationAndNamesWait() throws {
        var cli = try CLI.demo()
        cli.lang = "en"
        let code = try inProgressCase(cli)
        let before = try cli.fingerprint()
        let r = try cli.run(handler + ["reply", code, "--template", "request-info"])
        #expect(r.status != 0)
        #expect(r.stderr.contains("pakn wait"), "\(r.stderr)")
        #expect(r.stderr.contains("request_info"))
        #expect(try cli.fingerprint() == before, "nothing written")
        let c = try cli.ok(clerk + ["show", code, "--json"]).object()
        #expect(c["status"] as? String == "in_progress")
        // And an acknowledgement is a notice, not an answer.
        let ack = try cli.run(handler + ["reply", code, "--template", "ack"])
        #expect(ack.status != 0)
        #expect(ack.stderr.contains("pakn notify"))
    }

    @Test func waitWithARequestTemplatePausesWithoutResolving() throws {
        let cli = try CLI.demo()
        let code = try inProgressCase(cli)
        let c = try cli.ok(handler + ["wait", code, "--template", "request-info", "--json"]).object()
        #expect(c["status"] as? String == "awaiting_info")
        #expect(c["reply"] == nil || c["reply"] is NSNull)
        let last = try #require((c["history"] as? [[String: Any]])?.last)
        #expect(last["action"] as? String == "wait")
        let note = try #require(last["note"] as? String)
        #expect(note.contains("đề nghị ông/bà cung cấp thêm"))
        // An answer template is refused by wait.
        let code2 = try inProgressCase(cli)
        let r = try cli.run(handler + ["wait", code2, "--template", "closed"])
        #expect(r.status != 0)
        #expect(r.stderr.contains("pakn reply"))
    }

    @Test func notifyKeepsTheStatusAndRecordsTheNotice() throws {
        var cli = try CLI.demo()
        cli.lang = "en"
        let code = try inProgressCase(cli)
        // The official reads English (LANG=C.UTF-8, --lang en); the citizen gets Vietnamese.
        let c = try cli.ok(clerk + ["notify", code, "--template", "ack", "--json"]).object()
        #expect(c["status"] as? String == "in_progress")
        let last = try #require((c["history"] as? [[String: Any]])?.last)
        #expect(last["action"] as? String == "notice")
        #expect(last["from"] as? String == "in_progress")
        #expect(last["to"] as? String == "in_progress")
        let changes = try #require(last["changes"] as? [String: Any])
        #expect((changes["purpose"] as? [String: Any])?["after"] as? String == "acknowledgement")
        let note = try #require(last["note"] as? String)
        #expect(note.hasPrefix("Ngày 23 tháng 11 năm 2026, Ủy ban nhân dân phường Hoàn Kiếm đã tiếp nhận"), "\(note)")
        #expect(!note.contains("Phường Hoàn Kiếm"), "the unit type is lower case in running text")
        #expect(!note.contains("Đơn vị được giao"), "an acknowledgement claims no assignment or work")
        #expect(try cli.ok(["audit", "verify"]).status == 0)
        // A free-text notice, and a purpose a notice cannot have.
        try cli.ok(clerk + ["notify", code, "-m", "Hồ sơ của ông/bà đang được xem xét."])
        let bad = try cli.run(clerk + ["notify", code, "-m", "x", "--purpose", "answer"])
        #expect(bad.status != 0)
        #expect(bad.stderr.contains("acknowledgement"))
    }

    @Test func citizenLanguageIsVietnameseUnlessAskedOtherwise() throws {
        var cli = try CLI.demo()
        cli.lang = "en"
        let vi = try inProgressCase(cli)
        var c = try cli.ok(handler + ["reply", vi, "--template", "closed", "--json"]).object()
        let viText = try #require(c["reply"] as? String)
        #expect(viText.hasPrefix("Ủy ban nhân dân phường Hoàn Kiếm trả lời phản ánh, kiến nghị"), "\(viText)")
        #expect(viText.contains("tiếp nhận ngày 23 tháng 11 năm 2026"))

        let en = try inProgressCase(cli)
        c = try cli.ok(handler + ["reply", en, "--template", "closed", "--citizen-lang", "en", "--json"]).object()
        let enText = try #require(c["reply"] as? String)
        #expect(enText.hasPrefix("The People's Committee of Hoàn Kiếm Ward replies"), "\(enText)")
        #expect(enText.contains("received on 23 November 2026"))

        // A template without an English version says so, and writes nothing.
        let other = try inProgressCase(cli)
        let r = try cli.run(handler + ["reply", other, "--template", "electricity-water-reply", "--citizen-lang", "en"])
        #expect(r.status != 0)
        #expect(r.stderr.contains("\"en\""))
    }

    @Test func rejectAndTransferTakeTheirOwnNotices() throws {
        let cli = try CLI.demo()
        let code = try inProgressCase(cli)
        // A refusal states its reason; an answer template is not a refusal.
        #expect(try cli.run(handler + ["reject", code, "--template", "refusal"]).stderr.contains("--reason"))
        #expect(try cli.run(handler + ["reject", code, "--template", "closed", "--reason", "x"]).status != 0)
        // The transfer notice goes with transfer only, and names the unit it goes to.
        #expect(try cli.run(handler + ["reject", code, "--template", "transfer", "--reason", "x"]).stderr.contains("pakn transfer"))
        let c = try cli.ok(clerk + ["transfer", code, "00070-VHXH", "--template", "transfer", "--json"]).object()
        #expect(c["status"] as? String == "routed")
        let note = try #require((c["history"] as? [[String: Any]])?.last?["note"] as? String)
        #expect(note.contains("đã chuyển đơn đến Phòng Văn hóa - Xã hội"), "\(note)")
        let code2 = try inProgressCase(cli)
        let r = try cli.ok(handler + ["reject", code2, "--template", "refusal", "--reason", "nội dung đã được giải quyết", "--json"]).object()
        #expect(r["status"] as? String == "rejected")
        let why = try #require((r["history"] as? [[String: Any]])?.last?["note"] as? String)
        #expect(why.contains("vì lý do sau: nội dung đã được giải quyết."))
    }
}
