import Foundation
#if canImport(Glibc)
import Glibc
#endif
import GRDB
import GRDBSQLite
import PaknCore
import Synchronization

/// Case codes are never issued twice, even across a restore (docs/reliability.md,
/// "Case codes after a restore").
///
/// The highest number issued for each year is kept outside the database too, in a small
/// sidecar file next to it (`<db>.codes`, one line `YEAR LAST` per year). Every code
/// allocation takes the larger of the database's own sequence and the sidecar's, and raises
/// the sidecar before its transaction commits. So after an older backup is restored over
/// the database (or copied back by hand), the next intake continues above the highest code
/// ever issued at this path, never below it. A transaction that rolls back after raising
/// the sidecar leaves a gap in the numbers, never a duplicate.
enum CodeFloor {
    static func path(forDatabase dbPath: String) -> String { dbPath + ".codes" }

    /// How many times this process raised a sidecar (for tests: once a transaction).
    static let syncs = Atomic<Int>(0)

    /// The database file of a connection (nil in memory).
    static func databasePath(_ db: Database) -> String? {
        guard let p = sqlite3_db_filename(db.sqliteConnection, "main") else { return nil }
        let s = String(cString: p)
        return s.isEmpty ? nil : s
    }

    /// The floor for each year (empty without a sidecar file).
    static func read(dbPath: String) -> [Int: Int] {
        let file = path(forDatabase: dbPath)
        // Every intake reads the floor: the file is parsed again only when it was replaced
        // (a raise renames a new file over it) or written, as its inode, size and time say.
        var st = stat()
        guard stat(file, &st) == 0 else { return [:] }
        let seen = Seen(st)
        if let hit = parsed.withLock({ $0[file] }), hit.seen == seen { return hit.floor }
        guard let text = try? String(contentsOfFile: file, encoding: .utf8) else { return [:] }
        var out: [Int: Int] = [:]
        for line in text.split(separator: "\n") {
            let f = line.split(separator: " ")
            guard f.count == 2, let y = Int(f[0]), let n = Int(f[1]) else { continue }
            out[y] = max(out[y] ?? 0, n)
        }
        parsed.withLock { $0[file] = (seen, out) }
        return out
    }

    /// What `stat` says of a sidecar, to know it is the one parsed before.
    struct Seen: Equatable {
        var dev: UInt64, ino: UInt64, size: Int64, mtime: Int, mtimeNs: Int
        init(_ st: stat) {
            dev = UInt64(st.st_dev); ino = UInt64(st.st_ino); size = Int64(st.st_size)
            mtime = st.st_mtim.tv_sec; mtimeNs = st.st_mtim.tv_nsec
        }
    }

    /// Sidecars already read, by path.
    private static let parsed = Mutex<[String: (seen: Seen, floor: [Int: Int])]>([:])

    static func read(_ db: Database) -> [Int: Int] { databasePath(db).map { read(dbPath: $0) } ?? [:] }

    /// Raises the sidecar to at least `issued` for each year (it never goes down), written
    /// to a temporary file, synced, then renamed over the old one.
    static func raise(dbPath: String, _ issued: [Int: Int]) throws {
        syncs.add(1, ordering: .relaxed)
        var floor = read(dbPath: dbPath)
        var changed = false
        for (y, n) in issued where n > (floor[y] ?? 0) { floor[y] = n; changed = true }
        guard changed else { return }
        let target = path(forDatabase: dbPath)
        let tmp = target + ".tmp"
        let text = floor.keys.sorted().map { "\($0) \(floor[$0]!)" }.joined(separator: "\n") + "\n"
        // As private as the database itself.
        var st = stat()
        let mode = stat(dbPath, &st) == 0 ? mode_t(st.st_mode & 0o666) : 0o600
        func fail(_ e: Int32) -> Error {
            Message("robust.codes.unwritable", target, String(cString: strerror(e)))
        }
        let fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode)
        guard fd >= 0 else { throw fail(errno) }
        let bytes = Array(text.utf8)
        let written = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        guard written == bytes.count, fsync(fd) == 0 else { let e = errno; close(fd); unlink(tmp); throw fail(e) }
        var fresh = stat()
        let known = fstat(fd, &fresh) == 0
        close(fd)
        guard rename(tmp, target) == 0 else { let e = errno; unlink(tmp); throw fail(e) }
        // What this process wrote is known without reading it back (a rename keeps the
        // inode, size and time `fstat` gave).
        parsed.withLock { if known { $0[target] = (Seen(fresh), floor) } else { $0[target] = nil } }
    }

    /// Raises the sidecar for codes a transaction issues: once, just before it commits (a
    /// failure then rolls the transaction back), with the highest of everything it issued —
    /// so the intakes a group commit runs together sync the sidecar once, not once each.
    /// Outside a transaction, at once.
    static func raise(_ db: Database, _ issued: [Int: Int]) throws {
        guard let p = databasePath(db) else { return }
        guard db.isInsideTransaction else { return try raise(dbPath: p, issued) }
        (Watch.of(db) ?? Watch.install(on: db, dbPath: p)).add(issued)
    }

    /// Watches a connection that issues codes for its whole life (installed at its first
    /// transaction that does): the codes each of its transactions issues are raised in the
    /// sidecar just before that transaction commits, and forgotten when it ends.
    ///
    /// One observer a connection, not one a transaction: GRDB drops a connection's cached
    /// statements that may delete rows each time an observer is added, and the case UPDATE
    /// (whose triggers delete counter rows) was then prepared again — its triggers compiled
    /// — at every group commit: 15 % of the writer's time under `pakn serve`
    /// (docs/performance.md §7).
    final class Watch: TransactionObserver, @unchecked Sendable {
        /// By connection, with the connection itself to tell a reused address apart.
        private static let all = Mutex<[ObjectIdentifier: (db: WeakDatabase, watch: Watch)]>([:])

        let dbPath: String
        private let issued = Mutex<[Int: Int]>([:])

        init(dbPath: String) { self.dbPath = dbPath }

        /// Watches `db`, a connection on the file at `dbPath`, from now until it closes
        /// (the transaction under way included).
        static func install(on db: Database, dbPath: String) -> Watch {
            let w = Watch(dbPath: dbPath)
            all.withLock { all in
                all = all.filter { $0.value.db.db != nil }
                all[ObjectIdentifier(db)] = (WeakDatabase(db), w)
            }
            db.add(transactionObserver: w, extent: .databaseLifetime)
            return w
        }

        /// The watch of `db`, if it has one.
        static func of(_ db: Database) -> Watch? {
            all.withLock { all in
                guard let e = all[ObjectIdentifier(db)], e.db.db === db else { return nil }
                return e.watch
            }
        }

        func add(_ more: [Int: Int]) {
            issued.withLock { i in for (y, n) in more where n > (i[y] ?? 0) { i[y] = n } }
        }

        func observes(eventsOfKind eventKind: DatabaseEventKind) -> Bool { false }
        func databaseDidChange(with event: DatabaseEvent) {}
        func databaseWillCommit() throws {
            let all = issued.withLock { $0 }
            if !all.isEmpty { try CodeFloor.raise(dbPath: dbPath, all) }
        }
        func databaseDidCommit(_ db: Database) { issued.withLock { $0 = [:] } }
        func databaseDidRollback(_ db: Database) { issued.withLock { $0 = [:] } }
    }

    final class WeakDatabase: @unchecked Sendable {
        weak var db: Database?
        init(_ db: Database) { self.db = db }
    }
}
