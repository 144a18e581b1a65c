import Foundation
import GRDB
import PaknCore

extension AppDatabase {
    /// The official `login` if `actor` may manage them: `manage_officials`, the target's
    /// unit within the actor's, and the target's role (and `role`, the one to give) no
    /// higher than the actor's (`AdminScope.mayHandle`). Refusals go to the access log.
    private func manageable(_ login: String, giving role: Role? = nil, by actor: Official, what: String,
                            at now: Date) throws -> (me: Official, target: Official) {
        guard let target = try official(login: login) else { throw StoreError.unknownOfficial(login) }
        let me = try authorize(actor, .manageOfficials, unitId: target.unitId, what: what, at: now)
        if target.id == me.id { throw Message("trust.officials.self") }
        for r in [target.role] + (role.map { [$0] } ?? []) where !AdminScope.mayHandle(me.role, r) {
            throw refuse(me, Message("admin.scope.role", me.login, r.rawValue), what: what, at: now)
        }
        return (me, target)
    }

    /// The official's row as the access chain records it.
    private static func fact(_ db: Database, _ id: Int64) throws -> [AccessFact] {
        try Facts.enabled(db) ? [try Facts.current(db, Facts.official, key: id)] : []
    }

    /// Officials who can still manage officials, besides `except`.
    private static func otherManagers(_ db: Database, except id: Int64) throws -> Int {
        let roles = Role.allCases.filter { PermissionTable.standard.allows($0, .manageOfficials) }.map(\.rawValue)
        return try Int.fetchOne(db, sql: """
            SELECT count(*) FROM official WHERE active = 1 AND id <> ? AND role IN (\(roles.map { _ in "?" }.joined(separator: ",")))
            """, arguments: StatementArguments([id] + roles)) ?? 0
    }

    /// Changes an official's role (`pakn officials set-role`). Takes effect at their next
    /// action, even in an open desk.
    @discardableResult
    func setRole(login: String, role: Role, by actor: Official, at now: Date) throws -> Official {
        let (me, target) = try manageable(login, giving: role, by: actor, what: "officials set-role \(login) \(role.rawValue)", at: now)
        if target.role == role { return target }
        return try write { db in
            if PermissionTable.standard.allows(target.role, .manageOfficials), !PermissionTable.standard.allows(role, .manageOfficials),
               try Self.otherManagers(db, except: target.id) == 0 {
                throw Message("trust.officials.last_admin", login)
            }
            try db.execute(sql: "UPDATE official SET role = ? WHERE id = ?", arguments: [role.rawValue, target.id])
            try AccessLog.append(db, AccessDraft(at: now, actorId: me.id, login: me.login, action: .officialRole,
                                                 target: login, note: "\(target.role.rawValue) → \(role.rawValue)",
                                                 facts: try Self.fact(db, target.id)))
            var o = target
            o.role = role
            return o
        }
    }

    /// Disables or re-enables an official (`pakn officials disable|enable`). A disabled
    /// official keeps their history but can do nothing, from their next action on.
    @discardableResult
    func setActive(login: String, active: Bool, by actor: Official, at now: Date) throws -> Official {
        let (me, target) = try manageable(login, by: actor, what: "officials \(active ? "enable" : "disable") \(login)", at: now)
        if target.active == active { return target }
        return try write { db in
            if !active, PermissionTable.standard.allows(target.role, .manageOfficials), try Self.otherManagers(db, except: target.id) == 0 {
                throw Message("trust.officials.last_admin", login)
            }
            try db.execute(sql: "UPDATE official SET active = ? WHERE id = ?", arguments: [active, target.id])
            try AccessLog.append(db, AccessDraft(at: now, actorId: me.id, login: me.login,
                                                 action: active ? .officialEnable : .officialDisable, target: login,
                                                 facts: try Self.fact(db, target.id)))
            var o = target
            o.active = active
            return o
        }
    }

    /// Adds an official within the actor's units, with a role no higher than the actor's,
    /// recorded in the access log.
    @discardableResult
    func addOfficial(login: String, fullName: String, unitCode: String, role: Role, by actor: Official,
                            at now: Date) throws -> Official {
        guard let u = try unit(code: unitCode) else { throw StoreError.unknownUnit(unitCode) }
        let what = "officials add \(login)"
        let me = try authorize(actor, .manageOfficials, unitId: u.id, what: what, at: now)
        if !AdminScope.mayHandle(me.role, role) { throw refuse(me, Message("admin.scope.role", me.login, role.rawValue), what: what, at: now) }
        return try write { db in
            let o = try OfficialStore.insert(db, login: login, fullName: fullName, unitId: u.id, role: role)
            try AccessLog.append(db, AccessDraft(at: now, actorId: me.id, login: me.login, action: .officialAdd,
                                                 target: o.login, note: "\(role.rawValue) @ \(u.code)",
                                                 facts: try Self.fact(db, o.id)))
            return o
        }
    }
}
