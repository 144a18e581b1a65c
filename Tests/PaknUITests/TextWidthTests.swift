import Foundation
import PaknCore
import Testing
@testable import PaknUI

/// The fast paths of `TerminalText` must agree with the full rules they skip.
@Suite("Terminal text fast paths")
struct TextWidthTests {
    /// The full path of `safe`, as it was before the fast path.
    static func referenceSafe(_ s: String) -> String {
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

    /// The full path of `width`, without the ASCII and Latin shortcuts.
    /// (One deliberate difference: CR LF, a control pair, is 0 columns, not 1.)
    static func referenceWidth(_ g: Character) -> Int {
        if g == "\r\n" { return 0 }
        guard let first = g.unicodeScalars.first else { return 0 }
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
        return TerminalText.isWide(first.value) ? 2 : 1
    }

    static let samples: [String] = [
        "Rác thải tập kết sai nơi quy định", "Đường Nguyễn Trãi".decomposedStringWithCanonicalMapping,
        "路灯坏了 〈〉 \u{2329}x\u{232A}", "karaoke 🎤🎶 ❤️ 👍🏽", "tab\there\r\nnew\u{1B}[31m\u{7F}\u{85}",
        "bidi \u{202E}abc\u{202C} \u{2067}x\u{2069}", "a\u{0301}e\u{0302}\u{0301} ư\u{031B}", "soft\u{AD}hyphen ½ © ·",
        "─│┌┐└┘ ★☆ ● ✎ ▲▼ … — “quotes”", "한국어 ㄱ\u{1100}\u{1161}", "ǅ Ω K Å ﬁ", "\u{3000}\u{302A}",
        String((0x20..<0x3000).compactMap { Unicode.Scalar($0) }.map(Character.init)),
    ]

    @Test func safeAgreesWithTheFullPath() {
        for s in Self.samples {
            #expect(TerminalText.safe(s) == Self.referenceSafe(s), "\(s.debugDescription)")
            #expect(Array(TerminalText.safe(s).unicodeScalars) == Array(Self.referenceSafe(s).unicodeScalars))
        }
    }

    @Test func stringWidthAndCellsByScalarAgreeWithGraphemes() {
        for s in Self.samples + ["Ngập nước phố Huế", "Đường Láng, số 12", "e\u{0301}", "\u{00AD}x", "a\r\nb", "🇻🇳x",
                                  "Ngập nước…", "─ Tất cả ─┬│", "▲ 12/300+ ▼", "● ◼ ◽◾", "…\u{0301}x", "–—‘’“”•‥"] {
            #expect(TerminalText.width(s) == s.reduce(0) { $0 + TerminalText.width($1) }, "\(s.debugDescription)")
            var fast = Grid(width: 40, height: 1), slow = Grid(width: 40, height: 1)
            fast.put(s, x: 0, y: 0)
            var col = 0
            for g in TerminalText.safe(s) where TerminalText.width(g) > 0 && col + TerminalText.width(g) <= 40 {
                slow[col, 0] = Cell(String(g))
                if TerminalText.width(g) == 2 { slow[col + 1, 0] = Cell("", continuation: true) }
                col += TerminalText.width(g)
            }
            #expect(fast == slow, "\(s.debugDescription)")
        }
    }

    @Test("Symbols counted by scalar are one column and alone in their grapheme")
    func narrowSymbolsAreOneColumn() {
        for v in UInt32(0x2000)...UInt32(0x2600) {
            guard let u = Unicode.Scalar(v), TerminalText.isNarrowSymbol(v) else { continue }
            let c = Character(u)
            #expect(TerminalText.width(c) == 1, "U+\(String(v, radix: 16))")
            #expect(Self.referenceWidth(c) == 1, "U+\(String(v, radix: 16))")
            #expect((String(c) + "a").count == 2 && ("ệ" + String(c) + "…").count == 3, "U+\(String(v, radix: 16))")
        }
    }

    @Test("Truncating by scalar cuts where truncating by grapheme does")
    func truncateFastPathAgrees() {
        func reference(_ s: String, _ columns: Int) -> String {
            let safe = TerminalText.safe(s)
            if safe.reduce(0, { $0 + TerminalText.width($1) }) <= columns { return safe }
            var out = "", col = 0
            for g in safe {
                let w = TerminalText.width(g)
                if col + w > columns - 1 { break }
                out.append(g); col += w
            }
            return out + "…"
        }
        for s in Self.samples + ["Ngập nước phố Huế kéo dài ba ngày…", "─ Tất cả ─┬│", "abc", "", "e\u{0301}e\u{0301}e\u{0301}"] {
            for n in 1...12 {
                #expect(TerminalText.truncate(s, to: n) == reference(s, n), "\(s.debugDescription) to \(n)")
            }
        }
    }

    @Test("Padding by scalar gives what truncating and measuring by grapheme gives")
    func padFastPathAgrees() {
        func reference(_ s: String, _ columns: Int) -> String {
            let t = TerminalText.truncate(s, to: columns)
            return t + String(repeating: " ", count: max(0, columns - t.reduce(0) { $0 + TerminalText.width($1) }))
        }
        for s in Self.samples + ["Ngập nước phố Huế kéo dài ba ngày…", "─ Tất cả ─┬│", "abc", "", " ", "e\u{0301}e\u{0301}",
                                  "HN-2026-000123", "quá hạn 682 ngày", "路灯坏了", "tab\there"] {
            for n in -1...20 {
                #expect(TerminalText.pad(s, to: n) == reference(s, n), "\(s.debugDescription) to \(n)")
            }
        }
    }

    @Test("One-column text is safe as it is: safeAndSimple skips safe() for it")
    func simpleTextIsSafeAsItIs() {
        for v in UInt32(0)..<0x30000 {
            guard let u = Unicode.Scalar(v) else { continue }
            let one = String(u)
            if TerminalText.isSimple(one) { #expect(TerminalText.isPlainlySafe(one) && TerminalText.safe(one) == one) }
        }
        for s in Self.samples + ["Ngập nước", "", "abc", "x\u{1B}y", "e\u{0301}"] {
            let (text, simple) = TerminalText.safeAndSimple(s)
            #expect(text == TerminalText.safe(s) && simple == TerminalText.isSimple(TerminalText.safe(s)), "\(s.debugDescription)")
        }
    }

    @Test func widthAgreesWithTheFullPath() {
        for s in Self.samples {
            for g in s {
                #expect(TerminalText.width(g) == Self.referenceWidth(g), "\(String(g).unicodeScalars.map { String($0.value, radix: 16) })")
            }
        }
    }
}

/// A dialog drawn over half of a wide character (found by the desk fuzzer, seed 18526:
/// "字" typed in a search line under a form's border) must not leave the other half alone
/// in its cell: every row still adds up to the width.
@Suite("Wide characters under an overlay")
struct WideOverlayTests {
    static func columns(_ g: Grid, _ y: Int) -> Int {
        (0..<g.width).map { g[$0, y] }.filter { !$0.continuation }.map { max(1, TerminalText.width($0.text.isEmpty ? " " : $0.text)) }.reduce(0, +)
    }

    @Test func writingOverEitherHalfBlanksTheOther() {
        var g = Grid(width: 10, height: 3)
        for y in 0..<3 { g.put("ab字cd字", x: 0, y: y) }
        g.put("│", x: 3, y: 0)                       // over the second half of the first 字
        g.fill(x: 2, y: 1, width: 1, height: 1, role: .normal)   // over its first half
        g.copy([Cell("x"), Cell("y")], x: 7, y: 2)    // over the second 字's second half and beyond
        #expect(g.line(0) == "ab │cd字  ")
        #expect(g.line(1) == "ab  cd字  ")
        #expect(g.line(2) == "ab字cd xy ")
        for y in 0..<3 { #expect(Self.columns(g, y) == 10, "row \(y)") }
    }
}
