import Foundation
import PaknCore
import PaknDemo
import PaknStore
import Testing
@testable import PaknUI

/// `StyledText.wrap` and `Wrap.lines` wrap one-column text by scalar; they must give what
/// the grapheme path gave for every text (the old code, kept here as the reference).
@Suite("Wrapping fast paths")
struct WrapFastPathTests {
    /// `StyledText.wrap` as it was: every paragraph as grapheme clusters.
    static func referenceWrap(_ spans: [Span], width: Int, indent: Int = 0) -> [StyledLine] {
        var out: [StyledLine] = []
        var chars: [Character] = []
        var roles: [StyleRole] = []
        func flush() {
            var segs = Wrap.segments(chars, width: max(1, width))
            if indent > 0 && segs.count > 1 && width - indent >= 8 {
                let head = segs[0]
                let rest = Array(chars[head.upperBound...])
                segs = [head] + Wrap.segments(rest, width: width - indent).map {
                    ($0.lowerBound + head.upperBound)..<($0.upperBound + head.upperBound)
                }
            }
            for (n, seg) in segs.enumerated() {
                var line: StyledLine = []
                if n > 0 && indent > 0 && width - indent >= 8 { line.append(Span(String(repeating: " ", count: indent))) }
                var i = seg.lowerBound
                var end = seg.upperBound
                while end > i && chars[end - 1] == " " && n < segs.count - 1 { end -= 1 }
                while i < end {
                    let role = roles[i]
                    var j = i
                    while j < end && roles[j] == role { j += 1 }
                    line.append(Span(String(chars[i..<j]), role))
                    i = j
                }
                out.append(line)
            }
            chars = []; roles = []
        }
        for span in spans {
            for (pi, p) in span.text.replacingOccurrences(of: "\r\n", with: "\n")
                .split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                if pi > 0 { flush() }
                let safe = Array(TerminalText.safe(String(p)))
                chars += safe
                roles += Array(repeating: span.role, count: safe.count)
            }
        }
        flush()
        return out
    }

    /// `Wrap.lines` as it was.
    static func referenceLines(_ text: String, width: Int) -> [String] {
        guard width > 0 else { return [""] }
        var out: [String] = []
        for p in text.replacingOccurrences(of: "\r\n", with: "\n").split(separator: "\n", omittingEmptySubsequences: false) {
            let chars = Array(TerminalText.safe(String(p)))
            for seg in Wrap.segments(chars, width: width) {
                var s = String(chars[seg])
                while s.hasSuffix(" ") { s.removeLast() }
                out.append(s)
            }
        }
        return out.isEmpty ? [""] : out
    }

    /// Pieces of text of every kind the desk meets: Vietnamese (precomposed and
    /// decomposed), long words, runs of spaces, CJK, emoji, controls, newlines.
    static let pieces: [String] = [
        "Rác thải tập kết sai nơi quy định trên phố Huế", "Ngập nước ", "đường", " ", "  ", "a", "",
        "Đường Nguyễn Trãi".decomposedStringWithCanonicalMapping, "路灯坏了很久", "karaoke 🎤🎶 ❤️ 👍🏽",
        "tab\there", "một\nhai", "\n", "\r\n", "x\u{1B}[31m", "Trânrọngcảmơnrấtnhiềuvìđãphảnánhkịpthời",
        "12/03/2024 10:05", "— “Tự động” …", "e\u{0301}", "▲▼●", "ǅ ﬁ", "\u{AD}", ".",
    ]
    static let roles: [StyleRole] = [.normal, .detailLabel, .detailValue, .dim, .emphasis]

    @Test func styledWrapEqualsTheGraphemePath() {
        var seed = SeededRandom(seed: 99)
        var mismatches: [String] = []
        for trial in 0..<3_000 {
            let n = Int.random(in: 1...6, using: &seed)
            let spans = (0..<n).map { _ in
                Span((0..<Int.random(in: 1...5, using: &seed)).map { _ in Self.pieces.randomElement(using: &seed)! }.joined(),
                     Self.roles.randomElement(using: &seed)!)
            }
            let width = [1, 2, 5, 8, 9, 10, 13, 20, 30, 47, 80][trial % 11]
            let indent = [0, 2, 4][trial % 3]
            if StyledText.wrap(spans, width: width, indent: indent) != Self.referenceWrap(spans, width: width, indent: indent) {
                mismatches.append("\(spans.map(\.text)) w\(width) i\(indent)")
            }
            let text = spans.map(\.text).joined()
            if Wrap.lines(text, width: width) != Self.referenceLines(text, width: width) {
                mismatches.append("lines \(text.debugDescription) w\(width)")
            }
        }
        #expect(Array(mismatches.prefix(3)) == [], "\(mismatches.count) mismatches")
    }
}
