import Foundation
import PaknCore
import PaknStoreAPI

/// A response document, written as JSON or as XML (Open311 serves both): an object's fields
/// keep their order; a list has the XML names of its root and of each item.
public indirect enum Document: Sendable, Equatable {
    case object([(String, Document)])
    case list(root: String, item: String, [Document])
    case string(String)
    case int(Int)
    case double(Double)
    case bool(Bool)
    case null

    public static func == (a: Document, b: Document) -> Bool { a.json == b.json }

    public static func string(_ s: String?) -> Document { s.map(Document.string) ?? .null }

    /// JSON: DEL, C1 controls and bidi overrides as \u escapes too (`SafeText.escapeJSON`).
    public var json: String {
        var out = ""
        write(json: &out)
        return SafeText.escapeJSON(out)
    }

    /// XML with its declaration; `root`: the element name for an object at the top.
    public func xml(root: String = "response") -> String {
        var out = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
        write(xml: &out, name: root)
        return out
    }

    private func write(json out: inout String) {
        switch self {
        case let .object(fields):
            out += "{"
            for (i, (k, v)) in fields.enumerated() {
                if i > 0 { out += "," }
                Self.quote(k, into: &out); out += ":"; v.write(json: &out)
            }
            out += "}"
        case let .list(_, _, items):
            out += "["
            for (i, v) in items.enumerated() {
                if i > 0 { out += "," }
                v.write(json: &out)
            }
            out += "]"
        case let .string(s): Self.quote(s, into: &out)
        case let .int(n): out += String(n)
        case let .double(d): out += d.isFinite ? String(d) : "null"
        case let .bool(b): out += b ? "true" : "false"
        case .null: out += "null"
        }
    }

    private func write(xml out: inout String, name: String) {
        switch self {
        case let .object(fields):
            out += "<\(name)>"
            for (k, v) in fields { v.write(xml: &out, name: k) }
            out += "</\(name)>"
        case let .list(root, item, items):
            // A list inside an object is named by its field; at the top, by its root.
            let n = name == "response" ? root : name
            out += "<\(n)>"
            for v in items { v.write(xml: &out, name: item) }
            out += "</\(n)>"
        case let .string(s): out += "<\(name)>\(Self.escapeXML(s))</\(name)>"
        case let .int(n): out += "<\(name)>\(n)</\(name)>"
        case let .double(d): out += "<\(name)>\(d)</\(name)>"
        case let .bool(b): out += "<\(name)>\(b)</\(name)>"
        case .null: out += "<\(name)/>"
        }
    }

    static func quote(_ s: String, into out: inout String) {
        out += "\""
        // Most text needs no escape: appended whole.
        if !s.utf8.contains(where: { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C }) {
            out += s
            out += "\""
            return
        }
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if u.value < 0x20 { out += String(format: "\\u%04x", u.value) } else { out.unicodeScalars.append(u) }
            }
        }
        out += "\""
    }

    /// Text for XML: markup escaped; characters XML 1.0 cannot carry (C0 but tab and
    /// newline) and bidi overrides written as visible replacements.
    static func escapeXML(_ s: String) -> String {
        var out = ""
        for u in s.unicodeScalars {
            switch u {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            default:
                if (u.value < 0x20 && u != "\n" && u != "\t") || u.value == 0x7F || (0x80...0x9F).contains(u.value) || SafeText.isBidi(u) {
                    out += String(format: "&#x%X;", 0xFFFD)
                } else {
                    out.unicodeScalars.append(u)
                }
            }
        }
        return out
    }
}

/// W3C dates (ISO 8601) in Vietnam's time, +07:00, as Open311 asks.
public enum W3CDate {
    static let offset = 7 * 3600

    public static func format(_ d: Date) -> String {
        let t = Int(d.timeIntervalSince1970.rounded(.down)) + offset
        let days = t >= 0 ? t / 86400 : (t - 86399) / 86400
        let secs = t - days * 86400
        let (y, m, dd) = civil(days)
        return Day.padded(y, 4) + "-" + Day.padded(m, 2) + "-" + Day.padded(dd, 2) + "T" + Day.padded(secs / 3600, 2) + ":"
            + Day.padded(secs / 60 % 60, 2) + ":" + Day.padded(secs % 60, 2) + "+07:00"
    }

    /// A W3C date with or without time and offset ("2026-12-01", "2026-12-01T08:00:00+07:00",
    /// "…Z"); a day or a time without offset is Vietnam's.
    public static func parse(_ s: String) -> Date? {
        let b = Array(s.utf8)
        func num(_ r: Range<Int>) -> Int? {
            guard r.upperBound <= b.count else { return nil }
            var n = 0
            for i in r { guard (48...57).contains(b[i]) else { return nil }; n = n * 10 + Int(b[i] - 48) }
            return n
        }
        guard b.count >= 10, b[4] == 45, b[7] == 45, let y = num(0..<4), let m = num(5..<7), let d = num(8..<10),
              (1...12).contains(m), (1...31).contains(d) else { return nil }
        var secs = 0, off = offset, i = 10
        if b.count > 10 {
            guard b[10] == 84 || b[10] == 32, let h = num(11..<13), b.count >= 16, b[13] == 58, let mi = num(14..<16),
                  h < 24, mi < 60 else { return nil }
            secs = h * 3600 + mi * 60
            i = 16
            if b.count >= 19, b[16] == 58 {
                guard let sec = num(17..<19), sec < 61 else { return nil }
                secs += sec; i = 19
                if i < b.count, b[i] == 46 { i += 1; while i < b.count, (48...57).contains(b[i]) { i += 1 } }
            }
            if i < b.count {
                if b[i] == 90, i + 1 == b.count { off = 0 }
                else if (b[i] == 43 || b[i] == 45), b.count == i + 6, let oh = num(i + 1..<i + 3), b[i + 3] == 58,
                        let om = num(i + 4..<i + 6) {
                    off = (oh * 3600 + om * 60) * (b[i] == 43 ? 1 : -1)
                } else { return nil }
            }
        }
        return Date(timeIntervalSince1970: TimeInterval(daysFromCivil(y, m, d) * 86400 + secs - off))
    }

    static func civil(_ z0: Int) -> (Int, Int, Int) {
        let z = z0 + 719468
        let era = (z >= 0 ? z : z - 146096) / 146097
        let doe = z - era * 146097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }

    static func daysFromCivil(_ y0: Int, _ m: Int, _ d: Int) -> Int {
        let y = m <= 2 ? y0 - 1 : y0
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146097 + doe - 719468
    }
}
