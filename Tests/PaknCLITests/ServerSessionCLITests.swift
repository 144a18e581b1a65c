import Foundation
import PaknCore
import PaknPostgres
import PaknStore
import PaknUI
import Testing

/// The PostgreSQL session engine (`--db postgres://…`) against the throwaway cluster `make
/// test` starts (PAKN_TEST_PG): a demo database moved to the server with `pakn migrate`,
/// then the same officials asked the same things through both engines. Each official logs
/// in as their own role (the test cluster trusts local connections: peer authentication in
/// production); `--as` is for training databases only, so the server URL names the role.
@Suite(.enabled(if: ServerCLI.url != nil,
                "PAKN_TEST_PG is unset: run `make test` (it starts a throwaway PostgreSQL cluster) to run the server tests"),
       .serialized)
struct ServerSessionCLITests {
    /// A demo database, its copy on a fresh server database, and a CLI per official there.
    struct Pair {
        var file: CLI
        var database: String
        var target: String

        static func make() async throws -> Pair {
            var file = try CLI.demo()
            file.lang = "en"
            let db = try await ServerCLI.freshDatabase()
            let target = try ServerCLI.url(database: db)
            let r = try file.run(["migrate", "--from", file.db, "--to", target])
            #expect(r.status == 0, "\(r.stderr)")
            return Pair(file: file, database: db, target: target)
        }

        /// The server's URL logged in as `login`'s role.
        func url(_ login: String) throws -> String {
            var c = try #require(URLComponents(string: target))
            c.user = login
            return try #require(c.string)
        }

        func server(_ login: String) throws -> CLI { CLI(db: try url(login), lang: "en") }

        func owner() async throws -> ServerConnection {
            try await ServerConnection.connect(try ServerURL(target, osLogin: "root"))
        }
    }

    static let officials = ["vanthu.hoankiem", "canbo.hoankiem.vhxh", "lanhdao.hoankiem"]

    static func diff(_ a: String, _ b: String) -> String {
        let la = a.split(separator: "\n"), lb = b.split(separator: "\n")
        return zip(la, lb).filter { $0 != $1 }.prefix(4).map { "file:   \($0)\nserver: \($1)" }.joined(separator: "\n")
            + (la.count != lb.count ? "\nlines \(la.count) vs \(lb.count)" : "")
    }

    static func canonical(_ value: Any?) throws -> String {
        let v = try #require(value)
        return String(decoding: try JSONSerialization.data(withJSONObject: v, options: [.sortedKeys, .prettyPrinted]), as: UTF8.self)
    }

    static func codes(_ r: CLI.Result) -> [String] {
        r.csvLines.dropFirst().map { String($0.split(separator: ",").first ?? "") }
    }

    @Test func theSameOfficialsSeeTheSameQueuesAndDetailOnBothEngines() async throws {
        let p = try await Pair.make()
        defer { Task { await ServerCLI.drop(p.database) } }
        for who in Self.officials {
            let server = try p.server(who)
            for order in ["urgency", "newest", "oldest", "code"] {
                let args = ["list", "--order", order, "--limit", "500", "--csv"]
                let onFile = Self.codes(try p.file.ok(["--as", who] + args))
                let onServer = Self.codes(try server.ok(args))
                #expect(!onFile.isEmpty, "\(who) \(order)")
                #expect(onFile == onServer, "\(who) \(order): file \(onFile.prefix(5)), server \(onServer.prefix(5))")
            }
            // Open cases, most urgent first; a search over the folded text (diacritics optional,
            // the last word a prefix), a status, a kind.
            let open = Self.codes(try p.file.ok(["--as", who, "list", "--open", "--limit", "500", "--csv"]))
            #expect(open == Self.codes(try server.ok(["list", "--open", "--limit", "500", "--csv"])), "\(who)")
            for filter in [["-q", "nuoc"], ["-q", "đường ng"], ["--status", "assigned,in_progress"], ["--kind", "complaint"]] {
                let a = Self.codes(try p.file.ok(["--as", who, "list", "--limit", "500", "--csv"] + filter))
                let b = Self.codes(try server.ok(["list", "--limit", "500", "--csv"] + filter))
                #expect(a == b, "\(who) \(filter): file \(a.count), server \(b.count)")
            }
            // The same detail: the case's fields and its whole history, hashes included.
            let some = Self.codes(try p.file.ok(["--as", who, "list", "--limit", "500", "--csv"]))
            #expect(some.count > 4)
            for code in some.prefix(3) + some.suffix(2) {
                let a = try p.file.ok(["--as", who, "show", code, "--json"]).object()
                let b = try server.ok(["show", code, "--json"]).object()
                for key in ["code", "title", "body", "status", "kind", "category", "unit_code", "ward_code", "assignee_login",
                            "version", "received_at", "due_at", "reply"] {
                    #expect("\(a[key] ?? "nil")" == "\(b[key] ?? "nil")", "\(who) \(code) \(key)")
                }
                // The history, event by event (the rest of its JSON is the case's, whose clock
                // reads the training day on the file and today on the server).
                let ha = try Self.canonical(try p.file.ok(["--as", who, "history", code, "--json"]).object()["history"])
                let hb = try Self.canonical(try server.ok(["history", code, "--json"]).object()["history"])
                #expect(ha.count > 2)
                #expect(ha == hb, "\(who) \(code)\n\(Self.diff(ha, hb))")
            }
        }
    }

    @Test func aCaseOutsideOnesUnitsIsRefusedAsOnTheFile() async throws {
        let p = try await Pair.make()
        defer { Task { await ServerCLI.drop(p.database) } }
        let conn = try await p.owner()
        let all = try await conn.rows("SELECT code FROM pakn_case ORDER BY id").map { try $0.decode(String.self) }
        await conn.close()
        let who = "canbo.hoankiem.vhxh"
        let server = try p.server(who)
        let visible = Set(Self.codes(try server.ok(["list", "--limit", "100000", "--csv"])))
        let outside = try #require(all.first { !visible.contains($0) && (try? p.file.run(["--as", who, "show", $0]).status) != 0 })
        for args in [["show", outside], ["history", outside], ["start", outside]] {
            let f = try p.file.run(["--as", who] + args)
            let s = try server.run(args)
            #expect(f.status != 0 && s.status == f.status, "\(args): file \(f.status), server \(s.status)")
            #expect(s.stderr == f.stderr, "\(args): file \(f.stderr), server \(s.stderr)")
        }
        // Nor by the server's own rows: the official's role reads no more of it.
        let asOfficial = try await ServerConnection.connect(try ServerURL(try p.url(who), osLogin: "root"))
        #expect(try await asOfficial.int("SELECT count(*) FROM pakn_case WHERE code = \(outside)") == 0)
        await asOfficial.close()
    }

    @Test func intakeAssignAndReplyOnTheServerKeepTheChain() async throws {
        let p = try await Pair.make()
        defer { Task { await ServerCLI.drop(p.database) } }
        let clerk = try p.server("vanthu.hoankiem"), handler = try p.server("canbo.hoankiem.vhxh")
        let first = try await p.owner()
        let before = try await ServerSetup.verifyChain(first)
        await first.close()
        #expect(before.firstBroken == nil)

        let code = try clerk.ok(["intake", "--title", "Cống thoát nước bị tắc trên đường Trần Hưng Đạo",
                                 "--body", "Sau mưa, nước ngập sâu 30 cm trước số 88 Trần Hưng Đạo.",
                                 "--category", "environment", "--channel", "hotline", "--ward", "00070",
                                 "--reporter-name", "Lê Văn Cường", "--reporter-phone", "0901234567", "--route", "none"])
            .stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(code.hasPrefix("HN-2026-"), "\(code)")
        var c = try clerk.ok(["show", code, "--json"]).object()
        #expect(c["status"] as? String == "received")
        c = try clerk.ok(["route", code, "00070-VHXH", "--json"]).object()
        #expect(c["status"] as? String == "routed" && c["unit_code"] as? String == "00070-VHXH")
        let version = try #require(c["version"] as? Int)
        c = try clerk.ok(["assign", code, "canbo.hoankiem.vhxh", "--expect-version", String(version), "--json"]).object()
        #expect(c["assignee_login"] as? String == "canbo.hoankiem.vhxh")
        // The version the clerk looked at is gone: refused, nothing written.
        let stale = try clerk.run(["assign", code, "canbo.hoankiem.vhxh", "--expect-version", String(version)])
        #expect(stale.status != 0 && stale.stderr.contains("was just changed by someone else"), "\(stale.stderr)")
        c = try handler.ok(["reply", code, "-m", "Đã nạo vét cống, nước đã rút.", "--json"]).object()
        #expect(c["status"] as? String == "resolved" && c["reply"] as? String == "Đã nạo vét cống, nước đã rút.")
        let history = try #require(c["history"] as? [[String: Any]])
        #expect(history.map { $0["action"] as? String } == ["intake", "route", "assign", "reply"])
        #expect(history.map { $0["actor"] as? String } == ["vanthu.hoankiem", "vanthu.hoankiem", "vanthu.hoankiem", "canbo.hoankiem.vhxh"])

        // The chain recomputed on the server holds, four events longer; the counters are the cases'.
        let conn = try await p.owner()
        let after = try await ServerSetup.verifyChain(conn)
        #expect(after.firstBroken == nil)
        #expect(after.events == before.events + 4)
        let counters = "SELECT count(*) FROM ((SELECT * FROM case_count EXCEPT \(ServerSchema.caseCountRecount)) UNION ALL (\(ServerSchema.caseCountRecount) EXCEPT SELECT * FROM case_count)) d"
        #expect(try await conn.int(.init(unsafeSQL: counters)) == 0)
        #expect(try await conn.int("SELECT count(*) FROM pakn_case WHERE code = \(code) AND search LIKE '%cong thoat nuoc%'") == 1)
        await conn.close()

        // Routed by the routing table as on the file: the same unit, the same clock.
        let petition = ["intake", "--title", "Rác thải tồn đọng trên phố Hàng Mã", "--body", "Rác để nhiều ngày chưa thu gom.",
                        "--category", "environment", "--channel", "web", "--ward", "00070", "--json"]
        let onServer = try clerk.ok(petition).object()
        let onFile = try p.file.ok(["--as", "vanthu.hoankiem"] + petition).object()
        for key in ["status", "unit_code", "ward_code", "kind", "category"] {
            #expect("\(onServer[key] ?? "nil")" == "\(onFile[key] ?? "nil")", "\(key)")
        }
        #expect(onServer["status"] as? String == "routed")

        // Training options are refused; what does not run on a server yet says so.
        let asOther = try clerk.run(["--as", "canbo.hoankiem.vhxh", "list"])
        #expect(asOther.status != 0 && asOther.stderr.contains("--as"), "\(asOther.stderr)")
        let backup = try clerk.run(["backup", "/tmp/x.sqlite"])
        #expect(backup.status == 5 && backup.stderr.contains("pg_dump"), "\(backup.stderr)")
        let imported = try clerk.run(["report", "import", "/tmp/none.json"])
        #expect(imported.status != 0 && !imported.stderr.isEmpty, "\(imported.stderr)")
    }

    @Test func theDeskRunsOnTheServer() async throws {
        let p = try await Pair.make()
        defer { Task { await ServerCLI.drop(p.database) } }
        let who = "lanhdao.hoankiem"
        let engine = try ServerEngine(try p.url(who), osLogin: "root")
        let session = try engine.openSession(login: who, actingAs: nil, now: nil)
        let file = try AppDatabase(path: p.file.db, create: false).session(login: who, actingAs: who)
        func walk(_ r: DeskRunner) -> [String] {
            r.send(.char("g"))
            var seen: [String] = []
            var last: Int64?
            while let row = r.state.selectedRow, row.id != last {
                seen.append(row.code)
                last = row.id
                r.send(.char("j"))
            }
            return seen
        }
        let onServer = try DeskRunner(session: session, lang: .en, width: 120, height: 40, view: .all)
        onServer.start()
        let onFile = try DeskRunner(session: file, lang: .en, width: 120, height: 40, view: .all)
        onFile.start()
        let codes = walk(onServer)
        #expect(codes.count > 20)
        #expect(codes == walk(onFile))
        // Move to the third case and open it.
        onServer.send(.char("g"))
        onServer.send([.char("j"), .char("j")])
        let row = try #require(onServer.state.selectedRow)
        #expect(row.code == codes[2])
        onServer.send(.enter)
        onServer.flush()
        #expect(onServer.state.detail?.case.code == row.code)
        #expect(onServer.state.detail?.history.isEmpty == false)
        #expect(onServer.frame().line(0).isEmpty == false)
    }

    @Test func officialsAreManagedOnTheServerRecordedAndRefusedAsOnTheFile() async throws {
        let p = try await Pair.make()
        defer { Task { await ServerCLI.drop(p.database) } }
        let admin = try p.server("admin"), clerk = try p.server("vanthu.hoankiem")
        // The same list, the same picker rows, on both engines.
        let onFile = try p.file.ok(["--as", "admin", "officials", "list", "--within", "00070"]).stdout
        #expect(onFile.split(separator: "\n").count > 3)
        #expect(try admin.ok(["officials", "list", "--within", "00070"]).stdout == onFile)
        #expect(try admin.ok(["officials", "list", "kinh te"]).stdout == p.file.ok(["--as", "admin", "officials", "list", "kinh te"]).stdout)
        // Added on the server: a LOGIN role in the database's group, which logs in and works.
        let login = "moi.hoankiem." + String(UUID().uuidString.prefix(6)).lowercased()
        try admin.ok(["officials", "add", login, "--name", "Cán Bộ Mới", "--unit", "00070-KT", "--role", "handler"])
        let newcomer = try p.server(login)
        #expect(try newcomer.ok(["list", "--limit", "5", "--csv"]).csvLines.count >= 1)
        // A role changed, then disabled: the role may no longer log in.
        try admin.ok(["officials", "set-role", login, "clerk"])
        #expect(try admin.ok(["officials", "list", login, "--json"]).stdout.contains("clerk"))
        try admin.ok(["officials", "disable", login])
        let locked = try newcomer.run(["list"])
        #expect(locked.status != 0, "\(locked.stderr)")
        try admin.ok(["officials", "enable", login])
        #expect(try newcomer.run(["list", "--limit", "1"]).status == 0)
        // A clerk is refused as on the file (same sentence, same exit code), and it is recorded.
        for args in [["officials", "list"], ["officials", "set-role", "canbo.hoankiem.kt", "admin"], ["officials", "disable", "lanhdao.hoankiem"],
                     ["officials", "add", "x.y", "--name", "X", "--unit", "00070", "--role", "clerk"], ["audit", "log"]] {
            let f = try p.file.run(["--as", "vanthu.hoankiem"] + args)
            let s = try clerk.run(args)
            #expect(f.status != 0 && s.status == f.status, "\(args): file \(f.status), server \(s.status) \(s.stderr)")
            #expect(s.stderr == f.stderr, "\(args): file \(f.stderr), server \(s.stderr)")
        }
        // The access log holds every act and every refusal, chained on the server.
        let log = try admin.ok(["audit", "log", "--limit", "20", "--json"]).stdout
        let entries = try #require(try JSONSerialization.jsonObject(with: Data(log.utf8)) as? [[String: Any]])
        let mine = entries.filter { ($0["target"] as? String)?.contains(login) == true }.compactMap { $0["action"] as? String }
        #expect(mine == ["official_enable", "official_disable", "official_role", "official_add"], "\(mine)")
        let refusals = entries.filter { $0["action"] as? String == "refused" && $0["login"] as? String == "vanthu.hoankiem" }
        #expect(refusals.count == 5, "\(refusals)")
        let verify = try admin.ok(["audit", "verify", "--json"]).object()
        let accessChain = try #require(verify["access"] as? [String: Any])
        #expect(verify["ok"] as? Bool == true, "\(verify)")
        #expect((accessChain["entries"] as? Int ?? 0) >= 9, "\(accessChain)")
        // Behind pakn's back, with the clerk's own role: no way round the functions.
        let asClerk = try await ServerConnection.connect(try ServerURL(try p.url("vanthu.hoankiem"), osLogin: "root"))
        for sql in ["UPDATE official SET role = 'admin' WHERE login = 'vanthu.hoankiem'",
                    "SELECT pakn_official_set_role('canbo.hoankiem.kt', 'admin')", "SELECT * FROM access_log",
                    "UPDATE pakn_case SET status = 'closed'"] {
            do {
                try await asClerk.execute(sql: sql)
                Issue.record("\(sql) was allowed")
            } catch {
                #expect((error as? Message)?.key == "pg.server.denied", "\(sql): \(error)")
            }
        }
        await asClerk.close()
    }

    @Test func theAuditRunsOnTheServerWithTheFilesHeads() async throws {
        let p = try await Pair.make()
        defer { Task { await ServerCLI.drop(p.database) } }
        let who = try p.server("lanhdao.hoankiem")
        // The heads of the copy are the file's (`pakn migrate` checked them; the session reads them).
        let fileHeads = try p.file.ok(["--as", "lanhdao.hoankiem", "audit", "head", "--json"]).object()
        let serverHeads = try who.ok(["audit", "head", "--json"]).object()
        #expect(fileHeads["events"] as? String == serverHeads["events"] as? String)
        #expect(fileHeads["access"] as? String == serverHeads["access"] as? String)
        let head = try #require(serverHeads["events"] as? String)
        let v = try who.ok(["audit", "verify", "--full", "--json", "--against", head]).object()
        #expect(v["ok"] as? Bool == true, "\(v)")
        let events = try #require(v["events"] as? [String: Any])
        let fileEvents = try #require(try p.file.ok(["--as", "lanhdao.hoankiem", "audit", "verify", "--json"]).object()["events"] as? [String: Any])
        #expect("\(events["entries"] ?? "")" == "\(fileEvents["entries"] ?? "-")")
        // A head no chain reaches is caught (exit 4, as on the file).
        let wrong = String(repeating: "ab", count: 32)
        let f = try p.file.run(["--as", "lanhdao.hoankiem", "audit", "verify", "--against", wrong])
        let s = try who.run(["audit", "verify", "--against", wrong])
        #expect(f.status != 0 && s.status == f.status, "file \(f.status), server \(s.status)")
        // A change on the server moves the head; the old one is still found in the chain.
        let code = try #require(Self.codes(try who.ok(["list", "--open", "--limit", "1", "--csv"])).first)
        try who.ok(["note", code, "Đã gọi điện cho công dân."])
        let newHead = try who.ok(["audit", "head"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(newHead != head)
        #expect(try who.run(["audit", "verify", "--against", head]).status == 0)
    }

    @Test func refusalsOnTheServerAreInTheCasesHistoryAsOnTheFile() async throws {
        let p = try await Pair.make()
        defer { Task { await ServerCLI.drop(p.database) } }
        let conn = try await p.owner()
        let all = try await conn.rows("SELECT code FROM pakn_case ORDER BY id").map { try $0.decode(String.self) }
        await conn.close()
        let who = "canbo.hoankiem.vhxh"
        let server = try p.server(who)
        let visible = Set(Self.codes(try server.ok(["list", "--limit", "100000", "--csv"])))
        let outside = try #require(all.first { !visible.contains($0) })
        let city = try p.server("taphuan")
        func refused(_ c: CLI, _ extra: [String] = []) throws -> Int {
            let h = try c.ok(extra + ["history", outside, "--json"]).object()["history"] as? [[String: Any]] ?? []
            return h.filter { $0["action"] as? String == "refused" }.count
        }
        let before = try refused(city)
        for args in [["show", outside], ["start", outside], ["note", outside, "Gọi lại"]] {
            #expect(try server.run(args).status != 0)
        }
        #expect(try refused(city) == before + 3, "each attempt recorded on the case")
        // A permission the role lacks, in scope: refused and recorded too.
        let viewer = try p.server("xem.hanoi")
        let mine = try #require(Self.codes(try viewer.ok(["list", "--open", "--limit", "1", "--csv"])).first)
        let b2 = try city.ok(["history", mine, "--json"]).object()["history"] as? [[String: Any]] ?? []
        #expect(try viewer.run(["note", mine, "Gọi lại"]).status != 0)
        let a2 = try city.ok(["history", mine, "--json"]).object()["history"] as? [[String: Any]] ?? []
        #expect(a2.count == b2.count + 1 && a2.last?["action"] as? String == "refused")
    }

    @Test func theSentUpViewAndEscalationOutOfSightWorkOnTheServer() async throws {
        let p = try await Pair.make()
        defer { Task { await ServerCLI.drop(p.database) } }
        let who = "lanhdao.hoankiem"
        let engine = try ServerEngine(try p.url(who), osLogin: "root")
        let server = try engine.openSession(login: who, actingAs: nil, now: nil)
        let file = try AppDatabase(path: p.file.db, create: false).session(login: who, actingAs: who)
        let me = try server.current()
        func sentFrom(_ unit: Int64) -> QueueFilter {
            var f = QueueFilter()
            f.sentFromSubtree = unit
            return f
        }
        func sentUp(_ s: any StoreSession) throws -> [String] {
            try s.queue(QueueQuery(filter: sentFrom(me.unitId), order: .code, limit: 500), reference: nil).map(\.code)
        }
        // The same cases sent up from the ward as on the file (copied by `pakn migrate`).
        #expect(try sentUp(server) == sentUp(file))
        // A department's handler escalates a case of theirs: it goes out of their sight, and
        // their unit's "Sent up" lists it (read only: no action offered).
        let handler = try ServerEngine(try p.url("canbo.hoankiem.vhxh"), osLogin: "root")
            .openSession(login: "canbo.hoankiem.vhxh", actingAs: nil, now: nil)
        let h = try handler.current()
        // The ward's clerk takes a case in for the department.
        let clerk = try ServerEngine(try p.url("vanthu.hoankiem"), osLogin: "root")
            .openSession(login: "vanthu.hoankiem", actingAs: nil, now: nil)
        let c = try clerk.intake(IntakeDraft(title: "Loa phát thanh tổ dân phố quá to", body: "Loa bật từ 5 giờ sáng, âm lượng lớn.",
                                             kind: .feedback, category: "health", channel: .hotline, wardCode: "00070",
                                             address: "12 Hàng Bạc", reporter: Reporter(name: "Đỗ Văn An", phone: "0911222333"),
                                             routing: .unit("00070-VHXH")))
        #expect(c.unitId == h.unitId)
        #expect(try handler.allowedActions(for: c).contains(.escalate))
        let up = try handler.perform(.escalate(parentUnitId: 0, reason: "Vượt thẩm quyền của phòng"), on: c.code, expectedVersion: c.version,
                                     reference: nil)
        #expect(up.unitId != h.unitId)
        #expect(try !handler.isWithin(unit: try #require(up.unitId), ancestor: h.unitId))
        let sent = try handler.queue(QueueQuery(filter: sentFrom(h.unitId), order: .code, limit: 500), reference: nil)
        #expect(sent.contains { $0.code == up.code })
        let d = try handler.detail(caseRef: up.code, reference: nil, recording: true)
        #expect(d.allowedActions.isEmpty, "a case seen only because it was sent up offers no action")
        #expect(throws: StoreError.self) { try handler.perform(.note(text: "x"), on: up.code, expectedVersion: nil, reference: nil) }
        // Sent from outside one's units: refused.
        let other = try #require(try server.unit(code: "00004"))
        #expect(throws: StoreError.self) {
            try server.queue(QueueQuery(filter: sentFrom(other.id), limit: 5), reference: nil)
        }
    }

    @Test func mergeLettersDuplicatesAndReferenceReadsAnswerAsOnTheFile() async throws {
        let p = try await Pair.make()
        defer { Task { await ServerCLI.drop(p.database) } }
        let who = "lanhdao.hoankiem"
        let server = try p.server(who)
        func both(_ args: [String]) throws -> (file: CLI.Result, server: CLI.Result) {
            (try p.file.run(["--as", who] + args), try server.run(args))
        }
        // Reference reads: the same lines.
        for args in [["units", "history", "00070"], ["units", "remote", "list"],
                     ["calendar", "list", "--year", "2026"], ["calendar", "list", "--json"]] {
            let (f, s) = try both(args)
            #expect(f.status == 0 && s.status == f.status, "\(args): \(s.stderr)")
            #expect(s.stdout == f.stdout, "\(args)\n\(Self.diff(f.stdout, s.stdout))")
        }
        // Four petitions about one street light, taken in on both (the same codes): the first
        // routed and assigned, the others left as received.
        func take(_ title: String, route: String) throws -> String {
            let r = try both(["intake", "--title", title, "--body", "Đèn tắt ba đêm nay, ngõ tối.", "--category", "traffic",
                              "--channel", "hotline", "--ward", "00070", "--route", route, "--json"])
            let code = try #require(try r.server.object()["code"] as? String)
            #expect(try r.file.object()["code"] as? String == code)
            return code
        }
        let master = try take("Đèn đường hỏng trước số 8 Hàng Bạc", route: "00070-KT")
        #expect(try both(["assign", master, "canbo.hoankiem.kt"]).server.status == 0)
        let open = [try take("Đèn đường trước số 8 Hàng Bạc bị hỏng", route: "none"),
                    try take("Hỏng đèn đường số 8 phố Hàng Bạc", route: "none"),
                    try take("Đèn chiếu sáng ngõ Hàng Bạc hỏng", route: "none")]
        let duplicate = open[0]
        let merged = try both(["merge", duplicate, "--into", master, "--json"])
        #expect(merged.file.status == 0 && merged.server.status == 0, "\(merged.server.stderr)")
        let mf = try merged.file.object(), ms = try merged.server.object()
        for key in ["status", "master", "version"] { #expect("\(mf[key] ?? "nil")" == "\(ms[key] ?? "nil")", "\(key)") }
        #expect(ms["status"] as? String == "merged")
        #expect(ms["master"] as? String == master)
        // Merging into a merged case is refused on both, with the same sentence.
        let again = try both(["merge", open[1], "--into", duplicate])
        #expect(again.file.status != 0 && again.server.status == again.file.status && again.server.stderr == again.file.stderr,
                "\(again.file.stderr) / \(again.server.stderr)")
        // The master answered with a template: the same letter, passed to the duplicate.
        let reply = try both(["reply", master, "--template", "closed", "--json"])
        #expect(reply.file.status == 0 && reply.server.status == 0, "\(reply.file.stderr) \(reply.server.stderr)")
        let rf = try reply.file.object(), rs = try reply.server.object()
        // The same letter, but for the day of receipt (the file's training day; today on the server).
        let day = /\d\d tháng \d\d năm \d{4}/
        #expect((rs["reply"] as? String)?.replacing(day, with: "…") == (rf["reply"] as? String)?.replacing(day, with: "…"))
        #expect((rs["reply"] as? String)?.contains(master) == true)
        let dupAfter = try server.ok(["show", duplicate, "--json"]).object()
        #expect(dupAfter["reply"] as? String == rs["reply"] as? String, "the duplicate's reporter gets the master's answer")
        // Intake of a duplicate: merged at once into the master it names.
        let intake = ["intake", "--title", "Đèn đường hỏng trước số 8 Hàng Bạc", "--body", "Đèn tắt ba đêm nay.", "--category", "traffic",
                      "--channel", "hotline", "--ward", "00070", "--route", "none", "--duplicate-of", open[1], "--json"]
        let i = try both(intake)
        #expect(i.file.status == 0 && i.server.status == 0, "\(i.server.stderr)")
        #expect(try i.server.object()["status"] as? String == "merged")
        #expect("\(try i.server.object()["master"] ?? "-")" == "\(try i.file.object()["master"] ?? "-")",
                "\(i.server.stdout) \(i.file.stdout)")
        #expect(try server.ok(["show", try #require(try i.server.object()["code"] as? String), "--json"]).object()["master"] as? String == open[1])
        // A master outside one's units: refused as on the file, nothing written.
        let conn = try await p.owner()
        let outside = try #require(try await conn.rows("""
            SELECT c.code FROM pakn_case c JOIN unit u ON u.id = c.ward_id WHERE u.code = '00004' AND NOT c.done ORDER BY c.id LIMIT 1
            """).first?.decode(String.self))
        let before = try await conn.int("SELECT count(*) FROM pakn_case") ?? 0
        await conn.close()
        var outsideIntake = intake
        outsideIntake[outsideIntake.count - 2] = outside
        let o = try both(outsideIntake)
        #expect(o.file.status != 0 && o.server.status == o.file.status && o.server.stderr == o.file.stderr, "\(o.file.stderr) / \(o.server.stderr)")
        let conn2 = try await p.owner()
        #expect(try await conn2.int("SELECT count(*) FROM pakn_case") == before)
        await conn2.close()
        // The intake form's duplicates: the same candidates through both engines' sessions.
        let engine = try ServerEngine(try p.url(who), osLogin: "root")
        let ss = try engine.openSession(login: who, actingAs: nil, now: nil)
        let fs = try AppDatabase(path: p.file.db, create: false).session(login: who, actingAs: who)
        let ward = try #require(try ss.unit(code: "00070"))
        let title = "Đèn đường hỏng ở Hàng Bạc"
        let a = try fs.duplicateCandidates(title: title, wardId: ward.id).map(\.code)
        let b = try ss.duplicateCandidates(title: title, wardId: ward.id).map(\.code)
        #expect(!b.isEmpty)
        #expect(a == b)
    }

    @Test func exportsAnswerAsOnTheFileAndAreRecordedByTheServer() async throws {
        let p = try await Pair.make()
        defer { Task { await ServerCLI.drop(p.database) } }
        // The same records, reporters masked the same way (the server masks them itself).
        for (who, args) in [("lanhdao.hoankiem", ["export", "--unit", "00070"]), ("vanthu.hoankiem", ["export", "--format", "csv"]),
                            ("lanhdao.hoankiem", ["export", "--unredacted", "--reason", "Thanh tra thành phố yêu cầu, văn bản 12/TTr"]),
                            ("canbo.hoankiem.kt", ["export", "--status", "assigned,in_progress"])] {
            let f = try p.file.run(["--as", who] + args)
            let s = try p.server(who).run(args)
            #expect(f.status == 0 && s.status == 0, "\(who) \(args): \(s.stderr)")
            #expect(f.stdout.count > 100)
            if args.contains("--format") {
                // The same rows in the same order (the days left are counted from each engine's today).
                #expect(Self.codes(s) == Self.codes(f) && s.csvLines.first == f.csvLines.first, "\(who) \(args)")
            } else {
                // JSON: each record's fields (the file's clock is its training day: `due_state` may differ).
                let a = try #require(try JSONSerialization.jsonObject(with: Data(f.stdout.utf8)) as? [[String: Any]])
                let b = try #require(try JSONSerialization.jsonObject(with: Data(s.stdout.utf8)) as? [[String: Any]])
                #expect(a.count == b.count && !a.isEmpty, "\(who) \(args)")
                for (x, y) in zip(a, b) {
                    for key in ["code", "status", "unit_code", "ward_code", "assignee_login", "reporter", "reply"] {
                        #expect(Self.json(x[key]) == Self.json(y[key]), "\(who) \(args) \(x["code"] ?? "") \(key)")
                    }
                }
            }
        }
        // A clerk may not export unredacted: refused as on the file, recorded.
        let args = ["export", "--unredacted", "--reason", "Cần gọi lại cho công dân"]
        let f = try p.file.run(["--as", "vanthu.hoankiem"] + args), s = try p.server("vanthu.hoankiem").run(args)
        #expect(f.status != 0 && s.status == f.status && s.stderr == f.stderr, "\(f.stderr) / \(s.stderr)")
        let log = try p.server("admin").ok(["audit", "log", "--limit", "10", "--json"]).stdout
        let entries = try #require(try JSONSerialization.jsonObject(with: Data(log.utf8)) as? [[String: Any]])
        #expect(entries.map { $0["action"] as? String ?? "" }.prefix(5) == ["refused", "export", "export_unredacted", "export", "export"])
        let unredacted = try #require(entries.first { $0["action"] as? String == "export_unredacted" })
        #expect((unredacted["cases"] as? Int ?? 0) > 0 && unredacted["note"] as? String == "Thanh tra thành phố yêu cầu, văn bản 12/TTr")
        // Behind pakn's back: the clerk's role gets no unredacted reporter, and a redacted call only masks.
        let conn = try await ServerConnection.connect(try ServerURL(try p.url("vanthu.hoankiem"), osLogin: "root"))
        do {
            try await conn.execute(sql: "SELECT * FROM pakn_export_reporters(true, 'x', 'tò mò', ARRAY(SELECT id FROM pakn_case))")
            Issue.record("an unredacted export by a clerk was allowed")
        } catch {
            #expect((error as? Message)?.key == "pg.server.denied", "\(error)")
        }
        let phones = try await conn.rows("SELECT phone FROM pakn_export_reporters(false, 'x', NULL, ARRAY(SELECT id FROM pakn_case)) WHERE phone IS NOT NULL")
            .map { try $0.decode(String.self) }
        #expect(!phones.isEmpty && phones.allSatisfy { $0.hasPrefix("*") }, "\(phones.prefix(3))")
        await conn.close()
    }

    static func json(_ v: Any?) -> String {
        guard let v else { return "nil" }
        guard JSONSerialization.isValidJSONObject([v]),
              let d = try? JSONSerialization.data(withJSONObject: [v], options: [.sortedKeys]) else { return "\(v)" }
        return String(decoding: d, as: UTF8.self)
    }

    @Test func remoteCommunesAreFlaggedAsOnTheFileAndRecorded() async throws {
        let p = try await Pair.make()
        defer { Task { await ServerCLI.drop(p.database) } }
        let set = ["units", "remote", "set", "00070", "00004", "--reason", "Quyết định số 5/QĐ-UBND"]
        let f = try p.file.run(["--as", "admin"] + set), s = try p.server("admin").run(set)
        #expect(f.status == 0 && s.status == 0 && s.stdout == f.stdout, "\(f.stdout) / \(s.stdout) \(s.stderr)")
        #expect(try p.server("admin").ok(["units", "remote", "list"]).stdout == p.file.ok(["--as", "admin", "units", "remote", "list"]).stdout)
        // Again: unchanged, said the same way.
        let again = (try p.file.run(["--as", "admin"] + set), try p.server("admin").run(set))
        #expect(again.0.stdout == again.1.stdout)
        // A ward's supervisor may not: refused as on the file, recorded; nothing changed.
        let unset = ["units", "remote", "unset", "00070", "--reason", "thử"]
        let rf = try p.file.run(["--as", "lanhdao.hoankiem"] + unset), rs = try p.server("lanhdao.hoankiem").run(unset)
        #expect(rf.status != 0 && rs.status == rf.status && rs.stderr == rf.stderr, "\(rf.stderr) / \(rs.stderr)")
        let log = try p.server("admin").ok(["audit", "log", "--limit", "5", "--json"]).stdout
        let entries = try #require(try JSONSerialization.jsonObject(with: Data(log.utf8)) as? [[String: Any]])
        #expect(entries.prefix(3).map { $0["action"] as? String ?? "" } == ["refused", "unit_remote_set", "unit_remote_set"])
        // Not by hand either.
        let conn = try await ServerConnection.connect(try ServerURL(try p.url("lanhdao.hoankiem"), osLogin: "root"))
        for sql in ["UPDATE unit SET remote = false WHERE code = '00070'", "SELECT pakn_unit_set_remote('00070', false, 'thử')"] {
            do {
                try await conn.execute(sql: sql)
                Issue.record("\(sql) was allowed")
            } catch {
                #expect((error as? Message)?.key == "pg.server.denied", "\(error)")
            }
        }
        await conn.close()
    }

    /// `pakn calendar add/remove` and `pakn units import` on the server: the same output as
    /// on the file (the same due days moved), the same refusal for a ward's supervisor, and
    /// the server's functions refuse a ward's official who calls them by hand.
    @Test func calendarAndUnitsImportAnswerAsOnTheFileAndAreRecorded() async throws {
        let p = try await Pair.make()
        defer { Task { await ServerCLI.drop(p.database) } }
        func both(_ args: [String], as login: String = "admin") throws -> (file: CLI.Result, server: CLI.Result) {
            (try p.file.run(["--as", login] + args), try p.server(login).run(args))
        }
        for args in [["calendar", "add", "2026-12-28", "holiday", "Nghỉ thử", "--expected", "--reason", "Thử nghiệm"],
                     ["calendar", "list", "--year", "2026"],
                     ["calendar", "remove", "2026-12-28", "--reason", "Nhầm ngày"]] {
            let (f, s) = try both(args)
            #expect(f.status == 0 && s.status == 0, "\(args): \(f.stderr) / \(s.stderr)")
            #expect(s.stdout == f.stdout, "\(args): \(Self.diff(f.stdout, s.stdout))")
        }
        let units = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("units-\(UUID().uuidString.prefix(8)).tsv")
        try Data("code\tname\tlevel\tdivision_type\tparent_code\n99990\tPhường Thử Nghiệm\tcommune\tphường\t01\n".utf8).write(to: units)
        let (uf, us) = try both(["units", "import", units.path])
        #expect(uf.status == 0 && us.status == 0 && us.stdout == uf.stdout, "\(uf.stdout) \(uf.stderr) / \(us.stdout) \(us.stderr)")
        #expect(try p.server("admin").ok(["units", "list", "--within", "99990"]).stdout == p.file.ok(["--as", "admin", "units", "list", "--within", "99990"]).stdout)
        // A ward's supervisor may not: refused as on the file, recorded.
        let (rf, rs) = try both(["calendar", "add", "2026-12-29", "holiday", "X", "--expected", "--reason", "r"], as: "lanhdao.hoankiem")
        #expect(rf.status != 0 && rs.status == rf.status && rs.stderr == rf.stderr, "\(rf.stderr) / \(rs.stderr)")
        let log = try p.server("admin").ok(["audit", "log", "--limit", "5", "--json"]).stdout
        let entries = try #require(try JSONSerialization.jsonObject(with: Data(log.utf8)) as? [[String: Any]])
        #expect(entries.prefix(4).map { $0["action"] as? String ?? "" } == ["refused", "units_import", "calendar_remove", "calendar_add"])
        #expect(try p.server("admin").ok(["audit", "verify"]).status == 0)
        // Not by hand either.
        let conn = try await ServerConnection.connect(try ServerURL(try p.url("lanhdao.hoankiem"), osLogin: "root"))
        for sql in ["SELECT pakn_calendar_apply('[{\"day\": \"2026-12-29\", \"entry\": null}]', 'thử', '[]')",
                    "SELECT * FROM pakn_calendar_clocks('2026-01-01', '2026-12-31')",
                    "SELECT pakn_rules_import('x.json', ARRAY['{\"id\": \"x\"}'])",
                    "SELECT * FROM pakn_units_import('x.tsv', '[]')",
                    "DELETE FROM calendar_exception"] {
            do {
                try await conn.execute(sql: sql)
                Issue.record("\(sql) was allowed")
            } catch {
                #expect((error as? Message)?.key == "pg.server.denied", "\(sql): \(error)")
            }
        }
        await conn.close()
    }

    @Test func reportsGiveTheFilesFiguresAndAreRecorded() async throws {
        let p = try await Pair.make()
        defer { Task { await ServerCLI.drop(p.database) } }
        for (who, extra) in [("lanhdao.hoankiem", [String]()), ("admin", ["--unit", "01"]), ("taphuan", [])] {
            let args = ["report", "monthly", "--period", "2026-11", "--format", "json"] + extra
            let f = try p.file.run(["--as", who] + args), s = try p.server(who).run(args)
            #expect(f.status == 0 && s.status == 0, "\(who): \(s.stderr)")
            let a = try f.object(), b = try s.object()
            // What the counters say of the period (open and overdue are counted from each
            // engine's today: the file's training day, the server's clock).
            let ta = try #require(a["totals"] as? [String: Any]), tb = try #require(b["totals"] as? [String: Any])
            for key in ["received", "resolved", "on_time", "rejected", "received_by_kind", "received_by_channel", "ratings", "resolve_days"] {
                #expect(Self.json(ta[key]) == Self.json(tb[key]), "\(who) totals \(key)")
            }
            #expect((ta["received"] as? Int ?? 0) > 0, "\(who)")
            let ua = (a["by_unit"] as? [[String: Any]] ?? []).map { "\($0["key"] ?? "")" }
            let ub = (b["by_unit"] as? [[String: Any]] ?? []).map { "\($0["key"] ?? "")" }
            #expect(ua == ub, "\(who) rows")
        }
        // Outside one's units: refused as on the file, recorded; a report is recorded.
        let out = ["report", "monthly", "--period", "2026-11", "--unit", "00004"]
        let f = try p.file.run(["--as", "lanhdao.hoankiem"] + out), s = try p.server("lanhdao.hoankiem").run(out)
        #expect(f.status != 0 && s.status == f.status && s.stderr == f.stderr, "\(f.stderr) / \(s.stderr)")
        let log = try p.server("admin").ok(["audit", "log", "--limit", "5", "--json"]).stdout
        let entries = try #require(try JSONSerialization.jsonObject(with: Data(log.utf8)) as? [[String: Any]])
        #expect(entries.prefix(4).map { $0["action"] as? String ?? "" } == ["refused", "report_export", "report_export", "report_export"])
    }
}

