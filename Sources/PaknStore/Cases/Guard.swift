import Foundation
import GRDB
import PaknCore

/// Permission and scope checks shared by the CLI and the desk: a role must hold the
/// permission, and the case must lie within the official's unit subtree.
enum Guard {
    static func require(_ db: Database, _ actor: Official, _ permission: Permission, unitId: Int64?) throws {
        guard actor.active else { throw StoreError.officialDisabled(actor.login) }
        let unitName = try unitId.flatMap { try UnitQueries.unit(db, id: $0)?.name } ?? "-"
        guard PermissionTable.standard.allows(actor.role, permission) else {
            throw StoreError.permissionDenied(login: actor.login, permission: permission, unit: unitName)
        }
    }

    /// Whether the case is the official's business: its responsible unit or its ward lies
    /// in the official's subtree.
    static func inScope(_ db: Database, _ actor: Official, _ c: Case) throws -> Bool {
        for u in [c.unitId, c.wardId].compactMap({ $0 }) where try UnitQueries.isWithin(db, unit: u, ancestor: actor.unitId) {
            return true
        }
        return false
    }

    static func requireScope(_ db: Database, _ actor: Official, _ c: Case) throws {
        guard try inScope(db, actor, c) else { throw StoreError.outOfScope(login: actor.login, code: c.code) }
    }
}
