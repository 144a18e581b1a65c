import Foundation
import PaknCore
import PaknTerminal
import PaknUI

/// A screen that exercises the terminal layer without a database: every style role of the
/// theme, Vietnamese (NFC and NFD), CJK, emoji (joined, flags, variation selectors), control
/// characters made visible, the right edge and the bottom-right cell, and the last key
/// read. `q` (or Esc twice) quits. Wired to the hidden command `pakn desk-selftest`.
func runTerminalSelfTest(themeName: String?, lang: Lang) -> Int32 {
    let theme: Theme
    do {
        try Terminal.requireUTF8Locale()
        theme = try ThemeLoader().resolve(requested: themeName)
    } catch let error as TerminalError {
        FileHandle.standardError.write(Data((error.bilingualText + "\n").utf8))
        return 2
    } catch let error as ThemeError {
        FileHandle.standardError.write(Data((error.text(lang) + "\n").utf8))
        return 2
    } catch {
        FileHandle.standardError.write(Data("\(error)\n".utf8))
        return 2
    }
    let terminal = Terminal()
    do { try terminal.start(theme: theme) } catch let error as TerminalError {
        FileHandle.standardError.write(Data((error.bilingualText + "\n").utf8))
        return 2
    } catch { return 2 }
    defer { terminal.stop() }

    var keys: [String] = []
    var ticks = 0
    var escapes = 0
    var lastKeyAt = Date()
    var latencyMs = 0
    while true {
        if let sig = terminal.pendingSignal { return 128 + sig }
        terminal.draw(selfTestGrid(width: terminal.width, height: terminal.height, theme: terminal.theme,
                                   colors: terminal.colors, keys: keys, ticks: ticks, drawn: terminal.lastDrawnCells,
                                   latencyMs: latencyMs))
        let before = Date()
        guard let key = terminal.readKey(timeoutMs: 250) else { ticks += 1; continue }
        lastKeyAt = Date()
        latencyMs = Int(lastKeyAt.timeIntervalSince(before) * 1000)
        if key == .char("q") { return 0 }
        if key == .escape { escapes += 1; if escapes >= 2 { return 0 } } else { escapes = 0 }
        keys.append(key.description)
        if keys.count > 8 { keys.removeFirst() }
    }
}

func selfTestGrid(width: Int, height: Int, theme: Theme, colors: Int, keys: [String], ticks: Int, drawn: Int,
                  latencyMs: Int) -> Grid {
    var g = Grid(width: width, height: height)
    guard width >= 40, height >= 12 else {
        g.put("Cửa sổ quá nhỏ / too small", x: 0, y: 0, role: .statusError)
        g.put("\(width)×\(height)", x: 0, y: 1)
        return g
    }
    g.fill(x: 0, y: 0, width: width, height: 1, role: .titleBar)
    g.put(" pakn · kiểm tra terminal · theme \(theme.name) · \(colors) màu · \(width)×\(height)", x: 0, y: 0, role: .titleBar)
    let lines: [(String, StyleRole)] = [
        ("NFC: Nguyễn Thị Hường — Phường Bến Nghé, Quận 1", .normal),
        ("NFD: Nguye\u{302}\u{303}n Thi\u{323} Hu\u{31B}\u{300}o\u{31B}ng", .normal),
        ("CJK: 中文漢字 한국어 にほんご|", .normal),
        ("Emoji: 👍 ❤️ 👨‍👩‍👧 🇻🇳 👍🏽 ✅|", .normal),
        ("Ctrl: a\u{1B}[31mb\u{07}c\u{202E}d|", .normal),
    ]
    var y = 2
    for (text, role) in lines {
        g.put(text, x: 1, y: y, role: role, maxWidth: width - 2)
        y += 1
    }
    g.put("Phím: " + keys.joined(separator: " "), x: 1, y: y, role: .prompt, maxWidth: width - 2)
    y += 1
    g.put("nhịp \(ticks)  ô vẽ lại \(drawn)  chờ phím \(latencyMs) ms", x: 1, y: y, role: .dim)
    y += 2
    // Every role, in columns.
    let colWidth = 26
    let perColumn = max(1, height - y - 2)
    for (i, role) in StyleRole.allCases.enumerated() {
        let cx = 1 + (i / perColumn) * colWidth
        let cy = y + i % perColumn
        if cx + colWidth > width { break }
        g.put(TerminalText.pad(role.rawValue, to: colWidth - 1), x: cx, y: cy, role: role)
    }
    // A wide character that does not fit the last column is cut, never half drawn.
    g.put("边界边界边界", x: width - 5, y: 1, role: .emphasis)
    g.fill(x: 0, y: height - 1, width: width, height: 1, role: .statusLine)
    g.put(" q thoát · Esc Esc thoát · phím bất kỳ để xem mã", x: 0, y: height - 1, role: .statusLine)
    g.put("◢", x: width - 1, y: height - 1, role: .statusInfo)
    return g
}
