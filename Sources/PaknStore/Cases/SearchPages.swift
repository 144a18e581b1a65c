import Foundation
import GRDB
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
/// 2 and 3 stop after `budget` cases looked at without filling the page (the words are
/// rarer than they looked): 2 then reads the new words' ids from the index, 3 goes back to
/// the general path (`CaseQueries.pageSQL`). Every path gives the same page as the general
/// path (`SearchPagesTests`).
extension CaseQueries {
    enum SearchSource: Equatable {
        /// Exactly the matching ids.
        case exact
        /// A superset of them (a wider search's): each candidate is checked.
        case narrowing
        /// No list: every case of the queue is a candidate, each checked.
        case everyCase
    }

    /// The most ids kept for a search on `cases` cases: reading a list costs about as much
    /// per id as checking one case's text costs per thirty, and a page among m matches of
    /// n cases checks ~100·n/m cases, so a list pays while m² < 3,000·n.
    static func listCap(cases: Int64) -> Int {
        max(selectiveMatches, Int((3_000 * Double(cases)).squareRoot()))
    }

    /// A page of a search through `memo`, or nil when the general path must answer (words
    /// beyond ASCII, or a walk among every case past its budget). `cap` and `budget` (tests)
    /// override the list cap and how many cases a walk checks.
    static func searchPage(_ db: Database, _ q: QueueQuery, words: SearchWords, now: Date, ref: ReferenceData,
                           memo: SearchMemo, cap: Int? = nil, budget: Int? = nil) throws -> [QueueRow]? {
        guard words.isPlain else { return nil }
        let version = try SearchMemo.dataVersion(db)
        let budget = budget ?? max(400, 4 * q.limit)
        var list: [Int64]?
        var source = SearchSource.everyCase
        if let hit = memo.find(words, db, version: version) {
            list = hit.ids
            source = hit.exact ? .exact : .narrowing
        } else if let ids = try matchingIds(db, words, cap: cap ?? listCap(cases: maxId(db))) {
            memo.remember(words, ids: ids, db, version: version)
            list = ids
            source = .exact
        }
        if let found = try candidates(db, q, words: words, now: now, ref: ref, list: list, source: source, budget: budget) {
            return try rows(db, q, ids: found, now: now, ref: ref)
        }
        guard source == .narrowing else { return nil }
        // Rarer than the wider search suggested: this search's own list (no longer than
        // the wider one, since it narrows it).
        let ids = try matchingIds(db, words, cap: nil) ?? []
        memo.remember(words, ids: ids, db, version: version)
        let found = try candidates(db, q, words: words, now: now, ref: ref, list: ids, source: .exact, budget: budget) ?? []
        return try rows(db, q, ids: found, now: now, ref: ref)
    }

    static func maxId(_ db: Database) throws -> Int64 {
        try Int64.fetchOne(db.cachedStatement(sql: "SELECT max(id) FROM pakn_case")) ?? 0
    }

    /// Every matching id, ascending; nil when there are more than `cap`, or when the first
    /// few thousand already reach so short a way into the ids that many more are to come
    /// (matches arrive spread over the ids as cases do).
    static func matchingIds(_ db: Database, _ words: SearchWords, cap: Int?) throws -> [Int64]? {
        let probe = selectiveMatches + 1
        let last = try cap == nil ? 0 : maxId(db)
        var ids: [Int64] = []
        let cursor = try Int64.fetchCursor(db.cachedStatement(sql: "SELECT rowid FROM case_fts WHERE case_fts MATCH ?"),
                                           arguments: [words.match])
        while let id = try cursor.next() {
            ids.append(id)
            guard let cap else { continue }
            if ids.count > cap { return nil }
            if ids.count == probe, Double(probe) * Double(last) / Double(max(id, 1)) > Double(cap) { return nil }
        }
        return ids
    }

    /// The ids of the page, in the query's order: candidates from `source` in the queue's
    /// order, checked unless `exact`. Nil when `budget` candidates were checked without
    /// filling the page.
    static func candidates(_ db: Database, _ q: QueueQuery, words: SearchWords, now: Date, ref: ReferenceData,
                           list: [Int64]?, source: SearchSource, budget: Int) throws -> [Int64]? {
        var sql = try QueueSQL(db, filter: q.filter, now: now, ref: ref)
        let (_, order) = orderSQL(q.order, done: sql.done, backwards: q.backwards)
        if let after = q.after, let k = keyset(q.order, after, done: sql.done, backwards: q.backwards) {
            sql.clauses.append(k.sql)
            sql.args += k.args
        }
        var from = "pakn_case"
        var fromArgs: [DatabaseValueConvertible?] = []
        if let list {
            let json = "[" + list.map(String.init).joined(separator: ",") + "]"
            if list.count <= selectiveMatches {
                // Few: take them all and sort them into the queue's order.
                from = "(SELECT value AS listed_id FROM json_each(?)) CROSS JOIN pakn_case ON id = listed_id"
                fromArgs = [json]
            } else {
                // Walk the queue's index in order, probing the list (`+`: not the rowid).
                sql.clauses.append("+pakn_case.id IN (SELECT value FROM json_each(?))")
                sql.args.append(json)
            }
        }
        let stmt = try db.cachedStatement(sql: "SELECT pakn_case.id FROM \(from) WHERE \(sql.whereSQL) ORDER BY \(order)")
        let cursor = try Int64.fetchCursor(stmt, arguments: StatementArguments(fromArgs + sql.args))
        var found: [Int64] = []
        var checked = 0
        while found.count < q.limit, let id = try cursor.next() {
            if source == .exact {
                found.append(id)
                continue
            }
            if checked == budget { return nil }
            checked += 1
            if try holds(db, words, id) { found.append(id) }
        }
        return found
    }

    /// Whether a case holds the words: its own text decides, the index when it cannot.
    static func holds(_ db: Database, _ words: SearchWords, _ id: Int64) throws -> Bool {
        let text = try db.cachedStatement(sql: "SELECT code, title, body, address FROM pakn_case WHERE id = ?")
        if let r = try Row.fetchOne(text, arguments: [id]) {
            // Stored text (plain or packed); a value that cannot be read is the index's to decide.
            let columns = [r[0], r[1], r[2], r[3]].map { (v: DatabaseValue) -> String? in
                switch v.storage {
                case let .string(s): s
                case .null: ""
                case .blob: try? PackedText.text(v, "case \(id) text")
                default: nil
                }
            }
            if columns.allSatisfy({ $0 != nil }), let verdict = words.matches(columns.map { $0! }) { return verdict }
        }
        let probe = try db.cachedStatement(sql: "SELECT 1 FROM case_fts WHERE case_fts MATCH ? AND rowid = ?")
        return try Int.fetchOne(probe, arguments: [words.match, id]) != nil
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
