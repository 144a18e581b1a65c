import Foundation
import PaknCore
import PaknStoreAPI
import PostgresNIO

// Statistics and period reports on the server: the counters the server's triggers keep
// (`stat_*`, migration `v2-stats`, the same buckets as SQLite's) read as the SQLite store
// reads them (Sources/PaknStore/Stats/StatQueries.swift, Session+Stats.swift), so the
// same database gives the same figures on both engines.

extension ServerSession {
    /// The subtree a statistics read covers (StatTree).
    struct ServerStatTree {
        let root: OrgUnit
        let everything: Bool
        let path: String
        var rowOf: [Int64: Int64] = [:]
        var children: [OrgUnit] = []
        var childHasChildren: Set<Int64> = []

        /// `unit_id` within the subtree, `$n` being the bound path.
        func condition(_ b: inout Binds) -> String {
            everything ? "true" : "unit_id IN (SELECT id FROM unit WHERE starts_with(path, \(b.add(path))))"
        }
    }

    func statTree(_ root: OrgUnit) throws -> ServerStatTree {
        let path = try db.one("SELECT path FROM unit WHERE id = \(root.id)")?.str(0) ?? "/\(root.id)/"
        var t = ServerStatTree(root: root, everything: root.level == .centre, path: path)
        var b = Binds()
        let depth = path.split(separator: "/").count
        for r in try db.rows("SELECT \(Self.unitColumns), path FROM unit WHERE starts_with(path, \(b.add(path)))", b) {
            let u = try Self.unit(r)
            let parts = try r.str(8).split(separator: "/")
            if u.id == root.id {
                t.rowOf[u.id] = root.id
            } else if parts.count > depth, let child = Int64(parts[depth]) {
                t.rowOf[u.id] = child
                if u.parentId == root.id { t.children.append(u) }
                if parts.count > depth + 1 { t.childHasChildren.insert(child) }
            }
        }
        if t.everything { t.rowOf[0] = root.id }
        t.children.sort { $0.code < $1.code }
        return t
    }

    /// The root unit of a statistics read: the official's own unit, or one within it; a
    /// refusal is recorded in the access log.
    func statsRoot(_ unitId: Int64?, what: String) throws -> (Official, OrgUnit) {
        let o = try current()
        var failure: StoreError?
        var root: OrgUnit?
        if !permissions.allows(o.role, .view) {
            failure = .permissionDenied(login: o.login, permission: .view, unit: "-")
        } else {
            let id = unitId ?? o.unitId
            guard let u = try unit(id: id) else { throw StoreError.unknownUnit(String(id)) }
            if id != o.unitId, try !isWithin(unit: id, ancestor: o.unitId) {
                failure = .unitOutOfScope(login: o.login, unit: u.code)
            }
            root = u
        }
        if let failure {
            var target = what
            if case let .unitOutOfScope(_, code) = failure { target += " --unit \(code)" }
            logRefusal(failure, what: target)
            throw failure
        }
        return (o, root!)
    }

    public func stats(unitId: Int64?, period: StatPeriod, options: StatOptions, reference: ReferenceData?) throws -> StatReport {
        try figures(unitId: unitId, period: period, options: options, reference: reference, what: "stats")
    }

    func figures(unitId: Int64?, period: StatPeriod, options: StatOptions, reference: ReferenceData?, what: String) throws -> StatReport {
        let (o, root) = try statsRoot(unitId, what: what)
        if period.first > Day(now) { throw Message("stats.period.future", period.label) }
        let ref = try reference ?? self.reference()
        var r = try statReport(root: root, period: period, ref: ref, options: options)
        r.madeBy = o.login
        r.madeByName = o.fullName
        return r
    }

    /// A period report (`pakn report`), recorded in the access log (`report_export`: the
    /// unit, period, format, and the overdue cases it lists) through `pakn_access_read`.
    public func report(unitId: Int64?, period: StatPeriod, format: String, options: StatOptions) throws -> StatReport {
        var r = try figures(unitId: unitId, period: period, options: options, reference: nil, what: "report")
        r.chainHead = try db.one("SELECT pakn_chain_head()")?.str(0) ?? String(repeating: "0", count: 64)
        let codes = r.overdueCases.filter { $0.reportedBy == nil }.map(\.code)
        var b = Binds()
        let ids = codes.isEmpty ? [] : try db.rows("SELECT id FROM pakn_case WHERE code = ANY(\(b.add(codes))::text[])", b).map { try $0.int(0) }
        try logRead(.reportExport, target: "\(r.unit.code) \(r.period.label)", note: format, count: ids.count,
                    digest: format == "exchange" ? ReportExchange.digest(of: r) : nil, caseIds: ids)
        return r
    }

    public func exchangeFile(unitId: Int64?, period: StatPeriod) throws -> (report: StatReport, data: Data) {
        guard period.kind != .range else { throw Message("report.import.range") }
        let r = try report(unitId: unitId, period: period, format: "exchange", options: .report)
        return (r, ReportExchange.encode(r))
    }

    // MARK: The figures (StatQueries.report)

    func statReport(root: OrgUnit, period: StatPeriod, ref: ReferenceData, options: StatOptions) throws -> StatReport {
        let tree = try statTree(root)
        let today = Day(now)
        var totals = StatFigures()
        var byRow: [Int64: StatFigures] = [:]
        var byCategory: [String: StatFigures] = [:]
        var byChannel: [String: StatFigures] = [:]
        let kindOfRule = Dictionary(ref.rulebook.rules.map { ($0.id, $0.kind.rawValue) }, uniquingKeysWith: { a, _ in a })

        let (months, dayRanges) = Self.segments(period)
        var parts: [(table: String, column: String, range: ClosedRange<Int>)] = dayRanges.map { ("stat_day", "day", $0) }
        if let months { parts.append(("stat_month", "month", months)) }
        for part in parts {
            var b = Binds()
            let sql = """
                SELECT unit_id, facet::bigint, value, sum(received)::bigint, sum(resolved)::bigint, sum(on_time)::bigint, sum(rejected)::bigint
                FROM \(part.table) WHERE \(tree.condition(&b)) AND \(part.column) BETWEEN \(b.add(Int64(part.range.lowerBound)))::int
                  AND \(b.add(Int64(part.range.upperBound)))::int GROUP BY unit_id, facet, value
                """
            for r in try db.rows(sql, b) {
                let unit = try r.int(0), facet = try r.int(1), value = try r.str(2)
                let rc = Int(try r.int(3)), rs = Int(try r.int(4)), ot = Int(try r.int(5)), rj = Int(try r.int(6))
                switch facet {
                case 1:
                    var f = StatFigures()
                    f.received = rc; f.resolved = rs; f.onTime = ot; f.rejected = rj
                    if rc > 0 { f.receivedByKind[kindOfRule[value] ?? value] = rc }
                    if rs > 0 { f.byRule[value] = StatFigures.RuleFigures(resolved: rs, onTime: ot) }
                    totals.add(f)
                    if let row = tree.rowOf[unit] { byRow[row, default: StatFigures()].add(f) }
                case 2:
                    if rc > 0 {
                        totals.receivedByChannel[value, default: 0] += rc
                        if let row = tree.rowOf[unit] { byRow[row, default: StatFigures()].receivedByChannel[value, default: 0] += rc }
                    }
                    byChannel[value, default: StatFigures()].add(Self.plain(rc, rs, ot, rj))
                    if rc > 0 { byChannel[value]!.receivedByChannel[value, default: 0] += rc }
                case 3:
                    byCategory[value, default: StatFigures()].add(Self.plain(rc, rs, ot, rj))
                default: continue
                }
            }
        }

        // Working days to resolve.
        var sb = Binds()
        let spans = try db.rows("""
            SELECT unit_id, day::bigint, span::bigint, n FROM stat_span WHERE \(tree.condition(&sb))
              AND day BETWEEN \(sb.add(Int64(period.first.ordinal)))::int AND \(sb.add(Int64(period.last.ordinal)))::int
            """, sb)
        var spanMemo: [Int64: Int] = [:]
        for r in spans {
            let unit = try r.int(0), day = Int(try r.int(1)), span = Int(try r.int(2)), n = Int(try r.int(3))
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

        // Open, paused and overdue now.
        var overMemo: [Int: Int] = [:]
        func overdue(_ due: Int) -> Int {
            if let o = overMemo[due] { return o }
            let o = ref.calendar.count(from: Day(ordinal: due), to: today, counting: .working)
            overMemo[due] = o
            return o
        }
        func openFigures(_ due: Int, _ paused: Bool, _ n: Int) -> StatFigures {
            var f = StatFigures()
            f.openNow = n
            if paused { f.pausedNow = n }
            if !paused && due < today.ordinal {
                f.overdueNow = n
                StatFigures.count(&f.overdueDays, days: overdue(due), n)
            }
            return f
        }
        var ob = Binds()
        for r in try db.rows("SELECT unit_id, due_day::bigint, paused <> 0, n FROM stat_open WHERE \(tree.condition(&ob)) AND facet = 0", ob) {
            let unit = try r.int(0)
            let f = openFigures(Int(try r.int(1)), try r.bool(2), Int(try r.int(3)))
            totals.add(f)
            if let row = tree.rowOf[unit] { byRow[row, default: StatFigures()].add(f) }
        }
        var fb = Binds()
        for r in try db.rows("""
            SELECT facet::bigint, value, due_day::bigint, paused <> 0, sum(n)::bigint FROM stat_open
            WHERE \(tree.condition(&fb)) AND facet IN (2, 3) GROUP BY facet, value, due_day, paused
            """, fb) {
            let f = openFigures(Int(try r.int(2)), try r.bool(3), Int(try r.int(4)))
            if try r.int(0) == 2 { byChannel[try r.str(1), default: StatFigures()].add(f) } else { byCategory[try r.str(1), default: StatFigures()].add(f) }
        }

        // Ratings given in the period.
        var rb = Binds()
        for r in try db.rows("""
            SELECT unit_id, score::bigint, reason, sum(n)::bigint FROM stat_rating WHERE \(tree.condition(&rb))
              AND day BETWEEN \(rb.add(Int64(period.first.ordinal)))::int AND \(rb.add(Int64(period.last.ordinal)))::int
            GROUP BY unit_id, score, reason
            """, rb) {
            let unit = try r.int(0), score = Int(try r.int(1)), reason = try r.str(2), n = Int(try r.int(3))
            guard let f = StatFigures.rating(score: score, reason: reason, n: n, reopenAtOrBelow: ref.policy.reopenAtOrBelow) else { continue }
            totals.add(f)
            if let row = tree.rowOf[unit] { byRow[row, default: StatFigures()].add(f) }
        }

        var unitRows: [StatRow] = []
        if let own = byRow[root.id], !own.isEmpty {
            unitRows.append(StatRow(dimension: .unit, key: root.code, label: root.label, unitId: root.id, own: true, figures: own))
        }
        for c in tree.children {
            guard let f = byRow[c.id], !f.isEmpty else { continue }
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
        report.sentUp = lastDay < period.first ? 0 : try sentUpCount(tree, from: period.first, to: lastDay)
        if options.trendWeeks > 0 { report.trend = try trend(tree, period: period, today: today, weeks: options.trendWeeks) }
        if options.overdueList > 0 { report.overdueCases = try overdueCases(root, ref: ref, limit: options.overdueList) }
        if options.imported { try addImported(to: &report, tree: tree) }
        if options.notReported { report.notReported = try notReported(tree, period: period) }
        return report
    }

    /// A period as whole months and the day ranges before and after them (StatQueries.segments).
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

    /// How many times units of the subtree sent a case outside it (SentUp.count).
    func sentUpCount(_ tree: ServerStatTree, from first: Day, to last: Day) throws -> Int {
        var b = Binds()
        let range = "at >= to_timestamp(\(b.add(Int64(first.start.timeIntervalSince1970)))) AND at <= to_timestamp(\(b.add(Int64(last.end.timeIntervalSince1970))))"
        if tree.everything { return Int(try db.one("SELECT count(*) FROM case_sent_up WHERE \(range)", b)?.int(0) ?? 0) }
        let p = b.add(tree.path)
        return Int(try db.one("""
            SELECT count(*) FROM case_sent_up WHERE from_unit_id IN (SELECT id FROM unit WHERE starts_with(path, \(p)))
              AND \(range) AND to_unit_id NOT IN (SELECT id FROM unit WHERE starts_with(path, \(p)))
            """, b)?.int(0) ?? 0)
    }

    func trend(_ tree: ServerStatTree, period: StatPeriod, today: Day, weeks: Int) throws -> [StatTrendPoint] {
        let lastWeek = StatPeriod.week(containing: min(period.last, max(today, period.first)))
        let firstWeek = lastWeek.stepped(-(weeks - 1))
        var points = (0..<weeks).map { StatTrendPoint(period: firstWeek.stepped($0), received: 0, resolved: 0) }
        var b = Binds()
        for r in try db.rows("""
            SELECT day::bigint, sum(received)::bigint, sum(resolved)::bigint FROM stat_day WHERE \(tree.condition(&b)) AND facet = 1
              AND day BETWEEN \(b.add(Int64(firstWeek.first.ordinal)))::int AND \(b.add(Int64(lastWeek.last.ordinal)))::int GROUP BY day
            """, b) {
            let i = (Int(try r.int(0)) - firstWeek.first.ordinal) / 7
            guard points.indices.contains(i) else { continue }
            points[i].received += Int(try r.int(1))
            points[i].resolved += Int(try r.int(2))
        }
        return points
    }

    /// The overdue cases of the subtree the official may read, most overdue first.
    func overdueCases(_ root: OrgUnit, ref: ReferenceData, limit: Int) throws -> [StatOverdueCase] {
        var b = Binds()
        let w = try whereSQL(QueueFilter(unitSubtree: root.id, overdue: true), &b, ref: ref)
        let today = Day(now)
        return try db.rows("""
            SELECT c.code, c.category, c.kind, c.status, extract(epoch FROM c.received_at)::bigint, extract(epoch FROM c.due_at)::bigint,
              u.code, u.label, u.name
            FROM pakn_case c LEFT JOIN unit u ON u.id = coalesce(c.unit_id, c.ward_id)
            WHERE \(w) ORDER BY c.due_at, c.id LIMIT \(b.add(Int64(limit)))
            """, b).map { r in
            let due = Day(Self.date(try r.int(5)))
            let label = try r.strOpt(7)
            return StatOverdueCase(code: try r.str(0), unitCode: try r.strOpt(6) ?? "",
                                   unitLabel: (label?.isEmpty == false ? label : try r.strOpt(8)) ?? "",
                                   category: try r.str(1), kind: CaseKind(rawValue: try r.str(2)) ?? .feedback,
                                   status: CaseStatus(rawValue: try r.str(3)) ?? .received, received: Day(Self.date(try r.int(4))),
                                   due: due, workingDaysOver: ref.calendar.count(from: due, to: today, counting: .working))
        }
    }

    func notReported(_ tree: ServerStatTree, period: StatPeriod) throws -> [StatUnit] {
        guard !tree.children.isEmpty else { return [] }
        var b = Binds()
        let holding = try db.rows("""
            SELECT u.id FROM unit u WHERE starts_with(u.path, \(b.add(tree.path))) AND EXISTS (SELECT 1 FROM stat_day s WHERE s.unit_id = u.id)
            """, b).map { try $0.int(0) }
        var local = Set<Int64>()
        for u in holding { if let r = tree.rowOf[u] { local.insert(r) } }
        var rb = Binds()
        let reported = Set(try db.rows("""
            SELECT unit_id FROM report_import WHERE period_kind = \(rb.add(period.kind.rawValue)) AND period_label = \(rb.add(period.label))
            """, rb).compactMap { tree.rowOf[try $0.int(0)] })
        return tree.children.filter { !local.contains($0.id) && !reported.contains($0.id) }
            .map { StatUnit(code: $0.code, name: $0.label, level: $0.level) }
    }

    func addImported(to report: inout StatReport, tree: ServerStatTree) throws {
        var b = Binds()
        let rows = try db.rows("""
            SELECT unit_id, body, extract(epoch FROM imported_at)::bigint FROM report_import
            WHERE period_kind = \(b.add(report.period.kind.rawValue)) AND period_label = \(b.add(report.period.label)) ORDER BY unit_id
            """, b)
        for r in rows {
            let unitId = try r.int(0)
            guard let rowId = tree.rowOf[unitId], let child = try? ReportExchange.decode(Data(try r.str(1).utf8)) else { continue }
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
            Self.merge(&report.byCategory, child.byCategory)
            Self.merge(&report.byChannel, child.byChannel)
            for p in child.trend {
                if let i = report.trend.firstIndex(where: { $0.period == p.period }) {
                    report.trend[i].received += p.received
                    report.trend[i].resolved += p.resolved
                }
            }
            report.imported.append(StatImported(unit: child.unit, madeBy: child.madeBy, madeAt: child.asOf,
                                                chainHead: child.chainHead, digest: ReportExchange.digest(of: child),
                                                importedAt: Self.date(try r.int(2))))
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
