import Foundation
import GRDB
import PaknCore
import PaknDemo
import PaknStore

/// The benchmark's yardstick for the bulk load: the same rows the generator writes (cases,
/// reporters, events), inserted with prepared statements into bare tables — no index, no
/// search index, no trigger, no constraint — in a database of its own with the same
/// settings as the bulk load (fresh file, `synchronous = OFF`, same cache, same batches).
/// It is what SQLite itself manages on this machine, measured in the same run.
public final class PlainSQLiteBaseline: DemoRowSink {
    public let path: String
    private let queue: DatabaseQueue
    /// Seconds spent inserting and committing.
    public private(set) var seconds: Double = 0
    public private(set) var cases = 0

    public init(path: String) throws {
        self.path = path
        var config = Configuration()
        config.foreignKeysEnabled = false
        queue = try DatabaseQueue(path: path, configuration: config)
        try queue.writeWithoutTransaction { d in
            try d.execute(sql: """
                PRAGMA journal_mode = WAL; PRAGMA synchronous = OFF; PRAGMA cache_size = -131072;
                CREATE TABLE plain_case(code, title, body, kind, category, channel, ward_id, province_id, commune_id, address,
                  latitude, longitude, reporter_id, anonymous, confidential, unit_id, assignee_id, status, done, complex,
                  received_at, rule_id, counting, clock_start, clock_days, extended_days, extensions, paused_days,
                  paused_since, due_at, master_id, reply, resolved_at, closed_at, rating, rating_reasons, version,
                  updated_at, accept_days, accept_counting, accepted_on, rollover, id);
                CREATE TABLE plain_reporter(id, name, phone, email, address, national_id, anonymous, confidential);
                CREATE TABLE plain_event(case_id, at, actor_id, action, from_status, to_status, note, changes, hash);
                """)
        }
    }

    /// The rows of the current batch, inserted in one transaction at `commit` (the generator
    /// commits its own batches at the same points).
    private var pending: [(caseRow: [DatabaseValue], reporterRow: [DatabaseValue]?, eventRows: [[DatabaseValue]])] = []

    public func write(caseRow: [DatabaseValue], reporterRow: [DatabaseValue]?, eventRows: [[DatabaseValue]]) throws {
        pending.append((caseRow, reporterRow, eventRows))
    }

    public func commit() throws {
        guard !pending.isEmpty else { return }
        let rows = pending
        pending.removeAll(keepingCapacity: true)
        let t0 = DispatchTime.now().uptimeNanoseconds
        try queue.write { d in
            let rep = try d.cachedStatement(sql: "INSERT INTO plain_reporter VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
            let ev = try d.cachedStatement(sql: "INSERT INTO plain_event VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")
            for row in rows {
                if let r = row.reporterRow { try rep.execute(arguments: StatementArguments(r)) }
                try d.cachedStatement(sql: "INSERT INTO plain_case VALUES (\(Array(repeating: "?", count: row.caseRow.count).joined(separator: ",")))")
                    .execute(arguments: StatementArguments(row.caseRow))
                for e in row.eventRows { try ev.execute(arguments: StatementArguments(e)) }
            }
        }
        seconds += Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9
        cases += rows.count
    }

    /// Cases a second.
    public var rate: Double { seconds > 0 ? Double(cases) / seconds : 0 }

    /// Closes and deletes the baseline database.
    public func remove() {
        try? queue.close()
        for s in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + s) }
    }
}
