import Foundation

/// An attachment's name (a citizen or a clerk chose it) as a file name in the current
/// folder, for `pakn attachment`: the last path component only (no `..`, no folders), without
/// control or formatting characters (bidirectional overrides that would disguise `.exe` as
/// `.jpg`), without leading or trailing dots and spaces (no hidden file); "dinh-kem-N" when
/// nothing is left.
public enum AttachmentName {
    public static func safe(_ name: String, number: Int = 1) -> String {
        let base = name.split(whereSeparator: { $0 == "/" || $0 == "\\" }).last.map(String.init) ?? ""
        let kept = base.unicodeScalars.filter { s in
            s.properties.generalCategory != .control && s.properties.generalCategory != .format
        }
        let clean = String(String.UnicodeScalarView(kept)).trimmingCharacters(in: CharacterSet(charactersIn: ". "))
        return clean.isEmpty ? "dinh-kem-\(number)" : clean
    }
}
