import Foundation
import PaknCore

/// The free text an official types into an action (a reply, a reason, a note) is cleaned
/// like a citizen's: it is stored in the case's history and shown on other officials'
/// terminals.
package enum ActionText {
    package static func clean(_ action: Action) throws -> Action {
        func c(_ s: String, _ field: String) throws -> String {
            let t = CitizenText.clean(s, multiline: true)
            guard t.count <= CitizenText.maxBodyLength else { throw StoreError.tooLong(field: field, max: CitizenText.maxBodyLength) }
            return t
        }
        switch action {
        case let .wait(r, s):
            let line = { (t: String) in CitizenText.clean(t, multiline: false) }
            return .wait(request: try c(r, "request"), suspension: s.map { Suspension(decision: line($0.decision), ground: line($0.ground)) })
        case let .resume(n): return .resume(note: try n.map { try c($0, "note") })
        case let .reply(t): return .reply(text: try c(t, "reply"))
        case let .reject(r): return .reject(reason: try c(r, "reason"))
        case let .reopen(r): return .reopen(reason: try c(r, "reason"))
        case let .transfer(u, r): return .transfer(unitId: u, reason: try c(r, "reason"))
        case let .escalate(u, r): return .escalate(parentUnitId: u, reason: try c(r, "reason"))
        case let .extend(r, late): return .extend(reason: try c(r, "reason"), late: late)
        case let .accept(n): return .accept(note: try n.map { try c($0, "note") })
        case let .markComplex(level, r): return .markComplex(level: level, reason: try c(r, "reason"))
        case let .note(t): return .note(text: try c(t, "note"))
        case let .notify(t, p): return .notify(text: try c(t, "notice"), purpose: p)
        case let .rate(r):
            var r = r
            r.comment = try r.comment.map { try c($0, "comment") }
            return .rate(r)
        case .route, .assign, .start, .close, .merge: return action
        }
    }

    /// A reason an official gives for a reveal, an export or an erasure: one line, required.
    package static func reason(_ s: String?) throws -> String {
        let t = CitizenText.clean(s ?? "", multiline: false)
        guard !t.isEmpty else { throw Message("trust.reason_required") }
        guard t.count <= CitizenText.maxLineFieldLength else {
            throw StoreError.tooLong(field: "reason", max: CitizenText.maxLineFieldLength)
        }
        return t
    }
}

/// Text on its way to a terminal, a CSV file or a JSON document: controls (C0 but newline
/// and tab, DEL, C1) and bidi overrides shown as visible symbols, never sent raw. Stored
/// text is already clean; this keeps output safe even for rows written by other tools.
public enum SafeText {
    public static func scalar(_ u: Unicode.Scalar, keepNewlines: Bool) -> String {
        switch u.value {
        case 0x0A where keepNewlines, 0x09 where keepNewlines: return String(u)
        case 0x00...0x1F: return String(Unicode.Scalar(0x2400 + u.value)!)
        case 0x7F: return "\u{2421}"
        case 0x80...0x9F: return "\u{FFFD}"
        case 0x202A...0x202E, 0x2066...0x2069, 0x200E, 0x200F, 0x061C: return "\u{FFFD}"
        default: return String(u)
        }
    }

    public static func clean(_ s: String, keepNewlines: Bool = true) -> String {
        guard s.unicodeScalars.contains(where: { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) || isBidi($0) }) else { return s }
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for u in s.unicodeScalars { out += scalar(u, keepNewlines: keepNewlines) }
        return out
    }

    public static func isBidi(_ u: Unicode.Scalar) -> Bool {
        switch u.value {
        case 0x202A...0x202E, 0x2066...0x2069, 0x200E, 0x200F, 0x061C: true
        default: false
        }
    }

    /// A JSON document safe for a terminal, for every JSON pakn prints or writes (`export`,
    /// `show --json`, `list --json`, `history --json`, …): JSONEncoder escapes C0 controls
    /// but leaves DEL, C1 controls and bidi overrides raw; these become \u escapes — the
    /// same string to any JSON reader, inert on a terminal.
    public static func json<T: Encodable>(_ value: T, pretty: Bool = false) throws -> String {
        let enc = JSONEncoder()
        enc.outputFormatting = pretty ? [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes] : [.sortedKeys, .withoutEscapingSlashes]
        return escapeJSON(String(decoding: try enc.encode(value), as: UTF8.self))
    }

    /// JSON text with DEL, C1 controls and bidi overrides written as \u escapes. Inside a
    /// JSON string that is the same character; outside strings JSON has none of them.
    public static func escapeJSON(_ text: String) -> String {
        func unsafe(_ u: Unicode.Scalar) -> Bool { (0x7F...0x9F).contains(u.value) || isBidi(u) }
        guard text.unicodeScalars.contains(where: unsafe) else { return text }
        var out = String.UnicodeScalarView()
        for u in text.unicodeScalars {
            if unsafe(u) { out.append(contentsOf: String(format: "\\u%04x", u.value).unicodeScalars) } else { out.append(u) }
        }
        return String(out)
    }

    /// A CSV field (RFC 4180) that a spreadsheet will not run: a leading = + - @ (or a
    /// tab/CR that hides one) gets a ' in front. Checked by Unicode scalar, not by
    /// character: `"` or `=` followed by a combining mark is one Swift Character but still
    /// a quote or an equals sign to a spreadsheet (found by FuzzTests).
    public static func csv(_ s: String) -> String {
        var v = clean(s, keepNewlines: true)
        if let f = v.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(f) { v = "'" + v }
        if v.unicodeScalars.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) {
            var out = String.UnicodeScalarView()
            out.append("\"")
            for u in v.unicodeScalars {
                if u == "\"" { out.append("\"") }
                out.append(u)
            }
            out.append("\"")
            return String(out)
        }
        return v
    }
}
