import Foundation
import PaknCore
@testable import PaknDemo
@testable import PaknStore
import Testing

/// The real desk (`pakn desk-script`: `DeskRunner` on the database, driven by a key script,
/// no terminal) killed with SIGKILL at random moments while it performs actions, 25 times
/// on one database. `desk-script` prints `committed ACTION CODE VERSION` only after the
/// commit. After every kill:
/// - the database is sound (`checkConsistency`: `PRAGMA integrity_check`, foreign keys, both
///   hash chains, every case has its intake event and replays from its events to its stored
///   state — so no case is half-written);
/// - every action reported committed is there (the case is at least at the reported version,
///   and holds at least as many of the supervisor's events of that action as were reported);
/// and at the end `pakn audit verify` and `pakn audit verify --full` pass.
@Suite("Desk killed at random moments", .serialized)
struct DeskCrashTests {
    static let now = "2026-11-23T09:00:00+07:00"
    static let supervisor = "lanhdao.hoankiem"   // Lâm Hải Vy: every workflow permission in Phường Hoàn Kiếm

    /// A run of desk actions on the overdue cases, one case after another: notes, replies
    /// from a template, assignments through the picker, start, request for information.
    static func script(seed: UInt64, blocks: Int) -> String {
        var rng = SeededRandom(seed: seed)
        var lines = ["5"]   // the overdue view: open cases
        for i in 0..<blocks {
            lines.append(rng.chance(0.3) ? "k" : "j")
            switch rng.int(0...9) {
            case 0...3: lines += ["t", "text: Ghi chú \(seed)-\(i) đã kiểm tra hiện trường", "C-s"]
            case 4, 5: lines += ["R", "M-1", "C-s", "y"]   // a reply is shown once more: `y` sends it
            case 6: lines += ["a", "text: huu hung", "Enter"]
            case 7: lines += ["b"]
            case 8: lines += ["i", "text: Đề nghị bổ sung ảnh \(i)", "Enter"]
            default: lines += ["I", "Enter"]
            }
            lines += ["Esc", "Esc"]
        }
        return lines.joined(separator: "\n") + "\n"
    }

    struct Reported: Hashable { var code: String; var action: String }

    @Test(.timeLimit(.minutes(4))) func killedDuringDeskActions() throws {
        let cli = CLI(db: CLI.tempDB("desk-crash"))
        try cli.ok(["--now", Self.now, "demo", "--cases", "300", "--seed", "4"])
        var rng = SeededRandom(seed: 7)
        var reportedCount: [Reported: Int] = [:]
        var reportedVersion: [String: Int] = [:]
        var kills = 0
        var env = ProcessInfo.processInfo.environment
        env["PAKN_DB"] = nil
        env["LANG"] = "C.UTF-8"

        for i in 0..<25 {
            let base = CLI.tempDB("desk-crash-run")
            let keys = base + ".keys"
            try Self.script(seed: UInt64(100 + i), blocks: 120).write(toFile: keys, atomically: true, encoding: .utf8)
            let pid = try Spawn.start(CLI.binary, ["--db", cli.db, "--lang", "en", "--as", Self.supervisor, "--now", Self.now,
                                                   "desk-script", "--keys", keys, "--render"],
                                      env: env, stdout: base + ".out", stderr: base + ".err")
            usleep(useconds_t(rng.int(150...1600) * 1000))
            kill(pid, SIGKILL)
            let status = Spawn.wait(pid)
            if status == 128 + SIGKILL { kills += 1 } else {
                #expect(status == 0, "run \(i) ended with \(status): \((try? String(contentsOfFile: base + ".err", encoding: .utf8)) ?? "")")
            }
            let out = (try? String(contentsOfFile: base + ".out", encoding: .utf8)) ?? ""
            for line in out.split(separator: "\n") where line.hasPrefix("committed ") {
                let f = line.split(separator: " ")
                // A line cut by the kill has no version yet: it was not reported.
                guard f.count == 4, let v = Int(f[3]) else { continue }
                reportedCount[Reported(code: String(f[2]), action: String(f[1])), default: 0] += 1
                reportedVersion[String(f[2])] = max(reportedVersion[String(f[2])] ?? 0, v)
            }
            try Self.expectEverythingThere(cli.db, reportedCount, reportedVersion, after: "kill \(i)")
        }
        #expect(kills >= 20, "most runs were killed mid-way (\(kills) of 25)")
        let kinds = Set(reportedCount.keys.map(\.action))
        #expect(kinds.count >= 3, "several kinds of action were committed: \(kinds.sorted())")

        let verify = try cli.run(["audit", "verify"])
        #expect(verify.status == 0, "\(verify.stdout)\(verify.stderr)")
        let full = try cli.run(["audit", "verify", "--full"])
        #expect(full.status == 0, "\(full.stdout)\(full.stderr)")
    }

    static func expectEverythingThere(_ path: String, _ counts: [Reported: Int], _ versions: [String: Int], after: String,
                                      sourceLocation: SourceLocation = #_sourceLocation) throws {
        let db = try AppDatabase(path: path, create: false)
        let report = try db.checkConsistency()
        #expect(report.ok, "\(after): \(report.lines(.en))", sourceLocation: sourceLocation)
        let admin = try #require(try db.official(login: "admin"))
        let me = try #require(try db.official(login: supervisor))
        for (code, v) in versions {
            let stored = try db.resolveCase(code).version
            #expect(stored >= v, "\(after): \(code) reported at version \(v), stored \(stored)", sourceLocation: sourceLocation)
        }
        let byCase = Dictionary(grouping: counts.keys, by: \.code)
        for (code, keys) in byCase {
            let events = try db.history(caseRef: code, viewer: admin).map(\.event).filter { $0.actorId == me.id }
            for k in keys {
                let stored = events.filter { $0.action.rawValue == k.action }.count
                #expect(stored >= counts[k] ?? 0, "\(after): \(code) \(k.action) reported \(counts[k] ?? 0)×, stored \(stored)×",
                        sourceLocation: sourceLocation)
            }
        }
    }
}
