import Foundation
import GRDB
import PaknCore
import PaknPostgres
import PaknStoreAPI
import PostgresNIO

/// `pakn migrate --from FILE.sqlite --to postgres://…` (and `pakn init` onto a server, which
/// makes its reference data in a temporary SQLite file with the store's own setup and moves
/// it the same way): copies every row of a pakn SQLite database into an empty PostgreSQL
/// database at pakn's schema, in one transaction, then recomputes the event chain on the
/// server from the copied rows (`pakn_verify_chain`, the same canonical text and SHA-256 as
/// `EventLog`) and commits only if its head is the source's and every table has the source's
/// row count. Otherwise nothing is written.
///
/// The file is opened read-only: it is never migrated or changed here; a file at an older
/// schema is refused (open it once with this pakn first).
public enum SQLiteToServer {
    /// The tables, parents before children (foreign keys).
    public static let tables = [
        "setting", "unit", "unit_alias", "unit_code_history", "category", "official", "deadline_rule",
        "calendar_exception", "routing_rule", "reply_template", "reporter", "case_sequence", "pakn_case", "case_sent_up", "case_count",
        "case_link", "attachment", "event", "access_log", "access_case", "access_fact", "stat_day", "stat_month",
        "stat_span", "stat_open", "stat_rating", "report_import", "api_key", "api_intake",
    ]

    /// Tables a file made before their migration does not have (`v9-api-keys`): copied
    /// when there, counted as empty when not.
    static let laterTables: Set<String> = ["api_key", "api_intake"]

    /// The SQLite migrations a file must have had for its rows to be plain data.
    static let requiredMigrations = ["v6-plain-text", "v6-stats", "v6-admin-facts", "v7-sent-up"]

    public struct Report: Sendable {
        /// (table, rows) in copy order.
        public var counts: [(table: String, rows: Int)]
        public var head: String
        public var events: Int64
        /// The access log's chain on the copy (the source's).
        public var accessHead: String
        public var accessEntries: Int64
        public func rows(_ table: String) -> Int { counts.first { $0.table == table }?.rows ?? 0 }
    }

    /// The source's stored chain head (the last event's hash, zeros when none) and row counts.
    public static func sourceSummary(path: String) throws -> (head: String, accessHead: String, counts: [String: Int]) {
        let q = try open(path)
        return try q.read { db in
            func last(_ table: String) throws -> String {
                try Data.fetchOne(db, sql: "SELECT hash FROM \(table) ORDER BY id DESC LIMIT 1")
                    .map { SHA256.toHex([UInt8]($0)) } ?? String(repeating: "0", count: 64)
            }
            var counts: [String: Int] = [:]
            for t in tables {
                let present = try db.tableExists(t)
                counts[t] = !present && laterTables.contains(t) ? 0 : try Int.fetchOne(db, sql: "SELECT count(*) FROM \(t)") ?? 0
            }
            return (try last("event"), try last("access_log"), counts)
        }
    }

    static func open(_ path: String) throws -> DatabaseQueue {
        guard FileManager.default.fileExists(atPath: path) else { throw Message("pg.migrate.source_missing", path) }
        var config = Configuration()
        config.readonly = true
        let q: DatabaseQueue
        do {
            q = try DatabaseQueue(path: path, configuration: config)
            let applied = try q.read { db -> Set<String> in
                guard try db.tableExists("grdb_migrations") else { return [] }
                return Set(try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations"))
            }
            guard !applied.isEmpty else { throw Message("pg.migrate.not_sqlite", path) }
            guard Set(requiredMigrations).isSubset(of: applied) else { throw Message("pg.migrate.old_schema", path) }
        } catch let m as Message {
            throw m
        } catch {
            throw Message("pg.migrate.not_sqlite", path)
        }
        return q
    }

    /// Copies the file into the server's database (migrated to pakn's schema first; it must
    /// hold no pakn data yet). All or nothing.
    public static func copy(from path: String, to server: ServerConnection,
                            progress: @Sendable (String, Int) -> Void = { _, _ in }) async throws -> Report {
        let source = try open(path)
        let summary = try sourceSummary(path: path)
        try await ServerSetup.migrate(server)
        if try await ServerSetup.holdsData(server) { throw Message("pg.init.not_empty", server.url.database) }

        return try await server.transaction { c in
            // The rows come with their counters (`case_count`, `stat_*`): the triggers that
            // keep them (and notify desks) are off while they are copied.
            try await c.execute(sql: "ALTER TABLE pakn_case DISABLE TRIGGER case_changed")
            try await c.execute(sql: "ALTER TABLE pakn_case DISABLE TRIGGER stat_case")
            try await c.execute(sql: "ALTER TABLE event DISABLE TRIGGER stat_rating_event")
            // The copy gives `complex` and `complexity` together (copyTable).
            try await c.execute(sql: "ALTER TABLE pakn_case DISABLE TRIGGER case_complex_flag")
            // SQLite keeps no `case_status_total`: it is recounted once the cases are in.
            try await c.execute(sql: "ALTER TABLE pakn_case DISABLE TRIGGER case_status_total")
            var counts: [(String, Int)] = []
            for table in tables {
                let present = try await source.read { try $0.tableExists(table) }
                let n = present ? try await copyTable(table, from: source, to: c) : 0
                progress(table, n)
                counts.append((table, n))
            }
            try await c.execute(sql: "ALTER TABLE pakn_case ENABLE TRIGGER case_changed")
            try await c.execute(sql: "ALTER TABLE pakn_case ENABLE TRIGGER stat_case")
            try await c.execute(sql: "ALTER TABLE event ENABLE TRIGGER stat_rating_event")
            try await c.execute(sql: "ALTER TABLE pakn_case ENABLE TRIGGER case_complex_flag")
            try await c.execute(sql: "ALTER TABLE pakn_case ENABLE TRIGGER case_status_total")
            try await c.execute(sql: "DELETE FROM case_status_total")
            try await c.execute(sql: "INSERT INTO case_status_total(scope, status, n) \(ServerSchema.caseStatusTotalRecount)")
            // The attachments' bytes, kept beside the file by digest, into the database.
            let blobs = try await copyAttachmentBytes(from: source, path: path, to: c)
            progress("attachment_blob", blobs)
            try await ServerSetup.resetHead(c)
            _ = try await ServerSetup.officialRoles(c)
            // The copy holds exactly the source's rows …
            for (table, n) in counts {
                let there = try await c.int(PostgresQuery(unsafeSQL: "SELECT count(*) FROM \(ServerSchema.ident(table))")) ?? -1
                guard there == n, n == summary.counts[table] else {
                    throw Message("pg.server.error", table, "\(there) ≠ \(summary.counts[table] ?? -1)")
                }
            }
            // … and its chain, recomputed from them on the server, ends where the source's does.
            let chain = try await ServerSetup.verifyChain(c)
            if let broken = chain.firstBroken { throw Message("pg.migrate.broken", broken) }
            guard chain.head == summary.head else { throw Message("pg.migrate.head_mismatch", summary.head, chain.head) }
            // The access log's chain too: `pakn audit verify` checks both.
            let access = try await ServerSetup.verifyAccessChain(c)
            if let broken = access.firstBroken { throw Message("pg.migrate.access_broken", broken) }
            guard access.head == summary.accessHead else {
                throw Message("pg.migrate.access_mismatch", summary.accessHead, access.head)
            }
            try await c.execute("ANALYZE")
            return Report(counts: counts.map { (table: $0.0, rows: $0.1) }, head: chain.head, events: chain.events,
                          accessHead: access.head, accessEntries: access.entries)
        }
    }

    /// Copies the bytes of every attachment the file's rows name (SQLite keeps them beside
    /// the database, one file per digest: AttachmentContent.directory) into
    /// `attachment_blob`, each checked against its digest. A file missing or changed stops
    /// the move (nothing is written): the server would list an attachment it cannot give.
    static func copyAttachmentBytes(from source: DatabaseQueue, path: String, to c: ServerConnection) async throws -> Int {
        let digests = try await source.read { db -> [String] in
            guard try db.tableExists("attachment") else { return [] }
            return try String.fetchAll(db, sql: "SELECT DISTINCT sha256 FROM attachment ORDER BY sha256")
        }
        let dir = AttachmentContent.directory(dbPath: path)
        for h in digests {
            let file = dir.appendingPathComponent(String(h.prefix(2))).appendingPathComponent(h)
            guard let data = FileManager.default.contents(atPath: file.path), SHA256.hex([UInt8](data)) == h else {
                throw Message("pg.migrate.attachment_missing", file.path)
            }
            try await c.execute("INSERT INTO attachment_blob(sha256, bytes) VALUES (\(h), \(data))")
        }
        return digests.count
    }

    /// The server's type of each column of `table` (information_schema's data_type).
    static func serverColumns(_ table: String, _ c: ServerConnection) async throws -> [String: String] {
        var out: [String: String] = [:]
        for row in try await c.rows("""
            SELECT column_name::text, data_type::text FROM information_schema.columns
            WHERE table_schema = 'public' AND table_name = \(table)
            """) {
            let (name, type) = try row.decode((String, String).self)
            out[name] = type
        }
        return out
    }

    /// Copies one table with `COPY … FROM STDIN`, in batches of rows read by rowid (or whole,
    /// for the small WITHOUT ROWID counter tables).
    static func copyTable(_ table: String, from source: DatabaseQueue, to c: ServerConnection) async throws -> Int {
        let types = try await serverColumns(table, c)
        let (sqliteColumns, hasRowid) = try await source.read { db -> ([String], Bool) in
            let cols = try db.columns(in: table).map(\.name)
            let sql = try String.fetchOne(db, sql: "SELECT sql FROM sqlite_master WHERE name = ?", arguments: [table]) ?? ""
            return (cols, !sql.uppercased().contains("WITHOUT ROWID"))
        }
        let columns = sqliteColumns.filter { types[$0] != nil }
        let search = table == "pakn_case" && types["search"] != nil
        // SQLite keeps the complexity level (0, 1, 2) in `complex`; the server keeps the flag
        // there and the level in `complexity` (`v7-complexity`).
        let level = table == "pakn_case" && types["complexity"] != nil && !sqliteColumns.contains("complexity")
            && sqliteColumns.contains("complex")
        let target = columns + (search ? ["search"] : []) + (level ? ["complexity"] : [])
        let kinds = columns.map { ValueKind(serverType: types[$0] ?? "text") }
        let batch = 5_000
        var total = 0
        try await c.copy(table: table, columns: target) { writer in
            var after: Int64 = Int64.min
            while true {
                let from = after
                let (buffer, n, last) = try await source.read { db -> (ByteBuffer, Int, Int64) in
                    let list = columns.map { "\"\($0)\"" }.joined(separator: ", ")
                    let cursor = hasRowid
                        ? try Row.fetchCursor(db, sql: "SELECT rowid AS pakn_rowid, \(list) FROM \(table) WHERE rowid > ? ORDER BY rowid LIMIT \(batch)",
                                              arguments: [from])
                        : try Row.fetchCursor(db, sql: "SELECT 0 AS pakn_rowid, \(list) FROM \(table)")
                    var out = ByteBuffer()
                    var n = 0
                    var last = from
                    while let row = try cursor.next() {
                        last = row["pakn_rowid"]
                        for (i, kind) in kinds.enumerated() {
                            if i > 0 { out.writeInteger(UInt8(ascii: "\t")) }
                            CopyText.write(kind.text(row[i + 1] as DatabaseValue), into: &out)
                        }
                        if search {
                            let text = ["code", "title", "body", "address"].map { (row[$0] as String?) ?? "" }.joined(separator: " ")
                            out.writeInteger(UInt8(ascii: "\t"))
                            CopyText.write(VietnameseFold.fold(text), into: &out)
                        }
                        if level {
                            out.writeInteger(UInt8(ascii: "\t"))
                            CopyText.write(String(min(2, max(0, (row["complex"] as Int?) ?? 0))), into: &out)
                        }
                        out.writeInteger(UInt8(ascii: "\n"))
                        n += 1
                    }
                    return (out, n, last)
                }
                if n > 0 { try await writer.write(buffer) }
                total += n
                if !hasRowid || n < batch { break }
                after = last
            }
        }
        return total
    }
}

/// How a SQLite value becomes the text `COPY` reads for a server column.
enum ValueKind {
    case plain, boolean, instant, day, bytes

    init(serverType: String) {
        switch serverType {
        case "boolean": self = .boolean
        case "timestamp with time zone": self = .instant
        case "date": self = .day
        case "bytea": self = .bytes
        default: self = .plain
        }
    }

    func text(_ v: DatabaseValue) -> String? {
        switch v.storage {
        case .null: return nil
        case .int64(let i):
            switch self {
            case .boolean: return i == 0 ? "f" : "t"
            case .instant: return CopyText.instant(i)
            case .day: return CopyText.day(i)
            case .plain, .bytes: return String(i)
            }
        case .double(let d):
            if self == .boolean { return d == 0 ? "f" : "t" }
            return d.isFinite ? "\(d)" : nil
        case .string(let s): return s
        case .blob(let data):
            // A blob becomes bytea (`\x…`), or text when the column is text (never in a
            // plain-data file: `open` refuses files before v6-plain-text).
            return self == .bytes ? "\\x" + data.map { String(format: "%02x", $0) }.joined() : String(decoding: data, as: UTF8.self)
        }
    }
}

/// COPY's text format: tab-separated, `\N` for NULL, backslash escapes.
enum CopyText {
    static func write(_ value: String?, into out: inout ByteBuffer) {
        guard let value else { out.writeString("\\N"); return }
        var s = value
        s.withUTF8 { p in
            var start = 0
            for i in 0..<p.count {
                let b = p[i]
                let esc: StaticString?
                switch b {
                case UInt8(ascii: "\\"): esc = "\\\\"
                case 0x0A: esc = "\\n"
                case 0x0D: esc = "\\r"
                case 0x09: esc = "\\t"
                default: esc = nil
                }
                guard let esc else { continue }
                out.writeBytes(UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(p)[start..<i]))
                out.writeStaticString(esc)
                start = i + 1
            }
            out.writeBytes(UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(p)[start..<p.count]))
        }
    }

    /// Seconds since 1970 as a UTC timestamp COPY reads.
    static func instant(_ secs: Int64) -> String {
        let d = Date(timeIntervalSince1970: TimeInterval(secs))
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = TimeZone(identifier: "UTC")!
        let c = cal.dateComponents([.year, .month, .day, .hour, .minute, .second], from: d)
        return String(format: "%04d-%02d-%02d %02d:%02d:%02d+00", c.year!, c.month!, c.day!, c.hour!, c.minute!, c.second!)
    }

    /// A day ordinal (days since 1970-01-01) as a date.
    static func day(_ ordinal: Int64) -> String {
        let d = Date(timeIntervalSince1970: TimeInterval(ordinal) * 86_400)
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = TimeZone(identifier: "UTC")!
        let c = cal.dateComponents([.year, .month, .day], from: d)
        return String(format: "%04d-%02d-%02d", c.year!, c.month!, c.day!)
    }
}
