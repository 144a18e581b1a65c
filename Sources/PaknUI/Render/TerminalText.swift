import Foundation

/// Display width and safety of text on a terminal, per grapheme cluster.
public enum TerminalText {
    /// Columns a grapheme takes: 0 (controls and lone marks), 1, or 2 (East Asian wide,
    /// emoji presentation). Vietnamese precomposed or combining: 1.
    public static func width(_ g: Character) -> Int {
        // Fast paths (every frame measures thousands of characters): ASCII, and single
        // precomposed Latin letters such as Vietnamese ones.
        if let a = g.asciiValue { return a >= 0x20 && a != 0x7F ? 1 : 0 }
        let scalars = g.unicodeScalars
        guard let first = scalars.first else { return 0 }
        if scalars.index(after: scalars.startIndex) == scalars.endIndex {
            let v = first.value
            if (0xA0..<0x0300).contains(v) && v != 0xAD { return 1 }
            if (0x1E00...0x1EFF).contains(v) { return 1 }
        }
        if g.unicodeScalars.count == 1 {
            let v = first.value
            if v < 0x20 || (0x7F..<0xA0).contains(v) { return 0 }
            switch first.properties.generalCategory {
            case .nonspacingMark, .enclosingMark, .format: return 0
            default: break
            }
        }
        if g.unicodeScalars.contains(where: { $0.value == 0xFE0F }) { return 2 }
        if first.properties.isEmojiPresentation { return 2 }
        return isWide(first.value) ? 2 : 1
    }

    public static func width(_ s: String) -> Int {
        if isSimple(s) { return s.unicodeScalars.count }
        return s.reduce(0) { $0 + width($1) }
    }

    /// Whether every scalar of `s` is a grapheme of its own one column wide (printable
    /// ASCII, precomposed Latin letters and signs as Vietnamese uses them): then widths and
    /// cells can be counted by scalar, without grapheme breaking, with the same result as
    /// `width(_: Character)` gives (a test compares them).
    public static func isSimple(_ s: String) -> Bool {
        for u in s.utf8 where u >= 0x80 {
            return s.unicodeScalars.allSatisfy { u in
                let v = u.value
                return (v >= 0x20 && v < 0x7F) || (v >= 0xA0 && v < 0x300 && v != 0xAD) || (v >= 0x1E00 && v <= 0x1EFF)
                    || isNarrowSymbol(v)
            }
        }
        return s.utf8.allSatisfy { $0 >= 0x20 && $0 < 0x7F }
    }

    /// Symbols the desk draws on every frame that are one column and never join a
    /// neighbour: dashes, quotes and "…" (U+2010–2027), box drawing (U+2500–257F), and
    /// geometric shapes up to U+25FC (▲ ▼ ●; U+25FD–25FE are emoji, two columns).
    static func isNarrowSymbol(_ v: UInt32) -> Bool {
        (v >= 0x2010 && v <= 0x2027) || (v >= 0x2500 && v <= 0x257F) || (v >= 0x25A0 && v <= 0x25FC)
    }

    static func isWide(_ v: UInt32) -> Bool {
        switch v {
        case 0x1100...0x115F, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF,
             0xA000...0xA4CF, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60,
             0xFFE0...0xFFE6, 0x1F300...0x1F64F, 0x1F900...0x1F9FF, 0x20000...0x2FFFD, 0x30000...0x3FFFD:
            return true
        default:
            return false
        }
    }

    /// `safe(s)` and whether it is one-column text (`isSimple`). One-column text is always
    /// safe as it is (every scalar `isSimple` allows, `isPlainlySafe` allows too), so the
    /// common case takes one pass.
    static func safeAndSimple(_ s: String) -> (text: String, simple: Bool) {
        if isSimple(s) { return (s, true) }
        let t = safe(s)
        return (t, isSimple(t))
    }

    /// Citizen text made safe to draw: NFC, controls and escape sequences shown as visible
    /// symbols (␛, ␀, …), bidi overrides dropped, tabs and newlines as spaces.
    public static func safe(_ s: String) -> String {
        if isPlainlySafe(s) { return s }
        var out = String.UnicodeScalarView()
        for u in s.precomposedStringWithCanonicalMapping.unicodeScalars {
            switch u.value {
            case 0x09, 0x0A, 0x0D: out.append(" ")
            case 0x00...0x1F: out.append(Unicode.Scalar(0x2400 + u.value)!)
            case 0x7F: out.append("\u{2421}")
            case 0x80...0x9F: out.append("\u{FFFD}")
            case 0x202A...0x202E, 0x2066...0x2069, 0x200E, 0x200F, 0x061C: continue
            default: out.append(u)
            }
        }
        return String(out)
    }

    /// Whether `safe` would return `s` unchanged, decided without normalizing: every scalar
    /// is printable and can neither compose with a neighbour nor reorder text (ASCII, Latin
    /// letters with precomposed marks as Vietnamese uses them, common punctuation, arrows,
    /// box drawing and shapes, CJK ideographs). Anything else takes the full path.
    static func isPlainlySafe(_ s: String) -> Bool {
        for u in s.unicodeScalars {
            switch u.value {
            case 0x2329, 0x232A:
                return false // NFC maps these angle brackets to U+3008, U+3009
            case 0x20..<0x7F, 0xA0..<0x0300, 0x1E00...0x1EFF, 0x2010...0x2027, 0x2030...0x205E, 0x2190...0x2BFF,
                 0x3000...0x3029, 0x4E00...0x9FFF:
                continue
            default:
                return false
            }
        }
        return true
    }

    /// Cuts to `columns`, ending in "…" when cut.
    public static func truncate(_ s: String, to columns: Int) -> String {
        guard columns > 0 else { return "" }
        let (safe, simple) = safeAndSimple(s)
        if simple {
            // One column per scalar (see `isSimple`): cut by scalars, no grapheme breaking.
            guard let keep = simpleCut(safe, columns) else { return safe }
            return String(safe.unicodeScalars[..<keep]) + "…"
        }
        if width(safe) <= columns { return safe }
        var out = ""
        var col = 0
        for g in safe {
            let w = width(g)
            if col + w > columns - 1 { break }
            out.append(g)
            col += w
        }
        return out + "…"
    }

    /// Where one-column text of more than `columns` scalars is cut (after `columns - 1` of
    /// them, to leave room for "…"), or nil when it fits. Walks no further than `columns + 1`
    /// scalars.
    static func simpleCut(_ safe: String, _ columns: Int) -> String.Index? {
        let scalars = safe.unicodeScalars
        guard let keep = scalars.index(scalars.startIndex, offsetBy: columns - 1, limitedBy: scalars.endIndex),
              keep != scalars.endIndex, scalars.index(after: keep) != scalars.endIndex else { return nil }
        return keep
    }

    /// Pads with spaces to exactly `columns` (truncating when longer).
    public static func pad(_ s: String, to columns: Int) -> String {
        guard columns > 0 else { return "" }
        let (safe, simple) = safeAndSimple(s)
        if simple {
            // One column per scalar: cut, or count once and fill.
            if let keep = simpleCut(safe, columns) { return String(safe.unicodeScalars[..<keep]) + "…" }
            let used = safe.unicodeScalars.count
            return used == columns ? safe : safe + String(repeating: " ", count: columns - used)
        }
        let t = truncate(safe, to: columns)
        return t + String(repeating: " ", count: max(0, columns - width(t)))
    }
}
