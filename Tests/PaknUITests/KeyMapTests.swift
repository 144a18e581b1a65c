import Foundation
import PaknCore
import Testing
@testable import PaknUI

@Suite("Keys, registry and rebinding")
struct KeyMapTests {
    @Test func keyNamesRoundTrip() {
        let keys: [Key] = [.char("a"), .char("A"), .char(" "), .char("?"), .char("đ"), .up, .down, .left, .right, .pageUp,
                           .pageDown, .home, .end, .enter, .tab, .backTab, .escape, .backspace, .delete, .insert,
                           .ctrl("s"), .alt("1"), .function(1), .function(12)]
        for k in keys {
            #expect(Key(name: k.description) == k, "\(k)")
        }
        #expect(Key(name: "Ctrl-S") == .ctrl("s"))
        #expect(Key(name: "^R") == .ctrl("r"))
        #expect(Key(name: "alt-x") == .alt("x"))
        #expect(Key(name: "PageDown") == .pageDown)
        #expect(Key(name: "nonsense") == nil)
        #expect(Key(name: "C-1") == nil)
        #expect(Key(name: "") == nil)
    }

    @Test func typedTextExcludesControls() {
        #expect(Key.char("ệ").typedText == "ệ")
        #expect(Key.char("\u{1B}").typedText == nil)
        #expect(Key.ctrl("a").typedText == nil)
        #expect(Key.paste("xin chào").typedText == "xin chào")
    }

    @Test func defaultBindingsHaveNoConflicts() {
        let conflicts = KeyMap.standard.conflicts()
        #expect(conflicts.isEmpty, "\(conflicts.map { "\($0.0) \($0.1): \($0.2) vs \($0.3)" })")
    }

    @Test func everyActionIsReachable() {
        // Each action has a key in some context, or is a command.
        for a in ActionRegistry.all {
            let bound = a.contexts.contains { !KeyMap.standard.keys(for: a.id, in: $0).isEmpty }
            #expect(bound || a.command, "\(a.id) can be neither pressed nor typed")
            #expect(L10n.has("desk.act.\(a.id.rawValue)"), "help text of \(a.id)")
        }
        #expect(Set(ActionRegistry.all.map(\.id)) == Set(ActionID.allCases), "every ActionID is in the registry once")
        #expect(ActionRegistry.all.count == ActionID.allCases.count)
    }

    @Test func typingContextsNeverTreatTextAsAnAction() {
        // `j` moves in the queue but types in the editor and in pickers.
        let map = KeyMap.standard
        #expect(map.action(for: .char("j"), in: [.queue, .global])?.id == .down)
        #expect(map.action(for: .char("j"), in: [.editor]) == nil)
        #expect(map.action(for: .char("j"), in: [.picker]) == nil)
        #expect(map.action(for: .down, in: [.picker])?.id == .down)
        #expect(map.action(for: .char("?"), in: [.editor]) == nil)
        #expect(map.action(for: .function(1), in: [.editor])?.id == .help)
    }

    @Test func indexedActionsReportThePosition() {
        let hit = KeyMap.standard.action(for: .alt("3"), in: [.editor])
        #expect(hit?.id == .insertTemplate && hit?.index == 2)
        let score = KeyMap.standard.action(for: .char("5"), in: [.rating])
        #expect(score?.id == .score && score?.index == 4)
    }

    @Test func configRebindsAndUnbinds() {
        let toml = """
        theme = "dark"

        [keys]
        assign = "A"
        reply = ["R", "C-r"]
        quit = []
        """
        let r = KeyConfig.parse(toml: toml)
        #expect(r.warnings.isEmpty, "\(r.warnings)")
        let map = r.keyMap
        #expect(map.action(for: .char("A"), in: [.queue, .global])?.id == .assign)
        #expect(map.action(for: .char("a"), in: [.queue, .global]) == nil)
        #expect(map.action(for: .ctrl("r"), in: [.queue, .global])?.id == .reply)
        #expect(map.action(for: .char("q"), in: [.queue, .global]) == nil)
        #expect(map.keys(for: .quit).isEmpty)
    }

    @Test func configProblemsAreReportedNotFatal() {
        let r = KeyConfig.parse(toml: """
        [keys]
        fly = "f"
        assign = 3
        reply = ["R", "Hyper-Q"]
        reject = "a"
        """)
        let texts = r.warnings.map { $0.text(.en) }
        #expect(texts.contains { $0.contains("no action \"fly\"") }, "\(texts)")
        #expect(texts.contains { $0.contains("[keys] assign") })
        #expect(texts.contains { $0.contains("Hyper-Q") })
        // `a` now rebinds reject while assign keeps its default `a`: a conflict in the global context.
        #expect(texts.contains { $0.contains("a is bound to both") }, "\(texts)")
        #expect(r.overrides[.reply] == [.char("R")])
        // The rebinding wins the key.
        #expect(r.keyMap.action(for: .char("a"), in: [.global])?.id == .reject)

        let bad = KeyConfig.parse(toml: "[keys\nassign = ")
        #expect(bad.overrides.isEmpty)
        #expect(bad.warnings.count == 1)
        #expect(KeyConfig.parse(toml: "").warnings.isEmpty)
        #expect(KeyConfig.parse(toml: "keys = 1").warnings.count == 1)
    }

    @Test func reboundKeysDriveDispatch() {
        let map = KeyConfig.parse(toml: "[keys]\ndown = [\"n\", \"Down\"]\nnote = \"N\"\n").keyMap
        let desk = FakeDesk(rows: DeskFixtures.rows(10), keyMap: map)
        desk.send(.char("n"))
        #expect(desk.state.queue.selected == 1)
        #expect(desk.state.composing == nil)
        desk.send(.char("N"))
        #expect(desk.state.composing?.kind == .note)
        // The help overlay shows the new key.
        let help = HelpText.lines(desk.state, contexts: [.queue, .global]).map { $0.map(\.text).joined() }
        #expect(help.contains { $0.contains("n, Down") })
    }
}
