import Foundation
import GRDB
import PaknCore
import Testing
@testable import PaknStore

/// The database file itself, through the real binary: who may read the files pakn makes, a
/// file-size limit, a long write by another process, a newer pakn's database, a damaged one
/// (docs/reliability.md §5, docs/security.md §7).
@Suite struct RobustDatabaseTests {
    /// A fresh folder for one test's files.
    func folder(_ name: String) throws -> String {
        let dir = (Fixtures.tempPath(name) as NSString).deletingPathExtension
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: dir)
        return dir
    }

    func stat(_ path: String) -> (mode: mode_t, gid: gid_t)? {
        var st = Glibc.stat()
        guard lstat(path, &st) == 0 else { return nil }
        return (st.st_mode & 0o7777, st.st_gid)
    }

    func modeText(_ m: mode_t?) -> String { m.map { String($0, radix: 8) } ?? "missing" }

    /// pakn run with extra environment variables and a shell prefix (`ulimit -f 8;`).
    func run(_ args: [String], db: String, env extra: [String: String] = [:], shell: String = "")
        throws -> (status: Int32, out: String, err: String) {
        let out = Fixtures.tempPath("out") + ".txt"
        _ = FileManager.default.createFile(atPath: out, contents: nil)
        _ = FileManager.default.createFile(atPath: out + ".err", contents: nil)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/bash")
        // No `trap '' XFSZ` here: pakn must ignore the signal itself.
        p.arguments = ["-c", shell + " exec \"$0\" \"$@\"", Pakn.binary, "--db", db, "--lang", "en", "--now", Pakn.now] + args
        var env = ProcessInfo.processInfo.environment
        env["PAKN_DB"] = nil
        env["PAKN_GROUP"] = nil
        for (k, v) in extra { env[k] = v }
        p.environment = env
        p.standardOutput = FileHandle(forWritingAtPath: out)
        p.standardError = FileHandle(forWritingAtPath: out + ".err")
        p.standardInput = FileHandle.nullDevice
        try p.run()
        p.waitUntilExit()
        #expect(p.terminationReason == .exit, "pakn \(args.first ?? "") was killed by signal \(p.terminationStatus)")
        return (p.terminationStatus, (try? String(contentsOfFile: out, encoding: .utf8)) ?? "",
                (try? String(contentsOfFile: out + ".err", encoding: .utf8)) ?? "")
    }

    /// The files one database makes: the database, a backup, an attachment and its folders.
    func makeFiles(in dir: String, env: [String: String]) throws -> [String: String] {
        let db = dir + "/pakn.sqlite"
        let demo = try run(["demo", "--cases", "20", "--seed", "5"], db: db, env: env)
        #expect(demo.status == 0, "\(demo.err)")
        let photo = dir + "/note.txt"
        try Data("Ảnh chụp hiện trường: nước thải tràn ra đường.\n".utf8).write(to: URL(fileURLWithPath: photo))
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: photo)
        let backup = try run(["--as", "taphuan", "backup", dir + "/copy.sqlite"], db: db, env: env)
        #expect(backup.status == 0, "\(backup.err)")
        let code = try #require(try run(["--as", "taphuan", "list", "--limit", "1"], db: db, env: env)
            .out.split(separator: " ").first.map(String.init))
        let attach = try run(["--as", "taphuan", "attach", code, photo], db: db, env: env)
        #expect(attach.status == 0, "\(attach.err)")
        // Keep a connection open so that the -wal and -shm exist to be looked at.
        let sha = SHA256.hex([UInt8](try Data(contentsOf: URL(fileURLWithPath: photo))))
        let attachments = db + ".attachments"
        return ["db": db, "backup": dir + "/copy.sqlite", "attachments": attachments,
                "bucket": attachments + "/" + String(sha.prefix(2)), "attachment": attachments + "/" + String(sha.prefix(2)) + "/" + sha]
    }

    @Test func filesAreForTheirOwnerOnly() throws {
        let dir = try folder("modes")
        let f = try makeFiles(in: dir, env: [:])
        for key in ["db", "backup", "attachment"] {
            #expect(stat(f[key]!)?.mode == 0o600, "\(key): \(modeText(stat(f[key]!)?.mode))")
        }
        for key in ["attachments", "bucket"] {
            #expect(stat(f[key]!)?.mode == 0o700, "\(key): \(modeText(stat(f[key]!)?.mode))")
        }
        // While a process has it open, SQLite's -wal and -shm carry the database's mode.
        let open = try DatabasePool(path: f["db"]!)
        _ = try open.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM official") }
        for s in ["-wal", "-shm"] {
            #expect(stat(f["db"]! + s)?.mode == 0o600, "\(s): \(modeText(stat(f["db"]! + s)?.mode))")
        }
        try open.close()
        for s in ["", "-wal", "-shm"] {
            #expect(!FileManager.default.fileExists(atPath: f["backup"]! + ".partial" + s), "litter: .partial\(s)")
        }
        // A database made 0644 by an older pakn is tightened the next time pakn writes it.
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: f["db"]!)
        #expect(try run(["--as", "vanthu.hoankiem", "list", "--limit", "1"], db: f["db"]!).status == 0)
        #expect(stat(f["db"]!)?.mode == 0o600)
    }

    @Test func aSharedGroupGetsReadAccessAndTheDatabaseGroupWrite() throws {
        let gid = getegid()
        let name = try #require(getgrgid(gid).map { String(cString: $0.pointee.gr_name) })
        // Named by PAKN_GROUP.
        let named = try makeFiles(in: try folder("group"), env: ["PAKN_GROUP": name])
        #expect(stat(named["db"]!)?.mode == 0o660, "\(modeText(stat(named["db"]!)?.mode))")
        #expect(stat(named["backup"]!)?.mode == 0o640, "\(modeText(stat(named["backup"]!)?.mode))")
        #expect(stat(named["attachment"]!)?.mode == 0o640, "\(modeText(stat(named["attachment"]!)?.mode))")
        #expect(stat(named["bucket"]!)?.mode == 0o2770, "\(modeText(stat(named["bucket"]!)?.mode))")
        for key in ["db", "backup", "attachment", "bucket"] { #expect(stat(named[key]!)?.gid == gid) }
        // Or by a setgid folder.
        let dir = try folder("setgid")
        #expect(chmod(dir, 0o2770) == 0)
        let inherited = try makeFiles(in: dir, env: [:])
        #expect(stat(inherited["db"]!)?.mode == 0o660)
        #expect(stat(inherited["backup"]!)?.mode == 0o640)
        // An unknown group: the safe default.
        let unknown = try makeFiles(in: try folder("nogroup"), env: ["PAKN_GROUP": "no-such-group-pakn"])
        #expect(stat(unknown["db"]!)?.mode == 0o600)
    }

    /// `ulimit -f` with SIGXFSZ at its default (which would kill pakn): the write fails with
    /// EFBIG, the command says the database could not grow and exits 5, nothing changes.
    @Test func aFileSizeLimitIsReportedNotACrash() throws {
        let path = try Pakn.demo(cases: 50)
        let before = try TrustDatabaseFailureTests().fingerprint(path)
        let body = String(repeating: "Nước thải tràn ra đường, bốc mùi hôi thối. ", count: 400)
        let intake = ["--as", "vanthu.hoankiem", "intake", "--title", "Nước thải", "--body", body,
                      "--category", "environment", "--ward", "00070"]
        for limit in [8, 16, 64] {
            let r = try run(intake, db: path, shell: "ulimit -f \(limit);")
            #expect(r.status == 5, "ulimit -f \(limit): exit \(r.status) \(r.err)")
            #expect(r.err.contains("could not grow") && r.err.contains("Nothing was changed"), "\(r.err)")
            #expect(r.out.isEmpty)
            #expect(try TrustDatabaseFailureTests().fingerprint(path) == before)
        }
        // A limit the intake fits under: it is committed, and said so (exit 0, its code).
        let size = (try FileManager.default.attributesOfItem(atPath: path)[.size] as! NSNumber).intValue
        let r = try run(intake, db: path, shell: "ulimit -f \(size / 1024 + 1);")
        #expect(r.status == 0, "\(r.err)")
        let code = r.out.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(code.hasPrefix("HN-2026-"))
        #expect(try run(["--as", "vanthu.hoankiem", "show", code], db: path).status == 0)
        #expect(try AppDatabase(path: path, create: false).checkConsistency().ok)
    }

    /// Another process holds a long write: `list` and `show` answer at once; a write waits
    /// for the lock and then says busy.
    @Test func readingCommandsWorkWhileAnotherProcessHoldsAWrite() throws {
        let path = try Pakn.demo(cases: 50)
        let code = try #require(try run(["--as", "vanthu.hoankiem", "list", "--limit", "1"], db: path)
            .out.split(separator: " ").first.map(String.init))
        // Two holders: a GRDB pool (as another pakn would), and a bare connection on a
        // database closed cleanly before (its -wal empty: opening a pool may need to write).
        for holder in ["pool", "bare"] {
            var config = Configuration()
            config.allowsUnsafeTransactions = true
            let other: any DatabaseWriter = holder == "pool" ? try DatabasePool(path: path, configuration: config)
                                                             : try DatabaseQueue(path: path, configuration: config)
            try other.writeWithoutTransaction {
                try $0.execute(sql: "BEGIN IMMEDIATE")
                try $0.execute(sql: "INSERT INTO setting(key, value) VALUES ('held', '1')")
            }
            let list = try run(["--as", "vanthu.hoankiem", "list", "--limit", "5"], db: path)
            let show = try run(["--as", "vanthu.hoankiem", "show", code], db: path)
            let note = try run(["--as", "vanthu.hoankiem", "note", code, "Ghi chú"], db: path)
            try other.writeWithoutTransaction { try $0.execute(sql: "ROLLBACK") }
            try other.close()
            #expect(list.status == 0 && list.out.split(separator: "\n").count == 5, "\(holder): list \(list.status) \(list.err)")
            #expect(show.status == 0 && show.out.contains(code), "\(holder): show \(show.status) \(show.err)")
            #expect(note.status == 5 && note.err.contains("busy"), "\(holder): note \(note.status) \(note.err)")
        }
        #expect(try run(["--as", "vanthu.hoankiem", "note", code, "Ghi chú"], db: path).status == 0)
    }

    /// Opening an up-to-date database does not run the migrator nor anything else that
    /// takes the write lock: it opens, and reads, while another connection holds it.
    @Test func openingAnUpToDateDatabaseTakesNoWriteLock() throws {
        let db = try Fixtures.demo()
        let path = db.path
        #expect(try db.pool.read { try Schema.migrator.hasCompletedMigrations($0) })
        var config = Configuration()
        config.allowsUnsafeTransactions = true
        config.busyMode = .immediateError
        let other = try DatabaseQueue(path: path, configuration: config)
        try other.writeWithoutTransaction { try $0.execute(sql: "BEGIN IMMEDIATE") }
        defer { try? other.writeWithoutTransaction { try $0.execute(sql: "ROLLBACK") } }
        let second = try AppDatabase(path: path, create: false)
        #expect(try second.count(QueueFilter(), now: Fixtures.now) == (try db.count(QueueFilter(), now: Fixtures.now)))
        // Its writes wait for the lock like any other, and are refused as busy.
        #expect(throws: StoreError.databaseUnusable(path: path, reason: "trust.db.busy")) {
            try second.perform(.note(text: "Ghi chú"), on: "1", by: try Fixtures.official(second, "tester"), at: Fixtures.now)
        }
    }

    /// A migration this pakn does not know: refused, exit 5, and the file is not written.
    @Test func aDatabaseFromANewerPaknIsRefusedAndNotWritten() throws {
        let path = try Pakn.demo(cases: 50)
        let q = try DatabaseQueue(path: path)
        try q.write { try $0.execute(sql: "INSERT INTO grdb_migrations(identifier) VALUES ('v99-from-the-future')") }
        try q.close()
        let before = try Data(contentsOf: URL(fileURLWithPath: path))
        for (lang, text) in [("en", "newer pakn"), ("vi", "phiên bản pakn mới hơn")] {
            for args in [["list"], ["note", "HN-2026-000001", "Ghi chú"]] {
                let r = try run(["--lang", lang, "--as", "vanthu.hoankiem"] + args, db: path)
                #expect(r.status == 5 && r.err.contains(text) && r.err.contains("pakn"), "\(args): \(r.status) \(r.err)")
                #expect(r.err.split(separator: "\n").count == 1)
            }
        }
        #expect(throws: StoreError.databaseUnusable(path: path, reason: "robust.db.newer")) { _ = try AppDatabase(path: path, create: false) }
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before, "the file was written")
        let q2 = try DatabaseQueue(path: path)
        #expect(try q2.read { try String.fetchAll($0, sql: "SELECT identifier FROM grdb_migrations").contains("v99-from-the-future") })
        #expect(try q2.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM setting WHERE key = 'held'") } == 0)
    }

    /// Pages in the middle of a real demo database overwritten: every command says the file
    /// is damaged and to restore a backup, exit 5, never SQLite's own words or a crash.
    @Test func aDamagedDatabaseSendsToABackup() throws {
        let path = try Pakn.demo(cases: 200)
        let q = try DatabaseQueue(path: path)
        try q.writeWithoutTransaction { _ = try $0.checkpoint(.truncate) }
        try q.close()
        let h = try #require(FileHandle(forUpdatingAtPath: path))
        let size = try h.seekToEnd()
        let pages = size / 4096
        for page in stride(from: pages / 3, to: pages * 2 / 3, by: 1) {
            try h.seek(toOffset: page * 4096)
            h.write(Data(repeating: 0xA5, count: 4096))
        }
        try h.close()
        let commands: [[String]] = [
            ["list"], ["show", "HN-2026-000001"], ["history", "HN-2026-000001"], ["note", "HN-2026-000001", "Ghi chú"],
            ["intake", "--title", "Nước thải", "--body", "Nước thải tràn ra đường.", "--category", "environment", "--ward", "00070"],
        ]
        for args in commands {
            for (lang, text) in [("en", "damaged"), ("vi", "hỏng")] {
                let r = try run(["--lang", lang, "--as", "vanthu.hoankiem"] + args, db: path)
                #expect(r.status == 5, "\(args.first!): exit \(r.status) \(r.err)")
                #expect(r.err.contains(text) && r.err.contains("pakn restore"), "\(args.first!): \(r.err)")
                #expect(!r.err.contains("SQLite error") && !r.err.contains("Unexpected") && !r.err.contains("Lỗi không mong đợi"), "\(r.err)")
                #expect(r.out.isEmpty)
            }
        }
    }
}
