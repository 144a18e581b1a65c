import Foundation
import GRDB
import PaknCore

/// The one way into a pakn database: an official's session. Every operation — case
/// actions, queues and searches, a case's detail and history, exports, citizen requests,
/// revealing a reporter, units, rules, the calendar, officials, backups, the audit — goes
/// through a session, which
///
/// - **authorizes** it: the official is read afresh at each call (a role changed or an
///   account disabled takes effect at once, even in a desk opened before), and the
///   permission comes from the store's one table (`Session.permissions`);
/// - **scopes** it: cases, queues, counts and administration stay within the official's
///   unit subtree; a case outside it reads exactly like one that does not exist;
/// - **records** it: actions in the case's chained history, administrative changes and
///   bulk reads of personal data in the chained access log, and every refusal in one of
///   the two.
///
/// The CLI and the desk hold a session, never the database — and only as a `StoreSession`
/// (PaknStoreAPI), the interface every engine implements: `Session` is the SQLite engine's.
/// `AppDatabase` offers nothing else publicly (`session(login:actingAs:now:)`, and
/// `initialize`/`restore`, which make or replace a whole file). The desk asks the session
/// what the official may do (`grants`, `allowedActions`) to build its menus, instead of
/// keeping its own table.
///
/// ```swift
/// let db = try AppDatabase(path: path, create: false)
/// let session = try db.session(login: osLogin)          // refused: not an active official
/// let rows = try session.queue(QueueQuery(filter: QueueFilter(openOnly: true)))
/// let c = try session.perform(.start, on: rows[0].code)
/// ```
public final class Session: @unchecked Sendable {
    package let db: AppDatabase
    /// The official as they were when the session opened; every call reads them afresh.
    public let official: Official
    /// A training database's clock (`--now`, a class's "today"); nil: the system clock.
    let clock: (() -> Date)?
    /// Whether the database is a training one (`pakn demo`, `pakn training`).
    public let isTraining: Bool

    /// The store's permission table: the only one (docs/security.md).
    public static let permissions = PermissionTable.standard

    init(db: AppDatabase, official: Official, clock: (() -> Date)?, isTraining: Bool) {
        self.db = db
        self.official = official
        self.clock = clock
        self.isTraining = isTraining
    }

    /// Now for this session, in whole seconds as the store keeps times: the system clock,
    /// or the training clock the session was opened with.
    public var now: Date { clock?() ?? Date(timeIntervalSince1970: Date().timeIntervalSince1970.rounded(.down)) }

    /// The database file.
    public var path: String { db.path }

    var me: Official { official }
}

extension AppDatabase {
    /// Opens a session for the official whose login is `login` (the OS account running
    /// pakn). `actingAs` (another official's login) and `now` (a pretended time) are for
    /// training databases only. Refused, before anything is shown: an account that is no
    /// official here, or a disabled one; `actingAs`/`now` on a production database.
    public func session(login: String, actingAs: String? = nil, now: Date? = nil) throws -> Session {
        try session(login: login, actingAs: actingAs, clock: now.map { at in { at } })
    }

    /// The same with a training clock that may move (a class's day, the desk's tests).
    public func session(login: String, actingAs: String? = nil, clock: (() -> Date)?) throws -> Session {
        let training = try read { db in try Self.setting(db, "training") == "1" }
        if actingAs != nil, !training { throw StoreError.notTrainingDatabase(option: "--as") }
        if clock != nil, !training { throw StoreError.notTrainingDatabase(option: "--now") }
        let name = actingAs ?? login
        guard let o = try read({ try OfficialStore.byLogin($0, name) }) else { throw StoreError.noOfficialForLogin(name) }
        guard o.active else { throw StoreError.officialDisabled(name) }
        // Without --now, a training database runs at the day it was made for (`pakn demo`):
        // a class sees the same figures with or without --now.
        var clock = clock
        if clock == nil, training, let fixed = try trainingClock() { clock = { fixed } }
        return Session(db: self, official: o, clock: clock, isTraining: training)
    }
}

// MARK: - Who may do what

extension Session {
    /// The official as the database knows them now (role, unit, active).
    public func current() throws -> Official {
        try db.read { try Guard.current($0, me) }
    }

    /// The permissions the official holds now: the desk builds its menus from these.
    public func grants() throws -> Set<Permission> {
        let o = try current()
        return Set(Permission.allCases.filter { Self.permissions.allows(o.role, $0) })
    }

    /// The actions the official may take on `c` now: those its state allows (and its
    /// acceptance clock) that the official's role permits, within scope. Empty outside scope.
    public func allowedActions(for c: Case) throws -> [ActionName] {
        try db.read { db in
            let o = try Guard.current(db, me)
            guard try Guard.inScope(db, o, c) else { return [] }
            return Workflow.allowedActions(for: c).filter { Self.permissions.allows(o.role, Permission.required(for: $0)) }
        }
    }

    /// Checks a permission for an act that is not one case's action, at `unitId` (default:
    /// the official's own unit). A refusal is recorded in the access log and thrown.
    @discardableResult
    public func authorize(_ permission: Permission, unitId: Int64? = nil, what: String) throws -> Official {
        try db.authorize(me, permission, unitId: unitId ?? me.unitId, what: what, at: now)
    }
}

// MARK: - Cases

extension Session {
    public func intake(_ draft: IntakeDraft) throws -> Case { try db.intake(draft, by: me, at: now) }

    public func perform(_ action: Action, on caseRef: String, expectedVersion: Int? = nil,
                        reference: ReferenceData? = nil) throws -> Case {
        if let reference { return try db.perform(action, on: caseRef, expectedVersion: expectedVersion, reference: reference, by: me, at: now) }
        return try db.perform(action, on: caseRef, expectedVersion: expectedVersion, by: me, at: now)
    }

    public func attach(_ url: URL, to caseRef: String) throws -> Attachment { try db.attach(url, to: caseRef, by: me, at: now) }
    public func attachmentData(caseRef: String, attachmentId: Int64) throws -> Data {
        try db.attachmentData(caseRef: caseRef, attachmentId: attachmentId, by: me, at: now)
    }

    /// A case the official may see, by code or id; one outside scope reads as unknown.
    public func resolveCase(_ ref: String) throws -> Case { try db.resolveCase(ref, viewer: me, at: now) }

    /// The same, read without recording a refusal (the desk finding where a case sits in a
    /// queue it is already showing); nil when unknown or outside scope.
    public func peekCase(_ ref: String) -> Case? {
        try? db.read { db in
            let c = try CaseRow.resolve(db, ref)
            return try Guard.mayRead(db, me, c) ? c : nil
        }
    }

    /// A case's detail, the reporter masked or sealed as the official may see it.
    /// `recording: false`: a read ahead the official did not ask for records nothing.
    public func detail(caseRef: String, reference: ReferenceData? = nil, recording: Bool = true) throws -> CaseDetail {
        try db.detail(caseRef: caseRef, viewer: me, now: now, ref: reference, recording: recording)
    }

    public func history(caseRef: String) throws -> [HistoryEntry] { try db.history(caseRef: caseRef, viewer: me, at: now) }

    /// The login of each official named in a history (for JSON output), by id.
    public func logins(of ids: Set<Int64>) throws -> [Int64: String] {
        try db.read { db in
            var out: [Int64: String] = [:]
            for id in ids { if let o = try OfficialStore.byId(db, id) { out[id] = o.login } }
            return out
        }
    }

    /// The newest case's id, for the guided tour on a training database (the case the class
    /// takes in is newer). Refused elsewhere: a production database's size is no one's lesson.
    public func newestCaseId() throws -> Int64 {
        guard isTraining else { throw StoreError.notTrainingDatabase(option: "tour") }
        try authorize(.view, what: "tour")
        return try db.read { try Int64.fetchOne($0, sql: "SELECT max(id) FROM pakn_case") ?? 0 }
    }

    /// A page of a queue within the official's units: a filter without a unit takes the
    /// official's own; one naming a unit outside them is refused and recorded.
    public func queue(_ q: QueueQuery, reference: ReferenceData? = nil) throws -> [QueueRow] {
        var q = q
        q.filter = try scoped(q.filter)
        return try db.queue(q, now: now, ref: reference)
    }

    public func count(_ f: QueueFilter, reference: ReferenceData? = nil) throws -> Int {
        try db.count(try scoped(f), now: now, ref: reference)
    }

    /// The desk's header count ("18/245"): the whole list and the rows before `cursor`, each
    /// counted up to a cap (`CappedCount`).
    public func headerCount(_ f: QueueFilter, order: QueueOrder, before cursor: QueueCursor?,
                            reference: ReferenceData? = nil) throws -> (total: CappedCount, before: CappedCount?) {
        try db.headerCount(try scoped(f), order: order, before: cursor, now: now, ref: reference)
    }

    /// How many rows of the list come before `cursor` in `order` (the desk's "18/245").
    public func count(_ f: QueueFilter, order: QueueOrder, before cursor: QueueCursor,
                      reference: ReferenceData? = nil) throws -> Int {
        try db.count(try scoped(f), order: order, before: cursor, now: now, ref: reference)
    }

    /// Open, due soon and overdue counts within the official's units (or a unit within them).
    public func counts(unitSubtree: Int64? = nil, reference: ReferenceData? = nil) throws -> QueueCounts {
        let f = try scoped(QueueFilter(unitSubtree: unitSubtree))
        return try db.counts(unitSubtree: f.unitSubtree, now: now, ref: reference)
    }

    /// Overdue counts per responsible unit within the official's units.
    public func overdueByUnit(unitSubtree: Int64? = nil) throws -> [(unit: OrgUnit, count: Int)] {
        let f = try scoped(QueueFilter(unitSubtree: unitSubtree))
        return try db.overdueByUnit(unitSubtree: f.unitSubtree, now: now)
    }

    /// `f` held to the official's units, or a refusal (recorded) when it names a unit outside.
    func scoped(_ f: QueueFilter) throws -> QueueFilter {
        do {
            return try scopedUnits(f)
        } catch let e as CaseOutside {
            let ref = String(e.id)
            let error = StoreError.outOfScope(login: e.official.login, code: ref)
            _ = try? db.recordingRefusal(caseRef: ref, actor: e.official, at: now) { throw error } as Void
            throw error
        }
    }

    private struct CaseOutside: Error { var official: Official; var id: Int64 }

    private func scopedUnits(_ f: QueueFilter) throws -> QueueFilter {
        var f = f
        // One read: the official afresh, the view permission, the unit within scope.
        let outside: (Official, String)? = try db.read { db in
            let o = try Guard.current(db, me)
            guard Self.permissions.allows(o.role, .view) else {
                throw StoreError.permissionDenied(login: o.login, permission: .view, unit: "-")
            }
            if let s = f.sentFromSubtree, s != o.unitId, try !UnitQueries.isWithin(db, unit: s, ancestor: o.unitId) {
                return (o, try UnitQueries.unit(db, id: s)?.code ?? "#\(s)")
            }
            if let id = f.caseId {
                // One case (the desk's `:goto`): any case the official may see, wherever it
                // is handled; one outside their units reads as unknown.
                guard let c = try CaseRow.fetch(db, id: id), try Guard.mayRead(db, o, c) else { throw CaseOutside(official: o, id: id) }
                return nil
            }
            if let u = f.unitSubtree {
                if u != o.unitId, try !UnitQueries.isWithin(db, unit: u, ancestor: o.unitId) {
                    return (o, try UnitQueries.unit(db, id: u)?.code ?? "#\(u)")
                }
            } else if f.sentFromSubtree == nil {
                // Sent up: handled outside the official's units by definition, sent from them.
                f.unitSubtree = o.unitId
            }
            return nil
        }
        if let (o, code) = outside {
            let error = StoreError.unitOutOfScope(login: o.login, unit: code)
            db.logRefusal(error, actor: o, what: "list --unit \(code)", at: now)
            throw error
        }
        return f
    }

    /// Fills a reply template for a case the official may see (`pakn reply --template`).
    public func letter(template id: String, caseRef: String, action: ActionName, citizenLang: Lang,
                       authority: String? = nil, reason: String? = nil, targetUnitId: Int64? = nil) throws -> TemplateLetter {
        let c = try resolveCase(caseRef)
        return try db.letter(template: id, caseRef: String(c.id), action: action, citizenLang: citizenLang,
                             authority: authority, reason: reason, targetUnitId: targetUnitId)
    }

    public func importCases(from url: URL, options: CaseImportOptions = CaseImportOptions(),
                            onProblem: (CaseImportProblem) throws -> Void,
                            progress: ((Int, Int) -> Void)? = nil) throws -> CaseImportSummary {
        try db.importCases(from: url, options: options, by: me, at: now, onProblem: onProblem, progress: progress)
    }

    public func exportCases(_ req: ExportRequest, emit: (ExportRecord) throws -> Void) throws -> ExportSummary {
        try db.exportCases(req, by: me, at: now, emit: emit)
    }
}

// MARK: - Reporters and citizens

extension Session {
    /// Unseals a reporter: needs the reveal permission at the unit handling the case; a
    /// reveal event in the case's history either way.
    public func revealReporter(caseRef: String, reason: String) throws -> Reporter {
        try db.revealReporter(caseRef: caseRef, reason: reason, by: me, at: now)
    }

    /// When a case's reporter was erased (a data-subject request), for a case in scope.
    public func reporterErasedAt(caseRef: String) throws -> Date? {
        let c = try resolveCase(caseRef)
        return try db.reporterErasedAt(caseRef: String(c.id))
    }

    public func citizenExport(_ q: CitizenQuery, reason: String?) throws -> CitizenReport {
        try db.citizenExport(q, reason: reason, by: me, at: now)
    }

    public func citizenErase(_ q: CitizenQuery, reason: String) throws -> ErasureSummary {
        try db.citizenErase(q, reason: reason, by: me, at: now)
    }
}

// MARK: - Reference data: units, categories, templates, rules, calendar

extension Session {
    /// Reference data every official reads (units, categories, rules, calendar, policy).
    public func reference() throws -> ReferenceData { try db.reference() }
    public func categories() throws -> [PaknCore.Category] { try db.categories() }
    public func templates(category: String?, kind: CaseKind?, lang: Lang, purposes: [TemplatePurpose]? = nil) throws -> [ReplyTemplate] {
        try db.templates(category: category, kind: kind, lang: lang, purposes: purposes)
    }
    public func allTemplates(category: String? = nil) throws -> [ReplyTemplate] { try db.allTemplates(category: category) }
    public func templateNeedsReason(_ id: String, lang: Lang) throws -> Bool { try db.templateNeedsReason(id, lang: lang) }

    public func unit(code: String) throws -> OrgUnit? { try db.unit(code: code) }
    public func unit(id: Int64) throws -> OrgUnit? { try db.unit(id: id) }
    public func units(matching text: String, within ancestor: Int64? = nil, levels: [UnitLevel]? = nil,
                      limit: Int = 50) throws -> [OrgUnit] {
        try db.units(matching: text, within: ancestor, levels: levels, limit: limit)
    }
    public func isWithin(unit: Int64, ancestor: Int64) throws -> Bool { try db.isWithin(unit: unit, ancestor: ancestor) }
    public func children(of id: Int64) throws -> [OrgUnit] { try db.children(of: id) }
    public func unitCount() throws -> [UnitLevel: Int] { try db.unitCount() }
    public func unitHistory(code: String) throws -> [UnitHistoryEntry] { try db.unitHistory(code: code) }
    public func unitAliases(code: String) throws -> [(code: String, kind: String?)] { try db.unitAliases(code: code) }
    public func remoteUnits(within ancestor: Int64? = nil) throws -> [OrgUnit] { try db.remoteUnits(within: ancestor) }
    public func calendarEntries(year: Int? = nil) throws -> [CalendarException] { try db.calendarEntries(year: year) }

    /// `pakn units import`: needs `manage_rules` over every unit the file touches.
    public func importUnitFile(_ url: URL, document: String? = nil, effective: String? = nil,
                               dateBasis: String? = nil) throws -> UnitFileImport {
        try db.importUnitFile(url, by: me, at: now, document: document, effective: effective, dateBasis: dateBasis)
    }

    public func importRules(from url: URL) throws -> Int { try db.importRules(from: url, by: me, at: now) }

    public func setRemote(codes: [String], remote: Bool, reason: String, file: String? = nil,
                          lines: [Int]? = nil) throws -> RemoteSummary {
        try db.setRemote(codes: codes, remote: remote, reason: reason, by: me, at: now, file: file, lines: lines)
    }

    public func calendarAdd(_ input: CalendarEntryInput, reason: String?) throws -> CalendarResult {
        try db.calendarAdd(input, reason: reason, by: me, at: now)
    }
    public func calendarRemove(day: String, reason: String?) throws -> CalendarResult {
        try db.calendarRemove(day: day, reason: reason, by: me, at: now)
    }
    public func calendarImport(from url: URL, reason: String?) throws -> CalendarResult {
        try db.calendarImport(from: url, reason: reason, by: me, at: now)
    }
}

// MARK: - Officials

extension Session {
    /// An official by login, for naming (assignment, `--assignee`): names and roles are
    /// not secret among officials.
    public func official(login: String) throws -> Official? { try db.official(login: login) }
    public func official(id: Int64) throws -> Official? { try db.official(id: id) }

    /// Officials to pick from (assignment): within `within` when it lies in the official's
    /// units, else within the official's own unit.
    public func officials(matching text: String = "", within: Int64? = nil, limit: Int = 200) throws -> [Official] {
        let o = try authorize(.view, what: "officials search")
        var ancestor = o.unitId
        if let w = within, try w == o.unitId || db.isWithin(unit: w, ancestor: o.unitId) { ancestor = w }
        return try db.officials(matching: text, withinUnit: ancestor, limit: limit)
    }

    /// `pakn officials list`: who works where, for those who manage officials, in their units.
    public func listOfficials(matching text: String = "", within: Int64? = nil) throws -> [Official] {
        let target = within ?? me.unitId
        try authorize(.manageOfficials, unitId: target, what: "officials list")
        return try db.officials(matching: text, withinUnit: target)
    }

    public func addOfficial(login: String, fullName: String, unitCode: String, role: Role) throws -> Official {
        try db.addOfficial(login: login, fullName: fullName, unitCode: unitCode, role: role, by: me, at: now)
    }
    public func setRole(login: String, role: Role) throws -> Official { try db.setRole(login: login, role: role, by: me, at: now) }
    public func setActive(login: String, active: Bool) throws -> Official {
        try db.setActive(login: login, active: active, by: me, at: now)
    }
}

// MARK: - The audit and backups

extension Session {
    /// Walking the chains names no citizen: every official may check them.
    public func checkChain(against: String? = nil) throws -> ChainCheck {
        try authorize(.view, what: "audit verify")
        return try db.checkChain(against: against)
    }
    public func checkAccessChain(against: String? = nil) throws -> ChainCheck {
        try authorize(.view, what: "audit verify")
        return try db.checkAccessChain(against: against)
    }
    public func checkConsistency() throws -> ConsistencyReport {
        try authorize(.view, what: "audit verify --full")
        return try db.checkConsistency()
    }
    public func chainHead() throws -> String { try authorize(.view, what: "audit head"); return try db.chainHead() }
    public func accessHead() throws -> String { try authorize(.view, what: "audit head"); return try db.accessHead() }

    /// The access log (who exported, revealed, changed what), for those who manage officials.
    public func accessLog(limit: Int = 100, caseRef: String? = nil) throws -> [AccessEntry] {
        try authorize(.manageOfficials, what: "audit log")
        if let caseRef { _ = try resolveCase(caseRef) }
        return try db.accessLog(limit: limit, caseRef: caseRef)
    }

    public func backup(to dest: String, force: Bool = false) throws -> BackupResult {
        try db.backup(to: dest, force: force, by: me, at: now)
    }

    /// Changes whenever another connection commits; the desk polls it (no data is read).
    public func dataVersion() throws -> Int { try db.dataVersion() }
    /// A file tells no one when another process commits: nil, and the desk polls.
    public var changeNotices: Int? { nil }
    /// Polls `PRAGMA data_version` every 20 ms until it moves or `timeout` passes.
    public func waitForChange(since version: Int, timeout: TimeInterval) throws -> Int? {
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            let v = try dataVersion()
            if v != version { return v }
            guard Date() < deadline else { return nil }
            Thread.sleep(forTimeInterval: min(0.02, max(0, deadline.timeIntervalSinceNow)))
        }
    }
    public var checkpointDue: Bool { db.checkpointDue }
    public func checkpointIfDue() { db.checkpointIfDue() }
}
