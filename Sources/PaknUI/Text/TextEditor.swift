/// A small text editor model: logical lines of grapheme clusters and a cursor. Pure and
/// value-typed, so drafts are plain state. Text is kept in NFC: a combining mark typed on
/// its own (NFD input) joins the character before the cursor.
public struct TextEditor: Equatable, Sendable {
    public private(set) var lines: [[Character]]
    /// Cursor line and index (in characters) within that line.
    public private(set) var row: Int
    public private(set) var col: Int
    /// Whether Enter may split lines (a reply) or not (a prompt).
    public let multiline: Bool
    /// The display column vertical moves try to keep.
    private var goalColumn: Int?

    public init(_ text: String = "", multiline: Bool = true) {
        self.multiline = multiline
        let nfc = text.precomposedStringWithCanonicalMapping
        if multiline {
            lines = nfc.replacingOccurrences(of: "\r\n", with: "\n")
                .split(separator: "\n", omittingEmptySubsequences: false).map { Array($0) }
        } else {
            lines = [Array(nfc.replacingOccurrences(of: "\n", with: " "))]
        }
        if lines.isEmpty { lines = [[]] }
        row = lines.count - 1
        col = lines[row].count
    }

    public var text: String { lines.map { String($0) }.joined(separator: "\n") }
    public var isEmpty: Bool { lines.count == 1 && lines[0].isEmpty }
    public var currentLine: [Character] { lines[row] }

    // MARK: Editing

    /// Inserts typed or pasted text at the cursor.
    public mutating func insert(_ typed: String) {
        goalColumn = nil
        var text = typed.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
        if !multiline { text = text.replacingOccurrences(of: "\n", with: " ") }
        let parts = text.split(separator: "\n", omittingEmptySubsequences: false)
        for (i, part) in parts.enumerated() {
            if i > 0 { newline() }
            let clean = String(part).replacingOccurrences(of: "\t", with: " ")
                .filter { !$0.unicodeScalars.contains(where: CitizenTextSafety.isControl) }
            insertInLine(clean)
        }
    }

    private mutating func insertInLine(_ s: String) {
        guard !s.isEmpty else { return }
        var line = lines[row]
        // Re-join with the character before the cursor so a lone combining mark composes
        // with it (e + ◌̂ + ◌́ → ế), then store NFC.
        var prefix = ""
        var start = col
        if col > 0 { prefix = String(line[col - 1]); start = col - 1 }
        let joined = Array((prefix + s).precomposedStringWithCanonicalMapping)
        line.replaceSubrange(start..<col, with: joined)
        lines[row] = line
        col = start + joined.count
    }

    public mutating func newline() {
        goalColumn = nil
        guard multiline else { return }
        let rest = Array(lines[row][col...])
        lines[row].removeSubrange(col...)
        lines.insert(rest, at: row + 1)
        row += 1
        col = 0
    }

    /// Deletes the character before the cursor (joining lines at a line start).
    public mutating func backspace() {
        goalColumn = nil
        if col > 0 {
            lines[row].remove(at: col - 1)
            col -= 1
        } else if row > 0 {
            let line = lines.remove(at: row)
            row -= 1
            col = lines[row].count
            lines[row] += line
        }
    }

    /// Deletes the character under the cursor (joining the next line at a line end).
    public mutating func deleteForward() {
        goalColumn = nil
        if col < lines[row].count {
            lines[row].remove(at: col)
        } else if row + 1 < lines.count {
            let next = lines.remove(at: row + 1)
            lines[row] += next
        }
    }

    /// Deletes from the cursor to the end of the line (or the newline when already there).
    public mutating func killToEnd() {
        goalColumn = nil
        if col < lines[row].count { lines[row].removeSubrange(col...) } else { deleteForward() }
    }

    /// Deletes the word before the cursor.
    public mutating func deleteWordBackward() {
        goalColumn = nil
        if col == 0 { backspace(); return }
        var i = col
        while i > 0 && lines[row][i - 1] == " " { i -= 1 }
        while i > 0 && lines[row][i - 1] != " " { i -= 1 }
        lines[row].removeSubrange(i..<col)
        col = i
    }

    public mutating func clear() { self = TextEditor("", multiline: multiline) }

    // MARK: Moving

    public mutating func left() {
        goalColumn = nil
        if col > 0 { col -= 1 } else if row > 0 { row -= 1; col = lines[row].count }
    }

    public mutating func right() {
        goalColumn = nil
        if col < lines[row].count { col += 1 } else if row + 1 < lines.count { row += 1; col = 0 }
    }

    public mutating func lineStart() { goalColumn = nil; col = 0 }
    public mutating func lineEnd() { goalColumn = nil; col = lines[row].count }
    public mutating func documentStart() { goalColumn = nil; row = 0; col = 0 }
    public mutating func documentEnd() { goalColumn = nil; row = lines.count - 1; col = lines[row].count }

    /// Moves the cursor `by` visual rows (negative: up) when wrapped at `width` columns,
    /// keeping the display column.
    public mutating func moveVertically(by delta: Int, width: Int) {
        let rows = visualRows(width: width)
        let (cur, x) = cursorPosition(in: rows)
        let goal = goalColumn ?? x
        let target = max(0, min(rows.count - 1, cur + delta))
        let r = rows[target]
        var c = r.range.lowerBound
        var colX = 0
        let chars = lines[r.line]
        let end = r.isLastOfLine ? r.range.upperBound : max(r.range.lowerBound, r.range.upperBound - 1)
        while c < end {
            let w = TerminalText.width(chars[c])
            if colX + w > goal { break }
            colX += w
            c += 1
        }
        row = r.line
        col = c
        goalColumn = goal
    }

    // MARK: Layout

    /// One row of the editor as displayed at a given width.
    public struct VisualRow: Equatable, Sendable {
        public var line: Int
        public var range: Range<Int>
        public var isLastOfLine: Bool
    }

    public func visualRows(width: Int) -> [VisualRow] {
        var out: [VisualRow] = []
        for (i, chars) in lines.enumerated() {
            let segs = Wrap.segments(chars, width: max(1, width))
            for (j, s) in segs.enumerated() {
                out.append(VisualRow(line: i, range: s, isLastOfLine: j == segs.count - 1))
            }
        }
        return out
    }

    /// The cursor's visual row index and display column for `rows`.
    public func cursorPosition(in rows: [VisualRow]) -> (row: Int, x: Int) {
        for (i, r) in rows.enumerated() where r.line == row {
            let inside = r.range.contains(col) || (r.isLastOfLine && col == r.range.upperBound)
            if inside {
                let x = lines[row][r.range.lowerBound..<col].reduce(0) { $0 + TerminalText.width($1) }
                return (i, x)
            }
        }
        return (max(0, rows.count - 1), 0)
    }

    public func cursorPosition(width: Int) -> (row: Int, x: Int) { cursorPosition(in: visualRows(width: width)) }
}

/// Control characters never enter a draft (the terminal backend sends controls as keys).
enum CitizenTextSafety {
    static func isControl(_ s: Unicode.Scalar) -> Bool {
        s.value < 0x20 || (0x7F..<0xA0).contains(s.value) || (0x202A...0x202E).contains(s.value)
            || (0x2066...0x2069).contains(s.value)
    }
}
