import Foundation

/// Folds Vietnamese text for search: lower case, no tone or vowel marks, đ → d.
/// SQLite's unicode61 tokenizer strips marks but keeps đ, so the folding is done here,
/// the same way for documents and queries, so "duong" finds "Đường" and "ha noi" "Hà Nội".
///
/// Every case's text is folded when it is written, so this is on the bulk-load path: each
/// scalar below U+2000 (ASCII, the Latin letters Vietnamese uses, Latin Extended Additional)
/// is folded through a table computed once with the general rule (`reference`); other
/// scalars take the general rule one at a time. Marks are dropped, so folding scalar by
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
        out.reserveCapacity(out.count + text.utf8.count)
        var text = text
        text.withUTF8 { bytes in
            // A String's UTF-8 is valid: scalars are decoded by hand, ASCII byte by byte.
            var i = 0
            while i < bytes.count {
                let b = bytes[i]
                if b < 0x80 {
                    out.append(b >= 0x41 && b <= 0x5A ? b + 0x20 : b)
                    i += 1
                    continue
                }
                var v: UInt32, n: Int
                if b < 0xE0 { v = UInt32(b & 0x1F); n = 2 } else if b < 0xF0 { v = UInt32(b & 0x0F); n = 3 } else {
                    v = UInt32(b & 0x07); n = 4
                }
                for k in 1..<n { v = v << 6 | UInt32(bytes[i + k] & 0x3F) }
                if v < tableLimit {
                    out.append(contentsOf: table[Int(v)])
                } else if let scalar = Unicode.Scalar(v) {
                    out.append(contentsOf: reference(String(scalar)).utf8)
                }
                i += n
            }
        }
    }

    static let tableLimit: UInt32 = 0x2000
    /// The folding of each scalar below `tableLimit`, as UTF-8 (nothing for surrogates).
    static let table: [[UInt8]] = (0..<tableLimit).map { v in
        Unicode.Scalar(v).map { Array(reference(String($0)).utf8) } ?? []
    }

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
