import Foundation
import GRDB
import PaknCore

extension Session {
    /// The keys of the cases `ids` that the official may see (others are left out, as a
    /// queue leaves them out), read in one go.
    public func caseKeys(ids: [Int64]) throws -> [Int64: CaseKeys] {
        try db.read { db in
            let o = try Guard.current(db, me)
            var inScope: [Int64: Bool] = [:]
            func within(_ unit: Int64?) throws -> Bool {
                guard let unit else { return false }
                if let known = inScope[unit] { return known }
                let w = try UnitQueries.isWithin(db, unit: unit, ancestor: o.unitId)
                inScope[unit] = w
                return w
            }
            var out: [Int64: CaseKeys] = [:]
            var start = 0
            while start < ids.count {
                let chunk = Array(ids[start..<min(start + 500, ids.count)])
                start += chunk.count
                let marks = Array(repeating: "?", count: chunk.count).joined(separator: ",")
                let rows = try Row.fetchAll(db, sql: """
                    SELECT c.id, c.channel, c.version, c.complex, c.unit_id, c.ward_id, u.code AS unit_code,
                           w.code AS ward_code, a.login AS assignee_login
                    FROM pakn_case c
                    LEFT JOIN unit u ON u.id = c.unit_id
                    LEFT JOIN unit w ON w.id = c.ward_id
                    LEFT JOIN official a ON a.id = c.assignee_id
                    WHERE c.id IN (\(marks))
                    """, arguments: StatementArguments(chunk))
                for r in rows {
                    let unitId: Int64? = r["unit_id"], wardId: Int64? = r["ward_id"]
                    guard try within(unitId) || within(wardId) else { continue }
                    let channel: String = r["channel"]
                    out[r["id"]] = CaseKeys(channel: Channel(rawValue: channel) ?? .web, version: r["version"], complex: r["complex"],
                                            unitCode: r["unit_code"], wardCode: r["ward_code"], assigneeLogin: r["assignee_login"])
                }
            }
            return out
        }
    }
}
