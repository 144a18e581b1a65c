import Foundation

/// Keys written down, one per line, for running the desk without a terminal
/// (`pakn desk-script`, the crash tests, a fuzzer's crasher kept as a regression test):
///
/// ```text
/// # a comment
/// 3            ← a key by name, as `Key.description` writes it (j, Enter, C-s, M-3, PgDn, Esc, Space)
/// text: kinh te ← these characters typed one by one
/// char: "\u001b" ← one character key, any character, as a JSON string
/// paste: "a\nb"  ← a bracketed paste, as a JSON string
/// resize 80 24 ← the terminal resized
/// ```
///
/// Blank lines are skipped. A line that is none of these is an error with its line number.
public enum KeyScript {
    public struct BadLine: Error, Equatable {
        public var line: Int
        public var text: String
    }

    public static func parse(_ script: String) throws -> [Key] {
        var keys: [Key] = []
        for (i, raw) in script.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.hasSuffix("\r") ? String(raw.dropLast()) : String(raw)
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
            if line.hasPrefix("text:") {
                var text = line.dropFirst(5)
                if text.first == " " { text = text.dropFirst() }
                keys += text.map { Key.char($0) }
                continue
            }
            for (prefix, make) in [("char:", { (t: String) -> [Key] in t.map { Key.char($0) } }),
                                   ("paste:", { (t: String) -> [Key] in [Key.paste(t)] })] where line.hasPrefix(prefix) {
                guard let data = line.dropFirst(prefix.count).trimmingCharacters(in: .whitespaces).data(using: .utf8),
                      let t = try? JSONSerialization.jsonObject(with: data, options: .fragmentsAllowed) as? String else {
                    throw BadLine(line: i + 1, text: line)
                }
                keys += make(t)
            }
            if line.hasPrefix("char:") || line.hasPrefix("paste:") { continue }
            let words = trimmed.split(separator: " ")
            if words.count == 3, words[0] == "resize", let w = Int(words[1]), let h = Int(words[2]), w >= 0, h >= 0 {
                keys.append(.resize(width: w, height: h))
                continue
            }
            guard let k = Key(name: trimmed) else { throw BadLine(line: i + 1, text: line) }
            keys.append(k)
        }
        return keys
    }

    /// The script that `parse` reads back as `keys` (typed characters grouped on `text:` lines).
    public static func write(_ keys: [Key]) -> String {
        var lines: [String] = []
        var text = ""
        func flush() { if !text.isEmpty { lines.append("text: " + text); text = "" } }
        for k in keys {
            switch k {
            case let .char(c) where !c.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F || $0 == "\n" }):
                text.append(c)
            case let .char(c):
                flush(); lines.append("char: " + json(String(c)))
            case let .paste(t):
                flush(); lines.append("paste: " + json(t))
            case let .resize(w, h):
                flush(); lines.append("resize \(w) \(h)")
            default:
                flush(); lines.append(k.description)
            }
        }
        flush()
        return lines.joined(separator: "\n") + "\n"
    }

    static func json(_ s: String) -> String {
        let data = (try? JSONSerialization.data(withJSONObject: s, options: [.fragmentsAllowed, .withoutEscapingSlashes])) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }
}
