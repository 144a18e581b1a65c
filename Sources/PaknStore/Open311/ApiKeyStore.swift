import Foundation
import GRDB
import PaknCore

/// Open311 API keys (docs/open311.md): each belongs to a channel and a unit, and acts
/// through a service official (`api.NAME`, a clerk at that unit) so that every write goes
/// through the same authority as the desk's: the session of that official. Only the SHA-256
/// of a key's secret is stored; a case taken in with a key keeps the digest of its citizen
/// tracking token and the idempotency key of the POST that made it.
enum ApiKeyStore {
    static let migrationName = "v9-api-keys"

    static func migrate(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE api_key(
              id INTEGER PRIMARY KEY,
              name TEXT NOT NULL UNIQUE,
              key_hash TEXT NOT NULL UNIQUE,
              channel TEXT NOT NULL,
              unit_id INTEGER NOT NULL REFERENCES unit(id),
              official_id INTEGER NOT NULL UNIQUE REFERENCES official(id),
              created_at INTEGER NOT NULL,
              revoked_at INTEGER);
            CREATE TABLE api_intake(
              case_id INTEGER PRIMARY KEY REFERENCES pakn_case(id),
              api_key_id INTEGER NOT NULL REFERENCES api_key(id),
              idempotency_key TEXT,
              token_hash TEXT NOT NULL);
            CREATE UNIQUE INDEX api_intake_idempotency ON api_intake(api_key_id, idempotency_key)
              WHERE idempotency_key IS NOT NULL;
            """)
    }

    static let columns = """
        k.id, k.name, k.channel, k.created_at, k.revoked_at, u.code AS unit_code, o.login AS official_login
        FROM api_key k JOIN unit u ON u.id = k.unit_id JOIN official o ON o.id = k.official_id
        """

    static func decode(_ r: Row) -> ApiKey {
        ApiKey(id: r["id"], name: r["name"], channel: Channel(rawValue: r["channel"]) ?? .web, unitCode: r["unit_code"],
               officialLogin: r["official_login"], createdAt: CaseRow.date(r["created_at"]),
               revokedAt: (r["revoked_at"] as Int64?).map(CaseRow.date))
    }

    static func byName(_ db: Database, _ name: String) throws -> ApiKey? {
        try Row.fetchOne(db.cachedStatement(sql: "SELECT \(columns) WHERE k.name = ?"), arguments: [name]).map(decode)
    }

    static func byDigest(_ db: Database, _ digest: String) throws -> ApiKey? {
        try Row.fetchOne(db.cachedStatement(sql: "SELECT \(columns) WHERE k.key_hash = ?"), arguments: [digest]).map(decode)
    }

    static func byOfficial(_ db: Database, _ id: Int64) throws -> ApiKey? {
        try Row.fetchOne(db.cachedStatement(sql: "SELECT \(columns) WHERE k.official_id = ?"), arguments: [id]).map(decode)
    }

}

extension AppDatabase {
    func addApiKey(name: String, channel: Channel, unitCode: String, by actor: Official, at now: Date) throws -> NewApiKey {
        guard ApiKey.validName(name) else { throw ApiKeyError.invalidName(name) }
        guard let u = try unit(code: unitCode) else { throw StoreError.unknownUnit(unitCode) }
        let what = "apikeys add \(name)"
        let me = try authorize(actor, .manageOfficials, unitId: u.id, what: what, at: now)
        let secret = ApiKey.newSecret()
        return try write { db in
            if try ApiKeyStore.byName(db, name) != nil { throw ApiKeyError.duplicateName(name) }
            let login = ApiKey.login(for: name)
            let o = try OfficialStore.insert(db, login: login, fullName: "Open311 \(name)", unitId: u.id, role: .clerk)
            try db.execute(sql: """
                INSERT INTO api_key(name, key_hash, channel, unit_id, official_id, created_at) VALUES (?, ?, ?, ?, ?, ?)
                """, arguments: [name, ApiKey.digest(secret), channel.rawValue, u.id, o.id, CaseRow.secs(now)])
            try AccessLog.append(db, AccessDraft(at: now, actorId: me.id, login: me.login, action: .apiKeyAdd, target: name,
                                                 note: "\(channel.rawValue) @ \(u.code) → \(login)",
                                                 facts: Facts.enabled(db) ? [try Facts.current(db, Facts.official, key: o.id)] : []))
            guard let key = try ApiKeyStore.byName(db, name) else { throw ApiKeyError.unknownName(name) }
            return NewApiKey(key: key, secret: secret)
        }
    }

    func apiKeys(by actor: Official, at now: Date) throws -> [ApiKey] {
        let me = try authorize(actor, .manageOfficials, what: "apikeys list", at: now)
        return try read { db in
            try Row.fetchAll(db, sql: "SELECT \(ApiKeyStore.columns) ORDER BY k.name").map(ApiKeyStore.decode).filter { k in
                guard let u = try UnitQueries.unit(db, code: k.unitCode) else { return false }
                return try UnitQueries.isWithin(db, unit: u.id, ancestor: me.unitId)
            }
        }
    }

    func revokeApiKey(name: String, by actor: Official, at now: Date) throws -> ApiKey {
        guard let k = try read({ try ApiKeyStore.byName($0, name) }), let u = try unit(code: k.unitCode) else {
            throw ApiKeyError.unknownName(name)
        }
        let me = try authorize(actor, .manageOfficials, unitId: u.id, what: "apikeys revoke \(name)", at: now)
        if k.revokedAt != nil { return k }
        return try write { db in
            try db.execute(sql: "UPDATE api_key SET revoked_at = ? WHERE id = ?", arguments: [CaseRow.secs(now), k.id])
            try db.execute(sql: "UPDATE official SET active = 0 WHERE login = ?", arguments: [k.officialLogin])
            let oid = try Int64.fetchOne(db, sql: "SELECT id FROM official WHERE login = ?", arguments: [k.officialLogin])
            try AccessLog.append(db, AccessDraft(at: now, actorId: me.id, login: me.login, action: .apiKeyRevoke, target: name,
                                                 note: k.officialLogin,
                                                 facts: Facts.enabled(db) && oid != nil ? [try Facts.current(db, Facts.official, key: oid!)] : []))
            guard let key = try ApiKeyStore.byName(db, name) else { throw ApiKeyError.unknownName(name) }
            return key
        }
    }

    /// An intake by a key's service official: the desk's intake (the official's permission
    /// and units, the routing table) with the key's channel, the idempotency key and the
    /// tracking token's digest, in one transaction. A retry with the same idempotency key
    /// returns the case the first call made.
    func keyIntake(_ draft: IntakeDraft, idempotencyKey: String?, trackingToken: String, by actor: Official,
                   at now: Date) throws -> KeyIntake {
        try primeReference()
        // Portals post at once: their intakes share commits (GroupCommit).
        return try groupWrite { db in
            let ref = try self.reference(writing: db)
            guard let key = try ApiKeyStore.byOfficial(db, actor.id) else { throw ApiKeyError.unknownKey }
            if key.revokedAt != nil { throw ApiKeyError.revokedKey(key.name) }
            if let idem = idempotencyKey,
               let caseId = try Int64.fetchOne(db.cachedStatement(sql: "SELECT case_id FROM api_intake WHERE api_key_id = ? AND idempotency_key = ?"),
                                               arguments: [key.id, idem]),
               let c = try CaseRow.fetch(db, id: caseId, reply: false) {
                return KeyIntake(request: try PublicReads.request(db, c), created: false)
            }
            try Guard.require(db, actor, .intake, unitId: actor.unitId)
            var d = draft
            d.channel = key.channel
            d.attachments = []
            if let wc = d.wardCode?.trimmingCharacters(in: .whitespaces), !wc.isEmpty,
               let ward = try UnitQueries.unit(db, code: wc),
               try !UnitQueries.isWithin(db, unit: ward.id, ancestor: actor.unitId) {
                throw StoreError.unitOutOfScope(login: actor.login, unit: ward.code)
            }
            let c = try CaseWriter.intake(db, d, ref: ref, by: actor, at: now)
            try db.cachedStatement(sql: "INSERT INTO api_intake(case_id, api_key_id, idempotency_key, token_hash) VALUES (?, ?, ?, ?)")
                .execute(arguments: [c.id, key.id, idempotencyKey, ApiKey.digest(trackingToken)])
            return KeyIntake(request: try PublicReads.request(db, c), created: true)
        }
    }

    /// The session of the key whose secret is `secret`.
    public func openKeySession(secret: String) throws -> (session: any StoreSession, key: ApiKey) {
        guard let key = try read({ try ApiKeyStore.byDigest($0, ApiKey.digest(secret)) }) else { throw ApiKeyError.unknownKey }
        if key.revokedAt != nil { throw ApiKeyError.revokedKey(key.name) }
        return (try session(login: key.officialLogin), key)
    }

    /// The citizen's rating, given with the case's tracking token by the service official of
    /// the key that took the case in: the desk's `rate`, with its rules (a low one reopens).
    public func citizenRate(code: String, token: String, rating: Rating) throws -> PublicRequest {
        let found: (String, Bool)? = try read { db in
            try Row.fetchOne(db, sql: """
                SELECT o.login, a.token_hash FROM api_intake a JOIN pakn_case c ON c.id = a.case_id
                JOIN api_key k ON k.id = a.api_key_id JOIN official o ON o.id = k.official_id
                WHERE c.code = ? AND c.kind <> 'denunciation'
                """, arguments: [code.uppercased()]).map { r in (r["login"] as String, PublicReads.same(r["token_hash"], ApiKey.digest(token))) }
        }
        guard let (login, ok) = found, ok else { throw ApiKeyError.badToken(code) }
        let s = try session(login: login)
        _ = try s.perform(.rate(rating), on: code)
        guard let r = try publicRequest(code: code, token: token) else { throw ApiKeyError.badToken(code) }
        return r
    }
}

extension Session {
    public func addApiKey(name: String, channel: Channel, unitCode: String) throws -> NewApiKey {
        try db.addApiKey(name: name, channel: channel, unitCode: unitCode, by: me, at: now)
    }
    public func apiKeys() throws -> [ApiKey] { try db.apiKeys(by: me, at: now) }
    public func revokeApiKey(name: String) throws -> ApiKey { try db.revokeApiKey(name: name, by: me, at: now) }
    public func keyIntake(_ draft: IntakeDraft, idempotencyKey: String?, trackingToken: String) throws -> KeyIntake {
        try db.keyIntake(draft, idempotencyKey: idempotencyKey, trackingToken: trackingToken, by: me, at: now)
    }
}
