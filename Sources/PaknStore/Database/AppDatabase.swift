import Foundation
import GRDB
import GRDBSQLite
import PaknCore

/// The pakn database: one SQLite file in WAL mode, opened through a GRDB `DatabasePool`.
/// Readers never block the writer; every write is an IMMEDIATE transaction, so two clerks
/// never interleave half-done changes.
public final class AppDatabase: Sendable {
    package let pool: DatabasePool
    public let path: String
    /// The matching ids of the last few text searches (`SearchPages`).
    let searchMemo = SearchMemo()
    /// Concurrent intakes through API keys, committed together (`pakn serve`).
    let groupCommit = GroupCommit()
    /// The reference data at the counter it was read at (`ReferenceCache`).
    let referenceCache = ReferenceCache()
    /// Set under `CheckpointPolicy.whenIdle`: the WAL's length as this process's commits left it.
    let quietCheckpoints: QuietCheckpoints?

    /// Opens (and migrates) the database at `path`. With `create == false` a missing file is
    /// an error rather than a new empty database. The desk passes `checkpoints: .whenIdle`.
    public init(path: String, create: Bool, readOnly: Bool = false, checkpoints: CheckpointPolicy = .automatic) throws {
        let fm = FileManager.default
        if !create && !fm.fileExists(atPath: path) { throw StoreError.databaseMissing(path: path) }
        let modes = FileModes.policy(near: path)
        if create {
            let dir = (path as NSString).deletingLastPathComponent
            if !dir.isEmpty { try? fm.createDirectory(atPath: dir, withIntermediateDirectories: true) }
            // Made here, with its mode, before SQLite opens it: SQLite gives the -wal and -shm
            // the database's mode (docs/security.md, "Files").
            try modes.createEmpty(path, mode: modes.database)
        }
        self.path = path
        let quiet = checkpoints == .whenIdle && !readOnly ? QuietCheckpoints() : nil
        do {
            let config = Self.configuration(readOnly: readOnly)
            // Opening a pool in WAL mode may write (GRDB makes sure the -wal is not empty).
            // While another process holds a long write that would wait for its lock, so a
            // reading command would wait, then fail: the writer connection is first tried
            // without waiting, and when the lock is taken the database is opened for reading,
            // with a writer opened (and waited for) only when this process writes.
            // A newer pakn's database is refused before the pool opens (opening one may write).
            if !create, try Self.writtenByANewerPakn(path) {
                throw StoreError.databaseUnusable(path: path, reason: "robust.db.newer")
            }
            let opening = OpeningWriter()
            var quick = config
            quick.prepareDatabase { db in
                if !db.configuration.readonly && opening.quick { sqlite3_busy_timeout(db.sqliteConnection, 0) }
            }
            var lazy = false
            do {
                pool = try DatabasePool(path: path, configuration: quick)
            } catch let error as DatabaseError where !readOnly && [.SQLITE_BUSY, .SQLITE_LOCKED].contains(error.resultCode) {
                pool = try DatabasePool(path: path, configuration: Self.configuration(readOnly: true))
                lazy = true
            }
            opening.quick = false
            writer = lazy ? LazyWriter(path: path) : nil
            // Read first, without the write lock: a database written by a newer pakn is never
            // written to, and one that is up to date is not migrated (a read-only command works
            // while another clerk holds a long write).
            let (newer, current) = try pool.read { db in
                (try Schema.migrator.hasBeenSuperseded(db), try Schema.migrator.hasCompletedMigrations(db))
            }
            if newer { throw StoreError.databaseUnusable(path: path, reason: "robust.db.newer") }
            if !readOnly && !lazy {
                try pool.writeWithoutTransaction { db in
                    sqlite3_busy_timeout(db.sqliteConnection, Self.busyMilliseconds)
                    // GRDB sets `synchronous = NORMAL` when it switches the writer to WAL, after
                    // prepareDatabase ran: set FULL again on the one writer connection.
                    try db.execute(sql: "PRAGMA synchronous = FULL")
                }
                if !current { try Schema.migrator.migrate(pool) }
                try pool.writeWithoutTransaction { try Self.keepJournalsInMemory($0) }
                if let quiet { pool.writeWithoutTransaction { quiet.install(on: $0) } }
            } else if !readOnly && !current {
                let w = try writer!.pool()
                try Schema.migrator.migrate(w)
                try w.writeWithoutTransaction { try Self.keepJournalsInMemory($0) }
            }
            quietCheckpoints = lazy ? nil : quiet
            if !readOnly { modes.tightenDatabase(path) }
        } catch let error as DatabaseError {
            throw StoreError.databaseUnusable(path: path, reason: Self.reason(error))
        }
    }

    static let busyMilliseconds: Int32 = 5000

    /// The writer keeps its statement and savepoint journals in memory (`temp_store =
    /// MEMORY`), once the schema is this pakn's. SQLite copies every page a statement of a
    /// longer transaction changes (and every page an intake of a group commit changes in its
    /// savepoint) to such a journal, and past 64 KiB writes it to a temporary file: with a
    /// case's indexes, search words and statistics that was some 300–400 writes to disk an
    /// intake (`strace`), a quarter of the writer's time under `pakn serve`. In memory the
    /// journal holds the original of each page one statement or one intake changes — a few
    /// hundred KiB. Set after the migrations, whose statements may rewrite every case.
    static func keepJournalsInMemory(_ db: Database) throws {
        try db.execute(sql: "PRAGMA temp_store = MEMORY")
    }

    /// Whether the database at `path` records migrations this pakn does not know, read
    /// through a read-only connection that writes nothing.
    static func writtenByANewerPakn(_ path: String) throws -> Bool {
        var config = Configuration()
        config.readonly = true
        config.busyMode = .timeout(Double(busyMilliseconds) / 1000)
        let q = try DatabaseQueue(path: path, configuration: config)
        defer { try? q.close() }
        return try q.read { try Schema.migrator.hasBeenSuperseded($0) }
    }

    /// SQLite connections that read at once (GRDB's pool; WAL lets them read beside the writer).
    package static let readerCount = 4

    static func configuration(readOnly: Bool) -> Configuration {
        var config = Configuration()
        config.readonly = readOnly
        config.foreignKeysEnabled = true
        config.busyMode = .timeout(Double(busyMilliseconds) / 1000)
        // GRDB 7 opens every pool write as BEGIN IMMEDIATE: writers queue on the lock up front.
        config.maximumReaderCount = readerCount
        config.prepareDatabase { db in
            // A received petition is a legal record: survive power loss, not just a crash.
            if !db.configuration.readonly {
                try db.execute(sql: "PRAGMA synchronous = FULL")
            }
            try SearchListFunction.install(db)
        }
        return config
    }

    /// Set when the database was opened while another process held the write lock: the
    /// pool that writes, opened at the first write.
    let writer: LazyWriter?

    /// The pool this process writes through.
    func writingPool() throws -> DatabasePool {
        guard let writer else { return pool }
        return try writer.pool()
    }

    /// What went wrong, as a message key when SQLite's code says something a person can
    /// act on (busy, full, read-only, damaged), else SQLite's own words.
    static func reason(_ error: DatabaseError) -> String {
        switch error.resultCode {
        case .SQLITE_BUSY, .SQLITE_LOCKED: "trust.db.busy"
        case .SQLITE_FULL: "robust.db.cannot_grow"
        // A write cut short by a file-size limit (`ulimit -f`, SIGXFSZ ignored at startup):
        // SQLite reports EFBIG as a write error. With no such limit it is a disk error.
        case .SQLITE_IOERR where [.SQLITE_IOERR_WRITE, .SQLITE_IOERR_TRUNCATE, .SQLITE_IOERR_SHMSIZE].contains(error.extendedResultCode)
                                 && fileSizeLimited: "robust.db.cannot_grow"
        case .SQLITE_READONLY: "trust.db.readonly"
        case .SQLITE_CORRUPT, .SQLITE_NOTADB: "trust.db.corrupt"
        case .SQLITE_CANTOPEN: "trust.db.cantopen"
        case .SQLITE_IOERR: "trust.db.ioerr"
        default: error.message ?? "\(error.resultCode)"
        }
    }

    /// Whether this process may not write files past some size (`ulimit -f`).
    static var fileSizeLimited: Bool {
        var r = rlimit()
        return getrlimit(__rlimit_resource_t(RLIMIT_FSIZE.rawValue), &r) == 0 && r.rlim_cur != rlim_t.max
    }

    /// Changes whenever another connection (another clerk's pakn) commits. The desk polls it.
    func dataVersion() throws -> Int {
        try pool.read { db in try Int.fetchOne(db, sql: "PRAGMA data_version") ?? 0 }
    }

    package func setting(_ key: String) throws -> String? {
        try pool.read { db in try Self.setting(db, key) }
    }

    package static func setting(_ db: Database, _ key: String) throws -> String? {
        try String.fetchOne(db.cachedStatement(sql: "SELECT value FROM setting WHERE key = ?"), arguments: [key])
    }

    package static func setSetting(_ db: Database, _ key: String, _ value: String) throws {
        try db.execute(sql: "INSERT INTO setting(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                       arguments: [key, value])
    }

    /// Training databases allow `--as` and `--now`; production ones never do.
    func isTraining() throws -> Bool { try setting("training") == "1" }

    /// Runs `body` in one IMMEDIATE transaction, translating SQLite failures into messages.
    package func write<T>(_ body: (Database) throws -> T) throws -> T {
        try usable { try writingPool().write(body) }
    }

    /// Runs `body` in a savepoint of a write transaction shared with the writes of other
    /// threads that arrive meanwhile (`GroupCommit`): all or nothing for `body`, one sync of
    /// the disk for the batch.
    package func groupWrite<T>(_ body: @escaping (Database) throws -> T) throws -> T {
        let path = path
        return try groupCommit.write({ try self.writingPool() },
                                     translate: { StoreError.databaseUnusable(path: path, reason: Self.reason($0)) }, body)
    }

    package func read<T>(_ body: (Database) throws -> T) throws -> T {
        try usable { try pool.read(body) }
    }

    /// A read of ONE statement: SQLite runs a statement on one snapshot by itself, so no
    /// transaction is wrapped around it (`read` begins and ends one, a fifth of what a public
    /// read of the Open311 service cost). More than one statement needs `read`.
    package func readOneStatement<T>(_ body: (Database) throws -> T) throws -> T {
        try usable { try pool.unsafeRead(body) }
    }

    /// `body`, with a SQLite failure that escapes it told as the database being unusable.
    private func usable<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as DatabaseError {
            throw StoreError.databaseUnusable(path: path, reason: Self.reason(error))
        }
    }
}

extension StoreError {
    /// A SQLite failure that escaped a store call (a damaged page met while reading, a
    /// write that could not grow the file), as the message a person can act on; nil when
    /// `error` is not SQLite's.
    public static func database(_ error: Error, path: String) -> StoreError? {
        guard let e = error as? DatabaseError else { return nil }
        return .databaseUnusable(path: path, reason: AppDatabase.reason(e))
    }
}

/// Whether the pool being opened should not wait for the write lock.
final class OpeningWriter: @unchecked Sendable {
    private let lock = NSLock()
    private var _quick = true
    var quick: Bool {
        get { lock.withLock { _quick } }
        set { lock.withLock { _quick = newValue } }
    }
}

/// A writing pool opened on first use (the database was opened while another process held
/// the write lock); opening it waits for that lock like any write.
final class LazyWriter: @unchecked Sendable {
    private let lock = NSLock()
    private let path: String
    private var opened: DatabasePool?

    init(path: String) { self.path = path }

    func pool() throws -> DatabasePool {
        try lock.withLock {
            if let opened { return opened }
            let p = try DatabasePool(path: path, configuration: AppDatabase.configuration(readOnly: false))
            try p.writeWithoutTransaction { db in
                try db.execute(sql: "PRAGMA synchronous = FULL")
                // Not before a migration (`AppDatabase.init` sets it after one).
                if try Schema.migrator.hasCompletedMigrations(db) { try AppDatabase.keepJournalsInMemory(db) }
            }
            opened = p
            return p
        }
    }
}
