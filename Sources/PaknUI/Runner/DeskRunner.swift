import Foundation
import PaknCore
import PaknStoreAPI

/// Runs the desk against a database: feeds messages to `DeskUpdate.update`, performs the
/// effects it asks for (synchronously, one read or one write each) and feeds the answers
/// back, until nothing is left to do. The terminal main loop, the tests and `pakn bench`
/// all drive the desk through this.
///
/// ```swift
/// let runner = try DeskRunner(session: try db.session(login: osLogin), lang: .vi, width: cols, height: rows)
/// runner.start()
/// draw(runner.frame())
/// while !runner.shouldQuit {
///     // With work put off (`hasIdleWork`), only look for a key; none waiting: do the work.
///     if let key = readKey(timeout: runner.hasIdleWork ? 0 : 1) { runner.send(key) }   // .resize too
///     else if runner.idle() { draw(runner.frame()) }
///     runner.pollForChanges()                                  // about once a second
///     draw(runner.frame())
/// }
/// ```
///
/// Reading the next page of the queue before the selection reaches the end of the rows in
/// memory (`DeskUpdate.prefetch`) is not needed for the frame that follows the key: the
/// runner keeps it for `idle()`, which the terminal loop calls when no key is waiting.
/// Anything the desk is told next (`handle`, `send`) first does such work, so the desk
/// answers every key exactly as if it had been done at once.
///
/// In the same quiet moment the runner looks ahead (`lookAhead`): it reads the details of
/// the cases a move or a page would select next, lays out the rows a page would show, and
/// reads the pages Home and End would show, so that the frame after such a key finds them
/// ready. It holds only what the next key could use. What is read ahead is used only by
/// the move that follows it: anything else the desk asks for (another queue, a reload, an
/// action, counts) forgets it, as does a change seen by `pollForChanges`; a key that comes
/// before the look-ahead is done cancels it. Reading ahead records nothing, not even a
/// refusal (`Session.detail(recording:)`).
///
/// The runner holds the official's session (`any StoreSession`, whichever engine serves it),
/// never the database: what the desk shows and does is authorized, scoped and recorded
/// there, and the menus offer what the session says the official may do
/// (`StoreSession.grants`, `CaseDetail.allowedActions`).
public final class DeskRunner {
    public let session: any StoreSession
    public private(set) var state: DeskState
    /// The session's clock (a training database may run at a fixed time).
    public func now() -> Date { session.now }
    public private(set) var reference: ReferenceData
    private var lastDataVersion: Int?
    /// The session's count of change notices when last polled (`changeNoticed`).
    private var lastNotices: Int?
    /// Whether the last poll found the database unreachable (`pollForChanges`).
    public private(set) var databaseLost = false
    /// Whether the session was told of another connection's commit since the last poll
    /// (a server's notification): the main loop then polls at once instead of waiting
    /// for the second to pass. Always false for an engine that is told nothing (a file).
    public var changeNoticed: Bool {
        guard let n = session.changeNotices else { return false }
        return n != lastNotices
    }
    /// The (Vietnamese civil) day the screen was computed for.
    private var lastDay: Day?
    /// Reply templates already read, per category and kind: every move loads the selected
    /// case's detail with its templates, and most cases share a handful of them. Forgotten
    /// whenever the data may have changed (another connection's commit, our own writes).
    private var templateCache: [String: [ReplyTemplate]] = [:]
    /// Effects performed so far, for tests and the benchmark.
    public private(set) var effectsRun = 0
    /// Effects put off until the desk is idle (prefetching queue rows beyond the screen).
    private var deferred: [DeskEffect] = []
    /// A queue count put off to a quiet moment only (`idle`): a key that comes first does
    /// not wait for it, and a count for a queue the desk has left is dropped.
    private var quietCount: QueueCountRequest?
    /// Whether the look-ahead is still to do for the current state.
    private var lookAheadPending = false
    /// Details read ahead (`lookAhead`), by case id.
    private var readAhead: [Int64: (detail: CaseDetail, templates: [ReplyTemplate])] = [:]
    /// The pages Home and End would read (`lookAhead`), for this queue's spec and page size only.
    private var edgePagesAhead: [QueuePage] = []
    /// How much is held read ahead (tests: it must not grow as the official scrolls).
    var readAheadSize: (details: Int, pages: Int) { (readAhead.count, edgePagesAhead.count) }
    /// Told of every workflow action the desk performs, once its transaction has committed
    /// (or been refused): the headless runner (`pakn desk-script`) prints them.
    public var onPerformed: ((PerformOutcome) -> Void)?
    /// Where unsent drafts are kept (nil: nowhere, as in tests and benchmarks). Set it
    /// before `start()`, which brings back the drafts left there.
    public var drafts: DraftStore? { didSet { state.draftsKept = drafts != nil } }
    /// Opens a draft's text in the official's editor, the terminal handed over meanwhile
    /// (nil: no terminal to hand over).
    public var externalEditor: ((_ text: String, _ name: String) -> Result<String, Notice>)?
    /// The queue's columns from the config file (`DeskPreferences.columns`).
    public var columns: [QueueColumns.Column]? { didSet { state.columns = columns } }
    /// The queue's sort from the config file (`DeskPreferences.sort`); set it before `start()`.
    public var sort: (column: SortColumn, descending: Bool)? {
        didSet { if let sort { state.spec.sort(by: sort.column, descending: sort.descending) } }
    }
    /// Puts text on the terminal's clipboard; false where the terminal cannot (nil: none).
    public var clipboard: ((String) -> Bool)?

    public init(session: any StoreSession, lang: Lang, keyMap: KeyMap = .standard,
                width: Int, height: Int, view: QueueView? = nil) throws {
        self.session = session
        self.reference = try session.reference()
        self.state = DeskState(me: session.official, lang: lang, keyMap: keyMap, width: width, height: height, view: view)
        state.grants = try session.grants()
        state.training = session.isTraining
    }

    public var shouldQuit: Bool { state.quit }

    /// Loads the first page, counts and reference data.
    public func start() {
        lastNotices = session.changeNotices
        lastDataVersion = try? session.dataVersion()
        lastDay = Day(now())
        var s = state
        let fx = DeskUpdate.start(&s)
        state = s
        run(fx)
        lookAheadPending = true
    }

    /// Starts the guided tour (`pakn tour`), as `:tour` does.
    public func startTour() {
        runDeferred()
        run([.startTour])
        lookAheadPending = true
    }

    /// One key (including `.resize`).
    public func send(_ key: Key) { handle(.key(key)) }

    /// Several keys in order (tests, scripted demos).
    public func send(_ keys: [Key]) { for k in keys { send(k) } }

    /// Types text as single-character keys.
    public func type(_ text: String) { for c in text { send(.char(c)) } }

    public func resize(width: Int, height: Int) { handle(.resize(width: width, height: height)) }

    public func handle(_ msg: DeskMessage) {
        runDeferred()
        lookAheadPending = false
        var s = state
        let fx = DeskUpdate.update(&s, msg)
        state = s
        run(fx)
        lookAheadPending = true
    }

    /// The screen for the current state.
    public func frame() -> Grid { DeskView.render(state) }

    /// Checks whether another connection committed since the last check, or whether a new
    /// day has begun (every "N days left" moves, and cases become overdue), and if so reloads
    /// what is on screen (keeping the selection). Returns whether it reloaded, i.e. whether
    /// the frame may have changed. Call about once a second from the main loop.
    ///
    /// When the database cannot be asked (a server gone away, the connection lost), the
    /// status line says so once, and each later call tries again (the session reconnects,
    /// spacing its attempts); when it answers again, the desk says so and reloads.
    @discardableResult
    public func pollForChanges() -> Bool {
        let today = Day(now())
        let newDay = lastDay.map { $0 != today } ?? false
        lastDay = today
        lastNotices = session.changeNotices
        let v: Int
        do {
            v = try session.dataVersion()
        } catch {
            guard !databaseLost else { return false }
            databaseLost = true
            let reason = Notice.from(error)
            handle(.failed(Notice(vi: Message("desk.db.lost", reason.vi).text(.vi), en: Message("desk.db.lost", reason.en).text(.en),
                                  isError: true)))
            return true
        }
        defer { lastDataVersion = v }
        let back = databaseLost
        databaseLost = false
        if back { handle(.failed(Notice.info("desk.db.back"))) }
        guard back || newDay || (lastDataVersion.map { $0 != v } ?? false) else { return false }
        templateCache.removeAll()
        forgetReadAhead()
        // A role changed elsewhere changes the menus too.
        if let g = try? session.grants(), g != state.grants { state.grants = g }
        handle(.dataChanged)
        return true
    }

    // MARK: Effects

    /// Whether work was put off for a quiet moment (see `idle`).
    public var hasIdleWork: Bool {
        !deferred.isEmpty || lookAheadPending || quietCount != nil || session.checkpointDue || firstWriteToPrepare != nil
    }

    /// Whether the session has readied its first write (`StoreSession.prepareFirstWrite`).
    private var firstWritePrepared = false
    /// The case to ready it on: the selected one, once, when the queue first shows one.
    private var firstWriteToPrepare: Int64? {
        guard !firstWritePrepared else { return nil }
        return state.selectedRow?.id
    }

    /// Does the work put off for a quiet moment: reading the queue's next page before the
    /// selection gets there, then looking ahead, then copying the WAL back into the database
    /// file if the desk's writes made it long (`AppDatabase.checkpointIfDue`, so that no
    /// assign or reply pays for it), and once, readying the session's first write
    /// (`StoreSession.prepareFirstWrite`). Returns whether the frame may have changed (the
    /// queue's row count, for one): only the put-off effects change it.
    @discardableResult
    public func idle() -> Bool {
        var changed = runDeferred()
        if let req = quietCount {
            quietCount = nil
            if req.generation == state.queueGeneration {
                run([.countQueue(req)], deferring: false)
                changed = true
            }
        }
        if lookAheadPending {
            lookAheadPending = false
            lookAhead()
        }
        session.checkpointIfDue()
        if let id = firstWriteToPrepare {
            firstWritePrepared = true
            session.prepareFirstWrite(onCase: id)
        }
        return changed
    }

    @discardableResult
    private func runDeferred() -> Bool {
        guard !deferred.isEmpty else { return false }
        let work = deferred
        deferred = []
        run(work, deferring: false)
        return true
    }

    private func forgetReadAhead() {
        readAhead.removeAll()
        edgePagesAhead.removeAll()
    }

    /// Reads the details of the cases a move or a page would select next (one row and one
    /// screen up and down) and lays them out, lays out the rows a page would show, and
    /// reads the pages Home and End would show with the detail each would select.
    func lookAhead() {
        let s = state
        guard s.mode == .normal, s.focus == .queue, s.composing == nil, s.intake == nil, !s.queue.rows.isEmpty else { return }
        let visible = DeskUpdate.queueVisibleRows(s)
        let sel = s.queue.selected, lastRow = s.queue.rows.count - 1
        var neighbours: [Int64] = []
        for idx in [sel + 1, sel - 1, sel + visible, sel - visible].map({ max(0, min(lastRow, $0)) }) where idx != sel {
            let id = s.queue.rows[idx].id
            if !neighbours.contains(id) { neighbours.append(id) }
        }
        let limit = DeskUpdate.firstPage(s)
        edgePagesAhead.removeAll { $0.request.spec != s.spec || $0.request.limit != limit }
        // Only what the next key could use is kept: a long scroll leaves nothing behind.
        let keep = Set(neighbours + edgePagesAhead.compactMap(Self.selectedBy))
        readAhead = readAhead.filter { keep.contains($0.key) }

        let width = max(1, s.layout.detail.width - 1)
        for id in neighbours {
            if readAhead[id] == nil, let loaded = try? loadDetail(id, recording: false) {
                readAhead[id] = loaded
            }
            if let d = readAhead[id]?.detail, s.layout.detail.width >= 2 { _ = DetailText.lines(d, state: s, width: width) }
        }
        DeskView.prepareRows(s)
        // Not for a text search: its last page can cost a walk of the whole list.
        guard s.spec.text.isEmpty else { return }
        for (placement, needed) in [(QueueRequest.Placement.first, s.queue.moreAbove), (.last, s.queue.moreBelow)]
        where needed && !edgePagesAhead.contains(where: { $0.request.placement == placement }) {
            let req = QueueRequest(generation: s.queueGeneration, placement: placement, spec: s.spec, limit: limit)
            guard let ahead = try? page(req, at: now()) else { continue }
            edgePagesAhead.append(ahead)
            if let id = Self.selectedBy(ahead), readAhead[id] == nil, let loaded = try? loadDetail(id, recording: false) {
                readAhead[id] = loaded
            }
        }
    }

    /// The case Home's or End's page selects: its first row, or its last (`before` ends with it).
    private static func selectedBy(_ page: QueuePage) -> Int64? {
        page.request.placement == .first ? page.rows.first?.id : page.before.last?.id
    }

    private func edgePageAhead(_ req: QueueRequest) -> Int? {
        edgePagesAhead.firstIndex {
            $0.request.placement == req.placement && $0.request.spec == req.spec && $0.request.limit == req.limit
        }
    }

    /// Home's or End's page read ahead for `req`, if it is still the one it asks for.
    private func takeEdgePageAhead(_ req: QueueRequest) -> QueuePage? {
        guard let i = edgePageAhead(req) else { return nil }
        var ahead = edgePagesAhead.remove(at: i)
        ahead.request = req
        return ahead
    }

    /// A case's detail with its reply templates (read once per category and kind).
    private func loadDetail(_ id: Int64, recording: Bool) throws -> (detail: CaseDetail, templates: [ReplyTemplate]) {
        let d = try session.detail(caseRef: String(id), reference: reference, recording: recording)
        // Replies go to citizens: Vietnamese templates first, whatever the desk's language.
        let key = d.case.category + "\u{1F}" + d.case.kind.rawValue
        if let cached = templateCache[key] { return (d, cached) }
        let t = try session.templates(category: d.case.category, kind: d.case.kind, lang: .vi)
        templateCache[key] = t
        return (d, t)
    }

    /// Writes put off, if any (the terminal is about to close): drafts reach the disk.
    public func flush() { runDeferred() }

    /// Effects the next frame does not need: a page of rows beyond those on screen, a
    /// draft written to disk (done before the next key or in the quiet moment).
    static func canWait(_ effect: DeskEffect) -> Bool {
        if case .saveDrafts = effect { return true }
        guard case let .loadQueue(req) = effect else { return false }
        switch req.placement {
        case .append, .prepend: return true
        case .first, .last, .around: return false
        }
    }

    private func run(_ initial: [DeskEffect], deferring: Bool = true) {
        var pending = initial
        var guardCount = 0
        while !pending.isEmpty && guardCount < 10_000 {
            guardCount += 1
            let effect = pending.removeFirst()
            if deferring && Self.canWait(effect) {
                deferred.append(effect)
                continue
            }
            if deferring, case let .countQueue(req) = effect {
                quietCount = req
                continue
            }
            // What was read ahead serves moves only: anything else the desk asks for (a new
            // queue, a reload, counts, an action) means it may be stale or unwanted.
            switch effect {
            case .loadDetail, .countQueue, .saveDrafts, .deleteDrafts, .loadDrafts, .copy, .beginIntake, .intakeWards, .intakeDuplicates, .startTour, .tourLook: break
            case let .loadQueue(req) where Self.canWait(.loadQueue(req)) || edgePageAhead(req) != nil: break
            default: forgetReadAhead()
            }
            effectsRun += 1
            for msg in perform(effect) {
                var s = state
                pending += DeskUpdate.update(&s, msg)
                state = s
            }
        }
    }

    /// Performs one effect and returns the messages that answer it.
    public func perform(_ effect: DeskEffect) -> [DeskMessage] {
        let me = state.me
        let at = now()
        do {
            switch effect {
            case .loadReference:
                reference = try session.reference()
                // The role as it is now: a changed role changes the menus at the next reload.
                let now = try session.current()
                return [.referenceLoaded(categories: reference.categories, unit: try session.unit(id: now.unitId),
                                         grants: try session.grants())]
            case let .loadQueue(req):
                return [.queueLoaded(try takeEdgePageAhead(req) ?? page(req, at: at))]
            case .loadCounts:
                return [.countsLoaded(try session.counts(reference: reference))]
            case let .loadStats(req):
                let period = req.period ?? StatPeriod.containing(Day(at), kind: req.kind)
                do {
                    return [.statsLoaded(generation: req.generation,
                                         try session.stats(unitId: req.unitId, period: period, reference: reference))]
                } catch {
                    return [.statsFailed(generation: req.generation, Notice.from(error))]
                }
            case let .countQueue(req):
                let filter = req.spec.filter(for: me, now: at, ref: reference)
                let c = try session.headerCount(filter, order: req.spec.order, before: req.before, reference: reference)
                var before = c.before.flatMap { $0.capped ? nil : $0.count }
                // Read from its end, what came before the row in the order comes after it.
                if req.spec.reversed { before = c.total.capped ? nil : before.map { max(0, c.total.count - $0 - 1) } }
                return [.queueCounted(QueueCount(request: req, total: c.total.count, before: before, capped: c.total.capped))]
            case .loadGroups:
                let groups = try session.overdueByUnit().map { UnitCount(unit: $0.unit, count: $0.count) }
                return [.groupsLoaded(groups)]
            case let .loadDetail(id):
                if let ahead = readAhead.removeValue(forKey: id) {
                    return [.detailLoaded(ahead.detail, templates: ahead.templates)]
                }
                do {
                    let (d, t) = try loadDetail(id, recording: true)
                    return [.detailLoaded(d, templates: t)]
                } catch {
                    // A refusal is recorded in the case's history: our own write, not news
                    // (else the reload it would cause asks again, and is refused again).
                    if let v = try? session.dataVersion() { lastDataVersion = v }
                    return [.detailFailed(caseId: id, Notice.from(error))]
                }
            case let .searchOfficials(text, within, gen):
                let list = try session.officials(matching: text, within: within, limit: 100)
                var unitNames: [Int64: String] = [:]
                let items = try list.map { o -> PickerItem in
                    if unitNames[o.unitId] == nil { unitNames[o.unitId] = try session.unit(id: o.unitId)?.label ?? "" }
                    return PickerItem(id: String(o.id), label: o.fullName,
                                      detail: o.role.label(state.lang) + " · " + (unitNames[o.unitId] ?? ""))
                }
                return [.pickerLoaded(generation: gen, items: items)]
            case let .searchUnits(text, within, levels, gen):
                let list = try session.units(matching: text, within: within, levels: levels, limit: 100)
                let items = list.map { u in
                    PickerItem(id: String(u.id), label: u.label, detail: L10n.t("level.\(u.level.rawValue)", state.lang) + " · " + u.code)
                }
                return [.pickerLoaded(generation: gen, items: items)]
            case let .resolveCase(code, purpose):
                return [.caseResolved(try session.resolveCase(code), purpose: purpose)]
            case let .perform(reqs, draft):
                templateCache.removeAll()
                let outcomes = reqs.map { r -> PerformOutcome in
                    let outcome: PerformOutcome
                    do {
                        let c = try session.perform(r.action, on: String(r.caseId), expectedVersion: r.expectedVersion)
                        outcome = PerformOutcome(caseId: r.caseId, code: r.code, action: r.action.name, updated: c, error: nil)
                    } catch {
                        outcome = PerformOutcome(caseId: r.caseId, code: r.code, action: r.action.name, updated: nil,
                                                 error: Notice.from(error))
                    }
                    onPerformed?(outcome)
                    return outcome
                }
                // Our own write is not news: the reload that follows shows it, and anything
                // committed by others before this point is in that reload too.
                if let v = try? session.dataVersionAfterOwnWrite() { lastDataVersion = v }
                return [.performed(outcomes, draft: draft)]
            case let .reveal(caseId, code, reason):
                // A refusal is recorded in the history too: either way our own write is no news.
                defer { if let v = try? session.dataVersion() { lastDataVersion = v } }
                let reporter = try session.revealReporter(caseRef: code, reason: reason)
                return [.revealed(caseId: caseId, reporter)]
            case .loadDrafts, .saveDrafts, .deleteDrafts, .editExternally, .copy:
                return performDrafts(effect)
            case .beginIntake:
                return [.intakeOpened(now: at)]
            case let .intakeWards(text, within, gen):
                let list = try session.units(matching: text, within: within, levels: [.commune], limit: 50)
                return [.intakeWardsLoaded(generation: gen, items: list.map(IntakeForm.wardItem))]
            case let .intakeDuplicates(title, wardId, gen):
                return [.intakeDuplicatesLoaded(generation: gen, try session.duplicateCandidates(title: title, wardId: wardId))]
            case let .takeIn(req):
                templateCache.removeAll()
                defer { if let v = try? session.dataVersion() { lastDataVersion = v } }
                do {
                    let c = try session.intake(req)
                    let unit = c.status == .routed || c.status == .merged ? try c.unitId.flatMap { try session.unit(id: $0) } : nil
                    let outcome = IntakeOutcome(id: c.id, code: c.code, status: c.status,
                                                routedTo: c.status == .routed ? unit?.label : nil,
                                                mergedInto: c.status == .merged ? req.duplicateOf : nil)
                    return [.takenIn(outcome)]
                } catch {
                    return [.intakeFailed(Notice.from(error))]
                }
            case .startTour:
                // The tour takes cases in and answers them: a training database only.
                guard session.isTraining else { return [.failed(.error("tour.not_training"))] }
                return [.tourStarted(baseline: try session.newestCaseId())]
            case let .tourLook(baseline):
                let id = try session.newestCaseId()
                guard id > baseline, let c = session.peekCase(String(id)) else { return [] }
                return [.tourCaseFound(CaseRef(id: c.id, code: c.code, title: c.title, status: c.status))]
            case .quit:
                return []
            }
        } catch {
            return [.failed(Notice.from(error))]
        }
    }

    /// Answers a queue request with keyset pages only: never more than about
    /// `limit * 1.5` rows, whatever the size of the table.
    func page(_ req: QueueRequest, at: Date) throws -> QueuePage {
        let filter = req.spec.filter(for: state.me, now: at, ref: reference)
        // Sorted descending (`reversed`): the same keyset pages of the order, read the other
        // way and turned round, so every placement below works unchanged.
        let reversed = req.spec.reversed
        func fetch(after: QueueCursor?, backwards: Bool, limit: Int) throws -> [QueueRow] {
            let rows = try session.queue(QueueQuery(filter: filter, order: req.spec.order, after: after,
                                                    backwards: backwards != reversed, limit: limit), reference: reference)
            return reversed ? rows.reversed() : rows
        }
        switch req.placement {
        case .first:
            return QueuePage(request: req, before: [], rows: try fetch(after: nil, backwards: false, limit: req.limit), found: true)
        case .last:
            return QueuePage(request: req, before: try fetch(after: nil, backwards: true, limit: req.limit), rows: [], found: true)
        case let .append(after):
            return QueuePage(request: req, before: [], rows: try fetch(after: after, backwards: false, limit: req.limit), found: true)
        case let .prepend(before):
            return QueuePage(request: req, before: try fetch(after: before, backwards: true, limit: req.limit), rows: [], found: true)
        case let .around(caseId, anchor):
            let beforeLimit = DeskUpdate.aroundBefore(req.limit)
            if let c = session.peekCase(String(caseId)) {
                let own = QueueCursor.of(c, order: req.spec.order)
                let rows = try fetch(after: own.justBefore(in: req.spec.order, reversed: reversed), backwards: false, limit: req.limit)
                if rows.first?.id == caseId {
                    let before = try fetch(after: own, backwards: true, limit: beforeLimit)
                    return QueuePage(request: req, before: before, rows: rows, found: true)
                }
            }
            // The case has left this queue: the rows around where it was.
            guard let anchor else {
                return QueuePage(request: req, before: [], rows: try fetch(after: nil, backwards: false, limit: req.limit), found: false)
            }
            let before = try fetch(after: anchor, backwards: true, limit: beforeLimit)
            // The anchor row itself is the last of `before` (+1 so it is included).
            let anchorRows = try fetch(after: anchor.justBefore(in: req.spec.order, reversed: reversed), backwards: false,
                                       limit: req.limit + 1)
            var rows = anchorRows
            var before2 = before
            if let first = anchorRows.first, first.cursor == anchor {
                before2.append(first)
                rows = Array(anchorRows.dropFirst())
            }
            if rows.isEmpty, !before2.isEmpty {
                // Nothing after the anchor: select the last row.
                rows = [before2.removeLast()]
            }
            return QueuePage(request: req, before: before2, rows: rows, found: false)
        }
    }
}

extension QueueCursor {
    /// A case's sort key in a queue order, packed the way `AppDatabase.queue` packs it
    /// (urgency: running, paused, done, then due time; oldest/newest: received time; code: id).
    public static func of(_ c: Case, order: QueueOrder) -> QueueCursor {
        let due = Double(Int64(c.dueAt.timeIntervalSince1970.rounded(.down)))
        let received = Double(Int64(c.receivedAt.timeIntervalSince1970.rounded(.down)))
        switch order {
        case .urgency: return QueueCursor(key: QueueCursor.urgencyKey(status: c.status, dueAt: Int64(due)), id: c.id)
        case .oldest, .newest: return QueueCursor(key: received, id: c.id)
        case .code: return QueueCursor(key: 0, id: c.id)
        }
    }

    /// A cursor just before this one in display order, so a forward page starts at this row
    /// (`reversed`: the order read from its end).
    public func justBefore(in order: QueueOrder, reversed: Bool = false) -> QueueCursor {
        QueueCursor(key: key, id: (order == .newest) != reversed ? id + 1 : id - 1)
    }
}
