import Foundation
import Testing

@Suite struct LifecycleCLITests {
    let now = ["--now", "2026-11-23T09:00:00+07:00"]

    /// `intake --duplicate-of`: the new case is merged into the open one in its intake's own
    /// transaction; an unknown code (or one outside the clerk's units) writes nothing.
    @Test func aDuplicateTakenInFromTheCommandLineIsMergedOrNothingIsWritten() throws {
        let cli = try CLI.demo()
        let clerk = now + ["--as", "vanthu.hoankiem", "--lang", "en"]
        let call = ["intake", "--title", "Đèn đường hỏng ở phố Hàng Bông", "--body", "Cả dãy đèn tắt từ tối qua.",
                    "--category", "urban_order", "--channel", "hotline", "--ward", "00070"]
        let master = try cli.ok(clerk + call).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let dup = try cli.ok(clerk + call + ["--duplicate-of", master, "--json"]).object()
        #expect(dup["status"] as? String == "merged")
        #expect(dup["master"] as? String == master)
        let shown = try cli.ok(clerk + ["show", master, "--json"]).object()
        #expect((shown["duplicates"] as? [String])?.contains(dup["code"] as? String ?? "?") == true)

        let all = clerk + ["list", "--ward", "00070", "--csv", "--limit", "100000"]
        let before = try cli.ok(all).stdout
        let bad = try cli.run(clerk + call + ["--duplicate-of", "HN-2026-999999"])
        #expect(bad.status != 0 && bad.stderr.split(separator: "\n").count == 1, "\(bad.stderr)")
        #expect(try cli.ok(all).stdout == before, "a refused intake writes nothing")
    }

    /// demo → intake → route → assign → reply → rate → close, checking the JSON each step.
    @Test func aCaseFromIntakeToRatedClosureInVietnamese() throws {
        let cli = try CLI.demo()
        let clerk = now + ["--as", "vanthu.hoankiem"]
        let handler = now + ["--as", "canbo.hoankiem.vhxh"]
        let code = try cli.ok(clerk + ["intake", "--title", "Cống thoát nước bị tắc trên đường Trần Hưng Đạo",
                                       "--body", "Sau mưa, nước ngập sâu 30 cm trước số 88 Trần Hưng Đạo.",
                                       "--category", "environment", "--channel", "hotline", "--ward", "00070",
                                       "--reporter-name", "Lê Văn Cường", "--reporter-phone", "0901234567", "--route", "none"])
            .stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(code.hasPrefix("HN-2026-"))

        var c = try cli.ok(clerk + ["show", code, "--json"]).object()
        #expect(c["status"] as? String == "received")
        #expect(c["title"] as? String == "Cống thoát nước bị tắc trên đường Trần Hưng Đạo")
        let reporter = try #require(c["reporter"] as? [String: Any])
        #expect(reporter["masked"] as? Bool == true)
        #expect(reporter["phone"] as? String == "*******567")

        c = try cli.ok(clerk + ["route", code, "00070-VHXH", "--json"]).object()
        #expect(c["status"] as? String == "routed")
        #expect(c["unit_code"] as? String == "00070-VHXH")

        let version = try #require(c["version"] as? Int)
        c = try cli.ok(clerk + ["assign", code, "canbo.hoankiem.vhxh", "--expect-version", String(version), "--json"]).object()
        #expect(c["status"] as? String == "assigned")
        #expect(c["assignee_login"] as? String == "canbo.hoankiem.vhxh")

        c = try cli.ok(handler + ["reply", code, "-m", "Đã nạo vét cống ngày 22/11, nước đã rút.", "--json"]).object()
        #expect(c["status"] as? String == "resolved")
        #expect(c["reply"] as? String == "Đã nạo vét cống ngày 22/11, nước đã rút.")

        c = try cli.ok(clerk + ["rate", code, "5", "--reasons", "satisfied", "--json"]).object()
        #expect(c["rating"] as? Int == 5)
        #expect(c["status"] as? String == "resolved")

        c = try cli.ok(clerk + ["close", code, "--json"]).object()
        #expect(c["status"] as? String == "closed")
        let history = try #require(c["history"] as? [[String: Any]])
        #expect(history.map { $0["action"] as? String } == ["intake", "route", "assign", "reply", "rate", "close"])
        #expect(history.map { $0["actor"] as? String } == ["vanthu.hoankiem", "vanthu.hoankiem", "vanthu.hoankiem",
                                                            "canbo.hoankiem.vhxh", "vanthu.hoankiem", "vanthu.hoankiem"])
        let h = try cli.ok(clerk + ["history", code]).stdout
        #expect(h.contains("Trả lời"))
        #expect(try cli.ok(["audit", "verify"]).stdout.contains("nguyên vẹn"))
    }

    @Test func aLowRatingReopensTheCase() throws {
        let cli = try CLI.demo()
        let clerk = now + ["--as", "vanthu.hoankiem"]
        let code = try cli.ok(clerk + ["intake", "--title", "Ổ gà trên phố Hàng Bài", "--body", "Ổ gà sâu gây nguy hiểm.",
                                       "--category", "traffic", "--ward", "00070"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        try cli.ok(clerk + ["assign", code, "canbo.hoankiem.kt"])
        try cli.ok(now + ["--as", "canbo.hoankiem.kt", "reply", code, "-m", "Đã vá."])
        let c = try cli.ok(clerk + ["rate", code, "1", "--reasons", "no_proof_of_work,vague_answer", "--json"]).object()
        #expect(c["status"] as? String == "in_progress")
        #expect(c["rating_reasons"] as? [String] == ["no_proof_of_work", "vague_answer"])
    }

    @Test func listFiltersAndFormats() throws {
        let cli = try CLI.demo()
        let who = now + ["--as", "taphuan"]
        let overdue = try #require(try cli.ok(who + ["list", "--overdue", "--json", "--limit", "1000"]).json() as? [[String: Any]])
        #expect(!overdue.isEmpty)
        #expect(overdue.allSatisfy { $0["due_state"] as? String == "overdue" })
        let hk = try #require(try cli.ok(who + ["list", "--unit", "00070", "--json", "--limit", "1000"]).json() as? [[String: Any]])
        #expect(!hk.isEmpty)
        let csv = try cli.ok(who + ["list", "--csv", "--limit", "5"]).csvLines
        let header = "code,status,kind,category,unit,ward,assignee,received_at,due,due_state,days_left,title,calendar_warning,"
            + "version,channel,complex,unit_code,ward_code,assignee_login,due_at"
        #expect(csv.first.map(String.init) == header)
        #expect(csv.count == 6)
        let table = try cli.ok(who + ["list", "--limit", "3"]).stdout
        #expect(table.split(separator: "\n").count == 3)
    }

    @Test func searchFoldsVietnamese() throws {
        let cli = try CLI.demo()
        let who = now + ["--as", "taphuan"]
        try cli.ok(who + ["intake", "--title", "Đường Nguyễn Trãi ngập sâu", "--body", "Ngập nước kéo dài.",
                          "--category", "traffic", "--ward", "00070"])
        let rows = try #require(try cli.ok(who + ["list", "-q", "duong nguyen trai ngap", "--json"]).json() as? [[String: Any]])
        #expect(rows.count == 1)
        #expect(rows.first?["title"] as? String == "Đường Nguyễn Trãi ngập sâu")
    }
}
