import Foundation
import GRDB
import GRDBSQLite

/// An INSERT bound and run through SQLite's C API, for the bulk writer's rows: building
/// GRDB's argument arrays (a boxed value per column) cost about as much as the insert
/// itself. The values are bound exactly as GRDB binds them (integers, 0/1 for booleans,
/// UTF-8 text, blobs), so the rows are the same (`BenchGeneratorTests` compares them).
final class RawInsert {
    private let statement: Statement
    private var handle: OpaquePointer { statement.sqliteStatement }

    init(_ db: Database, sql: String) throws {
        statement = try db.makeStatement(sql: sql)
    }

    /// Binds the values `bind` gives, in order, and runs the statement once.
    func run(_ db: Database, _ bind: (inout RawBinder) -> Void) throws {
        sqlite3_reset(handle)
        var b = RawBinder(handle: handle)
        bind(&b)
        let rc = sqlite3_step(handle)
        sqlite3_reset(handle)
        guard rc == SQLITE_DONE else {
            throw DatabaseError(resultCode: ResultCode(rawValue: rc), message: String(cString: sqlite3_errmsg(db.sqliteConnection)),
                                sql: statement.sql)
        }
    }
}

struct RawBinder {
    let handle: OpaquePointer
    private var index: Int32 = 1
    /// SQLite copies the bytes (SQLITE_TRANSIENT).
    private static let transient = unsafeBitCast(OpaquePointer(bitPattern: -1), to: sqlite3_destructor_type.self)
    private static let empty: StaticString = ""

    init(handle: OpaquePointer) { self.handle = handle }

    mutating func null() {
        sqlite3_bind_null(handle, index)
        index += 1
    }

    mutating func int(_ v: Int64?) {
        guard let v else { return null() }
        sqlite3_bind_int64(handle, index, v)
        index += 1
    }

    mutating func int(_ v: Int?) { int(v.map(Int64.init)) }

    mutating func bool(_ v: Bool) { int(v ? 1 : 0) }

    mutating func double(_ v: Double?) {
        guard let v else { return null() }
        sqlite3_bind_double(handle, index, v)
        index += 1
    }

    mutating func text(_ v: String?) {
        guard var v else { return null() }
        let h = handle, i = index
        v.withUTF8 { p in
            // An empty string has no storage: bind a real (empty) one, not NULL.
            let base = p.baseAddress.map { UnsafeRawPointer($0) } ?? UnsafeRawPointer(Self.empty.utf8Start)
            sqlite3_bind_text(h, i, base.assumingMemoryBound(to: CChar.self), Int32(p.count), Self.transient)
        }
        index += 1
    }

    mutating func blob(_ v: [UInt8]) {
        let h = handle, i = index
        v.withUnsafeBytes { p in
            _ = sqlite3_bind_blob(h, i, p.baseAddress ?? UnsafeRawPointer(Self.empty.utf8Start), Int32(p.count), Self.transient)
        }
        index += 1
    }

    /// A value as GRDB would bind it.
    mutating func value(_ v: DatabaseValue) {
        switch v.storage {
        case .null: null()
        case let .int64(i): int(i)
        case let .double(d): double(d)
        case let .string(s): text(s)
        case let .blob(d):
            let h = handle, i = index
            d.withUnsafeBytes { p in
                _ = sqlite3_bind_blob(h, i, p.baseAddress ?? UnsafeRawPointer(Self.empty.utf8Start), Int32(p.count), Self.transient)
            }
            index += 1
        }
    }
}
