import Foundation
import GRDB
import PaknCore

/// Builds the SQL for a queue filter. Every value is a bound parameter.
struct QueueSQL {
    var clauses: [String] = []
    var args: [DatabaseValueConvertible?] = []

    static let overdueClause = "done = 0 AND status <> 'awaiting_info' AND due_at < ?"

    init(_ db: Database, filter f: QueueFilter, now: Date, ref: ReferenceData) throws {
        if let s = f.statuses, !s.isEmpty {
            clauses.append("status IN (\(s.map { _ in "?" }.joined(separator: ",")))")
            args += s.map(\.rawValue)
        }
        if f.openOnly { clauses.append("done = 0") }
        if let k = f.kind { clauses.append("kind = ?"); args.append(k.rawValue) }
        if let c = f.category { clauses.append("category = ?"); args.append(c) }
        if let u = f.unitSubtree { try subtree("unit_id", u, db) }
        if let w = f.wardSubtree { try subtree("ward_id", w, db) }
        if let a = f.assigneeId { clauses.append("assignee_id = ?"); args.append(a) }
        if f.unassigned { clauses.append("assignee_id IS NULL") }
        if f.overdue { clauses.append(Self.overdueClause); args.append(CaseRow.secs(now)) }
        var before = f.dueBefore
        if let n = f.dueWithinDays {
            let bound = ref.calendar.add(n, to: Day(now), counting: .working).end
            before = min(before ?? bound, bound)
        }
        if let b = before { clauses.append("done = 0 AND due_at <= ?"); args.append(CaseRow.secs(b)) }
        if let a = f.dueAfter { clauses.append("due_at >= ?"); args.append(CaseRow.secs(a)) }
        if let t = f.text, let match = SearchIndex.match(t) {
            clauses.append("id IN (SELECT rowid FROM case_fts WHERE case_fts MATCH ?)")
            args.append(match)
        }
    }

    /// A province's subtree is one indexed column; a smaller unit's is a short id list.
    private mutating func subtree(_ column: String, _ unitId: Int64, _ db: Database) throws {
        if column == "unit_id", let u = try UnitQueries.unit(db, id: unitId), u.level == .province {
            clauses.append("province_id = ?")
            args.append(unitId)
            return
        }
        if let u = try UnitQueries.unit(db, id: unitId), u.level == .centre { return }
        let ids = try UnitQueries.subtreeIds(db, of: unitId)
        clauses.append("\(column) IN (\(ids.map(String.init).joined(separator: ",")))")
    }

    var whereSQL: String { clauses.isEmpty ? "1" : clauses.joined(separator: " AND ") }
}

enum CaseQueries {
    static func orderSQL(_ order: QueueOrder, backwards: Bool, table t: String = "") -> (keyset: String, order: String) {
        let (cmp, dir) = backwards ? ("<", "DESC") : (">", "ASC")
        let (rcmp, rdir) = backwards ? (">", "ASC") : ("<", "DESC")
        switch order {
        case .urgency: return ("(done, due_at, id) \(cmp) (?, ?, ?)", "\(t)done \(dir), \(t)due_at \(dir), \(t)id \(dir)")
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

    static func cursorArgs(_ order: QueueOrder, _ c: QueueCursor) -> [DatabaseValueConvertible?] {
        switch order {
        case .urgency:
            let done = c.key >= 1e10
            return [done, Int64(done ? c.key - 1e10 : c.key), c.id]
        case .oldest, .newest: return [Int64(c.key), c.id]
        case .code: return [c.id]
        }
    }

    static func page(_ db: Database, _ q: QueueQuery, now: Date, ref: ReferenceData) throws -> [QueueRow] {
        var sql = try QueueSQL(db, filter: q.filter, now: now, ref: ref)
        let (keyset, order) = orderSQL(q.order, backwards: q.backwards)
        if let after = q.after {
            sql.clauses.append(keyset)
            sql.args += cursorArgs(q.order, after)
        }
        let text = """
            SELECT c.id, c.code, c.title, c.kind, c.category, c.status, c.done, c.received_at, c.due_at,
                   c.rule_id, c.counting, c.clock_start, c.clock_days, c.extended_days, c.extensions, c.paused_days, c.paused_since,
                   u.name AS unit_name, w.name AS ward_name, o.full_name AS assignee_name
            FROM (SELECT id FROM pakn_case WHERE \(sql.whereSQL) ORDER BY \(order) LIMIT ?) AS page
            JOIN pakn_case c ON c.id = page.id
            LEFT JOIN unit u ON u.id = c.unit_id
            LEFT JOIN unit w ON w.id = c.ward_id
            LEFT JOIN official o ON o.id = c.assignee_id
            ORDER BY \(orderSQL(q.order, backwards: q.backwards, table: "c.").order)
            """
        sql.args.append(q.limit)
        let today = Day(now)
        var rows = try Row.fetchAll(db, sql: text, arguments: StatementArguments(sql.args)).map { r -> QueueRow in
            let deadline = CaseRow.deadline(r)
            let status = CaseStatus(rawValue: r["status"]) ?? .received
            let dueAt: Int64 = r["due_at"], receivedAt: Int64 = r["received_at"]
            return QueueRow(
                id: r["id"], code: r["code"], title: r["title"], kind: CaseKind(rawValue: r["kind"]) ?? .feedback,
                category: r["category"], status: status, unitName: r["unit_name"], wardName: r["ward_name"],
                assigneeName: r["assignee_name"], receivedAt: CaseRow.date(receivedAt), dueAt: CaseRow.date(dueAt),
                deadline: DeadlineStatus.of(deadline, status: status, today: today, calendar: ref.calendar,
                                            dueSoonDays: ref.policy.dueSoonDays),
                cursor: QueueCursor(key: cursorKey(q.order, done: r["done"], dueAt: dueAt, receivedAt: receivedAt), id: r["id"]))
        }
        if q.backwards { rows.reverse() }
        return rows
    }

    static func count(_ db: Database, _ f: QueueFilter, now: Date, ref: ReferenceData) throws -> Int {
        let sql = try QueueSQL(db, filter: f, now: now, ref: ref)
        return try Int.fetchOne(db, sql: "SELECT count(*) FROM pakn_case WHERE \(sql.whereSQL)",
                                arguments: StatementArguments(sql.args)) ?? 0
    }
}

extension AppDatabase {
    /// One page of a queue, in display order.
    public func queue(_ q: QueueQuery, now: Date, ref: ReferenceData? = nil) throws -> [QueueRow] {
        let ref = try ref ?? reference()
        return try read { try CaseQueries.page($0, q, now: now, ref: ref) }
    }

    public func count(_ f: QueueFilter, now: Date, ref: ReferenceData? = nil) throws -> Int {
        let ref = try ref ?? reference()
        return try read { try CaseQueries.count($0, f, now: now, ref: ref) }
    }

    /// Open, due soon and overdue counts within a unit's subtree, for the title bar.
    public func counts(unitSubtree: Int64?, now: Date, ref: ReferenceData? = nil) throws -> QueueCounts {
        let ref = try ref ?? reference()
        let bound = ref.calendar.add(ref.policy.dueSoonDays, to: Day(now), counting: .working).end
        return try read { db in
            let open = try CaseQueries.count(db, QueueFilter(openOnly: true, unitSubtree: unitSubtree), now: now, ref: ref)
            var soon = QueueFilter(openOnly: true, unitSubtree: unitSubtree)
            soon.dueAfter = now
            soon.dueBefore = bound
            let dueSoon = try CaseQueries.count(db, soon, now: now, ref: ref)
            let overdue = try CaseQueries.count(db, QueueFilter(unitSubtree: unitSubtree, overdue: true), now: now, ref: ref)
            return QueueCounts(open: open, dueSoon: dueSoon, overdue: overdue)
        }
    }

    /// Overdue counts per responsible unit in a subtree: the supervisor's review.
    public func overdueByUnit(unitSubtree: Int64?, now: Date) throws -> [(unit: OrgUnit, count: Int)] {
        let ref = try reference()
        return try read { db in
            var sql = try QueueSQL(db, filter: QueueFilter(unitSubtree: unitSubtree, overdue: true), now: now, ref: ref)
            let rows = try Row.fetchAll(db, sql: "SELECT unit_id, count(*) AS n FROM pakn_case WHERE \(sql.whereSQL) GROUP BY unit_id ORDER BY n DESC",
                                        arguments: StatementArguments(sql.args))
            sql.clauses.removeAll()
            return try rows.compactMap { r in
                guard let id: Int64 = r["unit_id"], let u = try UnitQueries.unit(db, id: id) else { return nil }
                return (u, r["n"])
            }
        }
    }

    public func resolveCase(_ ref: String) throws -> Case { try read { try CaseRow.resolve($0, ref) } }

    /// A case's history, for an official whose units the case lies in.
    public func history(caseRef: String, viewer: Official) throws -> [HistoryEntry] {
        try read { db in
            let c = try CaseRow.resolve(db, caseRef)
            guard try Guard.inScope(db, viewer, c) else { throw StoreError.outOfScope(login: viewer.login, code: c.code) }
            return try CaseQueries.history(db, caseId: c.id)
        }
    }
}

extension CaseQueries {
    static func history(_ db: Database, caseId: Int64) throws -> [HistoryEntry] {
        var names: [Int64: String] = [:]
        return try EventLog.history(db, caseId: caseId).map { e in
            if names[e.actorId] == nil { names[e.actorId] = try OfficialStore.byId(db, e.actorId)?.fullName ?? "#\(e.actorId)" }
            return HistoryEntry(event: e, actorName: names[e.actorId]!)
        }
    }
}
