import Foundation
import GRDB

/// The disk's own price of a durable commit: one small row inserted and committed in a bare
/// database with the desk's durability settings (WAL, `synchronous = FULL`, IMMEDIATE), on
/// the same file system as the database being measured. `pakn bench` times it between the
/// desk's writes, so the report shows how much of an assign or a reply is the fsync every
/// durable commit waits for, measured at the same moment on the same disk.
public final class CommitFloor {
    public let path: String
    private let queue: DatabaseQueue
    private var n = 0

    public init(path: String) throws {
        self.path = path
        queue = try DatabaseQueue(path: path)
        try queue.writeWithoutTransaction { d in
            try d.execute(sql: "PRAGMA journal_mode = WAL")
            try d.execute(sql: "PRAGMA synchronous = FULL")
            try d.execute(sql: "CREATE TABLE IF NOT EXISTS floor(id INTEGER PRIMARY KEY, at INTEGER NOT NULL, note TEXT NOT NULL)")
        }
    }

    /// Inserts and commits one row; returns the milliseconds it took.
    public func commitOnce() throws -> Double {
        n += 1
        let row: [DatabaseValueConvertible?] = [n, n, "Đơn vị đã kiểm tra và xử lý xong nội dung phản ánh."]
        let t0 = DispatchTime.now().uptimeNanoseconds
        try queue.write { d in
            try d.cachedStatement(sql: "INSERT INTO floor(id, at, note) VALUES (?, ?, ?)").execute(arguments: StatementArguments(row))
        }
        return Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e6
    }

    /// Closes and deletes the floor database.
    public func remove() {
        try? queue.close()
        for s in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + s) }
    }
}
