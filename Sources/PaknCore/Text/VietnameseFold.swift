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
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            let v = scalar.value
            if v < 0x80 {
                out.append(UInt8(v >= 0x41 && v <= 0x5A ? v + 0x20 : v))
            } else if v < tableLimit {
                out.append(contentsOf: table[Int(v)])
            } else {
                out.append(contentsOf: reference(String(scalar)).utf8)
            }
        }
        return String(decoding: out, as: UTF8.self)
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
