/// Word wrapping by display width (Vietnamese letters are one column, CJK and most emoji
/// two). Text is made terminal-safe first; newlines start new lines.
public enum Wrap {
    /// Wraps `text` into lines of at most `width` columns. Paragraph breaks (`\n`) are kept;
    /// a word longer than the width is cut. Never returns an empty array.
    public static func lines(_ text: String, width: Int) -> [String] {
        guard width > 0 else { return [""] }
        var out: [String] = []
        for p in paragraphs(text) {
            let (safe, simple) = TerminalText.safeAndSimple(String(p))
            if simple {
                // One column per scalar: wrapped as scalars (the same rows, see `StyledText.wrap`).
                let scalars = Array(safe.unicodeScalars)
                for seg in segments(scalars, width: width, widthOf: { _ in 1 }, isSpace: { $0 == " " }) {
                    var end = seg.upperBound
                    while end > seg.lowerBound && scalars[end - 1] == " " { end -= 1 }
                    out.append(StyledText.string(scalars[seg.lowerBound..<end]))
                }
                continue
            }
            let chars = Array(safe)
            for seg in segments(chars, width: width) {
                var s = String(chars[seg])
                while s.hasSuffix(" ") { s.removeLast() }
                out.append(s)
            }
        }
        return out.isEmpty ? [""] : out
    }

    /// The paragraphs of `text` (split at `\n`, a `\r\n` counting as one), empty ones kept.
    /// Most text has neither: then it is returned whole without going through Foundation.
    static func paragraphs(_ text: String) -> [Substring] {
        var hasCR = false, hasLF = false
        for u in text.utf8 {
            if u == 13 { hasCR = true } else if u == 10 { hasLF = true }
        }
        if !hasCR && !hasLF { return [Substring(text)] }
        let t = hasCR ? text.replacingOccurrences(of: "\r\n", with: "\n") : text
        return t.split(separator: "\n", omittingEmptySubsequences: false)
    }

    /// Splits one line of characters into visual rows of at most `width` columns, breaking
    /// after the last space where possible. Every character lands in exactly one segment,
    /// so an editor can map a cursor index to a row. Always at least one segment.
    public static func segments(_ chars: [Character], width: Int) -> [Range<Int>] {
        segments(chars, width: width, widthOf: TerminalText.width, isSpace: { $0 == " " })
    }

    /// The same over any units (characters, or scalars of one-column text) with their
    /// widths; the ranges are indices of `units` (a slice keeps its own).
    static func segments<C: RandomAccessCollection>(_ units: C, width: Int, widthOf: (C.Element) -> Int,
                                                    isSpace: (C.Element) -> Bool) -> [Range<Int>] where C.Index == Int {
        guard width > 0, !units.isEmpty else { return [units.startIndex..<units.endIndex] }
        var out: [Range<Int>] = []
        var start = units.startIndex
        var col = 0
        var lastSpace: Int? = nil // index just after the last space in the current segment
        var i = units.startIndex
        while i < units.endIndex {
            let w = widthOf(units[i])
            if col + w > width && i > start {
                // A space at the break point can stay at the end of this row (it is invisible).
                if isSpace(units[i]) {
                    out.append(start..<(i + 1)); start = i + 1; col = 0; lastSpace = nil; i += 1; continue
                }
                let cut = lastSpace ?? i
                out.append(start..<cut)
                start = cut
                col = 0
                for k in start..<i { col += widthOf(units[k]) }
                lastSpace = nil
                continue
            }
            col += w
            i += 1
            if isSpace(units[i - 1]) { lastSpace = i }
        }
        out.append(start..<units.endIndex)
        return out
    }
}
