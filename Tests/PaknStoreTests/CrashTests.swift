import Foundation
import GRDB
import PaknCore
import Testing
@testable import PaknDemo
@testable import PaknStore

/// `pakn` killed with SIGKILL at random moments — in the middle of a bulk `pakn demo`, of a
/// `pakn import` of a CSV file, and of runs of actions by one or two clerks at once — more
/// than 50 times in all. Afterwards the file passes integrity_check, every action reported
/// as committed is there, no case is half-written (every case has its intake event, its
/// search entry, and replays to its stored state; no search entry without its case), and
/// the hash chains verify.
/// (The desk's own kill test, with key presses, is in the desk's tests.)
@Suite(.serialized) struct CrashTests {
    func sleep(_ seconds: Double) { usleep(useconds_t(seconds * 1_000_000)) }

    /// The full check, plus the search index: one entry per case, none left over.
    func expectSound(_ path: String, _ label: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> AppDatabase? {
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        let db = try AppDatabase(path: path, create: false)
        let r = try db.checkConsistency()
        #expect(r.ok, "\(label): \(r.lines(.en))", sourceLocation: sourceLocation)
        try expectIndexed(db, label, sourceLocation: sourceLocation)
        return db
    }

    /// Every case code holds the token of its prefix ("hn"): the index entries holding it
    /// are exactly the cases (an intake and its index entry commit together).
    func expectIndexed(_ db: AppDatabase, _ label: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let (ids, indexed) = try db.pool.read { d -> (Set<Int64>, Set<Int64>) in
            let ids = Set(try Int64.fetchAll(d, sql: "SELECT id FROM pakn_case"))
            guard let code = try String.fetchOne(d, sql: "SELECT code FROM pakn_case LIMIT 1"),
                  let prefix = code.split(separator: "-").first, let m = SearchIndex.match(String(prefix), prefixLast: false) else {
                return (ids, ids)
            }
            return (ids, Set(try Int64.fetchAll(d, sql: "SELECT rowid FROM case_fts WHERE case_fts MATCH ?", arguments: [m])))
        }
        #expect(ids.subtracting(indexed).isEmpty, "\(label): cases without a search entry: \(ids.subtracting(indexed).prefix(5))",
                sourceLocation: sourceLocation)
        #expect(indexed.subtracting(ids).isEmpty, "\(label): search entries without a case: \(indexed.subtracting(ids).prefix(5))",
                sourceLocation: sourceLocation)
    }

    @Test(.timeLimit(.minutes(3))) func killedDuringABulkDemo() throws {
        var rng = SeededRandom(seed: 2026)
        for i in 0..<8 {
            let path = Fixtures.tempPath("crash-demo")
            let p = try Pakn.start(["demo", "--cases", "2200", "--seed", String(i)], db: path, stdout: path + ".out")
            sleep(Double(rng.int(150...2500)) / 1000)
            kill(p.processIdentifier, SIGKILL)
            p.waitUntilExit()
            #expect(p.terminationReason == .uncaughtSignal)
            if let db = try expectSound(path, "demo kill \(i)") {
                // Cases come in whole batches (one transaction each), never a part of one.
                let n = try db.count(QueueFilter(), now: Fixtures.now)
                #expect([0, 2000, 2200].contains(n), "demo kill \(i): \(n) cases")
            }
        }
    }

    /// A CSV file of `rows` good cases for Hoàn Kiếm, with reporters (some of them
    /// denouncers) and text that needs quoting.
    static func importFile(rows: Int, seed: Int) throws -> String {
        var csv = "title,body,kind,category,channel,ward,address,reporter_name,reporter_phone\r\n"
        for i in 0..<rows {
            let kind = i % 17 == 0 ? "denunciation" : "feedback"
            let category = i % 17 == 0 ? "land" : ["urban_order", "traffic", "environment"][i % 3]
            csv += "\"Nhập thử \(seed)-\(i): vỉa hè, \"\"lấn chiếm\"\"\",\"Dòng một\nDòng hai, số \(i)\",\(kind),\(category),hotline,00070,"
            csv += "Số \(i) Hàng Bài,Nguyễn Văn \(i),09\(String(format: "%08d", i))\r\n"
        }
        let path = Fixtures.tempPath("import") + ".csv"
        try Data(csv.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    /// `pakn import` killed while it writes. All-or-nothing: no case or all of them. With
    /// `--skip-bad`, batches commit one by one: whole batches only. A run that finished
    /// before the kill has all its cases.
    @Test(.timeLimit(.minutes(4)), .enabled(if: Pakn.supports("import"), "this build has no `pakn import` yet"))
    func killedDuringABulkImport() throws {
        var rng = SeededRandom(seed: 4242)
        let rows = 1500, batch = 250
        let file = try Self.importFile(rows: rows, seed: 1)
        var kills = 0
        // The first run is not killed: it says how long an import takes here, so the kills
        // land at random moments within one.
        // A run that ends before its kill (the machine got faster) shortens the estimate, and
        // tries go on until enough kills have landed mid-run (bounded).
        var duration = 4.0
        var i = -1
        while kills < 12 * Pakn.scale && i < 40 * Pakn.scale {
            i += 1
            let path = try Pakn.demo(cases: 100)
            let before = try AppDatabase(path: path, create: false).count(QueueFilter(), now: Fixtures.now)
            let skipBad = i % 2 == 1
            let args = ["--as", "vanthu.hoankiem", "import", file] + (skipBad ? ["--skip-bad", "--batch", String(batch)] : [])
            let started = Date()
            let p = try Pakn.start(args, db: path, stdout: path + ".out")
            if i == 0 {
                p.waitUntilExit()
                duration = Date().timeIntervalSince(started)
            } else {
                sleep(duration * Double(rng.int(2...90)) / 100)
                kill(p.processIdentifier, SIGKILL)
                p.waitUntilExit()
            }
            let killed = p.terminationReason == .uncaughtSignal
            if i > 0 && !killed { duration = min(duration, Date().timeIntervalSince(started)) }
            if killed { kills += 1 } else { #expect(p.terminationStatus == 0, "import \(i): \(p.terminationStatus)") }
            guard let db = try expectSound(path, "import kill \(i)") else { Issue.record("import \(i): the database is gone"); continue }
            let added = try db.count(QueueFilter(), now: Fixtures.now) - before
            if !killed {
                #expect(added == rows, "import \(i) finished with \(added) of \(rows) cases")
            } else if skipBad {
                #expect(added % batch == 0 || added == rows, "import kill \(i): \(added) cases, not whole batches of \(batch)")
            } else {
                #expect(added == 0 || added == rows, "import kill \(i): \(added) of \(rows) cases (all or nothing)")
            }
            // Sealed reporters stay sealed, even through a crash.
            let sealed = try db.pool.read {
                try Int.fetchOne($0, sql: "SELECT count(*) FROM pakn_case WHERE kind = 'denunciation' AND confidential = 0")
            }
            #expect(sealed == 0)
        }
        #expect(kills >= 10, "only \(kills) imports were killed before they finished (a run takes \(duration) s)")
    }

    @Test(.timeLimit(.minutes(3))) func killedDuringActions() throws {
        let path = try Pakn.demo(cases: 200)
        var rng = SeededRandom(seed: 91)
        var committed: [Int64: Int] = [:]
        var kills = 0
        for i in 0..<(45 * Pakn.scale) {
            let out = Fixtures.tempPath("crash-stress") + ".txt"
            // Two clerks at once, now and then, so a kill can land while another waits on the lock.
            let seeds = rng.chance(0.25) ? [i * 2, i * 2 + 1] : [i * 2]
            let procs = try seeds.map { s in
                try Pakn.start(["--as", "taphuan", "stress", "--actions", "100000", "--seed", String(1000 + s), "--hot", "40"],
                               db: path, stdout: out + ".\(s)")
            }
            sleep(Double(rng.int(40...350)) / 1000)
            for p in procs { kill(p.processIdentifier, SIGKILL) }
            for p in procs { p.waitUntilExit() }
            kills += procs.count
            for s in seeds {
                for o in Pakn.outcomes(try String(contentsOfFile: out + ".\(s)", encoding: .utf8)) where o.result == "committed" {
                    committed[o.caseId] = max(committed[o.caseId] ?? 0, o.version ?? 0)
                }
            }
            // Every 5th kill: the full check; always: what was reported committed is there.
            let db = try AppDatabase(path: path, create: false)
            if i % 5 == 4 { _ = try expectSound(path, "kill \(i)") }
            for (id, v) in committed {
                let now = try db.resolveCase(String(id)).version
                #expect(now >= v, "kill \(i): case \(id) reported at version \(v), stored \(now)")
            }
        }
        #expect(kills >= 45)
        #expect(!committed.isEmpty)
        _ = try expectSound(path, "after \(kills) kills")
    }
}
