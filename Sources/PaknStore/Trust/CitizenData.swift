import Foundation
import GRDB
import PaknCore

extension AppDatabase {
    /// The matching reporter rows (not yet erased) with their case, in and out of scope.
    ///
    /// A sealed reporter (a denouncer) matches only where the official's units handle the
    /// case — scope over the ward it is about is not enough — and one that does not is
    /// neither listed nor counted: a request never confirms or denies a sealed identity
    /// outside scope. A case code outside the official's units reads like one that does not
    /// exist.
    static func citizenMatches(_ db: Database, _ q: CitizenQuery, actor: Official) throws -> (inScope: [(Reporter, Case)], outOfScope: Int) {
        var caseFilter: Set<Int64>?
        if !q.cases.isEmpty {
            caseFilter = Set(try q.cases.map { ref in
                let c = try CaseRow.resolve(db, ref)
                try Guard.requireScope(db, actor, c, ref: ref)
                return c.id
            })
        }
        let me = try Guard.current(db, actor)
        var found: [(Reporter, Case)] = []
        var outside = 0
        let rows = try Row.fetchAll(db, sql: """
            SELECT r.*, c.id AS case_id FROM reporter r JOIN pakn_case c ON c.reporter_id = r.id
            WHERE r.erased_at IS NULL ORDER BY c.id
            """)
        for row in rows {
            let r = Reporter(id: row["id"], name: row["name"], phone: row["phone"], email: row["email"], address: row["address"],
                             nationalId: row["national_id"], anonymous: row["anonymous"], confidential: row["confidential"])
            let caseId: Int64 = row["case_id"]
            if let f = caseFilter, !f.contains(caseId) { continue }
            guard q.matches(r), let c = try CaseRow.fetch(db, id: caseId) else { continue }
            if c.confidential {
                if let u = c.unitId, try UnitQueries.isWithin(db, unit: u, ancestor: me.unitId) { found.append((r, c)) }
                continue
            }
            if try Guard.inScope(db, actor, c) { found.append((r, c)) } else { outside += 1 }
        }
        return (found, outside)
    }

    /// Lists everything held about a person: their details as given, each case they sent
    /// (with its attachments), and every recorded access to those cases' reporter data.
    /// Needs `export_unredacted` (and `reveal_reporter` and a reason when a sealed reporter
    /// matches; a name alone never matches a sealed reporter); recorded in the access log,
    /// naming the cases, never the selectors' values.
    func citizenExport(_ q: CitizenQuery, reason: String?, by actor: Official, at now: Date) throws -> CitizenReport {
        guard !q.isEmpty || !q.cases.isEmpty else { throw Message("trust.citizen.no_selector") }
        let what = "citizen export \(q.kinds)"
        let me = try authorize(actor, .exportUnredacted, what: what, at: now)
        var (found, outside) = try read { db in try Self.citizenMatches(db, q, actor: me) }
        // A name alone may be someone else's: it never unseals a denouncer.
        if !q.isStrong { found.removeAll { $0.1.confidential } }
        var note = reason.map { CitizenText.clean($0, multiline: false) }.flatMap { $0.isEmpty ? nil : $0 }
        if found.contains(where: { $0.1.confidential }) {
            // Listing a sealed identity is a reveal: the permission and a reason.
            try authorize(me, .revealReporter, what: what, at: now)
            note = try ActionText.reason(reason)
        }
        // One transaction: the access-log entry, and a reveal event in the history of each
        // case whose sealed reporter this lists (every unsealing is a reveal on its case).
        try write { db in
            try AccessLog.append(db, AccessDraft(at: now, actorId: me.id, login: me.login, action: .citizenExport, target: q.kinds,
                                                 note: note, count: found.count, caseIds: found.map(\.1.id)))
            for (_, c) in found where c.confidential {
                try EventLog.append(db, EventDraft(caseId: c.id, at: now, actorId: me.id, action: .reveal, fromStatus: c.status,
                                                   toStatus: c.status, note: L10n.t("trust.reveal.by_citizen_export", .vi, note ?? "")))
            }
        }
        return try read { db in
            let held = try found.map { r, c in
                CitizenReport.Held(reporter: r, case: c, unitName: try c.unitId.flatMap { try UnitQueries.unit(db, id: $0)?.label },
                                   wardName: try c.wardId.flatMap { try UnitQueries.unit(db, id: $0)?.label },
                                   attachments: try AttachmentFile.list(db, caseId: c.id))
            }
            var accesses: [CitizenReport.Access] = []
            let codes = Dictionary(uniqueKeysWithValues: found.map { ($0.1.id, $0.1.code) })
            for (id, code) in codes.sorted(by: { $0.key < $1.key }) {
                for e in try EventLog.history(db, caseId: id) where e.action == .reveal {
                    let login = try OfficialStore.byId(db, e.actorId)?.login ?? "#\(e.actorId)"
                    accesses.append(.init(at: e.at, login: login, action: "reveal", caseCode: code, note: e.note))
                }
                for r in try Row.fetchAll(db, sql: """
                    SELECT l.at, l.login, l.action, l.note FROM access_log l JOIN access_case a ON a.access_id = l.id
                    WHERE a.case_id = ? AND l.action IN ('export_unredacted', 'citizen_export', 'citizen_erase') ORDER BY l.id
                    """, arguments: [id]) {
                    accesses.append(.init(at: CaseRow.date(r["at"]), login: r["login"], action: r["action"], caseCode: code, note: r["note"]))
                }
            }
            accesses.sort { ($0.at, $0.caseCode) < ($1.at, $1.caseCode) }
            return CitizenReport(held: held, accesses: accesses, outOfScope: outside)
        }
    }

    /// Erases a person's details: blanks every matching reporter's name, phone, e-mail,
    /// address and national ID and stamps `erased_at`. The cases keep their facts; each
    /// gets an `erase` event (who, when, why — no personal data) in its history, and the
    /// hash chains still verify because events never held the reporter's details.
    /// Refused when a match lies outside the official's units (someone whose scope covers
    /// them all must do it), or when only a name is given.
    func citizenErase(_ q: CitizenQuery, reason: String, by actor: Official, at now: Date) throws -> ErasureSummary {
        guard !q.isEmpty || !q.cases.isEmpty else { throw Message("trust.citizen.no_selector") }
        guard q.isStrong else { throw Message("trust.citizen.name_alone") }
        let why = try ActionText.reason(reason)
        let what = "citizen erase \(q.kinds)"
        let me = try authorize(actor, Permission.required(for: .erase), what: what, at: now)
        return try write { db in
            let (found, outside) = try Self.citizenMatches(db, q, actor: me)
            if outside > 0 { throw Message("trust.citizen.out_of_scope", outside) }
            guard !found.isEmpty else { throw Message("trust.citizen.none") }
            let stmt = try db.cachedStatement(sql: """
                UPDATE reporter SET name = NULL, phone = NULL, email = NULL, address = NULL, national_id = NULL, erased_at = ?
                WHERE id = ?
                """)
            for (r, c) in found {
                try stmt.execute(arguments: [CaseRow.secs(now), r.id])
                try EventLog.append(db, EventDraft(caseId: c.id, at: now, actorId: me.id, action: .erase,
                                                   fromStatus: c.status, toStatus: c.status, note: why))
            }
            try AccessLog.append(db, AccessDraft(at: now, actorId: me.id, login: me.login, action: .citizenErase, target: q.kinds,
                                                 note: why, count: found.count, caseIds: found.map(\.1.id)))
            return ErasureSummary(reporters: found.count, cases: found.map(\.1.code))
        }
    }
}
