import Foundation
import GRDB
import PaknCore

/// Maps `Case` to and from its row. Timestamps are whole Unix seconds.
package enum CaseRow {
    static let columns = """
        id, code, title, body, kind, category, channel, ward_id, address, latitude, longitude, reporter_id,
        anonymous, confidential, unit_id, assignee_id, status, complex, received_at, rule_id, counting, clock_start,
        clock_days, extended_days, extensions, paused_days, paused_since, due_at, master_id,
        reply, resolved_at, closed_at, rating, rating_reasons, version, updated_at,
        accept_days, accept_counting, accepted_on, rollover
        """

    /// A case with its current reply: the row's `reply` column when it holds one (rows
    /// written before migration `v4-compact-storage`), else the reply its history records
    /// (`EventLog.currentReply`): a reply is stored once, in the event that made it.
    static func decode(_ db: Database, _ r: Row) throws -> Case {
        var c = try decodeRow(r)
        if c.reply == nil { c.reply = try EventLog.currentReply(db, caseId: c.id) }
        return c
    }

    /// The row alone: `reply` is only the column's (see `decode`), for callers that take
    /// the reply from events they read anyway.
    static func decodeRow(_ r: Row) throws -> Case {
        let reasons = ((r["rating_reasons"] as String?) ?? "").split(separator: ",").compactMap { RatingReason(rawValue: String($0)) }
        let id: Int64 = r["id"]
        return Case(
            id: id, code: r["code"], title: try PackedText.text(r, "title", "case \(id) title"),
            body: try PackedText.text(r, "body", "case \(id) body"),
            kind: CaseKind(rawValue: r["kind"]) ?? .feedback, category: r["category"],
            channel: Channel(rawValue: r["channel"]) ?? .web, wardId: r["ward_id"], address: r["address"],
            latitude: r["latitude"], longitude: r["longitude"], reporterId: r["reporter_id"],
            anonymous: r["anonymous"], confidential: r["confidential"], unitId: r["unit_id"], assigneeId: r["assignee_id"],
            status: CaseStatus(rawValue: r["status"]) ?? .received, complexity: r["complex"] as Int,
            receivedAt: date(r["received_at"]), deadline: deadline(r), dueAt: date(r["due_at"]), masterId: r["master_id"],
            reply: r["reply"], resolvedAt: (r["resolved_at"] as Int64?).map(date), closedAt: (r["closed_at"] as Int64?).map(date),
            rating: r["rating"], ratingReasons: reasons, version: r["version"], updatedAt: date(r["updated_at"]))
    }

    /// The clock of a case from its columns (rule_id … paused_since, accept_days … rollover).
    static func deadline(_ r: Row) -> Deadline {
        Deadline(ruleId: r["rule_id"], counting: DayCounting(rawValue: r["counting"]) ?? .working,
                 start: Day(ordinal: r["clock_start"]), days: r["clock_days"], extendedDays: r["extended_days"],
                 extensions: r["extensions"], pausedDays: r["paused_days"],
                 pausedSince: (r["paused_since"] as Int?).map(Day.init(ordinal:)),
                 acceptDays: r["accept_days"], acceptCounting: (r["accept_counting"] as String?).flatMap(DayCounting.init(rawValue:)),
                 acceptedOn: (r["accepted_on"] as Int?).map(Day.init(ordinal:)), rollover: (r["rollover"] as Bool?) ?? false)
    }

    static func date(_ secs: Int64) -> Date { Date(timeIntervalSince1970: TimeInterval(secs)) }
    package static func secs(_ d: Date) -> Int64 { Int64(d.timeIntervalSince1970.rounded(.down)) }

    /// `reply: false`: the row alone (`decodeRow`), when the reply is not needed or is
    /// taken from the history the caller reads anyway.
    static func fetch(_ db: Database, id: Int64, reply: Bool = true) throws -> Case? {
        let stmt = try db.cachedStatement(sql: "SELECT \(columns) FROM pakn_case WHERE id = ?")
        guard let r = try Row.fetchOne(stmt, arguments: [id]) else { return nil }
        return reply ? try decode(db, r) : try decodeRow(r)
    }

    /// A case by its code (`HN-2026-000123`, case-insensitive) or its numeric id.
    static func resolve(_ db: Database, _ ref: String, reply: Bool = true) throws -> Case {
        let t = ref.trimmingCharacters(in: .whitespaces)
        let stmt = try db.cachedStatement(sql: "SELECT \(columns) FROM pakn_case WHERE code = ?")
        if let r = try Row.fetchOne(stmt, arguments: [t.uppercased()]) { return reply ? try decode(db, r) : try decodeRow(r) }
        if let id = Int64(t), let c = try fetch(db, id: id, reply: reply) { return c }
        throw StoreError.unknownCase(ref)
    }

    static let insertSQL = """
        INSERT INTO pakn_case(code, title, body, kind, category, channel, ward_id, province_id, commune_id, address, latitude,
          longitude, reporter_id, anonymous, confidential, unit_id, assignee_id, status, done, complex, received_at,
          rule_id, counting, clock_start, clock_days, extended_days, extensions, paused_days, paused_since, due_at,
          master_id, reply, resolved_at, closed_at, rating, rating_reasons, version, updated_at,
          accept_days, accept_counting, accepted_on, rollover, id)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,
                ?, ?, ?, ?, ?)
        """

    /// Inserts a new case: with `id` nil SQLite picks the id (`c.id` is ignored).
    static func insert(_ db: Database, _ c: Case, scope: UnitScope, id: Int64? = nil) throws -> Int64 {
        let stmt = try db.cachedStatement(sql: insertSQL)
        try stmt.execute(arguments: StatementArguments(values(c, scope: scope, includeText: true) + [id]))
        return db.lastInsertedRowID
    }

    /// Inserts a new case, placing it from its responsible unit.
    static func insert(_ db: Database, _ c: Case, provinceId: Int64?) throws -> Int64 {
        var scope = try DatabaseUnits(db).scope(of: c.unitId)
        if c.unitId == nil { scope.provinceId = provinceId }
        return try insert(db, c, scope: scope)
    }

    /// Writes a changed case. `replyRecorded`: the event of this change records the reply
    /// (its changes hold `reply`), so the row's own copy, if it has one from before
    /// `v4-compact-storage`, is cleared; otherwise the column is left as it is.
    static func update(_ db: Database, _ c: Case, scope: UnitScope, replyRecorded: Bool) throws {
        let stmt = try db.cachedStatement(sql: updateSQL)
        try stmt.execute(arguments: StatementArguments(values(c, scope: scope, includeText: false, replyRecorded: replyRecorded) + [c.id]))
    }

    /// Every action's write of the case row, prepared once a connection (its triggers are
    /// compiled into it: preparing it costs more than running it).
    static let updateSQL = """
            UPDATE pakn_case SET ward_id = ?, province_id = ?, commune_id = ?, address = ?, latitude = ?, longitude = ?, reporter_id = ?,
              anonymous = ?, confidential = ?, unit_id = ?, assignee_id = ?, status = ?, done = ?, complex = ?,
              received_at = ?, rule_id = ?, counting = ?, clock_start = ?, clock_days = ?, extended_days = ?, extensions = ?,
              paused_days = ?, paused_since = ?, due_at = ?, master_id = ?, reply = ?,
              resolved_at = ?, closed_at = ?, rating = ?, rating_reasons = ?, version = ?, updated_at = ?,
              accept_days = ?, accept_counting = ?, accepted_on = ?, rollover = ?
            WHERE id = ?
            """

    /// The column values of `insertSQL` (without the id) or, without the text, of `update`,
    /// as they are stored: title and body packed (`PackedText`), no reply (the reply event holds
    /// it; `update` takes whether this change recorded one instead). `logical`: the case's
    /// own values, plain text and reply included, as rows were written before
    /// `v4-compact-storage` — what the benchmark's plain-SQLite baseline inserts.
    package static func values(_ c: Case, scope: UnitScope, includeText: Bool, replyRecorded: Bool = false,
                       logical: Bool = false) -> [DatabaseValueConvertible?] {
        let head: [DatabaseValueConvertible?] = includeText
            ? [c.code, logical ? c.title : PackedText.pack(c.title), logical ? c.body : PackedText.pack(c.body), c.kind.rawValue,
               c.category, c.channel.rawValue] : []
        // The `reply` slot: the current reply, in the row as in its event (plain data,
        // `v6-plain-text`; `audit verify --full` checks the two agree).
        let reply: DatabaseValueConvertible? = c.reply
        let d = c.deadline
        let rest: [DatabaseValueConvertible?] = [
            c.wardId, scope.provinceId, scope.communeId, c.address, c.latitude, c.longitude, c.reporterId, c.anonymous, c.confidential,
            c.unitId, c.assigneeId, c.status.rawValue, !c.status.isOpen, c.complexity, secs(c.receivedAt),
            d.ruleId, d.counting.rawValue, d.start.ordinal, d.days, d.extendedDays, d.extensions, d.pausedDays,
            d.pausedSince?.ordinal, secs(c.dueAt), c.masterId, reply, c.resolvedAt.map(secs),
            c.closedAt.map(secs), c.rating, c.ratingReasons.isEmpty ? nil : c.ratingReasons.map(\.rawValue).joined(separator: ","),
            c.version, secs(c.updatedAt),
            d.acceptDays, d.acceptCounting?.rawValue, d.acceptedOn?.ordinal, d.rollover,
        ]
        return head + rest
    }
}

extension CaseRow {
    /// Binds the values of `insertSQL` as stored (title and body packed, no reply), in its
    /// order, id last: what `values(c, scope:, includeText: true)` gives, for the bulk
    /// writer (`RawInsert`).
    static func bind(_ c: Case, scope: UnitScope, into b: inout RawBinder) {
        b.text(c.code); b.value(PackedText.pack(c.title)); b.value(PackedText.pack(c.body)); b.text(c.kind.rawValue); b.text(c.category)
        b.text(c.channel.rawValue); b.int(c.wardId); b.int(scope.provinceId); b.int(scope.communeId); b.text(c.address)
        b.double(c.latitude); b.double(c.longitude); b.int(c.reporterId); b.bool(c.anonymous); b.bool(c.confidential)
        b.int(c.unitId); b.int(c.assigneeId); b.text(c.status.rawValue); b.bool(!c.status.isOpen); b.int(Int64(c.complexity))
        b.int(secs(c.receivedAt))
        let d = c.deadline
        b.text(d.ruleId); b.text(d.counting.rawValue); b.int(d.start.ordinal); b.int(d.days); b.int(d.extendedDays)
        b.int(d.extensions); b.int(d.pausedDays); b.int(d.pausedSince?.ordinal); b.int(secs(c.dueAt)); b.int(c.masterId)
        b.text(c.reply)   // the current reply, as its event holds it
        b.int(c.resolvedAt.map(secs)); b.int(c.closedAt.map(secs)); b.int(c.rating)
        b.text(c.ratingReasons.isEmpty ? nil : c.ratingReasons.map(\.rawValue).joined(separator: ","))
        b.int(c.version); b.int(secs(c.updatedAt))
        b.int(d.acceptDays.map(Int64.init)); b.text(d.acceptCounting?.rawValue); b.int(d.acceptedOn.map { Int64($0.ordinal) }); b.bool(d.rollover)
        b.int(c.id)
    }
}

/// The folded search index. Contentless: it holds only what the tokenizer made of the
/// folded text, so deleting an entry needs the same folded values again.
enum SearchIndex {
    /// What the index is fed for a case: its id and folded code, title, body and address.
    struct Entry: CustomStringConvertible {
        var id: Int64
        var code, title, body, address: String
        var arguments: StatementArguments { [id, code, title, body, address] }
        var description: String { "\(id) \(code) \(title) \(body) \(address)" }
    }

    static func values(_ c: Case) -> Entry {
        Entry(id: c.id, code: VietnameseFold.fold(c.code), title: VietnameseFold.fold(c.title), body: VietnameseFold.fold(c.body),
              address: VietnameseFold.fold(c.address ?? ""))
    }

    static func add(_ db: Database, _ c: Case) throws {
        let stmt = try db.cachedStatement(sql: "INSERT INTO case_fts(rowid, code, title, body, address) VALUES (?, ?, ?, ?, ?)")
        try stmt.execute(arguments: values(c).arguments)
    }

    static func remove(_ db: Database, _ c: Case) throws {
        try db.execute(sql: "INSERT INTO case_fts(case_fts, rowid, code, title, body, address) VALUES ('delete', ?, ?, ?, ?, ?)",
                       arguments: values(c).arguments)
    }

    /// An FTS5 query from what a person typed: every word must appear (prefix match on
    /// the last one while typing); quotes keep FTS5 syntax characters inert. Words are cut
    /// where the tokenizer cuts them (letters, digits, private use), so each quoted string
    /// is one token: the index keeps no positions, so it has no phrases.
    static func match(_ text: String, prefixLast: Bool = true) -> String? {
        let words = VietnameseFold.fold(text).unicodeScalars.split { !isTokenScalar($0) }.map { String(String.UnicodeScalarView($0)) }
        guard !words.isEmpty else { return nil }
        return words.enumerated().map { i, w in
            let quoted = "\"" + w.replacingOccurrences(of: "\"", with: "\"\"") + "\""
            return (prefixLast && i == words.count - 1) ? quoted + "*" : quoted
        }.joined(separator: " ")
    }

    /// unicode61's token characters: letters, numbers and private-use characters.
    static func isTokenScalar(_ u: Unicode.Scalar) -> Bool {
        switch u.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
             .decimalNumber, .letterNumber, .otherNumber, .privateUse:
            return true
        default:
            return false
        }
    }

    /// Whether at most `limit` cases match: reads no more than `limit + 1` entries.
    static func isSelective(_ db: Database, _ match: String, limit: Int) throws -> Bool {
        try matches(db, match, upTo: limit + 1) <= limit
    }

    /// How many cases match, counting no further than `upTo` (reading the index's lists of
    /// ids only: about a microsecond per thousand).
    static func matches(_ db: Database, _ match: String, upTo: Int) throws -> Int {
        let stmt = try db.cachedStatement(sql: "SELECT count(*) FROM (SELECT rowid FROM case_fts WHERE case_fts MATCH ? LIMIT ?)")
        return try Int.fetchOne(stmt, arguments: [match, upTo])!
    }

    enum Density { case selective, sparse, dense }

    /// How a page of a text search is best read. `selective`: few enough matches to sort
    /// them all. Otherwise a page walks the queue's index in order, and what a step costs
    /// decides: probing a list of the matching ids built once costs about 0.5 µs per match
    /// to build, asking the search index about each case about 90 µs per case walked (at
    /// 1,000,000 cases on the benchmark machine). A page needs about 100·N/m cases walked
    /// for m matches among N cases, so the list is cheaper while m² < 19,000·N, i.e. up to
    /// ~138,000 matches at a million cases (`sparse`); beyond, `dense`.
    static func density(_ db: Database, _ match: String, selective: Int, listLimit fixedLimit: Int? = nil) throws -> Density {
        if try isSelective(db, match, limit: selective) { return .selective }
        let cases = try CaseQueries.maxId(db)
        let listLimit = fixedLimit ?? max(selective * 4, Int((19_000 * Double(cases)).squareRoot()))
        return try matches(db, match, upTo: listLimit + 1) <= listLimit ? .sparse : .dense
    }
}
