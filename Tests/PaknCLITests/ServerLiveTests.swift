import Foundation
import PaknCore
@testable import PaknPostgres
import PaknStore
import PaknStoreAPI
import PaknUI
import Testing

/// A live city on the throwaway cluster (PAKN_TEST_PG): desks told of other clerks' commits
/// by LISTEN/NOTIFY, and sessions, the CLI and the desk when the connection is lost under
/// them (docs/deployment.md §6). No timing is asserted: each wait has a generous deadline,
/// a guard against hanging, never a measure.
@Suite(.enabled(if: ServerCLI.url != nil,
                "PAKN_TEST_PG is unset: run `make test` (it starts a throwaway PostgreSQL cluster) to run the server tests"),
       .serialized)
struct ServerLiveTests {
    typealias Pair = ServerSessionCLITests.Pair
    static let guardSeconds: TimeInterval = 60

    static func session(_ p: Pair, _ who: String) throws -> ServerSession {
        let engine = try ServerEngine(try p.url(who), osLogin: "root")
        return try #require(try engine.openSession(login: who, actingAs: nil, now: nil) as? ServerSession)
    }

    /// Waits until `condition` holds (a guard deadline, not a timing).
    /// The backend of `login` waiting on a lock in `database` (nil: none within a quarter
    /// of the guard), watched from `watcher`, a connection outside any open transaction.
    static func waitingOnALock(_ database: String, _ login: String, _ watcher: ServerConnection) async throws -> Int64? {
        let deadline = Date().addingTimeInterval(guardSeconds / 4)
        while Date() < deadline {
            if let pid = try await watcher.int(
                "SELECT pid::bigint FROM pg_stat_activity WHERE datname = \(database) AND usename = \(login) AND wait_event_type = 'Lock'") {
                return pid
            }
            try await Task.sleep(for: .milliseconds(10))
        }
        return nil
    }

    static func eventually(_ condition: () throws -> Bool) rethrows -> Bool {
        let deadline = Date().addingTimeInterval(guardSeconds)
        while Date() < deadline {
            if try condition() { return true }
            Thread.sleep(forTimeInterval: 0.01)
        }
        return try condition()
    }

    static func backendPid(_ s: ServerSession) throws -> Int64 {
        try #require(try s.db.one("SELECT pg_backend_pid()::bigint")?.int(0))
    }

    @Test func anotherClerksCommitReachesTheOtherSessionAndItsDesk() async throws {
        let p = try await Pair.make()
        defer { Task { await ServerCLI.drop(p.database) } }
        let sup = try Self.session(p, "lanhdao.hoankiem")
        #expect(sup.listener?.isListening == true)
        let desk = try DeskRunner(session: sup, lang: .en, width: 160, height: 40, view: .all)
        desk.start()
        let v0 = try sup.dataVersion()
        let n0 = try #require(sup.changeNotices)
        #expect(!desk.changeNoticed)

        // Another clerk, another process: a new case in the supervisor's ward.
        let clerk = try p.server("vanthu.hoankiem")
        let code = try clerk.ok(["intake", "--title", "Đèn đường hỏng trên phố Hàng Bạc", "--body", "Ba cột đèn không sáng.",
                                 "--category", "environment", "--channel", "hotline", "--ward", "00070"])
            .stdout.trimmingCharacters(in: .whitespacesAndNewlines)

        // The notification arrives (the listening connection counts it), the desk sees it
        // without its second having passed, and its reload shows the new case.
        #expect(Self.eventually { (sup.changeNotices ?? 0) > n0 })
        #expect(desk.changeNoticed)
        let v1 = try #require(try sup.waitForChange(since: v0, timeout: Self.guardSeconds))
        #expect(v1 != v0)
        #expect(desk.pollForChanges())
        #expect(!desk.changeNoticed)
        #expect(desk.walkFinds(code), "\(code) not on the desk after the notice")

        // A change outside the supervisor's units is notified too (the server cannot know
        // who cares), but reading afresh under row-level security shows them nothing new.
        let other = try p.server("vanthu.badinh")
        let before = try sup.dataVersion()
        let n1 = try #require(sup.changeNotices)
        let r = try other.run(["intake", "--title", "Vỉa hè bị lấn chiếm", "--body", "Quán nước lấn chiếm vỉa hè.",
                               "--category", "environment", "--channel", "web", "--ward", "00004"])
        if r.status == 0 {
            #expect(Self.eventually { (sup.changeNotices ?? 0) > n1 })
            #expect(try sup.dataVersion() == before)
        }

        // A file's session is told nothing: it polls.
        let file = try AppDatabase(path: p.file.db, create: false).session(login: "lanhdao.hoankiem", actingAs: "lanhdao.hoankiem")
        #expect(file.changeNotices == nil)
        let fv = try file.dataVersion()
        try p.file.ok(["--as", "vanthu.hoankiem", "intake", "--title", "Cây đổ chắn đường", "--body", "Cây đổ sau bão.",
                       "--category", "environment", "--channel", "hotline", "--ward", "00070"])
        #expect(try file.waitForChange(since: fv, timeout: Self.guardSeconds) != nil)
    }

    /// After its own write the desk keeps the session's `dataVersionAfterOwnWrite`: on a
    /// server, the event the write chained, without asking; a newer event by another official
    /// is still news; after a write that failed, the version is asked.
    @Test func theVersionAfterAnOwnWriteIsItsEventAndAnotherOfficialsLaterOneIsNews() async throws {
        let p = try await Pair.make()
        defer { Task { await ServerCLI.drop(p.database) } }
        let code = try p.server("vanthu.hoankiem").ok(["intake", "--title", "Cống thoát nước bị tắc", "--body", "Nước ứ đọng sau mưa.",
                                                      "--category", "environment", "--channel", "hotline", "--ward", "00070"])
            .stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let clerk = try Self.session(p, "vanthu.hoankiem"), sup = try Self.session(p, "lanhdao.hoankiem")
        func newestEvent() throws -> Int {
            Int(try #require(try clerk.db.one("SELECT max(e.id) FROM event e JOIN pakn_case c ON c.id = e.case_id WHERE c.code = '\(code)'")?.int(0)))
        }
        _ = try clerk.perform(.note(text: "Đã liên hệ tổ dân phố."), on: code, expectedVersion: nil, reference: nil)
        let own = try newestEvent()
        #expect(try clerk.dataVersionAfterOwnWrite() == own)
        #expect(try clerk.dataVersion() == own, "no one else wrote: the same as asking")

        // Another official writes after it: the clerk's own version is older, so the desk
        // takes the other's write as news.
        _ = try clerk.perform(.note(text: "Hẹn kiểm tra hiện trường."), on: code, expectedVersion: nil, reference: nil)
        let second = try newestEvent()
        _ = try sup.perform(.note(text: "Đề nghị xử lý trong tuần."), on: code, expectedVersion: nil, reference: nil)
        let others = try newestEvent()
        #expect(second > own && others > second)
        #expect(try clerk.dataVersionAfterOwnWrite() == second)
        #expect(try clerk.dataVersion() == others)

        // A write that fails (a version that moved) chains nothing: the version is asked.
        #expect(throws: (any Error).self) {
            _ = try clerk.perform(.note(text: "Ghi chú cũ."), on: code, expectedVersion: 1, reference: nil)
        }
        #expect(try clerk.dataVersionAfterOwnWrite() == others)
    }

    /// A connection terminated again and again (a server restarted often, an admin's
    /// `pg_terminate_backend`) is made again each time, and each read answers as before.
    @Test func aConnectionTerminatedAgainAndAgainIsMadeAgainEachTime() async throws {
        let p = try await Pair.make()
        defer { Task { await ServerCLI.drop(p.database) } }
        let clerk = try Self.session(p, "vanthu.hoankiem")
        let owner = try await p.owner()
        defer { Task { await owner.close() } }
        let q = QueueQuery(filter: QueueFilter(statuses: [.received, .routed]), limit: 5)
        let first = try clerk.queue(q).map(\.code)
        let before = clerk.db.reconnects
        for i in 0..<100 {
            let pid = try Self.backendPid(clerk)
            #expect(try await owner.int("SELECT pg_terminate_backend(\(pid)::int)::int::bigint") == 1)
            #expect(try clerk.queue(q).map(\.code) == first, "round \(i)")
        }
        #expect(clerk.db.reconnects - before == 100)
    }

    @Test func aTerminatedConnectionIsMadeAgainAndAnActionCutMidwayLeavesNothing() async throws {
        let p = try await Pair.make()
        defer { Task { await ServerCLI.drop(p.database) } }
        // Two new cases routed to a department of the ward, to be assigned.
        let cli = try p.server("vanthu.hoankiem")
        for title in ["Cống thoát nước bị tắc", "Rác thải tồn đọng"] {
            let code = try cli.ok(["intake", "--title", title, "--body", "Sau mưa, nước và rác ứ đọng.", "--category", "environment",
                                   "--channel", "hotline", "--ward", "00070", "--route", "none"])
                .stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            try cli.ok(["route", code, "00070-VHXH"])
        }
        let clerk = try Self.session(p, "vanthu.hoankiem")
        let owner = try await p.owner()
        // Polled from a connection of its own (the owner's transaction keeps one statistics snapshot).
        let watcher = try await p.owner()
        defer { Task { await watcher.close() } }
        let rows = try clerk.queue(QueueQuery(filter: QueueFilter(statuses: [.routed]), limit: 5))
        try #require(rows.count >= 2)

        // The backend terminated between two reads: the next read is sent again on a new
        // connection, as the same role.
        let pid = try Self.backendPid(clerk)
        #expect(try await owner.int("SELECT pg_terminate_backend(\(pid)::int)::int::bigint") == 1)
        let again = try clerk.queue(QueueQuery(filter: QueueFilter(statuses: [.routed]), limit: 5))
        #expect(again.map(\.code) == rows.map(\.code))
        #expect(clerk.db.reconnects == 1)
        #expect(try Self.backendPid(clerk) != pid)

        // Lost in the middle of an assign: the session waits on the case's row (another
        // transaction holds it) when its backend is terminated. One sentence; the server
        // rolled the transaction back: the case, its history and the chain are as they were.
        let target = rows[0]
        let handler = try #require(try clerk.official(login: "canbo.hoankiem.vhxh"))
        let head0 = try await ServerSetup.verifyChain(owner)
        let version0 = try await owner.int("SELECT version::bigint FROM pakn_case WHERE id = \(target.id)")
        try await owner.execute(sql: "BEGIN")
        _ = try await owner.rows("SELECT id FROM pakn_case WHERE id = \(target.id) FOR UPDATE")
        let outcome = Outcome()
        let thread = Thread {
            do {
                _ = try clerk.perform(.assign(officialId: handler.id), on: target.code)
                outcome.set("performed")
            } catch let m as Message {
                outcome.set(m.key + "|" + m.text(.en))
            } catch {
                outcome.set("\(error)")
            }
        }
        thread.start()
        let blocked = try await Self.waitingOnALock(p.database, "vanthu.hoankiem", watcher)
        let victim = try #require(blocked)
        _ = try await owner.int("SELECT pg_terminate_backend(\(victim)::int)::int::bigint")
        try await owner.execute(sql: "ROLLBACK")
        #expect(await outcome.wait(Self.guardSeconds))
        let said = outcome.value ?? ""
        #expect(said.hasPrefix("pg.server.lost|"), "\(said)")
        #expect(!said.contains("\n"))
        #expect(try await owner.int("SELECT version::bigint FROM pakn_case WHERE id = \(target.id)") == version0)
        let head1 = try await ServerSetup.verifyChain(owner)
        #expect(head1.firstBroken == nil && head1.events == head0.events && head1.head == head0.head)

        // The session goes on: the same assign, asked again, is done once.
        let done = try clerk.perform(.assign(officialId: handler.id), on: target.code)
        #expect(done.assigneeId == handler.id)
        #expect(try await ServerSetup.verifyChain(owner).events == head0.events + 1)
        await owner.close()
    }

    // The watcher is a connection of its own: inside the owner's open transaction,
    // `pg_stat_activity` is read once and kept for the transaction (PostgreSQL's statistics
    // snapshot), so polling there never saw the CLI arrive.
    @Test
    func theCLISaysTheConnectionWasLostAndExitsNonZero() async throws {
        let p = try await Pair.make()
        defer { Task { await ServerCLI.drop(p.database) } }
        let owner = try await p.owner()
        let watcher = try await p.owner()
        defer { Task { await watcher.close() } }
        let cli = try p.server("vanthu.hoankiem")
        let code = try cli.ok(["intake", "--title", "Cống thoát nước bị tắc", "--body", "Nước ứ đọng.", "--category", "environment",
                               "--channel", "hotline", "--ward", "00070", "--route", "none"])
            .stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        try cli.ok(["route", code, "00070-VHXH"])
        let version0 = try await owner.int("SELECT version::bigint FROM pakn_case WHERE code = \(code)")
        let events0 = try await ServerSetup.verifyChain(owner).events
        try await owner.execute(sql: "BEGIN")
        _ = try await owner.rows("SELECT id FROM pakn_case WHERE code = \(code) FOR UPDATE")
        let proc = Process()
        proc.executableURL = URL(fileURLWithPath: CLI.binary)
        proc.arguments = ["--db", try p.url("vanthu.hoankiem"), "--lang", "en", "assign", code, "canbo.hoankiem.vhxh"]
        var env = ProcessInfo.processInfo.environment
        env["LANG"] = "C.UTF-8"
        env["PAKN_DB"] = nil
        proc.environment = env
        let err = Pipe()
        proc.standardOutput = FileHandle.nullDevice
        proc.standardError = err
        proc.standardInput = FileHandle.nullDevice
        try proc.run()
        let outcome = Outcome()
        let blocked = try await Self.waitingOnALock(p.database, "vanthu.hoankiem", watcher)
        guard let blocked else {
            let act = try await watcher.rows("SELECT usename::text || ' ' || coalesce(wait_event_type, '-') || ' ' || coalesce(state, '-') || ' ' || left(query, 60) FROM pg_stat_activity WHERE datname = \(p.database)").map { try $0.decode(String.self) }
            let wchan = (try? String(contentsOfFile: "/proc/\(proc.processIdentifier)/wchan", encoding: .utf8)) ?? "?"
            let stat = (try? String(contentsOfFile: "/proc/\(proc.processIdentifier)/stat", encoding: .utf8)) ?? "?"
            proc.terminate()
            let said = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            Issue.record("the CLI never waited on the row: \(proc.isRunning) \(wchan) \(stat) \(said) \(act)")
            try await owner.execute(sql: "ROLLBACK")
            await owner.close()
            return
        }
        _ = try await watcher.int("SELECT pg_terminate_backend(\(blocked)::int)::int::bigint")
        try await owner.execute(sql: "ROLLBACK")
        let said = err.fileHandleForReading.readDataToEndOfFile()
        proc.waitUntilExit()
        outcome.set("\(proc.terminationStatus)|" + String(decoding: said, as: UTF8.self))
        #expect(await outcome.wait(Self.guardSeconds))
        let parts = (outcome.value ?? "").split(separator: "|", maxSplits: 1).map(String.init)
        #expect(parts.count == 2 && parts[0] != "0", "\(parts)")
        let stderr = parts.count == 2 ? parts[1] : ""
        #expect(stderr.contains("connection to the database server was lost"), "\(stderr)")
        #expect(stderr.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: "\n").count == 1, "\(stderr)")
        #expect(try await owner.int("SELECT version::bigint FROM pakn_case WHERE code = \(code)") == version0)
        #expect(try await ServerSetup.verifyChain(owner).events == events0)
        await owner.close()
    }

    @Test func theDeskSaysTheDatabaseIsGoneAndReconnectsWhenItReturns() async throws {
        let p = try await Pair.make()
        defer { Task { await ServerCLI.drop(p.database) } }
        let sup = try Self.session(p, "lanhdao.hoankiem")
        let desk = try DeskRunner(session: sup, lang: .en, width: 160, height: 40)
        desk.start()
        let owner = try await ServerConnection.connect(try ServerURL(ServerCLI.url!, osLogin: "root"))
        // The database goes away: it takes no new connection, and the desk's is ended.
        try await owner.execute(sql: "ALTER DATABASE \(p.database) ALLOW_CONNECTIONS false")
        _ = try await owner.rows(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = \(p.database) AND usename = 'lanhdao.hoankiem'")
        #expect(desk.pollForChanges())
        #expect(desk.databaseLost)
        let lost = try #require(desk.state.notice)
        #expect(lost.isError && lost.en.hasPrefix("Lost the connection to the database; trying to reconnect"), "\(lost.en)")
        #expect(!desk.pollForChanges())

        // Back: the next polls reconnect (attempts spaced out), say so and reload.
        try await owner.execute(sql: "ALTER DATABASE \(p.database) ALLOW_CONNECTIONS true")
        #expect(Self.eventually { desk.pollForChanges() && !desk.databaseLost })
        #expect(desk.state.notice?.en == "Reconnected to the database; the screen is up to date.")
        #expect(sup.db.reconnects >= 1)
        #expect(try sup.dataVersion() > 0)
        // Its listener is back too.
        #expect(Self.eventually { sup.listener?.isListening == true })
        await owner.close()
    }

    /// The desk's first quiet moment readies the official's first write on the selected case
    /// (StoreSession.prepareFirstWrite): the server ran the write path (the case row carries
    /// the rolled-back transaction in its xmax) and kept nothing: the same version, the same
    /// chain head, the same data version, no notice; once a session, and the first real
    /// action then goes through as always.
    @Test func theDesksFirstQuietMomentRehearsesAWriteAndKeepsNothing() async throws {
        let p = try await Pair.make()
        defer { Task { await ServerCLI.drop(p.database) } }
        let owner = try await p.owner()
        let clerk = try Self.session(p, "vanthu.hoankiem")
        let desk = try DeskRunner(session: clerk, lang: .en, width: 160, height: 40)
        desk.start()
        _ = desk.frame()
        let row = try #require(desk.state.selectedRow)
        func look() async throws -> (xmax: Int64, version: Int64, head: String) {
            let xmax = try #require(try await owner.int("SELECT xmax::text::bigint FROM pakn_case WHERE id = \(row.id)"))
            let version = try #require(try await owner.int("SELECT version::bigint FROM pakn_case WHERE id = \(row.id)"))
            let head = try #require(try await owner.text("SELECT last_id::text || ' ' || hash FROM event_head"))
            return (xmax, version, head)
        }
        let before = try await look()
        let data = try clerk.dataVersion()
        #expect(desk.hasIdleWork, "the first write is still to ready")
        var rounds = 0
        while desk.hasIdleWork, rounds < 10 { desk.idle(); rounds += 1 }
        #expect(!desk.hasIdleWork)
        let after = try await look()
        #expect(after.xmax != 0 && after.xmax != before.xmax, "the write path ran on the case")
        #expect(after.version == before.version && after.head == before.head, "and nothing of it was kept")
        #expect(try clerk.dataVersion() == data)
        desk.idle()
        #expect(try await look().xmax == after.xmax, "once a session")
        let done = try clerk.perform(.note(text: "Đã gọi lại cho công dân"), on: row.code, expectedVersion: Int(before.version), reference: nil)
        #expect(done.version == Int(before.version) + 1)
        let head = try await look().head
        #expect(head.split(separator: " ").first.flatMap { Int($0) } == before.head.split(separator: " ").first.flatMap { Int($0) }.map { $0 + 1 })
        // The rehearsal runs its whole path (the note, then the change of status) without an
        // error, and still keeps nothing.
        #expect(try clerk.rehearseFirstWrite(onCase: row.id))
        let after2 = try await look()
        #expect(after2.version == before.version + 1 && after2.head == head)
        await owner.close()
    }
}

/// A value set once by another thread, waited for.
final class Outcome: @unchecked Sendable {
    private let cond = NSCondition()
    private var v: String?
    func set(_ s: String) { cond.lock(); v = s; cond.broadcast(); cond.unlock() }
    var value: String? { cond.lock(); defer { cond.unlock() }; return v }
    func wait(_ seconds: TimeInterval) async -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if value != nil { return true }
            try? await Task.sleep(for: .milliseconds(10))
        }
        return value != nil
    }
}
