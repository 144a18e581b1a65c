import Foundation
import GRDB
import PaknCore

/// The pakn database: one SQLite file in WAL mode, opened through a GRDB `DatabasePool`.
/// Readers never block the writer; every write is an IMMEDIATE transaction, so two clerks
/// never interleave half-done changes.
public final class AppDatabase: Sendable {
    public let pool: DatabasePool
    public let path: String
    /// The matching ids of the last few text searches (`SearchPages`).
    let searchMemo = SearchMemo()
    /// Set under `CheckpointPolicy.whenIdle`: the WAL's length as this process's commits left it.
    let quietCheckpoints: QuietCheckpoints?

    /// Opens (and migrates) the database at `path`. With `create == false` a missing file is
    /// an error rather than a new empty database. The desk passes `checkpoints: .whenIdle`.
    public init(path: String, create: Bool, readOnly: Bool = false, checkpoints: CheckpointPolicy = .automatic) throws {
        let fm = FileManager.default
        if !create && !fm.fileExists(atPath: path) { throw StoreError.databaseMissing(path: path) }
        if create {
            let dir = (path as NSString).deletingLastPathComponent
            if !dir.isEmpty { try? fm.createDirectory(atPath: dir, withIntermediateDirectories: true) }
        }
        self.path = path
        let quiet = checkpoints == .whenIdle && !readOnly ? QuietCheckpoints() : nil
        quietCheckpoints = quiet
        do {
            var config = Configuration()
            config.readonly = readOnly
            config.foreignKeysEnabled = true
            config.busyMode = .timeout(5)
            // GRDB 7 opens every pool write as BEGIN IMMEDIATE: writers queue on the lock up front.
            config.maximumReaderCount = 4
            config.prepareDatabase { db in
                // A received petition is a legal record: survive power loss, not just a crash.
                if !db.configuration.readonly {
                    try db.execute(sql: "PRAGMA synchronous = FULL")
                }
                try SearchListFunction.install(db)
            }
            pool = try DatabasePool(path: path, configuration: config)
            if !readOnly {
                // GRDB sets `synchronous = NORMAL` when it switches the writer to WAL, after
                // prepareDatabase ran: set FULL again on the one writer connection.
                try pool.writeWithoutTransaction { try $0.execute(sql: "PRAGMA synchronous = FULL") }
                try Schema.migrator.migrate(pool)
                if let quiet { pool.writeWithoutTransaction { quiet.install(on: $0) } }
            }
        } catch let error as DatabaseError {
            throw StoreError.databaseUnusable(path: path, reason: Self.reason(error))
        }
    }

    /// What went wrong, as a message key when SQLite's code says something a person can
    /// act on (busy, full, read-only, damaged), else SQLite's own words.
    static func reason(_ error: DatabaseError) -> String {
        switch error.resultCode {
        case .SQLITE_BUSY, .SQLITE_LOCKED: "trust.db.busy"
        case .SQLITE_FULL: "trust.db.full"
        case .SQLITE_READONLY: "trust.db.readonly"
        case .SQLITE_CORRUPT, .SQLITE_NOTADB: "trust.db.corrupt"
        case .SQLITE_CANTOPEN: "trust.db.cantopen"
        case .SQLITE_IOERR: "trust.db.ioerr"
        default: error.message ?? "\(error.resultCode)"
        }
    }

    /// Changes whenever another connection (another clerk's pakn) commits. The desk polls it.
    public func dataVersion() throws -> Int {
        try pool.read { db in try Int.fetchOne(db, sql: "PRAGMA data_version") ?? 0 }
    }

    public func setting(_ key: String) throws -> String? {
        try pool.read { db in try Self.setting(db, key) }
    }

    static func setting(_ db: Database, _ key: String) throws -> String? {
        try String.fetchOne(db, sql: "SELECT value FROM setting WHERE key = ?", arguments: [key])
    }

    static func setSetting(_ db: Database, _ key: String, _ value: String) throws {
        try db.execute(sql: "INSERT INTO setting(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                       arguments: [key, value])
    }

    /// Training databases allow `--as` and `--now`; production ones never do.
    public func isTraining() throws -> Bool { try setting("training") == "1" }

    /// Runs `body` in one IMMEDIATE transaction, translating SQLite failures into messages.
    func write<T>(_ body: (Database) throws -> T) throws -> T {
        do {
            return try pool.write(body)
        } catch let error as DatabaseError {
            throw StoreError.databaseUnusable(path: path, reason: Self.reason(error))
        }
    }

    func read<T>(_ body: (Database) throws -> T) throws -> T {
        do {
            return try pool.read(body)
        } catch let error as DatabaseError {
            throw StoreError.databaseUnusable(path: path, reason: Self.reason(error))
        }
    }
}
