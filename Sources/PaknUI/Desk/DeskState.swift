import Foundation
import PaknCore
import PaknStoreAPI

/// Everything the desk shows and remembers. `DeskUpdate.update` changes it; `DeskView`
/// draws it. No I/O here.
public struct DeskState: Equatable, Sendable {
    public var lang: Lang
    /// The acting official.
    public var me: Official
    /// What the official may do, as their session said at the last reload (the menus and
    /// the early refusals follow it; the store decides again at every action).
    public var grants: Set<Permission> = []
    public var myUnit: OrgUnit?
    public var categories: [PaknCore.Category] = []
    public var keyMap: KeyMap
    public var width: Int
    public var height: Int

    public var spec: QueueSpec
    public var queue = QueueWindow()
    /// Bumped by every new queue (view, filter, order); answers to older requests are dropped.
    public var queueGeneration = 0
    public var counts: QueueCounts?
    /// The whole queue's length (`QueueCount`); `totalStale` when it must be counted again
    /// (the data changed), even for the same spec.
    public var queueTotal: QueueTotal?
    public var totalStale = true
    public var groups: [UnitCount] = []

    public var detail: CaseDetail?
    /// A reporter revealed to the official (`reveal`), shown while that case stays selected.
    public var revealed: RevealedReporter?
    public var detailScroll = 0
    public var detailError: Notice?
    public var templates: [ReplyTemplate] = []
    /// The language of text sent to citizens (templates and their fill-ins): Vietnamese
    /// whatever the desk's own language, unless the official switches it (`citizen_lang`).
    public var citizenLang: Lang = .vi
    /// The purpose of the template last inserted into a notice draft (acknowledgement or
    /// acceptance), recorded with the notice.
    public var draftPurpose: [DraftKey: TemplatePurpose] = [:]
    /// The titles of the templates inserted into each draft (shown before it is sent).
    public var draftTemplates: [DraftKey: [String]] = [:]
    /// The case code of each draft (a restored draft's case may not be on screen).
    public var draftCodes: [DraftKey: String] = [:]
    /// The database is a training one (`pakn demo`): a banner says so.
    public var training = false
    /// The queue's columns as the config file orders them (nil: the standard ones).
    public var columns: [QueueColumns.Column]?
    /// Unsent drafts are kept on disk (`DraftStore`): quitting loses none, so it does not ask.
    public var draftsKept = false

    public var focus: Pane = .queue
    public var mode: Mode = .normal
    /// The draft being edited (while the reply pane has focus).
    public var composing: DraftKey?
    /// Unsent drafts, per case and kind. They survive switching cases.
    public var drafts: [DraftKey: TextEditor] = [:]

    /// The templates a draft of `kind` may use, in the citizen's language: an answer for a
    /// reply, an acknowledgement or acceptance for a notice, a request for information.
    public func templates(for kind: DraftKey.Kind) -> [ReplyTemplate] {
        templates.filter { $0.lang == citizenLang && $0.fits(kind.action) }
    }
    /// The version of the case each draft is written against: what the official saw when
    /// they opened the editor. Sending passes it as the expected version, so a change made
    /// meanwhile by someone else (which the desk reloads, unseen behind the editor) is a
    /// conflict to look at, not silently overwritten.
    public var draftBase: [DraftKey: Int] = [:]
    /// Cases marked with Space for bulk assign / route.
    public var marks: [Int64: Target] = [:]

    public var notice: Notice?
    /// The statistics screen, while it is open (it covers the panes).
    public var stats: StatsScreen?
    /// While a statistics figure's cases are listed (`l`): the screen to go back to.
    public var statsReturn: StatsReturn?
    /// The intake form, while it is open (it covers the panes).
    public var intake: IntakeForm?
    /// The kind of period the statistics screen last showed (it opens with it again).
    public var lastStatsKind: StatPeriod.Kind = .month
    public var pickerGeneration = 0
    public var quit = false
    /// The guided tour, while it runs (a panel over the panes says what to do next).
    public var tour: Tour?

    /// Rows fetched per page, and the most rows kept in memory.
    public var pageSize = 100
    public var maxWindow = 300

    public init(me: Official, lang: Lang, keyMap: KeyMap = .standard, width: Int, height: Int, view: QueueView? = nil) {
        self.me = me; self.lang = lang; self.keyMap = keyMap; self.width = width; self.height = height
        self.spec = QueueSpec(view: view ?? DeskState.defaultView(for: me.role))
    }

    /// The view an official starts in: clerks triage, supervisors review overdue work.
    public static func defaultView(for role: Role) -> QueueView {
        switch role {
        case .clerk: .triage
        case .handler: .mine
        case .supervisor: .overdue
        case .admin, .trainer, .viewer: .all
        }
    }

    public var selectedRow: QueueRow? { queue.selectedRow }

    /// How many rows come before the window's first one in the whole list, when known.
    public var windowOffset: Int? {
        if !queue.moreAbove { return 0 }
        if let o = queue.offset { return o }
        if !queue.moreBelow, let t = total, !totalCapped { return max(0, t - queue.rows.count) }
        return nil
    }

    /// The list is longer than its count could say (`QueueCount.capped`).
    public var totalCapped: Bool { queue.moreAbove || queue.moreBelow ? (queueTotal.map { $0.spec == spec && $0.capped } ?? false) : false }

    /// The whole list's length: every row when the window holds them all, else as counted.
    public var total: Int? {
        if queue.loaded && !queue.moreAbove && !queue.moreBelow { return queue.rows.count }
        guard let t = queueTotal, t.spec == spec else { return nil }
        return t.count
    }

    /// The selected row's place in the whole list (1-based), when known.
    public var position: Int? {
        guard selectedRow != nil, let o = windowOffset else { return nil }
        return o + queue.selected + 1
    }

    /// The detail of the selected case, when it is the one loaded.
    public var selectedDetail: CaseDetail? {
        guard let d = detail, let r = selectedRow, d.case.id == r.id else { return nil }
        return d
    }

    public var layout: DeskLayout { DeskLayout(width: width, height: height, composing: composing != nil) }

    /// The key contexts listening now, most specific first.
    public var contexts: [KeyContext] {
        switch mode {
        case .normal:
            if intake != nil { return [.intake] }
            if stats != nil { return [.stats] }
            if composing != nil && focus == .reply { return [.editor] }
            return [focus == .detail ? .detail : .queue, .global]
        case .search, .command, .prompt: return [.prompt]
        case .picker: return [.picker]
        case .menu: return [.menu]
        case .confirm: return [.confirm]
        case .rating: return [.rating]
        case .help: return [.help]
        }
    }

    public func categoryName(_ code: String) -> String {
        categories.first { $0.code == code }?.name(lang) ?? code
    }
}

/// A reporter revealed for one case: kept only while that case is the one on screen.
public struct RevealedReporter: Equatable, Sendable {
    public var caseId: Int64
    public var reporter: Reporter

    /// `d` with the revealed reporter, when it is this case's detail.
    func apply(to d: CaseDetail) -> CaseDetail {
        guard d.case.id == caseId else { return d }
        var d = d
        d.reporter = reporter
        d.reporterMasked = false
        d.reporterRevealed = true
        return d
    }
}
