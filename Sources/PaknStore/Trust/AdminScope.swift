import Foundation
import GRDB
import PaknCore

/// Who may change which part of the administration (docs/security.md, "Administration in
/// scope"), beyond holding `manage_rules` or `manage_officials`:
///
/// - a unit's row is managed from the unit above it: adding, changing or moving a unit needs
///   the new parent, and the unit itself when it exists, within the admin's units (a ward's
///   admin may add a department under the ward, never change the ward, a neighbour, the city
///   inspectorate or anything above);
/// - national deadline rules (the law's kinds, and every rule without a local issuer) and
///   the holiday calendar need an admin at province level or above whose units cover the
///   unit the database serves; a local rule needs its issuer within the admin's units;
/// - an official is managed only within the admin's units, and no admin gives or touches a
///   role that holds a permission they lack.
enum AdminScope {
    /// Whether unit `id` is `me`'s unit or lies below it.
    static func covers(_ db: Database, _ me: Official, _ id: Int64) throws -> Bool {
        try id == me.unitId || UnitQueries.isWithin(db, unit: id, ancestor: me.unitId)
    }

    /// An admin at province level or above (or at the root of the tree) whose units cover the
    /// unit the database serves: the one who may change what is national.
    static func isNational(_ db: Database, _ me: Official) throws -> Bool {
        guard let u = try UnitQueries.unit(db, id: me.unitId),
              u.parentId == nil || u.level == .centre || u.level == .province else { return false }
        if let code = try AppDatabase.setting(db, "home_unit"), let home = try UnitQueries.unit(db, code: code) {
            return try covers(db, me, home.id)
        }
        return true
    }

    /// "00070 Phường Hoàn Kiếm"
    static func label(_ u: OrgUnit) -> String { "\(u.code) \(u.name)" }

    /// Why `me` may not change the unit `unit` (nil: it does not exist yet) under `parent`,
    /// or nil when they may.
    static func unitRefusal(_ db: Database, _ me: Official, unit: Int64?, parent: Int64?, label: String) throws -> Message? {
        if let unit, try !covers(db, me, unit) { return Message("admin.scope.unit", me.login, label) }
        guard let parent else { return Message("admin.scope.unit", me.login, label) }
        return try covers(db, me, parent) ? nil : Message("admin.scope.unit", me.login, label)
    }

    /// Why `me` may not add, replace or retire `rule`, or nil when they may.
    static func ruleRefusal(_ db: Database, _ me: Official, _ rule: DeadlineRule) throws -> Message? {
        if !rule.isNational, let code = rule.issuer, let issuer = try UnitQueries.unit(db, code: code) {
            return try covers(db, me, issuer.id) ? nil : Message("admin.scope.local_rule", me.login, rule.id, label(issuer))
        }
        // National, or issued by a unit that is gone: the national admin's.
        return try isNational(db, me) ? nil : Message("admin.scope.national_rule", me.login, rule.id)
    }

    /// Whether `me`'s role holds every permission of `role` (an admin never gives, changes or
    /// disables a role above their own: a trainer's, unless a trainer).
    static func mayHandle(_ me: Role, _ role: Role) -> Bool {
        let t = PermissionTable.standard
        return Permission.allCases.allSatisfy { !t.allows(role, $0) || t.allows(me, $0) }
    }
}

/// Thrown inside a transaction when an administrative act is found out of scope: the
/// transaction rolls back, and `AppDatabase.scoped` records the refusal outside it.
struct ScopeRefusal: Error {
    var reason: Message
}

extension AppDatabase {
    /// Runs an administrative act whose scope is checked inside it (`ScopeRefusal`): a
    /// refusal is written to the access log and thrown as `adminOutOfScope` (exit code 4).
    func scoped<T>(_ me: Official, what: String, at now: Date, _ body: () throws -> T) throws -> T {
        do { return try body() } catch let r as ScopeRefusal {
            throw refuse(me, r.reason, what: what, at: now)
        }
    }

    /// Records a refused administrative act and returns the error to throw.
    func refuse(_ me: Official, _ reason: Message, what: String, at now: Date) -> StoreError {
        let e = StoreError.adminOutOfScope(login: me.login, reason: reason)
        logRefusal(e, actor: me, what: what, at: now)
        return e
    }

    /// `manage_rules`, and the reach to change what is national (the holiday calendar, the
    /// national deadline rules). A refusal is recorded.
    func authorizeNational(_ actor: Official, what: String, reason: (Official) -> Message, at now: Date) throws -> Official {
        // The permission at the official's own unit (a refusal names it); the reach below.
        let me = try authorize(actor, .manageRules, unitId: actor.unitId, what: what, at: now)
        guard try read({ try AdminScope.isNational($0, me) }) else { throw refuse(me, reason(me), what: what, at: now) }
        return me
    }
}
