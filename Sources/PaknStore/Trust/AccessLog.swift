import Foundation
import GRDB
import PaknCore

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
    /// The rows of covered tables the act changed (`Facts`), each with its digest after it.
    var facts: [AccessFact] = []
}

/// The access log's own hash chain: same construction as the event chain (SHA-256 over the
/// previous 32-byte hash and the entry's canonical text), so removing, altering or
/// reordering an entry — or the list of cases it names — breaks every later link.
enum AccessLog {
    /// The text a hash covers. Changing this breaks every existing chain: don't. An entry
    /// with facts has one more field, the digest of `factsText` (entries without facts read
    /// as they always did).
    static func canonical(id: Int64, at: Int64, actorId: Int64?, login: String, action: String, target: String?,
                          note: String?, count: Int, digest: String?, caseIds: [Int64], facts: [AccessFact] = []) -> String {
        var fields = [String(id), String(at), actorId.map(String.init) ?? "", login, action, target ?? "", note ?? "",
                      String(count), digest ?? "", SHA256.hex(caseIds.sorted().map(String.init).joined(separator: ","))]
        if !facts.isEmpty { fields.append(SHA256.toHex(ChainHash.digest(Array(factsText(facts).utf8)))) }
        return fields.joined(separator: "\u{1F}")
    }

    /// The facts of an entry, one line each, `table RS key RS digest` (`-` for a removed
    /// row), sorted by table then key (byte order).
    static func factsText(_ facts: [AccessFact]) -> String {
        facts.map { "\($0.table)\u{1E}\($0.key)\u{1E}\($0.digest ?? "-")" }.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
            .joined(separator: "\n")
    }

    /// One fact per row (the last one given wins).
    static func unique(_ facts: [AccessFact]) -> [AccessFact] {
        var seen: [String: Int] = [:]
        var out: [AccessFact] = []
        for f in facts {
            let k = f.table + "\u{1E}" + f.key
            if let i = seen[k] { out[i] = f } else { seen[k] = out.count; out.append(f) }
        }
        return out
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
        // Before migration v6-admin-facts (an older migration recording its changes) there is
        // nowhere to keep facts: the entry is written without them, as it was then.
        let facts = try d.facts.isEmpty || !Facts.enabled(db) ? [] : unique(d.facts)
        let text = canonical(id: id, at: at, actorId: d.actorId, login: d.login, action: d.action.rawValue,
                             target: d.target, note: d.note, count: d.count, digest: d.digest, caseIds: ids, facts: facts)
        let h = ChainHash.digest((prev?.hash ?? EventLog.genesis) + Array(text.utf8))
        try db.execute(sql: """
            INSERT INTO access_log(id, at, actor_id, login, action, target, note, count, digest, hash)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [id, at, d.actorId, d.login, d.action.rawValue, d.target, d.note, d.count, d.digest, Data(h)])
        let stmt = try db.cachedStatement(sql: "INSERT INTO access_case(access_id, case_id) VALUES (?, ?)")
        for c in ids { try stmt.execute(arguments: [id, c]) }
        if !facts.isEmpty {
            let f = try db.cachedStatement(sql: "INSERT INTO access_fact(access_id, tbl, key, digest) VALUES (?, ?, ?, ?)")
            for x in facts { try f.execute(arguments: [id, x.table, x.key, x.digest]) }
        }
        return id
    }

    /// The facts an entry recorded (none on a database from before `v6-admin-facts`).
    static func facts(_ db: Database, accessId: Int64, enabled: Bool) throws -> [AccessFact] {
        guard enabled else { return [] }
        let stmt = try db.cachedStatement(sql: "SELECT tbl, key, digest FROM access_fact WHERE access_id = ?")
        return try Row.fetchAll(stmt, arguments: [accessId]).map { AccessFact(table: $0["tbl"], key: $0["key"], digest: $0["digest"]) }
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
                           hash: SHA256.toHex([UInt8]((r["hash"] as Data?) ?? Data())),
                           facts: try facts(db, accessId: id, enabled: try Facts.enabled(db)))
    }

    /// Walks the access chain. Same report shape as the event chain.
    static func verify(_ db: Database, against: String? = nil) throws -> ChainCheck {
        var walker = ChainWalker(.access, against: against)
        let withFacts = try Facts.enabled(db)
        let cursor = try Row.fetchCursor(db, sql: "SELECT * FROM access_log ORDER BY id")
        while let r = try cursor.next() {
            let id: Int64 = r["id"]
            let text = canonical(id: id, at: r["at"], actorId: r["actor_id"], login: r["login"], action: r["action"],
                                 target: r["target"], note: r["note"], count: r["count"], digest: r["digest"],
                                 caseIds: try caseIds(db, accessId: id), facts: try facts(db, accessId: id, enabled: withFacts))
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
