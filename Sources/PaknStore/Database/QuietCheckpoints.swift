import Foundation
import GRDB
import GRDBSQLite
import Synchronization

/// When this process copies the WAL back into the database file (a checkpoint).
///
/// SQLite checkpoints inside the commit that takes the WAL past 1,000 pages, so one write
/// in a hundred or so pays for copying the others' pages and syncing the database file: the
/// slow tail of an assign or a reply. The desk does it in a quiet moment instead
/// (`checkpointIfDue`, called between keys), keeping every commit as durable as before.
public enum CheckpointPolicy: Sendable {
    /// SQLite's own: in the commit that crosses 1,000 pages (the CLI, imports, backups).
    case automatic
    /// In a quiet moment, once this process's commits left `QuietCheckpoints.due` pages in
    /// the WAL; a process that never rests still checkpoints in the commit that crosses
    /// `QuietCheckpoints.overdue`, as SQLite would.
    case whenIdle
}

/// The WAL's length after this process's last commit, told by SQLite's WAL hook.
final class QuietCheckpoints: Sendable {
    /// Pages in the WAL that make a quiet checkpoint worth doing: small enough that one
    /// takes a couple of milliseconds of the official's pause.
    static let due: Int32 = 64
    /// Pages after which the commit itself checkpoints (four times SQLite's default).
    static let overdue: Int32 = 4_000

    private let pages = Mutex<Int32>(0)

    var isDue: Bool { pages.withLock { $0 >= Self.due } }

    func committed(pages n: Int32) { pages.withLock { $0 = n } }
    func checkpointed() { pages.withLock { $0 = 0 } }

    /// Replaces SQLite's automatic checkpoint on `db` (the pool's one writer) with the hook.
    func install(on db: Database) {
        let me = Unmanaged.passUnretained(self).toOpaque()
        sqlite3_wal_hook(db.sqliteConnection, { context, connection, name, pages in
            let quiet = Unmanaged<QuietCheckpoints>.fromOpaque(context!).takeUnretainedValue()
            if pages >= QuietCheckpoints.overdue {
                // What SQLite's default hook does, at a larger size.
                sqlite3_wal_checkpoint(connection, name)
                quiet.checkpointed()
            } else {
                quiet.committed(pages: pages)
            }
            return SQLITE_OK
        }, me)
    }
}

extension AppDatabase {
    /// Whether `checkpointIfDue` has work: the desk then treats the next quiet moment as busy.
    var checkpointDue: Bool { quietCheckpoints?.isDue ?? false }

    /// Copies the WAL back into the database file if this process's commits made it worth
    /// it (policy `.whenIdle`); a PASSIVE checkpoint, so it never waits for readers or
    /// writers in other processes. Failure is harmless: the next quiet moment tries again.
    func checkpointIfDue() {
        guard let quiet = quietCheckpoints, quiet.isDue else { return }
        // Tried once per commit that made it due: a failure (another process checkpointing,
        // I/O) waits for the next commit rather than making every quiet moment busy. The WAL
        // keeps the data either way, and SQLite checkpoints when the last connection closes.
        quiet.checkpointed()
        _ = try? pool.writeWithoutTransaction { try $0.checkpoint(.passive) }
    }
}
