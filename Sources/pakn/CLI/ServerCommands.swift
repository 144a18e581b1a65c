import ArgumentParser
import Foundation
import PaknCore
import PaknMove
import PaknPostgres
import PaknStoreAPI

/// PostgreSQL as the shared engine (issue 13, docs/deployment.md): `pakn init --db
/// postgres://…` and `pakn migrate --from FILE.sqlite --to postgres://…`. The desk and the
/// other commands do not run on a server yet (the session engine for PostgreSQL comes next).
struct MigrateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Chuyển CSDL SQLite lên máy chủ PostgreSQL / Move a SQLite database onto a PostgreSQL server.",
        discussion: """
            Sao chép mọi dòng, kể cả chuỗi băm, vào một CSDL trống trên máy chủ, rồi kiểm tra đầu chuỗi trên bản sao \
            khớp bản gốc; không khớp thì không ghi gì. / Copies every row, the hash chain too, into an empty database \
            on the server, then checks that the chain on the copy has the source's head; otherwise nothing is written.
            """)

    @OptionGroup var global: GlobalOptions

    @Option(help: "Tệp SQLite nguồn / The SQLite file to move.")
    var from: String

    @Option(help: "CSDL đích, postgres://… / The target database, postgres://… (docs/deployment.md).")
    var to: String

    func run() throws {
        try runCommand(global) { ctx in
            let url = try serverURL(to, ctx)
            let report = try onServer(ctx) {
                let c = try await ServerConnection.connect(url)
                do {
                    let r = try await SQLiteToServer.copy(from: from, to: c)
                    await c.close()
                    return r
                } catch {
                    await c.close()
                    throw error
                }
            }
            for (table, n) in report.counts { ctx.say("pg.migrate.table", table, n) }
            ctx.say("pg.migrate.done", from, ServerURL.redacted(to), report.rows("pakn_case"), report.events, report.head)
            ctx.say("pg.migrate.access_done", report.accessEntries, report.accessHead)
        }
    }
}

/// `pakn init --db postgres://…`: the schema, the roles and the reference data. The data is
/// made by the store's own setup (`AppDatabase.initialize`, the bundled units, rules,
/// calendar, categories, templates) in a temporary SQLite file, which is then moved onto the
/// server like any other (`SQLiteToServer`), and removed.
enum ServerInit {
    static func run(_ ctx: Context, url text: String, unit: String, name: String?, prefix: String?) throws {
        let url = try serverURL(text, ctx)
        let login = Context.osLogin
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("pakn-init-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/reference.sqlite"
        let db = try Engines.initializeFile(path, adminLogin: login, adminName: name ?? login, unitCode: unit, casePrefix: prefix)
        let counts = try ctx.session(db).unitCount()
        _ = try onServer(ctx) {
            let c = try await ServerConnection.connect(url)
            do {
                let r = try await SQLiteToServer.copy(from: path, to: c)
                await c.close()
                return r
            } catch {
                await c.close()
                throw error
            }
        }
        ctx.say("pg.init.done", ServerURL.redacted(text), counts[.province] ?? 0, counts[.commune] ?? 0, login)
    }
}

/// Reads a server URL; a wrong one exits with the usage code.
func serverURL(_ text: String, _ ctx: Context) throws -> ServerURL {
    do {
        return try ServerURL(text, osLogin: Context.osLogin, env: ProcessInfo.processInfo.environment)
    } catch let m as Message {
        fail(m.text(ctx.lang), code: Exit.usage)
    }
}

/// Runs async server work from a synchronous command. A server that cannot be reached or
/// refuses the login exits with the database code; what the server refused, with `refused`.
func onServer<T: Sendable>(_ ctx: Context, _ body: @escaping @Sendable () async throws -> T) throws -> T {
    let box = ResultBox<T>()
    let done = DispatchSemaphore(value: 0)
    Task {
        do { box.set(.success(try await body())) } catch { box.set(.failure(error)) }
        done.signal()
    }
    done.wait()
    switch box.get()! {
    case .success(let v): return v
    case .failure(let m as Message) where m.key.hasPrefix("pg.connect.") || m.key == "pg.server.lost":
        fail(m.text(ctx.lang), code: Exit.database)
    case .failure(let e): throw e
    }
}

final class ResultBox<T: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Result<T, any Error>?
    func set(_ v: Result<T, any Error>) { lock.lock(); value = v; lock.unlock() }
    func get() -> Result<T, any Error>? { lock.lock(); defer { lock.unlock() }; return value }
}

/// `pakn upgrade --db postgres://OWNER@…`: the migrations this pakn knows and the database
/// lacks, each in its own transaction (ServerSetup.migrate). Refused on a database that holds
/// no pakn data (that is `pakn init`'s) and on one a newer pakn migrated.
enum ServerUpgrade {
    static func run(_ ctx: Context, url text: String) throws -> [String] {
        let url = try serverURL(text, ctx)
        let display = ctx.location.display
        return try onServer(ctx) {
            let c = try await ServerConnection.connect(url)
            do {
                guard try await ServerSetup.holdsData(c) else { throw Message("pgs.not_pakn", display) }
                let known = Set(ServerSchema.migrationIds)
                guard Set(try await ServerSetup.applied(c)).isSubset(of: known) else {
                    throw StoreError.databaseUnusable(path: display, reason: "robust.db.newer")
                }
                guard try await c.int("SELECT has_table_privilege('public.schema_migrations', 'INSERT')::int") == 1 else {
                    throw Message("pgs.upgrade_owner", display, url.user)
                }
                let done = try await ServerSetup.migrate(c)
                await c.close()
                return done
            } catch {
                await c.close()
                throw error
            }
        }
    }
}
