import Foundation
import GRDB
import PaknCore

extension AppDatabase {
    /// Everything about one case, with the reporter masked or sealed as `viewer` may see it.
    /// A refusal is recorded in the case's history unless `recording` is false (the desk
    /// reading ahead a case the official has not asked for).
    func detail(caseRef: String, viewer: Official, now: Date, ref: ReferenceData? = nil,
                       recording: Bool = true) throws -> CaseDetail {
        let ref = try ref ?? reference()
        return try recordingRefusal(caseRef: caseRef, actor: viewer, at: now, recording: recording) { try read { db in
            // The reply comes from the history read below.
            var c = try CaseRow.resolve(db, caseRef, reply: false)
            // Sent up from the official's units: readable, but the reporter stays masked.
            let inScope = try Guard.inScope(db, viewer, c)
            guard try inScope || Guard.mayRead(db, viewer, c) else { throw StoreError.outOfScope(login: viewer.login, code: caseRef) }
            // The role as it is now, not as it was when the desk opened.
            let me = try Guard.current(db, viewer)
            let mayReveal = Session.permissions.allows(me.role, .revealReporter) && inScope
            var reporter: Reporter?
            var masked = true
            if let rid = c.reporterId, !c.confidential, !c.anonymous, let r = try ReporterStore.fetch(db, rid) {
                reporter = mayReveal ? r : r.masked()
                masked = !mayReveal
            } else if c.anonymous || c.confidential {
                reporter = Reporter(anonymous: c.anonymous, confidential: c.confidential)
            }
            let rule = ref.rulebook.rule(id: c.deadline.ruleId)
            let status = DeadlineStatus.of(c.deadline, status: c.status, today: Day(now), calendar: ref.calendar,
                                           dueSoonDays: ref.policy.dueSoonDays)
            let dupIds = try Int64.fetchAll(db.cachedStatement(sql: "SELECT other_id FROM case_link WHERE case_id = ? AND kind = 'duplicate' ORDER BY other_id"),
                                            arguments: [c.id])
            let dups = try dupIds.compactMap { try CaseRow.fetch(db, id: $0, reply: false) }.map(\.ref)
            let master = try c.masterId.flatMap { try CaseRow.fetch(db, id: $0, reply: false) }.map(\.ref)
            let history = try CaseQueries.history(db, caseId: c.id)
            if c.reply == nil { c.reply = EventLog.currentReply(history.map(\.event.draft)) }
            var detail = CaseDetail(
                case: c, reporter: reporter, reporterMasked: masked,
                ward: try c.wardId.flatMap { try UnitQueries.unit(db, id: $0) },
                unit: try c.unitId.flatMap { try UnitQueries.unit(db, id: $0) },
                assignee: try c.assigneeId.flatMap { try OfficialStore.byId(db, $0) },
                rule: rule, deadline: status, attachments: try AttachmentFile.list(db, caseId: c.id),
                duplicates: dups, master: master, history: history,
                allowedActions: Workflow.allowedActions(for: c).filter { Session.permissions.allows(me.role, Permission.required(for: $0)) })
            detail.calendarWarning = CalendarWarning(dueDay: status.dueDay, calendar: ref.calendar)
            return detail
        } }
    }

    /// Templates for a case's category and kind (and the generic ones), in `lang` first;
    /// only those of `purposes` when given.
    func templates(category: String?, kind: CaseKind?, lang: Lang,
                          purposes: [TemplatePurpose]? = nil) throws -> [ReplyTemplate] {
        try read { db in try ReplyTemplate.fetch(db, category: category, kind: kind, lang: lang, purposes: purposes) }
    }

    func categories() throws -> [PaknCore.Category] { try reference().categories }
}

extension Case {
    var ref: CaseRef { CaseRef(id: id, code: code, title: title, status: status) }
}

enum ReporterStore {
    static func fetch(_ db: Database, _ id: Int64) throws -> Reporter? {
        try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM reporter WHERE id = ?"), arguments: [id]).map {
            Reporter(id: $0["id"], name: $0["name"], phone: $0["phone"], email: $0["email"], address: $0["address"],
                     nationalId: $0["national_id"], anonymous: $0["anonymous"], confidential: $0["confidential"])
        }
    }
}
