import PaknCore

/// Where a key is pressed. Each mode of the desk listens in one or more contexts, most
/// specific first (see `DeskState.contexts`).
public enum KeyContext: String, CaseIterable, Sendable {
    /// Browsing (queue or detail focused): views, actions on cases, search, quit.
    case global
    /// The queue pane has focus.
    case queue
    /// The detail pane has focus.
    case detail
    /// Writing a reply or an internal note.
    case editor
    /// A one-line prompt: search, `:` command, a reason, a case code.
    case prompt
    /// A list that filters as you type (officials, units, categories, wards, templates).
    case picker
    /// A short menu (status actions, case kinds, orders).
    case menu
    /// A yes/no question before a dangerous action.
    case confirm
    /// The rating form.
    case rating
    /// The help overlay.
    case help
    /// The statistics screen (`stats`).
    case stats
    /// The intake form (`intake`): a new case, field by field.
    case intake

    /// In these contexts a key that types text is text, never an action.
    public var typesText: Bool { self == .editor || self == .prompt || self == .picker || self == .intake }

    public func label(_ lang: Lang) -> String { L10n.t("desk.ctx.\(rawValue)", lang) }
}

/// Every action of the desk. The raw value is the name used in the config file's `[keys]`
/// table, in `:` commands and in docs/keybindings.md.
public enum ActionID: String, CaseIterable, Sendable, Codable {
    // Anywhere while browsing
    case quit, help, command, search, reload, back
    case nextPane = "next_pane", prevPane = "prev_pane"
    case viewMine = "view_mine", viewTriage = "view_triage", viewUnassigned = "view_unassigned"
    case viewDueSoon = "view_due_soon", viewOverdue = "view_overdue", viewAwaiting = "view_awaiting"
    case viewAwaitingRating = "view_awaiting_rating", viewAll = "view_all", viewSentUp = "view_sent_up"
    case orderNext = "order_next", sortReverse = "sort_reverse"
    // The guided tour for trainers
    case tour, tourBack = "tour_back", tourSkip = "tour_skip", tourQuit = "tour_quit"
    case searchNext = "search_next", searchPrev = "search_prev"
    case copyCode = "copy_code", copySummary = "copy_summary"
    case filterKind = "filter_kind", filterCategory = "filter_category", filterWard = "filter_ward"
    case filterClear = "filter_clear"
    case groupPrev = "group_prev", groupNext = "group_next"
    case mark, unmarkAll = "unmark_all"
    // Actions on the selected (or marked) cases
    case assign, route, reply, note, notify
    case statusMenu = "status"
    case start, requestInfo = "request_info", resume, reject, escalate, extend, merge, rate, close, reopen
    case reveal
    case intake
    // Lists
    case down, up, pageDown = "page_down", pageUp = "page_up", top, bottom, open
    // Text
    case left, right, lineStart = "line_start", lineEnd = "line_end"
    case backspace, delete, killLine = "kill_line", deleteWord = "delete_word", newline
    case send, leaveEditor = "leave_editor", templates, insertTemplate = "insert_template"
    case discardDraft = "discard_draft"
    case externalEdit = "edit"
    case citizenLang = "citizen_lang"
    // Prompts, pickers, menus, forms
    case accept, cancel, complete, choose, toggle, score
    case yes, no
    case closeHelp = "close_help"
    // The statistics screen
    case stats
    case statsPrev = "stats_prev", statsNext = "stats_next", statsPeriod = "stats_period"
    case statsDimension = "stats_dimension", statsSort = "stats_sort", statsReverse = "stats_reverse"
    case statsDrill = "stats_drill", statsUp = "stats_up", statsCases = "stats_cases", statsClose = "stats_close"
    // The intake form
    case intakeNext = "intake_next", intakePrev = "intake_prev", intakeSave = "intake_save"
    case intakeDuplicate = "intake_duplicate", intakeClose = "intake_close"
}

/// One entry of the registry: what an action is called, where it applies and its default keys.
public struct DeskAction: Sendable {
    public let id: ActionID
    public let contexts: [KeyContext]
    public let defaultKeys: [Key]
    /// For actions whose keys select by position (`choose`, `score`, `insert_template`):
    /// the n-th key means item n.
    public let indexed: Bool
    /// Usable as a `:` command (`:assign`, `:view overdue` → `view_overdue`).
    public let command: Bool

    public init(_ id: ActionID, _ contexts: [KeyContext], _ keys: [String], indexed: Bool = false, command: Bool = true) {
        self.id = id; self.contexts = contexts
        self.defaultKeys = keys.map { name in
            guard let k = Key(name: name) else { preconditionFailure("bad default key \(name) for \(id)") }
            return k
        }
        self.indexed = indexed; self.command = command
    }

    /// The help text, from the catalog (`desk.act.<id>`).
    public func help(_ lang: Lang) -> String { L10n.t("desk.act.\(id.rawValue)", lang) }
}

/// The one registry of desk actions. It drives key dispatch, the `?` overlay, the `:`
/// commands, the `[keys]` config section and docs/keybindings.md.
public enum ActionRegistry {
    static let lists: [KeyContext] = [.queue, .detail, .menu, .help, .rating, .picker, .editor, .stats, .intake]
    static let text: [KeyContext] = [.editor, .prompt, .picker, .intake]

    public static let all: [DeskAction] = [
        DeskAction(.help, [.global, .editor, .stats, .intake], ["?", "F1"]),
        DeskAction(.quit, [.global, .stats], ["q", "C-c"]),
        DeskAction(.command, [.global, .stats], [":"]),
        DeskAction(.search, [.global], ["/"]),
        DeskAction(.back, [.global], ["Esc"]),
        DeskAction(.nextPane, [.global, .editor], ["Tab"]),
        DeskAction(.prevPane, [.global, .editor], ["S-Tab"]),
        DeskAction(.reload, [.global, .stats], ["C-l"]),
        DeskAction(.stats, [.global], ["S"]),

        DeskAction(.viewMine, [.global], ["1"]),
        DeskAction(.viewTriage, [.global], ["2"]),
        DeskAction(.viewUnassigned, [.global], ["3"]),
        DeskAction(.viewDueSoon, [.global], ["4"]),
        DeskAction(.viewOverdue, [.global], ["5"]),
        DeskAction(.viewAwaiting, [.global], ["6"]),
        DeskAction(.viewAwaitingRating, [.global], ["7"]),
        DeskAction(.viewAll, [.global], ["8"]),
        DeskAction(.viewSentUp, [.global], ["9"]),
        DeskAction(.orderNext, [.global], ["o"]),
        DeskAction(.sortReverse, [.global], ["z"]),
        DeskAction(.tour, [.global], []),
        DeskAction(.tourBack, [.global], ["<"]),
        DeskAction(.tourSkip, [.global], [">"]),
        DeskAction(.tourQuit, [.global], ["Q"]),
        DeskAction(.searchNext, [.global], ["n"]),
        // `N` takes a call in (`intake`); the previous match is `p`.
        DeskAction(.searchPrev, [.global], ["p"]),
        DeskAction(.copyCode, [.global], ["y"]),
        DeskAction(.copySummary, [.global], ["Y"]),
        DeskAction(.filterKind, [.global], ["K"]),
        DeskAction(.filterCategory, [.global], ["L"]),
        DeskAction(.filterWard, [.global], ["W"]),
        DeskAction(.filterClear, [.global], ["F"]),
        DeskAction(.groupPrev, [.global], ["["]),
        DeskAction(.groupNext, [.global], ["]"]),
        DeskAction(.mark, [.global], ["Space"]),
        DeskAction(.unmarkAll, [.global], ["u"]),

        DeskAction(.assign, [.global], ["a"]),
        DeskAction(.route, [.global], ["r"]),
        DeskAction(.reply, [.global], ["R"]),
        DeskAction(.note, [.global], ["t"]),
        DeskAction(.notify, [.global], ["T"]),
        DeskAction(.statusMenu, [.global], ["s"]),
        DeskAction(.start, [.global], ["b"]),
        DeskAction(.requestInfo, [.global], ["i"]),
        DeskAction(.resume, [.global], ["I"]),
        DeskAction(.reject, [.global], ["x"]),
        DeskAction(.escalate, [.global], ["e"]),
        DeskAction(.extend, [.global], ["E"]),
        DeskAction(.merge, [.global], ["m"]),
        DeskAction(.rate, [.global], ["v"]),
        DeskAction(.close, [.global], ["c"]),
        DeskAction(.reopen, [.global], ["O"]),
        DeskAction(.reveal, [.global], ["V"]),
        DeskAction(.intake, [.global], ["N"]),

        DeskAction(.down, lists, ["j", "Down"]),
        DeskAction(.up, lists, ["k", "Up"]),
        DeskAction(.pageDown, [.queue, .detail, .menu, .help, .picker, .stats], ["PgDn", "C-f"]),
        DeskAction(.pageUp, [.queue, .detail, .menu, .help, .picker, .stats], ["PgUp", "C-b"]),
        DeskAction(.top, [.queue, .detail, .menu, .help, .stats], ["g", "Home"]),
        DeskAction(.bottom, [.queue, .detail, .menu, .help, .stats], ["G", "End"]),
        DeskAction(.open, [.queue], ["Enter"]),

        DeskAction(.left, text, ["Left"], command: false),
        DeskAction(.right, text, ["Right"], command: false),
        DeskAction(.lineStart, text, ["Home", "C-a"], command: false),
        DeskAction(.lineEnd, text, ["End"], command: false),
        DeskAction(.backspace, text, ["Backspace"], command: false),
        DeskAction(.delete, text, ["Delete", "C-d"], command: false),
        DeskAction(.killLine, text, ["C-k"], command: false),
        DeskAction(.deleteWord, text, ["C-w"], command: false),
        DeskAction(.newline, [.editor, .intake], ["Enter"], command: false),
        DeskAction(.send, [.editor], ["C-s"]),
        DeskAction(.leaveEditor, [.editor], ["Esc"], command: false),
        DeskAction(.templates, [.editor, .prompt], ["C-t"]),
        DeskAction(.insertTemplate, [.editor], ["M-1", "M-2", "M-3", "M-4", "M-5", "M-6", "M-7", "M-8", "M-9"],
                   indexed: true, command: false),
        DeskAction(.discardDraft, [.editor], ["C-x"]),
        DeskAction(.externalEdit, [.editor], ["C-e"]),
        DeskAction(.citizenLang, [.global], []),

        DeskAction(.accept, [.prompt, .picker, .menu, .rating], ["Enter"], command: false),
        DeskAction(.cancel, [.prompt, .picker, .menu, .rating], ["Esc", "C-g"], command: false),
        DeskAction(.complete, [.prompt], ["Tab"], command: false),
        DeskAction(.choose, [.menu], ["1", "2", "3", "4", "5", "6", "7", "8", "9"], indexed: true, command: false),
        DeskAction(.toggle, [.rating], ["Space", "x"], command: false),
        DeskAction(.score, [.rating], ["1", "2", "3", "4", "5"], indexed: true, command: false),
        DeskAction(.yes, [.confirm], ["y", "Y"], command: false),
        DeskAction(.no, [.confirm], ["n", "N", "Esc"], command: false),
        DeskAction(.closeHelp, [.help], ["Esc", "q", "?"], command: false),

        DeskAction(.statsPrev, [.stats], ["["], command: false),
        DeskAction(.statsNext, [.stats], ["]"], command: false),
        DeskAction(.statsPeriod, [.stats], ["p"], command: false),
        DeskAction(.statsDimension, [.stats], ["Tab"], command: false),
        DeskAction(.statsSort, [.stats], ["o"], command: false),
        DeskAction(.statsReverse, [.stats], ["O"], command: false),
        DeskAction(.statsDrill, [.stats], ["Enter"], command: false),
        DeskAction(.statsUp, [.stats], ["Backspace"], command: false),
        DeskAction(.statsCases, [.stats], ["l"], command: false),
        DeskAction(.statsClose, [.stats], ["Esc", "S"], command: false),

        DeskAction(.intakeNext, [.intake], ["Tab"], command: false),
        DeskAction(.intakePrev, [.intake], ["S-Tab"], command: false),
        DeskAction(.intakeSave, [.intake], ["C-s"], command: false),
        DeskAction(.intakeDuplicate, [.intake], ["M-1", "M-2", "M-3", "M-4", "M-5"], indexed: true, command: false),
        DeskAction(.intakeClose, [.intake], ["Esc", "C-g"], command: false),
    ]

    public static let byId: [ActionID: DeskAction] = Dictionary(uniqueKeysWithValues: all.map { ($0.id, $0) })

    public static func action(_ id: ActionID) -> DeskAction { byId[id]! }

    /// The view each `view_*` action shows.
    public static let viewActions: [(ActionID, QueueView)] = [
        (.viewMine, .mine), (.viewTriage, .triage), (.viewUnassigned, .unassigned), (.viewDueSoon, .dueSoon),
        (.viewOverdue, .overdue), (.viewAwaiting, .awaiting), (.viewAwaitingRating, .awaitingRating), (.viewAll, .all),
        (.viewSentUp, .sentUp),
    ]

    public static func viewAction(_ v: QueueView) -> ActionID { viewActions.first { $0.1 == v }!.0 }
    public static func view(for id: ActionID) -> QueueView? { viewActions.first { $0.0 == id }?.1 }
}
