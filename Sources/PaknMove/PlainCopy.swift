import Foundation
import PaknPostgres

/// The yardstick of `pakn bench --db postgres://…`'s bulk load: the same rows `migrate`
/// copies for the cases (reporters, cases, events), copied with the same `COPY … FROM STDIN`
/// into bare tables of the same columns (`CREATE TABLE … (LIKE …)`: no index, no trigger,
/// no key, no row-level security) in a schema of their own. What PostgreSQL itself manages
/// on this machine, measured in the same run.
extension SQLiteToServer {
    public static let plainTables = ["reporter", "pakn_case", "event"]

    /// Makes the bare tables in `schema` (dropped first if there) and copies the file's rows
    /// into them; returns the seconds the copies took (the tables' creation not counted).
    public static func plainCopy(from path: String, to c: ServerConnection, schema: String = "bench_plain") async throws -> Double {
        let source = try open(path)
        let s = ServerSchema.ident(schema)
        try await c.execute(sql: "DROP SCHEMA IF EXISTS \(s) CASCADE")
        try await c.execute(sql: "CREATE SCHEMA \(s)")
        for t in plainTables {
            try await c.execute(sql: "CREATE TABLE \(s).\(ServerSchema.ident(t)) (LIKE public.\(ServerSchema.ident(t)))")
        }
        // The bare tables are found first; their columns' types are read from public's,
        // which are the same.
        try await c.execute(sql: "SET search_path = \(s), public")
        let t0 = DispatchTime.now().uptimeNanoseconds
        try await c.transaction { c in
            for t in plainTables { _ = try await copyTable(t, from: source, to: c) }
        }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9
        try await c.execute(sql: "RESET search_path")
        return seconds
    }
}
