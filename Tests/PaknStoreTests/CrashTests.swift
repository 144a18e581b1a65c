import Foundation
import GRDB
import PaknCore
import Testing
@testable import PaknStore

/// `pakn` killed with SIGKILL at random moments — in the middle of a bulk `pakn demo` and
/// of a run of actions — more than 50 times. Afterwards the file passes integrity_check,
/// every action reported as committed is there, no case is half-written (every case has
/// its intake event and replays to its stored state), and the hash chains verify.
@Suite(.serialized) struct CrashTests {
    func sleep(_ seconds: Double) { usleep(useconds_t(seconds * 1_000_000)) }

    func expectSound(_ path: String, _ label: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> AppDatabase? {
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        let db = try AppDatabase(path: path, create: false)
        let r = try db.checkConsistency()
        #expect(r.ok, "\(label): \(r.lines(.en))", sourceLocation: sourceLocation)
        return db
    }

    @Test(.timeLimit(.minutes(3))) func killedDuringABulkDemo() throws {
        var rng = SeededRandom(seed: 2026)
        var sawCases = false
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
                sawCases = sawCases || n > 0
            }
        }
        _ = sawCases
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
            if i % 5 == 4 {
                let r = try db.checkConsistency()
                #expect(r.ok, "kill \(i): \(r.lines(.en))")
            }
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
