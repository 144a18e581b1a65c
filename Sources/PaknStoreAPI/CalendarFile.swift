import Foundation
import PaknCore

/// A calendar file for `pakn calendar import`: JSON shaped like the shipped holidays.json
/// (an array of `{"day", "kind", "name", "standing", "document", "note"}`) or CSV with the
/// header `day,kind,name,standing,document,note`. Read whole and checked before anything is
/// written; the first bad entry is refused naming its line (`StoreError.badData`).
public enum CalendarFile {
    public static let csvColumns = ["day", "kind", "name", "standing", "document", "note"]

    /// The entries of the file at `url`, checked, in file order.
    public static func read(_ url: URL) throws -> [CalendarException] {
        let data: Data
        do { data = try Data(contentsOf: url) } catch { throw StoreError.unreadable(url.path, error) }
        return try parse(data, name: url.path, ext: url.pathExtension.lowercased())
    }

    public static func parse(_ data: Data, name: String, ext: String) throws -> [CalendarException] {
        let bytes = [UInt8](data)
        let firstByte = bytes.first { ![UInt8(ascii: " "), 9, 10, 13, 0xEF, 0xBB, 0xBF].contains($0) }
        let inputs: [(line: Int, input: CalendarEntryInput)]
        if ext == "json" || (ext != "csv" && firstByte == UInt8(ascii: "[")) {
            inputs = try json(data, bytes: bytes, name: name)
        } else if ext == "csv" || firstByte.map({ $0 == UInt8(ascii: "d") || $0 == UInt8(ascii: "D") }) == true {
            inputs = try csv(bytes, name: name)
        } else {
            throw StoreError.badData(file: name, line: 0, reason: Message("calendar.err.format", ext.isEmpty ? name : "." + ext))
        }
        guard !inputs.isEmpty else { throw StoreError.badData(file: name, line: 0, reason: Message("calendar.err.empty")) }
        var out: [CalendarException] = []
        var seen: [Day: Int] = [:]
        for (line, input) in inputs {
            let e: CalendarException
            do { e = try input.validated() } catch let m as Message {
                throw StoreError.badData(file: name, line: line, reason: m)
            }
            if let first = seen[e.day] {
                throw StoreError.badData(file: name, line: line, reason: Message("calendar.err.twice", e.day.description, first))
            }
            seen[e.day] = line
            out.append(e)
        }
        return out
    }

    // MARK: JSON

    static func json(_ data: Data, bytes: [UInt8], name: String) throws -> [(line: Int, input: CalendarEntryInput)] {
        let value: Any
        do { value = try JSONSerialization.jsonObject(with: data) } catch {
            let ns = error as NSError
            let detail = (ns.userInfo[NSDebugDescriptionErrorKey] as? String) ?? ns.localizedDescription
            throw StoreError.badData(file: name, line: 0, reason: Message("calendar.err.json", SafeText.clean(String(detail.prefix(200)))))
        }
        guard let array = value as? [Any] else {
            throw StoreError.badData(file: name, line: 1, reason: Message("calendar.err.json_shape"))
        }
        let lines = elementLines(bytes)
        var out: [(line: Int, input: CalendarEntryInput)] = []
        for (i, element) in array.enumerated() {
            let line = i < lines.count ? lines[i] : 0
            guard let object = element as? [String: Any] else {
                throw StoreError.badData(file: name, line: line, reason: Message("calendar.err.json_shape"))
            }
            var fields: [String: String] = [:]
            for (key, v) in object {
                guard csvColumns.contains(key) else {
                    throw StoreError.badData(file: name, line: line, reason: Message("calendar.err.unknown_field", key))
                }
                if v is NSNull { continue }
                guard let text = v as? String else {
                    throw StoreError.badData(file: name, line: line, reason: Message("calendar.err.field", key))
                }
                fields[key] = text
            }
            out.append((line, CalendarEntryInput(day: fields["day"] ?? "", kind: fields["kind"] ?? "", name: fields["name"] ?? "",
                                                 standing: fields["standing"] ?? "", document: fields["document"],
                                                 note: fields["note"])))
        }
        return out
    }

    /// The line (1-based) on which each element of a top-level JSON array starts, read from
    /// the bytes: JSONSerialization does not say where a value was.
    static func elementLines(_ bytes: [UInt8]) -> [Int] {
        var lines: [Int] = []
        var line = 1, depth = 0
        var inString = false, escaped = false, expectValue = false
        for b in bytes {
            if b == 10 { line += 1 }
            if inString {
                if escaped { escaped = false } else if b == UInt8(ascii: "\\") { escaped = true } else if b == UInt8(ascii: "\"") { inString = false }
                continue
            }
            let blank = b == 32 || b == 9 || b == 10 || b == 13
            if depth == 1 && expectValue && !blank && b != UInt8(ascii: "]") {
                lines.append(line)
                expectValue = false
            }
            switch b {
            case UInt8(ascii: "\""): inString = true
            case UInt8(ascii: "["), UInt8(ascii: "{"):
                depth += 1
                if depth == 1 { expectValue = true }
            case UInt8(ascii: "]"), UInt8(ascii: "}"): depth -= 1
            case UInt8(ascii: ","): if depth == 1 { expectValue = true }
            default: break
            }
        }
        return lines
    }

    // MARK: CSV

    static func csv(_ bytes: [UInt8], name: String) throws -> [(line: Int, input: CalendarEntryInput)] {
        var reader = CSVReader(bytes: bytes)
        guard let header = reader.next() else { return [] }
        if let p = header.problem { throw StoreError.badData(file: name, line: header.line, reason: message(p)) }
        let names = header.fields.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        guard Set(names).isSubset(of: Set(csvColumns)), Set(names).count == names.count,
              ["day", "kind", "name", "standing"].allSatisfy(names.contains) else {
            throw StoreError.badData(file: name, line: header.line, reason: Message("calendar.err.csv_header"))
        }
        var out: [(line: Int, input: CalendarEntryInput)] = []
        while let rec = reader.next() {
            if rec.fields.allSatisfy({ $0.trimmingCharacters(in: .whitespaces).isEmpty }) { continue }
            if let p = rec.problem { throw StoreError.badData(file: name, line: rec.line, reason: message(p)) }
            guard rec.fields.count == names.count else {
                throw StoreError.badData(file: name, line: rec.line, reason: Message("calendar.err.csv_fields", names.count, rec.fields.count))
            }
            var f: [String: String] = [:]
            for (k, v) in zip(names, rec.fields) { f[k] = v }
            out.append((rec.line, CalendarEntryInput(day: f["day"] ?? "", kind: f["kind"] ?? "", name: f["name"] ?? "",
                                                     standing: f["standing"] ?? "", document: f["document"], note: f["note"])))
        }
        return out
    }

    /// A CSV problem as a catalog message, so it reads in the reader's language.
    static func message(_ p: CSVProblem) -> Message {
        switch p {
        case .unterminatedQuote: Message("import.csv.unterminated_quote")
        case let .quoteInUnquotedField(c): Message("import.csv.quote_in_field", c)
        case let .textAfterClosingQuote(c): Message("import.csv.text_after_quote", c)
        case .bareCarriageReturn: Message("import.csv.bare_cr")
        case .strayByteOrderMark: Message("import.csv.stray_bom")
        case let .invalidUTF8(c): Message("import.csv.invalid_utf8", c)
        case let .nulByte(c): Message("import.csv.nul", c)
        case let .fieldTooLong(c, m): Message("import.csv.field_too_long", c, m)
        case let .tooManyFields(m): Message("import.csv.too_many_fields", m)
        }
    }
}
