import Foundation

/// Folds Vietnamese text for search: lower case, no tone or vowel marks, đ → d.
/// SQLite's unicode61 tokenizer strips marks but keeps đ, so the folding is done here,
/// the same way for documents and queries, so "duong" finds "Đường" and "ha noi" "Hà Nội".
///
/// Every case's text is folded when it is written, so this is on the bulk-load path: ASCII
/// is folded by hand, the Latin letters Vietnamese uses, combining marks, Latin Extended
/// Additional and General Punctuation through a table computed once with the general rule
/// (`reference`, see `slot`); other scalars take the general rule one at a time. Marks are dropped, so folding scalar by
/// scalar gives what folding the whole decomposed string gives (a test compares the two).
public enum VietnameseFold {
    public static func fold(_ text: String) -> String {
        var out: [UInt8] = []
        fold(text, into: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// The folding of `text` as UTF-8, appended to `out` (no string is made: search checks
    /// fold the text of many cases in a row into one buffer).
    public static func fold(_ text: String, into out: inout [UInt8]) {
        var text = text
        text.withUTF8 { _ = fold(utf8: $0, into: &out) }
    }

    /// The folding of UTF-8 `bytes` (a database column read in place), appended to `out`.
    /// False, with `out` unspecified, when the bytes are not valid UTF-8.
    public static func fold(utf8 bytes: UnsafeBufferPointer<UInt8>, into out: inout [UInt8]) -> Bool {
        out.reserveCapacity(out.count + bytes.count)
        var i = 0
        while i < bytes.count {
            let b = bytes[i]
            if b < 0x80 {
                out.append(b >= 0x41 && b <= 0x5A ? b + 0x20 : b)
                i += 1
                continue
            }
            var v: UInt32, n: Int
            switch b {
            case 0xC2...0xDF: v = UInt32(b & 0x1F); n = 2
            case 0xE0...0xEF: v = UInt32(b & 0x0F); n = 3
            case 0xF0...0xF4: v = UInt32(b & 0x07); n = 4
            default: return false
            }
            guard i + n <= bytes.count else { return false }
            for k in 1..<n {
                let c = bytes[i + k]
                guard c & 0xC0 == 0x80 else { return false }
                v = v << 6 | UInt32(c & 0x3F)
            }
            // The shortest form only, as a String has it.
            guard (n != 3 || v >= 0x800) && (n != 4 || (v >= 0x10000 && v <= 0x10FFFF)) else { return false }
            if let slot = slot(v) {
                out.append(contentsOf: table[slot])
            } else if let scalar = Unicode.Scalar(v) {
                out.append(contentsOf: reference(String(scalar)).utf8)
            } else {
                return false
            }
            i += n
        }
        return true
    }

    /// The scalars folded through `table`: Latin up to Latin Extended-B, the combining
    /// marks, Latin Extended Additional (Vietnamese letters with two marks) and General
    /// Punctuation. Built once, on the first fold (~1,000 scalars through the general rule);
    /// any other scalar takes the general rule each time.
    static func slot(_ v: UInt32) -> Int? {
        if v < 0x250 { return Int(v) }
        if v >= 0x300 && v < 0x370 { return 0x250 + Int(v - 0x300) }
        if v >= 0x1E00 && v < 0x1F00 { return 0x2C0 + Int(v - 0x1E00) }
        if v >= 0x2000 && v < 0x2070 { return 0x3C0 + Int(v - 0x2000) }
        return nil
    }

    /// The folding of each scalar `slot` gives a place, as UTF-8.
    static let table: [[UInt8]] = {
        var t = [[UInt8]](repeating: [], count: 0x430)
        for range in [0..<0x250, 0x300..<0x370, 0x1E00..<0x1F00, 0x2000..<0x2070] as [Range<UInt32>] {
            for v in range {
                if let s = Unicode.Scalar(v), let i = slot(v) { t[i] = Array(reference(String(s)).utf8) }
            }
        }
        return t
    }()

    /// The rule itself: canonical decomposition, marks dropped, đ/ð → d, lower case.
    public static func reference(_ text: String) -> String {
        var out = String.UnicodeScalarView()
        for scalar in text.decomposedStringWithCanonicalMapping.unicodeScalars {
            switch scalar.properties.generalCategory {
            case .nonspacingMark, .spacingMark, .enclosingMark:
                continue
            default:
                break
            }
            switch scalar {
            case "đ", "Đ", "\u{0111}", "\u{0110}", "ð", "Ð":
                out.append("d")
            default:
                for s in scalar.properties.lowercaseMapping.unicodeScalars { out.append(s) }
            }
        }
        return String(out)
    }

    /// The words of a text after folding: letters and digits only.
    public static func words(_ text: String) -> [String] {
        fold(text).split { !($0.isLetter || $0.isNumber) }.map(String.init)
    }
}
