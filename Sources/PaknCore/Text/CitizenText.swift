import Foundation

/// Cleans text a citizen or an import supplied before it is stored: NFC, no control
/// characters (except newline and tab in multi-line fields), no bidi overrides, CRLF folded.
public enum CitizenText {
    /// Longest body accepted, in characters (about 64 KB of Vietnamese).
    public static let maxBodyLength = 20_000
    public static let maxLineFieldLength = 500

    public static func clean(_ text: String, multiline: Bool) -> String {
        if isPlain(text, multiline: multiline) {
            return multiline ? text : text.trimmingCharacters(in: .whitespaces)
        }
        return reference(text, multiline: multiline)
    }

    /// Whether `clean` would change nothing but the trimming: every scalar is printable
    /// ASCII, a Latin letter or sign below U+0300 (no combining mark), or one of Latin
    /// Extended Additional (Vietnamese's precomposed letters); newline and tab only where
    /// kept. Such text is already NFC (no scalar there composes or decomposes under NFC),
    /// so the common case skips two normalisations (a test compares with `reference`).
    static func isPlain(_ text: String, multiline: Bool) -> Bool {
        for s in text.unicodeScalars {
            switch s.value {
            case 0x20...0x7E, 0xA0...0x2FF, 0x1E00...0x1EFF: continue
            case 0x0A, 0x09: if multiline { continue } else { return false }
            default: return false
            }
        }
        return true
    }

    /// The rule itself: CRLF → LF, NFC, unsafe scalars dropped, NFC again.
    public static func reference(_ text: String, multiline: Bool) -> String {
        let nfc = text.replacingOccurrences(of: "\r\n", with: "\n").precomposedStringWithCanonicalMapping
        var out = String.UnicodeScalarView()
        for s in nfc.unicodeScalars {
            if s == "\n" || s == "\t" {
                out.append(multiline ? s : " ")
                continue
            }
            if isUnsafe(s) { continue }
            out.append(s)
        }
        let result = String(out).precomposedStringWithCanonicalMapping
        return multiline ? result : result.trimmingCharacters(in: .whitespaces)
    }

    /// C0 and C1 controls, DEL, bidi overrides and isolates: they can reorder or hide
    /// text, or drive the terminal.
    public static func isUnsafe(_ s: Unicode.Scalar) -> Bool {
        switch s.value {
        case 0x00...0x1F, 0x7F...0x9F: return true
        case 0x202A...0x202E, 0x2066...0x2069, 0x200E, 0x200F, 0x061C: return true
        default: return false
        }
    }
}
