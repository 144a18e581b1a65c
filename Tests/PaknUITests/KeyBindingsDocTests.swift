import Foundation
import PaknCore
import Testing
@testable import PaknUI

private let deskRepoRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().path

@Suite("Generated docs and desk messages")
struct KeyBindingsDocTests {
    @Test func keybindingsFileIsUpToDate() throws {
        let path = deskRepoRoot + "/docs/keybindings.md"
        let expected = KeyBindingsDoc.document()
        if ProcessInfo.processInfo.environment["PAKN_UPDATE_DOCS"] == "1" {
            try FileManager.default.createDirectory(atPath: deskRepoRoot + "/docs", withIntermediateDirectories: true)
            try expected.write(toFile: path, atomically: true, encoding: .utf8)
        }
        let actual = try? String(contentsOfFile: path, encoding: .utf8)
        #expect(actual == expected,
                "docs/keybindings.md is stale: run `PAKN_UPDATE_DOCS=1 swift test --filter KeyBindingsDoc` and commit it")
    }

    @Test func docListsEveryBoundKeyOfEveryContext() {
        for lang in Lang.allCases {
            let md = KeyBindingsDoc.markdown(lang: lang)
            for ctx in KeyContext.allCases {
                for (keys, a) in HelpText.entries(.standard, ctx) {
                    #expect(md.contains("`\(a.id.rawValue)`"), "\(a.id) missing")
                    #expect(md.contains("`\(keys[0].description)`"), "\(keys[0]) of \(a.id) missing")
                }
            }
        }
        // A rebinding shows in the generated doc.
        let map = KeyConfig.parse(toml: "[keys]\nassign = \"C-a\"\n").keyMap
        #expect(KeyBindingsDoc.markdown(lang: .en, keyMap: map).contains("| `C-a` | Assign to an official"))
    }

    /// Every `desk.…` key the desk's sources use exists in the catalog (a missing key would
    /// show as the raw key on screen).
    @Test func everyDeskMessageKeyExists() throws {
        let dir = deskRepoRoot + "/Sources/PaknUI"
        let files = FileManager.default.enumerator(atPath: dir)?.compactMap { $0 as? String }.filter { $0.hasSuffix(".swift") } ?? []
        #expect(!files.isEmpty)
        var prefixes: Set<String> = []
        for f in files {
            let text = try String(contentsOfFile: dir + "/" + f, encoding: .utf8)
            var rest = Substring(text)
            while let r = rest.range(of: "\"desk.") {
                let tail = rest[r.lowerBound...].dropFirst()
                let key = tail.prefix { $0.isLetter || $0.isNumber || $0 == "." || $0 == "_" }
                if key.hasSuffix(".") { prefixes.insert(String(key)) } else {
                    #expect(L10n.has(String(key)), "\(f): \(key)")
                }
                rest = tail
            }
        }
        // Keys built from a prefix and an enum value.
        let dynamic: [String: [String]] = [
            "desk.act.": ActionID.allCases.map(\.rawValue),
            "desk.ctx.": KeyContext.allCases.map(\.rawValue),
            "desk.col.": QueueColumns.Column.allCases.filter { $0 != .mark }.map(\.rawValue),
            "desk.order.": QueueOrder.allCases.map(\.rawValue),
            "desk.sort.": SortColumn.allCases.map(\.rawValue),
            "desk.view.": QueueView.allCases.map(\.rawValue),
            "desk.view_short.": QueueView.allCases.map(\.rawValue),
            "desk.status_short.": CaseStatus.allCases.map(\.rawValue),
            "desk.kind_short.": CaseKind.allCases.map(\.rawValue),
            "desk.d.counting.": ["working", "calendar"],
            "desk.prompt.": ["reject", "reopen", "transfer", "escalate", "extend", "wait", "resume"],
            "desk.send.title.": DraftKey.Kind.allCases.map(\.rawValue),
            "desk.confirm.send.": DraftKey.Kind.allCases.map(\.rawValue),
            "desk.intake.f.": IntakeForm.Field.allCases.map(\.rawValue),
        ]
        #expect(prefixes.isSubset(of: Set(dynamic.keys)), "unchecked prefixes: \(prefixes.subtracting(dynamic.keys))")
        for (prefix, values) in dynamic {
            for v in values { #expect(L10n.has(prefix + v), "\(prefix)\(v)") }
        }
    }
}
