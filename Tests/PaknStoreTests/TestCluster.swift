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
    /// One move at a time in this process. The officials' roles are the cluster's, not a
    /// database's: two moves that make the same roles (every world has the demo's officials)
    /// in transactions open at once raced, and one failed with "role … does not exist".
    static let moves = AsyncLock()

    static func copy(_ path: String) async throws -> Database {
        await moves.lock()
        do {
            let db = try await copyAlone(path)
            await moves.unlock()
            return db
        } catch {
            await moves.unlock()
            throw error
        }
    }

    private static func copyAlone(_ path: String) async throws -> Database {
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

/// A lock an async task may hold across suspension points (an actor alone would let a
/// second call in while the first awaits).
actor AsyncLock {
    private var busy = false
    private var waiters: [CheckedContinuation<Void, Never>] = []

    func lock() async {
        if !busy { busy = true; return }
        await withCheckedContinuation { waiters.append($0) }
    }

    func unlock() {
        if waiters.isEmpty { busy = false } else { waiters.removeFirst().resume() }
    }
}
