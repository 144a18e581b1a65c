import Foundation
import PaknCore
import PaknStoreAPI
import PostgresNIO

// `pakn export` on the server (CaseExport.swift's rules): the cases within the official's
// units, oldest first, recorded in the access log before the first row is written. The
// reporters come from `pakn_export_reporters` (migration `v4-ops-export`), which writes
// that record in the same call, masked unless the export is unredacted.

extension ServerSession {
    public func exportCases(_ req: ExportRequest, emit: (ExportRecord) throws -> Void) throws -> ExportSummary {
        let reason = req.unredacted ? try ActionText.reason(req.reason) : req.reason.map { CitizenText.clean($0, multiline: false) }
        var scopeUnit = official.unitId
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
        try authorize(req.unredacted ? .exportUnredacted : .view, unitId: scopeUnit, what: "export " + target.joined(separator: " "))

        var b = Binds()
        var clauses = ["pakn_in_scope(c.unit_id, c.ward_id, c.assignee_id)"]
        if let u = try unit(id: scopeUnit), u.level != .centre {
            let path = "(SELECT path FROM unit WHERE id = \(b.add(scopeUnit)))"
            clauses.append("""
                (c.unit_id IN (SELECT id FROM unit WHERE starts_with(path, \(path)))
                 OR c.ward_id IN (SELECT id FROM unit WHERE starts_with(path, \(path))))
                """)
        }
        if let s = req.statuses, !s.isEmpty { clauses.append("c.status = ANY(\(b.add(s.map(\.rawValue)))::text[])") }
        if let k = req.kind { clauses.append("c.kind = \(b.add(k.rawValue))") }
        if let c = req.category { clauses.append("c.category = \(b.add(c))") }
        if let s = req.since { clauses.append("c.received_at >= to_timestamp(\(b.add(Self.secs(s))))") }
        if let u = req.until { clauses.append("c.received_at < to_timestamp(\(b.add(Self.secs(u))))") }
        let ids = try db.rows("SELECT c.id FROM pakn_case c WHERE \(clauses.joined(separator: " AND ")) ORDER BY c.received_at, c.id", b)
            .map { try $0.int(0) }

        // The record and the reporters, in one call.
        var rb = Binds()
        var accessId: Int64 = 0
        var reporters: [Int64: (Reporter, Bool)] = [:]
        for r in try db.rows("""
            SELECT access_id, case_id, name, phone, email, address, national_id, erased
            FROM pakn_export_reporters(\(rb.add(req.unredacted)), \(rb.add(target.joined(separator: " "))), \(rb.add(reason))::text,
              \(rb.add(ids))::bigint[])
            """, rb) {
            accessId = try r.int(0)
            guard let caseId = try r.intOpt(1) else { continue }
            reporters[caseId] = (Reporter(name: try r.strOpt(2), phone: try r.strOpt(3), email: try r.strOpt(4), address: try r.strOpt(5),
                                          nationalId: try r.strOpt(6)), try r[7].decode(Bool?.self) ?? false)
        }
        var officials: [Int64: Official?] = [:]
        var offset = 0
        while offset < ids.count {
            let chunk = Array(ids[offset..<min(offset + 500, ids.count)])
            offset += chunk.count
            var cb = Binds()
            let cases = try db.rows("SELECT \(Self.caseColumns) FROM pakn_case c WHERE c.id = ANY(\(cb.add(chunk))::bigint[]) ORDER BY c.received_at, c.id", cb)
                .map(Self.decodeCase)
            for c in cases {
                let unit = try c.unitId.flatMap { try self.unit(id: $0) }
                let ward = try c.wardId.flatMap { try self.unit(id: $0) }
                let assignee = try c.assigneeId.flatMap { id -> Official? in
                    if let o = officials[id] { return o }
                    let o = try official(id: id)
                    officials[id] = o
                    return o
                }
                var reporter: Reporter?
                var erased = false
                if c.anonymous {
                    reporter = nil
                } else if c.confidential {
                    reporter = Reporter(id: c.reporterId, confidential: true)
                } else if let found = reporters[c.id] {
                    reporter = found.0
                    reporter?.id = c.reporterId
                    erased = found.1
                }
                try emit(ExportRecord(case: c, unitCode: unit?.code, unitName: unit?.label, wardCode: ward?.code, wardName: ward?.label,
                                      assigneeLogin: assignee?.login, reporter: reporter,
                                      reporterMasked: !req.unredacted && reporter != nil && !c.confidential,
                                      reporterSealed: c.confidential && !c.anonymous, reporterErased: erased))
            }
        }
        return ExportSummary(count: ids.count, accessId: accessId)
    }
}
