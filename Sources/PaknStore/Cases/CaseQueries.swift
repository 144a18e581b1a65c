import Foundation
import GRDB
import PaknCore

/// Builds the SQL for a queue filter. Every value is a bound parameter.
///
/// Each scope a desk opens at reads one column (`province_id`, `commune_id`, `unit_id`,
/// `assignee_id`), so every view's page is a keyset range of one index in the view's
/// order (Schema.caseIndexes, docs/performance.md).
struct QueueSQL {
    var clauses: [String] = []
    var args: [DatabaseValueConvertible?] = []
    /// The `done` value every matching case has, when the filter fixes it (a status view,
    /// open cases only): then the urgency order is `(due_at, id)` within it.
    var done: Bool?
    /// No case can match (e.g. open-only and a finished status).
    var impossible = false

    static let overdueClause = "status <> 'awaiting_info' AND due_at < ?"

    init(_ db: Database, filter f: QueueFilter, now: Date, ref: ReferenceData) throws {
        var statusFixesDone = false
        if let s = f.statuses, !s.isEmpty {
            // Literals, not parameters (the enum's raw values, never typed text): SQLite
            // decides whether a partial status index can serve a query when it prepares it,
            // before parameters are bound (Schema.caseIndexes).
            let literals = s.map { "'\($0.rawValue)'" }
            clauses.append(s.count == 1 ? "status = \(literals[0])" : "status IN (\(literals.joined(separator: ",")))")
            let dones = Set(s.map { !$0.isOpen })
            if dones.count == 1 {
                done = dones.first
                // One status with its own index (scope, status, due_at); otherwise the
                // urgency index (scope, done, due_at), filtered by status.
                statusFixesDone = s.count == 1 && Schema.indexedStatuses.contains(s[0])
            }
        }
        var openOnly = f.openOnly
        if let k = f.kind { clauses.append("kind = ?"); args.append(k.rawValue) }
        if let c = f.category { clauses.append("category = ?"); args.append(c) }
        if let c = f.channel { clauses.append("channel = ?"); args.append(c) }
        if let u = f.handledBy { clauses.append("coalesce(unit_id, ward_id, 0) = ?"); args.append(u) }
        // A statistics figure's cases (`StatsScreen`): ranges of the (scope, received_at)
        // and (scope, resolved_at) indexes (`Schema.statListIndexes`).
        if let a = f.receivedFrom { clauses.append("received_at >= ?"); args.append(CaseRow.secs(a)) }
        if let b = f.receivedBefore { clauses.append("received_at < ?"); args.append(CaseRow.secs(b)) }
        if let a = f.resolvedFrom { clauses.append("resolved_at >= ?"); args.append(CaseRow.secs(a)) }
        if let b = f.resolvedBefore { clauses.append("resolved_at < ?"); args.append(CaseRow.secs(b)) }
        if let ok = f.resolvedOnTime {
            clauses.append(ok ? "resolved_at IS NOT NULL AND resolved_at <= due_at" : "resolved_at > due_at")
        }
        if f.ratedFrom != nil || f.ratedBefore != nil {
            // The rating events of the period, from their own partial index (`event_rated`).
            clauses.append("pakn_case.id IN (SELECT case_id FROM event WHERE action = 'rate' AND at >= ? AND at < ?)")
            args.append(f.ratedFrom.map(CaseRow.secs) ?? Int64.min)
            args.append(f.ratedBefore.map(CaseRow.secs) ?? Int64.max)
        }
        if let u = f.unitSubtree { try unitScope(u, db) }
        if let w = f.wardSubtree { try wardScope(w, db) }
        if let sent = f.sentFromSubtree {
            let c = try SentUp.clause(db, subtree: sent)
            clauses.append(c.sql)
            args += c.args
        }
        if let id = f.caseId { clauses.append("pakn_case.id = ?"); args.append(id) }
        if let a = f.assigneeId { clauses.append("assignee_id = ?"); args.append(a) }
        if f.unassigned { clauses.append("assignee_id IS NULL") }
        if f.overdue { openOnly = true; clauses.append(Self.overdueClause); args.append(CaseRow.secs(now)) }
        var before = f.dueBefore
        if let n = f.dueWithinDays {
            let bound = ref.calendar.add(n, to: Day(now), counting: .working).end
            before = min(before ?? bound, bound)
        }
        if let b = before { openOnly = true; clauses.append("due_at <= ?"); args.append(CaseRow.secs(b)) }
        if let a = f.dueAfter { clauses.append("due_at >= ?"); args.append(CaseRow.secs(a)) }
        if f.clockRunning { openOnly = true; clauses.append("status <> 'awaiting_info'") }
        // `+`: the scope's urgency index, not the status index of every scope (an
        // assignee's paused cases are a few among their open ones).
        if f.pausedOnly { openOnly = true; clauses.append("+status = 'awaiting_info'") }
        if f.doneOnly {
            if openOnly || done == false { impossible = true }
            done = true
        }
        if openOnly {
            if done == true { impossible = true }
            done = false
        }
        // A status already fixes `done`; saying it again could lead the planner to the
        // (scope, done, due_at) index instead of the narrower (scope, status, due_at).
        if let d = done, !statusFixesDone { clauses.append("done = ?"); args.append(d) }
        if impossible { clauses.append("0") }
    }

    /// A province's subtree is `province_id`, a commune's `commune_id`, a unit without
    /// children `unit_id`; anything else (none in the shipped tree) a list of ids.
    private mutating func unitScope(_ unitId: Int64, _ db: Database) throws {
        guard let u = try UnitQueries.unit(db, id: unitId) else { clauses.append("0"); return }
        switch u.level {
        case .centre: return
        case .province: clauses.append("province_id = ?"); args.append(unitId)
        case .commune: clauses.append("commune_id = ?"); args.append(unitId)
        case .village, .department:
            if try UnitQueries.hasChildren(db, unitId) {
                let ids = try UnitQueries.subtreeIds(db, of: unitId)
                clauses.append("unit_id IN (\(ids.map(String.init).joined(separator: ",")))")
            } else {
                clauses.append("unit_id = ?"); args.append(unitId)
            }
        }
    }

    /// Cases' wards are communes: one commune is `ward_id = ?`.
    private mutating func wardScope(_ unitId: Int64, _ db: Database) throws {
        guard let u = try UnitQueries.unit(db, id: unitId) else { clauses.append("0"); return }
        switch u.level {
        case .centre: return
        case .commune: clauses.append("ward_id = ?"); args.append(unitId)
        default:
            let ids = try UnitQueries.subtreeIds(db, of: unitId)
            clauses.append("ward_id IN (\(ids.map(String.init).joined(separator: ",")))")
        }
    }

    var whereSQL: String { clauses.isEmpty ? "1" : clauses.joined(separator: " AND ") }
}

enum CaseQueries {
    /// At most this many text matches are sorted into the queue's order; beyond it the
    /// query is not selective and the queue's own index is walked in order until a page is
    /// full (`SearchIndex.density`).
    static let selectiveMatches = 3000

    /// The keyset condition and ORDER BY of an order. With `done` fixed by the filter the
    /// urgency order is `(due_at, id)`, which the (scope, status, due_at) indexes give.
    static func orderSQL(_ order: QueueOrder, done: Bool?, backwards: Bool, table t: String = "") -> (keyset: String, order: String) {
        let (cmp, dir) = backwards ? ("<", "DESC") : (">", "ASC")
        let (rcmp, rdir) = backwards ? (">", "ASC") : ("<", "DESC")
        switch order {
        case .urgency:
            if done != nil { return ("(due_at, id) \(cmp) (?, ?)", "\(t)due_at \(dir), \(t)id \(dir)") }
            return ("(done, due_at, id) \(cmp) (?, ?, ?)", "\(t)done \(dir), \(t)due_at \(dir), \(t)id \(dir)")
        case .oldest: return ("(received_at, id) \(cmp) (?, ?)", "\(t)received_at \(dir), \(t)id \(dir)")
        case .newest: return ("(received_at, id) \(rcmp) (?, ?)", "\(t)received_at \(rdir), \(t)id \(rdir)")
        case .code: return ("id \(cmp) ?", "\(t)id \(dir)")
        }
    }

    /// The sort key of a row in an order, packed into one number for the cursor.
    static func cursorKey(_ order: QueueOrder, done: Bool, dueAt: Int64, receivedAt: Int64) -> Double {
        switch order {
        case .urgency: return (done ? 1e10 : 0) + Double(dueAt)
        case .oldest, .newest: return Double(receivedAt)
        case .code: return 0
        }
    }

    /// The keyset condition for a cursor, or nil when every row qualifies; "0" when none does.
    static func keyset(_ order: QueueOrder, _ c: QueueCursor, done fixed: Bool?, backwards: Bool)
        -> (sql: String, args: [DatabaseValueConvertible?])? {
        let (keyset, _) = orderSQL(order, done: fixed, backwards: backwards)
        switch order {
        case .urgency:
            let done = c.key >= 1e10
            let due = Int64(done ? c.key - 1e10 : c.key)
            if let fixed {
                if fixed == done { return (keyset, [due, c.id]) }
                // The cursor lies before (or after) every row of this queue.
                let cursorFirst = !done && fixed
                return cursorFirst != backwards ? nil : ("0", [])
            }
            return (keyset, [done, due, c.id])
        case .oldest, .newest: return (keyset, [Int64(c.key), c.id])
        case .code: return (keyset, [c.id])
        }
    }

    /// The SQL of a queue page and its arguments. `selective`: the most text matches that
    /// are sorted into the queue's order (see `selectiveMatches`).
    static func pageSQL(_ db: Database, _ q: QueueQuery, now: Date, ref: ReferenceData,
                        selective: Int = selectiveMatches, listLimit: Int? = nil) throws -> (sql: String, args: [DatabaseValueConvertible?], done: Bool?) {
        var sql = try QueueSQL(db, filter: q.filter, now: now, ref: ref)
        let (_, order) = orderSQL(q.order, done: sql.done, backwards: q.backwards)
        if let after = q.after, let k = keyset(q.order, after, done: sql.done, backwards: q.backwards) {
            sql.clauses.append(k.sql)
            sql.args += k.args
        }
        var source = "pakn_case"
        var sourceArgs: [DatabaseValueConvertible?] = []
        if let t = q.filter.text, let match = SearchIndex.match(t) {
            switch try SearchIndex.density(db, match, selective: selective, listLimit: listLimit) {
            case .selective:
                // Few matches: take them all and sort them into the queue's order.
                source = "(SELECT rowid AS fts_id FROM case_fts WHERE case_fts MATCH ?) CROSS JOIN pakn_case ON id = fts_id"
                sourceArgs = [match]
            case .sparse:
                // Too many to sort, too few to meet often: read the matching ids once into a
                // list, then walk the queue's index in order, probing the list (the `+`
                // keeps the planner on the queue's index), until the page is full.
                sql.clauses.append("+pakn_case.id IN (SELECT rowid FROM case_fts WHERE case_fts MATCH ?)")
                sql.args.append(match)
            case .dense:
                // Most cases match: walk the queue's index, asking the search index about
                // each case; a page fills after a few hundred.
                sql.clauses.append("EXISTS (SELECT 1 FROM case_fts WHERE case_fts MATCH ? AND rowid = pakn_case.id)")
                sql.args.append(match)
            }
        }
        let text = """
            SELECT \(QueuePageRows.columns)
            FROM (SELECT pakn_case.id FROM \(source) WHERE \(sql.whereSQL) ORDER BY \(order) LIMIT ?) AS page
            JOIN pakn_case c ON c.id = page.id
            LEFT JOIN unit u ON u.id = c.unit_id
            LEFT JOIN unit w ON w.id = c.ward_id
            LEFT JOIN official o ON o.id = c.assignee_id
            ORDER BY \(orderSQL(q.order, done: sql.done, backwards: q.backwards, table: "c.").order)
            """
        return (text, sourceArgs + sql.args + [q.limit], sql.done)
    }

    /// One page of a queue. With `memo`, a text search goes through `searchPage` (the ids
    /// of earlier keystrokes' matches) when it can; without, or when it cannot, through the
    /// general path below (`selective`, `listLimit`: see `SearchIndex.density`). The
    /// urgency order is read tier by tier (`UrgencyTiers`).
    static func page(_ db: Database, _ q: QueueQuery, now: Date, ref: ReferenceData,
                     selective: Int = selectiveMatches, listLimit: Int? = nil, memo: SearchMemo? = nil) throws -> [QueueRow] {
        if let memo, let t = q.filter.text, let words = SearchWords(t),
           let rows = try searchPage(db, q, words: words, now: now, ref: ref, memo: memo) {
            return rows
        }
        return try UrgencyTiers.paged(q) { sub in
            try pageInTier(db, sub, now: now, ref: ref, selective: selective, listLimit: listLimit)
        }!
    }

    /// One page within one urgency tier (or of another order): the general path.
    static func pageInTier(_ db: Database, _ q: QueueQuery, now: Date, ref: ReferenceData,
                           selective: Int = selectiveMatches, listLimit: Int? = nil) throws -> [QueueRow] {
        let (text, args, _) = try pageSQL(db, q, now: now, ref: ref, selective: selective, listLimit: listLimit)
        var rows = try QueuePageRows.fetch(db.cachedStatement(sql: text), arguments: StatementArguments(args), order: q.order,
                                           today: Day(now), ref: ref)
        if q.backwards { rows.reverse() }
        return rows
    }

    static func count(_ db: Database, _ f: QueueFilter, now: Date, ref: ReferenceData) throws -> Int {
        var sql = try QueueSQL(db, filter: f, now: now, ref: ref)
        if let t = f.text, let match = SearchIndex.match(t) {
            sql.clauses.append("id IN (SELECT rowid FROM case_fts WHERE case_fts MATCH ?)")
            sql.args.append(match)
        }
        return try Int.fetchOne(db, sql: "SELECT count(*) FROM pakn_case WHERE \(sql.whereSQL)",
                                arguments: StatementArguments(sql.args)) ?? 0
    }

    /// The `case_count` scopes that together hold exactly a unit subtree's cases.
    static func countScopes(_ db: Database, unitSubtree: Int64?) throws -> [Int64] {
        guard let id = unitSubtree else { return [0] }
        guard let u = try UnitQueries.unit(db, id: id) else { return [] }
        switch u.level {
        case .centre: return [0]
        case .province, .commune: return [id]
        case .village, .department:
            if try !UnitQueries.hasChildren(db, id) { return [-id] }
            return try UnitQueries.subtreeIds(db, of: id).map { -$0 }
        }
    }

    /// Open, due soon and overdue, from the maintained counters: a few hundred rows
    /// whatever the number of cases.
    static func counts(_ db: Database, unitSubtree: Int64?, now: Date, dueSoonBound: Date) throws -> QueueCounts {
        let scopes = try countScopes(db, unitSubtree: unitSubtree)
        guard !scopes.isEmpty else { return QueueCounts(open: 0, dueSoon: 0, overdue: 0) }
        let n = CaseRow.secs(now), bound = CaseRow.secs(dueSoonBound)
        let sql = """
            SELECT total(n), total(CASE WHEN paused = 0 AND due_at >= ? AND due_at <= ? THEN n END),
                   total(CASE WHEN paused = 0 AND due_at < ? THEN n END)
            FROM case_count WHERE scope IN (\(scopes.map(String.init).joined(separator: ",")))
            """
        let r = try Row.fetchOne(db, sql: sql, arguments: [n, bound, n])!
        return QueueCounts(open: Int(r[0] as Double), dueSoon: Int(r[1] as Double), overdue: Int(r[2] as Double))
    }

    /// Overdue cases per responsible unit in a subtree, from the counters.
    static func overdueByUnit(_ db: Database, unitSubtree: Int64?, now: Date) throws -> [(unit: OrgUnit, count: Int)] {
        var unitFilter = ""
        var args: [DatabaseValueConvertible?] = []
        if let id = unitSubtree, let u = try UnitQueries.unit(db, id: id) {
            switch u.level {
            case .centre: break
            case .province: unitFilter = "AND scope IN (SELECT -id FROM unit WHERE province_id = ?)"; args.append(id)
            default:
                let ids = try UnitQueries.subtreeIds(db, of: id)
                unitFilter = "AND scope IN (\(ids.map { String(-$0) }.joined(separator: ",")))"
            }
        } else if unitSubtree != nil {
            return []
        }
        args.append(CaseRow.secs(now))
        let rows = try Row.fetchAll(db, sql: """
            SELECT -scope AS unit_id, sum(n) AS n FROM case_count
            WHERE scope < 0 \(unitFilter) AND paused = 0 AND due_at < ?
            GROUP BY scope HAVING sum(n) > 0 ORDER BY n DESC, unit_id
            """, arguments: StatementArguments(args))
        return try rows.compactMap { r in
            guard let u = try UnitQueries.unit(db, id: r["unit_id"]) else { return nil }
            return (u, r["n"])
        }
    }
}

extension AppDatabase {
    /// One page of a queue, in display order.
    func queue(_ q: QueueQuery, now: Date, ref: ReferenceData? = nil) throws -> [QueueRow] {
        let ref = try ref ?? reference()
        return try read { try CaseQueries.page($0, q, now: now, ref: ref, memo: searchMemo) }
    }

    func count(_ f: QueueFilter, now: Date, ref: ReferenceData? = nil) throws -> Int {
        let ref = try ref ?? reference()
        return try read { try CaseQueries.count($0, f, now: now, ref: ref) }
    }

    /// Open, due soon and overdue counts within a unit's subtree, for the title bar.
    func counts(unitSubtree: Int64?, now: Date, ref: ReferenceData? = nil) throws -> QueueCounts {
        let ref = try ref ?? reference()
        let bound = ref.calendar.add(ref.policy.dueSoonDays, to: Day(now), counting: .working).end
        return try read { db in try CaseQueries.counts(db, unitSubtree: unitSubtree, now: now, dueSoonBound: bound) }
    }

    /// Overdue counts per responsible unit in a subtree: the supervisor's review.
    func overdueByUnit(unitSubtree: Int64?, now: Date) throws -> [(unit: OrgUnit, count: Int)] {
        try read { db in try CaseQueries.overdueByUnit(db, unitSubtree: unitSubtree, now: now) }
    }

    package func resolveCase(_ ref: String) throws -> Case { try read { try CaseRow.resolve($0, ref) } }

    /// A case's history, for an official whose units the case lies in.
    func history(caseRef: String, viewer: Official) throws -> [HistoryEntry] {
        try history(caseRef: caseRef, viewer: viewer, at: Date())
    }

    /// The same; a refusal (outside the viewer's units) is recorded at `now`.
    func history(caseRef: String, viewer: Official, at now: Date) throws -> [HistoryEntry] {
        try recordingRefusal(caseRef: caseRef, actor: viewer, at: now) { try read { db in
            let c = try CaseRow.resolve(db, caseRef)
            guard try Guard.mayRead(db, viewer, c) else { throw StoreError.outOfScope(login: viewer.login, code: caseRef) }
            return try CaseQueries.history(db, caseId: c.id)
        } }
    }
}

extension CaseQueries {
    static func history(_ db: Database, caseId: Int64) throws -> [HistoryEntry] {
        var names: [Int64: String] = [:]
        var units: [Int64: String] = [:]
        func unit(_ id: Int64) throws -> String {
            if let u = units[id] { return u }
            let label = try UnitQueries.unit(db, id: id)?.label ?? "#\(id)"
            units[id] = label
            return label
        }
        return try EventLog.history(db, caseId: caseId).map { e in
            if names[e.actorId] == nil { names[e.actorId] = try OfficialStore.byId(db, e.actorId)?.fullName ?? "#\(e.actorId)" }
            var h = HistoryEntry(event: e, actorName: names[e.actorId]!)
            // Whom and where the event named, by name (the event records ids).
            if let id = e.changes["assignee_id"]?.after.flatMap({ Int64($0) }) {
                if let o = try OfficialStore.byId(db, id) {
                    h.assignedTo = o.fullName + " (" + (try unit(o.unitId)) + ")"
                } else {
                    h.assignedTo = "#\(id)"
                }
            }
            if let id = e.changes["unit_id"]?.after.flatMap({ Int64($0) }) { h.sentTo = try unit(id) }
            if let id = e.changes["master_id"]?.after.flatMap({ Int64($0) }) {
                h.mergedInto = try CaseRow.fetch(db, id: id, reply: false)?.code ?? "#\(id)"
            }
            return h
        }
    }
}
