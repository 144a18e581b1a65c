import Foundation
import GRDB
import PaknCore

extension AppDatabase {
    /// Flags (or unflags) communes as remote or especially difficult areas, which gives
    /// their new complaints the remote time limits. Needs `manage_rules` over each unit;
    /// a reason is required; all or nothing; each change is one access-log entry (actor,
    /// unit, reason) in the same transaction. Old codes land on the unit they became.
    /// `lines` names each code's line when the codes come from a file.
    func setRemote(codes: [String], remote: Bool, reason: String, by actor: Official, at now: Date,
                          file: String? = nil, lines: [Int]? = nil) throws -> RemoteSummary {
        let why = CitizenText.clean(reason, multiline: false)
        guard !why.isEmpty else { throw StoreError.missingField("--reason") }
        guard why.count <= CitizenText.maxLineFieldLength else { throw StoreError.tooLong(field: "--reason", max: CitizenText.maxLineFieldLength) }
        guard !codes.isEmpty else { throw StoreError.missingField("CODE") }
        // Find every unit first: a bad code refuses the whole list, naming it.
        var units: [OrgUnit] = []
        try read { db in
            for (i, code) in codes.enumerated() {
                let fail: (Message) -> Error = { m in
                    if let file, let lines { return StoreError.badData(file: file, line: lines[i], reason: m) }
                    return m
                }
                guard let u = try UnitQueries.unit(db, code: code) else {
                    if let file, let lines { throw StoreError.badData(file: file, line: lines[i], reason: Message("units.remote.unknown", code)) }
                    throw StoreError.unknownUnit(code)
                }
                guard u.level == .commune else { throw fail(Message("units.remote.not_commune", u.code, u.label)) }
                if !units.contains(where: { $0.id == u.id }) { units.append(u) }
            }
        }
        let action: AccessAction = remote ? .unitRemoteSet : .unitRemoteUnset
        var me = actor
        for u in units {
            me = try authorize(actor, .manageRules, unitId: u.id, what: "units remote \(remote ? "set" : "unset") \(u.code)", at: now)
        }
        return try write { db in
            var s = RemoteSummary()
            for u in units {
                guard let current = try UnitQueries.unit(db, id: u.id) else { throw StoreError.unknownUnit(u.code) }
                if current.remote == remote { s.unchanged.append(current); continue }
                try db.execute(sql: "UPDATE unit SET remote = ? WHERE id = ?", arguments: [remote, u.id])
                try AccessLog.append(db, AccessDraft(at: now, actorId: me.id, login: me.login, action: action, target: u.code,
                                                     note: why + (file.map { " (\($0))" } ?? ""), count: 1,
                                                     facts: try Facts.enabled(db) ? [try Facts.current(db, Facts.unit, key: u.id)] : []))
                var changed = current
                changed.remote = remote
                s.changed.append(changed)
            }
            return s
        }
    }

    /// The units flagged remote, within `ancestor` when given, by code.
    func remoteUnits(within ancestor: Int64? = nil) throws -> [OrgUnit] {
        try read { db in
            var sql = "SELECT \(UnitQueries.columns) FROM unit WHERE remote = 1"
            var args: [DatabaseValueConvertible] = []
            if let ancestor, let p = try UnitQueries.path(db, id: ancestor) {
                sql += " AND path >= ? AND path < ?"
                args += [p, p + "\u{FFFF}"]
            }
            return try Row.fetchAll(db, sql: sql + " ORDER BY code", arguments: StatementArguments(args)).map(UnitQueries.unit(from:))
        }
    }
}
