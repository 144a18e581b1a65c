import Foundation
import PaknCore
import PaknMove
import PaknPostgres
import PaknStore
import PaknStoreAPI
import Testing

/// The engine a store test runs on.
enum Engine: String, CaseIterable, CustomStringConvertible, Sendable {
    case sqlite, postgres
    var description: String { rawValue }
}

/// The throwaway PostgreSQL cluster `make test` starts (mk/pg-test-cluster.sh exports its
/// superuser's URL as PAKN_TEST_PG): a SQLite test database moved onto a fresh database
/// there, as `pakn migrate` moves one, and sessions on it as any official's own role (the
/// test cluster trusts local connections; peer authentication in production).
enum TestCluster {
    static let url = ProcessInfo.processInfo.environment["PAKN_TEST_PG"].flatMap { $0.isEmpty ? nil : $0 }

    struct Database: Sendable {
        let name: String

        /// The cluster's URL on this database, logged in as `login` (nil: the superuser).
        func url(_ login: String? = nil) throws -> String {
            let base = try #require(TestCluster.url)
            var c = try #require(URLComponents(string: base))
            c.path = "/" + name
            if let login { c.user = login }
            return try #require(c.string)
        }

        /// A session as the official `login`, through the server engine.
        func session(_ login: String) throws -> any StoreSession {
            try ServerEngine(try url(login), osLogin: "root", departments: try BundledData.departments())
                .openSession(login: login, actingAs: nil, now: nil)
        }

        /// The superuser's connection (to look behind the sessions' backs).
        func owner() async throws -> ServerConnection {
            try await ServerConnection.connect(try ServerURL(try url(), osLogin: "root"))
        }

        func drop() async {
            guard let u = TestCluster.url, let admin = try? await ServerConnection.connect(try ServerURL(u, osLogin: "root")) else { return }
            try? await admin.execute(sql: "DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
            await admin.close()
        }
    }

    /// A fresh database holding a copy of the SQLite file at `path` (schema, rows, chain).
    static func copy(_ path: String) async throws -> Database {
        let u = try #require(url)
        let db = Database(name: "pakn_st_" + String(UUID().uuidString.prefix(8)).lowercased())
        let admin = try await ServerConnection.connect(try ServerURL(u, osLogin: "root"))
        try await admin.execute(sql: "CREATE DATABASE \(db.name)")
        await admin.close()
        let c = try await db.owner()
        do {
            _ = try await SQLiteToServer.copy(from: path, to: c)
        } catch {
            await c.close()
            throw error
        }
        await c.close()
        return db
    }
}
