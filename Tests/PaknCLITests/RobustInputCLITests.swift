import Foundation
import PaknTestSupport
import Testing

/// Robust input through the real binary (issue 12, "Also found"): future receipt dates,
/// intake routing scope, input files that are no files, exports that never leave half a
/// file, databases that are named only when complete, training backups over production,
/// merge masters out of scope, JSON escaping, case codes after a restore, backup litter.
@Suite struct RobustInputCLITests {
    let now = ["--now", "2026-11-23T09:00:00+07:00"]
    var clerk: [String] { now + ["--as", "vanthu.hoankiem"] }
    var supervisor: [String] { now + ["--as", "lanhdao.hoankiem"] }
    var intake: [String] { ["intake", "--title", "Vỉa hè", "--body", "Lấn chiếm vỉa hè", "--category", "urban_order"] }

    func code(_ r: CLI.Result) -> String { r.stdout.trimmingCharacters(in: .whitespacesAndNewlines) }

    func folder() -> String {
        let dir = TestScratch.folder("pakn-cli-tests").appendingPathComponent("robust-\(UUID().uuidString)").path
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    @Test func aFutureReceivedDateIsRefusedAsImportRefusesIt() throws {
        let cli = try CLI.demo()
        let before = try cli.fingerprint()
        var en = cli
        en.lang = "en"
        let r = try en.run(clerk + intake + ["--ward", "00070", "--received-at", "2026-11-24T08:00:00+07:00"])
        #expect(r.status == 1)
        #expect(r.stderr.contains("in the future") && r.stderr.split(separator: "\n").count == 1, "\(r.stderr)")
        let vi = try cli.run(clerk + intake + ["--ward", "00070", "--received-at", "2027-01-01"])
        #expect(vi.status == 1 && vi.stderr.contains("tương lai"), "\(vi.stderr)")
        #expect(try cli.fingerprint() == before)
        // The same rule, same words, for a row of an import.
        let csv = TestScratch.folder("pakn-cli-tests").appendingPathComponent("future-\(UUID().uuidString).csv").path
        try Data("title,body,kind,category,channel,ward,received_at\nT,B,feedback,urban_order,web,00070,2027-01-01\n".utf8)
            .write(to: URL(fileURLWithPath: csv))
        let imp = try en.run(clerk + ["import", csv])
        #expect(imp.status == 1 && imp.stderr.contains("a case cannot be received in the future"), "\(imp.stderr)")
        // Now and the past are fine.
        try cli.ok(clerk + intake + ["--ward", "00070", "--received-at", "2026-11-23T09:00:00+07:00"])
    }

    @Test func intakeWithoutAWardRoutesOnlyWithinTheClerksUnits() throws {
        let cli = try CLI.demo()
        var en = cli
        en.lang = "en"
        let before = try cli.fingerprint()
        for route in ["01", "01-TT", "00004", "00004-KT"] {
            let r = try en.run(clerk + intake + ["--route", route])
            #expect(r.status == 1 && r.stderr.contains("may not route") && r.stderr.contains(route), "\(route): \(r.stderr)")
            // A ward of one's own does not make an explicit route elsewhere right.
            let w = try en.run(clerk + intake + ["--ward", "00070", "--route", route])
            #expect(w.status == 1, "\(route) with ward: \(w.stderr)")
        }
        #expect(try cli.fingerprint() == before)
        // Within the clerk's ward: fine; auto without a ward stays in the clerk's unit.
        let inside = try cli.ok(clerk + intake + ["--route", "00070-KT", "--json"]).object()
        #expect(inside["unit_code"] as? String == "00070-KT")
        let auto = try cli.ok(clerk + intake + ["--kind", "denunciation", "--category", "land", "--json"]).object()
        #expect(auto["unit_code"] as? String == "00070")
        // With the clerk's own ward, the routing table decides (a denunciation goes to the
        // city inspectorate, as the law says).
        let byTable = try cli.ok(clerk + intake + ["--ward", "00070", "--kind", "denunciation", "--category", "land", "--json"]).object()
        #expect(byTable["unit_code"] as? String == "01-TT")
    }

    // The limit only ends a hang (a FIFO opened for reading would block); it measures nothing.
    @Test(.timeLimit(.minutes(5))) func devicesFifosHugeSparseFilesAndOutsideLinksAreNotRead() throws {
        let cli = try CLI.demo()
        var en = cli
        en.lang = "en"
        let dir = folder()
        let fifo = dir + "/in.fifo"
        #expect(mkfifo(fifo, 0o600) == 0)
        let sparse = dir + "/sparse.pdf"
        #expect(FileManager.default.createFile(atPath: sparse, contents: Data("%PDF-".utf8)))
        #expect(truncate(sparse, 5 * 1_048_576) == 0)
        let huge = dir + "/huge.pdf"
        #expect(FileManager.default.createFile(atPath: huge, contents: Data("%PDF-".utf8)))
        #expect(truncate(huge, 30 * 1_048_576 * 1024) == 0)
        let outside = dir + "/hostname.txt"
        #expect(symlink("/etc/hostname", outside) == 0)
        let good = dir + "/note.txt"
        try Data("ghi chú\n".utf8).write(to: URL(fileURLWithPath: good))
        let inside = dir + "/note-link.txt"
        #expect(symlink(good, inside) == 0)
        let before = try cli.fingerprint()
        let c = try #require(try cli.ok(supervisor + ["list", "--csv", "--open", "--limit", "1"])
            .csvLines.dropFirst().first?.split(separator: ",").first).description
        let cases: [([String], String)] = [
            (["import", "/dev/zero"], "not a regular file"),
            (["import", fifo], "not a regular file"),
            (["import", huge], "more than the limit of 2048 MB"),
            (["attach", c, "/dev/zero"], "not a regular file"),
            (["attach", c, "/dev/urandom"], "not a regular file"),
            (["attach", c, fifo], "not a regular file"),
            (["attach", c, huge], "larger than 10 MB"),
            (["attach", c, sparse], "sparse"),
            (["attach", c, outside], "symbolic link"),
            (intake + ["--ward", "00070", "--attach", fifo], "not a regular file"),
            (intake + ["--ward", "00070", "--body-file", "/dev/zero"], "not a regular file"),
        ]
        for (args, words) in cases {
            let r = try en.run(supervisor + args)
            #expect(r.status == 1, "\(args): \(r.status) \(r.stderr)")
            #expect(r.stderr.contains(words) && r.stderr.split(separator: "\n").count == 1, "\(args): \(r.stderr)")
        }
        #expect(try cli.fingerprint() == before)
        // A link within the allowed folders (here the temporary folder) is read.
        let ok = try en.ok(supervisor + ["attach", c, inside])
        #expect(ok.stdout.contains("text/plain"))
    }

    @Test func aRefusedExportLeavesTheTargetAsItWas() throws {
        let cli = try CLI.demo()
        let dir = folder()
        let kept = dir + "/kept.json"
        try Data("KEEP".utf8).write(to: URL(fileURLWithPath: kept))
        // Refused for permission, with --force: the file keeps its content.
        let r = try cli.run(clerk + ["export", "--unredacted", "--reason", "x", "--out", kept, "--force"])
        #expect(r.status == 4)
        #expect(try String(contentsOfFile: kept, encoding: .utf8) == "KEEP")
        // Refused before writing, no file there: none is created.
        let fresh = dir + "/fresh.csv"
        #expect(try cli.run(clerk + ["export", "--unredacted", "--reason", "x", "--out", fresh]).status == 4)
        #expect(try cli.run(supervisor + ["export", "--unit", "nowhere", "--out", fresh]).status == 1)
        #expect(!FileManager.default.fileExists(atPath: fresh))
        // Without --force an existing file is refused and kept.
        #expect(try cli.run(supervisor + ["export", "--out", kept]).status == 1)
        #expect(try String(contentsOfFile: kept, encoding: .utf8) == "KEEP")
        // A good export replaces it whole, owner-only, with no temporary file left.
        try cli.ok(supervisor + ["export", "--out", kept, "--force"])
        let doc = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: kept))) as? [Any]
        #expect((doc?.count ?? 0) > 0)
        let mode = (try FileManager.default.attributesOfItem(atPath: kept)[.posixPermissions] as? NSNumber)?.intValue
        #expect(mode == 0o600)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir).sorted() == ["kept.json"])
    }

    /// Runs `pakn` and kills it after `ms` milliseconds (or lets it finish).
    func killed(_ args: [String], db: String, after ms: Int) throws {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: CLI.binary)
        p.arguments = ["--db", db, "--lang", "en"] + args
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        usleep(useconds_t(ms * 1000))
        kill(p.processIdentifier, SIGKILL)
        p.waitUntilExit()
    }

    @Test(.timeLimit(.minutes(3))) func initAndDemoKilledMidwayLeaveNothingThatBlocksARetry() throws {
        // Fixed delays spread over the run (no randomness): early, middle, late.
        for (i, ms) in [40, 250, 700, 1500].enumerated() {
            let dir = folder()
            let demo = dir + "/demo.sqlite"
            try killed(["demo", "--cases", "3000", "--seed", String(i)], db: demo, after: ms)
            let retry = try CLI(db: demo).run(["demo", "--cases", "30"])
            let existed = retry.stderr.contains("exists")
            // Either the killed run had finished (a whole database) or the retry made one.
            #expect(retry.status == 0 || existed, "demo kill at \(ms) ms: \(retry.stderr)")
            let list = try CLI(db: demo).run(["audit", "verify", "--full"])
            #expect(list.status == 0, "demo kill at \(ms) ms: \(list.stdout) \(list.stderr)")
            let prod = dir + "/prod.sqlite"
            try killed(["init"], db: prod, after: ms / 2)
            let again = try CLI(db: prod).run(["init"])
            #expect(again.status == 0 || again.stderr.contains("exists"), "init kill at \(ms / 2) ms: \(again.stderr)")
            #expect(try CLI(db: prod).run(["audit", "verify", "--full"]).status == 0)
            // Nothing left of the killed runs but the databases and their code floors.
            let left = try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.contains(".creating-") }
            #expect(left.isEmpty, "\(left)")
        }
    }

    @Test func aTrainingBackupDoesNotQuietlyReplaceAProductionDatabase() throws {
        let training = try CLI.demo()
        let backup = CLI.tempDB("training-backup")
        try training.ok(["backup", backup])
        var prod = CLI(db: CLI.tempDB("prod"))
        prod.lang = "en"
        try prod.ok(["init", "--unit", "01"])
        let head = try prod.ok(["audit", "head"]).stdout
        let r = try prod.run(["restore", backup])
        #expect(r.status == 1 && r.stderr.contains("training database") && r.stderr.contains("--force"), "\(r.stderr)")
        #expect(try prod.ok(["audit", "head"]).stdout == head)
        #expect(try prod.run(["--as", "vanthu.hoankiem", "list"]).status == 4)
        let forced = try prod.run(["restore", backup, "--force"])
        #expect(forced.status == 0, "\(forced.stderr)")
        #expect(forced.stderr.contains("WARNING") && forced.stderr.contains("before-restore"), "\(forced.stderr)")
        // A production backup over production, or training over training, warns of nothing.
        let again = try training.run(["restore", backup, "--force"])
        #expect(again.status == 0 && !again.stderr.contains("WARNING"), "\(again.stderr)")
    }

    @Test func aMergeMasterOutOfScopeLooksExactlyLikeAMissingOne() throws {
        let cli = try CLI.demo()
        // A case of Ba Đình, out of Hoàn Kiếm's reach, and one of Hoàn Kiếm to merge.
        let other = try #require(try cli.ok(now + ["--as", "lanhdao.badinh", "list", "--csv", "--limit", "1"])
            .csvLines.dropFirst().first?.split(separator: ",").first).description
        let mine = try #require(try cli.ok(supervisor + ["list", "--csv", "--open", "--limit", "1"])
            .csvLines.dropFirst().first?.split(separator: ",").first).description
        let missing = "HN-2026-999999"
        let a = try cli.run(supervisor + ["merge", mine, "--into", other])
        let b = try cli.run(supervisor + ["merge", mine, "--into", missing])
        #expect(a.status == b.status && a.status == 1)
        #expect(a.stderr.replacingOccurrences(of: other, with: "X") == b.stderr.replacingOccurrences(of: missing, with: "X"),
                "\(a.stderr) / \(b.stderr)")
        #expect(a.stdout.isEmpty && b.stdout.isEmpty)
    }

    @Test func everyJSONOutputEscapesBidiAndC1AsTheExportDoes() throws {
        let cli = try CLI.demo()
        let c = code(try cli.ok(clerk + intake + ["--ward", "00070"]))
        // A row written by another tool, past pakn's cleaning of what it stores.
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
        p.arguments = [cli.db, "UPDATE pakn_case SET title = 'A' || char(8238) || 'B' || char(133) || 'C' || char(8297) WHERE code = '\(c)'"]
        try p.run()
        p.waitUntilExit()
        try #require(p.terminationStatus == 0)
        let outputs = [
            try cli.ok(supervisor + ["show", c, "--json"]).stdout,
            try cli.ok(supervisor + ["list", "--json", "-q", "Lấn chiếm", "--limit", "500"]).stdout,
            try cli.ok(supervisor + ["export", "--format", "json"]).stdout,
        ]
        for out in outputs {
            #expect(TrustCLITests.unsafe(out).isEmpty, "\(TrustCLITests.unsafe(out))")
            #expect(out.contains("A\\u202eB\\u0085C\\u2069"), "\(out.prefix(300))")
        }
        let show = try cli.ok(supervisor + ["show", c, "--json"]).object()
        #expect(show["title"] as? String == "A\u{202E}B\u{85}C\u{2069}")
        let history = try cli.ok(supervisor + ["history", c, "--json"]).stdout
        #expect(TrustCLITests.unsafe(history).isEmpty)
    }

    @Test func caseCodesAreNeverReissuedAfterARestore() throws {
        let cli = try CLI.demo()
        let backup = CLI.tempDB("codes-backup")
        try cli.ok(["backup", backup])
        let first = code(try cli.ok(clerk + intake + ["--ward", "00070"]))
        let second = code(try cli.ok(clerk + intake + ["--ward", "00070"]))
        try cli.ok(["restore", backup, "--force"])
        #expect(try cli.run(supervisor + ["show", second]).status == 1)
        let after = code(try cli.ok(clerk + intake + ["--ward", "00070"]))
        #expect(after != first && after != second)
        #expect(after > second, "\(after) after \(first), \(second)")
        // An import continues above the floor too.
        let csv = TestScratch.folder("pakn-cli-tests").appendingPathComponent("codes-\(UUID().uuidString).csv").path
        try Data("title,body,kind,category,channel,ward\nT,B,feedback,urban_order,web,00070\n".utf8).write(to: URL(fileURLWithPath: csv))
        try cli.ok(clerk + ["import", csv])
        let codes = try cli.ok(supervisor + ["list", "--csv", "--order", "code", "--limit", "100000"])
            .csvLines.dropFirst().compactMap { $0.split(separator: ",").first.map(String.init) }
        #expect(Set(codes).count == codes.count)
        #expect(codes.max().map { $0 > after } == true)
    }

    @Test func aBackupLeavesNoWalOrShmBesideIt() throws {
        let cli = try CLI.demo()
        let dir = folder()
        let backup = dir + "/b.sqlite"
        try cli.ok(["backup", backup])
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir).sorted() == ["b.sqlite"])
        let restored = CLI(db: dir + "/r.sqlite")
        try restored.ok(["restore", backup])
        try restored.ok(["audit", "verify", "--full"])
    }
}
