import Foundation
import PaknCore
@testable import PaknDemo
@testable import PaknStore
import Testing
@testable import PaknUI

/// Random key sequences against the real desk (`DeskRunner`: the pure update and view, with
/// the store answering on a copy of the demo database), as several officials, at random
/// terminal sizes. After every key the frame is rendered and checked: the grid has exactly
/// width × height cells, every row adds up to the width, and no cell holds a C0 or C1
/// control character, DEL or ESC (nothing citizen-supplied or typed reaches the terminal raw).
///
/// A crash stops the test process; every episode's seed is printed first, so
/// `PAKN_FUZZ_SEED=N PAKN_FUZZ_SECONDS=1` replays it, and the episode's keys can be kept with
/// `KeyScript.write` as a regression test (`DeskFuzzRegressionTests`).
///
/// In the suite it runs for `PAKN_FUZZ_SECONDS` (default 3) seconds; `make fuzz-desk` runs it
/// longer (mk/desk-fuzz.mk).
@Suite("Desk fuzzing (random keys)", .serialized)
struct DeskFuzzTests {
    static let officials = ["vanthu.hoankiem", "canbo.hoankiem.kt", "lanhdao.hoankiem", "xem.hanoi", "admin"]

    /// Characters worth typing: ASCII, Vietnamese precomposed and combining, CJK, emoji
    /// (joined, flags, variation selectors), and hostile ones (ESC, C1, BEL, NUL, bidi, DEL).
    static let alphabet: [Character] = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 .,:/-_()[]?!#@")
        + Array("ăâđêôơưàảãáạằẳẵắặầẩẫấậèẻẽéẹềểễếệìỉĩíịòỏõóọồổỗốộờởỡớợùủũúụừửữứựỳỷỹýỵĐƯƠ")
        + ["e\u{301}", "a\u{323}\u{302}", "漢", "字", "😀", "👨‍👩‍👧", "🇻🇳", "🌧️", "\u{1B}", "\u{9B}", "\u{7}", "\u{0}",
           "\u{202E}", "\u{7F}", "\u{85}", "\t", "\r\n"]

    static let hostilePastes = ["\u{1B}]52;c;SGVsbG8=\u{7}\u{1B}[2J", "dòng 1\ndòng 2\r\ndòng 3", String(repeating: "x", count: 5000),
                                "\u{202E}đảo ngược\u{202C}", "\u{9B}31mC1", "HN-2026-000001", "tab\there"]

    static func randomKey(_ rng: inout SeededRandom, bound: [Key]) -> Key {
        switch rng.int(0...99) {
        case 0..<45: return rng.pick(bound)
        case 45..<70: return .char(rng.pick(alphabet))
        case 70..<80: return rng.pick([.up, .down, .left, .right, .pageUp, .pageDown, .home, .end, .enter, .tab, .backTab,
                                       .escape, .backspace, .delete, .insert] as [Key])
        case 80..<86: return .ctrl(rng.pick(Array("abcdefghijklmnopqrstuvwxyz")))
        case 86..<90: return .alt(rng.pick(Array("0123456789abcxyz ")))
        case 90..<93: return .function(rng.int(1...12))
        case 93..<96: return .paste(rng.pick(hostilePastes))
        default:
            let sizes = [(0, 0), (1, 1), (30, 8), (59, 15), (60, 16), (80, 24), (120, 40), (139, 30), (140, 30), (200, 50), (300, 90)]
            let (w, h) = rng.pick(sizes)
            return .resize(width: w, height: h)
        }
    }

    /// Every key bound in some context (the registry's defaults), so the desk goes deep.
    static let boundKeys: [Key] = {
        var keys: [Key] = []
        for a in ActionRegistry.all { keys += KeyMap.standard.keys(for: a.id) }
        return keys.filter { $0 != .char("q") }   // quitting is tried, but not as often as the rest
            + [.char("q")]
    }()

    /// What must hold of any frame; the first problem, or nil.
    static func problem(_ g: Grid, width: Int, height: Int) -> String? {
        guard g.width == width, g.height == height, g.cells.count == width * height else {
            return "grid \(g.width)×\(g.height) with \(g.cells.count) cells for a \(width)×\(height) terminal"
        }
        for y in 0..<g.height {
            var cols = 0
            for x in 0..<g.width {
                let c = g[x, y]
                if let bad = c.text.unicodeScalars.first(where: { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) }) {
                    return String(format: "control U+%04X in the cell at %d,%d", bad.value, x, y)
                }
                if c.continuation {
                    guard c.text.isEmpty else { return "continuation cell with text at \(x),\(y)" }
                    continue
                }
                cols += max(1, TerminalText.width(c.text.isEmpty ? " " : c.text))
            }
            if cols != g.width {
                let text = (0..<g.width).map { g[$0, y] }.filter { !$0.continuation }.map { $0.text.isEmpty ? " " : $0.text }.joined()
                let wide = (0..<g.width).compactMap { x -> String? in
                    let c = g[x, y]
                    guard !c.continuation, TerminalText.width(c.text.isEmpty ? " " : c.text) != 1 else { return nil }
                    return "\(x):\(c.text.unicodeScalars.map { String(format: "U+%04X", $0.value) }.joined(separator: "+"))"
                }
                return "row \(y) adds up to \(cols) columns, not \(g.width): \"\(text)\" (cells not one column wide: \(wide.joined(separator: " ")))"
            }
        }
        return nil
    }

    static var seconds: Double {
        Double(ProcessInfo.processInfo.environment["PAKN_FUZZ_SECONDS"] ?? "") ?? 3
    }

    @Test func randomKeysNeverCrashNorLeakControls() throws {
        let db = try DemoDB.copy()
        let base = UInt64(ProcessInfo.processInfo.environment["PAKN_FUZZ_SEED"] ?? "") ?? UInt64.random(in: 1...1_000_000)
        let deadline = Date().addingTimeInterval(Self.seconds)
        var episodes = 0, keys = 0, performed = 0
        var timing = (update: 0.0, render: 0.0, check: 0.0)
        while Date() < deadline || episodes == 0 {
            let seed = base &+ UInt64(episodes)
            // Printed before the episode runs: if it crashes the process, this is the way back.
            print("desk fuzz: episode seed \(seed)")
            var rng = SeededRandom(seed: seed)
            let login = rng.pick(Self.officials)
            var (w, h) = rng.pick([(80, 24), (120, 40), (60, 16), (200, 50)])
            let lang: Lang = rng.chance(0.5) ? .vi : .en
            let r = try DemoDB.runner(db, login, width: w, height: h, lang: lang)
            var history: [Key] = []
            // The time limit holds within an episode too (a loaded machine renders slowly).
            for n in 0..<400 where Date() < deadline || (episodes == 0 && n < 50) {
                let k = Self.randomKey(&rng, bound: Self.boundKeys)
                history.append(k)
                if case let .resize(nw, nh) = k { (w, h) = (nw, nh) }
                let t0 = Date()
                r.send(k)
                let t1 = Date()
                let frame = r.frame()
                let t2 = Date()
                let problem = Self.problem(frame, width: w, height: h)
                timing.update += t1.timeIntervalSince(t0); timing.render += t2.timeIntervalSince(t1)
                timing.check += Date().timeIntervalSince(t2)
                keys += 1
                if let p = problem {
                    Issue.record("seed \(seed) as \(login), after \(history.count) keys: \(p)\nkeys:\n\(KeyScript.write(history))")
                    return
                }
                if r.shouldQuit { break }
            }
            performed += r.effectsRun
            episodes += 1
        }
        print("desk fuzz: \(episodes) episodes, \(keys) keys, \(performed) effects from seed \(base); "
              + String(format: "update %.1f s, render %.1f s, check %.1f s", timing.update, timing.render, timing.check))
        #expect(keys > 0)
    }

    @Test func keyScriptsRoundTrip() throws {
        var rng = SeededRandom(seed: 5)
        let keys = (0..<2000).map { _ in Self.randomKey(&rng, bound: Self.boundKeys) }
        #expect(try KeyScript.parse(KeyScript.write(keys)) == keys)
        #expect(throws: KeyScript.BadLine.self) { try KeyScript.parse("j\nno-such-key\n") }
    }
}
