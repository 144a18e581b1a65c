import Foundation
import PaknCore
import PaknStoreAPI
import PostgresNIO

/// The PostgreSQL engine: a database on a server, by URL (docs/deployment.md). Each session
/// is one connection logged in as the official's own role (peer authentication on the
/// socket, a password or a certificate over TCP); the official is the one whose login is
/// the connection's `session_user`, and the server's row-level security holds every read
/// to their units whatever the session asks.
public final class ServerEngine: StoreEngine, @unchecked Sendable {
    /// Connections of the engine's own official for public reads (`ServerReadPool`).
    static let readConnections = 8
    public let url: ServerURL
    /// How messages and the drafts folder name the database (no password).
    public let display: String

    /// - Parameters:
    ///   - text: the `postgres://` URL; without a user, `osLogin`'s role (as `psql` does).
    /// The public reads of the Open311 service, as the official running it.
    let reads: ServerReadPool
    /// The standard departments by level (the shipped departments.json, which the SQLite
    /// store reads from its resources), for `pakn units import`; nil: the import is refused.
    let departments: [String: [DepartmentEntry]]?
    /// The reference data at the counter it was read at, for every session of this engine.
    let referenceCache: ReferenceCache

    public init(_ text: String, osLogin: String, env: [String: String] = ProcessInfo.processInfo.environment,
                departments: [String: [DepartmentEntry]]? = nil) throws {
        url = try ServerURL(text, osLogin: osLogin, env: env)
        display = StoreLocation(text).display
        reads = ServerReadPool(url: url, size: Self.readConnections)
        self.departments = departments
        referenceCache = ReferenceCache()
    }

    /// Another role's engine on the same database (a key's service official), sharing the
    /// reference data this one read.
    init(url: ServerURL, display: String, referenceCache: ReferenceCache) {
        self.url = url
        self.display = display
        reads = ServerReadPool(url: url, size: Self.readConnections)
        departments = nil
        self.referenceCache = referenceCache
    }

    /// `login` is ignored: the server says who the connection is (`session_user`). A
    /// server database is never a training one: `--as` and `--now` are refused.
    public func openSession(login: String, actingAs: String?, now: Date?) throws -> any StoreSession {
        if actingAs != nil { throw StoreError.notTrainingDatabase(option: "--as") }
        if now != nil { throw StoreError.notTrainingDatabase(option: "--now") }
        return try open(listening: true)
    }

    /// A session; `listening`: with the second connection that hears other clerks' commits
    /// (a desk's; the service's sessions for keys do without it).
    func open(listening: Bool) throws -> ServerSession {
        let db = try ServerDB.connect(url)
        do {
            guard try db.one("SELECT to_regclass('public.official') IS NOT NULL")?.bool(0) == true else {
                throw Message("pgs.not_pakn", display)
            }
            try Self.checkSchema(db, display: display)
            guard let r = try db.one("SELECT \(ServerSession.officialColumns) FROM official WHERE login = session_user") else {
                throw StoreError.noOfficialForLogin(url.user)
            }
            let o = try ServerSession.official(r)
            guard o.active else { throw StoreError.officialDisabled(o.login) }
            return ServerSession(db: db, official: o, path: display, listener: listening ? ServerListener(url: url) : nil,
                                 departments: departments, referenceCache: referenceCache)
        } catch {
            db.close()
            throw error
        }
    }
}

extension ServerEngine {
    /// Refuses a database whose schema is not this pakn's: one a newer pakn migrated (its
    /// functions may not mean what this one expects), or one still waiting for migrations
    /// this pakn needs, which its owner applies with `pakn upgrade` (officials' roles may
    /// not change the schema). A database from before `v6-schema-visible` does not let
    /// officials read its migrations: it waits for an upgrade too.
    static func checkSchema(_ db: ServerDB, display: String) throws {
        guard try db.one("SELECT has_table_privilege('public.schema_migrations', 'SELECT')")?.bool(0) == true else {
            throw StoreError.databaseUnusable(path: display, reason: "pgs.upgrade_needed")
        }
        let applied = Set(try db.rows("SELECT id FROM schema_migrations").map { try $0.str(0) })
        let known = Set(ServerSchema.migrationIds)
        if !applied.isSubset(of: known) { throw StoreError.databaseUnusable(path: display, reason: "robust.db.newer") }
        if !known.isSubset(of: applied) { throw StoreError.databaseUnusable(path: display, reason: "pgs.upgrade_needed") }
    }
}

/// An official's session on a PostgreSQL server. What it does not do yet throws
/// `StoreError.notOnServer` (docs/deployment.md §0 lists which).
public final class ServerSession: StoreSession, @unchecked Sendable {
    /// The most cases a rare word's search is handed by the server (`searchIds`): past it
    /// the queue's order finds a page sooner. Tests lower it to take the other way.
    var searchIdsMax = 2_000
    /// The events this session's writes chained (`dataVersionAfterOwnWrite`).
    let ownEvents = OwnEvents()
    /// The most milliseconds the server may spend on the desk's header count (`headerCount`):
    /// the desk counts when the official pauses, and a key typed meanwhile waits. Under
    /// row-level security a text search over every case of a large province is counted row
    /// by row (seconds at a million cases); past the budget the header says "at least".
    var headerCountBudget = 250
    let db: ServerDB
    public let official: Official
    public let isTraining = false
    public let path: String
    public var permissions: PermissionTable { PermissionTable.standard }

    /// The second connection that `LISTEN`s for other clerks' commits (nil: none asked for).
    let listener: ServerListener?

    /// The standard departments by level (ServerEngine.departments).
    let departments: [String: [DepartmentEntry]]?

    /// The engine's (ServerEngine.referenceCache).
    let referenceCache: ReferenceCache

    init(db: ServerDB, official: Official, path: String, listener: ServerListener? = nil,
         departments: [String: [DepartmentEntry]]? = nil, referenceCache: ReferenceCache = ReferenceCache()) {
        self.db = db
        self.referenceCache = referenceCache
        self.departments = departments
        self.official = official
        self.path = path
        self.listener = listener
    }

    deinit {
        listener?.stop()
        db.close()
    }

    public var now: Date { Date(timeIntervalSince1970: Date().timeIntervalSince1970.rounded(.down)) }

    func notYet(_ what: String) -> StoreError { .notOnServer(what: what, location: path) }

    // MARK: Rows

    static let officialColumns = "id, login, full_name, unit_id, role, active"
    static func official(_ r: PostgresRandomAccessRow, at i: Int = 0) throws -> Official {
        Official(id: try r.int(i), login: try r.str(i + 1), fullName: try r.str(i + 2), unitId: try r.int(i + 3),
                 role: Role(rawValue: try r.str(i + 4)) ?? .viewer, active: try r.bool(i + 5))
    }

    static let unitColumns = "id, code, name, level, division_type, parent_id, remote, label"
    static func unit(_ r: PostgresRandomAccessRow, at i: Int = 0) throws -> OrgUnit {
        let label = try r.strOpt(i + 7)
        return OrgUnit(id: try r.int(i), code: try r.str(i + 1), name: try r.str(i + 2),
                       level: UnitLevel(rawValue: try r.str(i + 3)) ?? .department, divisionType: try r.str(i + 4),
                       parentId: try r.intOpt(i + 5), remote: try r.bool(i + 6), label: label.flatMap { $0.isEmpty ? nil : $0 })
    }

    // MARK: Who may do what

    public func current() throws -> Official {
        guard let r = try db.one("SELECT \(Self.officialColumns) FROM official WHERE id = \(official.id)"),
              let o = try? Self.official(r), o.login == official.login else {
            throw StoreError.noOfficialForLogin(official.login)
        }
        guard o.active else { throw StoreError.officialDisabled(o.login) }
        return o
    }

    public func grants() throws -> Set<Permission> {
        let o = try current()
        return Set(Permission.allCases.filter { permissions.allows(o.role, $0) })
    }

    public func allowedActions(for c: Case) throws -> [ActionName] {
        let o = try current()
        guard try inScope(c) else { return [] }
        return Workflow.allowedActions(for: c).filter { permissions.allows(o.role, Permission.required(for: $0)) }
    }

    /// Guard.inScope, asked of the server (the same test its row-level security makes).
    func inScope(_ c: Case) throws -> Bool {
        var b = Binds()
        let sql = "SELECT pakn_in_scope(\(b.add(c.unitId))::bigint, \(b.add(c.wardId))::bigint, \(b.add(c.assigneeId))::bigint)"
        return try db.one(sql, b)?.bool(0) ?? false
    }

    /// As the SQLite store's: the permission, at a unit within the official's; a refusal
    /// (or a disabled account) is recorded in the access log (`pakn_access_refused`) before
    /// it is thrown.
    @discardableResult
    public func authorize(_ permission: Permission, unitId: Int64?, what: String) throws -> Official {
        do {
            let o = try current()
            let unit = unitId ?? o.unitId
            let label = try self.unit(id: unit)?.label ?? "-"
            guard permissions.allows(o.role, permission) else {
                throw StoreError.permissionDenied(login: o.login, permission: permission, unit: label)
            }
            guard try unit == o.unitId || isWithin(unit: unit, ancestor: o.unitId) else {
                throw StoreError.permissionDenied(login: o.login, permission: permission, unit: label)
            }
            return o
        } catch let e as StoreError {
            switch e {
            case .permissionDenied, .officialDisabled: logRefusal(e, what: what)
            default: break
            }
            throw e
        }
    }

    // MARK: Reference data

    /// Read outside any transaction, so always committed data: it fills the engine's cache.
    /// A database from before `v7-reference-version` cannot be open here (`checkSchema`).
    public func reference() throws -> ReferenceData {
        let version = try db.one("SELECT n FROM reference_version WHERE id = 1")?.int(0)
        return try referenceCache.get(version: version, fill: true) { try loadReference() }
    }

    func loadReference() throws -> ReferenceData {
        let exceptions = try db.rows("SELECT day::text, kind, name, standing, document, note FROM calendar_exception ORDER BY day").compactMap { r -> CalendarException? in
            guard let day = Day(try r.str(0)), let kind = CalendarException.Kind(rawValue: try r.str(1)) else { return nil }
            return CalendarException(day: day, kind: kind, name: try r.str(2),
                                     standing: CalendarException.Standing(rawValue: try r.str(3)) ?? .expected,
                                     document: try r.strOpt(4), note: try r.strOpt(5))
        }
        let decoder = JSONDecoder()
        let rules = try db.rows("SELECT json FROM deadline_rule ORDER BY id").map {
            try decoder.decode(DeadlineRule.self, from: Data(try $0.str(0).utf8))
        }
        let routing = try db.rows("SELECT kind, category, level, department FROM routing_rule ORDER BY id").map { r in
            RoutingRule(kind: try r.strOpt(0).flatMap(CaseKind.init(rawValue:)), category: try r.strOpt(1),
                        level: UnitLevel(rawValue: try r.str(2)) ?? .commune, department: try r.str(3))
        }
        let categories = try db.rows("SELECT code, name_vi, name_en FROM category ORDER BY sort").map {
            PaknCore.Category(code: try $0.str(0), nameVi: try $0.str(1), nameEn: try $0.str(2))
        }
        var policy = WorkflowPolicy()
        for r in try db.rows("SELECT key, value FROM setting WHERE key IN ('due_soon_days', 'reopen_at_or_below')") {
            guard let v = Int(try r.str(1)) else { continue }
            if try r.str(0) == "due_soon_days" { policy.dueSoonDays = v } else { policy.reopenAtOrBelow = v }
        }
        return ReferenceData(calendar: WorkingCalendar(exceptions: exceptions), rulebook: DeadlineRulebook(rules),
                             routing: RoutingTable(routing), categories: categories, policy: policy)
    }

    public func categories() throws -> [PaknCore.Category] { try reference().categories }

    func setting(_ key: String) throws -> String? {
        var b = Binds()
        return try db.one("SELECT value FROM setting WHERE key = \(b.add(key))", b)?.str(0)
    }

    /// By code, or by an old code that maps to a new one (`unit_alias`), as the store does.
    public func unit(code: String) throws -> OrgUnit? {
        var b = Binds()
        if let r = try db.one("SELECT \(Self.unitColumns) FROM unit WHERE code = \(b.add(code))", b) { return try Self.unit(r) }
        var a = Binds()
        let alias = "SELECT \(Self.unitColumns) FROM unit WHERE id = (SELECT unit_id FROM unit_alias WHERE old_code = \(a.add(code)))"
        if let r = try db.one(alias, a) { return try Self.unit(r) }
        if let dash = code.firstIndex(of: "-"), dash != code.startIndex {
            let parentCode = String(code[..<dash]), suffix = String(code[code.index(after: dash)...])
            var p = Binds()
            let parentAlias = "SELECT \(Self.unitColumns) FROM unit WHERE id = (SELECT unit_id FROM unit_alias WHERE old_code = \(p.add(parentCode)))"
            if !suffix.isEmpty, let pr = try db.one(parentAlias, p) {
                let parent = try Self.unit(pr)
                var d = Binds()
                if let r = try db.one("SELECT \(Self.unitColumns) FROM unit WHERE code = \(d.add(parent.code + "-" + suffix))", d) {
                    return try Self.unit(r)
                }
            }
        }
        return nil
    }

    public func unit(id: Int64) throws -> OrgUnit? {
        try db.one("SELECT \(Self.unitColumns) FROM unit WHERE id = \(id)").map { try Self.unit($0) }
    }

    /// Every word in the folded name or the code; within a subtree; shallowest first, then
    /// by name in byte order (as SQLite's binary collation).
    public func units(matching text: String, within ancestor: Int64?, levels: [UnitLevel]?, limit: Int) throws -> [OrgUnit] {
        var b = Binds()
        var sql = "SELECT \(Self.unitColumns) FROM unit WHERE true"
        for w in VietnameseFold.words(text) {
            let pat = "%" + Self.likeEscape(w) + "%"
            sql += " AND (folded LIKE \(b.add(pat)) ESCAPE '\\' OR code LIKE \(b.add(pat)) ESCAPE '\\')"
        }
        if let ancestor {
            sql += " AND starts_with(path, (SELECT path FROM unit WHERE id = \(b.add(ancestor))))"
        }
        if let levels, !levels.isEmpty {
            sql += " AND level IN (" + levels.map { "'\($0.rawValue)'" }.joined(separator: ",") + ")"
        }
        sql += " ORDER BY length(path), name COLLATE \"C\" LIMIT \(b.add(Int64(limit)))"
        return try db.rows(sql, b).map { try Self.unit($0) }
    }

    static func likeEscape(_ s: String) -> String {
        s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%")
            .replacingOccurrences(of: "_", with: "\\_")
    }

    public func isWithin(unit: Int64, ancestor: Int64) throws -> Bool {
        guard let r = try db.one("SELECT path FROM unit WHERE id = \(unit)") else { return false }
        return try r.str(0).contains("/\(ancestor)/")
    }

    public func children(of id: Int64) throws -> [OrgUnit] {
        try db.rows("SELECT \(Self.unitColumns) FROM unit WHERE parent_id = \(id) ORDER BY level COLLATE \"C\", name COLLATE \"C\"")
            .map { try Self.unit($0) }
    }

    public func unitCount() throws -> [UnitLevel: Int] {
        var out: [UnitLevel: Int] = [:]
        for r in try db.rows("SELECT level, count(*) FROM unit GROUP BY level") {
            if let l = UnitLevel(rawValue: try r.str(0)) { out[l] = Int(try r.int(1)) }
        }
        return out
    }

    // MARK: Officials

    public func official(login: String) throws -> Official? {
        var b = Binds()
        return try db.one("SELECT \(Self.officialColumns) FROM official WHERE login = \(b.add(login))", b).map { try Self.official($0) }
    }

    public func official(id: Int64) throws -> Official? {
        try db.one("SELECT \(Self.officialColumns) FROM official WHERE id = \(id)").map { try Self.official($0) }
    }

    public func logins(of ids: Set<Int64>) throws -> [Int64: String] {
        guard !ids.isEmpty else { return [:] }
        var out: [Int64: String] = [:]
        for r in try db.rows("SELECT id, login FROM official WHERE id IN (\(ids.map(String.init).joined(separator: ",")))") {
            out[try r.int(0)] = try r.str(1)
        }
        return out
    }

    // MARK: Freshness

    /// Changes whenever a case the official may see changes on the server: every change
    /// appends an event in the same transaction, so the newest event the official may read
    /// (row-level security) moves when another clerk commits one in their units. The desk
    /// asks it once a second, and at once when the listening connection is notified
    /// (`changeNotices`).
    public func dataVersion() throws -> Int {
        Int(try db.one("SELECT pakn_data_version()")?.int(0) ?? 0)
    }

    /// The newest event the last `perform` chained, if it committed one; else `dataVersion()`.
    /// Every event is chained with the chain's head locked to its transaction's end, so events
    /// are numbered in the order they commit: the newest the official may read just after
    /// the perform is this one, or one committed after it (which the desk is then right to
    /// take as news). One statement fewer in every write of the desk (`pakn_data_version`
    /// took ~1 ms at 1,000,000 cases).
    public func dataVersionAfterOwnWrite() throws -> Int {
        if let v = ownEvents.takePerformed() { return Int(v) }
        return try dataVersion()
    }

    /// The notifications of commits the listening connection has received (`NOTIFY
    /// pakn_case`): the desk polls `dataVersion()` at once when it moves.
    public var changeNotices: Int? { listener?.notices }

    /// Waits for a commit that changes what the official may see: woken by the listening
    /// connection's notifications (each one checked against `dataVersion()`, which reads
    /// under row-level security), and asking once more at the deadline in case a
    /// notification was missed (the listener reconnecting).
    public func waitForChange(since version: Int, timeout: TimeInterval) throws -> Int? {
        let deadline = Date().addingTimeInterval(timeout)
        var seen = listener?.notices ?? 0
        while true {
            let v = try dataVersion()
            if v != version { return v }
            guard Date() < deadline else { return nil }
            if let listener {
                seen = listener.wait(after: seen, until: deadline)
            } else {
                Thread.sleep(forTimeInterval: min(0.05, max(0, deadline.timeIntervalSinceNow)))
            }
        }
    }

    public var checkpointDue: Bool { false }
    public func checkpointIfDue() {}
}

/// The newest event a session's `perform` chained: noted as each event is appended (the
/// highest of the transaction's attempts: an attempt rolled back is followed by one whose
/// events are numbered after it), kept once the perform returns.
final class OwnEvents: @unchecked Sendable {
    private let lock = NSLock()
    private var running: Int64 = 0
    private var performed: Int64?

    func begin() { lock.withLock { running = 0; performed = nil } }
    func note(_ id: Int64) { lock.withLock { running = max(running, id) } }
    func committed() { lock.withLock { performed = running > 0 ? running : nil } }
    func takePerformed() -> Int64? { lock.withLock { defer { performed = nil }; return performed } }
}
