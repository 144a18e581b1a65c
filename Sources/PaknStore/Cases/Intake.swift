import Foundation
import GRDB
import PaknCore

/// What a clerk records when a petition comes in.
public struct IntakeDraft: Sendable {
    public enum Routing: Sendable, Equatable {
        /// By the routing table (the default).
        case auto
        /// Leave it for triage.
        case none
        /// To this unit code.
        case unit(String)
    }

    public var title: String
    public var body: String
    public var kind: CaseKind
    public var category: String
    public var channel: Channel
    public var wardCode: String?
    public var address: String?
    public var latitude: Double?
    public var longitude: Double?
    public var reporter: Reporter
    public var complex: Bool
    /// When the petition was received, if not now (a letter stamped earlier).
    public var receivedAt: Date?
    public var attachments: [URL]
    public var routing: Routing

    public init(title: String, body: String, kind: CaseKind, category: String, channel: Channel,
                wardCode: String? = nil, address: String? = nil, latitude: Double? = nil, longitude: Double? = nil,
                reporter: Reporter = Reporter(), complex: Bool = false, receivedAt: Date? = nil,
                attachments: [URL] = [], routing: Routing = .auto) {
        self.title = title; self.body = body; self.kind = kind; self.category = category; self.channel = channel
        self.wardCode = wardCode; self.address = address; self.latitude = latitude; self.longitude = longitude
        self.reporter = reporter; self.complex = complex; self.receivedAt = receivedAt
        self.attachments = attachments; self.routing = routing
    }
}

extension AppDatabase {
    /// Records a new case with its reporter, attachments, search entry and intake event, and
    /// routes it — all in one transaction.
    public func intake(_ draft: IntakeDraft, by actor: Official, at now: Date) throws -> Case {
        let ref = try reference()
        let files = try draft.attachments.map { try AttachmentFile.load($0, maxMB: attachmentMaxMB()) }
        return try write { db in
            try Guard.require(db, actor, .intake, unitId: actor.unitId)
            let c = try CaseWriter.intake(db, draft, ref: ref, by: actor, at: now)
            for f in files { try AttachmentFile.store(db, f, caseId: c.id, by: actor.id, at: now, dbPath: path) }
            return c
        }
    }

    func attachmentMaxMB() throws -> Int { Int(try setting("attachment_max_mb") ?? "") ?? 10 }
}

enum CaseWriter {
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
        let last = try Int.fetchOne(db, sql: "SELECT last FROM case_sequence WHERE year = ?", arguments: [year]) ?? 0
        try db.execute(sql: "INSERT INTO case_sequence(year, last) VALUES (?, ?) ON CONFLICT(year) DO UPDATE SET last = excluded.last",
                       arguments: [year, last + 1])
        return String(format: "%@-%04d-%06d", prefix, year, last + 1)
    }

    static func intake(_ db: Database, _ draft: IntakeDraft, ref: ReferenceData, by actor: Official, at now: Date,
                       code fixedCode: String? = nil) throws -> Case {
        let text = try clean(draft)
        guard ref.category(draft.category) != nil else { throw StoreError.unknownCategory(draft.category) }
        var ward: OrgUnit?
        if let wc = draft.wardCode {
            guard let w = try UnitQueries.unit(db, code: wc) else { throw StoreError.unknownUnit(wc) }
            ward = w
        }
        if let lat = draft.latitude, !(-90...90).contains(lat) { throw StoreError.invalidValue(field: "lat", value: "\(lat)") }
        if let lon = draft.longitude, !(-180...180).contains(lon) { throw StoreError.invalidValue(field: "lon", value: "\(lon)") }
        let received = draft.receivedAt ?? now
        let receivedDay = Day(received)
        guard let rule = ref.rulebook.rule(for: draft.kind, receivedOn: receivedDay) else {
            throw StoreError.noDeadlineRule(kind: draft.kind, day: receivedDay)
        }
        let remote = ward?.remote ?? false
        let deadline = Deadline(rule: rule, start: receivedDay, complex: draft.complex, remote: remote)

        var reporterId: Int64?
        let r = draft.reporter
        let confidential = r.confidential || draft.kind.alwaysConfidential
        if !r.anonymous, [r.name, r.phone, r.email, r.address, r.nationalId].contains(where: { !($0 ?? "").isEmpty }) {
            func c(_ s: String?) -> String? {
                s.map { CitizenText.clean($0, multiline: false) }.flatMap { $0.isEmpty ? nil : String($0.prefix(CitizenText.maxLineFieldLength)) }
            }
            try db.execute(sql: "INSERT INTO reporter(name, phone, email, address, national_id, anonymous, confidential) VALUES (?, ?, ?, ?, ?, 0, ?)",
                           arguments: [c(r.name), c(r.phone), c(r.email), c(r.address), c(r.nationalId), confidential])
            reporterId = db.lastInsertedRowID
        }

        let code = try fixedCode ?? nextCode(db, year: receivedDay.year)
        let home = ward?.id ?? actor.unitId
        var c = Case(id: 0, code: code, title: text.title, body: text.body, kind: draft.kind, category: draft.category,
                     channel: draft.channel, wardId: ward?.id, address: text.address, latitude: draft.latitude,
                     longitude: draft.longitude, reporterId: reporterId, anonymous: r.anonymous, confidential: confidential,
                     unitId: home, status: .received, complex: draft.complex, receivedAt: received, deadline: deadline,
                     dueAt: deadline.dueDay(in: ref.calendar).end, updatedAt: now)
        let province = try UnitQueries.province(db, of: home)
        c.id = try CaseRow.insert(db, c, provinceId: province?.id)
        try SearchIndex.add(db, c)
        try EventLog.append(db, Workflow.intakeEvent(for: c, actorId: actor.id, at: now))

        var target: OrgUnit?
        switch draft.routing {
        case .none: target = nil
        case let .unit(code):
            guard let u = try UnitQueries.unit(db, code: code) else { throw StoreError.unknownUnit(code) }
            target = u
        case .auto:
            let wardUnit = ward
            let prov = try wardUnit.flatMap { try UnitQueries.province(db, of: $0.id) }
            target = ref.routing.route(kind: draft.kind, category: draft.category, ward: wardUnit, province: prov) { parent, suffix in
                try? UnitQueries.department(db, parent: parent, suffix: suffix)
            }
        }
        if let target {
            let note = draft.routing == .auto ? L10n.t("store.auto_route", .vi) : nil
            c = try CaseWriter.apply(db, .route(unitId: target.id), to: c, ref: ref, by: actor, at: now, note: note)
        }
        return c
    }

    /// Runs one workflow step on a loaded case and persists the result with its event.
    static func apply(_ db: Database, _ action: Action, to c: Case, ref: ReferenceData, by actor: Official, at now: Date,
                      note: String? = nil) throws -> Case {
        guard let rule = ref.rulebook.rule(id: c.deadline.ruleId) else {
            throw StoreError.noDeadlineRule(kind: c.kind, day: Day(c.receivedAt))
        }
        let ctx = WorkflowContext(now: now, actorId: actor.id, calendar: ref.calendar, rule: rule, policy: ref.policy)
        var t = try Workflow.apply(action, to: c, in: ctx)
        if let note, t.event.note == nil { t.event.note = note }
        let province = try t.updated.unitId.flatMap { try UnitQueries.province(db, of: $0) }
        try CaseRow.update(db, t.updated, provinceId: province?.id)
        try EventLog.append(db, t.event)
        return t.updated
    }
}
