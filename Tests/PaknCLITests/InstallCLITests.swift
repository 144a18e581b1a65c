import Foundation
import PaknTestSupport
import Testing

/// `make install` as a user would run it: the layout under PREFIX, and the installed binary
/// run from another folder with nothing in its environment but PATH=/usr/bin:/bin.
///
/// The tests install the binary they test (`CLI.binary`, a debug build) with `make
/// install-files`, which is what `make install` runs after its release build: a release
/// build with the static Swift runtime takes several minutes on a shared two-core machine,
/// too long for every `make test`. `make install-check` (mk/install-check.sh) does the real
/// release install and also checks that no Swift library is loaded.
@Suite(.serialized) struct InstallCLITests {
    static let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path

    struct Run {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    static func run(_ exe: String, _ args: [String], cwd: String? = nil, env: [String: String]) throws -> Run {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: exe)
        p.arguments = args
        p.environment = env
        if let cwd { p.currentDirectoryURL = URL(fileURLWithPath: cwd) }
        // stderr goes to a file, so neither stream can fill while the other is read.
        let errPath = TestScratch.folder("pakn-cli-tests").appendingPathComponent("install-err-\(UUID().uuidString)").path
        _ = FileManager.default.createFile(atPath: errPath, contents: nil)
        defer { try? FileManager.default.removeItem(atPath: errPath) }
        let out = Pipe()
        p.standardOutput = out
        p.standardError = FileHandle(forWritingAtPath: errPath)
        p.standardInput = FileHandle.nullDevice
        try p.run()
        let o = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        let e = (try? Data(contentsOf: URL(fileURLWithPath: errPath))) ?? Data()
        return Run(status: p.terminationStatus, stdout: String(decoding: o, as: UTF8.self), stderr: String(decoding: e, as: UTF8.self))
    }

    struct InstallFailed: Error, CustomStringConvertible { var description: String }

    /// A temporary PREFIX with pakn installed in it: once per test process.
    static let installation: Result<String, Error> = Result {
        let dir = TestScratch.folder("pakn-install").path
        try? FileManager.default.removeItem(atPath: dir)
        let r = try run("/usr/bin/make", ["-C", repo, "--no-print-directory", "install-files", "PREFIX=\(dir)", "PAKN_BIN=\(CLI.binary)"],
                        env: ProcessInfo.processInfo.environment)
        guard r.status == 0 else { throw InstallFailed(description: "make install-files: \(r.stdout)\(r.stderr)") }
        return dir
    }

    static var prefix: String { get throws { try installation.get() } }

    static let bare = ["PATH": "/usr/bin:/bin"]

    /// The installed pakn, run from an empty folder with a bare environment.
    static func installed(_ args: [String]) throws -> Run {
        let elsewhere = TestScratch.folder("pakn-elsewhere").path
        return try run(try prefix + "/bin/pakn", args, cwd: elsewhere, env: bare)
    }

    /// Every visible command path ("pakn units remote set"), from the command tree itself.
    static func commandPaths() throws -> [String] {
        let dump = try run(CLI.binary, ["--experimental-dump-help"], env: ProcessInfo.processInfo.environment)
        let root = try #require(try JSONSerialization.jsonObject(with: Data(dump.stdout.utf8)) as? [String: Any])
        var out: [String] = []
        func walk(_ c: [String: Any], _ path: [String]) {
            guard c["shouldDisplay"] as? Bool ?? true, let name = c["commandName"] as? String else { return }
            let p = path + [name]
            if path.count > 0 { out.append(p.joined(separator: " ")) }
            for s in c["subcommands"] as? [[String: Any]] ?? [] { walk(s, p) }
        }
        walk(try #require(root["command"] as? [String: Any]), [])
        return out
    }

    @Test func theInstalledBinaryRunsFromAnotherFolderWithABareEnvironment() throws {
        let prefix = try Self.prefix
        // Only the binary in bin/: no resource bundle beside it, the data is inside.
        #expect(try FileManager.default.contentsOfDirectory(atPath: prefix + "/bin") == ["pakn"])
        let v = try Self.installed(["--version"])
        #expect(v.status == 0, "\(v.stderr)")
        #expect(v.stdout.hasPrefix("pakn "))
        #expect(v.stdout.contains("v6-plain-text") || v.stdout.contains("migrations") || v.stdout.contains("chuyển đổi"), "\(v.stdout)")
        let db = FileManager.default.temporaryDirectory.appendingPathComponent("pakn-installed-\(getpid()).sqlite").path
        defer { for s in ["", "-wal", "-shm", ".codes"] { try? FileManager.default.removeItem(atPath: db + s) } }
        let demo = try Self.installed(["--db", db, "--lang", "en", "demo", "--cases", "50"])
        #expect(demo.status == 0, "\(demo.stderr)")
        #expect(demo.stdout.contains("50"))
        let list = try Self.installed(["--db", db, "--lang", "en", "--as", "vanthu.hoankiem", "list", "--limit", "5"])
        #expect(list.status == 0, "\(list.stderr)")
        let rows = list.stdout.split(separator: "\n")
        #expect((1...5).contains(rows.count) && rows.allSatisfy { $0.hasPrefix("HN-") }, "\(list.stdout)")
        let cats = try Self.installed(["--db", db, "--lang", "en", "categories"])
        #expect(cats.status == 0 && cats.stdout.contains("urban_order"), "\(cats.stderr)")
    }

    @Test func theManPageNamesEveryCommandInBothLanguages() throws {
        let prefix = try Self.prefix
        let vi = try String(contentsOfFile: prefix + "/share/man/man1/pakn.1", encoding: .utf8)
        let en = try String(contentsOfFile: prefix + "/share/man/en/man1/pakn.1", encoding: .utf8)
        #expect(vi.contains(".TH PAKN 1") && en.contains(".TH PAKN 1"))
        #expect(vi.contains(".SH TÊN") && vi.contains(".SH CÁC LỆNH") && vi.contains("Liệt kê hồ sơ"))
        #expect(en.contains(".SH NAME") && en.contains(".SH COMMANDS") && en.contains("List cases."))
        #expect(!en.contains("Liệt kê hồ sơ"), "the English page has no Vietnamese halves")
        #expect(!vi.contains("List cases."), "the Vietnamese page has no English halves")
        let paths = try Self.commandPaths()
        #expect(paths.contains("pakn list") && paths.contains("pakn units remote set") && paths.contains("pakn audit verify"))
        #expect(!paths.contains("pakn manual"), "hidden commands are left out")
        for p in paths {
            #expect(vi.contains(".SS \"\(p)\""), "\(p) missing from the Vietnamese man page")
            #expect(en.contains(".SS \"\(p)\""), "\(p) missing from the English man page")
        }
        for page in [vi, en] {
            #expect(page.contains("\\-\\-db") && page.contains("\\-\\-expect\\-version") && page.contains("PAKN_DB"))
        }
        // man finds each language's page under the prefix, and groff reads it without a warning.
        let man = try Self.run("/usr/bin/man", ["-L", "en", "-w", "pakn"], env: Self.bare.merging(["MANPATH": prefix + "/share/man"]) { $1 })
        #expect(man.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == prefix + "/share/man/en/man1/pakn.1", "\(man.stderr)")
        let manVi = try Self.run("/usr/bin/man", ["-L", "vi", "-w", "pakn"], env: Self.bare.merging(["MANPATH": prefix + "/share/man"]) { $1 })
        #expect(manVi.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == prefix + "/share/man/man1/pakn.1", "\(manVi.stderr)")
        for file in ["man1/pakn.1", "en/man1/pakn.1"] {
            let g = try Self.run("/usr/bin/groff", ["-k", "-man", "-Tutf8", "-ww", "-z", prefix + "/share/man/" + file], env: Self.bare)
            #expect(g.status == 0 && g.stderr.isEmpty, "\(file): \(g.stderr)")
        }
    }

    @Test func completionsForBashZshAndFish() throws {
        let prefix = try Self.prefix
        let share = prefix + "/share"
        let bash = try String(contentsOfFile: share + "/bash-completion/completions/pakn", encoding: .utf8)
        let zsh = try String(contentsOfFile: share + "/zsh/site-functions/_pakn", encoding: .utf8)
        let fish = try String(contentsOfFile: share + "/fish/vendor_completions.d/pakn.fish", encoding: .utf8)
        #expect(zsh.hasPrefix("#compdef pakn"))
        #expect(fish.contains("complete -c 'pakn'") || fish.contains("complete -c pakn"))
        for script in [bash, zsh, fish] {
            #expect(script.contains("list") && script.contains("expect-version") && script.contains("remote"))
        }
        let syntax = try Self.run("/bin/bash", ["-n", share + "/bash-completion/completions/pakn"], env: Self.bare)
        #expect(syntax.status == 0, "\(syntax.stderr)")
    }

    @Test func theThemesAreInShare() throws {
        let prefix = try Self.prefix
        let themes = Self.repo + "/themes"
        let shipped = try FileManager.default.contentsOfDirectory(atPath: themes).filter { $0.hasSuffix(".toml") }.sorted()
        #expect(shipped.contains("default.toml"))
        let installed = try FileManager.default.contentsOfDirectory(atPath: prefix + "/share/pakn/themes").sorted()
        #expect(installed == shipped)
        for f in shipped {
            #expect(FileManager.default.contentsEqual(atPath: themes + "/" + f, andPath: prefix + "/share/pakn/themes/" + f))
        }
    }
}
