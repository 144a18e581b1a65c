import Foundation
import GRDB
import PaknCore

extension AppDatabase {
    /// Writes the cases within the official's units through `emit`, oldest first.
    ///
    /// The export is recorded before the first row is written — one access-log entry
    /// (who, when, redacted or not, the filter, the reason) naming every exported case —
    /// so an export cut short is still on record.
    @discardableResult
    func exportCases(_ req: ExportRequest, by actor: Official, at now: Date,
                            emit: (ExportRecord) throws -> Void) throws -> ExportSummary {
        let reason = req.unredacted ? try ActionText.reason(req.reason) : req.reason.map { CitizenText.clean($0, multiline: false) }
        var scopeUnit = actor.unitId
        if let code = req.unitCode {
            guard let u = try unit(code: code) else { throw StoreError.unknownUnit(code) }
            scopeUnit = u.id
        }
        var target = [req.format, req.unredacted ? "unredacted" : "redacted"]
        if let u = req.unitCode { target.append("unit=\(u)") }
        if let s = req.statuses { target.append("status=" + s.map(\.rawValue).joined(separator: ",")) }
        if let k = req.kind { target.append("kind=\(k.rawValue)") }
        if let c = req.category { target.append("category=\(c)") }
        if let s = req.since { target.append("since=\(ISO8601.format(s))") }
        if let u = req.until { target.append("until=\(ISO8601.format(u))") }
        let what = "export " + target.joined(separator: " ")
        let me = try authorize(actor, req.unredacted ? .exportUnredacted : .view, unitId: scopeUnit, what: what, at: now)

        let ids: [Int64] = try read { db in
            var clauses: [String] = []
            var args: [DatabaseValueConvertible?] = []
            if let u = try UnitQueries.unit(db, id: scopeUnit), u.level != .centre, let p = try UnitQueries.path(db, id: scopeUnit) {
                clauses.append("""
                    (unit_id IN (SELECT id FROM unit WHERE path >= ? AND path < ?)
                     OR ward_id IN (SELECT id FROM unit WHERE path >= ? AND path < ?))
                    """)
                args += [p, p + "\u{FFFF}", p, p + "\u{FFFF}"]
            }
            if let s = req.statuses, !s.isEmpty {
                clauses.append("status IN (\(s.map { _ in "?" }.joined(separator: ",")))")
                args += s.map(\.rawValue)
            }
            if let k = req.kind { clauses.append("kind = ?"); args.append(k.rawValue) }
            if let c = req.category { clauses.append("category = ?"); args.append(c) }
            if let s = req.since { clauses.append("received_at >= ?"); args.append(CaseRow.secs(s)) }
            if let u = req.until { clauses.append("received_at < ?"); args.append(CaseRow.secs(u)) }
            let whereSQL = clauses.isEmpty ? "1" : clauses.joined(separator: " AND ")
            return try Int64.fetchAll(db, sql: "SELECT id FROM pakn_case WHERE \(whereSQL) ORDER BY received_at, id",
                                      arguments: StatementArguments(args))
        }
        let accessId = try write { db in
            try AccessLog.append(db, AccessDraft(at: now, actorId: me.id, login: me.login,
                                                 action: req.unredacted ? .exportUnredacted : .export,
                                                 target: target.joined(separator: " "), note: reason, count: ids.count,
                                                 caseIds: ids))
        }
        var offset = 0
        while offset < ids.count {
            let chunk = Array(ids[offset..<min(offset + 500, ids.count)])
            offset += chunk.count
            let records = try read { db in try chunk.compactMap { try Self.exportRecord(db, id: $0, unredacted: req.unredacted) } }
            for r in records { try emit(r) }
        }
        return ExportSummary(count: ids.count, accessId: accessId)
    }

    static func exportRecord(_ db: Database, id: Int64, unredacted: Bool) throws -> ExportRecord? {
        guard let c = try CaseRow.fetch(db, id: id) else { return nil }
        let unit = try c.unitId.flatMap { try UnitQueries.unit(db, id: $0) }
        let ward = try c.wardId.flatMap { try UnitQueries.unit(db, id: $0) }
        let assignee = try c.assigneeId.flatMap { try OfficialStore.byId(db, $0) }
        var reporter: Reporter?
        var erased = false
        if c.anonymous {
            reporter = nil
        } else if c.confidential {
            reporter = Reporter(id: c.reporterId, confidential: true)
        } else if let rid = c.reporterId, let r = try ReporterStore.fetch(db, rid) {
            erased = try Int64.fetchOne(db, sql: "SELECT erased_at FROM reporter WHERE id = ?", arguments: [rid]) != nil
            reporter = unredacted ? r : r.masked()
        }
        return ExportRecord(case: c, unitCode: unit?.code, unitName: unit?.label, wardCode: ward?.code, wardName: ward?.label,
                            assigneeLogin: assignee?.login, reporter: reporter,
                            reporterMasked: !unredacted && reporter != nil && !c.confidential,
                            reporterSealed: c.confidential && !c.anonymous, reporterErased: erased)
    }
}
