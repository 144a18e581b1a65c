import Foundation
import PaknTestSupport
import PaknCore
import Testing

/// Bad input gets one clear line on stderr, in the chosen language, a non-zero exit, and
/// the database stays as it was.
@Suite struct BadInputCLITests {
    let clerk = ["--now", "2026-11-23T09:00:00+07:00", "--as", "vanthu.hoankiem"]

    func expectRefusal(_ cli: CLI, _ args: [String], status: Int32 = 1, contains: String,
                       sourceLocation: SourceLocation = #_sourceLocation) throws {
        let before = try cli.fingerprint()
        let r = try cli.run(args)
        #expect(r.status == status, "\(args): \(r.stderr)", sourceLocation: sourceLocation)
        #expect(r.stderr.hasPrefix("pakn: "), sourceLocation: sourceLocation)
        #expect(r.stderr.split(separator: "\n").count == 1, "one line: \(r.stderr)", sourceLocation: sourceLocation)
        #expect(r.stderr.contains(contains), "\(r.stderr)", sourceLocation: sourceLocation)
        #expect(try cli.fingerprint() == before, "database changed", sourceLocation: sourceLocation)
    }

    @Test func unknownCase() throws {
        let cli = try CLI.demo()
        try expectRefusal(cli, clerk + ["show", "HN-2026-999999"], contains: "Không tìm thấy hồ sơ")
        var en = cli
        en.lang = "en"
        try expectRefusal(en, clerk + ["close", "HN-2026-999999"], contains: "No case")
    }

    @Test func wrongUnitCode() throws {
        let cli = try CLI.demo()
        try expectRefusal(cli, clerk + ["intake", "--title", "T", "--body", "B", "--category", "traffic", "--ward", "99999"],
                          contains: "99999")
        try expectRefusal(cli, clerk + ["route", "HN-2026-000001", "00070-XYZ"], contains: "00070-XYZ")
    }

    @Test func illegalTransitionSaysWhatIsAllowed() throws {
        let cli = try CLI.demo()
        let code = try cli.ok(clerk + ["intake", "--title", "Tiếng ồn", "--body", "Karaoke đến 1 giờ sáng.", "--category",
                                       "security_order", "--ward", "00070", "--route", "none"])
            .stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        try expectRefusal(cli, clerk + ["close", code], contains: "Được phép: route")
    }

    @Test func missingFieldsAndBadValues() throws {
        let cli = try CLI.demo()
        try expectRefusal(cli, clerk + ["intake", "--body", "B", "--category", "traffic"], contains: "--title")
        try expectRefusal(cli, clerk + ["intake", "--title", "T", "--body", "B", "--category", "traffic", "--kind", "gossip"],
                          contains: "gossip")
        let code = try cli.ok(clerk + ["intake", "--title", "Vỉa hè bị lấn chiếm", "--body", "Quán nước lấn chiếm vỉa hè.",
                                       "--category", "urban_order", "--ward", "00070"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        try expectRefusal(cli, clerk + ["reject", code, "--reason", "  "], contains: "lý do")
        try cli.ok(clerk + ["assign", code, "canbo.hoankiem.kt"])
        try cli.ok(["--as", "canbo.hoankiem.kt", "reply", code, "-m", "Đã nhắc nhở chủ quán."])
        try expectRefusal(cli, clerk + ["rate", code, "9"], contains: "1 đến 5")
    }

    @Test func unreadableFiles() throws {
        let cli = try CLI.demo()
        try expectRefusal(cli, clerk + ["intake", "--title", "T", "--body-file", "/nonexistent/x.txt", "--category", "traffic"],
                          contains: "/nonexistent/x.txt")
        // The reason is in the reader's language, not the system's.
        try expectRefusal(cli, clerk + ["--lang", "vi", "attach", "HN-2026-000001", "/nonexistent/ảnh.jpg"],
                          contains: L10n.t("store.file.missing", .vi))
        try expectRefusal(cli, clerk + ["--lang", "en", "import", FileManager.default.temporaryDirectory.path],
                          contains: L10n.t("store.file.folder", .en))
        let bad = TestScratch.folder("pakn-cli-tests").appendingPathComponent("bad-\(UUID()).bin")
        try Data([0xFF, 0xFE, 0x00, 0x01]).write(to: bad)
        try expectRefusal(cli, clerk + ["intake", "--title", "T", "--body-file", bad.path, "--category", "traffic"],
                          contains: "UTF-8")
        try expectRefusal(cli, clerk + ["intake", "--title", "T", "--body", "B", "--category", "traffic", "--attach", bad.path],
                          contains: "bad-")
    }

    @Test func trainingOptionsAreRefusedOnProduction() throws {
        let cli = CLI(db: CLI.tempDB("prod"))
        try cli.ok(["init"])
        let r = try cli.run(["--as", "someone", "list"])
        #expect(r.status == 4)
        #expect(r.stderr.contains("--as"))
        let n = try cli.run(["--now", "2026-01-01", "list"])
        #expect(n.status == 4)
        // Whatever the command, reading or writing.
        let before = try cli.fingerprint()
        for args in [["show", "1"], ["history", "1"], ["export"], ["audit", "log"], ["note", "1", "x"],
                     ["intake", "--title", "T", "--body", "B", "--category", "traffic"], ["import", "/etc/hostname"]] {
            for option in [["--as", "someone"], ["--now", "2026-01-01T08:00:00+07:00"]] {
                let r = try cli.run(option + args)
                #expect(r.status == 4 && r.stdout.isEmpty && r.stderr.contains(option[0]), "\(option) \(args): \(r.status) \(r.stderr)")
            }
        }
        #expect(try cli.fingerprint() == before)
    }

    @Test func missingDatabaseSaysHowToCreateOne() throws {
        let cli = CLI(db: "/tmp/does-not-exist-\(UUID()).sqlite")
        let r = try cli.run(["list"])
        #expect(r.status == 5)
        #expect(r.stderr.contains("pakn init"))
    }

    @Test func controlCharactersNeverReachTheTerminal() throws {
        let cli = try CLI.demo()
        let code = try cli.ok(clerk + ["intake", "--title", "Xin chào \u{1B}]52;c;SGVsbG8=\u{07}\u{1B}[2J", "--body",
                                       "Nội dung \u{1B}[31mđỏ\u{1B}[0m", "--category", "other", "--ward", "00070"])
            .stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let out = try cli.ok(clerk + ["show", code]).stdout + (try cli.ok(clerk + ["list", "-q", "xin chao"]).stdout)
        #expect(!out.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x07 || (0x80...0x9F).contains($0.value) })
    }
}
