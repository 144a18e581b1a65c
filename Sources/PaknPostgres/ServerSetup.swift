import Foundation
import PaknCore
import PostgresNIO

/// Bringing a PostgreSQL database to pakn's schema: the migrations not yet applied, each in
/// its own transaction, recorded in `schema_migrations`. Run by the database's owner (the
/// role `pakn init`/`pakn migrate` connect as), never by an official.
public enum ServerSetup {
    /// The ids of the migrations applied, in order.
    public static func applied(_ c: ServerConnection) async throws -> [String] {
        let exists = try await c.text("SELECT to_regclass('public.schema_migrations')::text")
        guard exists != nil else { return [] }
        return try await c.rows("SELECT id FROM schema_migrations ORDER BY applied_at, id").map { try $0.decode(String.self) }
    }

    /// Applies every migration not applied yet; returns the ids it applied.
    @discardableResult
    public static func migrate(_ c: ServerConnection) async throws -> [String] {
        try await c.execute("""
            CREATE TABLE IF NOT EXISTS schema_migrations(id text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT clock_timestamp())
            """)
        try await c.execute("REVOKE ALL ON schema_migrations FROM PUBLIC")
        var done: [String] = []
        for m in ServerSchema.migrations(group: ServerSchema.groupRole(database: c.url.database)) {
            let ran: Bool = try await c.transaction { c in
                // One migrator at a time: a second waits here, then finds the step applied.
                try await c.execute("LOCK TABLE schema_migrations IN EXCLUSIVE MODE")
                if try await c.int("SELECT count(*) FROM schema_migrations WHERE id = \(m.id)") ?? 0 > 0 { return false }
                for sql in m.statements { try await c.execute(sql: sql) }
                try await c.execute("INSERT INTO schema_migrations(id) VALUES (\(m.id))")
                return true
            }
            if ran { done.append(m.id) }
        }
        return done
    }

    /// Whether the database already holds pakn data (any unit, official or case).
    public static func holdsData(_ c: ServerConnection) async throws -> Bool {
        guard try await applied(c).contains("v1-tables") else { return false }
        return try await c.int("SELECT (SELECT count(*) FROM unit) + (SELECT count(*) FROM official) + (SELECT count(*) FROM pakn_case)") ?? 0 > 0
    }

    /// Makes (or finds) the LOGIN role of each official and puts it in the database's group.
    /// Roles are the cluster's: an official of two pakn databases on one cluster is one role.
    public static func officialRoles(_ c: ServerConnection) async throws -> Int {
        let logins = try await c.rows("SELECT login FROM official WHERE active ORDER BY id").map { try $0.decode(String.self) }
        for login in logins { try await c.execute("SELECT pakn_official_role(\(login), NULL)") }
        return logins.count
    }

    /// The chain head as stored: the hash of the last event (the zero hash when there are none).
    public static func storedHead(_ c: ServerConnection) async throws -> String {
        try await c.text("SELECT coalesce((SELECT encode(hash, 'hex') FROM event ORDER BY id DESC LIMIT 1), repeat('0', 64))") ?? ""
    }

    /// The chain recomputed from the rows (`pakn_verify_chain`): events, head, first broken id.
    public static func verifyChain(_ c: ServerConnection) async throws -> (events: Int64, head: String, firstBroken: Int64?) {
        guard let row = try await c.rows("SELECT events, head, first_broken FROM pakn_verify_chain()").first else {
            return (0, "", nil)
        }
        let (n, head, broken) = try row.decode((Int64, String, Int64?).self)
        return (n, head, broken)
    }

    /// The access log's chain recomputed from the rows (`pakn_verify_access_chain`).
    public static func verifyAccessChain(_ c: ServerConnection) async throws -> (entries: Int64, head: String, firstBroken: Int64?) {
        guard let row = try await c.rows("SELECT entries, head, first_broken FROM pakn_verify_access_chain()").first else {
            return (0, "", nil)
        }
        let (n, head, broken) = try row.decode((Int64, String, Int64?).self)
        return (n, head, broken)
    }

    /// Sets the chain's head row to the last event (after rows were copied in).
    public static func resetHead(_ c: ServerConnection) async throws {
        try await c.execute(sql: """
            UPDATE event_head SET last_id = coalesce((SELECT max(id) FROM event), 0),
              hash = coalesce((SELECT hash FROM event ORDER BY id DESC LIMIT 1), '\\x\(String(repeating: "0", count: 64))'::bytea)
            """)
    }
}
