import Foundation
import PaknCore

/// Why one record of a CSV file could not be read. The line is where the record starts.
public enum CSVProblem: Equatable, Sendable, Localized {
    /// A quote opened and never closed: the rest of the file is this one field.
    case unterminatedQuote
    /// A `"` in the middle of a field that does not start with one (column, 1-based).
    case quoteInUnquotedField(column: Int)
    /// Text after the closing quote of a quoted field, before the next comma.
    case textAfterClosingQuote(column: Int)
    /// A carriage return not followed by a line feed, outside quotes.
    case bareCarriageReturn
    /// A byte-order mark at the start of a record other than the first (files joined together).
    case strayByteOrderMark
    case invalidUTF8(column: Int)
    case nulByte(column: Int)
    /// A field longer than the reader keeps (`CSVReader.maxFieldBytes`).
    case fieldTooLong(column: Int, maxBytes: Int)
    /// More fields than any header could have.
    case tooManyFields(max: Int)

    public func text(_ lang: Lang) -> String {
        switch self {
        case .unterminatedQuote: L10n.t("import.csv.unterminated_quote", lang)
        case let .quoteInUnquotedField(c): L10n.t("import.csv.quote_in_field", lang, c)
        case let .textAfterClosingQuote(c): L10n.t("import.csv.text_after_quote", lang, c)
        case .bareCarriageReturn: L10n.t("import.csv.bare_cr", lang)
        case .strayByteOrderMark: L10n.t("import.csv.stray_bom", lang)
        case let .invalidUTF8(c): L10n.t("import.csv.invalid_utf8", lang, c)
        case let .nulByte(c): L10n.t("import.csv.nul", lang, c)
        case let .fieldTooLong(c, m): L10n.t("import.csv.field_too_long", lang, c, m)
        case let .tooManyFields(m): L10n.t("import.csv.too_many_fields", lang, m)
        }
    }
}

/// One record: where it starts, its fields (as far as they could be read), the raw bytes it
/// was made of, and the first problem found in it, if any.
public struct CSVRecord: Sendable {
    public var line: Int
    public var fields: [String]
    public var raw: [UInt8]
    public var problem: CSVProblem?
}

/// How a CSV file was written: its encoding and the character between its fields. Excel
/// saves "CSV UTF-8" with a byte-order mark, "CSV" with semicolons where the decimal mark is
/// a comma, and "Unicode text" as UTF-16 LE with a byte-order mark and tabs.
public struct CSVDialect: Equatable, Sendable {
    public enum Encoding: String, Sendable {
        case utf8, utf8BOM = "utf8_bom", utf16LE = "utf16le", utf16BE = "utf16be"
        /// UTF-16 without a byte-order mark, told by the zero bytes of its ASCII characters.
        case utf16LENoBOM = "utf16le_nobom", utf16BENoBOM = "utf16be_nobom"
    }
    public var encoding: Encoding
    /// `,` `;` or tab.
    public var delimiter: UInt8

    public init(encoding: Encoding = .utf8, delimiter: UInt8 = 0x2C) {
        self.encoding = encoding
        self.delimiter = delimiter
    }

    public static let standard = CSVDialect()
    /// The delimiters a file may use, the preferred first when a header has as many of each.
    public static let delimiters: [UInt8] = [0x2C, 0x3B, 0x09]
}

/// A streaming RFC 4180 reader: comma-separated, `"`-quoted fields (`""` is a quote), records
/// ending in LF or CRLF, newlines allowed inside quotes. It reads the file in chunks, so a
/// large import never holds the whole file, and it never stops at a bad record: the problem
/// is attached to that record and reading goes on at the next one, so every bad line can be
/// reported with its number. A UTF-8 byte-order mark at the very start is skipped. Blank
/// lines are skipped.
///
/// Made with `detect: true` (`pakn import`), it also reads what Excel saves: UTF-16 LE or
/// BE with a byte-order mark (turned into UTF-8 as it reads; a lone surrogate becomes a byte
/// that is not UTF-8, so that field is refused as invalid), and a header separated by
/// semicolons or tabs rather than commas (the delimiter the header uses most, commas first
/// on a tie). `dialect` says what was found.
public struct CSVReader {
    /// The longest field kept, in bytes (a body of 20,000 characters fits in 80,000).
    public static let maxFieldBytes = 96 * 1024
    /// The most fields a record may have.
    public static let maxFields = 64
    /// How much of a bad record's raw text is kept for the reject file.
    public static let maxRawBytes = 256 * 1024

    private let handle: FileHandle?
    private var buffer: [UInt8]
    private var pos = 0
    private var eof: Bool
    private var line = 1
    private var first = true
    /// Bytes of the (UTF-8) text taken so far.
    private var consumed = 0
    /// Whether to find the encoding and delimiter (`dialect`) from the file's start.
    private let detect: Bool
    /// The delimiter the caller says the file uses (`pakn import --delimiter`): not guessed.
    public var fixedDelimiter: UInt8?
    private var detected = false
    /// The file's encoding and delimiter: found at the first record when `detect`, else UTF-8
    /// and commas.
    public private(set) var dialect = CSVDialect.standard
    /// UTF-16 being turned into UTF-8: the raw bytes read, the UTF-8 bytes made, an odd byte
    /// and a high surrogate left over from the last chunk.
    private var utf16: Bool?
    private var rawRead = 0
    private var made = 0
    private var carry: UInt8?
    private var highSurrogate: UInt32?

    /// Bytes of the file read so far (for progress): for UTF-16, estimated from the share of
    /// its text taken.
    public var bytesRead: Int {
        guard utf16 != nil else { return consumed }
        return made == 0 ? 0 : Int(Double(rawRead) * Double(consumed) / Double(made))
    }

    /// Reads a file in chunks.
    public init(url: URL, detect: Bool = false) throws {
        do { handle = try FileHandle(forReadingFrom: url) } catch {
            throw StoreError.unreadable(url.path, error)
        }
        buffer = []
        eof = false
        self.detect = detect
    }

    /// Reads from a file already opened (and checked: `InputFile.open`).
    public init(handle: FileHandle, detect: Bool = false) {
        self.handle = handle
        buffer = []
        eof = false
        self.detect = detect
    }

    /// Reads bytes already in memory (tests, fuzzing).
    public init(bytes: [UInt8], detect: Bool = false) {
        handle = nil
        buffer = bytes
        eof = true
        self.detect = detect
    }

    private mutating func fill() -> Bool {
        guard !eof, let handle else { return false }
        let chunk = (try? handle.read(upToCount: 1 << 20)) ?? nil
        if pos > 0 { buffer.removeFirst(pos); pos = 0 }
        guard let chunk, !chunk.isEmpty else {
            eof = true
            guard let le = utf16 else { return false }
            let tail = transcode([], littleEndian: le, final: true)
            buffer.append(contentsOf: tail)
            return !tail.isEmpty
        }
        if let le = utf16 {
            rawRead += chunk.count
            buffer.append(contentsOf: transcode(chunk, littleEndian: le, final: false))
        } else {
            buffer.append(contentsOf: chunk)
        }
        return true
    }

    /// UTF-16 code units to UTF-8, across chunk boundaries (`carry`, `highSurrogate`).
    private mutating func transcode<C: Collection>(_ bytes: C, littleEndian le: Bool, final: Bool) -> [UInt8] where C.Element == UInt8 {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count * 3 / 2 + 4)
        func put(_ v: UInt32) {
            switch v {
            case 0..<0x80: out.append(UInt8(v))
            case 0x80..<0x800: out += [UInt8(0xC0 | v >> 6), UInt8(0x80 | v & 0x3F)]
            case 0x800..<0x10000: out += [UInt8(0xE0 | v >> 12), UInt8(0x80 | v >> 6 & 0x3F), UInt8(0x80 | v & 0x3F)]
            default: out += [UInt8(0xF0 | v >> 18), UInt8(0x80 | v >> 12 & 0x3F), UInt8(0x80 | v >> 6 & 0x3F), UInt8(0x80 | v & 0x3F)]
            }
        }
        func unit(_ u: UInt32) {
            if let h = highSurrogate {
                highSurrogate = nil
                if (0xDC00...0xDFFF).contains(u) { put(0x10000 + ((h - 0xD800) << 10) + (u - 0xDC00)); return }
                out.append(0xFF)  // a high surrogate alone: not UTF-8, the field is refused
            }
            if (0xD800...0xDBFF).contains(u) { highSurrogate = u; return }
            if (0xDC00...0xDFFF).contains(u) { out.append(0xFF); return }
            put(u)
        }
        for b in bytes {
            guard let first = carry else { carry = b; continue }
            carry = nil
            unit(le ? UInt32(first) | UInt32(b) << 8 : UInt32(first) << 8 | UInt32(b))
        }
        if final {
            if highSurrogate != nil { out.append(0xFF); highSurrogate = nil }
            if carry != nil { out.append(0xFF); carry = nil }
        }
        made += out.count
        return out
    }

    /// Finds the encoding from a byte-order mark and the delimiter from the header line.
    private mutating func detectDialect() {
        detected = true
        guard detect else { return }
        let b0 = byte(at: 0), b1 = byte(at: 1)
        if (b0 == 0xFF && b1 == 0xFE) || (b0 == 0xFE && b1 == 0xFF) {
            let le = b0 == 0xFF
            dialect.encoding = le ? .utf16LE : .utf16BE
            utf16 = le
            let rest = buffer[(pos + 2)...]
            rawRead = buffer.count
            buffer = transcode(rest, littleEndian: le, final: eof)
            pos = 0
            first = false
        } else if bomAhead() {
            dialect.encoding = .utf8BOM
        } else if let le = Self.utf16WithoutBOM(buffer[pos...].prefix(512)) {
            // What some tools save as "Unicode" without a mark: ASCII letters with a zero byte
            // beside each (UTF-8 text has no zero bytes at all).
            dialect.encoding = le ? .utf16LENoBOM : .utf16BENoBOM
            utf16 = le
            let rest = buffer[pos...]
            rawRead = buffer.count
            buffer = transcode(rest, littleEndian: le, final: eof)
            pos = 0
        }
        if let d = fixedDelimiter {
            dialect.delimiter = d
            return
        }
        // The delimiter the header line uses most, outside quotes.
        var counts: [UInt8: Int] = [:]
        var quoted = false
        var i = 0
        while i < 1 << 16, let b = byte(at: i) {
            i += 1
            if b == 0x22 { quoted.toggle(); continue }
            if quoted { continue }
            if b == 0x0A || b == 0x0D { break }
            if CSVDialect.delimiters.contains(b) { counts[b, default: 0] += 1 }
        }
        for d in CSVDialect.delimiters where counts[d, default: 0] > counts[dialect.delimiter, default: 0] { dialect.delimiter = d }
    }

    /// Whether the start of a file is UTF-16 without a byte-order mark: little-endian (true),
    /// big-endian (false), or neither (nil). A header line is mostly ASCII, so a third or more
    /// of its code units have a zero high byte, and UTF-8 has no zero bytes.
    static func utf16WithoutBOM<C: Collection>(_ start: C) -> Bool? where C.Element == UInt8 {
        let bytes = Array(start)
        let pairs = bytes.count / 2
        guard pairs >= 2 else { return nil }
        var zeroEven = 0, zeroOdd = 0
        for i in 0..<(pairs * 2) where bytes[i] == 0 {
            if i % 2 == 0 { zeroEven += 1 } else { zeroOdd += 1 }
        }
        if zeroOdd * 3 >= pairs, zeroEven * 10 < pairs { return true }
        if zeroEven * 3 >= pairs, zeroOdd * 10 < pairs { return false }
        return nil
    }

    private mutating func peek() -> UInt8? {
        if pos < buffer.count { return buffer[pos] }
        return fill() ? buffer[pos] : nil
    }

    private mutating func take() -> UInt8? {
        guard let b = peek() else { return nil }
        pos += 1
        consumed += 1
        return b
    }

    /// The next record, or nil at the end of the file.
    public mutating func next() -> CSVRecord? {
        if !detected { detectDialect() }
        let delimiter = dialect.delimiter
        // Skip a leading BOM and blank lines.
        while true {
            guard let b = peek() else { return nil }
            if first, b == 0xEF, bomAhead() { pos += 3; consumed += 3; first = false; continue }
            first = false
            if b == 0x0A { _ = take(); line += 1; continue }
            if b == 0x0D, byte(at: 1) == 0x0A { _ = take(); _ = take(); line += 1; continue }
            break
        }
        var rec = CSVRecord(line: line, fields: [], raw: [], problem: nil)
        func flag(_ p: CSVProblem) { if rec.problem == nil { rec.problem = p } }
        if peek() == 0xEF, bomAhead() { flag(.strayByteOrderMark); pos += 3; consumed += 3 }
        var field: [UInt8] = []
        var dropped = false
        enum State { case start, unquoted, quoted, afterQuote }
        var state = State.start
        func append(_ b: UInt8) {
            if field.count < Self.maxFieldBytes { field.append(b) } else if !dropped {
                dropped = true
                flag(.fieldTooLong(column: rec.fields.count + 1, maxBytes: Self.maxFieldBytes))
            }
        }
        func endField() {
            let column = rec.fields.count + 1
            if rec.fields.count >= Self.maxFields { flag(.tooManyFields(max: Self.maxFields)); field.removeAll(); dropped = false; return }
            if field.contains(0) { flag(.nulByte(column: column)) }
            if let s = String(validating: field, as: UTF8.self) {
                rec.fields.append(s)
            } else {
                flag(.invalidUTF8(column: column))
                rec.fields.append(String(decoding: field, as: UTF8.self))
            }
            field.removeAll(keepingCapacity: true)
            dropped = false
        }
        func keep(_ b: UInt8) { if rec.raw.count < Self.maxRawBytes { rec.raw.append(b) } }
        while let b = take() {
            if state != .quoted {
                // Outside quotes the delimiter (a comma) ends the field, LF or CRLF the record.
                if b == delimiter { keep(b); endField(); state = .start; continue }
                if b == 0x0A || b == 0x0D {
                    line += 1
                    if b == 0x0D { if peek() == 0x0A { _ = take() } else { flag(.bareCarriageReturn) } }
                    endField()
                    return rec
                }
            }
            keep(b)
            switch state {
            case .start, .unquoted:
                if b == 0x22 {
                    if state == .start { state = .quoted; continue }
                    flag(.quoteInUnquotedField(column: rec.fields.count + 1))
                }
                append(b)
                state = .unquoted
            case .quoted:
                if b == 0x22 { state = .afterQuote; continue }
                if b == 0x0A { line += 1 }
                if b == 0x0D {
                    // CRLF inside quotes is one line break, kept as LF.
                    if peek() == 0x0A { keep(0x0A); _ = take() }
                    line += 1
                    append(0x0A)
                    continue
                }
                append(b)
            case .afterQuote:
                if b == 0x22 { append(b); state = .quoted; continue }
                flag(.textAfterClosingQuote(column: rec.fields.count + 1))
                append(b)
                state = .unquoted
            }
        }
        // End of file.
        if state == .quoted { flag(.unterminatedQuote) }
        endField()
        return rec
    }

    /// The byte `offset` places ahead, reading more of the file if needed.
    private mutating func byte(at offset: Int) -> UInt8? {
        while buffer.count - pos <= offset { if !fill() { return nil } }
        return buffer[pos + offset]
    }

    private mutating func bomAhead() -> Bool {
        byte(at: 0) == 0xEF && byte(at: 1) == 0xBB && byte(at: 2) == 0xBF
    }
}
