import Foundation
import GRDB
import PaknCore
import Testing
@testable import PaknStore

/// The real `pakn` binary, run from store tests that need to look inside the database
/// afterwards (several processes at once, processes killed mid-write).
enum Pakn {
    /// `PAKN_TEST_BINARY` runs these tests against another build of pakn.
    static let binary: String = {
        if let b = ProcessInfo.processInfo.environment["PAKN_TEST_BINARY"], !b.isEmpty { return b }
        var dir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = dir.appendingPathComponent("pakn").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            dir = dir.deletingLastPathComponent()
        }
        return ".build/debug/pakn"
    }()

    static let now = "2026-11-23T09:00:00+07:00"

    /// Starts pakn with stdout to a file (a pipe could fill up and block it).
    static func start(_ args: [String], db: String, stdout: String) throws -> Process {
        _ = FileManager.default.createFile(atPath: stdout, contents: nil)
        _ = FileManager.default.createFile(atPath: stdout + ".err", contents: nil)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: binary)
        p.arguments = ["--db", db, "--lang", "en", "--now", now] + args
        var env = ProcessInfo.processInfo.environment
        env["PAKN_DB"] = nil
        p.environment = env
        p.standardOutput = FileHandle(forWritingAtPath: stdout)
        p.standardError = FileHandle(forWritingAtPath: stdout + ".err")
        p.standardInput = FileHandle.nullDevice
        try p.run()
        return p
    }

    @discardableResult
    static func run(_ args: [String], db: String) throws -> (status: Int32, out: String, err: String) {
        let out = Fixtures.tempPath("out") + ".txt"
        let p = try start(args, db: db, stdout: out)
        p.waitUntilExit()
        return (p.terminationStatus, (try? String(contentsOfFile: out, encoding: .utf8)) ?? "",
                (try? String(contentsOfFile: out + ".err", encoding: .utf8)) ?? "")
    }

    /// A training database made by `pakn demo`, generated once per size and copied.
    nonisolated(unsafe) static var templates: [Int: String] = [:]
    static let lock = NSLock()

    static func demo(cases: Int) throws -> String {
        lock.lock()
        defer { lock.unlock() }
        let template: String
        if let t = templates[cases] {
            template = t
        } else {
            template = Fixtures.tempPath("pakn-demo-\(cases)")
            let r = try run(["demo", "--cases", String(cases), "--seed", "11"], db: template)
            guard r.status == 0 else { throw Message("cli.unexpected", r.err) }
            templates[cases] = template
        }
        let copy = Fixtures.tempPath("pakn-demo")
        for s in ["", "-wal"] where FileManager.default.fileExists(atPath: template + s) {
            try FileManager.default.copyItem(atPath: template + s, toPath: copy + s)
        }
        return copy
    }

    /// Lines of `pakn stress` output: only complete lines (a killed process may leave half of one).
    static func outcomes(_ text: String) -> [(caseId: Int64, result: String, version: Int?)] {
        var out: [(Int64, String, Int?)] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: false).dropLast() {
            let f = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            guard f.count >= 6, let id = Int64(f[1]) else { continue }
            out.append((id, f[4], Int(f[5])))
        }
        return out
    }

    /// Whether this build of pakn has a subcommand (`import` arrives from another branch).
    static func supports(_ subcommand: String) -> Bool {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: binary)
        p.arguments = [subcommand, "--help"]
        let out = Pipe()
        p.standardOutput = out
        p.standardError = FileHandle.nullDevice
        guard (try? p.run()) != nil else { return false }
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        // An unknown subcommand followed by --help prints the top-level help instead.
        return p.terminationStatus == 0 && text.contains("USAGE: pakn \(subcommand)")
    }

    /// Scale knobs: `PAKN_STRESS_SCALE=3 make test` runs the heavy tests three times longer.
    static var scale: Int { Int(ProcessInfo.processInfo.environment["PAKN_STRESS_SCALE"] ?? "") ?? 1 }
}

/// Several clerks on one database at once.
@Suite struct ConcurrencyTests {
    /// Four `pakn` processes, 1,000 random legal actions each, on a shared 1,000-case
    /// database; half the picks go to 20 "hot" cases so they collide.
    @Test(.timeLimit(.minutes(3))) func fourProcessesOfRandomActionsLoseNothing() throws {
        let path = try Pakn.demo(cases: 1000)
        let db = try AppDatabase(path: path, create: false)
        let before = try db.pool.read { try Int64.fetchOne($0, sql: "SELECT max(id) FROM event") ?? 0 }
        let actions = 1000 * Pakn.scale
        let outs = (1...4).map { _ in Fixtures.tempPath("stress") + ".txt" }
        let procs = try (1...4).map { i in
            try Pakn.start(["--as", "taphuan", "stress", "--actions", String(actions), "--seed", String(i)], db: path, stdout: outs[i - 1])
        }
        for p in procs { p.waitUntilExit() }
        for (i, p) in procs.enumerated() {
            let err = (try? String(contentsOfFile: outs[i] + ".err", encoding: .utf8)) ?? ""
            #expect(p.terminationStatus == 0, "\(err)")
        }
        let all = try outs.flatMap { Pakn.outcomes(try String(contentsOfFile: $0, encoding: .utf8)) }
        #expect(all.count == 4 * actions)
        let kinds = Dictionary(grouping: all, by: \.result).mapValues(\.count)
        // Every action either committed or was refused cleanly.
        #expect(Set(kinds.keys).isSubset(of: ["committed", "conflict", "denied", "refused"]), "\(kinds)")
        #expect(kinds["committed", default: 0] > 2 * actions)
        #expect(kinds["conflict", default: 0] > 0, "the hot cases collided")

        // Every committed action has exactly one event; every denial its `refused` event.
        // A reply also records its answer on each case merged into the replied one (a
        // `reply` event from `merged`, which no action can give): those are set apart.
        let recorded = try db.pool.read { d in
            try Row.fetchAll(d, sql: "SELECT id, case_id, action, from_status FROM event WHERE id > ?", arguments: [before])
                .map { (id: $0["id"] as Int64, caseId: $0["case_id"] as Int64, action: $0["action"] as String,
                        passed: $0["action"] as String == "reply" && $0["from_status"] as String? == "merged") }
        }
        let new = recorded.filter { !$0.passed }
        let passed = recorded.filter(\.passed)
        #expect(new.filter { $0.action != "refused" }.count == kinds["committed", default: 0])
        #expect(new.filter { $0.action == "refused" }.count == kinds["denied", default: 0])
        let committedPerCase = Dictionary(grouping: all.filter { $0.result == "committed" }, by: \.caseId).mapValues(\.count)
        let eventsPerCase = Dictionary(grouping: new.filter { $0.action != "refused" }, by: \.caseId).mapValues(\.count)
        #expect(committedPerCase == eventsPerCase)
        // The last committed version of each case is its stored version.
        var last: [Int64: Int] = [:]
        for o in all where o.result == "committed" { last[o.caseId] = max(last[o.caseId] ?? 0, o.version ?? 0) }
        // (plus one for each master's answer recorded on it after its last action; the one
        // right after a merge into an answered master is that merge's own, in its version).
        for (id, v) in last {
            // The last action that changed the case: a refusal (its own small transaction)
            // changes no version, and a master's answer may land between the two.
            let lastOwn = new.filter { $0.caseId == id && $0.action != "refused" }.max { $0.id < $1.id }
            let sameTransaction = lastOwn?.action == "merge" ? (lastOwn?.id ?? 0) + 1 : -1
            let later = passed.filter { $0.caseId == id && $0.id > (lastOwn?.id ?? 0) && $0.id != sameTransaction }.count
            #expect(try db.resolveCase(String(id)).version == v + later, "case \(id)")
        }

        // Replaying the events gives every case's stored state; the chain and the file hold.
        let check = try db.checkConsistency()
        #expect(check.ok, "\(check.lines(.en))")
        #expect(check.cases == 1000)
    }

    /// `perform` without an expected version is still one IMMEDIATE transaction: writers
    /// queue and none is lost, even on one case.
    @Test func performWithoutAnExpectedVersionIsSerialized() async throws {
        let db = try Fixtures.demo()
        let me = try Fixtures.official(db, "tester")
        let start = try db.resolveCase("1")
        let eventsBefore = try TrustFixtures.events(db, start).count
        try await withThrowingTaskGroup(of: Void.self) { group in
            for t in 0..<4 {
                group.addTask {
                    for i in 0..<25 { try db.perform(.note(text: "Luồng \(t), lần \(i)"), on: "1", by: me, at: Fixtures.now) }
                }
            }
            try await group.waitForAll()
        }
        let end = try db.resolveCase("1")
        #expect(end.version == start.version + 100)
        #expect(try TrustFixtures.events(db, end).count == eventsBefore + 100)
        #expect(try db.checkChain().ok)
    }

    /// Two officials look at the same version; the second to write is told, in their
    /// language, that someone changed the case, and nothing of theirs is written.
    @Test func theSecondOfTwoOfficialsIsToldTheCaseChanged() throws {
        let db = try Fixtures.demo()
        let c = try TrustFixtures.intake(db)
        let a = try Fixtures.official(db, "vanthu.hoankiem"), b = try Fixtures.official(db, "lanhdao.hoankiem")
        try db.perform(.note(text: "Tôi đã gọi lại"), on: c.code, expectedVersion: c.version, by: a, at: Fixtures.now)
        do {
            try db.perform(.reject(reason: "Trùng"), on: c.code, expectedVersion: c.version, by: b, at: Fixtures.now)
            Issue.record("a stale write was accepted")
        } catch let e as StoreError {
            #expect(e == .conflict(code: c.code, expected: c.version, found: c.version + 1))
            #expect(e.text(.vi).contains("vừa được người khác thay đổi"))
        }
        #expect(try db.resolveCase(c.code).status == c.status)
        #expect(try TrustFixtures.events(db, c).last?.action == .note)
    }
}
