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

/// A streaming RFC 4180 reader: comma-separated, `"`-quoted fields (`""` is a quote), records
/// ending in LF or CRLF, newlines allowed inside quotes. It reads the file in chunks, so a
/// large import never holds the whole file, and it never stops at a bad record: the problem
/// is attached to that record and reading goes on at the next one, so every bad line can be
/// reported with its number. A UTF-8 byte-order mark at the very start is skipped. Blank
/// lines are skipped.
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
    /// Bytes read so far (for progress).
    public private(set) var bytesRead = 0

    /// Reads a file in chunks.
    public init(url: URL) throws {
        do { handle = try FileHandle(forReadingFrom: url) } catch {
            throw StoreError.unreadable(url.path, error)
        }
        buffer = []
        eof = false
    }

    /// Reads from a file already opened (and checked: `InputFile.open`).
    public init(handle: FileHandle) {
        self.handle = handle
        buffer = []
        eof = false
    }

    /// Reads bytes already in memory (tests, fuzzing).
    public init(bytes: [UInt8]) {
        handle = nil
        buffer = bytes
        eof = true
    }

    private mutating func fill() -> Bool {
        guard !eof, let handle else { return false }
        let chunk = (try? handle.read(upToCount: 1 << 20)) ?? nil
        guard let chunk, !chunk.isEmpty else { eof = true; return false }
        if pos > 0 { buffer.removeFirst(pos); pos = 0 }
        buffer.append(contentsOf: chunk)
        return true
    }

    private mutating func peek() -> UInt8? {
        if pos < buffer.count { return buffer[pos] }
        return fill() ? buffer[pos] : nil
    }

    private mutating func take() -> UInt8? {
        guard let b = peek() else { return nil }
        pos += 1
        bytesRead += 1
        return b
    }

    /// The next record, or nil at the end of the file.
    public mutating func next() -> CSVRecord? {
        // Skip a leading BOM and blank lines.
        while true {
            guard let b = peek() else { return nil }
            if first, b == 0xEF, bomAhead() { pos += 3; bytesRead += 3; first = false; continue }
            first = false
            if b == 0x0A { _ = take(); line += 1; continue }
            if b == 0x0D, byte(at: 1) == 0x0A { _ = take(); _ = take(); line += 1; continue }
            break
        }
        var rec = CSVRecord(line: line, fields: [], raw: [], problem: nil)
        func flag(_ p: CSVProblem) { if rec.problem == nil { rec.problem = p } }
        if peek() == 0xEF, bomAhead() { flag(.strayByteOrderMark); pos += 3; bytesRead += 3 }
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
                // Outside quotes a comma ends the field, LF or CRLF the record.
                if b == 0x2C { keep(b); endField(); state = .start; continue }
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
