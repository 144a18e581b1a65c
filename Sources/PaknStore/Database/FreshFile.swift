import Foundation
#if canImport(Glibc)
import Glibc
#endif
import GRDB
import PaknCore

/// A new database (`pakn init`, `pakn demo`) is built under a temporary name next to its
/// final one and given its name only when complete: killed midway, it leaves no stub at the
/// path that would make the next try fail with "exists" (docs/reliability.md, "A new
/// database"). The temporary file is `<path>.creating-<pid>`; one left by a process that
/// no longer runs is removed at the next try.
package enum FreshFile {
    static let marker = ".creating-"

    /// Removes what a killed build left next to `path`, and names this one's staging file.
    package static func staging(for path: String) -> String {
        let url = URL(fileURLWithPath: path)
        let dir = url.deletingLastPathComponent().path
        let base = url.lastPathComponent + marker
        for name in (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? [] where name.hasPrefix(base) {
            let rest = name.dropFirst(base.count).prefix { $0.isNumber }
            guard let pid = Int32(rest), pid != getpid(), kill(pid, 0) != 0, errno == ESRCH else { continue }
            try? FileManager.default.removeItem(atPath: dir + "/" + name)
        }
        return path + marker + String(getpid())
    }

    package static func remove(_ staging: String) {
        for s in ["", "-wal", "-shm", "-journal", ".codes", ".codes.tmp"] { try? FileManager.default.removeItem(atPath: staging + s) }
    }

    /// Gives the finished database at `staging` its name: the WAL is folded in and the
    /// pool closed, then the file is linked to `path` (which fails if something appeared
    /// there meanwhile: nothing is overwritten) and the staging name dropped.
    package static func publish(_ db: AppDatabase, staging: String, to path: String) throws -> AppDatabase {
        do {
            try db.pool.writeWithoutTransaction { try $0.checkpoint(.truncate) }
            try db.pool.close()
        } catch let e as DatabaseError {
            throw StoreError.databaseUnusable(path: path, reason: AppDatabase.reason(e))
        }
        let floor = CodeFloor.read(dbPath: staging)
        guard link(staging, path) == 0 else {
            let e = errno
            remove(staging)
            if e == EEXIST { throw StoreError.invalidValue(field: "--db", value: path + " (exists)") }
            throw StoreError.unreadable(path, NSError(domain: NSPOSIXErrorDomain, code: Int(e)))
        }
        remove(staging)
        try CodeFloor.raise(dbPath: path, floor)
        return try AppDatabase(path: path, create: false)
    }
}
