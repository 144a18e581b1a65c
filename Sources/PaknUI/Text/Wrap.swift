/// Word wrapping by display width (Vietnamese letters are one column, CJK and most emoji
/// two). Text is made terminal-safe first; newlines start new lines.
public enum Wrap {
    /// Wraps `text` into lines of at most `width` columns. Paragraph breaks (`\n`) are kept;
    /// a word longer than the width is cut. Never returns an empty array.
    public static func lines(_ text: String, width: Int) -> [String] {
        guard width > 0 else { return [""] }
        var out: [String] = []
        for p in paragraphs(text) {
            let chars = Array(TerminalText.safe(String(p)))
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
        guard width > 0, !chars.isEmpty else { return [0..<chars.count] }
        var out: [Range<Int>] = []
        var start = 0
        var col = 0
        var lastSpace: Int? = nil // index just after the last space in the current segment
        var i = 0
        while i < chars.count {
            let w = TerminalText.width(chars[i])
            if col + w > width && i > start {
                // A space at the break point can stay at the end of this row (it is invisible).
                if chars[i] == " " {
                    out.append(start..<(i + 1)); start = i + 1; col = 0; lastSpace = nil; i += 1; continue
                }
                let cut = lastSpace ?? i
                out.append(start..<cut)
                start = cut
                col = chars[start..<i].reduce(0) { $0 + TerminalText.width($1) }
                lastSpace = nil
                continue
            }
            col += w
            i += 1
            if chars[i - 1] == " " { lastSpace = i }
        }
        out.append(start..<chars.count)
        return out
    }
}
