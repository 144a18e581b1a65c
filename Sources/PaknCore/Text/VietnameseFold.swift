import Foundation

/// Folds Vietnamese text for search: lower case, no tone or vowel marks, đ → d.
/// SQLite's unicode61 tokenizer strips marks but keeps đ, so the folding is done here,
/// the same way for documents and queries, so "duong" finds "Đường" and "ha noi" "Hà Nội".
public enum VietnameseFold {
    public static func fold(_ text: String) -> String {
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
