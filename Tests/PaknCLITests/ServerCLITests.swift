import Foundation
import PaknCore
import PaknMove
import PaknBench
import PaknPostgres
import Testing

/// `pakn migrate` and `pakn init` against the throwaway cluster `make test` starts
/// (PAKN_TEST_PG, mk/pg-test-cluster.sh). Skipped, with this sentence, without it.
@Suite(.enabled(if: ServerCLI.url != nil,
                "PAKN_TEST_PG is unset: run `make test` (it starts a throwaway PostgreSQL cluster) to run the server tests"))
struct ServerCLITests {
    @Test func migrateCopiesADemoDatabaseChainAndAll() async throws {
        var cli = try CLI.demo()
        cli.lang = "en"
        // A note whose text COPY must escape (tab, newline, backslash, \N) and the hash must
        // take byte for byte (quotes, Vietnamese, an emoji).
        let code = try #require(try cli.ok(["list", "--limit", "1", "--csv"]).csvLines.dropFirst().first?.split(separator: ",").first)
        try cli.ok(["note", String(code), "Đã gọi\tlại;\ndòng 2 \\N \\x00 \"trích\" 'nháy' 🙂"])
        let head = try cli.ok(["audit", "head"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let source = try SQLiteToServer.sourceSummary(path: cli.db)
        #expect(source.head == head)
        let db = try await ServerCLI.freshDatabase()
        defer { Task { await ServerCLI.drop(db) } }
        let target = try ServerCLI.url(database: db)

        let r = try cli.run(["migrate", "--from", cli.db, "--to", target])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("chain head \(head) (same as the source)"), "\(r.stdout)")
        // `audit verify` on the source names both chains' heads; the copy has both.
        let verify = try cli.ok(["audit", "verify"]).stdout
        #expect(verify.contains(source.accessHead), "\(verify)")
        #expect(r.stdout.contains("Access log: \(source.counts["access_log"] ?? -1) entries; chain head \(source.accessHead) (same as the source)"),
                "\(r.stdout)")

        // On the copy: every table has the source's rows, and the chain recomputed from the
        // copied rows on the server ends at the same head.
        let conn = try await ServerConnection.connect(try ServerURL(target, osLogin: "root"))
        for table in SQLiteToServer.tables {
            let n = try await conn.int(.init(unsafeSQL: "SELECT count(*) FROM \(table)"))
            #expect(n == Int64(source.counts[table] ?? -1), "\(table)")
        }
        #expect((source.counts["pakn_case"] ?? 0) == 120 && (source.counts["event"] ?? 0) > 120)
        let chain = try await ServerSetup.verifyChain(conn)
        #expect(chain.firstBroken == nil)
        #expect(chain.head == head)
        let access = try await ServerSetup.verifyAccessChain(conn)
        #expect(access.firstBroken == nil && access.head == source.accessHead && access.entries > 0)
        #expect(chain.events == Int64(source.counts["event"] ?? -1))
        // The copied counters are the cases' (the server keeps them from here on).
        let counters = "SELECT count(*) FROM ((SELECT * FROM case_count EXCEPT \(ServerSchema.caseCountRecount)) UNION ALL (\(ServerSchema.caseCountRecount) EXCEPT SELECT * FROM case_count)) d"
        #expect(try await conn.int(.init(unsafeSQL: counters)) == 0)
        // The statistics SQLite's triggers kept are what the server recounts from the rows.
        for (table, recount) in ServerSchema.statsRecount {
            let differ = try await conn.int(.init(unsafeSQL: """
                SELECT count(*) FROM ((SELECT * FROM \(table) EXCEPT (\(recount))) UNION ALL ((\(recount)) EXCEPT SELECT * FROM \(table))) d
                """))
            #expect(differ == 0, "\(table)")
        }
        // The chain's head row is where the next append links.
        #expect(try await conn.text("SELECT encode(hash, 'hex') FROM event_head") == head)
        // Folded search text is there for the trigram index.
        let folded = try await conn.int("SELECT count(*) FROM pakn_case WHERE search = '' OR search <> lower(search)")
        #expect(folded == 0)
        // Each active official has a login role in the database's group.
        let roles = try await conn.int("""
            SELECT count(*) FROM official o JOIN pg_roles r ON r.rolname = o.login
            WHERE o.active AND pg_has_role(r.oid, \(ServerSchema.groupRole(database: db))::regrole, 'MEMBER')
            """)
        let active = try await conn.int("SELECT count(*) FROM official WHERE active")
        #expect(roles == active)

        // Connected as an official's own role, the server shows exactly the cases the
        // SQLite store lets that official open (`pakn show` as them: Guard.inScope).
        for who in ["vanthu.hoankiem", "canbo.hoankiem.vhxh"] {
            var asOfficial = try ServerURL(target, osLogin: "root")
            asOfficial.user = who
            let official = try await ServerConnection.connect(asOfficial)
            let visible = Set(try await official.rows("SELECT code FROM pakn_case").map { try $0.decode(String.self) })
            await official.close()
            let all = try await conn.rows("SELECT code FROM pakn_case ORDER BY id").map { try $0.decode(String.self) }
            var shown = Set<String>()
            for code in all where try cli.run(["--as", who, "show", code]).status == 0 { shown.insert(code) }
            #expect(!visible.isEmpty && visible.count < all.count, "\(who): \(visible.count) of \(all.count)")
            #expect(visible == shown, "\(who): server \(visible.subtracting(shown).sorted()), store \(shown.subtracting(visible).sorted())")
        }
        await conn.close()

        // A second move into the same database is refused, and changes nothing.
        let again = try cli.run(["migrate", "--from", cli.db, "--to", target])
        #expect(again.status != 0)
        #expect(again.stderr.contains("already holds pakn data"), "\(again.stderr)")
    }

    @Test func migrateRefusesAWrongURLAServerThatIsDownAndAMissingFile() throws {
        var cli = try CLI.demo()
        cli.lang = "en"
        let wrong = try cli.run(["migrate", "--from", cli.db, "--to", "postgres://x@/?host=/tmp"])
        #expect(wrong.status == 2 && wrong.stderr.contains("names no database"), "\(wrong.stderr)")
        let down = try cli.run(["migrate", "--from", cli.db, "--to", "postgres://x@/pakn?host=/nonexistent/pakn-pg"])
        #expect(down.status == 5 && down.stderr.contains("Cannot reach the database server"), "\(down.stderr)")
        let missing = try cli.run(["migrate", "--from", "/nonexistent/x.sqlite", "--to", try ServerCLI.url(database: "postgres")])
        #expect(missing.status != 0 && missing.stderr.contains("There is no database file"), "\(missing.stderr)")
        let notPakn = CLI.tempDB("not-pakn")
        try Data("not a database".utf8).write(to: URL(fileURLWithPath: notPakn))
        let other = try cli.run(["migrate", "--from", notPakn, "--to", try ServerCLI.url(database: "postgres")])
        #expect(other.status != 0 && other.stderr.contains("is not a pakn database"), "\(other.stderr)")
    }

    /// A copy that fails half-way (here: a row already in the target) leaves no row of it.
    @Test func aMoveThatFailsHalfWayLeavesNothingWritten() async throws {
        var cli = try CLI.demo()
        cli.lang = "en"
        let db = try await ServerCLI.freshDatabase()
        defer { Task { await ServerCLI.drop(db) } }
        let target = try ServerCLI.url(database: db)
        let conn = try await ServerConnection.connect(try ServerURL(target, osLogin: "root"))
        try await ServerSetup.migrate(conn)
        // An access-log entry 1 already there: its COPY fails after cases and events were copied.
        try await conn.execute(sql: "INSERT INTO access_log(id, at, login, action, hash) VALUES (1, now(), 'x', 'x', '\\x00')")
        let r = try cli.run(["migrate", "--from", cli.db, "--to", target])
        #expect(r.status != 0 && r.stderr.split(separator: "\n").count == 1, "\(r.stderr)")
        for table in SQLiteToServer.tables {
            let n = try await conn.int(.init(unsafeSQL: "SELECT count(*) FROM \(table)"))
            #expect(n == (table == "access_log" ? 1 : 0), "\(table)")
        }
        #expect(try await conn.int("SELECT last_id FROM event_head") == 0)
        await conn.close()
    }

    @Test func aServerDatabaseWithoutPaknDataOrAFileOnlyCommandIsRefused() throws {
        let target = try ServerCLI.url(database: "postgres")
        for args in [["list"], ["desk"]] {
            let r = try CLI(db: target, lang: "en").run(args)
            #expect(r.status == 5 && r.stderr.contains("holds no pakn data"), "\(args): \(r.stderr)")
        }
        let demo = try CLI(db: target, lang: "en").run(["demo"])
        #expect(demo.status == 5 && demo.stderr.contains("works on a SQLite database file only"), "\(demo.stderr)")
    }

    @Test func initSetsUpANewServerDatabase() async throws {
        let db = try await ServerCLI.freshDatabase()
        defer { Task { await ServerCLI.drop(db) } }
        let target = try ServerCLI.url(database: db)
        let r = try CLI(db: target, lang: "en").run(["init", "--unit", "01"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("Created the database"), "\(r.stdout)")
        let conn = try await ServerConnection.connect(try ServerURL(target, osLogin: "root"))
        let applied = try await ServerSetup.applied(conn)
        #expect(applied == ServerSchema.migrations(group: "x").map(\.id))
        #expect(try await conn.int("SELECT count(*) FROM unit WHERE level = 'commune'") ?? 0 > 100)
        #expect(try await conn.int("SELECT count(*) FROM deadline_rule") ?? 0 > 0)
        #expect(try await conn.int("SELECT count(*) FROM calendar_exception") ?? 0 > 0)
        let admin = try await conn.text("SELECT login FROM official WHERE role = 'admin'")
        #expect(admin != nil)
        let chain = try await ServerSetup.verifyChain(conn)
        #expect(chain.firstBroken == nil)
        await conn.close()
        // The first admin (this OS account) logs in with their own role and adds an official,
        // whose role then logs in.
        var asAdmin = try ServerURL(target, osLogin: "root")
        asAdmin.user = try #require(admin)
        let newLogin = "vt_" + String(db.suffix(8))
        let adminConn = try await ServerConnection.connect(asAdmin)
        let newId = try await adminConn.int("SELECT pakn_official_add(\(newLogin), 'Văn thư mới', '00070', 'clerk', NULL)")
        #expect(newId != nil)
        await adminConn.close()
        var asNew = asAdmin
        asNew.user = newLogin
        let newConn = try await ServerConnection.connect(asNew)
        #expect(try await newConn.int("SELECT pakn_me()") == newId)
        await newConn.close()
        // Run again: refused, nothing overwritten.
        let again = try CLI(db: target, lang: "en").run(["init", "--unit", "01"])
        #expect(again.status != 0 && again.stderr.contains("already holds pakn data"), "\(again.stderr)")
    }

    /// A database a migration behind this pakn: the officials' sessions refuse it with one
    /// sentence naming `pakn upgrade`; an official may not upgrade it; its owner does, and
    /// the desk's commands work again. One a newer pakn migrated is refused by both.
    @Test func aDatabaseBehindThisPaknIsRefusedUntilItsOwnerUpgradesIt() async throws {
        let db = try await ServerCLI.freshDatabase()
        defer { Task { await ServerCLI.drop(db) } }
        let target = try ServerCLI.url(database: db)
        let owner = CLI(db: target, lang: "en")
        #expect(try owner.run(["init", "--unit", "01"]).status == 0)
        #expect(try owner.run(["upgrade"]).stdout.contains("already at this version's schema"))
        let conn = try await ServerConnection.connect(try ServerURL(target, osLogin: "root"))
        let admin = try #require(try await conn.text("SELECT login FROM official WHERE role = 'admin'"))
        // The step taken away is one whose statement may run again (a grant), as it will.
        let last = "v6-schema-visible"
        #expect(ServerSchema.migrationIds.contains(last))
        try await conn.execute("DELETE FROM schema_migrations WHERE id = \(last)")
        var asAdmin = try #require(URLComponents(string: target))
        asAdmin.user = admin
        let official = CLI(db: try #require(asAdmin.string), lang: "en")
        let refused = try official.run(["list", "--limit", "1"])
        #expect(refused.status == 5 && refused.stderr.contains("pakn upgrade"), "\(refused.stderr)")
        let notOwner = try official.run(["upgrade"])
        #expect(notOwner.status != 0 && notOwner.stderr.contains("does not own the database"), "\(notOwner.stderr)")
        let up = try owner.run(["upgrade"])
        #expect(up.status == 0 && up.stdout.contains(last), "\(up.stdout)\(up.stderr)")
        #expect(Set(try await ServerSetup.applied(conn)) == Set(ServerSchema.migrationIds))
        #expect(try official.run(["list", "--limit", "1"]).status == 0)
        // A migration this pakn does not know: a newer pakn's database.
        try await conn.execute("INSERT INTO schema_migrations(id) VALUES ('v99-from-a-newer-pakn')")
        await conn.close()
        let newer = try official.run(["list", "--limit", "1"])
        #expect(newer.status == 5 && newer.stderr.contains("newer pakn"), "\(newer.stderr)")
        let newerUp = try owner.run(["upgrade"])
        #expect(newerUp.status == 5 && newerUp.stderr.contains("newer pakn"), "\(newerUp.stderr)")
    }
}

enum ServerCLI {
    static let url = ProcessInfo.processInfo.environment["PAKN_TEST_PG"].flatMap { $0.isEmpty ? nil : $0 }

    /// The cluster's URL with another database.
    static func url(database: String) throws -> String {
        var c = try #require(URLComponents(string: url!))
        c.path = "/" + database
        return try #require(c.string)
    }

    static func freshDatabase() async throws -> String {
        let name = "pakn_cli_" + String(UUID().uuidString.prefix(8)).lowercased()
        let admin = try await ServerConnection.connect(try ServerURL(url!, osLogin: "root"))
        try await admin.execute(sql: "CREATE DATABASE \(name)")
        await admin.close()
        return name
    }

    static func drop(_ name: String) async {
        guard let admin = try? await ServerConnection.connect(try ServerURL(url!, osLogin: "root")) else { return }
        try? await admin.execute(sql: "DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
        await admin.close()
    }
}

/// `pakn bench --db postgres://… --sessions N`: the many-clerks load test, small, so that
/// the suite runs what the figures in docs/performance.md come from.
@Suite(.enabled(if: ServerCLI.url != nil,
                "PAKN_TEST_PG is unset: run `make test` (it starts a throwaway PostgreSQL cluster) to run the server tests"))
struct ServerLoadTestCLITests {
    @Test(.timeLimit(.minutes(5))) func aSmallLoadTestWritesAndLosesNothing() async throws {
        // Its own size, so that no other test's bench database is this one.
        let n = 437
        defer { Task { await ServerCLI.drop("pakn_bench_\(n)") } }
        var cli = CLI(db: try #require(ServerCLI.url))
        cli.lang = "en"
        let r = try cli.run(["bench", "--cases", String(n), "--sessions", "6", "--seconds", "4", "--seed", "5"])
        #expect(r.status == 0, "\(r.stderr)\n\(r.stdout)")
        // The sessions were officials with work: clerks assigned and handlers started or replied.
        let line = try #require(r.stdout.split(separator: "\n").first { $0.hasPrefix("throughput:") }, "\(r.stdout)")
        let writes = try #require(Int(line.split(separator: ",").last?.split(separator: " ").first ?? ""), "\(line)")
        #expect(writes > 0, "\(r.stdout)")
        let actions = Set(r.stdout.split(separator: "\n").compactMap { $0.split(separator: " ").first.map(String.init) })
        #expect(actions.contains("assign") && (actions.contains("start") || actions.contains("reply")), "\(r.stdout)")
        #expect(r.stdout.contains("other errors: 0"), "\(r.stdout)")
        #expect(r.stdout.contains("lost updates (cases whose new events differ from the writes that succeeded): 0"), "\(r.stdout)")
        #expect(r.stdout.contains("intact"), "\(r.stdout)")
        #expect(r.stdout.contains("counters differing from a recount: 0"), "\(r.stdout)")
    }
}

@Suite struct LoadTestTeamTests {
    /// The first sessions are teams that can work together: a clerk with routed cases and
    /// the handlers of the same office, busiest first; idle clerks and others come last.
    @Test func theBusiestClerksComeFirstEachWithTheHandlersOfTheirOffice() {
        typealias C = LoadTest.Candidate
        let order = LoadTest.teams([
            C(login: "sup", role: .supervisor, office: 1, work: 0),
            C(login: "clerk.idle", role: .clerk, office: 3, work: 0),
            C(login: "h.1a", role: .handler, office: 1, work: 2),
            C(login: "clerk.2", role: .clerk, office: 2, work: 9),
            C(login: "h.1b", role: .handler, office: 1, work: 7),
            C(login: "clerk.1", role: .clerk, office: 1, work: 4),
            C(login: "h.2", role: .handler, office: 2, work: 1),
            C(login: "h.lone", role: .handler, office: 9, work: 5),
        ])
        #expect(order == ["clerk.2", "h.2", "clerk.1", "h.1b", "h.1a", "clerk.idle", "h.lone", "sup"])
    }
}
