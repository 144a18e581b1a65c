import Foundation
import Testing

/// `pakn calendar` through the real binary, and the horizon warning in `show` and `list`.
@Suite struct CalendarCLITests {
    let now = ["--now", "2026-11-23T09:00:00+07:00"]
    var admin: [String] { now + ["--as", "taphuan"] }
    var clerk: [String] { now + ["--as", "vanthu.hoankiem"] }

    @Test func addRemoveImportRecordedRefusedAndBadInput() throws {
        let cli = try CLI.demo()
        let list = try cli.ok(admin + ["calendar", "list", "--year", "2027", "--json"]).json() as? [[String: Any]] ?? []
        let tet = list.filter { ($0["name"] as? String)?.contains("Đinh Mùi") == true }
        #expect(tet.map { $0["day"] as? String } == ["2027-02-04", "2027-02-05", "2027-02-06", "2027-02-07", "2027-02-08",
                                                      "2027-02-09", "2027-02-10"])
        #expect(tet.allSatisfy { $0["standing"] as? String == "expected" })

        let add = try cli.ok(admin + ["calendar", "add", "2028-01-01", "holiday", "Tết Dương lịch", "--expected", "--reason", "Chuẩn bị 2028"])
        #expect(add.stdout.contains("2028-01-01") && add.stdout.contains("2028"), "\(add.stdout)")
        try cli.ok(admin + ["calendar", "remove", "2028-01-01", "--reason", "Nhầm"])

        // Refused: exit 4, recorded, nothing written.
        let fingerprint = try cli.fingerprint()
        let refused = try cli.run(clerk + ["calendar", "add", "2027-12-31", "holiday", "X", "--expected", "--reason", "r"])
        #expect(refused.status == 4 && refused.stderr.contains("manage_rules"), "\(refused.stderr)")
        // Bad input: exit 1, one line naming what is wrong, nothing written.
        let bad: [([String], String)] = [
            (["calendar", "add", "2027-02-30", "holiday", "X", "--expected", "--reason", "r"], "2027-02-30"),
            (["calendar", "add", "2027-12-01", "nghi", "X", "--expected", "--reason", "r"], "nghi"),
            (["calendar", "add", "2027-12-01", "holiday", "X", "--reason", "r"], "--announced"),
            (["calendar", "add", "2027-12-01", "holiday", "X", "--expected"], "--reason"),
            (["calendar", "remove", "2030-01-01", "--reason", "r"], "2030-01-01"),
        ]
        for (args, needle) in bad {
            let r = try cli.run(admin + ["--lang", "en"] + args)
            #expect(r.status == 1 && r.stderr.contains(needle) && r.stderr.split(separator: "\n").count == 1, "\(args): \(r.status) \(r.stderr)")
        }
        let file = CLI.tempDB("calendar") + ".json"
        try """
        [
          {"day": "2027-11-24", "kind": "holiday", "name": "A", "standing": "expected", "note": "n"},
          {"day": "2027-11-25", "kind": "holiday", "name": "B", "standing": "annonced", "document": "x"}
        ]
        """.write(toFile: file, atomically: true, encoding: .utf8)
        let badFile = try cli.run(admin + ["--lang", "en", "calendar", "import", file, "--reason", "r"])
        #expect(badFile.status == 1 && badFile.stderr.contains("line 3") && badFile.stderr.contains("annonced"), "\(badFile.stderr)")
        // Refusals and bad input changed no case and no calendar day (the refusal itself is
        // in the access log, whose head therefore moved).
        #expect(try cli.run(["--as", "taphuan", "list", "--limit", "100000", "--csv"]).stdout
                == fingerprint.split(separator: "\n", maxSplits: 1).dropFirst().joined())
        let log = try cli.ok(now + ["audit", "log"]).stdout
        #expect(log.contains("calendar_add") && log.contains("calendar_remove") && log.contains("refused"))
        let after = try cli.ok(admin + ["calendar", "list", "--year", "2027"]).stdout
        #expect(!after.contains("2027-11-24"))
        let verify = try cli.run(["audit", "verify"])
        #expect(verify.status == 0, "\(verify.stdout) \(verify.stderr)")

        // The 24 November file loads on request.
        let culture = try cli.ok(admin + ["--lang", "en", "calendar", "import",
                                          try #require(Self.resource("calendar/ngay-van-hoa-viet-nam.json")), "--reason", "Quyết định"])
        #expect(culture.stdout.contains("1 added"))
    }

    @Test func aDueDayPastTheHorizonIsWarnedInShowAndList() throws {
        let cli = try CLI.demo()
        let late = ["--now", "2027-12-20T09:00:00+07:00", "--as", "vanthu.hoankiem"]
        let code = try cli.ok(late + ["intake", "--title", "Đèn đường hỏng", "--body", "Đèn trước số 5 không sáng.",
                                      "--category", "urban_order", "--ward", "00070"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let show = try cli.ok(late + ["show", code, "--json"]).object()
        let warning = try #require(show["calendar_warning"] as? [String: Any])
        #expect(warning["horizon"] as? String == "2027-12-31")
        #expect((warning["due"] as? String)?.hasPrefix("2028-") == true)
        #expect((warning["message_en"] as? String)?.contains("31/12/2027") == true)
        let text = try cli.ok(late + ["--lang", "en", "show", code]).stdout
        #expect(text.contains("Warning") && text.contains("⚠ The holiday calendar ends on 31/12/2027"))
        let rows = try cli.ok(late + ["list", "--json", "-q", "Đèn đường hỏng"]).json() as? [[String: Any]] ?? []
        #expect(rows.contains { $0["code"] as? String == code && $0["calendar_warning"] != nil })
        #expect(rows.filter { $0["code"] as? String != code }.allSatisfy { $0["calendar_warning"] == nil || ($0["due"] as? String ?? "") > "2027-12-31" })
        let listed = try cli.ok(late + ["list", "-q", "Đèn đường hỏng"]).stdout
        #expect(listed.split(separator: "\n").contains { $0.contains(code) && $0.contains("⚠") })
        // A case due inside the calendar has no warning.
        let inside = try cli.ok(admin + ["show", "HN-2026-000001", "--json"]).object()
        #expect(inside["calendar_warning"] == nil)
    }

    /// A shipped resource file, found from the source tree.
    static func resource(_ name: String) -> String? {
        var dir = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        for _ in 0..<4 {
            let p = dir.appendingPathComponent("Sources/PaknStore/Resources/\(name)").path
            if FileManager.default.fileExists(atPath: p) { return p }
            dir = dir.deletingLastPathComponent()
        }
        return nil
    }
}
