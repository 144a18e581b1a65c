import Foundation
import GRDB
import PaknCore

/// "Most urgent first", strictly: the cases whose clock runs (overdue longest first, then
/// least time left), then the cases whose clock stands still (awaiting the citizen's
/// information: their due day moves when they resume, so it says nothing of urgency), then
/// finished cases. Each tier is read from an index in due order (`Schema.caseIndexes`), one
/// after the other, so a page is still a keyset range or two, never a sort.
///
/// A row's cursor carries its tier (`QueueCursor.urgencyKey`); within a tier the pages are
/// those of the single-tier queries, whose cursors say only open or done.
enum UrgencyTiers {
    static let running = 0, paused = 1, done = 2
    static let span = QueueCursor.urgencyTierSpan

    /// The tiers a filter's cases can lie in, in order.
    static func tiers(_ f: QueueFilter) -> [Int] {
        var (r, p, d) = (true, true, true)
        if let st = f.statuses, !st.isEmpty {
            r = st.contains { $0.isOpen && $0 != .awaitingInfo }
            p = st.contains(.awaitingInfo)
            d = st.contains { !$0.isOpen }
        }
        if f.openOnly || f.overdue || f.dueBefore != nil || f.dueWithinDays != nil || f.clockRunning || f.pausedOnly { d = false }
        if f.clockRunning || f.overdue { p = false }
        if f.pausedOnly { r = false }
        if f.doneOnly { r = false; p = false }
        return [(running, r), (paused, p), (done, d)].filter(\.1).map(\.0)
    }

    /// The filter narrowed to one tier.
    static func narrowed(_ f: QueueFilter, to tier: Int) -> QueueFilter {
        var f = f
        switch tier {
        case running:
            f.clockRunning = true
            if let st = f.statuses { f.statuses = st.filter { $0.isOpen && $0 != .awaitingInfo } }
        case paused:
            // A scope with its own status index reads it; an assignee's queue has none.
            if f.assigneeId != nil { f.pausedOnly = true; f.statuses = nil } else { f.statuses = [.awaitingInfo] }
        default:
            if let st = f.statuses { f.statuses = st.filter { !$0.isOpen } } else { f.doneOnly = true }
        }
        return f
    }

    static func tier(of key: Double) -> Int { max(0, min(done, Int((key / span).rounded(.down)))) }

    /// A tiered cursor as the single-tier queries know it: open or done, then due time.
    static func innerCursor(_ c: QueueCursor) -> QueueCursor {
        let t = tier(of: c.key)
        let due = c.key - Double(t) * span
        return QueueCursor(key: (t == done ? span : 0) + due, id: c.id)
    }

    /// A row of a single-tier query with its tiered cursor.
    static func outer(_ row: QueueRow) -> QueueRow {
        var r = row
        let due = r.cursor.key >= span ? r.cursor.key - span : r.cursor.key
        r.cursor.key = QueueCursor.urgencyKey(status: r.status, dueAt: Int64(due))
        return r
    }

    /// A page of `q` in urgency order, read tier by tier through `inner` (which answers a
    /// single-tier query, or nil to give up); other orders go straight to `inner`.
    static func paged(_ q: QueueQuery, _ inner: (QueueQuery) throws -> [QueueRow]?) throws -> [QueueRow]? {
        guard q.order == .urgency else { return try inner(q) }
        let all = tiers(q.filter)
        guard !all.isEmpty else { return try inner(q).map { $0.map(outer) } }
        let from = q.after.map { tier(of: $0.key) }
        var out: [QueueRow] = []
        for t in (q.backwards ? all.reversed() : all) {
            if let from, q.backwards ? t > from : t < from { continue }
            var sub = q
            if all.count > 1 { sub.filter = narrowed(q.filter, to: t) }
            sub.after = from == t ? q.after.map(innerCursor) : nil
            sub.limit = q.limit - out.count
            guard let rows = try inner(sub) else { return nil }
            let tiered = rows.map(outer)
            out = q.backwards ? tiered + out : out + tiered
            if out.count >= q.limit { break }
        }
        return out
    }
}

extension CaseQueries {

    /// How many cases of the filter come before `cursor` in `order` (the position of a
    /// queue's window in the whole list). A count over the same index ranges as the pages.
    static func countBefore(_ db: Database, _ f: QueueFilter, order: QueueOrder, cursor: QueueCursor,
                            now: Date, ref: ReferenceData, cap: Int? = nil) throws -> CappedCount {
        guard order == .urgency else {
            return try count(db, f, now: now, ref: ref, before: cursor, order: order, cap: cap)
        }
        let all = UrgencyTiers.tiers(f)
        let from = UrgencyTiers.tier(of: cursor.key)
        var n = 0
        for t in all where t <= from {
            let sub = all.count > 1 ? UrgencyTiers.narrowed(f, to: t) : f
            let c = try count(db, sub, now: now, ref: ref, before: t == from ? UrgencyTiers.innerCursor(cursor) : nil,
                              order: order, cap: cap.map { max(0, $0 - n) })
            n += c.count
            if c.capped { return CappedCount(count: n, capped: true) }
        }
        return CappedCount(count: n, capped: false)
    }

    /// The cases of a filter, or those before `before` in `order` (a single-tier cursor),
    /// counted up to `cap` (nil: all).
    static func count(_ db: Database, _ f: QueueFilter, now: Date, ref: ReferenceData, before: QueueCursor?,
                      order: QueueOrder, cap: Int? = nil) throws -> CappedCount {
        var sql = try QueueSQL(db, filter: f, now: now, ref: ref)
        var source = "pakn_case"
        let text = f.text.flatMap { SearchIndex.match($0) }
        if let before, let k = keyset(order, before, done: sql.done, backwards: true) {
            sql.clauses.append(k.sql)
            sql.args += k.args
        }
        if let match = text {
            if cap != nil {
                // Matches walked one by one, so the count can stop at the cap.
                source = "case_fts CROSS JOIN pakn_case ON pakn_case.id = case_fts.rowid"
                sql.clauses.append("case_fts MATCH ?")
            } else {
                sql.clauses.append("id IN (SELECT rowid FROM case_fts WHERE case_fts MATCH ?)")
            }
            sql.args.append(match)
        }
        let limit = cap.map { " LIMIT \($0 + 1)" } ?? ""
        let n = try Int.fetchOne(db.cachedStatement(sql: "SELECT count(*) FROM (SELECT 1 FROM \(source) WHERE \(sql.whereSQL)\(limit))"),
                                 arguments: StatementArguments(sql.args)) ?? 0
        if let cap, n > cap { return CappedCount(count: cap, capped: true) }
        return CappedCount(count: n, capped: false)
    }
}

extension AppDatabase {
    /// How many cases of a queue come before `cursor` in its order.
    func count(_ f: QueueFilter, order: QueueOrder, before cursor: QueueCursor, now: Date,
                      ref: ReferenceData? = nil) throws -> Int {
        let ref = try ref ?? reference()
        return try read { try CaseQueries.countBefore($0, f, order: order, cursor: cursor, now: now, ref: ref).count }
    }

    /// The queue header's counts: the length of a queue and, given a cursor, how many come
    /// before it, each read up to a cap (`HeaderCountCap`; a text search's lower).
    func headerCount(_ f: QueueFilter, order: QueueOrder, before cursor: QueueCursor?, now: Date,
                            ref: ReferenceData? = nil) throws -> (total: CappedCount, before: CappedCount?) {
        let ref = try ref ?? reference()
        let cap = HeaderCountCap.cap(for: f)
        return try read { db in
            let total = try CaseQueries.count(db, f, now: now, ref: ref, before: nil, order: order, cap: cap)
            let before = try cursor.map { try CaseQueries.countBefore(db, f, order: order, cursor: $0, now: now, ref: ref, cap: cap) }
            return (total, before)
        }
    }
}
