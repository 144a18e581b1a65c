import Foundation
import PaknCore
import PaknStoreAPI
import PostgresNIO

// A citizen's data request, attachments and `pakn import` on the server (migrations
// `v6-casedata-*`, ServerCaseDataSchema.swift): the same answers, refusals and records as
// the SQLite store (Sources/PaknStore/Trust/CitizenData.swift, Cases/AttachmentFile.swift,
// Exchange/CaseImport.swift). The session checks first, so a refusal is recorded as SQLite
// records it; the server function checks again and writes, so a caller from psql can do no
// more than pakn lets them.

extension ServerSession {
    // MARK: Attachments

    /// The `attachment_max_mb` setting (AttachmentContent's default when none).
    func attachmentMaxMB() throws -> Int { Int(try setting("attachment_max_mb") ?? "") ?? AttachmentContent.defaultMaxMB }

    /// Checked as SQLite checks it (size, type by content) before a byte is sent; kept by
    /// `pakn_attach`, which checks the case, `work` and the limit again and appends the
    /// `attach` event. A refusal for scope or permission is recorded in the case's history.
    public func attach(_ url: URL, to caseRef: String) throws -> Attachment {
        let f = try AttachmentContent.load(url, maxMB: attachmentMaxMB())
        return try recordingRefusal(caseRef: caseRef) {
            let me = try current()
            guard let c = try fetchCase(caseRef), try inScope(c) else { throw StoreError.outOfScope(login: me.login, code: caseRef) }
            guard permissions.allows(me.role, .work) else {
                throw StoreError.permissionDenied(login: me.login, permission: .work,
                                                  unit: try c.unitId.flatMap { try unit(id: $0)?.label } ?? "-")
            }
            let id = try db.transaction { tx -> Int64 in
                var b = Binds()
                return try tx.one("""
                    SELECT pakn_attach(\(b.add(c.id)), \(b.add(f.name)), \(b.add(f.mediaType)), \(b.add(ByteBuffer(bytes: f.bytes))))
                    """, b)?.int(0) ?? 0
            }
            guard let a = try attachments(caseId: c.id).first(where: { $0.id == id }) else {
                throw StoreError.outOfScope(login: me.login, code: caseRef)
            }
            return a
        }
    }

    static let attachmentsOfCase = ServerDB.PreparedStatement(name: "pakn_case_attachments", definition: """
        (bigint) AS SELECT id, case_id, name, media_type, size, sha256, extract(epoch FROM added_at)::bigint FROM attachment
        WHERE case_id = $1 ORDER BY id
        """)

    /// A case's attachments, oldest first, as row-level security shows them.
    func attachments(caseId: Int64) throws -> [Attachment] {
        try db.prepared(Self.attachmentsOfCase, [String(caseId)]).map {
            Attachment(id: try $0.int(0), caseId: try $0.int(1), name: try $0.str(2), mediaType: try $0.str(3), size: try $0.int(4),
                       sha256: try $0.str(5), addedAt: Self.date(try $0.int(6)))
        }
    }

    /// An attachment's bytes, from the database (`attachment_blob`, readable as its case is).
    public func attachmentData(caseRef: String, attachmentId: Int64) throws -> Data {
        try recordingRefusal(caseRef: caseRef) {
            _ = try current()
            guard let c = try fetchCase(caseRef) else { throw StoreError.outOfScope(login: official.login, code: caseRef) }
            guard let r = try db.one("""
                SELECT b.bytes FROM attachment a JOIN attachment_blob b ON b.sha256 = a.sha256
                WHERE a.id = \(attachmentId) AND a.case_id = \(c.id)
                """) else { throw Message("store.attachment.unknown", c.code, attachmentId) }
            return try r[0].decode(Data.self)
        }
    }

    // MARK: A citizen's data request

    /// What `pakn_citizen_export` and `pakn_citizen_erase` answer.
    struct CitizenAnswer: Decodable {
        struct Held: Decodable {
            var caseId: Int64
            var reporter: Int64
            var name, phone, email, address, national_id: String?
            var anonymous, confidential: Bool
            enum CodingKeys: String, CodingKey {
                case caseId = "case", reporter, name, phone, email, address, national_id, anonymous, confidential
            }
        }
        struct Access: Decodable {
            var at: Int64
            var login: String
            var action: String
            var caseId: Int64
            var note: String?
            enum CodingKeys: String, CodingKey { case at, login, action, caseId = "case", note }
        }
        var status: String
        var outside: Int?
        var count: Int?
        var held: [Held]?
        var accesses: [Access]?
        var codes: [String]?
    }

    /// The cases a request names, each one the official may touch (AppDatabase.citizenMatches:
    /// one outside their units reads as one that does not exist). Nil when none are named.
    func citizenCases(_ q: CitizenQuery, _ me: Official) throws -> [Int64]? {
        guard !q.cases.isEmpty else { return nil }
        return try q.cases.map { ref in
            guard let c = try fetchCase(ref), try inScope(c) else { throw StoreError.outOfScope(login: me.login, code: ref) }
            return c.id
        }
    }

    /// Calls one of the citizen functions with the request's selectors as the matching keys
    /// of `CitizenQuery.matches` ('' for a selector given that can match nothing).
    func citizenCall(_ function: String, _ q: CitizenQuery, cases: [Int64]?, _ rest: [String?]) throws -> CitizenAnswer {
        var b = Binds()
        let keys: [String?] = [q.phone.map(CitizenQuery.phoneKey), q.name.map(CitizenQuery.nameKey),
                               q.nationalId.map(CitizenQuery.idKey), q.email.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }]
        let args = keys.map { b.add($0) + "::text" } + [b.add(cases) + "::bigint[]"] + rest.map { b.add($0) + "::text" }
        let text = try db.transaction { tx in
            try tx.one("SELECT \(function)(\(args.joined(separator: ", ")))::text", b)?.str(0) ?? "{}"
        }
        return try JSONDecoder().decode(CitizenAnswer.self, from: Data(text.utf8))
    }

    /// Everything held about a person (AppDatabase.citizenExport): `export_unredacted`; a
    /// sealed reporter only with `reveal_reporter` and a reason. The server writes the access
    /// log entry and the reveal events and answers with what is held and every recorded
    /// access to it.
    public func citizenExport(_ q: CitizenQuery, reason: String?) throws -> CitizenReport {
        guard !q.isEmpty || !q.cases.isEmpty else { throw Message("trust.citizen.no_selector") }
        let what = "citizen export \(q.kinds)"
        let me = try authorize(.exportUnredacted, unitId: nil, what: what)
        let cases = try citizenCases(q, me)
        let note = reason.map { CitizenText.clean($0, multiline: false) }.flatMap { $0.isEmpty ? nil : $0 }
        let answer = try citizenCall("pakn_citizen_export", q, cases: cases, [q.kinds, note, try? ActionText.reason(reason)])
        switch answer.status {
        case "ok": break
        case "reveal_denied":
            // Refused and recorded in the access log as SQLite does it.
            try authorize(.revealReporter, unitId: nil, what: what)
            throw StoreError.permissionDenied(login: me.login, permission: .revealReporter, unit: try unit(id: me.unitId)?.label ?? "-")
        case "reason_needed":
            _ = try ActionText.reason(reason)
            throw Message("trust.reason_required")
        default:
            throw Message("pg.server.error", "pakn_citizen_export", answer.status)
        }
        var held: [CitizenReport.Held] = []
        var codes: [Int64: String] = [:]
        for h in answer.held ?? [] {
            guard let c = try fetchCase(String(h.caseId)) else { throw StoreError.outOfScope(login: me.login, code: String(h.caseId)) }
            codes[c.id] = c.code
            let r = Reporter(id: h.reporter, name: h.name, phone: h.phone, email: h.email, address: h.address,
                             nationalId: h.national_id, anonymous: h.anonymous, confidential: h.confidential)
            held.append(CitizenReport.Held(reporter: r, case: c, unitName: try c.unitId.flatMap { try unit(id: $0)?.label },
                                           wardName: try c.wardId.flatMap { try unit(id: $0)?.label },
                                           attachments: try attachments(caseId: c.id)))
        }
        // In SQLite's order (by case, its reveals then its access-log entries), then by time.
        var accesses = (answer.accesses ?? []).map {
            CitizenReport.Access(at: Self.date($0.at), login: $0.login, action: $0.action, caseCode: codes[$0.caseId] ?? "#\($0.caseId)",
                                 note: $0.note)
        }
        accesses.sort { ($0.at, $0.caseCode) < ($1.at, $1.caseCode) }
        return CitizenReport(held: held, accesses: accesses, outOfScope: answer.outside ?? 0)
    }

    /// Erases a person's details (AppDatabase.citizenErase): the erase action's permission;
    /// refused while a match lies outside the official's units, or when only a name is
    /// given. The server blanks the reporters and appends an `erase` event to each case and
    /// the access-log entry, in one transaction.
    public func citizenErase(_ q: CitizenQuery, reason: String) throws -> ErasureSummary {
        guard !q.isEmpty || !q.cases.isEmpty else { throw Message("trust.citizen.no_selector") }
        guard q.isStrong else { throw Message("trust.citizen.name_alone") }
        let why = try ActionText.reason(reason)
        let what = "citizen erase \(q.kinds)"
        let me = try authorize(Permission.required(for: .erase), unitId: nil, what: what)
        let cases = try citizenCases(q, me)
        let answer = try citizenCall("pakn_citizen_erase", q, cases: cases, [q.kinds, why])
        switch answer.status {
        case "ok": return ErasureSummary(reporters: answer.count ?? 0, cases: answer.codes ?? [])
        case "out_of_scope": throw Message("trust.citizen.out_of_scope", answer.outside ?? 0)
        case "none": throw Message("trust.citizen.none")
        default: throw Message("pg.server.error", "pakn_citizen_erase", answer.status)
        }
    }

    // MARK: Import

    /// `pakn import` (AppDatabase.importCases): the same file checks, header and rows
    /// (`CaseImportRows`), each case taken in through this session's `intake` (the server's
    /// checks, routing and chained events), in one transaction: all or nothing by default
    /// (every bad row still reported), or with `skipBad` one transaction per batch holding
    /// its good rows. Each row is a savepoint, so a row the server refuses leaves the others.
    /// New intakes by other clerks wait for the import (the year's case numbers stay in
    /// order), as SQLite's write lock makes them.
    public func importCases(from url: URL, options: CaseImportOptions, onProblem: (CaseImportProblem) throws -> Void,
                            progress: ((Int, Int) -> Void)?) throws -> CaseImportSummary {
        let limit = Int(try setting("import_max_mb") ?? "") ?? CaseImportRows.defaultMaxMB
        var reader = CSVReader(handle: try InputFile.open(url.path, limitMB: limit).handle, detect: true)
        reader.fixedDelimiter = options.delimiter
        let name = url.lastPathComponent
        let me = try authorize(.intake, unitId: official.unitId, what: "import \(name)")
        let now = self.now
        guard let head = reader.next() else { throw CaseImportError.empty(file: name) }
        if let p = head.problem { throw CaseImportError.headerUnreadable(file: name, problem: p) }
        let rows: CaseImportRows
        do { rows = try CaseImportRows(header: head.fields, now: now) } catch { throw CaseImportError.header(file: name, reason: error) }
        let ref = try reference()
        var summary = CaseImportSummary()
        summary.dialect = reader.dialect
        var failed = false
        var finished = false

        func batch() throws {
            var n = 0
            while n < options.batch {
                guard let rec = reader.next() else { finished = true; return }
                n += 1
                summary.rows += 1
                do {
                    if let p = rec.problem { throw p }
                    let draft = try rows.draft(rec.fields)
                    if let code = draft.wardCode, let w = try unit(code: code), try !isWithin(unit: w.id, ancestor: me.unitId) {
                        throw Message("import.out_of_scope", w.name, me.login)
                    }
                    let c = try intake(draft, key: nil, reference: ref).case
                    if failed { continue }
                    summary.imported += 1
                    if summary.firstCode == nil { summary.firstCode = c.code }
                    summary.lastCode = c.code
                } catch let m as Message where m.key == "pg.server.lost" {
                    throw m
                } catch let e as any Localized & Error {
                    summary.rejected += 1
                    if !options.skipBad { failed = true }
                    try onProblem(CaseImportProblem(line: rec.line, reason: e, raw: rec.raw))
                }
            }
        }
        let serialise = "LOCK TABLE case_sequence IN SHARE ROW EXCLUSIVE MODE"

        struct RolledBack: Error {}
        if options.skipBad {
            while !finished {
                try db.transaction { tx in
                    _ = try tx.rows(serialise)
                    try batch()
                }
                progress?(summary.rows, reader.bytesRead)
            }
        } else {
            do {
                try db.transaction { tx in
                    _ = try tx.rows(serialise)
                    while !finished {
                        try batch()
                        progress?(summary.rows, reader.bytesRead)
                    }
                    if failed { throw RolledBack() }
                }
            } catch is RolledBack {
                summary.imported = 0
                summary.firstCode = nil
                summary.lastCode = nil
            }
        }
        return summary
    }

    // MARK: A lower level's report

    /// Imports a child office's exchange file (Session.importReport): the same checks and
    /// messages, in the same order, read here; `pakn_report_import` checks the permission,
    /// the unit and the file again, keeps it and writes the access-log entry, in one
    /// transaction. A unit outside the official's units is recorded in the access log.
    public func importReport(_ data: Data, replace: Bool) throws -> ReportImportResult {
        let o = try authorize(.importReports, unitId: nil, what: "report import")
        let r = try ReportExchange.decode(data)
        let at = now
        let digest = ReportExchange.digest(of: r)
        do {
            var ub = Binds()
            guard let unit = try db.one("SELECT \(Self.unitColumns) FROM unit WHERE code = \(ub.add(r.unit.code))", ub).map({ try Self.unit($0) }) else {
                throw Message("report.import.unknown_unit", r.unit.code, r.unit.name)
            }
            if unit.id == o.unitId { throw Message("report.import.own_unit", unit.label) }
            guard try isWithin(unit: unit.id, ancestor: o.unitId) else { throw StoreError.unitOutOfScope(login: o.login, unit: unit.code) }
            if unit.parentId != o.unitId {
                let mine = try self.unit(id: o.unitId)?.label ?? "-"
                let parent = try unit.parentId.flatMap { try self.unit(id: $0)?.label } ?? "-"
                throw Message("report.import.wrong_level", unit.label, parent, mine)
            }
            guard r.period.kind != .range else { throw Message("report.import.range") }
            if r.period.first > Day(at) { throw Message("stats.period.future", r.period.label) }
            // StatQueries.holdsCases: a unit whose cases this database holds is a query here.
            if try db.one("""
                SELECT 1 FROM unit u WHERE starts_with(u.path, (SELECT path FROM unit WHERE id = \(unit.id)))
                  AND EXISTS (SELECT 1 FROM stat_day s WHERE s.unit_id = u.id) LIMIT 1
                """) != nil { throw Message("report.import.local", unit.label) }
            var db1 = Binds()
            if try db.one("SELECT 1 FROM report_import WHERE digest = \(db1.add(digest))", db1) != nil {
                throw Message("report.import.duplicate", unit.label, r.period.label)
            }
            var eb = Binds()
            let existing = try db.one("""
                SELECT id FROM report_import WHERE unit_id = \(unit.id) AND period_kind = \(eb.add(r.period.kind.rawValue))
                  AND period_label = \(eb.add(r.period.label))
                """, eb) != nil
            if existing && !replace { throw Message("report.import.exists", unit.label, r.period.label) }
            let replaced = try db.transaction { tx -> Bool in
                var b = Binds()
                return try tx.one("""
                    SELECT pakn_report_import(\(b.add(unit.code)), \(b.add(r.period.kind.rawValue)), \(b.add(r.period.label)),
                      \(b.add(Int64(r.period.first.ordinal)))::int, \(b.add(Int64(r.period.last.ordinal)))::int, \(b.add(digest)),
                      \(b.add(r.chainHead)), \(b.add(r.madeBy)), to_timestamp(\(b.add(Self.secs(r.asOf)))), \(b.add(ISO8601.format(r.asOf))),
                      \(b.add(String(decoding: data, as: UTF8.self))), \(b.add(replace)))
                    """, b)?.bool(0) ?? false
            }
            guard let mine = try self.unit(id: o.unitId) else { throw StoreError.unknownUnit(String(o.unitId)) }
            let missing = try notReported(try statTree(mine), period: r.period)
            return ReportImportResult(unit: StatUnit(code: unit.code, name: unit.label, level: unit.level), period: r.period,
                                      madeBy: r.madeBy, digest: digest, replaced: replaced, notReported: missing)
        } catch let e as StoreError {
            if case .unitOutOfScope = e { logRefusal(e, what: "report import \(r.unit.code)") }
            throw e
        }
    }
}
