import Foundation
import PaknCore

/// A run of text in one role.
public struct Span: Equatable, Sendable {
    public var text: String
    public var role: StyleRole
    public init(_ text: String, _ role: StyleRole = .normal) { self.text = text; self.role = role }
}

/// One screen line made of spans.
public typealias StyledLine = [Span]

public enum StyledText {
    /// Wraps spans to `width` columns by display width, breaking after spaces where it can.
    /// A `\n` inside a span starts a new line. Text is made terminal-safe.
    ///
    /// A paragraph of one-column text (`TerminalText.isSimple`: nearly all Vietnamese text)
    /// is wrapped as Unicode scalars, each one column; anything else as grapheme clusters
    /// with their widths. Both give what the grapheme path alone gave (`WrapTests`).
    public static func wrap(_ spans: [Span], width: Int, indent: Int = 0) -> [StyledLine] {
        var out: [StyledLine] = []
        var para = Paragraph()
        for span in spans {
            for (pi, p) in Wrap.paragraphs(span.text).enumerated() {
                if pi > 0 { para.flush(into: &out, width: width, indent: indent) }
                let (text, simple) = TerminalText.safeAndSimple(String(p))
                para.append(text, simple: simple, span.role)
            }
        }
        para.flush(into: &out, width: width, indent: indent)
        return out
    }

    /// The text of one paragraph being gathered for `wrap`, with the role of each unit:
    /// scalars while every piece is one-column text, grapheme clusters from the first piece
    /// that is not.
    struct Paragraph {
        var scalars: [Unicode.Scalar] = []
        var chars: [Character]?
        var roles: [StyleRole] = []

        mutating func append(_ text: String, simple: Bool, _ role: StyleRole) {
            if chars == nil && simple {
                let before = scalars.count
                scalars.append(contentsOf: text.unicodeScalars)
                roles.append(contentsOf: repeatElement(role, count: scalars.count - before))
                return
            }
            if chars == nil { chars = scalars.map(Character.init) }
            let cs = Array(text)
            chars!.append(contentsOf: cs)
            roles.append(contentsOf: repeatElement(role, count: cs.count))
        }

        mutating func flush(into out: inout [StyledLine], width: Int, indent: Int) {
            if let chars {
                lines(chars, into: &out, width: width, indent: indent, widthOf: TerminalText.width,
                      isSpace: { $0 == " " }, string: StyledText.string)
            } else {
                lines(scalars, into: &out, width: width, indent: indent, widthOf: { _ in 1 },
                      isSpace: { $0 == " " }, string: StyledText.string)
            }
            scalars.removeAll(keepingCapacity: true)
            chars = nil
            roles.removeAll(keepingCapacity: true)
        }

        private func lines<U>(_ units: [U], into out: inout [StyledLine], width: Int, indent: Int,
                              widthOf: (U) -> Int, isSpace: (U) -> Bool, string: (ArraySlice<U>) -> String) {
            // The first row gets the full width; continuation rows are indented.
            var segs = Wrap.segments(units, width: max(1, width), widthOf: widthOf, isSpace: isSpace)
            let indented = indent > 0 && width - indent >= 8
            if indented && segs.count > 1 {
                let head = segs[0]
                segs = [head] + Wrap.segments(units[head.upperBound...], width: width - indent, widthOf: widthOf, isSpace: isSpace)
            }
            for (n, seg) in segs.enumerated() {
                var line: StyledLine = []
                if n > 0 && indented { line.append(Span(String(repeating: " ", count: indent))) }
                var i = seg.lowerBound
                var end = seg.upperBound
                while end > i && isSpace(units[end - 1]) && n < segs.count - 1 { end -= 1 }
                while i < end {
                    let role = roles[i]
                    var j = i
                    while j < end && roles[j] == role { j += 1 }
                    line.append(Span(string(units[i..<j]), role))
                    i = j
                }
                out.append(line)
            }
        }
    }

    /// The characters as a string, through their UTF-8 bytes (building a string by
    /// appending characters one at a time checks grapheme boundaries at each).
    static func string(_ chars: ArraySlice<Character>) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(chars.count * 3)
        for c in chars { bytes.append(contentsOf: c.utf8) }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The scalars as a string, encoded to UTF-8 in one buffer (appending scalars to a
    /// `String.UnicodeScalarView` one at a time costs ~15 times more).
    static func string(_ scalars: ArraySlice<Unicode.Scalar>) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(scalars.count * 3)
        for u in scalars {
            let v = u.value
            if v < 0x80 {
                bytes.append(UInt8(v))
            } else if v < 0x800 {
                bytes.append(UInt8(0xC0 | (v >> 6)))
                bytes.append(UInt8(0x80 | (v & 0x3F)))
            } else if v < 0x10000 {
                bytes.append(UInt8(0xE0 | (v >> 12)))
                bytes.append(UInt8(0x80 | ((v >> 6) & 0x3F)))
                bytes.append(UInt8(0x80 | (v & 0x3F)))
            } else {
                bytes.append(UInt8(0xF0 | (v >> 18)))
                bytes.append(UInt8(0x80 | ((v >> 12) & 0x3F)))
                bytes.append(UInt8(0x80 | ((v >> 6) & 0x3F)))
                bytes.append(UInt8(0x80 | (v & 0x3F)))
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    public static func width(_ line: StyledLine) -> Int { line.reduce(0) { $0 + TerminalText.width($1.text) } }
}

extension Grid {
    /// Draws a styled line at (x, y), clipped to `width` columns. Returns the columns used.
    @discardableResult
    public mutating func put(_ line: StyledLine, x: Int, y: Int, width: Int) -> Int {
        var col = 0
        for span in line {
            guard col < width else { break }
            col += put(span.text, x: x + col, y: y, role: span.role, maxWidth: width - col)
        }
        return col
    }
}

/// How dates, deadlines and names look on the desk.
public enum DeskFormat {
    /// `dd/MM/yyyy HH:mm`, Vietnam time.
    public static func dateTime(_ d: Date) -> String {
        let (day, time) = dayAndTime(d)
        return day.vietnamese + " " + time
    }

    /// `dd/MM/yy HH:mm`, for the history where the year is rarely needed.
    public static func shortDateTime(_ d: Date) -> String {
        let (day, time) = dayAndTime(d)
        let year = Day.padded(day.year, 4)
        return Day.padded(day.dayOfMonth, 2) + "/" + Day.padded(day.month, 2) + "/" + String(year.suffix(2)) + " " + time
    }

    /// The Vietnamese day of an instant and its time of day, `HH:mm`.
    static func dayAndTime(_ d: Date) -> (Day, String) {
        let secs = Int((d.timeIntervalSince1970 + Day.vietnamOffset).rounded(.down))
        let day = Day(d)
        let rem = secs - day.ordinal * 86400
        return (day, Day.padded(rem / 3600, 2) + ":" + Day.padded(rem / 60 % 60, 2))
    }

    /// Remaining days or lateness as the official reads it: "còn 5 ngày", "quá hạn 3 ngày".
    /// The same words as the CLI (`DeadlineStatus.text`): one day or several, working days or not.
    public static func deadline(_ d: DeadlineStatus, _ lang: Lang) -> String { d.text(lang) }

    public static func role(_ state: DueState) -> StyleRole {
        switch state {
        case .ok: .deadlineOk
        case .dueSoon: .deadlineDueSoon
        case .overdue: .deadlineOverdue
        case .paused: .deadlinePaused
        case .done: .deadlineDone
        }
    }

    public static func size(_ bytes: Int64) -> String {
        if bytes < 1024 { return "\(bytes) B" }
        if bytes < 1024 * 1024 { return "\(bytes / 1024) KB" }
        return String(format: "%.1f MB", Double(bytes) / 1_048_576)
    }
}
