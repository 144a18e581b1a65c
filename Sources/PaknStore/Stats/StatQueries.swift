import Foundation
import GRDB
import PaknCore

/// The subtree a statistics read covers, and which row of the unit breakdown each of its
/// units counts in (the root's direct child holding it, or the root itself).
struct StatTree {
    let root: OrgUnit
    /// Every unit: the centre's tree is the whole database.
    let everything: Bool
    /// unit id → the id of the breakdown row it counts in.
    var rowOf: [Int64: Int64] = [:]
    var children: [OrgUnit] = []
    /// Children that have units under them (Enter drills down).
    var childHasChildren: Set<Int64> = []
    let path: String

    init(_ db: Database, root: OrgUnit) throws {
        self.root = root
        everything = root.level == .centre
        path = try UnitQueries.path(db, id: root.id) ?? "/\(root.id)/"
        let rows = try Row.fetchAll(db.cachedStatement(sql: "SELECT \(UnitQueries.columns), path FROM unit WHERE path >= ? AND path < ?"),
                                    arguments: [path, path + "\u{FFFF}"])
        let depth = path.split(separator: "/").count
        for r in rows {
            let u = UnitQueries.unit(from: r)
            let parts = (r["path"] as String).split(separator: "/")
            if u.id == root.id {
                rowOf[u.id] = root.id
            } else if parts.count > depth, let child = Int64(parts[depth]) {
                rowOf[u.id] = child
                if u.parentId == root.id { children.append(u) }
                if parts.count > depth + 1 { childHasChildren.insert(child) }
            }
        }
        if everything { rowOf[0] = root.id }
        children.sort { $0.code < $1.code }
    }

    /// The SQL condition holding a counter table's `unit_id` to the subtree.
    var unitCondition: String {
        everything ? "1" : "unit_id IN (SELECT id FROM unit WHERE path >= ? AND path < ?)"
    }
    var unitArguments: [DatabaseValueConvertible] { everything ? [] : [path, path + "\u{FFFF}"] }
}

enum StatQueries {
    /// The figures of `root`'s subtree for `period`, as of `now`.
    static func report(_ db: Database, root: OrgUnit, period: StatPeriod, now: Date, ref: ReferenceData,
                       options: StatOptions) throws -> StatReport {
        let tree = try StatTree(db, root: root)
        let today = Day(now)
        var totals = StatFigures()
        var byRow: [Int64: StatFigures] = [:]
        var byCategory: [String: StatFigures] = [:]
        var byChannel: [String: StatFigures] = [:]
        let kindOfRule = Dictionary(ref.rulebook.rules.map { ($0.id, $0.kind.rawValue) }, uniquingKeysWith: { a, _ in a })

        // Received, resolved, on time, rejected: whole months from the monthly counters, the
        // days before and after them from the daily ones (every figure adds up).
        let (months, dayRanges) = segments(period)
        var parts: [(table: String, column: String, range: ClosedRange<Int>)] = dayRanges.map { ("stat_day", "day", $0) }
        if let months { parts.append(("stat_month", "month", months)) }
        for part in parts {
        let dayRows = try Row.fetchCursor(db.cachedStatement(sql: """
            SELECT unit_id, facet, value, sum(received), sum(resolved), sum(on_time), sum(rejected) FROM \(part.table)
            WHERE \(tree.unitCondition) AND \(part.column) BETWEEN ? AND ? GROUP BY unit_id, facet, value
            """), arguments: StatementArguments(tree.unitArguments + [part.range.lowerBound, part.range.upperBound]))
        while let r = try dayRows.next() {
            let unit: Int64 = r[0], facet: Int = r[1], value: String = r[2]
            let rc: Int = r[3], rs: Int = r[4], ot: Int = r[5], rj: Int = r[6]
            switch StatSchema.Facet(rawValue: facet) {
            case .rule:
                var f = StatFigures()
                f.received = rc; f.resolved = rs; f.onTime = ot; f.rejected = rj
                if rc > 0 { f.receivedByKind[kindOfRule[value] ?? value] = rc }
                if rs > 0 { f.byRule[value] = StatFigures.RuleFigures(resolved: rs, onTime: ot) }
                totals.add(f)
                if let row = tree.rowOf[unit] { byRow[row, default: StatFigures()].add(f) }
            case .channel:
                if rc > 0 {
                    totals.receivedByChannel[value, default: 0] += rc
                    if let row = tree.rowOf[unit] { byRow[row, default: StatFigures()].receivedByChannel[value, default: 0] += rc }
                }
                byChannel[value, default: StatFigures()].add(plain(rc, rs, ot, rj))
                if rc > 0 { byChannel[value]!.receivedByChannel[value, default: 0] += rc }
            case .category:
                byCategory[value, default: StatFigures()].add(plain(rc, rs, ot, rj))
            case nil: continue
            }
        }
        }

        // Working days to resolve: calendar days from receipt, counted on the calendar.
        let spans = try Row.fetchCursor(db.cachedStatement(sql: """
            SELECT unit_id, day, span, n FROM stat_span WHERE \(tree.unitCondition) AND day BETWEEN ? AND ?
            """), arguments: StatementArguments(tree.unitArguments + [period.first.ordinal, period.last.ordinal]))
        var spanMemo: [Int64: Int] = [:]
        while let r = try spans.next() {
            let unit: Int64 = r[0], day: Int = r[1], span: Int = r[2], n: Int = r[3]
            let key = Int64(day) << 20 | Int64(span & 0xFFFFF)
            let working: Int
            if let w = spanMemo[key] {
                working = w
            } else {
                working = ref.calendar.count(from: Day(ordinal: day - span), to: Day(ordinal: day), counting: .working)
                spanMemo[key] = working
            }
            StatFigures.count(&totals.resolveDays, days: working, n)
            if let row = tree.rowOf[unit] { StatFigures.count(&byRow[row, default: StatFigures()].resolveDays, days: working, n) }
        }

        // Open, paused and overdue now, whatever the period: by unit, by channel and by
        // category.
        var overMemo: [Int: Int] = [:]
        func overdue(_ due: Int) -> Int {
            if let o = overMemo[due] { return o }
            let o = ref.calendar.count(from: Day(ordinal: due), to: today, counting: .working)
            overMemo[due] = o
            return o
        }
        let open = try Row.fetchCursor(db.cachedStatement(sql: """
            SELECT unit_id, due_day, paused, n FROM stat_open WHERE \(tree.unitCondition) AND facet = 0
            """), arguments: StatementArguments(tree.unitArguments))
        while let r = try open.next() {
            let unit: Int64 = r[0], due: Int = r[1], paused: Bool = r[2], n: Int = r[3]
            var f = StatFigures()
            f.openNow = n
            if paused { f.pausedNow = n }
            if !paused && due < today.ordinal {
                f.overdueNow = n
                StatFigures.count(&f.overdueDays, days: overdue(due), n)
            }
            totals.add(f)
            if let row = tree.rowOf[unit] { byRow[row, default: StatFigures()].add(f) }
        }
        let byFacet = try Row.fetchCursor(db.cachedStatement(sql: """
            SELECT facet, value, due_day, paused, sum(n) FROM stat_open
            WHERE \(tree.unitCondition) AND facet IN (2, 3) GROUP BY facet, value, due_day, paused
            """), arguments: StatementArguments(tree.unitArguments))
        while let r = try byFacet.next() {
            let facet: Int = r[0], value: String = r[1], due: Int = r[2], paused: Bool = r[3], n: Int = r[4]
            var f = StatFigures()
            f.openNow = n
            if paused { f.pausedNow = n }
            if !paused && due < today.ordinal {
                f.overdueNow = n
                StatFigures.count(&f.overdueDays, days: overdue(due), n)
            }
            if facet == StatSchema.Facet.channel.rawValue { byChannel[value, default: StatFigures()].add(f) }
            else { byCategory[value, default: StatFigures()].add(f) }
        }

        // Ratings given in the period.
        let ratings = try Row.fetchCursor(db.cachedStatement(sql: """
            SELECT unit_id, score, reason, sum(n) FROM stat_rating WHERE \(tree.unitCondition) AND day BETWEEN ? AND ?
            GROUP BY unit_id, score, reason
            """), arguments: StatementArguments(tree.unitArguments + [period.first.ordinal, period.last.ordinal]))
        while let r = try ratings.next() {
            let unit: Int64 = r[0], score: Int = r[1], reason: String = r[2], n: Int = r[3]
            guard let f = StatFigures.rating(score: score, reason: reason, n: n, reopenAtOrBelow: ref.policy.reopenAtOrBelow) else { continue }
            totals.add(f)
            if let row = tree.rowOf[unit] { byRow[row, default: StatFigures()].add(f) }
        }

        // The rows of the breakdowns.
        var unitRows: [StatRow] = []
        if let own = byRow[root.id], !own.isEmpty {
            unitRows.append(StatRow(dimension: .unit, key: root.code, label: root.label, unitId: root.id, own: true, figures: own))
        }
        for c in tree.children {
            guard let f = byRow[c.id], !f.isEmpty else { continue }
            // Under the root, a department's name needs no " — <root>".
            unitRows.append(StatRow(dimension: .unit, key: c.code, label: c.name, unitId: c.id,
                                    hasChildren: tree.childHasChildren.contains(c.id), figures: f))
        }
        let categoryRows = byCategory.filter { !$0.value.isEmpty }.map { code, f in
            StatRow(dimension: .category, key: code, label: ref.category(code)?.nameVi ?? code, labelEn: ref.category(code)?.nameEn, figures: f)
        }.sorted { $0.key < $1.key }
        let channelRows = byChannel.filter { !$0.value.isEmpty }.map { code, f in
            StatRow(dimension: .channel, key: code, label: code, figures: f)
        }.sorted { $0.key < $1.key }

        var report = StatReport(
            unit: StatUnit(code: root.code, name: root.label, level: root.level), period: period, asOf: now,
            madeBy: "", madeByName: "", chainHead: "", totals: totals, byUnit: unitRows, byCategory: categoryRows,
            byChannel: channelRows, reopenAtOrBelow: ref.policy.reopenAtOrBelow)
        report.overdueCaseCount = totals.overdueNow
        let lastDay = min(period.last, today)
        report.sentUp = lastDay < period.first ? 0
            : try SentUp.count(db, subtree: root.id, everything: tree.everything, from: period.first, to: lastDay)
        if options.trendWeeks > 0 { report.trend = try trend(db, tree: tree, period: period, today: today, weeks: options.trendWeeks) }
        if options.overdueList > 0 {
            report.overdueCases = try overdueCases(db, root: root, now: now, ref: ref, limit: options.overdueList)
        }
        if options.imported { try addImported(db, to: &report, tree: tree) }
        if options.notReported { report.notReported = try notReported(db, tree: tree, period: period) }
        return report
    }

    /// A period as whole months (`year * 12 + month - 1`) and the day ranges (ordinals)
    /// before and after them.
    static func segments(_ p: StatPeriod) -> (months: ClosedRange<Int>?, days: [ClosedRange<Int>]) {
        func index(_ d: Day) -> Int { d.year * 12 + d.month - 1 }
        var firstFull = index(p.first), lastFull = index(p.last)
        if p.first.dayOfMonth != 1 { firstFull += 1 }
        if p.last.adding(1).dayOfMonth != 1 { lastFull -= 1 }
        guard firstFull <= lastFull else { return (nil, [p.first.ordinal...p.last.ordinal]) }
        var days: [ClosedRange<Int>] = []
        let fullStart = Day(year: firstFull / 12, month: firstFull % 12 + 1, day: 1)!
        let fullEnd = StatPeriod.month(year: lastFull / 12, month: lastFull % 12 + 1)!.last
        if p.first < fullStart { days.append(p.first.ordinal...(fullStart.ordinal - 1)) }
        if fullEnd < p.last { days.append((fullEnd.ordinal + 1)...p.last.ordinal) }
        return (firstFull...lastFull, days)
    }

    static func plain(_ rc: Int, _ rs: Int, _ ot: Int, _ rj: Int) -> StatFigures {
        var f = StatFigures()
        f.received = rc; f.resolved = rs; f.onTime = ot; f.rejected = rj
        return f
    }

    /// Received and resolved per ISO week, the `weeks` weeks ending with the one holding the
    /// period's last day (or today, if earlier).
    static func trend(_ db: Database, tree: StatTree, period: StatPeriod, today: Day, weeks: Int) throws -> [StatTrendPoint] {
        let lastWeek = StatPeriod.week(containing: min(period.last, max(today, period.first)))
        let firstWeek = lastWeek.stepped(-(weeks - 1))
        var points = (0..<weeks).map { StatTrendPoint(period: firstWeek.stepped($0), received: 0, resolved: 0) }
        let rows = try Row.fetchCursor(db.cachedStatement(sql: """
            SELECT day, sum(received), sum(resolved) FROM stat_day
            WHERE \(tree.unitCondition) AND facet = 1 AND day BETWEEN ? AND ? GROUP BY day
            """), arguments: StatementArguments(tree.unitArguments + [firstWeek.first.ordinal, lastWeek.last.ordinal]))
        while let r = try rows.next() {
            let i = ((r[0] as Int) - firstWeek.first.ordinal) / 7
            guard points.indices.contains(i) else { continue }
            points[i].received += r[1] as Int
            points[i].resolved += r[2] as Int
        }
        return points
    }

    /// The overdue cases of the subtree, most overdue first, read from the urgency index.
    static func overdueCases(_ db: Database, root: OrgUnit, now: Date, ref: ReferenceData, limit: Int) throws -> [StatOverdueCase] {
        let sql = try QueueSQL(db, filter: QueueFilter(unitSubtree: root.id, overdue: true), now: now, ref: ref)
        let rows = try Row.fetchAll(db, sql: """
            SELECT c.code, c.category, c.kind, c.status, c.received_at, c.due_at, u.code AS ucode, u.label AS ulabel, u.name AS uname
            FROM (SELECT id FROM pakn_case WHERE \(sql.whereSQL) ORDER BY due_at, id LIMIT ?) AS p
            JOIN pakn_case c ON c.id = p.id
            LEFT JOIN unit u ON u.id = coalesce(c.unit_id, c.ward_id)
            ORDER BY c.due_at, c.id
            """, arguments: StatementArguments(sql.args + [limit]))
        let today = Day(now)
        return rows.map { r in
            let due = Day(CaseRow.date(r["due_at"]))
            let label: String? = r["ulabel"]
            return StatOverdueCase(code: r["code"], unitCode: r["ucode"] ?? "", unitLabel: (label?.isEmpty == false ? label : r["uname"]) ?? "",
                                   category: r["category"], kind: CaseKind(rawValue: r["kind"]) ?? .feedback,
                                   status: CaseStatus(rawValue: r["status"]) ?? .received,
                                   received: Day(CaseRow.date(r["received_at"])), due: due,
                                   workingDaysOver: ref.calendar.count(from: due, to: today, counting: .working))
        }
    }

    /// Whether this database holds cases counted for a unit's subtree (any day).
    static func holdsCases(_ db: Database, unitId: Int64) throws -> Bool {
        guard let p = try UnitQueries.path(db, id: unitId) else { return false }
        return try Bool.fetchOne(db.cachedStatement(sql: """
            SELECT 1 FROM unit u WHERE u.path >= ? AND u.path < ?
              AND EXISTS (SELECT 1 FROM stat_day s WHERE s.unit_id = u.id) LIMIT 1
            """), arguments: [p, p + "\u{FFFF}"]) != nil
    }

    /// Children with no case in this database and no report imported for the period.
    static func notReported(_ db: Database, tree: StatTree, period: StatPeriod) throws -> [StatUnit] {
        guard !tree.children.isEmpty else { return [] }
        // The rows of units that hold cases, by the child they count in.
        let holding = try Int64.fetchAll(db.cachedStatement(sql: """
            SELECT u.id FROM unit u WHERE u.path >= ? AND u.path < ?
              AND EXISTS (SELECT 1 FROM stat_day s WHERE s.unit_id = u.id)
            """), arguments: [tree.path, tree.path + "\u{FFFF}"])
        var local = Set<Int64>()
        for u in holding { if let r = tree.rowOf[u] { local.insert(r) } }
        let reported = Set(try Int64.fetchAll(db.cachedStatement(sql: """
            SELECT unit_id FROM report_import WHERE period_kind = ? AND period_label = ?
            """), arguments: [period.kind.rawValue, period.label]).compactMap { tree.rowOf[$0] })
        return tree.children.filter { !local.contains($0.id) && !reported.contains($0.id) }
            .map { StatUnit(code: $0.code, name: $0.label, level: $0.level) }
    }

    /// Adds the reports child offices sent for this period (`report_import`), each in the
    /// breakdown row of the child holding it.
    static func addImported(_ db: Database, to report: inout StatReport, tree: StatTree) throws {
        let rows = try Row.fetchAll(db.cachedStatement(sql: """
            SELECT unit_id, body, imported_at FROM report_import WHERE period_kind = ? AND period_label = ? ORDER BY unit_id
            """), arguments: [report.period.kind.rawValue, report.period.label])
        for r in rows {
            let unitId: Int64 = r["unit_id"]
            guard let rowId = tree.rowOf[unitId], let child = try? ReportExchange.decode(Data((r["body"] as String).utf8)) else { continue }
            report.totals.add(child.totals)
            report.overdueCaseCount += child.overdueCaseCount
            report.overdueCases += child.overdueCases.map { c in
                var c = c
                if c.reportedBy == nil { c.reportedBy = child.unit.code }
                return c
            }
            let rowUnit = rowId == tree.root.id ? tree.root : (tree.children.first { $0.id == rowId } ?? tree.root)
            if let i = report.byUnit.firstIndex(where: { $0.unitId == rowId && $0.own == (rowId == tree.root.id) }) {
                report.byUnit[i].figures.add(child.totals)
                report.byUnit[i].imported = true
            } else {
                report.byUnit.append(StatRow(dimension: .unit, key: rowUnit.code, label: rowUnit.name, unitId: rowUnit.id,
                                             hasChildren: tree.childHasChildren.contains(rowUnit.id), own: rowId == tree.root.id,
                                             imported: true, figures: child.totals))
            }
            merge(&report.byCategory, child.byCategory)
            merge(&report.byChannel, child.byChannel)
            for p in child.trend {
                if let i = report.trend.firstIndex(where: { $0.period == p.period }) {
                    report.trend[i].received += p.received
                    report.trend[i].resolved += p.resolved
                }
            }
            report.imported.append(StatImported(unit: child.unit, madeBy: child.madeBy, madeAt: child.asOf,
                                                chainHead: child.chainHead, digest: ReportExchange.digest(of: child),
                                                importedAt: CaseRow.date(r["imported_at"])))
        }
        report.byUnit.sort { ($0.own ? 0 : 1, $0.key) < ($1.own ? 0 : 1, $1.key) }
        report.overdueCases.sort { ($0.workingDaysOver, $0.code) > ($1.workingDaysOver, $1.code) }
    }

    static func merge(_ rows: inout [StatRow], _ more: [StatRow]) {
        for m in more {
            if let i = rows.firstIndex(where: { $0.key == m.key }) { rows[i].figures.add(m.figures) } else { rows.append(m) }
        }
        rows.sort { $0.key < $1.key }
    }
}
