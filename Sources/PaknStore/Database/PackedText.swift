import CZlib
import Foundation
import GRDB
import PaknCore

/// How long text is stored: the event's `changes` and `note`, the case's title and body
/// (docs/data-model.md, "Stored text"). Every reader gets the text back through
/// `text(_:_:)`, and the hash chain covers the text, never the stored bytes.
///
/// From migration `v6-plain-text` on, pakn writes **plain TEXT** (`pack` returns the text
/// itself), so sqlite3, ODBC or a spreadsheet read the database as it is; the migration
/// rewrites what older versions packed. Reading still accepts the packed form, for backups
/// made by those versions (`restore` migrates them):
/// - TEXT: the text itself, or
/// - a BLOB: one format byte, then the data. Format 1 is raw deflate (RFC 1951, no zlib
///   header) against the preset dictionary `Resources/text-dictionary-v1.txt`
///   (`v4-compact-storage` to `v5`).
///
/// The dictionary of a format is frozen once shipped: changing a byte would make every
/// value of that format unreadable. Its SHA-256 is checked when it is loaded; a better
/// dictionary is a new file and a new format byte, with the old ones kept forever.
enum PackedText {
    static let deflateV1: UInt8 = 1
    static let dictionaryV1Name = "text-dictionary-v1.txt"
    static let dictionaryV1SHA256 = "219e8f3d1a86e981d9d422446938541b66e59e88aa450ab5f531b991453fd667"
    /// Shorter texts are stored as they are: a byte or two is all deflate could save.
    static let minimumLength = 8

    /// The dictionary of format 1, loaded and indexed once; nil if the file is missing or
    /// is not the frozen one (then nothing is compressed, and format-1 values cannot be read).
    static let dictionaryV1: DeflateDictionary? = {
        guard let data = try? BundledData.data(dictionaryV1Name) else { return nil }
        let bytes = [UInt8](data)
        guard SHA256.hex(bytes) == dictionaryV1SHA256 else { return nil }
        return DeflateDictionary(bytes)
    }()

    /// The value to store for `text`: the text itself (plain data, `v6-plain-text`).
    static func pack(_ text: String) -> DatabaseValue { text.databaseValue }

    /// The same for text given as UTF-8 bytes.
    static func pack(utf8 bytes: [UInt8]) -> DatabaseValue { String(decoding: bytes, as: UTF8.self).databaseValue }

    /// Format 1 of `text` when that is shorter (what versions v4–v5 stored), else nil: for
    /// the tests of reading such values, and databases made to look like old ones.
    static func deflated(_ text: String) -> DatabaseValue? {
        var s = text
        return s.withUTF8 { packed($0) }?.databaseValue
    }

    /// Format 1 of `utf8`, or nil when it is not shorter (or cannot be made).
    static func packed(_ utf8: UnsafeBufferPointer<UInt8>) -> Data? {
        let n = utf8.count
        guard n >= minimumLength, let dict = dictionaryV1 else { return nil }
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 1 + DeflateEncoder.capacity(for: n) + n) { buffer in
            let out = buffer.baseAddress!
            out[0] = deflateV1
            let z = DeflateEncoder.encode(utf8, dict: dict, into: out + 1)
            guard z + 1 < n else { return nil }
            // Read it back before storing it: what is stored must give exactly the text.
            let back = out + 1 + z
            guard (try? inflate(UnsafeBufferPointer(start: out + 1, count: z), dictionary: dict, into: back, capacity: n)) == n,
                  memcmp(back, utf8.baseAddress!, n) == 0 else { return nil }
            return Data(bytes: out, count: 1 + z)
        }
    }

    /// An optional text's stored value (NULL stays NULL).
    static func pack(_ text: String?) -> DatabaseValue { text.map(pack) ?? .null }

    /// The text of a stored value; nil for NULL. `what` names the value in the error
    /// ("event 12 changes") when it cannot be read.
    static func text(_ value: DatabaseValue, _ what: @autoclosure () -> String) throws -> String? {
        switch value.storage {
        case .null: return nil
        case let .string(s): return s
        case let .int64(i): return String(i)
        case let .double(d): return String(d)
        case let .blob(data):
            guard let format = data.first else { throw StoreError.unreadableText(what()) }
            switch format {
            case deflateV1:
                guard let dict = dictionaryV1, let text = try? inflatedText(data.dropFirst(), dictionary: dict) else {
                    throw StoreError.unreadableText(what())
                }
                return text
            default:
                throw StoreError.unreadableText(what())
            }
        }
    }

    /// A required text column of a row.
    static func text(_ row: Row, _ column: String, _ what: @autoclosure () -> String) throws -> String {
        try text(row[column] as DatabaseValue, what()) ?? ""
    }

    /// A nullable text column of a row.
    static func optionalText(_ row: Row, _ column: String, _ what: @autoclosure () -> String) throws -> String? {
        try text(row[column] as DatabaseValue, what())
    }

    enum InflateError: Error { case invalid, tooSmall }

    /// The text of one raw deflate stream read against `dictionary`.
    static func inflatedText(_ z: Data, dictionary: DeflateDictionary) throws -> String {
        try z.withUnsafeBytes { raw in
            let zin = raw.bindMemory(to: UInt8.self)
            var capacity = max(256, zin.count * 8)
            // A deflate stream expands at most 1032 times; beyond that the data is damaged.
            let limit = zin.count * 1032 + 64
            while true {
                var tooSmall = false
                let text = try String(unsafeUninitializedCapacity: capacity) { out in
                    do {
                        return try inflate(zin, dictionary: dictionary, into: out.baseAddress!, capacity: out.count)
                    } catch InflateError.tooSmall {
                        tooSmall = true
                        return 0
                    }
                }
                if !tooSmall { return text }
                guard capacity < limit else { throw InflateError.invalid }
                capacity = min(limit, capacity * 4)
            }
        }
    }

    /// Inflates one raw deflate stream read against `dictionary` into `out`; returns its
    /// length. Throws `tooSmall` when `capacity` is not enough, `invalid` for damaged data.
    /// Streams of fixed-code blocks (all pakn writes) are read in place (`FixedInflater`),
    /// others by zlib.
    static func inflate(_ z: UnsafeBufferPointer<UInt8>, dictionary: DeflateDictionary, into out: UnsafeMutablePointer<UInt8>,
                        capacity: Int) throws -> Int {
        do {
            if let n = try FixedInflater.decode(z, dict: dictionary, into: out, capacity: capacity) { return n }
        } catch .tooSmall {
            throw InflateError.tooSmall
        } catch {
            throw InflateError.invalid
        }
        return try zlibInflate(z, dictionary: dictionary, into: out, capacity: capacity)
    }

    /// zlib's inflate, for streams that are not all fixed-code blocks.
    static func zlibInflate(_ z: UnsafeBufferPointer<UInt8>, dictionary: DeflateDictionary, into out: UnsafeMutablePointer<UInt8>,
                            capacity: Int) throws -> Int {
        let n = Inflaters.shared.with { f in
            pakn_inflater_run(f, dictionary.bytes.baseAddress, UInt32(dictionary.count), z.baseAddress, UInt(z.count), out, UInt(capacity))
        }
        switch n {
        case 0...: return n
        case -1: throw InflateError.tooSmall
        default: throw InflateError.invalid
        }
    }
}

/// zlib inflate streams kept for reuse: making one allocates its state and a 32 KB window,
/// which cost more than inflating a short text.
final class Inflaters: @unchecked Sendable {
    static let shared = Inflaters()
    private let lock = NSLock()
    private var free: [OpaquePointer] = []

    func with<T>(_ body: (UnsafeMutablePointer<pakn_inflater>) -> T) -> T where T: SignedInteger {
        lock.lock()
        let f = free.popLast().map { UnsafeMutablePointer<pakn_inflater>($0) } ?? pakn_inflater_new()
        lock.unlock()
        guard let f else { return -3 }
        let result = body(f)
        lock.lock()
        if free.count < 16 { free.append(OpaquePointer(f)) } else { pakn_inflater_free(f) }
        lock.unlock()
        return result
    }
}
