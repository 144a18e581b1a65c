import Foundation
import GRDB
import PaknCore

extension AppDatabase {
    /// Checks a permission for an act that is not one case's workflow (an export, a
    /// data-subject request, managing officials, a backup). The official is read afresh;
    /// a refusal is written to the access log and thrown.
    ///
    /// - Parameter unitId: where the act applies; the official's scope must cover it.
    @discardableResult
    func authorize(_ actor: Official, _ permission: Permission, unitId: Int64? = nil, what: String,
                          at now: Date) throws -> Official {
        do {
            return try read { db in
                let me = try Guard.current(db, actor)
                let unitName = try unitId.flatMap { try UnitQueries.unit(db, id: $0)?.label } ?? "-"
                guard Session.permissions.allows(me.role, permission) else {
                    throw StoreError.permissionDenied(login: me.login, permission: permission, unit: unitName)
                }
                if let unitId, unitId != me.unitId, try !UnitQueries.isWithin(db, unit: unitId, ancestor: me.unitId) {
                    throw StoreError.permissionDenied(login: me.login, permission: permission, unit: unitName)
                }
                return me
            }
        } catch let error as StoreError {
            switch error {
            case .permissionDenied, .officialDisabled: logRefusal(error, actor: actor, what: what, at: now)
            default: break
            }
            throw error
        }
    }

    /// The unit a database serves (`home_unit`, set by `pakn init` / `pakn demo`): acts on
    /// the whole database (a backup, a restore) need a scope that covers it.
    func homeUnitId() throws -> Int64? {
        try read { db in
            guard let code = try AppDatabase.setting(db, "home_unit") else { return nil }
            return try UnitQueries.unit(db, code: code)?.id
        }
    }
}

extension PermissionTable {
    /// The table as Markdown, roles across, permissions down — the text docs/security.md
    /// carries between its `permission-table` markers (a test keeps them equal).
    public func markdown() -> String {
        let roles = Role.allCases
        var lines = ["| Permission | " + roles.map { "\($0.rawValue) (\($0.label(.vi)))" }.joined(separator: " | ") + " | Meaning |",
                     "|---|" + roles.map { _ in ":-:|" }.joined() + "---|"]
        for p in Permission.allCases {
            let cells = roles.map { allows($0, p) ? "✓" : "" }
            lines.append("| `\(p.rawValue)` | " + cells.joined(separator: " | ") + " | \(L10n.t("perm.\(p.rawValue)", .en)) |")
        }
        return lines.joined(separator: "\n")
    }
}

extension Permission {
    public func label(_ lang: Lang) -> String { L10n.t("perm.\(rawValue)", lang) }
}
