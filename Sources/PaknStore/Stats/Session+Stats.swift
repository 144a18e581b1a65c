import Foundation
import GRDB
import PaknCore

// MARK: - Statistics and reports

extension Session {
    /// The statistics of a unit's subtree for a period: the official's own unit by default,
    /// or a unit within it. Needs `view`; a unit outside the official's units is refused and
    /// the refusal recorded; so is a period that has not begun.
    ///
    /// Reading figures records nothing (they name no citizen and no case); a report does
    /// (`report`).
    public func stats(unitId: Int64? = nil, period: StatPeriod, options: StatOptions = .view,
                      reference: ReferenceData? = nil) throws -> StatReport {
        try figures(unitId: unitId, period: period, options: options, reference: reference, what: "stats")
    }

    func figures(unitId: Int64?, period: StatPeriod, options: StatOptions, reference: ReferenceData?,
                 what: String) throws -> StatReport {
        let (o, root) = try statsRoot(unitId, what: what)
        try Self.checkPeriod(period, now: now)
        let ref = try reference ?? db.reference()
        let at = now
        var r = try db.read { db in try StatQueries.report(db, root: root, period: period, now: at, ref: ref, options: options) }
        r.madeBy = o.login
        r.madeByName = o.fullName
        return r
    }

    /// A period report to print or send (`pakn report`): the statistics with the overdue
    /// cases listed, who made it, and the chain head it was computed from. Recorded in the
    /// access log (`report_export`: the unit, period, format, and the overdue cases listed).
    public func report(unitId: Int64? = nil, period: StatPeriod, format: String,
                       options: StatOptions = .report) throws -> StatReport {
        var r = try figures(unitId: unitId, period: period, options: options, reference: nil, what: "report")
        r.chainHead = try db.chainHead()
        let ids = try caseIds(codes: r.overdueCases.filter { $0.reportedBy == nil }.map(\.code))
        try db.logAccess(AccessDraft(at: now, actorId: me.id, login: me.login, action: .reportExport,
                                     target: "\(r.unit.code) \(r.period.label)", note: format, count: ids.count,
                                     digest: format == "exchange" ? ReportExchange.digest(of: r) : nil, caseIds: ids))
        return r
    }

    /// The exchange file of a period report (`--format exchange`), recorded with its digest.
    public func exchangeFile(unitId: Int64? = nil, period: StatPeriod) throws -> (report: StatReport, data: Data) {
        guard period.kind != .range else { throw Message("report.import.range") }
        let r = try report(unitId: unitId, period: period, format: "exchange")
        return (r, ReportExchange.encode(r))
    }

    /// Imports a child office's exchange file. Needs `import_reports`. Refused, with
    /// nothing imported: a file that is not a report, cut off, altered or from a newer
    /// pakn; a unit outside the official's units (recorded), or not one level below the
    /// official's unit; the official's own unit; a unit whose cases this database holds
    /// (its figures are a query here); a period not begun or not a week, month or quarter;
    /// the same file again; another report of the same unit and period unless `replace`.
    public func importReport(_ data: Data, replace: Bool = false) throws -> ReportImportResult {
        let o = try authorize(.importReports, what: "report import")
        let r: StatReport
        do { r = try ReportExchange.decode(data) } catch { throw error }
        let at = now
        let digest = ReportExchange.digest(of: r)
        var outside: StoreError?
        do {
            let result: ReportImportResult = try db.write { db in
                guard let unit = try UnitQueries.unit(db, code: r.unit.code) else {
                    throw Message("report.import.unknown_unit", r.unit.code, r.unit.name)
                }
                if unit.id == o.unitId { throw Message("report.import.own_unit", unit.label) }
                guard try UnitQueries.isWithin(db, unit: unit.id, ancestor: o.unitId) else {
                    throw StoreError.unitOutOfScope(login: o.login, unit: unit.code)
                }
                if unit.parentId != o.unitId {
                    let mine = try UnitQueries.unit(db, id: o.unitId)?.label ?? "-"
                    let parent = try unit.parentId.flatMap { try UnitQueries.unit(db, id: $0)?.label } ?? "-"
                    throw Message("report.import.wrong_level", unit.label, parent, mine)
                }
                guard r.period.kind != .range else { throw Message("report.import.range") }
                if r.period.first > Day(at) { throw Message("stats.period.future", r.period.label) }
                if try StatQueries.holdsCases(db, unitId: unit.id) { throw Message("report.import.local", unit.label) }
                if try Bool.fetchOne(db, sql: "SELECT 1 FROM report_import WHERE digest = ?", arguments: [digest]) != nil {
                    throw Message("report.import.duplicate", unit.label, r.period.label)
                }
                let existing = try Int64.fetchOne(db, sql: """
                    SELECT id FROM report_import WHERE unit_id = ? AND period_kind = ? AND period_label = ?
                    """, arguments: [unit.id, r.period.kind.rawValue, r.period.label])
                if let existing {
                    guard replace else { throw Message("report.import.exists", unit.label, r.period.label) }
                    try db.execute(sql: "DELETE FROM report_import WHERE id = ?", arguments: [existing])
                }
                try db.execute(sql: """
                    INSERT INTO report_import(unit_id, period_kind, period_label, first_day, last_day, digest, chain_head,
                      made_by, made_at, imported_at, imported_by, body)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """, arguments: [unit.id, r.period.kind.rawValue, r.period.label, r.period.first.ordinal, r.period.last.ordinal,
                                     digest, r.chainHead, r.madeBy, CaseRow.secs(r.asOf), CaseRow.secs(at), o.id,
                                     String(decoding: data, as: UTF8.self)])
                try AccessLog.append(db, AccessDraft(at: at, actorId: o.id, login: o.login, action: .reportImport,
                                                     target: "\(unit.code) \(r.period.label)",
                                                     note: (existing != nil ? "replaced; " : "") + "made by \(r.madeBy) at \(ISO8601.format(r.asOf)); chain head \(r.chainHead)",
                                                     digest: digest))
                guard let mine = try UnitQueries.unit(db, id: o.unitId) else { throw StoreError.unknownUnit(String(o.unitId)) }
                let missing = try StatQueries.notReported(db, tree: StatTree(db, root: mine), period: r.period)
                return ReportImportResult(unit: StatUnit(code: unit.code, name: unit.label, level: unit.level), period: r.period,
                                          madeBy: r.madeBy, digest: digest, replaced: existing != nil, notReported: missing)
            }
            return result
        } catch let e as StoreError {
            if case .unitOutOfScope = e { outside = e }
            if let outside { db.logRefusal(outside, actor: o, what: "report import \(r.unit.code)", at: at) }
            throw e
        }
    }

    /// The root unit of a statistics read: the official's own unit, or one within it.
    func statsRoot(_ unitId: Int64?, what: String) throws -> (Official, OrgUnit) {
        let result: Result<(Official, OrgUnit), StoreError> = try db.read { db in
            let o = try Guard.current(db, me)
            guard Self.permissions.allows(o.role, .view) else {
                return .failure(StoreError.permissionDenied(login: o.login, permission: .view, unit: "-"))
            }
            let id = unitId ?? o.unitId
            guard let u = try UnitQueries.unit(db, id: id) else { throw StoreError.unknownUnit(String(id)) }
            if id != o.unitId, try !UnitQueries.isWithin(db, unit: id, ancestor: o.unitId) {
                return .failure(StoreError.unitOutOfScope(login: o.login, unit: u.code))
            }
            return .success((o, u))
        }
        switch result {
        case let .success(v): return v
        case let .failure(e):
            var target = what
            if case let .unitOutOfScope(_, code) = e { target += " --unit \(code)" }
            db.logRefusal(e, actor: me, what: target, at: now)
            throw e
        }
    }

    /// A period that has not begun is refused.
    static func checkPeriod(_ p: StatPeriod, now: Date) throws {
        if p.first > Day(now) { throw Message("stats.period.future", p.label) }
    }

    func caseIds(codes: [String]) throws -> [Int64] {
        guard !codes.isEmpty else { return [] }
        return try db.read { db in
            let stmt = try db.cachedStatement(sql: "SELECT id FROM pakn_case WHERE code = ?")
            return try codes.compactMap { try Int64.fetchOne(stmt, arguments: [$0]) }
        }
    }
}
