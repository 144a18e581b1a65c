import Foundation
import GRDB
import GRDBSQLite
import PaknCore

/// Pages of a text search that ask the search index as little as possible.
///
/// Typing a search asks for a new page at nearly every keystroke, and each keystroke only
/// adds letters or words: what the new words find lies among what the previous ones found.
/// Asking FTS5 again costs in proportion to the lists of its words, and a short last word
/// ("đ…", "du…") has a list of most cases (at a million cases, "ngap nuoc du*" reads its way
/// through ~800,000 entries: ~20 ms). So:
///
/// 1. The ids of every matching case are read once and kept (`SearchMemo`) when there are
///    few enough (`listCap`); a page is then the queue's index walked in order among them.
/// 2. A search that narrows a kept one looks among its ids: the queue's index is walked
///    among them in order and each case's own text decides (`SearchWords.matches`, the
///    index only for text it cannot decide), until the page is full.
/// 3. A search matching too many cases to keep walks the queue's index the same way among
///    all cases: with that many matches a page fills after a few hundred.
///
/// 2 and 3 stop after a budget of cases checked without filling the page (the words are
/// rarer than they looked): 2 then reads the new words' own ids, 3 lets SQLite read the
/// index's matches inside the page query. Every path gives the same page as the general
/// path (`CaseQueries.pageSQL`; `SearchPagesTests`).
extension CaseQueries {
    /// Where a search page's candidates come from.
    enum SearchCandidates {
        /// Kept ids: exactly the matches, or a wider search's (each candidate checked).
        case list(SearchMemo.IdList, exact: Bool)
        /// The search index's matches, read inside the page query (exact).
        case index
        /// Every case of the queue, each checked.
        case everyCase
    }

    /// The most ids kept for a search on `cases` cases: reading a list costs about as much
    /// per id as checking one case's text costs per thirty, and a page among m matches of
    /// n cases checks ~100·n/m cases, so a list pays while m² < 3,000·n.
    static func listCap(cases: Int64) -> Int {
        max(selectiveMatches, Int((3_000 * Double(cases)).squareRoot()))
    }

    /// How many cases a narrowing checks before reading the new words' own ids instead.
    static let narrowingBudget = 3_000

    /// A page of a search through `memo`, or nil when the words are beyond ASCII (the
    /// general path answers). `cap` and `budget` (tests) override the list cap and how many
    /// cases a walk checks.
    static func searchPage(_ db: Database, _ q: QueueQuery, words: SearchWords, now: Date, ref: ReferenceData,
                           memo: SearchMemo, cap: Int? = nil, budget: Int? = nil) throws -> [QueueRow]? {
        guard words.isPlain else { return nil }
        return try UrgencyTiers.paged(q) { sub in
            try searchPageInTier(db, sub, words: words, now: now, ref: ref, memo: memo, cap: cap, budget: budget)
        }
    }

    /// `searchPage` within one urgency tier (or in another order).
    static func searchPageInTier(_ db: Database, _ q: QueueQuery, words: SearchWords, now: Date, ref: ReferenceData,
                                 memo: SearchMemo, cap: Int?, budget: Int?) throws -> [QueueRow]? {
        let version = try SearchMemo.dataVersion(db)
        let cases = try maxId(db)
        let cap = cap ?? listCap(cases: cases)
        func page(_ source: SearchCandidates, budget: Int = .max) throws -> [QueueRow]? {
            try candidates(db, q, words: words, now: now, ref: ref, from: source, budget: budget, memo: memo, version: version)
                .map { try rows(db, q, ids: $0, now: now, ref: ref) }
        }
        func exact() throws -> [QueueRow] {
            switch try matchingIds(db, words, cap: cap, cases: cases) {
            case let .ids(ids):
                let list = SearchMemo.IdList(words, ids, jsonUpTo: selectiveMatches)
                memo.remember(words, list, db, version: version)
                return try page(.list(list, exact: true))!
            case .tooMany:
                return try page(.index)!
            }
        }
        if let hit = memo.find(words, db, version: version) {
            if hit.exact { return try page(.list(hit.list, exact: true)) }
            // Narrowing a wider search pays when the index would have to seek through a long
            // list for each of its cases: when the last word is much more common than the
            // wider search (its list more than four times as long). Otherwise the index
            // merges two lists of similar length quickly. Rarer than it looked: the words'
            // own ids.
            if try budget != nil || frequency(db, words, cases: cases) > 4 * Double(hit.list.ids.count) {
                if let rows = try page(.list(hit.list, exact: false), budget: budget ?? narrowingBudget) { return rows }
            }
            return try exact()
        }
        switch try matchingIds(db, words, cap: cap, cases: cases) {
        case let .ids(ids):
            let list = SearchMemo.IdList(words, ids, jsonUpTo: selectiveMatches)
            memo.remember(words, list, db, version: version)
            return try page(.list(list, exact: true))
        case let .tooMany(estimate):
            // Walk every case, checking each: with m matches of n cases a page needs about
            // limit·n/m; three times that at most (the matches may lie elsewhere in the order).
            let expected = Double(q.limit) * Double(max(cases, 1)) / max(estimate, 1)
            let walk = budget ?? max(400, Int(min(3 * expected, 1e9)))
            return try page(.everyCase, budget: walk) ?? page(.index)
        }
    }

    /// About how many cases hold the last word (a prefix while typing): counted up to a
    /// thousand, estimated beyond from how far the first thousand reach into the ids.
    static func frequency(_ db: Database, _ words: SearchWords, cases: Int64) throws -> Double {
        guard let last = SearchWords(words.words.last!, prefixLast: words.lastIsPrefix) else { return 0 }
        let stmt = try db.cachedStatement(sql: "SELECT rowid FROM case_fts WHERE case_fts MATCH ? LIMIT 1001")
        let ids = try Int64.fetchAll(stmt, arguments: [last.match])
        guard ids.count > 1000, let reach = ids.last else { return Double(ids.count) }
        return 1001 * Double(cases) / Double(max(reach, 1))
    }

    static func maxId(_ db: Database) throws -> Int64 {
        try Int64.fetchOne(db.cachedStatement(sql: "SELECT max(id) FROM pakn_case")) ?? 0
    }

    enum MatchingIds {
        case ids([Int64])
        /// More than the cap; about this many (an estimate from the first ones, or the cap).
        case tooMany(Double)
    }

    /// Every matching id, ascending, or `tooMany` when there are more than `cap`, or when
    /// the first few thousand already reach so short a way into the ids that many more are
    /// to come (matches arrive spread over the ids as cases do).
    static func matchingIds(_ db: Database, _ words: SearchWords, cap: Int, cases last: Int64) throws -> MatchingIds {
        let probe = selectiveMatches + 1
        var ids: [Int64] = []
        let cursor = try Int64.fetchCursor(db.cachedStatement(sql: "SELECT rowid FROM case_fts WHERE case_fts MATCH ?"),
                                           arguments: [words.match])
        while let id = try cursor.next() {
            ids.append(id)
            if ids.count > cap { return .tooMany(Double(ids.count)) }
            if ids.count == probe {
                let estimate = Double(probe) * Double(last) / Double(max(id, 1))
                if estimate > Double(cap) { return .tooMany(estimate) }
            }
        }
        return .ids(ids)
    }

    /// The ids of the page, in the query's order: candidates in the queue's order, checked
    /// unless exact. Nil when `budget` candidates were checked without filling the page. A
    /// first page remembers its walk in `memo` and starts from the one remembered.
    static func candidates(_ db: Database, _ q: QueueQuery, words: SearchWords, now: Date, ref: ReferenceData,
                           from source: SearchCandidates, budget: Int, memo: SearchMemo? = nil,
                           version: Int = 0) throws -> [Int64]? {
        var check = true
        var walkList: SearchWords??
        switch source {
        case let .list(list, exact):
            check = !exact
            walkList = .some(list.words)
        case .index:
            check = false
        case .everyCase:
            walkList = .some(nil)
        }
        let sql = try QueueSQL(db, filter: q.filter, now: now, ref: ref)
        let key = walkList.flatMap { list in
            q.after == nil && !q.backwards && memo != nil
                ? SearchMemo.WalkKey(conditions: sql.whereSQL, values: sql.args.map { $0?.databaseValue ?? .null },
                                     order: q.order, list: list)
                : nil
        }
        var walk = key.flatMap { memo?.walk($0, db, version: version) } ?? SearchMemo.Walk()
        defer { if let key { memo?.remember(walk: walk, for: key, db, version: version) } }

        var found: [Int64] = []
        var checked = 0
        /// False when the budget is spent. `text`: the case's folded text, if at hand.
        func consider(_ id: Int64, text: () throws -> [UInt8]?) throws -> Bool {
            guard check else {
                found.append(id)
                return true
            }
            if checked == budget { return false }
            checked += 1
            if try holds(db, words, id, memo: memo, version: version, text: text) { found.append(id) }
            return true
        }
        if key != nil {
            for id in walk.ids where found.count < q.limit {
                if try !consider(id, text: { try searchableText(db, id) }) { return nil }
            }
            if found.count == q.limit || walk.complete { return found }
        }

        // The text comes with each candidate from an index walk; a short list is sorted
        // first, and sorting every candidate's title and body cost more than reading the
        // few a page checks one by one.
        let sorted: Bool
        if case let .list(list, _) = source, list.json != nil { sorted = true } else { sorted = false }
        let withText = check && !sorted
        let (text, args) = candidateSQL(sql, q, after: key != nil ? walk.cursors.last : q.after, from: source, words: words,
                                        withText: withText)
        let stmt = try db.cachedStatement(sql: text)
        let cursor = try Row.fetchCursor(stmt, arguments: StatementArguments(args))
        func remember(_ r: Row) -> Int64 {
            let id: Int64 = r[0]
            if key != nil {
                walk.ids.append(id)
                walk.cursors.append(QueueCursor(key: cursorKey(q.order, done: r[1], dueAt: r[2], receivedAt: r[3]), id: id))
            }
            return id
        }
        while found.count < q.limit {
            guard let r = try cursor.next() else {
                walk.complete = true
                break
            }
            let id = remember(r)
            if try !consider(id, text: { withText ? foldedText(stmt, from: 4) : nil }) { return nil }
        }
        // A sorted list was read whole to sort it: keeping the rest of its order costs next
        // to nothing, and the next keystroke (which narrows it) then needs no query at all.
        if key != nil && sorted && !walk.complete {
            while let r = try cursor.next() { _ = remember(r) }
            walk.complete = true
        }
        return found
    }

    /// The code, title, body and address the statement's current row holds from column
    /// `first` on, folded in place (`SearchWords.folded`); nil when one is not text.
    static func foldedText(_ stmt: Statement, from first: Int32) -> [UInt8]? {
        let s = stmt.sqliteStatement
        var folded: [UInt8] = []
        folded.reserveCapacity(512)
        for i in first..<(first + 4) {
            switch sqlite3_column_type(s, i) {
            case SQLITE_NULL:
                break
            case SQLITE_TEXT:
                guard let p = sqlite3_column_text(s, i) else { return nil }
                let ok = VietnameseFold.fold(utf8: UnsafeBufferPointer(start: p, count: Int(sqlite3_column_bytes(s, i))), into: &folded)
                if !ok { return nil }
            case SQLITE_BLOB:
                // Packed text (`PackedText`); one that cannot be read is the index's to decide.
                let n = Int(sqlite3_column_bytes(s, i))
                guard let p = sqlite3_column_blob(s, i),
                      let text = try? PackedText.text(Data(bytes: p, count: n).databaseValue, "packed text") else { return nil }
                var utf8 = Array(text.utf8)
                let ok = utf8.withUnsafeMutableBufferPointer { VietnameseFold.fold(utf8: UnsafeBufferPointer($0), into: &folded) }
                if !ok { return nil }
            default:
                return nil
            }
            folded.append(0x20)
        }
        return folded
    }

    /// The candidates of a page after `after`, in the queue's order: their ids and cursor
    /// columns. Every source reads the queue's index in order (no sort) except a list short
    /// enough to sort (`BenchQueryTests`/`SearchPagesTests` check the plans).
    static func candidateSQL(_ queue: QueueSQL, _ q: QueueQuery, after: QueueCursor?, from source: SearchCandidates,
                             words: SearchWords, withText: Bool = false) -> (text: String, args: [DatabaseValueConvertible?]) {
        var sql = queue
        let (_, order) = orderSQL(q.order, done: sql.done, backwards: q.backwards)
        if let after, let k = keyset(q.order, after, done: sql.done, backwards: q.backwards) {
            sql.clauses.append(k.sql)
            sql.args += k.args
        }
        var from = "pakn_case"
        var fromArgs: [DatabaseValueConvertible?] = []
        switch source {
        case let .list(list, _):
            if let json = list.json {
                // Few: take them all and sort them into the queue's order.
                from = "(SELECT value AS listed_id FROM json_each(?)) CROSS JOIN pakn_case ON id = listed_id"
                fromArgs = [json]
            } else {
                // Walk the queue's index in order, asking of each case whether it is listed.
                sql.clauses.append("\(SearchListFunction.name)(?, pakn_case.id)")
                sql.args.append(list.blob)
            }
        case .index:
            sql.clauses.append("+pakn_case.id IN (SELECT rowid FROM case_fts WHERE case_fts MATCH ?)")
            sql.args.append(words.match)
        case .everyCase:
            break
        }
        // With the text the candidates are checked against (`foldedText`).
        let text = """
            SELECT pakn_case.id, pakn_case.done, pakn_case.due_at, pakn_case.received_at\(withText
                ? ", pakn_case.code, pakn_case.title, pakn_case.body, pakn_case.address" : "")
            FROM \(from) WHERE \(sql.whereSQL) ORDER BY \(order)
            """
        return (text, fromArgs + sql.args)
    }

    /// Whether a case holds the words: its own text decides, the index when it cannot.
    static func holds(_ db: Database, _ words: SearchWords, _ id: Int64, memo: SearchMemo? = nil, version: Int = 0,
                      text: () throws -> [UInt8]? = { nil }) throws -> Bool {
        let cached = memo?.text(id, db, version: version)
        if let folded = try cached ?? text() ?? (cached == nil ? searchableText(db, id) : nil) {
            if cached == nil { memo?.remember(text: folded, of: id, db, version: version) }
            if let verdict = words.matches(folded: folded) { return verdict }
        }
        let probe = try db.cachedStatement(sql: "SELECT 1 FROM case_fts WHERE case_fts MATCH ? AND rowid = ?")
        return try Int.fetchOne(probe, arguments: [words.match, id]) != nil
    }

    /// A case's code, title, body and address folded (`SearchWords.folded`), or nil when a
    /// column holds something else than text (only the index can decide then).
    static func searchableText(_ db: Database, _ id: Int64) throws -> [UInt8]? {
        let stmt = try db.cachedStatement(sql: "SELECT code, title, body, address FROM pakn_case WHERE id = ?")
        guard let r = try Row.fetchOne(stmt, arguments: [id]) else { return nil }
        var columns: [String] = []
        for i in 0..<4 {
            switch (r[i] as DatabaseValue).storage {
            case let .string(s): columns.append(s)
            case .null: columns.append("")
            case .blob:
                // Packed text (`PackedText`); one that cannot be read is the index's to decide.
                guard let s = try? PackedText.text(r[i] as DatabaseValue, "case \(id) text") else { return nil }
                columns.append(s)
            default: return nil
            }
        }
        return SearchWords.folded(columns)
    }

    /// The queue rows of `ids` (at most a page), in the query's display order.
    static func rows(_ db: Database, _ q: QueueQuery, ids: [Int64], now: Date, ref: ReferenceData) throws -> [QueueRow] {
        guard !ids.isEmpty else { return [] }
        let done = try QueueSQL(db, filter: q.filter, now: now, ref: ref).done
        let text = """
            SELECT \(QueuePageRows.columns)
            FROM pakn_case c
            LEFT JOIN unit u ON u.id = c.unit_id
            LEFT JOIN unit w ON w.id = c.ward_id
            LEFT JOIN official o ON o.id = c.assignee_id
            WHERE c.id IN (SELECT value FROM json_each(?))
            ORDER BY \(orderSQL(q.order, done: done, backwards: q.backwards, table: "c.").order)
            """
        let json = "[" + ids.map(String.init).joined(separator: ",") + "]"
        var rows = try QueuePageRows.fetch(db.cachedStatement(sql: text), arguments: [json], order: q.order,
                                           today: Day(now), ref: ref)
        if q.backwards { rows.reverse() }
        return rows
    }
}
