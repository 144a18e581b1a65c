import Foundation
import GRDB
import PaknCore

/// What the access log records: acts that are not one case's workflow — bulk reads of
/// personal data, data-subject requests, changes to officials, backups, refusals of such
/// acts. Each entry names the cases it touched (by id only) in `access_case`.
public enum AccessAction: String, Codable, CaseIterable, Sendable {
    case export
    case exportUnredacted = "export_unredacted"
    case citizenExport = "citizen_export"
    case citizenErase = "citizen_erase"
    case officialAdd = "official_add"
    case officialRole = "official_role"
    case officialDisable = "official_disable"
    case officialEnable = "official_enable"
    case backup, restore
    case refused
    /// A day added to, changed in or removed from the holiday calendar (`pakn calendar`).
    case calendarAdd = "calendar_add"
    case calendarUpdate = "calendar_update"
    case calendarRemove = "calendar_remove"
    // Units (`pakn units …`, migration v5-units-2026).
    case unitsMigrate = "units_migrate"
    /// A deadline rule added or replaced (`pakn rules import`).
    case rulesImport = "rules_import"
    case unitsImport = "units_import"
    case unitsChange = "units_change"
    case unitRemoteSet = "unit_remote_set"
    case unitRemoteUnset = "unit_remote_unset"
    /// A period report printed or written (`pakn report`), with the overdue cases it lists.
    case reportExport = "report_export"
    /// A child office's report file imported (`pakn report import`).
    case reportImport = "report_import"
}

/// One entry of the access log. Never holds a citizen's personal data: selectors of a
/// data-subject request are recorded by kind ("phone"), not value.
public struct AccessEntry: Equatable, Sendable, Codable {
    public var id: Int64
    public var at: Date
    public var actorId: Int64?
    public var login: String
    public var action: AccessAction
    public var target: String?
    public var note: String?
    public var count: Int
    public var digest: String?
    public var caseIds: [Int64]
    public var hash: String
}

/// A new access-log entry before it is chained.
struct AccessDraft {
    var at: Date
    var actorId: Int64?
    var login: String
    var action: AccessAction
    var target: String?
    var note: String?
    var count: Int = 0
    var digest: String?
    var caseIds: [Int64] = []
}

/// The access log's own hash chain: same construction as the event chain (SHA-256 over the
/// previous 32-byte hash and the entry's canonical text), so removing, altering or
/// reordering an entry — or the list of cases it names — breaks every later link.
enum AccessLog {
    /// The text a hash covers. Changing this breaks every existing chain: don't.
    static func canonical(id: Int64, at: Int64, actorId: Int64?, login: String, action: String, target: String?,
                          note: String?, count: Int, digest: String?, caseIds: [Int64]) -> String {
        [String(id), String(at), actorId.map(String.init) ?? "", login, action, target ?? "", note ?? "",
         String(count), digest ?? "", SHA256.hex(caseIds.sorted().map(String.init).joined(separator: ","))]
            .joined(separator: "\u{1F}")
    }

    static func head(_ db: Database) throws -> (id: Int64, hash: [UInt8])? {
        try Row.fetchOne(db, sql: "SELECT id, hash FROM access_log ORDER BY id DESC LIMIT 1")
            .map { ($0["id"], [UInt8](($0["hash"] as Data))) }
    }

    /// Appends inside the caller's transaction.
    @discardableResult
    static func append(_ db: Database, _ d: AccessDraft) throws -> Int64 {
        let prev = try head(db)
        let id = (prev?.id ?? 0) + 1
        let at = CaseRow.secs(d.at)
        let ids = Array(Set(d.caseIds)).sorted()
        let text = canonical(id: id, at: at, actorId: d.actorId, login: d.login, action: d.action.rawValue,
                             target: d.target, note: d.note, count: d.count, digest: d.digest, caseIds: ids)
        let h = ChainHash.digest((prev?.hash ?? EventLog.genesis) + Array(text.utf8))
        try db.execute(sql: """
            INSERT INTO access_log(id, at, actor_id, login, action, target, note, count, digest, hash)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [id, at, d.actorId, d.login, d.action.rawValue, d.target, d.note, d.count, d.digest, Data(h)])
        let stmt = try db.cachedStatement(sql: "INSERT INTO access_case(access_id, case_id) VALUES (?, ?)")
        for c in ids { try stmt.execute(arguments: [id, c]) }
        return id
    }

    static func caseIds(_ db: Database, accessId: Int64) throws -> [Int64] {
        let stmt = try db.cachedStatement(sql: "SELECT case_id FROM access_case WHERE access_id = ? ORDER BY case_id")
        return try Int64.fetchAll(stmt, arguments: [accessId])
    }

    static func entry(_ db: Database, _ r: Row) throws -> AccessEntry {
        let id: Int64 = r["id"]
        return AccessEntry(id: id, at: CaseRow.date(r["at"]), actorId: r["actor_id"], login: r["login"],
                           action: AccessAction(rawValue: r["action"]) ?? .refused, target: r["target"], note: r["note"],
                           count: r["count"], digest: r["digest"], caseIds: try caseIds(db, accessId: id),
                           hash: SHA256.toHex([UInt8]((r["hash"] as Data?) ?? Data())))
    }

    /// Walks the access chain. Same report shape as the event chain.
    static func verify(_ db: Database, against: String? = nil) throws -> ChainCheck {
        var walker = ChainWalker(.access, against: against)
        let cursor = try Row.fetchCursor(db, sql: "SELECT * FROM access_log ORDER BY id")
        while let r = try cursor.next() {
            let id: Int64 = r["id"]
            let text = canonical(id: id, at: r["at"], actorId: r["actor_id"], login: r["login"], action: r["action"],
                                 target: r["target"], note: r["note"], count: r["count"], digest: r["digest"],
                                 caseIds: try caseIds(db, accessId: id))
            if !walker.step(id: id, text: text, stored: [UInt8]((r["hash"] as Data?) ?? Data())) { break }
        }
        return walker.report()
    }
}

extension AppDatabase {
    /// The latest access-log entries, newest first (`pakn audit log`).
    func accessLog(limit: Int = 100, caseRef: String? = nil) throws -> [AccessEntry] {
        try read { db in
            if let caseRef {
                let c = try CaseRow.resolve(db, caseRef)
                return try Row.fetchAll(db, sql: """
                    SELECT l.* FROM access_log l JOIN access_case a ON a.access_id = l.id
                    WHERE a.case_id = ? ORDER BY l.id DESC LIMIT ?
                    """, arguments: [c.id, limit]).map { try AccessLog.entry(db, $0) }
            }
            return try Row.fetchAll(db, sql: "SELECT * FROM access_log ORDER BY id DESC LIMIT ?", arguments: [limit])
                .map { try AccessLog.entry(db, $0) }
        }
    }

    func accessHead() throws -> String {
        try read { SHA256.toHex(try AccessLog.head($0)?.hash ?? EventLog.genesis) }
    }

    /// Records an act in the access log, in its own transaction.
    func logAccess(_ draft: AccessDraft) throws {
        try write { db in _ = try AccessLog.append(db, draft) }
    }

    /// Records a refused non-case act. Best effort: a refusal is reported even when it
    /// cannot be written (a read-only database).
    func logRefusal(_ error: StoreError, actor: Official, what: String, at now: Date) {
        try? logAccess(AccessDraft(at: now, actorId: actor.id, login: actor.login, action: .refused, target: what,
                                   note: error.recordedNote))
    }
}
