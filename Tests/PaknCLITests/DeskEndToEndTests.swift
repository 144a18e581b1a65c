import Foundation
import PaknCore
import Testing

/// The desk end to end: the built `pakn` in tmux on a demo database, driven with keys,
/// checked on screen and then in the database through the CLI.
///
/// The training database is generated once per test process (`demo --cases 300 --seed 1`
/// at a fixed `--now`) and copied for each test; every desk runs at that same `--now`.
@Suite("Desk in a terminal (tmux)", .enabled(if: DeskTmux.available, "tmux is not installed (make deps installs it)"))
struct DeskEndToEndTests {
    static let now = "2026-11-23T09:00:00+07:00"
    static let clerk = "vanthu.hoankiem"            // Tô Thùy Thơ, clerk of Phường Hoàn Kiếm
    static let handler = "canbo.hoankiem.kt"        // Kiều Hữu Hùng, Phòng Kinh tế, Hạ tầng và Đô thị
    static let supervisor = "lanhdao.hoankiem"      // Lâm Hải Vy, supervisor of Phường Hoàn Kiếm

    static let template: String = {
        let path = CLI.tempDB("desk-template")
        let r = try! CLI(db: path).run(["--now", now, "demo", "--cases", "300", "--seed", "1"])
        precondition(r.status == 0, "pakn demo failed: \(r.stderr)")
        // Whatever the generator's dice gave Hoàn Kiếm, its clerk has cases to triage.
        for (i, title) in ["Ngập nước sau mưa trên phố Hàng Bông", "Xe máy đỗ tràn vỉa hè phố Hàng Gai"].enumerated() {
            let at = "2026-11-23T0\(7 + i):30:00+07:00"
            let t = try! CLI(db: path).run(["--as", clerk, "--now", at, "intake", "--title", title,
                                            "--body", title + ", đề nghị phường kiểm tra.", "--category", "urban_order",
                                            "--channel", "hotline", "--ward", "00070", "--route", "none"])
            precondition(t.status == 0, "pakn intake failed: \(t.stderr)")
        }
        return path
    }()

    /// A private copy of the demo database.
    static func database() throws -> CLI {
        let path = CLI.tempDB("desk")
        try FileManager.default.copyItem(atPath: template, toPath: path)
        for suffix in ["-wal", "-shm"] where FileManager.default.fileExists(atPath: template + suffix) {
            try FileManager.default.copyItem(atPath: template + suffix, toPath: path + suffix)
        }
        return CLI(db: path)
    }

    /// `pakn` desk arguments for `login` on `db`.
    static func desk(_ db: CLI, as login: String, lang: String = "vi", extra: [String] = []) -> [String] {
        ["--db", db.db, "--as", login, "--now", now, "--lang", lang] + extra
    }

    static func t(_ key: String, _ args: CustomStringConvertible...) -> String {
        L10n.format(key, .vi, args.map(\.description))
    }

    /// The case open in the detail pane: the code in a pane title rule ("─ Chi tiết CODE ─").
    static func detailCode(_ screen: String) -> String? {
        let detail = t("desk.pane.detail")
        return screen.components(separatedBy: "\n").first { $0.hasPrefix("─ \(detail) ") }?.caseCodes.first
    }

    /// Codes of the queue rows on screen, top to bottom.
    static func queueCodes(_ screen: String) -> [String] {
        let lines = screen.components(separatedBy: "\n")
        guard let start = lines.firstIndex(where: { $0.hasPrefix("─ ") }) else { return [] }
        var out: [String] = []
        for line in lines[(start + 1)...] {
            if line.hasPrefix("─") { break }
            if let code = line.prefix(20).description.caseCodes.first { out.append(code) }
        }
        return out
    }

    static func history(_ db: CLI, _ code: String) throws -> (status: String, events: [[String: Any]]) {
        let r = try db.ok(["--as", clerk, "show", code, "--json"])
        let obj = try r.object()
        return (obj["status"] as? String ?? "", obj["history"] as? [[String: Any]] ?? [])
    }

    // MARK: - (a) A clerk takes the newest case from triage to a resolved reply

    @Test func clerkTakesNewestCaseFromTriageToAResolvedReply() throws {
        let db = try Self.database()
        // The newest case waiting for triage, as the CLI sees it.
        let listed = try db.ok(["--as", Self.clerk, "--now", Self.now, "list", "--status", "received",
                                "--order", "newest", "--limit", "1", "--json"])
        let newest = try #require((try listed.json() as? [[String: Any]])?.first?["code"] as? String)

        let desk = try DeskTmux(Self.desk(db, as: Self.clerk))
        defer { desk.stop() }
        var screen = desk.waitFor(text: "Tô Thùy Thơ")
        desk.waitFor("the triage queue") { !Self.queueCodes($0).isEmpty && $0.contains(Self.t("desk.view.triage")) }

        // Newest first (sorted by the day received, the column after the deadline, which a
        // fresh desk starts with, then reversed), then the top row.
        desk.waitFor(text: Self.t("desk.sort.by", Self.t("desk.sort.deadline"), "↑"))
        desk.press("o")
        desk.waitFor(text: Self.t("desk.sort.by", Self.t("desk.sort.received"), "↑"))
        desk.press("z")
        desk.waitFor(text: Self.t("desk.sort.by", Self.t("desk.sort.received"), "↓"))
        desk.press("g")
        screen = desk.waitFor("the newest case selected") { Self.detailCode($0) == newest }
        #expect(Self.queueCodes(screen).first == newest)

        // Route with the picker: type part of the department's name, without diacritics.
        desk.press("r")
        desk.waitFor(text: Self.t("desk.picker.unit"))
        desk.type("kinh te")
        screen = desk.waitFor("the picker narrowed to one unit") {
            $0.contains("Phòng Kinh tế, Hạ tầng và Đô thị") && !$0.contains("Công an xã, phường")
        }
        desk.press("Enter")
        desk.waitFor(text: Self.t("desk.done", L10n.t("action.route", .vi), newest))
        #expect(try Self.history(db, newest).status == "routed")

        // The case left triage; go to it and assign it with the picker.
        desk.type(":goto \(newest)")
        desk.press("Enter")
        desk.waitFor("the routed case selected") { Self.detailCode($0) == newest }
        desk.press("a")
        desk.waitFor(text: Self.t("desk.picker.official"))
        desk.type("huu hung")
        desk.waitFor("the picker narrowed to Kiều Hữu Hùng") {
            $0.contains("Kiều Hữu Hùng") && !$0.contains("Lâm Hải Vy") && !$0.contains("Hà Trọng Thịnh")
        }
        desk.press("Enter")
        desk.waitFor(text: Self.t("desk.done", L10n.t("action.assign", .vi), newest))
        #expect(try Self.history(db, newest).status == "assigned")

        // The reply, by the same clerk: from a template, found by typing without diacritics.
        desk.press("R")
        desk.waitFor(text: Self.t("desk.pane.reply_to", newest))
        desk.press("C-t")
        desk.waitFor(text: Self.t("desk.picker.template"))
        desk.type("ket qua")
        desk.waitFor(text: "Thông báo kết quả xử lý")
        desk.press("Enter")
        desk.waitFor(text: "Trân trọng cảm ơn ông/bà")
        desk.press("C-s")
        // Shown once more before it goes to the citizen: the template, the status it leads to.
        desk.waitFor(text: Self.t("desk.send.title.reply", newest))
        desk.waitFor(text: "Thông báo kết quả xử lý")
        desk.press("y")
        desk.waitFor(text: Self.t("desk.done", L10n.t("action.reply", .vi), newest))
        desk.press("q")
        #expect(desk.exitStatus() == 0)

        // The database: resolved, with route, assign and reply all by the clerk.
        let (status, events) = try Self.history(db, newest)
        #expect(status == "resolved")
        let byAction = Dictionary(grouping: events, by: { $0["action"] as? String ?? "" })
        #expect(byAction["route"]?.map { $0["actor"] as? String } == [Self.clerk])
        #expect(byAction["assign"]?.map { $0["actor"] as? String } == [Self.clerk])
        #expect(byAction["reply"]?.map { $0["actor"] as? String } == [Self.clerk])
        #expect(byAction["refused"] == nil, "no refused attempt on the way")
        let shown = try db.ok(["--as", Self.clerk, "show", newest, "--json"]).object()
        #expect((shown["reply"] as? String ?? "").contains("Trân trọng cảm ơn ông/bà"))
    }

    // MARK: - (b) The supervisor's overdue view

    @Test func supervisorSeesExactlyTheOverdueCasesOfTheSubtree() throws {
        let db = try Self.database()
        let listed = try db.ok(["--as", Self.supervisor, "--now", Self.now, "list", "--overdue", "--limit", "100000", "--json"])
        let expected = Set(((try listed.json() as? [[String: Any]]) ?? []).compactMap { $0["code"] as? String })
        #expect(!expected.isEmpty, "the demo has overdue cases in Hoàn Kiếm")

        let desk = try DeskTmux(Self.desk(db, as: Self.supervisor), width: 100, height: 30)
        defer { desk.stop() }
        desk.waitFor(text: "Lâm Hải Vy")
        desk.press("5")
        var screen = desk.waitFor("the overdue view") {
            $0.contains(Self.t("desk.view.overdue")) && !Self.queueCodes($0).isEmpty
        }
        // Page down until the last page: the pane title's position ("12/47") stops moving.
        var seen: [String] = []
        func position(_ s: String) -> String? {
            s.components(separatedBy: "\n").first { $0.hasPrefix("─ ") }?
                .split(separator: " ").first { $0.contains("/") && $0.first?.isNumber == true }.map(String.init)
        }
        for _ in 0..<50 {
            seen += Self.queueCodes(screen).filter { !seen.contains($0) }
            let before = position(screen)
            desk.press("PageDown")
            // Answered at once unless already on the last page; then the position stays.
            let deadline = Date().addingTimeInterval(1.5)
            repeat { usleep(20_000); screen = desk.screen() } while position(screen) == before && Date() < deadline
            if position(screen) == before { break }
        }
        seen += Self.queueCodes(screen).filter { !seen.contains($0) }
        #expect(Set(seen) == expected)
        #expect(seen.count == expected.count, "no case twice")
        // The count in the pane title agrees.
        #expect(screen.contains("/\(expected.count) "))
        desk.press("q")
        #expect(desk.exitStatus() == 0)
    }

    // MARK: - (c) Living with a terminal

    @Test func resizeTooSmallAndBack() throws {
        let db = try Self.database()
        let desk = try DeskTmux(Self.desk(db, as: Self.clerk))
        defer { desk.stop() }
        desk.waitFor("the queue") { !Self.queueCodes($0).isEmpty }

        desk.resize(width: 120, height: 40)
        var screen = desk.waitFor("the layout at 120 columns") { s in
            s.components(separatedBy: "\n").contains { $0.hasPrefix("─") && $0.count == 120 }
        }
        #expect(screen.components(separatedBy: "\n").count >= 40)

        desk.resize(width: 30, height: 8)
        desk.waitFor("the too-small message") { $0.contains("30×8") && Self.queueCodes($0).isEmpty }

        // Keys still work while too small, and the desk comes back as it was.
        desk.resize(width: 80, height: 24)
        screen = desk.waitFor("the queue again at 80×24") { s in
            !Self.queueCodes(s).isEmpty && s.components(separatedBy: "\n").contains { $0.hasPrefix("─") && $0.count == 80 }
        }
        let first = Self.detailCode(screen)
        desk.press("j")
        desk.waitFor("the selection to move") { Self.detailCode($0) != nil && Self.detailCode($0) != first }
        desk.press("q")
        #expect(desk.exitStatus() == 0)
    }

    /// Esc closes what is open, every time (the desk sets ncurses' escape delay to 25 ms
    /// rather than a second; speed is measured by `pakn bench`, not asserted here).
    @Test func escapeClosesTheHelpEveryTime() throws {
        let db = try Self.database()
        let desk = try DeskTmux(Self.desk(db, as: Self.clerk))
        defer { desk.stop() }
        desk.waitFor("the queue") { !Self.queueCodes($0).isEmpty }
        let helpTitle = Self.t("desk.help.title")
        for _ in 0..<3 {
            desk.press("?")
            desk.waitFor(text: helpTitle)
            desk.press("Escape")
            let after = desk.waitFor("the queue again") { !$0.contains(helpTitle) && !Self.queueCodes($0).isEmpty }
            #expect(!after.contains(helpTitle) && !Self.queueCodes(after).isEmpty, "back on the queue")
        }
        desk.press("q")
        #expect(desk.exitStatus() == 0)
    }

    /// The desk polls the database once a second; the wait below only bounds the harness.
    @Test func anotherClerksChangeShowsUp() throws {
        let db = try Self.database()
        let desk = try DeskTmux(Self.desk(db, as: Self.clerk))
        defer { desk.stop() }
        desk.waitFor(text: "Tô Thùy Thơ")
        desk.press("3")   // routed, not yet assigned
        var screen = desk.waitFor("the unassigned view with two cases or more") {
            $0.contains(Self.t("desk.view.unassigned")) && Self.queueCodes($0).count >= 2
        }
        // Select the second row; the first is changed by someone else.
        desk.press("j")
        screen = desk.waitFor("the second row selected") { Self.detailCode($0) == Self.queueCodes($0)[safe: 1] }
        let codes = Self.queueCodes(screen)
        let changed = codes[0], selected = codes[1]

        try db.ok(["--as", Self.clerk, "--now", Self.now, "assign", changed, Self.handler])
        screen = desk.waitFor("\(changed) to leave the unassigned view", timeout: 4) {
            !Self.queueCodes($0).contains(changed)
        }
        #expect(Self.detailCode(screen) == selected, "the selection stays on \(selected)")
        desk.press("q")
        #expect(desk.exitStatus() == 0)
    }

    @Test func terminalIsRestoredAfterQuitAndAfterSIGTERM() throws {
        let db = try Self.database()
        let check = "stty -a | tr ' ;' '\\n\\n' | grep -x -e -icanon -e icanon -e -echo -e echo | tr '\\n' ' '; echo STTY-DONE"
        for viaSignal in [false, true] {
            let desk = try DeskTmux(Self.desk(db, as: Self.clerk), after: check)
            defer { desk.stop() }
            desk.waitFor("the queue") { !Self.queueCodes($0).isEmpty }
            if viaSignal {
                let shell = try #require(desk.panePid())
                // pakn is the shell's child: find it through /proc, by parent pid.
                let child = try #require(DeskEndToEndTests.childPid(of: shell))
                kill(child, SIGTERM)
            } else {
                desk.press("q")
            }
            let screen = desk.waitFor(text: "STTY-DONE")
            #expect(screen.contains("icanon") && !screen.contains("-icanon"), "\(screen)")
            #expect(screen.contains("echo") && !screen.contains("-echo"), "\(screen)")
            #expect(Self.queueCodes(screen).isEmpty, "the desk's screen is gone (alternate screen left)")
        }
    }

    @Test func noColorMeansNoColour() throws {
        let db = try Self.database()
        let colour = try DeskTmux(Self.desk(db, as: Self.clerk))
        defer { colour.stop() }
        colour.waitFor("the queue") { !Self.queueCodes($0).isEmpty }
        #expect(colour.screenWithStyles().contains("\u{1B}[38;5;"), "the default theme uses 256 colours")

        let mono = try DeskTmux(Self.desk(db, as: Self.clerk), env: ["NO_COLOR": "1"])
        defer { mono.stop() }
        mono.waitFor("the queue") { !Self.queueCodes($0).isEmpty }
        let styled = mono.screenWithStyles()
        #expect(!styled.contains("[38;5;") && !styled.contains("[48;5;"), "no colour at all")
        #expect(styled.contains("\u{1B}[7m") || styled.contains(";7m"), "the selection is shown in reverse video")
    }

    /// An official who sets LANG=vi_VN.UTF-8 on a machine where that locale was never
    /// generated still gets the desk (UTF-8 through C.UTF-8), with Vietnamese drawn whole.
    @Test func aUTF8LocaleThatIsNotInstalledStillOpensTheDesk() throws {
        let db = try Self.database()
        let desk = try DeskTmux(Self.desk(db, as: Self.clerk), env: ["LANG": "vi_VN.UTF-8", "LC_ALL": ""])
        defer { desk.stop() }
        let screen = desk.waitFor("the queue") { !Self.queueCodes($0).isEmpty }
        #expect(screen.contains("Tô Thùy Thơ"))
        desk.press("q")
        #expect(desk.exitStatus() == 0)
    }

    @Test func aLocaleThatIsNotUTF8IsRefusedInBothLanguages() throws {
        let db = try Self.database()
        let r = try db.run(["--as", Self.clerk, "--now", Self.now], env: ["LANG": "C", "LC_ALL": "C"])
        #expect(r.status == 2)
        #expect(r.stderr.contains("UTF-8"))
        #expect(r.stderr.contains("pakn cần môi trường UTF-8") && r.stderr.contains("pakn needs a UTF-8 locale"), "\(r.stderr)")
    }

    @Test func aTerminalThatCannotMoveTheCursorIsRefused() throws {
        let db = try Self.database()
        let desk = try DeskTmux(Self.desk(db, as: Self.clerk, lang: "en"), env: ["TERM": "dumb"], after: "echo EXIT=$?")
        defer { desk.stop() }
        let screen = desk.waitFor(text: "EXIT=")
        #expect(screen.contains("EXIT=2"), "\(screen)")
        #expect(screen.contains("cannot move the cursor") && screen.contains("không di chuyển được con trỏ"), "\(screen)")
    }

    /// The first child process of `pid` (Linux /proc).
    static func childPid(of pid: Int32) -> Int32? {
        let path = "/proc/\(pid)/task/\(pid)/children"
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return nil }
        return text.split(separator: " ").first.flatMap { Int32($0) }
    }
}

extension Array {
    subscript(safe i: Int) -> Element? { indices.contains(i) ? self[i] : nil }
}
