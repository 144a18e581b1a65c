import Foundation
#if canImport(Glibc)
import Glibc
#endif
import GRDB
import GRDBSQLite
import PaknCore

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

    /// The database file of a connection (nil in memory).
    static func databasePath(_ db: Database) -> String? {
        guard let p = sqlite3_db_filename(db.sqliteConnection, "main") else { return nil }
        let s = String(cString: p)
        return s.isEmpty ? nil : s
    }

    /// The floor for each year (empty without a sidecar file).
    static func read(dbPath: String) -> [Int: Int] {
        guard let text = try? String(contentsOfFile: path(forDatabase: dbPath), encoding: .utf8) else { return [:] }
        var out: [Int: Int] = [:]
        for line in text.split(separator: "\n") {
            let f = line.split(separator: " ")
            guard f.count == 2, let y = Int(f[0]), let n = Int(f[1]) else { continue }
            out[y] = max(out[y] ?? 0, n)
        }
        return out
    }

    static func read(_ db: Database) -> [Int: Int] { databasePath(db).map { read(dbPath: $0) } ?? [:] }

    /// Raises the sidecar to at least `issued` for each year (it never goes down), written
    /// to a temporary file, synced, then renamed over the old one.
    static func raise(dbPath: String, _ issued: [Int: Int]) throws {
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
        close(fd)
        guard rename(tmp, target) == 0 else { let e = errno; unlink(tmp); throw fail(e) }
    }

    static func raise(_ db: Database, _ issued: [Int: Int]) throws {
        guard let p = databasePath(db) else { return }
        try raise(dbPath: p, issued)
    }
}
