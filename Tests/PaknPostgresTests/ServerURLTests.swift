import PaknCore
@testable import PaknPostgres
import Testing

/// Reading `postgres://` URLs: a wrong one is one sentence naming what is wrong.
@Suite struct ServerURLTests {
    @Test func aSocketURLNamesTheSocketFile() throws {
        let u = try ServerURL("postgres://clerk@/pakn?host=/tmp/pg", osLogin: "root")
        #expect(u.endpoint == .socket(path: "/tmp/pg/.s.PGSQL.5432"))
        #expect(u.user == "clerk" && u.database == "pakn" && u.password == nil)
        // No role: the OS account's, as psql does; no host: Debian's socket folder.
        let own = try ServerURL("postgresql:///pakn", osLogin: "vanthu")
        #expect(own.user == "vanthu" && own.endpoint == .socket(path: "/var/run/postgresql/.s.PGSQL.5432"))
        let port = try ServerURL("postgres:///pakn?host=/run/pg&port=5433", osLogin: "x")
        #expect(port.endpoint == .socket(path: "/run/pg/.s.PGSQL.5433"))
    }

    @Test func aTCPURLCarriesPasswordAndTLS() throws {
        let u = try ServerURL("postgres://clerk:s%40cret@db.example.vn:6432/pakn?sslmode=verify-full&sslrootcert=/etc/ca.pem",
                              osLogin: "root")
        #expect(u.endpoint == .tcp(host: "db.example.vn", port: 6432))
        #expect(u.password == "s@cret" && u.sslMode == .verifyFull && u.sslRootCert == "/etc/ca.pem")
        let env = try ServerURL("postgres://clerk@db/pakn", osLogin: "root", env: ["PGPASSWORD": "pw"])
        #expect(env.password == "pw" && env.sslMode == .prefer && env.endpoint == .tcp(host: "db", port: 5432))
        #expect(ServerURL.redacted("postgres://clerk:s3cret@db/pakn").contains("***"))
        #expect(!ServerURL.redacted("postgres://clerk:s3cret@db/pakn").contains("s3cret"))
    }

    @Test(arguments: [
        ("mysql://x@/db", "pg.url.scheme"),
        ("postgres://clerk@/?host=/tmp", "pg.url.database"),
        ("postgres://clerk@db:99999/pakn", "pg.url.port"),
        ("postgres://clerk@db/pakn?port=0", "pg.url.port"),
        ("postgres://clerk@db/pakn?sslmode=always", "pg.url.sslmode"),
        ("postgres://clerk@db/pakn?colour=blue", "pg.url.parameter"),
        ("postgres://clerk@db/pakn?sslcert=/a.pem", "pg.url.client_cert"),
    ])
    func aWrongURLIsOneSentence(url: String, key: String) {
        #expect(throws: Message.self) { try ServerURL(url, osLogin: "root") }
        do {
            _ = try ServerURL(url, osLogin: "root")
        } catch let m as Message {
            #expect(m.key == key, "\(url)")
            #expect(!m.text(.vi).contains("{") && !m.text(.en).contains("{"))
        } catch {
            Issue.record("\(url): \(error)")
        }
    }
}

/// Connecting to the live throwaway cluster: a server that is down, wrong credentials, a
/// missing database, each one sentence.
@Suite(.enabled(if: TestServer.available, TestServer.skipReason))
struct ServerConnectionTests {
    @Test func connectsAndReadsTheServerVersion() async throws {
        let version = try await TestServer.with(try TestServer.url(database: "postgres")) { c in
            try await c.int("SELECT current_setting('server_version_num')::int / 10000")
        }
        #expect((version ?? 0) >= 15)
    }

    @Test func aServerThatIsDownIsOneSentence() async throws {
        let down = try ServerURL("postgres://nobody@/pakn?host=/nonexistent/pakn-no-server", osLogin: "root")
        let key = await messageKey { _ = try await ServerConnection.connect(down) }
        #expect(key == "pg.connect.down")
        let tcp = try ServerURL("postgres://nobody:pw@127.0.0.1:1/pakn?sslmode=disable", osLogin: "root")
        #expect(await messageKey { _ = try await ServerConnection.connect(tcp) } == "pg.connect.down")
    }

    @Test func aMissingDatabaseIsOneSentence() async throws {
        let key = await messageKey { _ = try await ServerConnection.connect(try TestServer.url(database: "pakn_no_such_db")) }
        #expect(key == "pg.connect.no_database")
    }

    /// The cluster asks `pakn_pw` for a password (scram-sha-256; mk/pg-test-cluster.sh).
    @Test func wrongCredentialsAreOneSentenceAndTheRightOnesConnect() async throws {
        try await TestServer.with(try TestServer.url(database: "postgres")) { c in
            try await c.execute("DO $$ BEGIN CREATE ROLE pakn_pw LOGIN PASSWORD 'right-pw'; EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$")
        }
        let wrong = await messageKey {
            _ = try await ServerConnection.connect(try TestServer.url(database: "postgres", user: "pakn_pw", password: "wrong"))
        }
        #expect(wrong == "pg.connect.credentials")
        let none = await messageKey { _ = try await ServerConnection.connect(try TestServer.url(database: "postgres", user: "pakn_pw")) }
        #expect(none == "pg.connect.password_needed")
        let who = try await TestServer.with(try TestServer.url(database: "postgres", user: "pakn_pw", password: "right-pw")) { c in
            try await c.text("SELECT session_user::text")
        }
        #expect(who == "pakn_pw")
    }

    @Test func migrationsAreVersionedAndRunOnce() async throws {
        let (db, _) = try await TestServer.freshDatabase()
        defer { Task { await TestServer.drop(db) } }
        let url = try TestServer.url(database: db)
        let first = try await TestServer.with(url) { c in try await ServerSetup.migrate(c) }
        #expect(first == ServerSchema.migrations(group: "x").map(\.id))
        let again = try await TestServer.with(url) { c in try await ServerSetup.migrate(c) }
        #expect(again.isEmpty)
        let applied = try await TestServer.with(url) { c in try await ServerSetup.applied(c) }
        #expect(applied == first)
        // The tables, views and the search index are there.
        let names = try await TestServer.with(url) { c in
            try await c.rows("""
                SELECT relname::text FROM pg_class WHERE relname IN ('pakn_case', 'event', 'reporter', 'case_view', 'event_view',
                  'case_search', 'case_unit_due', 'event_case') ORDER BY relname
                """).map { try $0.decode(String.self) }
        }
        #expect(names == ["case_search", "case_unit_due", "case_view", "event", "event_case", "event_view", "pakn_case", "reporter"])
    }
}
