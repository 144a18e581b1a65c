import Foundation
import PaknCore
import PaknDemo
import PaknPostgres
import PaknStore
import PaknStoreAPI

/// The one place where a `--db` value (or `PAKN_DB`) becomes a database engine. Everything
/// else in the CLI and the desk holds an `any StoreSession` and does not know which engine
/// answers it. A PostgreSQL engine plugs in here, at `.server`.
enum Engines {
    /// How the database will be used: the desk stays open for hours and checkpoints the
    /// SQLite log when idle; a command does its work and exits.
    enum Use { case command, desk }

    /// The engine for `location`: the SQLite store for a file, the PostgreSQL session engine
    /// (PaknPostgres) for a server URL, whose sessions log in as the URL's user or, without
    /// one, the OS account's role (peer authentication on the socket).
    static func open(_ location: StoreLocation, for use: Use = .command) throws -> any StoreEngine {
        switch location {
        case let .file(path):
            return try AppDatabase(path: path, create: false, checkpoints: use == .desk ? .whenIdle : .automatic)
        case let .server(url):
            return try ServerEngine(url, osLogin: Context.osLogin, departments: try BundledData.departments())
        }
    }

    /// The SQLite file a command that works on files only (`init`, `demo`, `restore`, the
    /// hidden `stress` and `bench-desk`) is given, or its refusal for a server URL.
    static func sqliteFile(_ location: StoreLocation, command: String) throws -> String {
        guard case let .file(path) = location else { throw StoreError.fileOnly(command: command, location: location.display) }
        return path
    }
}

// MARK: - SQLite only
//
// What only a file has: it is made, filled with a training class, replaced by a backup; its
// schema version; the modes of the files beside it; the stress driver, which works on the
// store's own connection. Every use of the SQLite store outside a session is here (and in
// PaknDemo and PaknBench, which make and measure files).

extension Engines {
    /// `pakn init`: makes a new database file with its first administrator.
    static func initializeFile(_ path: String, adminLogin: String, adminName: String, unitCode: String,
                               casePrefix: String?) throws -> any StoreEngine {
        try AppDatabase.initialize(path: path, adminLogin: adminLogin, adminName: adminName, unitCode: unitCode,
                                   casePrefix: casePrefix)
    }

    /// `pakn restore`: replaces the file at `path` with a checked backup; `actorIn` names the
    /// official who restores, in the backup and (with `force`) in the database replaced.
    static func restoreFile(from backup: String, into path: String, force: Bool, at now: Date,
                            actorIn: (any StoreEngine) throws -> Official) throws -> RestoreResult {
        try AppDatabase.restore(from: backup, into: path, force: force, at: now) { db in try actorIn(db) }
    }

    /// `pakn stress`: random legal actions on a training file (`StressRunner`).
    static func stress(path: String, login: String, actingAs: String?, now: Date?, actions: Int, seed: UInt64, hot: Int,
                       report: (StressOutcome) -> Void) throws {
        let session = try AppDatabase(path: path, create: false).session(login: login, actingAs: actingAs, now: now)
        try StressRunner.run(session, actions: actions, seed: seed, hot: hot, report: report)
    }

    /// `pakn upgrade`: the migrations the file lacks (opening it then applies them).
    static func pendingFileMigrations(_ path: String) throws -> [String] { try SchemaVersion.pending(at: path) }

    /// The schema this build writes to a file (`pakn --version`).
    static var fileSchema: (name: String, migrations: Int) { (SchemaVersion.name, SchemaVersion.count) }

    /// The process umask for files beside `dbPath` (docs/security.md, "Files").
    static func umask(near dbPath: String, environment: [String: String]) -> mode_t {
        FileModes.policy(near: dbPath, environment: environment).umask
    }
}
