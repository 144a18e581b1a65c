import Foundation
import PaknCore

/// What the front ends (the CLI and the desk) may ask of a pakn database: an official's
/// session. Every engine implements it — today the SQLite store (`PaknStore.Session`), later
/// a PostgreSQL one — and nothing above the store knows which engine answers.
///
/// A session
///
/// - **authorizes** every call: the official is read afresh each time (a role changed or an
///   account disabled takes effect at once), and the permission comes from the store's one
///   table (`permissions`);
/// - **scopes** it: cases, queues, counts and administration stay within the official's unit
///   subtree; a case outside it reads exactly like one that does not exist;
/// - **records** it: actions in the case's chained history, administrative acts and bulk
///   reads of personal data in the chained access log, and every refusal in one of the two.
///
/// The desk asks the session what the official may do (`grants`, `allowedActions`) to build
/// its menus; it never keeps its own permission table. Refusals are thrown as `StoreError`
/// (or `WorkflowError`, `Message`, another `Localized` error), each one sentence in the
/// official's language.
///
/// Parameters that had defaults on `Session` keep them here: the extension below supplies
/// them (one overload per omitted parameter, so that no overload can stand in for a
/// requirement an engine forgot to implement).
public protocol StoreSession: AnyObject, Sendable {
    // MARK: Who, when, where

    /// The official as they were when the session opened; every call reads them afresh.
    var official: Official { get }
    /// Whether the database is a training one (`pakn demo`, `pakn training`).
    var isTraining: Bool { get }
    /// Now for this session, in whole seconds as the store keeps times: the system clock, or
    /// the training clock the session was opened with.
    var now: Date { get }
    /// Where the database is, as the official named it (a file's path; a server's address
    /// without credentials): unsent drafts are kept per database under it.
    var path: String { get }
    /// The store's permission table: the only one (docs/security.md).
    var permissions: PermissionTable { get }

    // MARK: Who may do what

    /// The official as the database knows them now (role, unit, active).
    func current() throws -> Official
    /// The permissions the official holds now: the desk builds its menus from these.
    func grants() throws -> Set<Permission>
    /// The actions the official may take on `c` now; empty outside scope.
    func allowedActions(for c: Case) throws -> [ActionName]
    /// Checks a permission for an act that is not one case's action, at `unitId` (nil: the
    /// official's own unit). A refusal is recorded in the access log and thrown.
    @discardableResult
    func authorize(_ permission: Permission, unitId: Int64?, what: String) throws -> Official

    // MARK: Cases

    func intake(_ draft: IntakeDraft) throws -> Case
    func perform(_ action: Action, on caseRef: String, expectedVersion: Int?, reference: ReferenceData?) throws -> Case
    func attach(_ url: URL, to caseRef: String) throws -> Attachment
    /// An attachment's bytes, for a case the official may read (as its detail lists it).
    func attachmentData(caseRef: String, attachmentId: Int64) throws -> Data
    /// A case the official may see, by code or id; one outside scope reads as unknown.
    func resolveCase(_ ref: String) throws -> Case
    /// The same, read without recording a refusal; nil when unknown or outside scope.
    func peekCase(_ ref: String) -> Case?
    /// Open cases of a ward whose titles look like `title` (the intake form's duplicates).
    /// The newest case's id, for the guided tour (training databases only).
    func newestCaseId() throws -> Int64
    func duplicateCandidates(title: String, wardId: Int64, excluding: Int64?, limit: Int) throws -> [DuplicateCandidate]
    /// A case's detail, the reporter masked or sealed as the official may see it.
    /// `recording: false`: a read ahead the official did not ask for records nothing.
    func detail(caseRef: String, reference: ReferenceData?, recording: Bool) throws -> CaseDetail
    func history(caseRef: String) throws -> [HistoryEntry]
    /// The login of each official named in a history, by id.
    func logins(of ids: Set<Int64>) throws -> [Int64: String]
    /// A page of a queue within the official's units (a filter naming a unit outside them is
    /// refused and recorded).
    func queue(_ q: QueueQuery, reference: ReferenceData?) throws -> [QueueRow]
    func count(_ f: QueueFilter, reference: ReferenceData?) throws -> Int
    /// The desk's header count ("18/245"), each part counted up to a cap (`CappedCount`).
    func headerCount(_ f: QueueFilter, order: QueueOrder, before cursor: QueueCursor?,
                     reference: ReferenceData?) throws -> (total: CappedCount, before: CappedCount?)
    /// How many rows of the list come before `cursor` in `order`.
    func count(_ f: QueueFilter, order: QueueOrder, before cursor: QueueCursor, reference: ReferenceData?) throws -> Int
    /// Open, due soon and overdue counts within the official's units (or a unit within them).
    func counts(unitSubtree: Int64?, reference: ReferenceData?) throws -> QueueCounts
    /// Overdue counts per responsible unit within the official's units.
    func overdueByUnit(unitSubtree: Int64?) throws -> [(unit: OrgUnit, count: Int)]
    /// The keys of the cases `ids` the official may see (`pakn list --json`, `--csv`).
    func caseKeys(ids: [Int64]) throws -> [Int64: CaseKeys]
    /// Fills a reply template for a case the official may see (`pakn reply --template`).
    func letter(template id: String, caseRef: String, action: ActionName, citizenLang: Lang,
                authority: String?, reason: String?, targetUnitId: Int64?) throws -> TemplateLetter
    func importCases(from url: URL, options: CaseImportOptions, onProblem: (CaseImportProblem) throws -> Void,
                     progress: ((Int, Int) -> Void)?) throws -> CaseImportSummary
    func exportCases(_ req: ExportRequest, emit: (ExportRecord) throws -> Void) throws -> ExportSummary

    // MARK: Reporters and citizens

    /// Unseals a reporter: a reveal event in the case's history either way.
    func revealReporter(caseRef: String, reason: String) throws -> Reporter
    /// When a case's reporter was erased (a data-subject request), for a case in scope.
    func reporterErasedAt(caseRef: String) throws -> Date?
    func citizenExport(_ q: CitizenQuery, reason: String?) throws -> CitizenReport
    func citizenErase(_ q: CitizenQuery, reason: String) throws -> ErasureSummary

    // MARK: Reference data: units, categories, templates, rules, calendar

    /// Reference data every official reads (units, categories, rules, calendar, policy).
    func reference() throws -> ReferenceData
    func categories() throws -> [PaknCore.Category]
    func templates(category: String?, kind: CaseKind?, lang: Lang, purposes: [TemplatePurpose]?) throws -> [ReplyTemplate]
    func allTemplates(category: String?) throws -> [ReplyTemplate]
    func templateNeedsReason(_ id: String, lang: Lang) throws -> Bool
    func unit(code: String) throws -> OrgUnit?
    func unit(id: Int64) throws -> OrgUnit?
    func units(matching text: String, within ancestor: Int64?, levels: [UnitLevel]?, limit: Int) throws -> [OrgUnit]
    func isWithin(unit: Int64, ancestor: Int64) throws -> Bool
    func children(of id: Int64) throws -> [OrgUnit]
    func unitCount() throws -> [UnitLevel: Int]
    func unitHistory(code: String) throws -> [UnitHistoryEntry]
    func unitAliases(code: String) throws -> [(code: String, kind: String?)]
    func remoteUnits(within ancestor: Int64?) throws -> [OrgUnit]
    func calendarEntries(year: Int?) throws -> [CalendarException]
    /// `pakn units import`: needs `manage_rules` over every unit the file touches.
    func importUnitFile(_ url: URL, document: String?, effective: String?, dateBasis: String?) throws -> UnitFileImport
    func importRules(from url: URL) throws -> Int
    func setRemote(codes: [String], remote: Bool, reason: String, file: String?, lines: [Int]?) throws -> RemoteSummary
    func calendarAdd(_ input: CalendarEntryInput, reason: String?) throws -> CalendarResult
    func calendarRemove(day: String, reason: String?) throws -> CalendarResult
    func calendarImport(from url: URL, reason: String?) throws -> CalendarResult

    // MARK: Officials

    /// An official by login or id, for naming (assignment, `--assignee`).
    func official(login: String) throws -> Official?
    func official(id: Int64) throws -> Official?
    /// Officials to pick from (assignment), within `within` when it lies in the official's units.
    func officials(matching text: String, within: Int64?, limit: Int) throws -> [Official]
    /// `pakn officials list`: for those who manage officials, in their units.
    func listOfficials(matching text: String, within: Int64?) throws -> [Official]
    func addOfficial(login: String, fullName: String, unitCode: String, role: Role) throws -> Official
    func setRole(login: String, role: Role) throws -> Official
    func setActive(login: String, active: Bool) throws -> Official

    // MARK: Statistics and reports

    /// The statistics of a unit's subtree for a period (the official's own unit by default).
    func stats(unitId: Int64?, period: StatPeriod, options: StatOptions, reference: ReferenceData?) throws -> StatReport
    /// A period report to print or send (`pakn report`), recorded in the access log.
    func report(unitId: Int64?, period: StatPeriod, format: String, options: StatOptions) throws -> StatReport
    /// The exchange file of a period report (`--format exchange`), recorded with its digest.
    func exchangeFile(unitId: Int64?, period: StatPeriod) throws -> (report: StatReport, data: Data)
    /// Imports a child office's exchange file (`pakn report import`).
    func importReport(_ data: Data, replace: Bool) throws -> ReportImportResult

    // MARK: The audit, backups, freshness

    func checkChain(against: String?) throws -> ChainCheck
    func checkAccessChain(against: String?) throws -> ChainCheck
    func checkConsistency() throws -> ConsistencyReport
    func chainHead() throws -> String
    func accessHead() throws -> String
    /// The access log, for those who manage officials.
    func accessLog(limit: Int, caseRef: String?) throws -> [AccessEntry]
    func backup(to dest: String, force: Bool) throws -> BackupResult
    /// Changes whenever another connection commits; the desk polls it (no data is read).
    func dataVersion() throws -> Int
    /// `dataVersion()` just after this session's own `perform`, which the desk keeps so that
    /// its own write is not news. An engine that can tell without asking says it (a server
    /// session: the newest event its last `perform` chained); otherwise `dataVersion()`.
    func dataVersionAfterOwnWrite() throws -> Int
    /// How many notices of other connections' commits have come without asking the
    /// database (a server session's `LISTEN`: docs/deployment.md); nil when the engine gets
    /// none (a SQLite file), and the desk polls `dataVersion()` about once a second. The desk
    /// asks `dataVersion()` at once when this moves.
    var changeNotices: Int? { get }
    /// Waits at most `timeout` seconds for `dataVersion()` to differ from `version`, and
    /// returns it then (nil: no change came in time). A server session is woken by its
    /// notifications; a file is polled.
    func waitForChange(since version: Int, timeout: TimeInterval) throws -> Int?
    /// Whether the engine has housekeeping to do when the desk is idle (`checkpointIfDue`).
    var checkpointDue: Bool { get }
    func checkpointIfDue()
    /// Readies the engine for the official's first write, in the desk's first quiet moment
    /// with case `id` (one the official sees) on screen, so that the first assign or reply
    /// does not pay for it. A server connection plans its write path the first time it
    /// runs it (the action function, its triggers and the chain's append: 6–11 ms, against
    /// 1.5–3 ms after), so a server session rehearses a note on the case and a change of
    /// its status in a transaction it rolls back: nothing is written, nothing is recorded. A SQLite file has nothing
    /// to ready. Errors are swallowed: the first write will say what is wrong.
    func prepareFirstWrite(onCase id: Int64)

    // MARK: The Open311 service (`pakn serve`, docs/open311.md)
    //
    // Defaults that refuse (`Open311Values.swift`): an engine without the service says so.

    /// `pakn apikeys add`: a key for `channel` at `unitCode`, with its service official
    /// (`api.NAME`, a clerk there); recorded in the access log. The secret is returned once.
    func addApiKey(name: String, channel: Channel, unitCode: String) throws -> NewApiKey
    /// `pakn apikeys list`: the keys within the official's units.
    func apiKeys() throws -> [ApiKey]
    /// `pakn apikeys revoke`: the key stops at once and its service official is disabled.
    func revokeApiKey(name: String) throws -> ApiKey
    /// An intake by a key's service official: like `intake`, remembering the idempotency key
    /// (a retry returns the first case) and the tracking token's digest, in one transaction.
    func keyIntake(_ draft: IntakeDraft, idempotencyKey: String?, trackingToken: String) throws -> KeyIntake
}

// MARK: - The defaults `Session` has always had
//
// One overload per defaulted parameter: overload j takes the parameters before j without
// defaults, leaves j out, and defaults the ones after it. A call that leaves out some
// parameters matches exactly one overload (the one for the first it leaves out); a call
// that gives them all reaches the requirement. No overload has a requirement's full
// signature, so none can be taken for an engine's missing implementation.

extension StoreSession {
    public func dataVersionAfterOwnWrite() throws -> Int { try dataVersion() }

    public func prepareFirstWrite(onCase id: Int64) {}

    public func duplicateCandidates(title: String, wardId: Int64) throws -> [DuplicateCandidate] {
        try duplicateCandidates(title: title, wardId: wardId, excluding: nil, limit: 5)
    }

    @discardableResult
    public func authorize(_ permission: Permission, what: String) throws -> Official {
        try authorize(permission, unitId: nil, what: what)
    }

    public func perform(_ action: Action, on caseRef: String, reference: ReferenceData? = nil) throws -> Case {
        try perform(action, on: caseRef, expectedVersion: nil, reference: reference)
    }
    public func perform(_ action: Action, on caseRef: String, expectedVersion: Int?) throws -> Case {
        try perform(action, on: caseRef, expectedVersion: expectedVersion, reference: nil)
    }

    public func detail(caseRef: String, recording: Bool = true) throws -> CaseDetail {
        try detail(caseRef: caseRef, reference: nil, recording: recording)
    }
    public func detail(caseRef: String, reference: ReferenceData?) throws -> CaseDetail {
        try detail(caseRef: caseRef, reference: reference, recording: true)
    }

    public func queue(_ q: QueueQuery) throws -> [QueueRow] { try queue(q, reference: nil) }
    public func count(_ f: QueueFilter) throws -> Int { try count(f, reference: nil) }
    public func headerCount(_ f: QueueFilter, order: QueueOrder, before cursor: QueueCursor?) throws
        -> (total: CappedCount, before: CappedCount?) {
        try headerCount(f, order: order, before: cursor, reference: nil)
    }
    public func count(_ f: QueueFilter, order: QueueOrder, before cursor: QueueCursor) throws -> Int {
        try count(f, order: order, before: cursor, reference: nil)
    }
    public func counts(reference: ReferenceData? = nil) throws -> QueueCounts {
        try counts(unitSubtree: nil, reference: reference)
    }
    public func counts(unitSubtree: Int64?) throws -> QueueCounts { try counts(unitSubtree: unitSubtree, reference: nil) }
    public func overdueByUnit() throws -> [(unit: OrgUnit, count: Int)] { try overdueByUnit(unitSubtree: nil) }

    public func letter(template id: String, caseRef: String, action: ActionName, citizenLang: Lang,
                       reason: String? = nil, targetUnitId: Int64? = nil) throws -> TemplateLetter {
        try letter(template: id, caseRef: caseRef, action: action, citizenLang: citizenLang,
                   authority: nil, reason: reason, targetUnitId: targetUnitId)
    }
    public func letter(template id: String, caseRef: String, action: ActionName, citizenLang: Lang,
                       authority: String?, targetUnitId: Int64? = nil) throws -> TemplateLetter {
        try letter(template: id, caseRef: caseRef, action: action, citizenLang: citizenLang,
                   authority: authority, reason: nil, targetUnitId: targetUnitId)
    }
    public func letter(template id: String, caseRef: String, action: ActionName, citizenLang: Lang,
                       authority: String?, reason: String?) throws -> TemplateLetter {
        try letter(template: id, caseRef: caseRef, action: action, citizenLang: citizenLang,
                   authority: authority, reason: reason, targetUnitId: nil)
    }

    public func importCases(from url: URL, onProblem: (CaseImportProblem) throws -> Void,
                            progress: ((Int, Int) -> Void)? = nil) throws -> CaseImportSummary {
        try importCases(from: url, options: CaseImportOptions(), onProblem: onProblem, progress: progress)
    }
    public func importCases(from url: URL, options: CaseImportOptions,
                            onProblem: (CaseImportProblem) throws -> Void) throws -> CaseImportSummary {
        try importCases(from: url, options: options, onProblem: onProblem, progress: nil)
    }

    public func templates(category: String?, kind: CaseKind?, lang: Lang) throws -> [ReplyTemplate] {
        try templates(category: category, kind: kind, lang: lang, purposes: nil)
    }
    public func allTemplates() throws -> [ReplyTemplate] { try allTemplates(category: nil) }

    public func units(matching text: String, levels: [UnitLevel]? = nil, limit: Int = 50) throws -> [OrgUnit] {
        try units(matching: text, within: nil, levels: levels, limit: limit)
    }
    public func units(matching text: String, within ancestor: Int64?, limit: Int = 50) throws -> [OrgUnit] {
        try units(matching: text, within: ancestor, levels: nil, limit: limit)
    }
    public func units(matching text: String, within ancestor: Int64?, levels: [UnitLevel]?) throws -> [OrgUnit] {
        try units(matching: text, within: ancestor, levels: levels, limit: 50)
    }
    public func remoteUnits() throws -> [OrgUnit] { try remoteUnits(within: nil) }
    public func calendarEntries() throws -> [CalendarException] { try calendarEntries(year: nil) }

    public func importUnitFile(_ url: URL, effective: String? = nil, dateBasis: String? = nil) throws -> UnitFileImport {
        try importUnitFile(url, document: nil, effective: effective, dateBasis: dateBasis)
    }
    public func importUnitFile(_ url: URL, document: String?, dateBasis: String? = nil) throws -> UnitFileImport {
        try importUnitFile(url, document: document, effective: nil, dateBasis: dateBasis)
    }
    public func importUnitFile(_ url: URL, document: String?, effective: String?) throws -> UnitFileImport {
        try importUnitFile(url, document: document, effective: effective, dateBasis: nil)
    }

    public func setRemote(codes: [String], remote: Bool, reason: String, lines: [Int]? = nil) throws -> RemoteSummary {
        try setRemote(codes: codes, remote: remote, reason: reason, file: nil, lines: lines)
    }
    public func setRemote(codes: [String], remote: Bool, reason: String, file: String?) throws -> RemoteSummary {
        try setRemote(codes: codes, remote: remote, reason: reason, file: file, lines: nil)
    }

    public func officials(within: Int64? = nil, limit: Int = 200) throws -> [Official] {
        try officials(matching: "", within: within, limit: limit)
    }
    public func officials(matching text: String, limit: Int = 200) throws -> [Official] {
        try officials(matching: text, within: nil, limit: limit)
    }
    public func officials(matching text: String, within: Int64?) throws -> [Official] {
        try officials(matching: text, within: within, limit: 200)
    }
    public func listOfficials(within: Int64? = nil) throws -> [Official] { try listOfficials(matching: "", within: within) }
    public func listOfficials(matching text: String) throws -> [Official] { try listOfficials(matching: text, within: nil) }

    public func stats(period: StatPeriod, options: StatOptions = .view, reference: ReferenceData? = nil) throws -> StatReport {
        try stats(unitId: nil, period: period, options: options, reference: reference)
    }
    public func stats(unitId: Int64?, period: StatPeriod, reference: ReferenceData? = nil) throws -> StatReport {
        try stats(unitId: unitId, period: period, options: .view, reference: reference)
    }
    public func stats(unitId: Int64?, period: StatPeriod, options: StatOptions) throws -> StatReport {
        try stats(unitId: unitId, period: period, options: options, reference: nil)
    }
    public func report(period: StatPeriod, format: String, options: StatOptions = .report) throws -> StatReport {
        try report(unitId: nil, period: period, format: format, options: options)
    }
    public func report(unitId: Int64?, period: StatPeriod, format: String) throws -> StatReport {
        try report(unitId: unitId, period: period, format: format, options: .report)
    }
    public func exchangeFile(period: StatPeriod) throws -> (report: StatReport, data: Data) {
        try exchangeFile(unitId: nil, period: period)
    }
    public func importReport(_ data: Data) throws -> ReportImportResult { try importReport(data, replace: false) }

    public func checkChain() throws -> ChainCheck { try checkChain(against: nil) }
    public func checkAccessChain() throws -> ChainCheck { try checkAccessChain(against: nil) }
    public func accessLog(caseRef: String? = nil) throws -> [AccessEntry] { try accessLog(limit: 100, caseRef: caseRef) }
    public func accessLog(limit: Int) throws -> [AccessEntry] { try accessLog(limit: limit, caseRef: nil) }
    public func backup(to dest: String) throws -> BackupResult { try backup(to: dest, force: false) }
}
