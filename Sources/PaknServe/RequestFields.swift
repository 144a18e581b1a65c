import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import PaknCore
import PaknStoreAPI

/// The fields of a POST body, whatever its format: Open311's form encoding
/// (`service_code=…&attribute[kind]=…`), a JSON object (attributes as `"attribute[kind]"` or
/// inside `"attributes": {…}`), or an XML element whose children are the fields. Every value
/// is checked: valid UTF-8, no control character (but newline and tab in a description), no
/// bidi override.
public struct RequestFields: Sendable, Equatable {
    public var values: [String: String]

    public init(_ values: [String: String]) { self.values = values }

    public subscript(_ key: String) -> String? {
        guard let v = values[key]?.trimmingCharacters(in: .whitespacesAndNewlines), !v.isEmpty else { return nil }
        return v
    }

    /// Fields whose text may hold several lines.
    static let multiline: Set<String> = ["description", "comment"]

    public static func parse(_ body: [UInt8], contentType: String?) throws -> RequestFields {
        guard let text = String(validating: body, as: UTF8.self) else { throw ServeError(400, "open311.err.bad_utf8") }
        let type = (contentType ?? "").split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
        var values: [String: String]
        switch type {
        case "application/json", "text/json": values = try json(text)
        case "application/xml", "text/xml": values = try xml(body)
        case "application/x-www-form-urlencoded", "": values = try form(text)
        default: throw ServeError(415, "open311.err.media_type", type)
        }
        for (k, v) in values { try check(k, v) }
        return RequestFields(values)
    }

    static func check(_ key: String, _ value: String) throws {
        let lines = multiline.contains(key)
        for u in value.unicodeScalars {
            let control = (u.value < 0x20 && !(lines && (u == "\n" || u == "\t" || u == "\r"))) || u.value == 0x7F
                || (0x80...0x9F).contains(u.value)
            if control || SafeText.isBidi(u) { throw ServeError(400, "open311.err.control", key) }
        }
        for u in key.unicodeScalars where u.value < 0x20 || u.value == 0x7F || SafeText.isBidi(u) {
            throw ServeError(400, "open311.err.control", "?")
        }
    }

    static func form(_ text: String) throws -> [String: String] {
        var out: [String: String] = [:]
        for pair in text.split(separator: "&", omittingEmptySubsequences: true) {
            let kv = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ s: Substring) throws -> String {
                guard let d = formDecoded(s.utf8) else { throw ServeError(400, "open311.err.malformed_form") }
                return d
            }
            out[try decode(kv[0])] = kv.count > 1 ? try decode(kv[1]) : ""
        }
        return out
    }

    /// A form value decoded: "+" a space, "%XX" a byte; nil when a "%" is not followed by two
    /// hex digits or the bytes are not UTF-8 (what `removingPercentEncoding` refused, without
    /// its copies through Foundation's strings, once per field of every intake).
    static func formDecoded(_ s: Substring.UTF8View) -> String? {
        func hex(_ c: UInt8) -> UInt8? {
            switch c {
            case 48...57: return c - 48
            case 65...70: return c - 55
            case 97...102: return c - 87
            default: return nil
            }
        }
        var out: [UInt8] = []
        out.reserveCapacity(s.count)
        var i = s.startIndex
        while i != s.endIndex {
            let c = s[i]
            if c == 43 { out.append(32) } else if c == 37 {
                let a = s.index(after: i)
                guard a != s.endIndex, let h = hex(s[a]) else { return nil }
                let b = s.index(after: a)
                guard b != s.endIndex, let l = hex(s[b]) else { return nil }
                out.append(h << 4 | l)
                i = b
            } else {
                out.append(c)
            }
            i = s.index(after: i)
        }
        return String(validating: out, as: UTF8.self)
    }

    static func json(_ text: String) throws -> [String: String] {
        let any: Any
        do {
            any = try JSONSerialization.jsonObject(with: Data(text.utf8), options: [])
        } catch {
            throw ServeError(400, "open311.err.malformed_json", "syntax")
        }
        guard let obj = any as? [String: Any] else { throw ServeError(400, "open311.err.malformed_json", "{…}") }
        var out: [String: String] = [:]
        func scalar(_ v: Any, _ k: String) throws -> String {
            switch v {
            case let s as String: return s
            case let n as NSNumber: return n.stringValue
            case is NSNull: return ""
            default: throw ServeError(400, "open311.err.invalid_field", k, "{…}")
            }
        }
        for (k, v) in obj {
            if k == "attributes", let attrs = v as? [String: Any] {
                for (ak, av) in attrs { out["attribute[\(ak)]"] = try scalar(av, ak) }
            } else if let arr = v as? [Any], k == "reasons" {
                out[k] = try arr.map { try scalar($0, k) }.joined(separator: ",")
            } else {
                out[k] = try scalar(v, k)
            }
        }
        return out
    }

    static func xml(_ body: [UInt8]) throws -> [String: String] {
        let d = FieldsXML()
        let p = XMLParser(data: Data(body))
        p.shouldResolveExternalEntities = false
        p.delegate = d
        guard p.parse(), d.depthError == nil, d.closedRoot else {
            throw ServeError(400, "open311.err.malformed_xml", d.depthError ?? "line \(p.lineNumber)")
        }
        return d.values
    }
}

/// Reads `<root><field>text</field><attributes><kind>…</kind></attributes></root>`.
final class FieldsXML: NSObject, XMLParserDelegate {
    var values: [String: String] = [:]
    var path: [String] = []
    var text = ""
    var depthError: String?
    /// Whether the root element was closed: a truncated document is malformed.
    var closedRoot = false

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                attributes: [String: String] = [:]) {
        path.append(name)
        text = ""
        if path.count > 3 { depthError = "depth"; parser.abortParsing() }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) { text += string }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        if path.count == 2 { values[name] = text }
        if path.count == 3, path[1] == "attributes" { values["attribute[\(name)]"] = text }
        path.removeLast()
        if path.isEmpty { closedRoot = true }
        text = ""
    }

    func parser(_ parser: XMLParser, resolveExternalEntityName name: String, systemID: String?) -> Data? { nil }
}
