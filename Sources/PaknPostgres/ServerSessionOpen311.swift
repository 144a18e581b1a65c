import Foundation
import PaknCore
import PaknStoreAPI
import PostgresNIO

// The Open311 service (`pakn serve`) on a server, through migration `v5-open311`
// (ServerOpen311Schema.swift): the same keys, intakes, public reads and ratings as the
// SQLite store's (Sources/PaknStore/Open311), each checked by the server.

/// What an intake through a key keeps beside the case.
struct KeyIntakeRecord {
    var idempotencyKey: String?
    var tokenHash: String
}

extension ServerSession {
    static func apiKey(_ r: PostgresRandomAccessRow) throws -> ApiKey {
        ApiKey(id: try r.int(0), name: try r.str(1), channel: PaknCore.Channel(rawValue: try r.str(2)) ?? .web, unitCode: try r.str(5),
               officialLogin: try r.str(6), createdAt: Self.date(try r.int(3)), revokedAt: try r.intOpt(4).map(Self.date))
    }

    /// The keys within the official's units (`pakn_api_keys`, manage_officials).
    func listedKeys() throws -> [ApiKey] {
        try db.rows("SELECT * FROM pakn_api_keys()").map(Self.apiKey)
    }

    public func addApiKey(name: String, channel: PaknCore.Channel, unitCode: String) throws -> NewApiKey {
        guard ApiKey.validName(name) else { throw ApiKeyError.invalidName(name) }
        guard let u = try unit(code: unitCode) else { throw StoreError.unknownUnit(unitCode) }
        _ = try authorize(.manageOfficials, unitId: u.id, what: "apikeys add \(name)")
        if try listedKeys().contains(where: { $0.name == name }) { throw ApiKeyError.duplicateName(name) }
        let secret = ApiKey.newSecret()
        var b = Binds()
        _ = try db.transaction { tx in
            try tx.one("""
                SELECT pakn_api_key_add(\(b.add(name)), \(b.add(channel.rawValue)), \(b.add(u.code)), \(b.add(ApiKey.digest(secret))))
                """, b)
        }
        guard let key = try listedKeys().first(where: { $0.name == name }) else { throw ApiKeyError.unknownName(name) }
        return NewApiKey(key: key, secret: secret)
    }

    public func apiKeys() throws -> [ApiKey] {
        _ = try authorize(.manageOfficials, unitId: nil, what: "apikeys list")
        return try listedKeys()
    }

    public func revokeApiKey(name: String) throws -> ApiKey {
        _ = try authorize(.manageOfficials, unitId: nil, what: "apikeys revoke \(name)")
        guard let k = try listedKeys().first(where: { $0.name == name }) else { throw ApiKeyError.unknownName(name) }
        if k.revokedAt != nil { return k }
        var b = Binds()
        _ = try db.transaction { tx in try tx.one("SELECT pakn_api_key_revoke(\(b.add(name)))", b) }
        guard let key = try listedKeys().first(where: { $0.name == name }) else { throw ApiKeyError.unknownName(name) }
        return key
    }

    /// An intake by a key's service official (this session's): the desk's intake with the
    /// key's channel, the idempotency key and the tracking token's digest in its transaction.
    public func keyIntake(_ draft: IntakeDraft, idempotencyKey: String?, trackingToken: String) throws -> KeyIntake {
        guard let key = try db.one("SELECT * FROM pakn_my_api_key()").map(Self.apiKey) else { throw ApiKeyError.unknownKey }
        if key.revokedAt != nil { throw ApiKeyError.revokedKey(key.name) }
        var d = draft
        d.channel = key.channel
        d.attachments = []
        let made = try intake(d, key: KeyIntakeRecord(idempotencyKey: idempotencyKey, tokenHash: ApiKey.digest(trackingToken)))
        return KeyIntake(request: try publicRequest(of: made.case), created: made.created)
    }

    /// What a public read shows of a case (PublicReads.request).
    func publicRequest(of c: Case) throws -> PublicRequest {
        PublicRequest(c, agency: try c.unitId.flatMap { try unit(id: $0)?.name })
    }
}

/// A few connections as the service's own official, for the public reads (no key, no
/// session's state): each read takes one, concurrent reads take several.
final class ServerReadPool: @unchecked Sendable {
    let url: ServerURL
    private let lock = NSLock()
    private var free: [ServerDB] = []
    private let slots: DispatchSemaphore

    init(url: ServerURL, size: Int) {
        self.url = url
        slots = DispatchSemaphore(value: size)
    }

    func with<T>(_ body: (ServerDB) throws -> T) throws -> T {
        slots.wait()
        defer { slots.signal() }
        let db = try lock.withLock { free.popLast() } ?? ServerDB.connect(url)
        defer { lock.withLock { free.append(db) } }
        return try body(db)
    }

    deinit { for db in free { db.close() } }
}

extension ServerEngine {
    /// A session as another role of this database (a key's service official): the same
    /// server and database, that role's login. How the service host may connect as the
    /// `api.*` roles is the server's authentication (docs/deployment.md §3).
    func session(as login: String) throws -> ServerSession {
        var u = url
        u.user = login
        u.password = nil
        return try ServerEngine(url: u, display: display, referenceCache: referenceCache).open(listening: false)
    }

    public func openKeySession(secret: String) throws -> (session: any StoreSession, key: ApiKey) {
        var b = Binds()
        let digest = ApiKey.digest(secret)
        guard let key = try reads.with({ try $0.one("SELECT * FROM pakn_api_key_find(\(b.add(digest)))", b) }).map(ServerSession.apiKey) else {
            throw ApiKeyError.unknownKey
        }
        if key.revokedAt != nil { throw ApiKeyError.revokedKey(key.name) }
        return (try session(as: key.officialLogin), key)
    }

    public func publicServices() throws -> [PublicService] {
        try reads.with { db in
            try db.rows("SELECT code, name_vi, name_en, department FROM category ORDER BY sort, code COLLATE \"C\"").map {
                PublicService(code: try $0.str(0), nameVi: try $0.str(1), nameEn: try $0.str(2), group: try $0.strOpt(3))
            }
        }
    }

    static func publicRequest(_ r: PostgresRandomAccessRow) throws -> PublicRequest {
        let status = CaseStatus(rawValue: try r.str(1)) ?? .received
        return PublicRequest(code: try r.str(0), status: status, serviceCode: try r.str(2), title: try r.str(3), address: try r.strOpt(4),
                             latitude: try r.dbl(5), longitude: try r.dbl(6), agency: try r.strOpt(11),
                             requestedAt: ServerSession.date(try r.int(7)), updatedAt: ServerSession.date(try r.int(8)),
                             expectedAt: status.isOpen ? ServerSession.date(try r.int(9)) : nil, rating: try r.intOpt(10).map { Int($0) })
    }

    static func instant(_ d: Date?) -> Int64? { d.map(ServerSession.secs) }

    public func publicRequests(_ q: PublicRequestQuery) throws -> [PublicRequest] {
        var b = Binds()
        let sql = """
            SELECT * FROM pakn_public_requests(\(b.add(q.codes.map { $0.uppercased() }))::text[], \(b.add(q.serviceCode))::text,
              to_timestamp(\(b.add(Self.instant(q.start)))::bigint), to_timestamp(\(b.add(Self.instant(q.end)))::bigint),
              \(b.add(q.open))::boolean, \(b.add(Int64(q.limit)))::int)
            """
        return try reads.with { try $0.rows(sql, b).map(Self.publicRequest) }
    }

    public func publicRequest(code: String, token: String?) throws -> PublicRequest? {
        var b = Binds()
        let sql = "SELECT * FROM pakn_public_request(\(b.add(code)), \(b.add(token.map(ApiKey.digest)))::text)"
        guard let r = try reads.with({ try $0.one(sql, b) }) else { return nil }
        var p = try Self.publicRequest(r)
        if token != nil {
            guard try r[13].decode(Bool?.self) == true else { throw ApiKeyError.badToken(p.code) }
            p.answer = try r.strOpt(12)
        }
        return p
    }

    public func publicSteps(codes: [String], start: Date?, end: Date?, limit: Int) throws -> [PublicStep] {
        var b = Binds()
        let sql = """
            SELECT * FROM pakn_public_steps(\(b.add(codes.map { $0.uppercased() }))::text[], to_timestamp(\(b.add(Self.instant(start)))::bigint),
              to_timestamp(\(b.add(Self.instant(end)))::bigint), \(b.add(Int64(limit)))::int)
            """
        return try reads.with { db in
            try db.rows(sql, b).compactMap { r in
                guard let a = ActionName(rawValue: try r.str(2)) else { return nil }
                return PublicStep(id: try r.int(0), code: try r.str(1), action: a, status: CaseStatus(rawValue: try r.str(3)) ?? .received,
                                  at: ServerSession.date(try r.int(4)))
            }
        }
    }

    /// The citizen's rating, given as the service official of the key that took the case in
    /// (the desk's `rate`: a low one reopens).
    public func citizenRate(code: String, token: String, rating: Rating) throws -> PublicRequest {
        var b = Binds()
        let sql = "SELECT pakn_citizen_login(\(b.add(code)), \(b.add(ApiKey.digest(token))))"
        guard let login = try reads.with({ try $0.one(sql, b)?.strOpt(0) }) else { throw ApiKeyError.badToken(code) }
        let s = try session(as: login)
        _ = try s.perform(.rate(rating), on: code, expectedVersion: nil, reference: nil)
        guard let r = try publicRequest(code: code, token: token) else { throw ApiKeyError.badToken(code) }
        return r
    }

    public var engineDisplay: String { display }
    public var publicReadConcurrency: Int { Self.readConnections }
}
