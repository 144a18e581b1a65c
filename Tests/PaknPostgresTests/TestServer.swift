import Foundation
import PaknCore
@testable import PaknPostgres
import PostgresNIO
import Testing

/// The throwaway cluster `make test` starts (mk/pg-test-cluster.sh) exports its superuser's
/// URL as PAKN_TEST_PG. Without it (a local `swift test`), the server tests are skipped with
/// this sentence; under `make test` it is always set.
enum TestServer {
    static let url = ProcessInfo.processInfo.environment["PAKN_TEST_PG"].flatMap { $0.isEmpty ? nil : $0 }
    static let available = url != nil
    static let skipReason: Comment = "PAKN_TEST_PG is unset: run `make test` (it starts a throwaway PostgreSQL cluster) to run the server tests"

    /// The superuser's URL with another database and role.
    static func url(database: String, user: String? = nil, password: String? = nil) throws -> ServerURL {
        var u = try ServerURL(url!, osLogin: "root")
        u.database = database
        if let user { u.user = user }
        u.password = password
        return u
    }

    /// A new, empty database for one test (dropped by `drop`), and a name suffix for its roles:
    /// roles are the cluster's, shared by the tests running in parallel.
    static func freshDatabase() async throws -> (name: String, suffix: String) {
        let suffix = String(UUID().uuidString.prefix(8)).lowercased()
        let name = "pakn_t_\(suffix)"
        let admin = try await ServerConnection.connect(try ServerURL(url!, osLogin: "root"))
        try await admin.execute(sql: "CREATE DATABASE \(name)")
        await admin.close()
        return (name, suffix)
    }

    static func drop(_ name: String) async {
        guard let admin = try? await ServerConnection.connect(try ServerURL(url!, osLogin: "root")) else { return }
        try? await admin.execute(sql: "DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
        await admin.close()
    }

    /// Connects, runs `body`, closes.
    static func with<T>(_ url: ServerURL, _ body: (ServerConnection) async throws -> T) async throws -> T {
        let c = try await ServerConnection.connect(url)
        do {
            let v = try await body(c)
            await c.close()
            return v
        } catch {
            await c.close()
            throw error
        }
    }
}

/// A small database at pakn's schema, made by the owner (the cluster's superuser):
///
///     /1/ Việt Nam ─ /1/2/ Hà Nội (01) ─┬ /1/2/3/ Phường A (00070) ─ /1/2/3/5/ Phòng X (A-X)
///                                        └ /1/2/4/ Phường B (00004)
///
/// officials admin (admin, Hà Nội), clerk (clerk, A), sup (supervisor, A), clerkb (clerk, B),
/// each with its LOGIN role (`<login>_<suffix>`); case HN-1 about A handled by A, HN-2 about
/// B handled by B, both with reporter 1; HN-3 anonymous, handled by A. Each case has its
/// intake event (covering its facts), appended through the chain function.
struct Fixture {
    let database: String
    let suffix: String
    func login(_ name: String) -> String { "\(name)_\(suffix)" }
    var owner: ServerURL { get throws { try TestServer.url(database: database) } }
    func official(_ name: String) throws -> ServerURL { try TestServer.url(database: database, user: login(name)) }

    static func make() async throws -> Fixture {
        let (db, suffix) = try await TestServer.freshDatabase()
        let f = Fixture(database: db, suffix: suffix)
        try await TestServer.with(try f.owner) { c in
            try await ServerSetup.migrate(c)
            let statements = [
                "INSERT INTO unit(id, code, name, level, division_type, parent_id, path, province_id, folded) VALUES "
                    + "(1, 'VN', 'Việt Nam', 'centre', 'country', NULL, '/1/', NULL, 'viet nam'),"
                    + "(2, '01', 'Hà Nội', 'province', 'city', 1, '/1/2/', NULL, 'ha noi'),"
                    + "(3, '00070', 'Phường A', 'commune', 'ward', 2, '/1/2/3/', 2, 'phuong a'),"
                    + "(4, '00004', 'Phường B', 'commune', 'ward', 2, '/1/2/4/', 2, 'phuong b'),"
                    + "(5, 'A-X', 'Phòng X', 'department', 'department', 3, '/1/2/3/5/', 2, 'phong x')",
                "INSERT INTO category(code, name_vi, name_en, sort) VALUES ('moi_truong', 'Môi trường', 'Environment', 1)",
                "INSERT INTO official(id, login, full_name, unit_id, role, active, folded) VALUES "
                    + "(1, '\(f.login("admin"))', 'Quản trị', 2, 'admin', true, 'quan tri'),"
                    + "(2, '\(f.login("clerk"))', 'Văn thư A', 3, 'clerk', true, 'van thu a'),"
                    + "(3, '\(f.login("sup"))', 'Lãnh đạo A', 3, 'supervisor', true, 'lanh dao a'),"
                    + "(4, '\(f.login("clerkb"))', 'Văn thư B', 4, 'clerk', true, 'van thu b')",
                "INSERT INTO reporter(id, name, phone, anonymous, confidential) VALUES (1, 'Nguyễn Văn Dân', '0901234567', false, true)",
            ]
            for s in statements { try await c.execute(sql: s) }
            for (id, code, ward, reporter, anonymous) in [(1, "HN-1", 3, "1", false), (2, "HN-2", 4, "1", false), (3, "HN-3", 3, "NULL", true)] {
                try await c.execute(sql: """
                    INSERT INTO pakn_case(id, code, title, body, kind, category, channel, ward_id, province_id, commune_id,
                      reporter_id, anonymous, confidential, unit_id, status, done, received_at, rule_id, counting, clock_start,
                      clock_days, due_at, version, updated_at, search)
                    VALUES (\(id), '\(code)', 'Ngập nước đường \(code)', 'Nước ngập sâu', 'feedback', 'moi_truong', 'hotline',
                      \(ward), 2, \(ward), \(reporter), \(anonymous), true, \(ward), 'received', false, '2026-12-01 03:00:00+00',
                      'feedback-10', 'working', '2026-12-01', 10, '2026-12-15 10:00:00+00', 1, '2026-12-01 03:00:00+00',
                      'ngap nuoc duong \(code.lowercased())')
                    """)
                try await c.execute(sql: """
                    SELECT pakn_chain_append(2, \(id), 'intake', NULL, 'received', NULL,
                      '{"facts":{"after":"v1"},"status":{"after":"received"}}')
                    """)
            }
            _ = try await ServerSetup.officialRoles(c)
        }
        return f
    }

    func drop() async { await TestServer.drop(database) }
}

/// The key of the `Message` an operation threw (nil: it did not throw one).
func messageKey(_ body: () async throws -> Void) async -> String? {
    do {
        try await body()
        return nil
    } catch let m as Message {
        return m.key
    } catch {
        return "\(type(of: error))"
    }
}
