/// A rectangle of the screen.
public struct Rect: Equatable, Sendable {
    public var x: Int, y: Int, width: Int, height: Int
    public init(x: Int, y: Int, width: Int, height: Int) {
        self.x = x; self.y = y; self.width = max(0, width); self.height = max(0, height)
    }
    public static let zero = Rect(x: 0, y: 0, width: 0, height: 0)
    public var maxY: Int { y + height }
    public var maxX: Int { x + width }
}

/// Where each part of the desk goes for a terminal size. Pure, so update (for paging) and
/// view agree.
///
/// - Wide (≥ `wideWidth` columns): the queue over detail | reply, side by side. The queue
///   keeps the whole width, so a wider terminal shows more of its columns, never fewer.
/// - Otherwise: queue over detail; while composing, the reply pane replaces the detail.
/// - Below `minWidth` × `minHeight`: nothing but a "terminal too small" message.
public struct DeskLayout: Equatable, Sendable {
    public static let minWidth = 60
    public static let minHeight = 16
    public static let wideWidth = 140

    public enum Kind: Equatable, Sendable { case tooSmall, stacked, wide }

    public var kind: Kind
    /// Two title rows: official, unit and counts; then the views.
    public var title: Rect
    /// Each pane includes its one-row title line at the top.
    public var queue: Rect
    public var detail: Rect
    public var reply: Rect
    public var status: Rect

    public init(width: Int, height: Int, composing: Bool) {
        let w = max(0, width), h = max(0, height)
        if w < Self.minWidth || h < Self.minHeight {
            kind = .tooSmall
            title = .zero; queue = .zero; detail = .zero; reply = .zero
            status = Rect(x: 0, y: 0, width: w, height: h)
            return
        }
        title = Rect(x: 0, y: 0, width: w, height: 2)
        status = Rect(x: 0, y: h - 1, width: w, height: 1)
        let top = 2, bodyH = h - 3
        if w >= Self.wideWidth {
            kind = .wide
            let qh = max(5, bodyH / 2)
            queue = Rect(x: 0, y: top, width: w, height: qh)
            let dw = (w - 1) * 55 / 100
            detail = Rect(x: 0, y: top + qh, width: dw, height: bodyH - qh)
            reply = Rect(x: dw + 1, y: top + qh, width: w - dw - 1, height: bodyH - qh)
        } else {
            kind = .stacked
            let qh = max(5, bodyH / 2)
            queue = Rect(x: 0, y: top, width: w, height: qh)
            let lower = Rect(x: 0, y: top + qh, width: w, height: bodyH - qh)
            if composing {
                reply = lower; detail = .zero
            } else {
                detail = lower; reply = .zero
            }
        }
    }

    /// Rows of queue entries visible (the pane minus its title line and column header).
    public func queueRows(groupLine: Bool) -> Int { max(1, queue.height - 2 - (groupLine ? 1 : 0)) }

    /// Lines of detail text visible.
    public var detailLines: Int { max(1, detail.height - 1) }

    public var panes: [Pane] {
        switch kind {
        case .tooSmall: return []
        case .wide: return [.queue, .detail, .reply]
        case .stacked: return reply.height > 0 ? [.queue, .reply] : [.queue, .detail]
        }
    }
}
