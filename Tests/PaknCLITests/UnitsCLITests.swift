import Foundation
import Testing

/// `pakn units …` and old unit codes, through the real binary.
@Suite struct UnitsCLITests {
    let now = ["--now", "2026-11-23T09:00:00+07:00"]

    @Test func anOldCodeLandsOnTheCommuneItBecame() throws {
        var cli = try CLI.demo()
        cli.lang = "en"
        let who = now + ["--as", "taphuan"]
        let code = try cli.ok(who + ["intake", "--title", "Vỉa hè bị lấn chiếm", "--body", "Quán bán hàng chiếm hết vỉa hè.",
                                     "--category", "urban_order", "--channel", "hotline", "--ward", "00073", "--route", "none"])
            .stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let c = try cli.ok(who + ["show", code, "--json"]).object()
        #expect(c["ward_code"] as? String == "00082")
        #expect(c["ward"] as? String == "Phường Cửa Nam")
        // Routing with an old department code lands on the department under the new code.
        let r = try cli.ok(who + ["route", code, "00073-KT", "--json"]).object()
        #expect(r["unit_code"] as? String == "00082-KT")
        #expect(r["unit"] as? String == "Phòng Kinh tế, Hạ tầng và Đô thị — Phường Cửa Nam")
        let h = try cli.ok(["units", "history", "06970"]).stdout
        #expect(h.contains("06970 → 06978") && h.contains("Quyết định 19/2025/QĐ-TTg"), "\(h)")
        let l = try cli.ok(["units", "list", "--within", "00070", "--json"]).json() as? [[String: Any]]
        #expect(l?.contains { $0["label"] as? String == "Phòng Kinh tế, Hạ tầng và Đô thị — Phường Hoàn Kiếm" } == true)
    }

    @Test func remoteFlagsNeedTheRightAndAReasonAndAreLogged() throws {
        var cli = try CLI.demo()
        cli.lang = "en"
        #expect(try cli.ok(["units", "remote", "list", "--json"]).stdout.contains("[") )
        let refused = try cli.run(now + ["--as", "vanthu.hoankiem", "units", "remote", "set", "00070", "--reason", "x"])
        #expect(refused.status == 4, "\(refused.stderr)")
        let noReason = try cli.run(now + ["--as", "admin", "units", "remote", "set", "00070"])
        #expect(noReason.status != 0)
        let set = try cli.ok(now + ["--as", "admin", "units", "remote", "set", "00070", "00073", "--reason", "QĐ thử 12/QĐ-UBND"])
        #expect(set.stdout.contains("2"), "\(set.stdout)")
        let list = try cli.ok(["units", "remote", "list"]).stdout
        #expect(list.contains("00070\tPhường Hoàn Kiếm") && list.contains("00082\tPhường Cửa Nam"), "\(list)")
        let log = try cli.ok(now + ["--as", "admin", "audit", "log", "--json"]).stdout
        #expect(log.contains("unit_remote_set") && log.contains("QĐ thử 12/QĐ-UBND"), "\(log)")
        let file = CLI.tempDB("remote") + ".txt"
        try "# vùng sâu\n00004\n00008 00103\n".write(toFile: file, atomically: true, encoding: .utf8)
        let bad = try cli.run(now + ["--as", "admin", "units", "remote", "import", file, "--reason", "x"])
        #expect(bad.status == 1 && bad.stderr.contains("line 3"), "\(bad.stderr)")
        #expect(!(try cli.ok(["units", "remote", "list"]).stdout.contains("00004")), "nothing flagged")
        #expect(try cli.ok(["audit", "verify"]).status == 0)
    }

    @Test func aBadChangeListNamesItsRowsAndWritesNothing() throws {
        var cli = try CLI.demo()
        cli.lang = "en"
        let file = CLI.tempDB("changes") + ".json"
        try """
            {"document": "Nghị quyết thử", "effective": "2026-08-01",
             "code_changes": [{"old": "00073", "new": "00074"}, {"old": "00004", "new": "00008"}],
             "type_changes": [{"code": "00070", "now": "Phường Hoàn Kiếm Mới"}, {"code": "00103", "now": "Làng Tây Hồ"}]}
            """.write(toFile: file, atomically: true, encoding: .utf8)
        let r = try cli.run(now + ["--as", "admin", "units", "import", file])
        #expect(r.status == 1)
        #expect(r.stderr.contains("type_changes[2]"), "\(r.stderr)")
        try """
            {"document": "Nghị quyết thử", "effective": "2026-08-01",
             "code_changes": [{"old": "00073", "new": "00074"}, {"old": "00004", "new": "00008"}],
             "type_changes": [{"code": "00070", "now": "Phường Hoàn Kiếm Mới"}]}
            """.write(toFile: file, atomically: true, encoding: .utf8)
        let r2 = try cli.run(now + ["--as", "admin", "units", "import", file])
        #expect(r2.status == 1)
        #expect(r2.stderr.contains("code_changes[1]: 00073 is no longer a unit code: it is now 00082 Phường Cửa Nam"), "\(r2.stderr)")
        #expect(r2.stderr.contains("code_changes[2]") && r2.stderr.contains("Phường Ngọc Hà"), "\(r2.stderr)")
        #expect(try cli.ok(["units", "list", "00070"]).stdout.contains("Phường Hoàn Kiếm\t"), "nothing written")
        let denied = try cli.run(now + ["--as", "vanthu.hoankiem", "units", "import", file])
        #expect(denied.status == 4, "\(denied.stderr)")
        // A good one, with the date from the command line.
        try #"{"type_changes": [{"code": "00070", "was": "Phường Hoàn Kiếm", "now": "Xã Hoàn Kiếm"}]}"#
            .write(toFile: file, atomically: true, encoding: .utf8)
        let ok = try cli.ok(now + ["--as", "admin", "units", "import", file, "--document", "NQ thử 1/2026", "--effective", "2026-09-01"])
        #expect(ok.stdout.contains("1 commune type changes"), "\(ok.stdout)")
        #expect(try cli.ok(["units", "list", "--within", "00070"]).stdout.contains("00070-KT\tPhòng Kinh tế — Xã Hoàn Kiếm"))
        #expect(try cli.ok(["units", "history", "00070"]).stdout.contains("NQ thử 1/2026"))
        #expect(try cli.ok(["audit", "verify"]).status == 0)
    }
}
