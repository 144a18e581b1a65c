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
    public static func wrap(_ spans: [Span], width: Int, indent: Int = 0) -> [StyledLine] {
        var out: [StyledLine] = []
        var chars: [Character] = []
        var roles: [StyleRole] = []
        func flush() {
            // The first row gets the full width; continuation rows are indented.
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
                    line.append(Span(string(chars[i..<j]), role))
                    i = j
                }
                out.append(line)
            }
            chars = []; roles = []
        }
        for span in spans {
            for (pi, p) in Wrap.paragraphs(span.text).enumerated() {
                if pi > 0 { flush() }
                let text = TerminalText.safe(String(p))
                // One-column text (see `isSimple`): each scalar is a character of its own, so
                // no grapheme breaking is needed to split it.
                let safe: [Character] = TerminalText.isSimple(text) ? text.unicodeScalars.map(Character.init) : Array(text)
                chars += safe
                roles += Array(repeating: span.role, count: safe.count)
            }
        }
        flush()
        return out
    }

    /// The characters as a string, through their UTF-8 bytes (building a string by
    /// appending characters one at a time checks grapheme boundaries at each).
    static func string(_ chars: ArraySlice<Character>) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(chars.count * 3)
        for c in chars { bytes.append(contentsOf: c.utf8) }
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
        let secs = Int((d.timeIntervalSince1970 + Day.vietnamOffset).rounded(.down))
        let day = Day(d)
        let rem = secs - day.ordinal * 86400
        return String(format: "%@ %02d:%02d", day.vietnamese, rem / 3600, rem / 60 % 60)
    }

    /// `dd/MM HH:mm`, for the history where the year is rarely needed.
    public static func shortDateTime(_ d: Date) -> String {
        let full = dateTime(d)
        // dd/MM/yyyy HH:mm → dd/MM/yy HH:mm
        let parts = full.split(separator: " ")
        let date = parts[0].split(separator: "/")
        return "\(date[0])/\(date[1])/\(date[2].suffix(2)) \(parts[1])"
    }

    /// Remaining days or lateness as the official reads it: "còn 5 ngày", "quá hạn 3 ngày".
    public static func deadline(_ d: DeadlineStatus, _ lang: Lang) -> String {
        switch d.state {
        case .done: return L10n.t("deadline.done", lang)
        case .paused: return L10n.t("deadline.paused", lang)
        case .overdue: return L10n.t("deadline.overdue_days", lang, max(1, -d.daysLeft))
        case .ok, .dueSoon:
            return d.daysLeft <= 0 ? L10n.t("deadline.due_today", lang) : L10n.t("deadline.days_left", lang, d.daysLeft)
        }
    }

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
