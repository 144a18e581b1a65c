/// One terminal cell. A wide grapheme (CJK, most emoji) fills two cells: the first holds
/// it, the second is a `continuation` with empty text, so columns never drift.
public struct Cell: Equatable, Sendable {
    public var text: String
    public var role: StyleRole
    public var continuation: Bool

    public init(_ text: String = " ", role: StyleRole = .normal, continuation: Bool = false) {
        self.text = text; self.role = role; self.continuation = continuation
    }

    public static let blank = Cell()
}

/// A cell position: column `x`, row `y`.
public struct GridPoint: Equatable, Sendable {
    public var x: Int
    public var y: Int
    public init(x: Int, y: Int) { self.x = x; self.y = y }
}

/// The whole screen as cells: what `view(state)` returns and what the terminal draws.
/// Tests read it as text, so views are tested without a terminal.
public struct Grid: Equatable, Sendable {
    public let width: Int
    public let height: Int
    public private(set) var cells: [Cell]
    /// Where the terminal should show its cursor (text being typed), or nil to hide it.
    public var cursor: GridPoint?

    public init(width: Int, height: Int) {
        self.width = max(0, width); self.height = max(0, height)
        cells = Array(repeating: .blank, count: self.width * self.height)
    }

    public subscript(x: Int, y: Int) -> Cell {
        get { cells[y * width + x] }
        set { cells[y * width + x] = newValue }
    }

    /// Writes `text` at (x, y) in `role`, clipped to `maxWidth` columns (and the grid).
    /// Unsafe characters are made visible first. Returns the columns used.
    @discardableResult
    public mutating func put(_ text: String, x: Int, y: Int, role: StyleRole = .normal, maxWidth: Int? = nil) -> Int {
        guard y >= 0, y < height, x < width else { return 0 }
        let limit = min(width - max(x, 0), maxWidth ?? Int.max)
        var col = 0
        // Writing over half of a wide character (a dialog drawn over a row) leaves its other
        // half alone in its cell: blanked, so every row still adds up to the width.
        mendLeft(x, y)
        defer { if col > 0 { mendRight(x + col, y) } }
        let (safe, simple) = TerminalText.safeAndSimple(text)
        if simple {
            // One column per scalar: no grapheme breaking (the common case, every frame).
            let row = y * width
            cells.withUnsafeMutableBufferPointer { cells in
                for u in safe.unicodeScalars {
                    if col + 1 > limit { break }
                    let cx = x + col
                    if cx >= 0 { cells[row + cx] = Cell(u.value < 0x80 ? Self.ascii[Int(u.value)] : String(u), role: role) }
                    col += 1
                }
            }
            return col
        }
        for g in safe {
            let w = TerminalText.width(g)
            if w == 0 { continue }
            if col + w > limit { break }
            let cx = x + col
            if cx >= 0 {
                self[cx, y] = Cell(String(g), role: role)
                if w == 2 { self[cx + 1, y] = Cell("", role: role, continuation: true) }
            }
            col += w
        }
        return col
    }

    /// Before cells from `x` on are written: if `x` holds the second half of a wide
    /// character, its first half (at `x - 1`) becomes a blank.
    mutating func mendLeft(_ x: Int, _ y: Int) {
        if x > 0, x < width, cells[y * width + x].continuation { cells[y * width + x - 1] = Cell(" ", role: cells[y * width + x - 1].role) }
    }

    /// After cells up to `end` (exclusive) were written: a second half left at `end`, whose
    /// first half was overwritten, becomes a blank.
    mutating func mendRight(_ end: Int, _ y: Int) {
        if end > 0, end < width, cells[y * width + end].continuation { cells[y * width + end] = Cell(" ", role: cells[y * width + end].role) }
    }

    /// One-character strings for ASCII, made once (a frame writes thousands of them).
    static let ascii: [String] = (0..<128).map { String(Unicode.Scalar(UInt8($0))) }

    /// Copies `row` into row `y` from column `x` (a row drawn before, see `RenderMemo`),
    /// clipped to the grid.
    public mutating func copy(_ row: [Cell], x: Int, y: Int) {
        guard y >= 0, y < height, x >= 0, x < width else { return }
        let n = min(row.count, width - x)
        mendLeft(x, y)
        defer { mendRight(x + n, y) }
        cells.replaceSubrange((y * width + x)..<(y * width + x + n), with: row[0..<n])
    }

    /// Paints `role` over a rectangle of blanks.
    public mutating func fill(x: Int, y: Int, width w: Int, height h: Int, role: StyleRole) {
        for yy in max(0, y)..<min(height, y + h) {
            mendLeft(max(0, x), yy)
            for xx in max(0, x)..<min(width, x + w) { self[xx, yy] = Cell(" ", role: role) }
            mendRight(min(width, x + w), yy)
        }
    }

    /// Sets the role of existing cells (to highlight a row without rewriting its text).
    public mutating func restyle(x: Int, y: Int, width w: Int, role: StyleRole) {
        guard y >= 0, y < height else { return }
        for xx in max(0, x)..<min(width, x + w) { cells[y * width + xx].role = role }
    }

    /// Row `y` as plain text (continuation cells omitted), for tests and text captures.
    public func line(_ y: Int) -> String {
        (0..<width).map { self[$0, y] }.filter { !$0.continuation }.map(\.text).joined()
    }

    public var text: String { (0..<height).map(line).joined(separator: "\n") }
}
