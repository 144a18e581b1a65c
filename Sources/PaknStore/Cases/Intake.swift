import Foundation
import GRDB
import PaknCore

extension AppDatabase {
    /// Records a new case with its reporter, attachments, search entry and intake event, and
    /// routes it — all in one transaction.
    func intake(_ draft: IntakeDraft, by actor: Official, at now: Date) throws -> Case {
        let files = try draft.attachments.map { try AttachmentFile.load($0, maxMB: attachmentMaxMB()) }
        try primeReference()
        return try write { db in
            let ref = try reference(writing: db)
            try Guard.require(db, actor, .intake, unitId: actor.unitId)
            // The intake permission applies in the official's units: a ward clerk takes in
            // cases for their ward (as `pakn import` does), not for the ward next door.
            if let wc = draft.wardCode?.trimmingCharacters(in: .whitespaces), !wc.isEmpty,
               let ward = try UnitQueries.unit(db, code: wc),
               try !UnitQueries.isWithin(db, unit: ward.id, ancestor: actor.unitId) {
                throw StoreError.unitOutOfScope(login: actor.login, unit: ward.code)
            }
            var c = try CaseWriter.intake(db, draft, ref: ref, by: actor, at: now)
            for f in files { try AttachmentFile.store(db, f, caseId: c.id, by: actor.id, at: now, dbPath: path) }
            if let master = draft.duplicateOf?.trimmingCharacters(in: .whitespaces), !master.isEmpty {
                c = try mergeAtIntake(db, c, into: master, ref: ref, by: actor, at: now)
            }
            return c
        }
    }

    /// Merges a case just taken in into `master` (a duplicate found at intake), as `merge`
    /// would: the merge permission, the master in the official's units and not itself merged.
    func mergeAtIntake(_ db: Database, _ c: Case, into master: String, ref: ReferenceData, by actor: Official,
                       at now: Date) throws -> Case {
        try Guard.require(db, actor, .merge, unitId: c.unitId)
        let m = try CaseRow.resolve(db, master, reply: false)
        try Guard.requireScope(db, actor, m, ref: master)
        let action = try CaseService.validate(db, .merge(masterId: m.id), for: c, by: actor)
        let merged = try CaseWriter.apply(db, action, to: c, ref: ref, by: actor, at: now)
        try MergedCases.link(db, master: m.id, duplicate: c.id)
        try MergedCases.passAnswerGiven(db, master: m.id, to: merged, by: actor, at: now)
        return try CaseRow.fetch(db, id: merged.id) ?? merged
    }

    func attachmentMaxMB() throws -> Int { Int(try setting("attachment_max_mb") ?? "") ?? AttachmentContent.defaultMaxMB }
}

package enum CaseWriter {
    static func clean(_ draft: IntakeDraft) throws -> (title: String, body: String, address: String?) {
        let title = CitizenText.clean(draft.title, multiline: false)
        let body = CitizenText.clean(draft.body, multiline: true)
        guard !title.isEmpty else { throw StoreError.missingField("title") }
        guard !body.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { throw StoreError.missingField("body") }
        guard title.count <= CitizenText.maxLineFieldLength else {
            throw StoreError.tooLong(field: "title", max: CitizenText.maxLineFieldLength)
        }
        guard body.count <= CitizenText.maxBodyLength else { throw StoreError.tooLong(field: "body", max: CitizenText.maxBodyLength) }
        let address = draft.address.map { CitizenText.clean($0, multiline: false) }.flatMap { $0.isEmpty ? nil : $0 }
        if let a = address, a.count > CitizenText.maxLineFieldLength {
            throw StoreError.tooLong(field: "address", max: CitizenText.maxLineFieldLength)
        }
        return (title, body, address)
    }

    static func nextCode(_ db: Database, year: Int) throws -> String {
        let prefix = try AppDatabase.setting(db, "case_prefix") ?? "VN"
        let stored = try Int.fetchOne(db.cachedStatement(sql: "SELECT last FROM case_sequence WHERE year = ?"), arguments: [year]) ?? 0
        // Never below a code issued before a restore (`CodeFloor`).
        let last = max(stored, CodeFloor.read(db)[year] ?? 0)
        try db.cachedStatement(sql: "INSERT INTO case_sequence(year, last) VALUES (?, ?) ON CONFLICT(year) DO UPDATE SET last = excluded.last")
            .execute(arguments: [year, last + 1])
        try CodeFloor.raise(db, [year: last + 1])
        return code(prefix: prefix, year: year, number: last + 1)
    }

    static func code(prefix: String, year: Int, number: Int) -> String {
        prefix + "-" + Day.padded(year, 4) + "-" + Day.padded(number, 6)
    }

    /// Everything intake decides before writing: checked text, ward, clock, reporter and
    /// routing target. Shared by one intake (`intake`) and bulk loads (`BulkCaseWriter`),
    /// so an imported case is taken in exactly as a typed one.
    struct Plan {
        var draft: IntakeDraft
        var title: String
        var body: String
        var address: String?
        var ward: OrgUnit?
        var deadline: Deadline
        var received: Date
        /// Cleaned reporter fields, when there is someone to record.
        var reporter: Reporter?
        var confidential: Bool
        /// The unit the case starts in (its ward, else the clerk's unit).
        var home: Int64
        var target: OrgUnit?
        var routeNote: String?

        /// The new case, before any routing.
        func makeCase(id: Int64, code: String, reporterId: Int64?, dueAt: Date, at now: Date) -> Case {
            Case(id: id, code: code, title: title, body: body, kind: draft.kind, category: draft.category,
                 channel: draft.channel, wardId: ward?.id, address: address, latitude: draft.latitude,
                 longitude: draft.longitude, reporterId: reporterId, anonymous: draft.reporter.anonymous,
                 confidential: confidential, unitId: home, status: .received, complex: draft.complex,
                 receivedAt: received, deadline: deadline, dueAt: dueAt, updatedAt: now)
        }
    }

    static func plan(_ draft: IntakeDraft, ref: ReferenceData, units: UnitDirectory, by actor: Official,
                     at now: Date) throws -> Plan {
        let text = try clean(draft)
        guard ref.category(draft.category) != nil else { throw StoreError.unknownCategory(draft.category) }
        var ward: OrgUnit?
        if let wc = draft.wardCode {
            guard let w = try units.unit(code: wc) else { throw StoreError.unknownUnit(wc) }
            ward = w
        }
        if let lat = draft.latitude, !(-90...90).contains(lat) { throw StoreError.invalidValue(field: "lat", value: "\(lat)") }
        if let lon = draft.longitude, !(-180...180).contains(lon) { throw StoreError.invalidValue(field: "lon", value: "\(lon)") }
        let received = draft.receivedAt ?? now
        try checkReceived(received, now: now)
        let receivedDay = Day(received)
        // A local rule applies to cases within the unit that issued it (the case's ward, else
        // the clerk's unit, where the case starts).
        let place = ward?.id ?? actor.unitId
        let covers: (String) -> Bool = { code in
            guard let issuer = try? units.unit(code: code) else { return false }
            return (try? units.isWithin(place, ancestor: issuer.id)) ?? false
        }
        guard let rule = ref.rulebook.rule(for: draft.kind, receivedOn: receivedDay, covers: covers) else {
            throw StoreError.noDeadlineRule(kind: draft.kind, day: receivedDay)
        }
        let remote = ward?.remote ?? false
        let deadline = Deadline(rule: rule, start: receivedDay, complex: draft.complex, remote: remote)

        let r = draft.reporter
        let confidential = r.confidential || draft.kind.alwaysConfidential
        var reporter: Reporter?
        if !r.anonymous, [r.name, r.phone, r.email, r.address, r.nationalId].contains(where: { !($0 ?? "").isEmpty }) {
            func c(_ s: String?) -> String? {
                s.map { CitizenText.clean($0, multiline: false) }.flatMap { $0.isEmpty ? nil : String($0.prefix(CitizenText.maxLineFieldLength)) }
            }
            reporter = Reporter(name: c(r.name), phone: c(r.phone), email: c(r.email), address: c(r.address),
                                nationalId: c(r.nationalId), anonymous: false, confidential: confidential)
        }

        var target: OrgUnit?
        switch draft.routing {
        case .none: target = nil
        case let .unit(code):
            guard let u = try units.unit(code: code) else { throw StoreError.unknownUnit(code) }
            target = u
        case .auto:
            let prov = try ward.flatMap { try units.scope(of: $0.id).provinceId }.flatMap { try units.unit(id: $0) }
            target = ref.routing.route(kind: draft.kind, category: draft.category, ward: ward, province: prov) { parent, suffix in
                try? units.unit(code: "\(parent.code)-\(suffix)")
            }
        }
        // Without a ward in the clerk's units (or with a unit named), the routing table does
        // not vouch for the target: it must lie within the clerk's own units, as a ward does.
        if let t = target, draft.routing != .auto || ward == nil, try !units.isWithin(t.id, ancestor: actor.unitId) {
            throw Message("robust.route_out_of_scope", actor.login, t.code)
        }
        return Plan(draft: draft, title: text.title, body: text.body, address: text.address, ward: ward,
                    deadline: deadline, received: received, reporter: reporter, confidential: confidential,
                    home: ward?.id ?? actor.unitId, target: target,
                    routeNote: draft.routing == .auto ? L10n.t("store.auto_route", .vi) : nil)
    }

    /// The one rule on receipt dates, for intake, import and the desk: a petition cannot
    /// be received after now (a letter stamped earlier can be taken in later).
    static func checkReceived(_ received: Date, now: Date) throws {
        guard received <= now else { throw Message("robust.received_future", ISO8601.format(received), ISO8601.format(now)) }
    }

    static func insertReporter(_ db: Database, _ r: Reporter, id: Int64? = nil) throws -> Int64 {
        try db.cachedStatement(sql: """
            INSERT INTO reporter(id, name, phone, email, address, national_id, anonymous, confidential) VALUES (?, ?, ?, ?, ?, ?, 0, ?)
            """).execute(arguments: [id, r.name, r.phone, r.email, r.address, r.nationalId, r.confidential])
        return db.lastInsertedRowID
    }

    package static func intake(_ db: Database, _ draft: IntakeDraft, ref: ReferenceData, by actor: Official, at now: Date,
                       code fixedCode: String? = nil) throws -> Case {
        let units = DatabaseUnits(db)
        let p = try plan(draft, ref: ref, units: units, by: actor, at: now)
        let reporterId = try p.reporter.map { try insertReporter(db, $0) }
        let code = try fixedCode ?? nextCode(db, year: Day(p.received).year)
        var c = p.makeCase(id: 0, code: code, reporterId: reporterId, dueAt: p.deadline.dueDay(in: ref.calendar).end, at: now)
        // The routing is decided before the row is written, and the row is written once, as
        // routed: the events are those of an intake followed by a route (`apply`), but the
        // counters' and statistics' triggers run once instead of being undone and done again
        // for the unit the route leaves (the update was half the cost of a routed intake).
        let routed = try p.target.map {
            try transition(.route(unitId: $0.id), to: c, ref: ref, by: actor, at: now, note: p.routeNote)
        }
        let row = routed?.updated ?? c
        c.id = try CaseRow.insert(db, row, scope: units.scope(of: row.unitId))
        try SearchIndex.add(db, c)
        try EventLog.append(db, EventLog.coveringFacts(Workflow.intakeEvent(for: c, actorId: actor.id, at: now)),
                            facts: EventLog.facts(c))
        guard var route = routed else { return c }
        route.updated.id = c.id
        route.event.caseId = c.id
        try EventLog.append(db, route.event)
        return route.updated
    }

    /// One workflow step on a case, in memory: the case after it and the event that records it.
    static func transition(_ action: Action, to c: Case, ref: ReferenceData, by actor: Official, at now: Date,
                           note: String? = nil, remote: Bool = false) throws -> Transition {
        guard let rule = ref.rulebook.rule(id: c.deadline.ruleId) else {
            throw StoreError.noDeadlineRule(kind: c.kind, day: Day(c.receivedAt))
        }
        let ctx = WorkflowContext(now: now, actorId: actor.id, calendar: ref.calendar, rule: rule, policy: ref.policy,
                                  remote: remote)
        var t = try Workflow.apply(action, to: c, in: ctx)
        if let note, t.event.note == nil { t.event.note = note }
        // A notice records what it was (its text is the event's note).
        if case let .notify(_, purpose) = action { t.event.changes["purpose"] = FieldChange(before: nil, after: purpose.rawValue) }
        return t
    }

    /// Runs one workflow step on a loaded case and persists the result with its event.
    package static func apply(_ db: Database, _ action: Action, to c: Case, ref: ReferenceData, by actor: Official, at now: Date,
                      note: String? = nil) throws -> Case {
        // Only a change of complexity recomputes the allowed days, which depend on the area.
        var remote = false
        if case .markComplex = action, let w = c.wardId { remote = try UnitQueries.unit(db, id: w)?.remote ?? false }
        let t = try transition(action, to: c, ref: ref, by: actor, at: now, note: note, remote: remote)
        try CaseRow.update(db, t.updated, scope: DatabaseUnits(db).scope(of: t.updated.unitId),
                           replyRecorded: t.event.changes["reply"] != nil)
        try EventLog.append(db, t.event)
        return t.updated
    }
}

/// Where a responsible unit sits: its province and, below province level, its commune.
/// The case row keeps both so a province's or a ward's desk reads one index.
package struct UnitScope: Equatable, Sendable {
    var provinceId: Int64?
    var communeId: Int64?
    package static let none = UnitScope(provinceId: nil, communeId: nil)
}

/// The unit facts intake and the write path need, from the database or, in bulk loads,
/// from memory.
protocol UnitDirectory {
    func unit(code: String) throws -> OrgUnit?
    func unit(id: Int64) throws -> OrgUnit?
    func scope(of id: Int64) throws -> UnitScope
    /// Whether `id` is `ancestor` or lies below it.
    func isWithin(_ id: Int64, ancestor: Int64) throws -> Bool
}

extension UnitDirectory {
    func scope(of id: Int64?) throws -> UnitScope { try id.map { try scope(of: $0) } ?? .none }
}

struct DatabaseUnits: UnitDirectory {
    let db: Database
    init(_ db: Database) { self.db = db }

    func unit(code: String) throws -> OrgUnit? { try UnitQueries.unit(db, code: code) }
    func unit(id: Int64) throws -> OrgUnit? { try UnitQueries.unit(db, id: id) }
    func isWithin(_ id: Int64, ancestor: Int64) throws -> Bool { try UnitQueries.isWithin(db, unit: id, ancestor: ancestor) }

    func scope(of id: Int64) throws -> UnitScope {
        let stmt = try db.cachedStatement(sql: """
            SELECT u.province_id, CASE WHEN u.level = 'commune' THEN u.id WHEN p.level = 'commune' THEN p.id END
            FROM unit u LEFT JOIN unit p ON p.id = u.parent_id WHERE u.id = ?
            """)
        guard let r = try Row.fetchOne(stmt, arguments: [id]) else { return .none }
        return UnitScope(provinceId: r[0], communeId: r[1])
    }
}

/// Every unit in memory (about 20,000 rows, read once), for bulk loads.
package final class UnitMap: UnitDirectory {
    private(set) var byId: [Int64: OrgUnit] = [:]
    private var byCode: [String: Int64] = [:]
    private var aliases: [String: Int64] = [:]
    private var scopes: [Int64: UnitScope] = [:]

    init(_ db: Database) throws {
        var province: [Int64: Int64?] = [:]
        for r in try Row.fetchAll(db, sql: "SELECT \(UnitQueries.columns), province_id FROM unit") {
            let u = UnitQueries.unit(from: r)
            byId[u.id] = u
            byCode[u.code] = u.id
            province[u.id] = r["province_id"] as Int64?
        }
        for r in try Row.fetchAll(db, sql: "SELECT old_code, unit_id FROM unit_alias") {
            aliases[r[0]] = r[1]
        }
        for (id, u) in byId {
            let parent = u.parentId.flatMap { byId[$0] }
            let commune = u.level == .commune ? u.id : (parent?.level == .commune ? parent?.id : nil)
            scopes[id] = UnitScope(provinceId: province[id] ?? nil, communeId: commune)
        }
    }

    func unit(code: String) -> OrgUnit? {
        if let id = byCode[code] ?? aliases[code] { return byId[id] }
        // A department under an old code (`00073-KT`) is the same department under the new one.
        if let dash = code.firstIndex(of: "-"), dash != code.startIndex,
           let parent = aliases[String(code[..<dash])].flatMap({ byId[$0] }) {
            return byCode[parent.code + code[dash...]].flatMap { byId[$0] }
        }
        return nil
    }
    func unit(id: Int64) -> OrgUnit? { byId[id] }
    package func scope(of id: Int64) -> UnitScope { scopes[id] ?? .none }
}
