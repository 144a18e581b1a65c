import Foundation
import GRDB
import PaknCore

/// Permission and scope checks shared by the CLI and the desk: a role must hold the
/// permission, and the case must lie within the official's unit subtree.
///
/// Checks read the official afresh inside the transaction, so a role changed or an
/// account disabled (`pakn officials set-role|disable`) takes effect at the next action,
/// even in a desk that was opened before.
enum Guard {
    /// The acting official as the database knows them now.
    static func current(_ db: Database, _ actor: Official) throws -> Official {
        let stmt = try db.cachedStatement(sql: "SELECT \(OfficialStore.columns) FROM official WHERE id = ?")
        guard let o = try Row.fetchOne(stmt, arguments: [actor.id]).map(OfficialStore.official(from:)),
              o.login == actor.login else {
            throw StoreError.noOfficialForLogin(actor.login)
        }
        guard o.active else { throw StoreError.officialDisabled(o.login) }
        return o
    }

    static func require(_ db: Database, _ actor: Official, _ permission: Permission, unitId: Int64?) throws {
        let me = try current(db, actor)
        guard Session.permissions.allows(me.role, permission) else {
            let unitName = try unitId.flatMap { try UnitQueries.unit(db, id: $0)?.label } ?? "-"
            throw StoreError.permissionDenied(login: me.login, permission: permission, unit: unitName)
        }
    }

    /// Refuses unless the case's responsible unit lies in the official's subtree (the
    /// handling unit, not only the ward the case is about).
    static func requireHandling(_ db: Database, _ actor: Official, _ permission: Permission, _ c: Case) throws {
        let me = try current(db, actor)
        guard let u = c.unitId, try UnitQueries.isWithin(db, unit: u, ancestor: me.unitId) else {
            let unitName = try c.unitId.flatMap { try UnitQueries.unit(db, id: $0)?.label } ?? "-"
            throw StoreError.permissionDenied(login: me.login, permission: permission, unit: unitName)
        }
    }

    /// Whether the case is the official's business: its responsible unit or its ward lies
    /// in the official's subtree, or it is assigned to them (a ward may give a case of one
    /// of its departments to an official of another: the "Mine" view lists it, and its
    /// assignee must be able to open and answer it).
    static func inScope(_ db: Database, _ actor: Official, _ c: Case) throws -> Bool {
        let me = try current(db, actor)
        if c.assigneeId == me.id { return true }
        for u in [c.unitId, c.wardId].compactMap({ $0 }) where try UnitQueries.isWithin(db, unit: u, ancestor: me.unitId) {
            return true
        }
        return false
    }

    /// Whether the official may read the case: it is their business (`inScope`), or a unit of
    /// their subtree sent it up or away (`case_sent_up`: the "Sent up" view lists it, and the
    /// sender follows it). Reading only: actions, reveals and attachments keep `inScope`.
    static func mayRead(_ db: Database, _ actor: Official, _ c: Case) throws -> Bool {
        if try inScope(db, actor, c) { return true }
        let me = try current(db, actor)
        let senders = try Int64.fetchAll(db.cachedStatement(sql: "SELECT from_unit_id FROM case_sent_up WHERE case_id = ?"),
                                         arguments: [c.id])
        for u in Set(senders) where try UnitQueries.isWithin(db, unit: u, ancestor: me.unitId) { return true }
        return false
    }

    /// `mayRead`, or the same refusal as a case that does not exist.
    static func requireRead(_ db: Database, _ actor: Official, _ c: Case, ref: String) throws {
        guard try mayRead(db, actor, c) else { throw StoreError.outOfScope(login: actor.login, code: ref) }
    }

    /// Refuses a case outside the official's units as if it did not exist: the error names
    /// the case as the official typed it (`ref`), never its code, so an id typed at random
    /// does not tell an official which case it is, or that there is one.
    static func requireScope(_ db: Database, _ actor: Official, _ c: Case, ref: String) throws {
        guard try inScope(db, actor, c) else { throw StoreError.outOfScope(login: actor.login, code: ref) }
    }
}
