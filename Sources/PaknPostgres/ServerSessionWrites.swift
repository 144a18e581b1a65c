import Foundation
import PaknCore
import PaknStoreAPI
import PostgresNIO

// Intake and actions on the server, each in one transaction: the case row read `FOR
// UPDATE`, the version checked, PaknCore's workflow applied, the row written and the event
// appended through `pakn_append_event` (which checks the permission again, serialises the
// chain on `event_head` and hashes as EventLog does). A deadlock or a clash on a new
// case's id is retried; anything else rolls the whole action back.

extension ServerSession {
    // MARK: Intake

    public func intake(_ draft: IntakeDraft) throws -> Case { try intake(draft, key: nil).case }

    /// An intake; with `key` (an intake through the Open311 service by a key's service
    /// official), the idempotency key and the tracking token's digest are kept in the same
    /// transaction, and a retry with the same idempotency key returns the case the first
    /// call made (`created` false).
    /// `reference`: the reference data already read (an import reads it once for every row).
    func intake(_ draft: IntakeDraft, key: KeyIntakeRecord?, reference given: ReferenceData? = nil) throws -> (case: Case, created: Bool) {
        let me = try current()
        guard permissions.allows(me.role, .intake) else {
            throw StoreError.permissionDenied(login: me.login, permission: .intake, unit: try unit(id: me.unitId)?.label ?? "-")
        }
        let ref = try given ?? reference()
        // Checked as SQLite checks them, before anything is written.
        let files = try draft.attachments.map { try AttachmentContent.load($0, maxMB: attachmentMaxMB()) }
        let now = self.now
        // The plan (CaseWriter.plan): checked text, ward, clock, reporter, routing target.
        let title = CitizenText.clean(draft.title, multiline: false)
        let body = CitizenText.clean(draft.body, multiline: true)
        guard !title.isEmpty else { throw StoreError.missingField("title") }
        guard !body.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { throw StoreError.missingField("body") }
        guard title.count <= CitizenText.maxLineFieldLength else { throw StoreError.tooLong(field: "title", max: CitizenText.maxLineFieldLength) }
        guard body.count <= CitizenText.maxBodyLength else { throw StoreError.tooLong(field: "body", max: CitizenText.maxBodyLength) }
        let address = draft.address.map { CitizenText.clean($0, multiline: false) }.flatMap { $0.isEmpty ? nil : $0 }
        if let a = address, a.count > CitizenText.maxLineFieldLength { throw StoreError.tooLong(field: "address", max: CitizenText.maxLineFieldLength) }
        guard ref.category(draft.category) != nil else { throw StoreError.unknownCategory(draft.category) }
        var ward: OrgUnit?
        if let wc = draft.wardCode?.trimmingCharacters(in: .whitespaces), !wc.isEmpty {
            guard let w = try unit(code: wc) else { throw StoreError.unknownUnit(wc) }
            // The intake permission applies in the official's units.
            guard try isWithin(unit: w.id, ancestor: me.unitId) else { throw StoreError.unitOutOfScope(login: me.login, unit: w.code) }
            ward = w
        }
        if let lat = draft.latitude, !(-90...90).contains(lat) { throw StoreError.invalidValue(field: "lat", value: "\(lat)") }
        if let lon = draft.longitude, !(-180...180).contains(lon) { throw StoreError.invalidValue(field: "lon", value: "\(lon)") }
        let received = draft.receivedAt ?? now
        guard received <= now else { throw Message("robust.received_future", ISO8601.format(received), ISO8601.format(now)) }
        let receivedDay = Day(received)
        let place = ward?.id ?? me.unitId
        let covers: (String) -> Bool = { code in
            guard let issuer = try? self.unit(code: code) else { return false }
            return (try? self.isWithin(unit: place, ancestor: issuer.id)) ?? false
        }
        guard let rule = ref.rulebook.rule(for: draft.kind, receivedOn: receivedDay, covers: covers) else {
            throw StoreError.noDeadlineRule(kind: draft.kind, day: receivedDay)
        }
        let deadline = Deadline(rule: rule, start: receivedDay, complex: draft.complex, remote: ward?.remote ?? false)
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
            guard let u = try unit(code: code) else { throw StoreError.unknownUnit(code) }
            target = u
        case .auto:
            let prov = try ward.flatMap { w in
                try db.one("SELECT province_id FROM unit WHERE id = \(w.id)")?.intOpt(0)
            }.flatMap { try unit(id: $0) }
            target = ref.routing.route(kind: draft.kind, category: draft.category, ward: ward, province: prov) { parent, suffix in
                try? self.unit(code: "\(parent.code)-\(suffix)")
            }
        }
        if let t = target, draft.routing != .auto || ward == nil, try !isWithin(unit: t.id, ancestor: me.unitId) {
            throw Message("robust.route_out_of_scope", me.login, t.code)
        }
        let home = ward?.id ?? me.unitId
        let prefix = try setting("case_prefix") ?? "VN"

        return try db.transaction { tx -> (case: Case, created: Bool) in
            if let key {
                var kb = Binds()
                if let id = try tx.one("SELECT pakn_key_intake_find(\(kb.add(key.idempotencyKey))::text)", kb)?.intOpt(0),
                   let made = try fetchCase(String(id), tx: tx) {
                    return (made, false)
                }
            }
            var reporterId: Int64?
            if let rep = reporter {
                var b = Binds()
                reporterId = try tx.one("""
                    SELECT pakn_add_reporter(\(b.add(rep.name)), \(b.add(rep.phone)), \(b.add(rep.email)), \(b.add(rep.address)),
                      \(b.add(rep.nationalId)), false, \(b.add(rep.confidential)))
                    """, b)?.int(0)
            }
            let year = Int64(receivedDay.year)
            var sb = Binds()
            let number = try tx.one("""
                INSERT INTO case_sequence(year, last) VALUES (\(sb.add(year))::int, 1)
                ON CONFLICT (year) DO UPDATE SET last = case_sequence.last + 1 RETURNING last
                """, sb)?.int(0) ?? 1
            let code = String(format: "%@-%04d-%06d", prefix, Int(year), Int(number))
            let id = try tx.one("SELECT pakn_next_case_id()")?.int(0) ?? 1
            var c = Case(id: id, code: code, title: title, body: body, kind: draft.kind, category: draft.category,
                         channel: draft.channel, wardId: ward?.id, address: address, latitude: draft.latitude,
                         longitude: draft.longitude, reporterId: reporterId, anonymous: draft.reporter.anonymous,
                         confidential: confidential, unitId: home, status: .received, complex: draft.complex,
                         receivedAt: received, deadline: deadline, dueAt: deadline.dueDay(in: ref.calendar).end, updatedAt: now)
            try insertCase(tx, c)
            var intake = Workflow.intakeEvent(for: c, actorId: me.id, at: now)
            intake.changes["facts"] = FieldChange(before: nil, after: "v1")
            try append(tx, intake)
            if let key {
                var kb = Binds()
                _ = try tx.rows("SELECT pakn_key_intake_record(\(kb.add(c.id)), \(kb.add(key.idempotencyKey))::text, \(kb.add(key.tokenHash)))", kb)
            }
            if let target {
                c = try apply(tx, .route(unitId: target.id), to: c, ref: ref, by: me,
                              note: draft.routing == .auto ? L10n.t("store.auto_route", .vi) : nil)
            }
            // As SQLite: after the intake and its routing, before a merge.
            for f in files {
                var fb = Binds()
                _ = try tx.rows("""
                    SELECT pakn_attach_intake(\(fb.add(c.id)), \(fb.add(f.name)), \(fb.add(f.mediaType)), \(fb.add(ByteBuffer(bytes: f.bytes))))
                    """, fb)
            }
            // A duplicate found at intake, merged as `merge` would (Intake.mergeAtIntake).
            if let master = draft.duplicateOf?.trimmingCharacters(in: .whitespaces), !master.isEmpty {
                guard permissions.allows(me.role, .merge) else {
                    throw StoreError.permissionDenied(login: me.login, permission: .merge, unit: try c.unitId.flatMap { try unit(id: $0)?.label } ?? "-")
                }
                guard let m = try fetchCase(master, tx: tx), try inScope(m) else { throw StoreError.outOfScope(login: me.login, code: master) }
                let action = try validate(.merge(masterId: m.id), for: c)
                c = try merge(tx, c, action, ref: ref, by: me)
            }
            return (c, true)
        }
    }

    /// The folded text the trigram index searches (as `pakn migrate` writes it).
    static func searchText(_ c: Case) -> String {
        VietnameseFold.fold([c.code, c.title, c.body, c.address ?? ""].joined(separator: " "))
    }

    func insertCase(_ tx: ServerDB.Tx, _ c: Case) throws {
        var b = Binds()
        let d = c.deadline
        let values = [
            b.add(c.id), b.add(c.code), b.add(c.title), b.add(c.body), b.add(c.kind.rawValue), b.add(c.category),
            b.add(c.channel.rawValue), b.add(c.wardId) + "::bigint", b.add(c.address) + "::text", b.add(c.latitude) + "::float8",
            b.add(c.longitude) + "::float8", b.add(c.reporterId) + "::bigint", b.add(c.anonymous), b.add(c.confidential),
            b.add(c.unitId) + "::bigint", b.add(c.assigneeId) + "::bigint", b.add(c.status.rawValue), b.add(!c.status.isOpen),
            b.add(c.complex), b.add(Int64(c.complexity)) + "::smallint", "to_timestamp(\(b.add(Self.secs(c.receivedAt))))", b.add(d.ruleId), b.add(d.counting.rawValue),
            "date '1970-01-01' + \(b.add(Int64(d.start.ordinal)))::int", b.add(Int64(d.days)) + "::int",
            b.add(Int64(d.extendedDays)) + "::int", b.add(Int64(d.extensions)) + "::int", b.add(Int64(d.pausedDays)) + "::int",
            "date '1970-01-01' + \(b.add(d.pausedSince.map { Int64($0.ordinal) }))::int",
            "to_timestamp(\(b.add(Self.secs(c.dueAt))))", b.add(Int64(c.version)), "to_timestamp(\(b.add(Self.secs(c.updatedAt))))",
            b.add(d.acceptDays.map(Int64.init)) + "::int", b.add(d.acceptCounting?.rawValue) + "::text",
            "date '1970-01-01' + \(b.add(d.acceptedOn.map { Int64($0.ordinal) }))::int", b.add(d.rollover), b.add(Self.searchText(c)),
        ]
        let unitRef = b.add(c.unitId) + "::bigint"
        _ = try tx.rows("""
            INSERT INTO pakn_case(id, code, title, body, kind, category, channel, ward_id, address, latitude, longitude, reporter_id,
              anonymous, confidential, unit_id, assignee_id, status, done, complex, complexity, received_at, rule_id, counting, clock_start,
              clock_days, extended_days, extensions, paused_days, paused_since, due_at, version, updated_at, accept_days,
              accept_counting, accepted_on, rollover, search, province_id, commune_id)
            SELECT \(values.joined(separator: ", ")), s.province_id, s.commune_id
            FROM (\(Self.scopeSQL(unitRef))) s
            """, b)
    }

    /// The province and commune a responsible unit lies in (UnitScope), as one row.
    static func scopeSQL(_ unit: String) -> String {
        """
        SELECT (SELECT coalesce(u.province_id, CASE WHEN u.level = 'province' THEN u.id END) FROM unit u WHERE u.id = \(unit)) AS province_id,
          (SELECT CASE WHEN u.level = 'commune' THEN u.id WHEN p.level = 'commune' THEN p.id END
           FROM unit u LEFT JOIN unit p ON p.id = u.parent_id WHERE u.id = \(unit)) AS commune_id
        """
    }

    /// Writes a changed case with its event through `pakn_case_act` (migration
    /// `v4-ops-case-act`): the server checks the case is in the official's scope (before the
    /// change: a transfer or an escalation may take it out of their sight) and the action's
    /// permission, writes the row and appends the event, all or nothing. Officials' roles
    /// may not UPDATE cases themselves.
    func act(_ tx: ServerDB.Tx, _ c: Case, _ e: EventDraft) throws {
        var b = Binds()
        let d = c.deadline
        let values: [(String, String)] = [
            ("unit_id", b.add(c.unitId) + "::bigint"), ("assignee_id", b.add(c.assigneeId) + "::bigint"),
            ("status", b.add(c.status.rawValue)), ("done", b.add(!c.status.isOpen)), ("complex", b.add(c.complex)), ("complexity", b.add(Int64(c.complexity))),
            ("rule_id", b.add(d.ruleId)), ("counting", b.add(d.counting.rawValue)),
            ("clock_start", "date '1970-01-01' + \(b.add(Int64(d.start.ordinal)))::int"),
            ("clock_days", b.add(Int64(d.days)) + "::int"), ("extended_days", b.add(Int64(d.extendedDays)) + "::int"),
            ("extensions", b.add(Int64(d.extensions)) + "::int"), ("paused_days", b.add(Int64(d.pausedDays)) + "::int"),
            ("paused_since", "date '1970-01-01' + \(b.add(d.pausedSince.map { Int64($0.ordinal) }))::int"),
            ("due_at", "to_timestamp(\(b.add(Self.secs(c.dueAt))))"), ("master_id", b.add(c.masterId) + "::bigint"),
            ("reply", b.add(c.reply) + "::text"), ("resolved_at", "to_timestamp(\(b.add(c.resolvedAt.map(Self.secs)))::bigint)"),
            ("closed_at", "to_timestamp(\(b.add(c.closedAt.map(Self.secs)))::bigint)"), ("rating", b.add(c.rating.map(Int64.init)) + "::int"),
            ("rating_reasons", b.add(c.ratingReasons.isEmpty ? nil : c.ratingReasons.map(\.rawValue).joined(separator: ",")) + "::text"),
            ("version", b.add(Int64(c.version))), ("updated_at", "to_timestamp(\(b.add(Self.secs(c.updatedAt))))"),
            ("accept_days", b.add(d.acceptDays.map(Int64.init)) + "::int"), ("accept_counting", b.add(d.acceptCounting?.rawValue) + "::text"),
            ("accepted_on", "date '1970-01-01' + \(b.add(d.acceptedOn.map { Int64($0.ordinal) }))::int"), ("rollover", b.add(d.rollover)),
        ]
        let row = "jsonb_build_object(" + values.map { "'\($0.0)', \($0.1)" }.joined(separator: ", ") + ")"
        let id = try tx.one("""
            SELECT pakn_case_act(\(b.add(c.id)), \(row), \(b.add(e.action.rawValue)), \(b.add(e.fromStatus?.rawValue))::text,
              \(b.add(e.toStatus?.rawValue))::text, \(b.add(e.note))::text, \(b.add(Self.encodeChanges(e.changes))))
            """, b)?.intOpt(0)
        if let id { ownEvents.note(id) }
    }

    /// Appends an event through the server's one way into the chain (intake: the case row
    /// was just inserted).
    func append(_ tx: ServerDB.Tx, _ e: EventDraft) throws {
        var b = Binds()
        let id = try tx.one("""
            SELECT (pakn_append_event(\(b.add(e.caseId)), \(b.add(e.action.rawValue)), \(b.add(e.fromStatus?.rawValue))::text,
              \(b.add(e.toStatus?.rawValue))::text, \(b.add(e.note))::text, \(b.add(Self.encodeChanges(e.changes))))).id
            """, b)?.intOpt(0)
        if let id { ownEvents.note(id) }
    }

    /// One workflow step on a loaded case, written with its event (CaseWriter.apply).
    func apply(_ tx: ServerDB.Tx, _ action: Action, to c: Case, ref: ReferenceData, by me: Official, note: String? = nil) throws -> Case {
        guard let rule = ref.rulebook.rule(id: c.deadline.ruleId) else { throw StoreError.noDeadlineRule(kind: c.kind, day: Day(c.receivedAt)) }
        var remote = false
        if case .markComplex = action, let w = c.wardId { remote = try unit(id: w)?.remote ?? false }
        let ctx = WorkflowContext(now: now, actorId: me.id, calendar: ref.calendar, rule: rule, policy: ref.policy, remote: remote)
        var t = try Workflow.apply(action, to: c, in: ctx)
        if let note, t.event.note == nil { t.event.note = note }
        if case let .notify(_, purpose) = action { t.event.changes["purpose"] = FieldChange(before: nil, after: purpose.rawValue) }
        try act(tx, t.updated, t.event)
        return t.updated
    }

    // MARK: Actions

    public func perform(_ action: Action, on caseRef: String, expectedVersion: Int?, reference: ReferenceData?) throws -> Case {
        let action = try ActionText.clean(action)
        let ref = try reference ?? self.reference()
        let me = try current()
        ownEvents.begin()
        let done = try recordingRefusal(caseRef: caseRef) { try db.transaction { tx in
            // Out of scope reads as unknown: row-level security does not return the row.
            // A case seen only because a unit of one's sent it away is read only.
            guard let c = try fetchCase(caseRef, tx: tx), try inScope(c) else {
                throw StoreError.outOfScope(login: me.login, code: caseRef)
            }
            let permission = Permission.required(for: action.name)
            guard permissions.allows(me.role, permission) else {
                throw StoreError.permissionDenied(login: me.login, permission: permission, unit: try c.unitId.flatMap { try unit(id: $0)?.label } ?? "-")
            }
            if let v = expectedVersion, v != c.version { throw StoreError.conflict(code: c.code, expected: v, found: c.version) }
            let resolved = try validate(action, for: c)
            if case .merge = resolved { return try merge(tx, c, resolved, ref: ref, by: me) }
            let updated = try apply(tx, resolved, to: c, ref: ref, by: me)
            if case .reply = resolved, updated.reply != nil {
                // The reporters of the cases merged into this one get its answer too.
                for r in try tx.rows("SELECT other_id FROM case_link WHERE case_id = \(c.id) AND kind = 'duplicate' ORDER BY other_id") {
                    // Only those in the official's units (the server lets no one change another's case).
                    guard let d = try fetchCase(String(try r.int(0)), tx: tx), try inScope(d) else { continue }
                    try passAnswer(tx, from: updated, to: d, by: me)
                }
            }
            return updated
        } }
        ownEvents.committed()
        return done
    }

    /// The write path run once on case `id` and rolled back (StoreSession.prepareFirstWrite):
    /// the case read as `perform` reads it, the scope asked, a note written through
    /// `pakn_case_act` (the action function, the case's triggers, the chain's append), then
    /// the row written again as if its status had changed (finished, or back in progress
    /// if it was finished: the branches of the counters' and statistics' triggers that a
    /// note does not take, and an assign, a reply or a closing does), then the transaction
    /// rolled back, so that the server has planned them all when the official's first real
    /// action comes. Nothing is written, no event is chained, no notice is sent (a
    /// rolled-back NOTIFY is never delivered). An official who may not write notes, or a
    /// case out of sight, leaves it at the reads.
    public func prepareFirstWrite(onCase id: Int64) { _ = try? rehearseFirstWrite(onCase: id) }

    /// `prepareFirstWrite`'s rehearsal: whether it ran the write path through (false: out of
    /// sight or no note permitted); what went wrong is thrown (for tests).
    @discardableResult
    func rehearseFirstWrite(onCase id: Int64) throws -> Bool {
        struct Rehearsed: Error {}
        let me = try current()
        var ran = false
        do {
            try db.transaction { tx in
                guard let c = try fetchCase(String(id), tx: tx), try inScope(c), permissions.allows(me.role, .note) else { return }
                let noted = try apply(tx, .note(text: "-"), to: c, ref: try reference(), by: me)
                var moved = noted
                moved.status = noted.status.isOpen ? .resolved : .inProgress
                moved.resolvedAt = moved.status == .resolved ? now : nil
                moved.version += 1
                moved.updatedAt = now
                try act(tx, moved, EventDraft(caseId: c.id, at: now, actorId: me.id, action: .note, fromStatus: noted.status,
                                             toStatus: moved.status, note: "-", changes: [:]))
                ran = true
                throw Rehearsed()
            }
        } catch is Rehearsed {}
        _ = try dataVersion()
        return ran
    }

    /// Merges `c` into the master `action` names, links them, and passes on an answer the
    /// master has already given (MergedCases.link, passAnswerGiven).
    func merge(_ tx: ServerDB.Tx, _ c: Case, _ action: Action, ref: ReferenceData, by me: Official) throws -> Case {
        guard case let .merge(masterId) = action else { return c }
        let merged = try apply(tx, action, to: c, ref: ref, by: me)
        _ = try tx.rows("""
            INSERT INTO case_link(case_id, other_id, kind) VALUES (\(masterId), \(c.id), 'duplicate') ON CONFLICT DO NOTHING
            """)
        if let master = try fetchCase(String(masterId), tx: tx), master.status == .resolved || master.status == .closed {
            return try passAnswer(tx, from: master, to: merged, by: me)
        }
        return merged
    }

    /// The master's current answer as duplicate `d`'s, with its own `reply` event
    /// (MergedCases.record).
    @discardableResult
    func passAnswer(_ tx: ServerDB.Tx, from master: Case, to d: Case, by me: Official) throws -> Case {
        guard let text = master.reply, d.status == .merged, d.masterId == master.id, d.reply != text else { return d }
        var d = d
        let before = CaseSnapshot.of(d)
        d.reply = text
        d.version += 1
        d.updatedAt = now
        var changes = CaseSnapshot.diff(before, CaseSnapshot.of(d))
        changes["master"] = FieldChange(before: nil, after: master.code)
        try act(tx, d, EventDraft(caseId: d.id, at: now, actorId: me.id, action: .reply, fromStatus: .merged, toStatus: .merged,
                                  note: L10n.t("intake.master_reply", .vi, master.code), changes: changes))
        return d
    }

    /// What the workflow cannot know (CaseService.validate): units exist, the assignee
    /// belongs to the office, the escalation's parent.
    func validate(_ action: Action, for c: Case) throws -> Action {
        switch action {
        case let .route(unitId), let .transfer(unitId, _):
            guard try unit(id: unitId) != nil else { throw StoreError.unknownUnit(String(unitId)) }
            return action
        case let .assign(officialId):
            guard let o = try official(id: officialId), o.active else { throw StoreError.unknownOfficial(String(officialId)) }
            if let unitId = c.unitId {
                let office = try owningOffice(unitId)
                guard try isWithin(unit: o.unitId, ancestor: office.id) else {
                    throw StoreError.assigneeNotInUnit(login: o.login, unit: office.name)
                }
            }
            return action
        case let .escalate(_, reason):
            guard let unitId = c.unitId else { throw StoreError.noParentUnit(c.code) }
            let office = try owningOffice(unitId)
            guard let parentId = office.parentId, let parent = try unit(id: parentId), parent.level != .centre else {
                throw StoreError.noParentUnit(office.name)
            }
            return .escalate(parentUnitId: parent.id, reason: reason)
        case let .merge(masterId):
            // A master outside one's units is as unknown as the case itself would be.
            guard let master = try fetchCase(String(masterId)), try inScope(master) else {
                throw StoreError.outOfScope(login: official.login, code: String(masterId))
            }
            if master.status == .merged { throw StoreError.notMergeable(master.code) }
            return action
        default:
            return action
        }
    }

    func owningOffice(_ unitId: Int64) throws -> OrgUnit {
        guard let u = try unit(id: unitId) else { throw StoreError.unknownUnit(String(unitId)) }
        if u.level == .department, let p = u.parentId, let parent = try unit(id: p) { return parent }
        return u
    }
}
