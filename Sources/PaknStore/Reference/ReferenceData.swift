import Foundation
import GRDB
import PaknCore

extension ReferenceData {
    static func load(_ db: Database) throws -> ReferenceData {
        let exceptions = try CalendarTable.all(db)
        let decoder = JSONDecoder()
        let rules = try String.fetchAll(db, sql: "SELECT json FROM deadline_rule").map {
            try decoder.decode(DeadlineRule.self, from: Data($0.utf8))
        }
        let routing = try Row.fetchAll(db, sql: "SELECT kind, category, level, department FROM routing_rule ORDER BY id").map { r in
            RoutingRule(kind: (r["kind"] as String?).flatMap(CaseKind.init(rawValue:)), category: r["category"],
                        level: UnitLevel(rawValue: r["level"]) ?? .commune, department: r["department"])
        }
        let categories = try Row.fetchAll(db, sql: "SELECT code, name_vi, name_en FROM category ORDER BY sort").map {
            Category(code: $0["code"], nameVi: $0["name_vi"], nameEn: $0["name_en"])
        }
        var policy = WorkflowPolicy()
        if let v = try AppDatabase.setting(db, "due_soon_days").flatMap(Int.init) { policy.dueSoonDays = v }
        if let v = try AppDatabase.setting(db, "reopen_at_or_below").flatMap(Int.init) { policy.reopenAtOrBelow = v }
        return ReferenceData(calendar: WorkingCalendar(exceptions: exceptions), rulebook: DeadlineRulebook(rules),
                             routing: RoutingTable(routing), categories: categories, policy: policy)
    }
}

extension AppDatabase {
    package func reference() throws -> ReferenceData { try read { try ReferenceData.load($0) } }
}
