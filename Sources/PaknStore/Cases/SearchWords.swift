import Foundation
import PaknCore

/// A search as the words it asks for: what a person typed, folded (`VietnameseFold`) and
/// cut where the search index's tokenizer cuts, every word required, the last one a prefix
/// while typing. `match` is the FTS5 query for it (what `SearchIndex.match` writes).
///
/// Two things let a search avoid the index (`SearchPages`):
/// - `narrows(_:)`: every case this search finds, `other` finds too (typing only adds
///   letters and words), so this search's cases are among `other`'s;
/// - `matches(_:)`: whether a case's own text holds the words, decided as the index decides
///   it, or nil when that cannot be told for certain without the index.
struct SearchWords: Hashable, Sendable {
    var words: [String]
    var lastIsPrefix: Bool

    init?(_ text: String, prefixLast: Bool = true) {
        let words = VietnameseFold.fold(text).unicodeScalars.split { !SearchIndex.isTokenScalar($0) }
            .map { String(String.UnicodeScalarView($0)) }
        guard !words.isEmpty else { return nil }
        self.words = words
        lastIsPrefix = prefixLast
        wordBytes = words.map { Array($0.utf8) }
    }

    /// The words as UTF-8, for `matches`.
    private let wordBytes: [[UInt8]]

    /// The FTS5 query: every word quoted, the last one with `*` while typing.
    var match: String {
        words.enumerated().map { i, w in
            let quoted = "\"" + w.replacingOccurrences(of: "\"", with: "\"\"") + "\""
            return (lastIsPrefix && i == words.count - 1) ? quoted + "*" : quoted
        }.joined(separator: " ")
    }

    /// The words that must appear whole (all but a prefix last word).
    var exactWords: ArraySlice<String> { lastIsPrefix ? words.dropLast() : words[...] }
    var prefix: String? { lastIsPrefix ? words.last : nil }

    /// Whether every word is ASCII letters and digits, the only words `matches` decides.
    var isPlain: Bool { words.allSatisfy { $0.utf8.allSatisfy(Self.isTokenByte) } }

    /// Whether every case this search finds is found by `other`: each whole word of `other`
    /// is a whole word here, and `other`'s prefix starts one of the words here.
    func narrows(_ other: SearchWords) -> Bool {
        let mine = Set(exactWords)
        for w in other.exactWords where !mine.contains(w) { return false }
        if let p = other.prefix, !words.contains(where: { $0.hasPrefix(p) }) { return false }
        return true
    }

    /// Whether a case's searchable text — its code, title, body and address as stored, each
    /// indexed on its own — holds every word, as the search index would decide it: folded,
    /// cut into runs of ASCII letters and digits (unicode61's token characters among ASCII;
    /// every other ASCII character separates). Nil when a text holds anything else than
    /// ASCII and a few punctuation marks that separate words whatever the Unicode version
    /// (dashes, quotes, "…" and the like, U+2010–2027; « » · and the no-break space): a
    /// letter of another script might join a word in the index's eyes, so only the index
    /// can tell. Only for `isPlain` words.
    func matches(_ columns: [String]) -> Bool? { matches(folded: Self.folded(columns)) }

    /// The columns folded into one buffer, a space between them (a separator: no word runs
    /// from one column into the next, as the index keeps them apart).
    static func folded(_ columns: [String]) -> [UInt8] {
        var folded: [UInt8] = []
        for text in columns {
            VietnameseFold.fold(text, into: &folded)
            folded.append(0x20)
        }
        return folded
    }

    /// `matches` on text already `folded`.
    func matches(folded: [UInt8]) -> Bool? {
        var found = [Bool](repeating: false, count: wordBytes.count)
        let last = wordBytes.count - 1
        return folded.withUnsafeBufferPointer { bytes -> Bool? in
            var i = 0
            while i < bytes.count {
                let b = bytes[i]
                if Self.isTokenByte(b) {
                    var j = i + 1
                    while j < bytes.count && Self.isTokenByte(bytes[j]) { j += 1 }
                    let token = UnsafeBufferPointer(rebasing: bytes[i..<j])
                    for k in 0...last where !found[k] {
                        let w = wordBytes[k]
                        if lastIsPrefix && k == last {
                            found[k] = token.count >= w.count && token.prefix(w.count).elementsEqual(w)
                        } else {
                            found[k] = token.count == w.count && token.elementsEqual(w)
                        }
                    }
                    i = j
                } else if b < 0x80 {
                    // Folding lower-cases ASCII; a capital here would be a token character.
                    if b >= 0x41 && b <= 0x5A { return nil }
                    i += 1
                } else {
                    // A scalar beyond ASCII: only the known separators are decided here.
                    var scalar: UInt32, len: Int
                    if b & 0xE0 == 0xC0 { scalar = UInt32(b & 0x1F); len = 2 } else if b & 0xF0 == 0xE0 {
                        scalar = UInt32(b & 0x0F); len = 3
                    } else { return nil }
                    guard i + len <= bytes.count else { return nil }
                    for k in 1..<len { scalar = scalar << 6 | UInt32(bytes[i + k] & 0x3F) }
                    guard Self.isSeparator(scalar) else { return nil }
                    i += len
                }
            }
            return found.allSatisfy { $0 }
        }
    }

    /// ASCII digits and (folded, so lower-case) letters.
    static func isTokenByte(_ b: UInt8) -> Bool {
        (b >= 0x30 && b <= 0x39) || (b >= 0x61 && b <= 0x7A)
    }

    /// Punctuation and spaces that are no letter, digit or private-use character in any
    /// Unicode version (General Punctuation U+2010–2027: dashes, quotes, bullets, "…";
    /// no-break space; « · »).
    static func isSeparator(_ v: UInt32) -> Bool {
        (v >= 0x2010 && v <= 0x2027) || v == 0xA0 || v == 0xAB || v == 0xB7 || v == 0xBB
    }
}
