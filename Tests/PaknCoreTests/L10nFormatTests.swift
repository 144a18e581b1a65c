import Foundation
import Testing
@testable import PaknCore

/// `L10n.format` fills placeholders byte by byte; it must give what the character-by-
/// character fill gave, for every message of the catalog.
@Suite("Message formatting")
struct L10nFormatTests {
    static func reference(_ text: String, _ args: [String]) -> String {
        let template = Array(text)
        var out = ""
        var i = 0
        while i < template.count {
            if template[i] == "{", let close = template[i...].firstIndex(of: "}"),
               let n = Int(String(template[(i + 1)..<close])), n >= 0, n < args.count {
                out += args[n]
                i = close + 1
            } else {
                out.append(template[i])
                i += 1
            }
        }
        return out
    }

    @Test func everyMessageFillsAsBefore() {
        let argSets: [[String]] = [[], ["Hà Nội"], ["{1}", "x", "{0}"], ["12", "Phường Hoàn Kiếm", "", "😀", "a}b{"],
                                   (0..<12).map { "arg\($0)" }]
        var checked = 0
        for (key, entry) in Catalog.entries {
            for text in [entry.vi, entry.en] {
                for args in argSets {
                    let lang: Lang = text == entry.vi ? .vi : .en
                    #expect(L10n.format(key, lang, args) == Self.reference(text, args), "\(key)")
                    checked += 1
                }
            }
        }
        #expect(checked > 1000)
        // Odd templates: unclosed, empty, signed and out-of-range placeholders.
        for text in ["{", "}{", "{}", "{x}", "{+1}", "{-0}", "{99}", "a{0", "{0}{1}{0}", "{{0}}", "ư{0}ư"] {
            #expect(Self.reference(text, ["A", "B"]) == Self.fill(text, ["A", "B"]), "\(text)")
        }
    }

    /// `L10n.format`'s fill on any template (through a catalog entry the test adds nothing to).
    static func fill(_ text: String, _ args: [String]) -> String { L10n.fill(text, args) }
}
