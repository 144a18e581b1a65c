import Foundation
import GRDB
import GRDBSQLite

/// `pakn_listed(list, id)`: whether `id` is in `list`, a blob of ascending little-endian
/// 64-bit ids (`SearchMemo.IdList.blob`). A page of a search walks the queue's index in
/// order and asks this of each case: a binary search in the bound blob, read in place.
/// (`id IN (SELECT value FROM json_each(?))` built a temporary index of the whole list for
/// every query first: ~1,200 instructions per id, 36 M for a list of 30,000.)
///
/// Installed on every connection when it opens (`AppDatabase`).
enum SearchListFunction {
    static let name = "pakn_listed"

    static func install(_ db: Database) throws {
        let code = sqlite3_create_function_v2(db.sqliteConnection, name, 2, SQLITE_UTF8 | SQLITE_DETERMINISTIC, nil,
                                              { context, _, args in
            guard let args, let list = args[0], let value = args[1] else {
                sqlite3_result_int(context, 0)
                return
            }
            let count = Int(sqlite3_value_bytes(list)) / 8
            let id = sqlite3_value_int64(value)
            guard count > 0, let raw = sqlite3_value_blob(list) else {
                sqlite3_result_int(context, 0)
                return
            }
            var lo = 0, hi = count
            while lo < hi {
                let mid = (lo + hi) / 2
                let v = Int64(littleEndian: raw.loadUnaligned(fromByteOffset: mid * 8, as: Int64.self))
                if v < id { lo = mid + 1 } else { hi = mid }
            }
            let found = lo < count && Int64(littleEndian: raw.loadUnaligned(fromByteOffset: lo * 8, as: Int64.self)) == id
            sqlite3_result_int(context, found ? 1 : 0)
        }, nil, nil, nil)
        guard code == SQLITE_OK else { throw DatabaseError(resultCode: ResultCode(rawValue: code)) }
    }

    /// The ids (ascending) as the blob `pakn_listed` reads.
    static func blob(_ ids: [Int64]) -> Data {
        var data = Data(count: ids.count * 8)
        data.withUnsafeMutableBytes { raw in
            for (i, id) in ids.enumerated() { raw.storeBytes(of: id.littleEndian, toByteOffset: i * 8, as: Int64.self) }
        }
        return data
    }
}
