import Foundation
import PaknCore
import PaknStoreAPI
import PostgresNIO

// Recording, officials and the audit on the server (migrations `v4-ops-*`,
// ServerOpsSchema.swift): the same answers, refusals and records as the SQLite store
// (Sources/PaknStore/Trust), each write done by a server function that checks the caller
// again and appends to the chain in the same transaction.

extension ServerSession {
    // MARK: Recording refusals and reads

    /// Runs `body`; a refusal for scope, permission or a disabled account is recorded in the
    /// case's history (its own statement, committed) before it is thrown.
    func recordingRefusal<T>(caseRef: String, recording: Bool = true, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let e as StoreError {
            switch e {
            case .permissionDenied, .outOfScope, .officialDisabled:
                if recording { recordRefusal(e, caseRef: caseRef) }
            default: break
            }
            throw e
        }
    }

    /// A `refused` event on the case `caseRef` names, if there is one (best effort, as the
    /// SQLite store: the refusal is reported even when it cannot be written).
    func recordRefusal(_ e: StoreError, caseRef: String) {
        var b = Binds()
        _ = try? db.one("SELECT pakn_record_refusal(\(b.add(caseRef)), \(b.add(e.recordedNote)))", b)
    }

    /// A refused act that is not one case's, in the access log (best effort).
    func logRefusal(_ e: StoreError, what: String) {
        var b = Binds()
        _ = try? db.one("SELECT pakn_access_refused(\(b.add(what)), \(b.add(e.recordedNote)))", b)
    }

    /// A read of personal data or a report, in the access log (`pakn_access_read`).
    func logRead(_ action: AccessAction, target: String?, note: String?, count: Int, digest: String?, caseIds: [Int64]) throws {
        var b = Binds()
        _ = try db.one("""
            SELECT pakn_access_read(\(b.add(action.rawValue)), \(b.add(target))::text, \(b.add(note))::text, \(b.add(Int64(count))),
              \(b.add(digest))::text, \(b.add(caseIds))::bigint[])
            """, b)
    }

    // MARK: Officials

    func searchOfficials(_ text: String, within unitId: Int64, limit: Int?) throws -> [Official] {
        var b = Binds()
        var sql = """
            SELECT o.id, o.login, o.full_name, o.unit_id, o.role, o.active FROM official o JOIN unit u ON u.id = o.unit_id
            WHERE o.active AND starts_with(u.path, (SELECT path FROM unit WHERE id = \(b.add(unitId))))
            """
        for w in VietnameseFold.words(text) {
            let pat = "%" + Self.likeEscape(w) + "%"
            sql += " AND (o.folded LIKE \(b.add(pat)) ESCAPE '\\' OR u.folded LIKE \(b.add(pat)) ESCAPE '\\')"
        }
        sql += " ORDER BY o.full_name COLLATE \"C\", o.id"
        if let limit { sql += " LIMIT \(b.add(Int64(limit)))" }
        return try db.rows(sql, b).map { try Self.official($0) }
    }

    /// Officials to pick from (assignment): within `within` when it lies in the official's
    /// units, else within the official's own unit.
    public func officials(matching text: String, within: Int64?, limit: Int) throws -> [Official] {
        let o = try authorize(.view, unitId: nil, what: "officials search")
        var ancestor = o.unitId
        if let w = within, try w == o.unitId || isWithin(unit: w, ancestor: o.unitId) { ancestor = w }
        return try searchOfficials(text, within: ancestor, limit: limit)
    }

    /// `pakn officials list`: for those who manage officials, in their units.
    public func listOfficials(matching text: String, within: Int64?) throws -> [Official] {
        let target = within ?? official.unitId
        try authorize(.manageOfficials, unitId: target, what: "officials list")
        return try searchOfficials(text, within: target, limit: 200)
    }

    /// The official `login` if the caller may manage them (AdminScope.mayHandle): refusals
    /// are recorded in the access log before they are thrown.
    func manageable(_ login: String, giving role: Role? = nil, what: String) throws -> (me: Official, target: Official) {
        guard let target = try official(login: login) else { throw StoreError.unknownOfficial(login) }
        let me = try authorize(.manageOfficials, unitId: target.unitId, what: what)
        if target.id == me.id { throw Message("trust.officials.self") }
        for r in [target.role] + (role.map { [$0] } ?? []) where !Self.mayHandle(me.role, r) {
            throw refuseAdmin(me, Message("admin.scope.role", me.login, r.rawValue), what: what)
        }
        return (me, target)
    }

    /// Whether role `me` holds every permission of `role`.
    static func mayHandle(_ me: Role, _ role: Role) -> Bool {
        let t = PermissionTable.standard
        return Permission.allCases.allSatisfy { !t.allows(role, $0) || t.allows(me, $0) }
    }

    /// Records a refused administrative act and returns the error to throw.
    func refuseAdmin(_ me: Official, _ reason: Message, what: String) -> StoreError {
        let e = StoreError.adminOutOfScope(login: me.login, reason: reason)
        logRefusal(e, what: what)
        return e
    }

    /// Adds an official within the caller's units, with a role no higher than theirs, and
    /// their LOGIN role in the database's group (`pakn_official_add`, which checks it all
    /// again and records it in the access log).
    public func addOfficial(login: String, fullName: String, unitCode: String, role: Role) throws -> Official {
        guard let u = try unit(code: unitCode) else { throw StoreError.unknownUnit(unitCode) }
        let what = "officials add \(login)"
        let me = try authorize(.manageOfficials, unitId: u.id, what: what)
        if !Self.mayHandle(me.role, role) { throw refuseAdmin(me, Message("admin.scope.role", me.login, role.rawValue), what: what) }
        let login = login.trimmingCharacters(in: .whitespaces)
        guard !login.isEmpty, login.allSatisfy({ $0.isLetter || $0.isNumber || "._-".contains($0) }) else {
            throw StoreError.invalidValue(field: "login", value: login)
        }
        let name = CitizenText.clean(fullName, multiline: false)
        guard !name.isEmpty else { throw StoreError.missingField("full name") }
        if try official(login: login) != nil { throw StoreError.invalidValue(field: "login", value: login + " (exists)") }
        var b = Binds()
        let id = try db.transaction { tx in
            try tx.one("SELECT pakn_official_add(\(b.add(login)), \(b.add(name)), \(b.add(u.code)), \(b.add(role.rawValue)))", b)?.int(0)
        }
        guard let id, let o = try official(id: id) else { throw StoreError.unknownOfficial(login) }
        return o
    }

    /// Changes an official's role (`pakn_official_set_role`, recorded).
    public func setRole(login: String, role: Role) throws -> Official {
        let (_, target) = try manageable(login, giving: role, what: "officials set-role \(login) \(role.rawValue)")
        if target.role == role { return target }
        var b = Binds()
        _ = try db.transaction { tx in try tx.one("SELECT pakn_official_set_role(\(b.add(login)), \(b.add(role.rawValue)))", b) }
        return try official(login: login) ?? target
    }

    /// Disables or re-enables an official and their LOGIN role (`pakn_official_set_active`,
    /// recorded). A disabled official can do nothing from their next action on.
    public func setActive(login: String, active: Bool) throws -> Official {
        let (_, target) = try manageable(login, what: "officials \(active ? "enable" : "disable") \(login)")
        if target.active == active { return target }
        var b = Binds()
        _ = try db.transaction { tx in try tx.one("SELECT pakn_official_set_active(\(b.add(login)), \(b.add(active)))", b) }
        return try official(login: login) ?? target
    }

    // MARK: The audit

    /// A chain walked on the server (`pakn_audit_chain`), reported as the SQLite store's
    /// ChainWalker reports it.
    func walk(_ chain: ChainCheck.Chain, against: String?) throws -> ChainCheck {
        let against = against?.lowercased().trimmingCharacters(in: .whitespaces)
        var b = Binds()
        let hexAgainst = against.flatMap { $0.count == 64 && $0.allSatisfy(\.isHexDigit) ? $0 : nil }
        guard let r = try db.one("""
            SELECT entries, head, first_broken, against_id, facts_case
            FROM pakn_audit_chain(\(b.add(chain == .access ? "access" : "events")), \(b.add(hexAgainst))::text)
            """, b) else { throw StoreError.notOnServer(what: "audit verify", location: path) }
        let n = try r.int(0), head = try r.str(1)
        var problem: ChainCheck.Problem?
        if let broken = try r.intOpt(2) {
            problem = broken == n + 1 ? .altered(id: broken) : .gap(id: broken, expected: n + 1)
        }
        let againstId = try r.intOpt(3)
        let zeros = String(repeating: "0", count: 64)
        if problem == nil, let against, againstId == nil, against != zeros {
            problem = .headNotFound(head: against, lastId: n)
        }
        return ChainCheck(chain: chain, entries: Int(n), head: head, problem: problem, againstId: againstId,
                          factsCase: try r.strOpt(4))
    }

    /// Walking the chains names no citizen: every official may check them.
    public func checkChain(against: String?) throws -> ChainCheck {
        try authorize(.view, unitId: nil, what: "audit verify")
        return try walk(.events, against: against)
    }

    public func checkAccessChain(against: String?) throws -> ChainCheck {
        try authorize(.view, unitId: nil, what: "audit verify")
        return try walk(.access, against: against)
    }

    /// Both chains and the cases without their intake, across the database (server
    /// functions); every case in the official's units replayed from its events. The
    /// server's own integrity and foreign keys are its business: always enforced.
    public func checkConsistency() throws -> ConsistencyReport {
        try authorize(.view, unitId: nil, what: "audit verify --full")
        let events = try walk(.events, against: nil)
        let access = try walk(.access, against: nil)
        let r = try db.one("SELECT total, codes FROM pakn_audit_without_intake()")
        let total = try r?.int(0) ?? 0
        let noIntake = try r.map { try $0[1].decode([String].self) } ?? []
        // The replay, over the cases the official's role may read.
        var mismatches: [String] = []
        var afterId: Int64 = 0
        while mismatches.count < 20 {
            let page = try db.rows("SELECT \(Self.caseColumns) FROM pakn_case c WHERE c.id > \(afterId) ORDER BY c.id LIMIT 500")
                .map(Self.decodeCase)
            guard let last = page.last else { break }
            afterId = last.id
            var drafts: [Int64: [EventDraft]] = [:]
            for e in try db.rows("""
                SELECT case_id, extract(epoch FROM at)::bigint, actor_id, action, from_status, to_status, note, changes FROM event
                WHERE case_id BETWEEN \(page[0].id) AND \(last.id) ORDER BY case_id, id
                """) {
                let d = EventDraft(caseId: try e.int(0), at: Self.date(try e.int(1)), actorId: try e.int(2),
                                   action: ActionName(rawValue: try e.str(3)) ?? .note,
                                   fromStatus: try e.strOpt(4).flatMap(CaseStatus.init(rawValue:)),
                                   toStatus: try e.strOpt(5).flatMap(CaseStatus.init(rawValue:)),
                                   note: try e.strOpt(6), changes: Self.decodeChanges(try e.str(7)))
                drafts[d.caseId, default: []].append(d)
            }
            for var c in page {
                let ds = drafts[c.id] ?? []
                guard ds.first?.action == .intake else { continue }
                if c.reply == nil { c.reply = ds.last { $0.changes["reply"] != nil }?.changes["reply"]?.after }
                if CaseSnapshot.replay(ds) != CaseSnapshot.of(c), mismatches.count < 20 { mismatches.append(c.code) }
            }
        }
        return ConsistencyReport(integrity: ["ok"], foreignKeyViolations: 0, events: events, access: access,
                                 cases: Int(total), replayMismatches: mismatches, withoutIntake: noIntake)
    }

    public func chainHead() throws -> String {
        try authorize(.view, unitId: nil, what: "audit head")
        return try db.one("SELECT pakn_chain_head()")?.str(0) ?? String(repeating: "0", count: 64)
    }

    public func accessHead() throws -> String {
        try authorize(.view, unitId: nil, what: "audit head")
        return try db.one("SELECT pakn_access_head()")?.str(0) ?? String(repeating: "0", count: 64)
    }

    /// The access log (who exported, revealed, changed what), for those who manage officials.
    public func accessLog(limit: Int, caseRef: String?) throws -> [AccessEntry] {
        try authorize(.manageOfficials, unitId: nil, what: "audit log")
        let caseId = try caseRef.map { try resolveCase($0).id }
        var b = Binds()
        return try db.rows("""
            SELECT id, at, actor_id, login, action, target, note, count, digest, hash, case_ids
            FROM pakn_access_entries(\(b.add(Int64(limit)))::int, \(b.add(caseId))::bigint)
            """, b).map { r in
            AccessEntry(id: try r.int(0), at: Self.date(try r.int(1)), actorId: try r.intOpt(2), login: try r.str(3),
                        action: AccessAction(rawValue: try r.str(4)) ?? .refused, target: try r.strOpt(5), note: try r.strOpt(6),
                        count: Int(try r.int(7)), digest: try r.strOpt(8), caseIds: try r[10].decode([Int64].self),
                        hash: try r.str(9), facts: [])
        }
    }
}
