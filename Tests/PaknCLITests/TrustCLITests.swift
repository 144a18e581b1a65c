import Foundation
import Testing

/// Trust through the real binary: who may run what, what reaches the terminal, exports,
/// reveals, the audit chain, backups.
@Suite struct TrustCLITests {
    let now = ["--now", "2026-11-23T09:00:00+07:00"]
    var clerk: [String] { now + ["--as", "vanthu.hoankiem"] }
    var supervisor: [String] { now + ["--as", "lanhdao.hoankiem"] }

    func code(_ r: CLI.Result) -> String { r.stdout.trimmingCharacters(in: .whitespacesAndNewlines) }

    /// What must never reach a terminal raw: C0 controls but newline and tab, DEL, C1, bidi.
    static func unsafe(_ s: String) -> [String] {
        s.unicodeScalars.filter { u in
            (u.value < 0x20 && u.value != 0x0A && u.value != 0x09) || (0x7F...0x9F).contains(u.value)
                || (0x202A...0x202E).contains(u.value) || (0x2066...0x2069).contains(u.value)
        }.map { String(format: "U+%04X", $0.value) }
    }

    @Test func anAccountThatIsNoOfficialSeesNothing() throws {
        let cli = try CLI.demo()
        let fingerprint = try cli.fingerprint()
        let commands: [[String]] = [
            ["list"], ["show", "HN-2026-000001"], ["history", "HN-2026-000001"], ["units", "list"], ["officials", "list"],
            ["categories"], ["templates"], ["rules", "list"], ["audit", "verify"], ["audit", "head"], ["audit", "log"],
            ["export"], ["reveal", "HN-2026-000001", "--reason", "x"], ["citizen", "export", "--phone", "0912345678"],
            ["permissions"], ["backup", CLI.tempDB("ghost-backup")], ["note", "HN-2026-000001", "x"], ["desk"],
            ["intake", "--title", "T", "--body", "B", "--category", "traffic"], ["officials", "disable", "vanthu.hoankiem"],
            ["stress", "--actions", "1"], ["citizen", "erase", "--phone", "0912345678", "--reason", "x"],
            ["attach", "HN-2026-000001", "/etc/hostname"], ["units", "import", "/etc/hostname"], ["rules", "import", "/etc/hostname"],
            ["officials", "add", "ghost.two", "--name", "Ma", "--unit", "00070", "--role", "admin"],
            ["officials", "set-role", "vanthu.hoankiem", "admin"], ["officials", "enable", "vanthu.hoankiem"],
            ["audit", "verify", "--full"], ["list", "--json"], ["list", "--csv"], ["show", "HN-2026-000001", "--json"],
            ["history", "HN-2026-000001", "--json"], ["export", "--format", "csv"], ["route", "HN-2026-000001", "00070-KT"],
            ["import", "/etc/hostname"],
        ]
        for args in commands {
            let r = try cli.run(["--as", "ghost.user"] + args)
            #expect(r.status == 4, "\(args): \(r.status) \(r.stderr)")
            #expect(r.stdout.isEmpty, "\(args) printed: \(r.stdout.prefix(200))")
            #expect(r.stderr.contains("ghost.user") && r.stderr.contains("pakn officials add"), "\(args): \(r.stderr)")
        }
        // And it changed nothing: the refusals happen before the database is touched.
        #expect(try cli.fingerprint() == fingerprint)
    }

    @Test func aDisabledOfficialIsRefusedAndOnlyAnAdminDisables() throws {
        let cli = try CLI.demo()
        let c = code(try cli.ok(clerk + ["intake", "--title", "Vỉa hè bị lấn chiếm", "--body", "Quán bày bàn ghế kín vỉa hè.",
                                         "--category", "urban_order", "--ward", "00070"]))
        let r = try cli.run(clerk + ["officials", "disable", "canbo.hoankiem.kt"])
        #expect(r.status == 4 && r.stderr.contains("manage_officials"))
        // Who works where is for admins too, each within their units.
        let list = try cli.run(clerk + ["officials", "list"])
        #expect(list.status == 4 && list.stdout.isEmpty && list.stderr.contains("manage_officials"))
        #expect(try cli.ok(now + ["officials", "list", "--within", "00070"]).stdout.contains("vanthu.hoankiem"))
        try cli.ok(now + ["officials", "disable", "vanthu.hoankiem"])
        let refused = try cli.run(clerk + ["list"])
        #expect(refused.status == 4 && refused.stderr.contains("khoá"))
        try cli.ok(now + ["officials", "enable", "vanthu.hoankiem"])
        try cli.ok(clerk + ["list"])
        try cli.ok(now + ["officials", "set-role", "canbo.hoankiem.kt", "viewer"])
        let note = try cli.run(now + ["--as", "canbo.hoankiem.kt", "note", c, "x"])
        #expect(note.status == 4 && note.stderr.contains("note"), "\(note.stderr)")
        let log = try cli.ok(now + ["audit", "log"]).stdout
        #expect(log.contains("official_role") && log.contains("official_disable") && log.contains("refused"))
    }

    @Test func revealNeedsAReasonAndLeavesATrace() throws {
        let cli = try CLI.demo()
        let c = code(try cli.ok(clerk + ["intake", "--title", "Tố cáo cán bộ thu tiền trái phép", "--body", "Nội dung tố cáo.",
                                         "--kind", "denunciation", "--category", "land", "--ward", "00070",
                                         "--reporter-name", "Đỗ Văn Tố", "--reporter-phone", "0977111222", "--reporter-id", "001090000111"]))
        let shown = try cli.ok(supervisor + ["show", c]).stdout + (try cli.ok(supervisor + ["show", c, "--json"]).stdout)
        #expect(!shown.contains("Đỗ Văn Tố") && !shown.contains("0977111222"))
        #expect(try cli.run(clerk + ["reveal", c, "--reason", "tò mò"]).status == 4)
        // The ward's supervisor may not: the city inspectorate handles the denunciation.
        #expect(try cli.run(supervisor + ["reveal", c, "--reason", "Mời người tố cáo đến đối chất"]).status == 4)
        let city = now + ["--as", "lanhdao.hanoi"]
        let noReason = try cli.run(city + ["reveal", c])
        #expect(noReason.status == 1 && noReason.stderr.contains("lý do"))
        let r = try cli.ok(city + ["reveal", c, "--reason", "Mời người tố cáo đến đối chất"])
        #expect(r.stdout.contains("Đỗ Văn Tố") && r.stdout.contains("001090000111"))
        let history = try cli.ok(supervisor + ["history", c]).stdout
        #expect(history.contains("Mời người tố cáo đến đối chất"))
        #expect(!history.contains("Đỗ Văn Tố"))
        // Never in search results, lists or exports.
        #expect(!(try cli.ok(supervisor + ["list", "-q", "Do Van To"]).stdout.contains(c)))
        #expect(!(try cli.ok(supervisor + ["list", "-q", "0977111222"]).stdout.contains(c)))
        for args in [["list", "--json", "--limit", "100000"], ["list", "--csv", "--limit", "100000"], ["export"], ["show", c, "--json"]] {
            let out = try cli.ok(supervisor + args).stdout
            #expect(!out.contains("Đỗ Văn Tố") && !out.contains("0977111222") && !out.contains("001090000111"), "\(args)")
        }
        let export = try cli.ok(supervisor + ["export", "--format", "csv", "--unredacted", "--reason", "Báo cáo"]).stdout
        #expect(export.contains(c) && !export.contains("Đỗ Văn Tố") && !export.contains("0977111222"))
    }

    @Test func aCaseOutsideOnesUnitsReadsLikeAnUnknownCase() throws {
        let cli = try CLI.demo()
        let c = code(try cli.ok(clerk + ["intake", "--title", "Đèn đường hỏng", "--body", "Tối om cả đoạn phố.",
                                         "--category", "urban_order", "--ward", "00070"]))
        let outsider = now + ["--as", "lanhdao.badinh"]
        let missing = "HN-2026-999999"
        for args in [["show", c], ["history", c], ["note", c, "x"], ["reveal", c, "--reason", "Xác minh"], ["assign", c, "vanthu.badinh"]] {
            let r = try cli.run(outsider + args)
            let unknown = try cli.run(outsider + args.map { $0 == c ? missing : $0 })
            #expect(r.status == unknown.status && r.status == 1, "\(args): \(r.status)")
            #expect(r.stdout.isEmpty)
            #expect(r.stderr.replacingOccurrences(of: c, with: missing) == unknown.stderr, "\(args): \(r.stderr)")
        }
        // The history of the case says who tried.
        let h = try cli.ok(supervisor + ["history", c]).stdout
        #expect(h.split(separator: "\n").filter { $0.contains("lanhdao.badinh") && $0.contains("ngoài phạm vi") }.count == 5, "\(h)")
    }

    @Test func exportsAreRedactedSafeAndLogged() throws {
        let cli = try CLI.demo()
        let c = code(try cli.ok(clerk + ["intake", "--title", "=HYPERLINK(\"http://x\",\"bấm vào\")", "--body", "+1 -2 @3 \u{1B}[2J",
                                         "--category", "traffic", "--ward", "00070", "--reporter-name", "@Nguyễn Văn Bình",
                                         "--reporter-phone", "0905123456", "--reporter-email", "binh@example.vn"]))
        let csv = try cli.ok(clerk + ["export", "--format", "csv"]).stdout
        let line = try #require(csv.split(whereSeparator: \.isNewline).first { $0.hasPrefix(c) })
        #expect(line.contains("\"'=HYPERLINK(\"\"http://x\"\",\"\"bấm vào\"\")\""))
        #expect(line.contains(",'+1 -2 @3 "))
        #expect(line.contains(",masked,'@. V. B***,*******456,b***@example.vn,"))
        // CSV for Excel ends its records in CRLF: the only CRs in it.
        #expect(!csv.contains("0905123456") && Self.unsafe(csv.replacingOccurrences(of: "\r\n", with: "\n")).isEmpty)
        let json = try cli.ok(clerk + ["export"]).json() as? [[String: Any]]
        let mine = try #require(json?.first { $0["code"] as? String == c })
        let rep = try #require(mine["reporter"] as? [String: Any])
        #expect(rep["masked"] as? Bool == true && rep["phone"] as? String == "*******456")
        // Unredacted: the permission, a reason, and a record.
        #expect(try cli.run(clerk + ["export", "--unredacted", "--reason", "x"]).status == 4)
        #expect(try cli.run(supervisor + ["export", "--unredacted"]).status == 1)
        let out = CLI.tempDB("export") + ".json"
        let done = try cli.ok(supervisor + ["export", "--unredacted", "--reason", "Cung cấp cho Thanh tra", "--out", out])
        #expect(done.stdout.contains(out))
        #expect(try String(contentsOfFile: out, encoding: .utf8).contains("0905123456"))
        #expect(try FileManager.default.attributesOfItem(atPath: out)[.posixPermissions] as? Int == 0o600)
        #expect(try cli.run(supervisor + ["export", "--out", out]).status == 1, "never overwrites without --force")
        let log = try cli.ok(now + ["audit", "log", "--json"]).json() as? [[String: Any]]
        #expect(log?.first?["action"] as? String == "export_unredacted")
        #expect(log?.first?["note"] as? String == "Cung cấp cho Thanh tra")
        #expect(log?.contains { $0["action"] as? String == "refused" && $0["login"] as? String == "vanthu.hoankiem" } == true)
    }

    @Test func hostileCitizenTextNeverReachesTheTerminalRaw() throws {
        let cli = try CLI.demo()
        let nasty = "A\u{1B}]52;c;SGVsbG8=\u{07}B\u{1B}[2JC\u{9B}31mD\u{202E}E\u{2066}F\u{7F}G\u{85}H"
        let file = CLI.tempDB("body") + ".txt"
        var body = Data("Dòng đầu \(nasty)\n".utf8)
        body.append(contentsOf: [0x00, 0x00])
        body.append(Data(String(repeating: "dài", count: 3_400).utf8))   // one 10,200-character line
        try body.write(to: URL(fileURLWithPath: file))
        let c = code(try cli.ok(clerk + ["intake", "--title", "Tiêu đề \(nasty)", "--body-file", file, "--category", "traffic",
                                         "--ward", "00070", "--address", "Số 1 \(nasty)", "--reporter-name", "Tên \(nasty)"]))
        try cli.ok(clerk + ["note", c, "Ghi chú \(nasty)"])
        try cli.ok(clerk + ["reject", c, "--reason", "Lý do \(nasty)"])
        let outputs = [
            try cli.ok(clerk + ["show", c]), try cli.ok(clerk + ["show", c, "--json"]), try cli.ok(clerk + ["history", c]),
            try cli.ok(clerk + ["history", c, "--json"]), try cli.ok(clerk + ["list", "-q", "tieu de"]),
            try cli.ok(clerk + ["list", "--csv", "--limit", "1000"]), try cli.ok(clerk + ["export", "--format", "csv"]),
            try cli.ok(clerk + ["export"]), try cli.ok(supervisor + ["reveal", c, "--reason", "Xác minh"]),
        ]
        for (i, r) in outputs.enumerated() {
            // The CSV outputs (5, 6) end their records in CRLF for Excel: the only CRs allowed.
            let out = [5, 6].contains(i) ? r.stdout.replacingOccurrences(of: "\r\n", with: "\n") : r.stdout
            #expect(Self.unsafe(out).isEmpty, "output \(i): \(Self.unsafe(out))")
            #expect(Self.unsafe(r.stderr).isEmpty, "stderr \(i)")
        }
        #expect(outputs[0].stdout.contains("dàidài"))
        // Limits: a megabyte body, a 10,000-character title: one clear line, nothing written.
        let big = CLI.tempDB("big") + ".txt"
        try Data(String(repeating: "Ngập nước. ", count: 100_000).utf8).write(to: URL(fileURLWithPath: big))
        let before = try cli.fingerprint()
        let r1 = try cli.run(clerk + ["intake", "--title", "T", "--body-file", big, "--category", "traffic"])
        #expect(r1.status == 1 && r1.stderr.contains("20000"))
        let r2 = try cli.run(clerk + ["intake", "--title", String(repeating: "x", count: 10_000), "--body", "B", "--category", "traffic"])
        #expect(r2.status == 1 && r2.stderr.contains("500"))
        let r3 = try cli.run(clerk + ["note", c, String(repeating: "n", count: 25_000)])
        #expect(r3.status == 1 && r3.stderr.contains("20000"))
        #expect(try cli.fingerprint() == before)
    }

    @Test func auditVerifyAgainstAKeptHead() throws {
        let cli = try CLI.demo()
        let head = code(try cli.ok(["audit", "head"]))
        try cli.ok(now + ["note", "HN-2026-000001", "Ghi chú sau khi lưu mã băm"])
        let ok = try cli.ok(["audit", "verify", "--against", head])
        #expect(ok.stdout.contains("nguyên vẹn") && ok.stdout.contains("mục số"))
        let bad = try cli.run(["audit", "verify", "--against", String(repeating: "ab", count: 32)])
        #expect(bad.status == 1 && bad.stdout.contains("cắt bớt"))
        let full = try cli.ok(["audit", "verify", "--full"])
        #expect(full.stdout.contains("toàn vẹn"))
        #expect(try cli.ok(["permissions", "--markdown"]).stdout.contains("| `reveal_reporter` |"))
    }

    @Test func backupRestoreAndABrokenFile() throws {
        let cli = try CLI.demo()
        let backup = CLI.tempDB("backup")
        let b = try cli.ok(["backup", backup])
        #expect(b.stdout.contains(backup))
        #expect(try cli.run(["backup", backup]).status == 1)
        let target = CLI(db: CLI.tempDB("restored"))
        try target.ok(["restore", backup])
        #expect(try target.ok(["audit", "verify"]).stdout.contains("nguyên vẹn"))
        let again = try target.run(["restore", backup])
        #expect(again.status == 1 && again.stderr.contains("--force"))
        let forced = try target.ok(["restore", backup, "--force"])
        #expect(forced.stdout.contains("before-restore"))
        // A damaged file: one clear line, exit 5.
        let junk = CLI(db: CLI.tempDB("junk"))
        try Data(repeating: 0x41, count: 4096).write(to: URL(fileURLWithPath: junk.db))
        let r = try junk.run(["list"])
        #expect(r.status == 5 && r.stderr.contains("pakn restore") && r.stderr.split(separator: "\n").count == 1)
    }

    @Test func citizenRequestsThroughTheCLI() throws {
        let cli = try CLI.demo()
        let c = code(try cli.ok(clerk + ["intake", "--title", "Đèn đường hỏng", "--body", "Tối om.", "--category", "urban_order",
                                         "--ward", "00070", "--reporter-name", "Vũ Thị Lan", "--reporter-phone", "0933 444 555"]))
        let doc = try cli.ok(now + ["citizen", "export", "--phone", "+84933444555"]).object()
        let records = try #require(doc["records"] as? [[String: Any]])
        #expect(records.count == 1 && records.first?["case"] as? String == c)
        let nameOnly = try cli.run(now + ["citizen", "erase", "--name", "Vũ Thị Lan", "--reason", "Yêu cầu"])
        #expect(nameOnly.status == 1 && nameOnly.stderr.contains("--phone"))
        let erased = try cli.ok(now + ["citizen", "erase", "--phone", "0933444555", "--reason", "Đơn yêu cầu xoá ngày 22/11"])
        #expect(erased.stdout.contains(c))
        let shown = try cli.ok(supervisor + ["show", c, "--json"]).stdout
        #expect(!shown.contains("444555") && !shown.contains("Lan"))
        let history = try cli.ok(supervisor + ["history", c, "--json"]).object()["history"] as? [[String: Any]]
        #expect(history?.last?["action"] as? String == "erase")
        #expect(try cli.ok(["audit", "verify", "--full"]).stdout.contains("toàn vẹn"))
    }
}
