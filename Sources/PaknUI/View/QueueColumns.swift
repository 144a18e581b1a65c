import PaknCore

/// The queue's columns for a pane width. Fixed columns first (so the deadline sits at the
/// same x on every row), optional ones in `priority` order while the title keeps room, the
/// title last with all the width that is left.
public struct QueueColumns: Equatable, Sendable {
    public enum Column: String, CaseIterable, Sendable {
        case mark, code, deadline, status, kind, category, place, assignee, title
    }

    public static let widths: [Column: Int] = [
        .mark: 2, .code: 15, .deadline: 22, .status: 13, .kind: 12, .category: 16, .place: 18, .assignee: 16,
    ]
    static let minTitle = 20
    /// Which optional columns are added first when there is room.
    static let priority: [Column] = [.status, .place, .assignee, .kind, .category]

    public private(set) var columns: [Column]
    public private(set) var x: [Column: Int] = [:]
    public private(set) var titleWidth: Int
    /// The place column shows where the case is handled now, not its ward (the "Sent up"
    /// view: where each case went).
    public var placeIsUnit = false

    /// The columns of the desk's queue pane: the config file's choice, the view's place.
    public init(_ s: DeskState, width: Int) {
        let sentUp = s.spec.view == .sentUp && s.spec.single == nil
        self.init(width: width, preferred: s.columns, placeFirst: sentUp)
        placeIsUnit = sentUp
    }

    /// `preferred`: the columns the config file asks for (`columns = [...]`), in its order;
    /// the code and the title are always there. Without it: code, deadline, then the
    /// optional columns in `priority` order.
    /// `placeFirst`: the place is the first optional column (where a sent-up case is now).
    public init(width: Int, preferred: [Column]? = nil, placeFirst: Bool = false) {
        let wanted: [Column]
        if let p = preferred {
            var w: [Column] = []
            for c in [.code] + p where c != .mark && c != .title && !w.contains(c) { w.append(c) }
            wanted = w
        } else {
            wanted = [.code, .deadline] + (placeFirst ? [.place] + Self.priority.filter { $0 != .place } : Self.priority)
        }
        // The first ones always (the code, and the deadline unless left out); then, as a
        // prefix of the rest, what leaves the title room — a wider pane shows the same
        // columns and more, never fewer.
        let fixed = preferred == nil ? 2 : 1
        var chosen: [Column] = [.mark]
        var used = Self.widths[.mark]!
        for (i, c) in wanted.enumerated() {
            let w = Self.widths[c]! + 1
            guard i < fixed || width - used - w >= Self.minTitle else { break }
            chosen.append(c)
            used += w
        }
        columns = preferred == nil ? Column.allCases.filter { chosen.contains($0) || $0 == .title } : chosen + [.title]
        var pos = 0
        for c in columns {
            x[c] = pos
            if c == .title { break }
            pos += Self.widths[c]! + (c == .mark ? 0 : 1)
        }
        titleWidth = max(0, width - pos)
    }

    public func width(_ c: Column) -> Int { c == .title ? titleWidth : Self.widths[c]! }

    /// The short status and kind labels, looked up once (every new row shows two).
    static let statusShort: [Lang: [CaseStatus: String]] = Dictionary(uniqueKeysWithValues: Lang.allCases.map { lang in
        (lang, Dictionary(uniqueKeysWithValues: CaseStatus.allCases.map { ($0, L10n.t("desk.status_short.\($0.rawValue)", lang)) }))
    })
    static let kindShort: [Lang: [CaseKind: String]] = Dictionary(uniqueKeysWithValues: Lang.allCases.map { lang in
        (lang, Dictionary(uniqueKeysWithValues: CaseKind.allCases.map { ($0, L10n.t("desk.kind_short.\($0.rawValue)", lang)) }))
    })

    func cell(_ text: String, _ c: Column, _ role: StyleRole) -> [Span] {
        var spans: [Span] = []
        cell(text, c, role, into: &spans)
        return spans
    }

    /// Appends a column's spans: its text padded to the column, then a space between columns.
    func cell(_ text: String, _ c: Column, _ role: StyleRole, into spans: inout [Span]) {
        let w = width(c)
        guard w > 0 else { return }
        spans.append(Span(TerminalText.pad(text, to: w), role))
        if c != .title && c != .mark { spans.append(Span(" ", role)) }
    }

    /// The column names; the one the queue is sorted by carries ↑ or ↓.
    public func header(_ s: DeskState) -> StyledLine {
        let (sort, descending) = s.spec.sort
        return columns.flatMap { c -> [Span] in
            if c == .mark { return cell("", c, .queueHeader) }
            var name = L10n.t(c == .place && placeIsUnit ? "desk.col.now_at" : "desk.col.\(c.rawValue)", s.lang)
            if sort.column == c {
                name = TerminalText.truncate(name, to: max(0, width(c) - 2)) + " " + (descending ? "↓" : "↑")
            }
            return cell(name, c, .queueHeader)
        }
    }

    public func row(_ r: QueueRow, _ s: DeskState, base: StyleRole, marked: Bool) -> StyledLine {
        let lang = s.lang
        var line: StyledLine = []
        line.reserveCapacity(columns.count * 2)
        for c in columns {
            switch c {
            case .mark:
                let draft = s.drafts.keys.contains { $0.caseId == r.id }
                cell(marked ? "●" : (draft ? "✎" : ""), c, base, into: &line)
            case .code: cell(r.code, c, base, into: &line)
            case .deadline:
                // A due day past the holiday calendar: a marker after the days left (the
                // detail pane says why).
                var text = r.deadline.shortText(lang)
                if r.calendarWarning != nil {
                    text = TerminalText.truncate(text, to: max(0, width(c) - 2)) + " " + CalendarWarning.marker
                }
                cell(text, c, DeskFormat.role(r.deadline.state), into: &line)
            case .status: cell(Self.statusShort[lang]![r.status]!, c, base, into: &line)
            case .kind: cell(Self.kindShort[lang]![r.kind]!, c, base, into: &line)
            case .category: cell(s.categoryName(r.category), c, base, into: &line)
            case .place: cell((placeIsUnit ? r.unitName : r.wardName ?? r.unitName) ?? "—", c, base, into: &line)
            case .assignee: cell(r.assigneeName ?? "—", c, base, into: &line)
            case .title: cell(r.title, c, base, into: &line)
            }
        }
        return line
    }
}
