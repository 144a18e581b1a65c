import Foundation
import PaknCore
import PaknStoreAPI

/// The three panes of the desk.
public enum Pane: String, Sendable, CaseIterable {
    case queue, detail, reply
}

/// A message on the status line, kept in both languages so switching language re-renders it.
public struct Notice: Equatable, Sendable, Error {
    public var vi: String
    public var en: String
    public var isError: Bool

    public init(vi: String, en: String, isError: Bool) { self.vi = vi; self.en = en; self.isError = isError }

    /// From a store or workflow error (anything `Localized`).
    public init(_ localized: Localized, isError: Bool = true) {
        self.init(vi: localized.text(.vi), en: localized.text(.en), isError: isError)
    }

    /// From a catalog key with arguments.
    public static func info(_ key: String, _ args: CustomStringConvertible...) -> Notice {
        let m = Message(key: key, args: args.map(\.description))
        return Notice(vi: m.text(.vi), en: m.text(.en), isError: false)
    }

    public static func error(_ key: String, _ args: CustomStringConvertible...) -> Notice {
        let m = Message(key: key, args: args.map(\.description))
        return Notice(vi: m.text(.vi), en: m.text(.en), isError: true)
    }

    /// Any error: localized when it can be, else its description.
    public static func from(_ error: Error) -> Notice {
        if let l = error as? Localized { return Notice(l) }
        return Notice(vi: "\(error)", en: "\(error)", isError: true)
    }

    public func text(_ lang: Lang) -> String { lang == .vi ? vi : en }
}

extension Message {
    init(key: String, args: [String]) {
        self.init(key)
        self.args = args
    }
}

/// What the queue shows: a view plus the official's narrowing of it.
public struct QueueSpec: Equatable, Sendable {
    public var view: QueueView
    public var order: QueueOrder = .urgency
    /// Free text typed after `/`, matched Vietnamese-aware ("ha noi" finds "Hà Nội").
    public var text: String = ""
    public var kind: CaseKind?
    public var category: String?
    public var ward: UnitRef?
    /// In the overdue view: one responsible unit's cases only.
    public var group: UnitRef?
    /// The order read from its end: the sort column descending (`sort_reverse`). The store
    /// reads the same keyset pages, backwards (`DeskRunner.page`).
    public var reversed = false
    /// The one-case view (`:goto`): only this case, wherever it is handled.
    public var single: CaseRef?
    /// The cases behind a statistics figure (`l` on the statistics screen).
    public var stats: StatsList?

    public init(view: QueueView) { self.view = view }

    /// The column the queue is sorted by, and whether it runs downwards (largest first).
    public var sort: (column: SortColumn, descending: Bool) {
        switch order {
        case .urgency: (.deadline, reversed)
        case .oldest: (.received, reversed)
        case .newest: (.received, !reversed)
        case .code: (.code, reversed)
        }
    }

    /// Sorts by `column`, ascending unless `descending`.
    public mutating func sort(by column: SortColumn, descending: Bool) {
        order = column.order
        reversed = descending
    }

    public var hasFilters: Bool { !text.isEmpty || kind != nil || category != nil || ward != nil }

    /// The store filter for `official` at `now`, with "due soon" measured on the working calendar.
    public func filter(for official: Official, now: Date, ref: ReferenceData) -> QueueFilter {
        if let single {
            var f = QueueFilter()
            f.caseId = single.id
            return f
        }
        let bound = ref.calendar.add(ref.policy.dueSoonDays, to: Day(now), counting: .working).end
        var f = view.filter(for: official, now: now, dueSoonBound: bound)
        let t = text.trimmingCharacters(in: .whitespaces)
        if !t.isEmpty { f.text = t }
        if let kind { f.kind = kind }
        if let category { f.category = category }
        if let ward { f.wardSubtree = ward.id }
        if view == .overdue || stats != nil, let group { f.unitSubtree = group.id }
        stats?.apply(&f, now: now)
        return f
    }
}

/// The columns the queue can be sorted by: each is a keyset range of an index in its order
/// at any size (docs/performance.md §5). Status, ward, assignee and title are not: no
/// index holds a scope's cases in those orders, so sorting by them would read every case
/// of the scope (docs/desk-guide.md, "Sorting").
public enum SortColumn: String, CaseIterable, Sendable {
    case deadline, received, code

    /// The store's order for the column, ascending.
    public var order: QueueOrder {
        switch self {
        case .deadline: .urgency
        case .received: .oldest
        case .code: .code
        }
    }

    /// The queue column that shows it (the received time has none).
    public var column: QueueColumns.Column? {
        switch self {
        case .deadline: .deadline
        case .received: nil
        case .code: .code
        }
    }

    /// Whether the queue can be sorted by the column without reading every case of its scope.
    /// The deadline always can (every scope has its `(scope, done, due_at)` index). The day
    /// received and the code have no index per scope: sorting by them reads the scope's cases
    /// and sorts them — a few thousand for a ward, a department, an assignee, a ward filter,
    /// the sent-up cases or one case, but the whole table for a province or the centre, so
    /// they are not offered there (docs/desk-guide.md, docs/performance.md §5).
    public func isCheap(in s: DeskState) -> Bool {
        if self == .deadline { return true }
        let spec = s.spec
        if spec.single != nil || spec.view == .mine || spec.view == .sentUp || spec.ward != nil { return true }
        if spec.view == .overdue, spec.group != nil { return true }
        guard let level = s.myUnit?.level else { return true }
        return level != .province && level != .centre
    }

    /// `sort = "deadline"` in the config file; a leading `-` sorts descending.
    public static func parse(_ text: String) -> (column: SortColumn, descending: Bool)? {
        var t = text.trimmingCharacters(in: .whitespaces).lowercased()
        let descending = t.hasPrefix("-")
        if descending { t.removeFirst() }
        return SortColumn(rawValue: t).map { ($0, descending) }
    }
}

/// The part of a queue held in memory: a window of keyset pages around the selection.
public struct QueueWindow: Equatable, Sendable {
    public var rows: [QueueRow] = []
    /// Whether more rows exist before the first / after the last loaded row.
    public var moreAbove = false
    public var moreBelow = false
    /// Index of the selected row in `rows`.
    public var selected = 0
    /// Index of the first visible row.
    public var top = 0
    /// How many rows of the whole list come before `rows[0]`, when known (the window was
    /// read from the top, or counted: `QueueCount`). See `DeskState.position`.
    public var offset: Int?
    /// A page request is out (no second one for the same edge).
    public var loading = false
    /// The first page has arrived.
    public var loaded = false

    public init() {}

    public var selectedRow: QueueRow? { rows.indices.contains(selected) ? rows[selected] : nil }
}

/// A request for queue rows. The runner answers with a `QueuePage` for the same request.
public struct QueueRequest: Equatable, Sendable {
    public enum Placement: Equatable, Sendable {
        /// The first page.
        case first
        /// The last page (for `G`).
        case last
        /// The page after the last loaded row.
        case append(after: QueueCursor)
        /// The page before the first loaded row.
        case prepend(before: QueueCursor)
        /// Rows around a case, to keep it selected after a reload. If the case has left the
        /// queue, rows around `anchor` (the row before it), selecting the row that took its place.
        case around(caseId: Int64, anchor: QueueCursor?)
    }
    public var generation: Int
    public var placement: Placement
    public var spec: QueueSpec
    public var limit: Int
    /// Say so when an `around` request does not find its case (`:goto`).
    public var reportMissing = false

    public init(generation: Int, placement: Placement, spec: QueueSpec, limit: Int, reportMissing: Bool = false) {
        self.generation = generation; self.placement = placement; self.spec = spec; self.limit = limit
        self.reportMissing = reportMissing
    }
}

/// The runner's answer to a `QueueRequest`: rows before the anchor and from it on, in
/// display order. `found` tells whether an `around` request found its case.
public struct QueuePage: Equatable, Sendable {
    public var request: QueueRequest
    public var before: [QueueRow]
    public var rows: [QueueRow]
    public var found: Bool
    public init(request: QueueRequest, before: [QueueRow], rows: [QueueRow], found: Bool) {
        self.request = request; self.before = before; self.rows = rows; self.found = found
    }
}

/// A request to count a queue: its whole length and, when the window's place in it is not
/// known, the rows before its first row. Answered with a `QueueCount` in a quiet moment
/// (`DeskRunner.idle`): a count reads every matching entry of an index, a page only a screen.
public struct QueueCountRequest: Equatable, Sendable {
    public var generation: Int
    public var spec: QueueSpec
    public var before: QueueCursor?
    public init(generation: Int, spec: QueueSpec, before: QueueCursor?) {
        self.generation = generation; self.spec = spec; self.before = before
    }
}

public struct QueueCount: Equatable, Sendable {
    public var request: QueueCountRequest
    public var total: Int
    /// Rows before `request.before` (nil: not asked, or more than the count's cap).
    public var before: Int?
    /// The list is longer than the count read (`HeaderCountCap`): "at least `total`".
    public var capped: Bool
    public init(request: QueueCountRequest, total: Int, before: Int?, capped: Bool = false) {
        self.request = request; self.total = total; self.before = before; self.capped = capped
    }
}

/// The length of the whole list a queue shows, for the spec it was counted for.
public struct QueueTotal: Equatable, Sendable {
    public var spec: QueueSpec
    public var count: Int
    /// At least `count` ("100000+").
    public var capped = false
}

/// Overdue count of one responsible unit (the supervisor's overdue view).
public struct UnitCount: Equatable, Sendable {
    public var unit: OrgUnit
    public var count: Int
    public init(unit: OrgUnit, count: Int) { self.unit = unit; self.count = count }
}

/// A unit picked from a list, by id with its name for display.
public struct UnitRef: Equatable, Sendable {
    public var id: Int64
    public var name: String
    public init(id: Int64, name: String) { self.id = id; self.name = name }
    public init(_ u: OrgUnit) { self.init(id: u.id, name: u.label) }
}

/// An official picked from a list.
public struct OfficialRef: Equatable, Sendable {
    public var id: Int64
    public var name: String
    public init(id: Int64, name: String) { self.id = id; self.name = name }
}

/// A case an action will be applied to, with the version the official saw (if known).
public struct Target: Equatable, Sendable {
    public var id: Int64
    public var code: String
    public var status: CaseStatus
    public var version: Int?
    public init(id: Int64, code: String, status: CaseStatus, version: Int?) {
        self.id = id; self.code = code; self.status = status; self.version = version
    }
}

/// An action being put together: which, on what, and the answers gathered so far.
public struct Pending: Equatable, Sendable {
    public var action: ActionName
    public var targets: [Target]
    public var unit: UnitRef?
    public var official: OfficialRef?
    public var reason: String?
    public var master: CaseRef?
    public var rating: Rating?
    /// The case's complexity when the action began (marking it raises it one step).
    public var complexity: Int?
    /// A pause under a rule that pauses only by decision: the ground, then the decision's number.
    public var suspension: Suspension?
    public var confirmed = false

    public init(action: ActionName, targets: [Target]) { self.action = action; self.targets = targets }
}

/// Which draft, per case: the reply to the citizen, an internal note, a notice to the
/// citizen that leaves the case open (`notify`), or a request for information (`wait`).
public struct DraftKey: Hashable, Sendable {
    public enum Kind: String, Sendable, Codable, CaseIterable {
        case reply, note, notice, request

        /// The workflow action that sends a draft of this kind.
        public var action: ActionName {
            switch self {
            case .reply: .reply
            case .note: .note
            case .notice: .notice
            case .request: .wait
            }
        }
    }
    public var caseId: Int64
    public var kind: Kind
    public init(caseId: Int64, kind: Kind) { self.caseId = caseId; self.kind = kind }
}

/// An unsent draft as it is kept on disk (`DraftStore`), so that a crash or a closed
/// terminal loses nothing: the text, what it answers, and how it was written.
public struct SavedDraft: Equatable, Sendable, Codable {
    public var caseId: Int64
    public var code: String
    public var kind: DraftKey.Kind
    /// The case's version the draft answers (sending passes it: a change made meanwhile is
    /// a conflict to look at, not overwritten).
    public var baseVersion: Int?
    /// The titles of the templates inserted into it.
    public var templates: [String]
    /// A notice's purpose (acknowledgement, acceptance).
    public var purpose: TemplatePurpose?
    public var text: String

    public init(caseId: Int64, code: String, kind: DraftKey.Kind, baseVersion: Int?, templates: [String] = [],
                purpose: TemplatePurpose? = nil, text: String) {
        self.caseId = caseId; self.code = code; self.kind = kind; self.baseVersion = baseVersion
        self.templates = templates; self.purpose = purpose; self.text = text
    }

    public var key: DraftKey { DraftKey(caseId: caseId, kind: kind) }

    enum CodingKeys: String, CodingKey {
        case caseId = "case_id", code, kind, baseVersion = "base_version", templates, purpose, text
    }
}

/// One choice in a picker.
public struct PickerItem: Equatable, Sendable {
    public var id: String
    public var label: String
    public var detail: String
    public init(id: String, label: String, detail: String = "") { self.id = id; self.label = label; self.detail = detail }
}

/// A list that filters as you type.
public struct Picker: Equatable, Sendable {
    public enum Purpose: Equatable, Sendable {
        case assign(Pending)
        case unit(Pending)
        case category
        case ward
        case template(DraftKey)
    }
    public var purpose: Purpose
    public var query: TextEditor
    public var items: [PickerItem]
    public var selected = 0
    public var generation: Int
    /// Items held locally (categories, templates); nil when the store is asked.
    public var local: [PickerItem]?

    public var titleKey: String {
        switch purpose {
        case .assign: "desk.picker.official"
        case .unit: "desk.picker.unit"
        case .category: "desk.picker.category"
        case .ward: "desk.picker.ward"
        case .template: "desk.picker.template"
        }
    }
}

/// A short menu.
public struct Menu: Equatable, Sendable {
    public enum Purpose: Equatable, Sendable {
        case status(Target)
        case kind
        /// The ground of a suspension decision, from the case's rule.
        case ground(Pending)
    }
    public struct Item: Equatable, Sendable {
        public var label: String
        public var value: String
        public var key: String?
    }
    public var purpose: Purpose
    public var titleKey: String
    public var items: [Item]
    public var selected = 0
}

/// The rating form: a score 1–5 and reason codes.
public struct RatingForm: Equatable, Sendable {
    public var pending: Pending
    public var score: Int?
    public var reasons: Set<RatingReason> = []
    public var selected = 0
}

/// A one-line question: a reason, the request to the citizen, a case code.
public struct PromptState: Equatable, Sendable {
    public enum Purpose: Equatable, Sendable {
        case reason(Pending)
        case mergeCode(Pending)
        /// The number of the suspension decision.
        case decision(Pending)
        case goto
        /// Why the official needs to see the reporter of this case (recorded with the reveal).
        case revealReason(caseId: Int64, code: String)
    }
    public var purpose: Purpose
    public var labelKey: String
    public var labelArgs: [String]
    public var editor: TextEditor
    /// Whether an empty answer is accepted.
    public var optional: Bool
}

/// What a yes/no question is about.
public enum ConfirmSubject: Equatable, Sendable {
    /// A dangerous action (reject, merge, close).
    case action(Pending)
    /// Throwing away an unsent draft.
    case discard(DraftKey)
    /// Quitting with unsent drafts.
    case quit
    /// Leaving a view with marked cases (the marks are cleared).
    case switchView(QueueView)
    /// Sending a draft to the citizen (`C-s`): the overlay shows its first lines, the
    /// templates used and the status the case goes to.
    case send(DraftKey)
    /// Closing the intake form with something typed in it.
    case discardIntake

    var isSend: Bool { if case .send = self { true } else { false } }
}

/// What the keyboard is talking to right now.
public enum Mode: Equatable, Sendable {
    case normal
    /// `/` search: filters as you type; Esc restores `previous`.
    case search(TextEditor, previous: String)
    case command(TextEditor)
    case prompt(PromptState)
    case picker(Picker)
    case menu(Menu)
    case confirm(ConfirmSubject)
    case rating(RatingForm)
    /// The help overlay, listing the keys of the contexts that were active when it opened.
    case help(scroll: Int, contexts: [KeyContext])
}

/// One action to run on one case.
public struct PerformRequest: Equatable, Sendable {
    public var caseId: Int64
    public var code: String
    public var action: Action
    public var expectedVersion: Int?
    public init(caseId: Int64, code: String, action: Action, expectedVersion: Int?) {
        self.caseId = caseId; self.code = code; self.action = action; self.expectedVersion = expectedVersion
    }
}

/// What happened to one `PerformRequest`.
public struct PerformOutcome: Equatable, Sendable {
    public var caseId: Int64
    public var code: String
    public var action: ActionName
    public var updated: Case?
    public var error: Notice?
    public init(caseId: Int64, code: String, action: ActionName, updated: Case?, error: Notice?) {
        self.caseId = caseId; self.code = code; self.action = action; self.updated = updated; self.error = error
    }
}

/// Why a case code is looked up.
public enum ResolvePurpose: Equatable, Sendable {
    case merge(Pending)
    case goto
}

/// Work for the runner. `update` only describes it; `DeskRunner` does it and answers with
/// messages.
public enum DeskEffect: Equatable, Sendable {
    /// Categories and the official's unit, for labels.
    case loadReference
    case loadQueue(QueueRequest)
    case loadCounts
    /// The length of the queue (and the window's place in it), for the header's "18/245".
    case countQueue(QueueCountRequest)
    /// Overdue counts per unit of the official's subtree.
    case loadGroups
    case loadDetail(caseId: Int64)
    case searchOfficials(text: String, withinUnit: Int64?, generation: Int)
    case searchUnits(text: String, within: Int64?, levels: [UnitLevel]?, generation: Int)
    case resolveCase(code: String, purpose: ResolvePurpose)
    case perform([PerformRequest], draft: DraftKey?)
    /// Shows a protected reporter to the official, recording the reveal and its reason.
    case reveal(caseId: Int64, code: String, reason: String)
    /// The figures of the statistics screen.
    case loadStats(StatsRequest)
    /// The drafts this official left unsent in this database (after a crash, a closed
    /// terminal, or simply quitting): answered with `draftsRestored`.
    case loadDrafts
    /// Keeps drafts on disk as they are now; forgets those sent, discarded or emptied.
    case saveDrafts([SavedDraft])
    case deleteDrafts([DraftKey])
    /// Opens the draft in `$VISUAL`/`$EDITOR` (the terminal is handed over meanwhile):
    /// answered with `editedExternally`, or `failed`.
    case editExternally(DraftKey, text: String)
    /// Puts text on the terminal's clipboard (OSC 52), where the terminal allows it.
    case copy(String, code: String, summary: Bool)
    /// Opens the intake form: answered with `intakeOpened` and the session's clock.
    case beginIntake
    /// Wards (communes) matching a name, without accents, or a code.
    case intakeWards(text: String, within: Int64, generation: Int)
    /// Open cases of a ward that look like the petition being taken in.
    case intakeDuplicates(title: String, wardId: Int64, generation: Int)
    /// Takes a case in (`Session.intake`): answered with `takenIn` or `intakeFailed`.
    case takeIn(IntakeDraft)
    /// Starts the guided tour: refused unless the database is a training one; answered with
    /// `tourStarted` (the newest case so far) or `failed`.
    case startTour
    /// Whether a case newer than `baseline` exists that the official may see: answered with
    /// `tourCaseFound`, or nothing.
    case tourLook(baseline: Int64)
    case quit
}

/// Everything that can happen to the desk: keys, and the answers to effects.
public enum DeskMessage: Equatable, Sendable {
    case key(Key)
    case resize(width: Int, height: Int)
    case referenceLoaded(categories: [PaknCore.Category], unit: OrgUnit?, grants: Set<Permission>)
    case queueLoaded(QueuePage)
    case countsLoaded(QueueCounts)
    case queueCounted(QueueCount)
    case groupsLoaded([UnitCount])
    case detailLoaded(CaseDetail, templates: [ReplyTemplate])
    case detailFailed(caseId: Int64, Notice)
    case pickerLoaded(generation: Int, items: [PickerItem])
    case caseResolved(Case, purpose: ResolvePurpose)
    case failed(Notice)
    case performed([PerformOutcome], draft: DraftKey?)
    case revealed(caseId: Int64, Reporter)
    case statsLoaded(generation: Int, StatReport)
    case statsFailed(generation: Int, Notice)
    /// Another official changed the database (the main loop polls `dataVersion()`).
    case dataChanged
    case draftsRestored([SavedDraft])
    case editedExternally(DraftKey, text: String)
    /// Whether the terminal was given the text of a `copy`.
    case copied(code: String, summary: Bool, ok: Bool)
    case intakeOpened(now: Date)
    case intakeWardsLoaded(generation: Int, items: [PickerItem])
    case intakeDuplicatesLoaded(generation: Int, [DuplicateCandidate])
    case takenIn(IntakeOutcome)
    case intakeFailed(Notice)
    /// The tour may begin: cases newer than `baseline` are the class's.
    case tourStarted(baseline: Int64)
    /// The case the tour follows has appeared.
    case tourCaseFound(CaseRef)
}
