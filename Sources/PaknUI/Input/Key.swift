/// One keystroke (or terminal event) as the desk sees it. The terminal backend maps its
/// raw codes (ncurses `get_wch`) to these; `update` never sees ncurses constants.
///
/// Mapping rules for the terminal backend:
/// - Printable text, including Vietnamese letters, CJK and emoji, arrives as `.char`.
///   One `.char` per wide character read is fine: a combining mark (NFD input, e.g.
///   `"e"` then `"\u{0302}"` then `"\u{0301}"`) may arrive as its own `.char`; the editor
///   merges it with the character before and keeps text in NFC. Space is `.char(" ")`.
/// - Several characters at once (bracketed paste) may be sent as `.paste`; sending them one
///   `.char` at a time also works.
/// - Ctrl-I, Ctrl-M / Ctrl-J and Ctrl-[ arrive as `.tab`, `.enter` and `.escape`; Ctrl-H,
///   DEL (0x7F) and KEY_BACKSPACE as `.backspace`; KEY_DC as `.delete`. Other control
///   codes 0x01–0x1A are `.ctrl` with the lower-case letter (`.ctrl("r")` for 0x12).
/// - ESC followed at once by a character is `.alt(character)`; ESC alone is `.escape`.
/// - KEY_BTAB is `.backTab`; KEY_F(n) is `.function(n)`; KEY_RESIZE is `.resize` with the
///   new size (columns, rows).
public enum Key: Hashable, Sendable {
    case char(Character)
    case paste(String)
    case up, down, left, right
    case pageUp, pageDown, home, end
    case enter, tab, backTab, escape, backspace, delete, insert
    /// Control plus a letter, always lower case: `.ctrl("s")`.
    case ctrl(Character)
    /// Meta/Alt plus a character (ESC prefix): `.alt("1")`.
    case alt(Character)
    /// F1…F12.
    case function(Int)
    /// The terminal changed size to `width` columns by `height` rows.
    case resize(width: Int, height: Int)
    /// A mouse click or wheel turn at column `x`, row `y` (ncurses mouse events; off with
    /// `mouse = false` in the config file).
    case mouse(x: Int, y: Int, MouseAction)

    /// Whether this key types text into an editor (no modifier, not a control).
    public var typedText: String? {
        switch self {
        case let .char(c):
            if c.unicodeScalars.allSatisfy({ $0.value >= 0x20 && !(0x7F..<0xA0).contains($0.value) }) { return String(c) }
            return nil
        case let .paste(s): return s
        default: return nil
        }
    }
}

/// What the mouse did.
public enum MouseAction: String, Hashable, Sendable {
    case click
    case wheelUp = "wheel_up"
    case wheelDown = "wheel_down"
}

extension Key: CustomStringConvertible {
    /// The key's name as written in the config file, the help overlay and the docs:
    /// `a`, `A`, `Space`, `Enter`, `Tab`, `S-Tab`, `Esc`, `Backspace`, `Delete`, `Up`,
    /// `PgDn`, `Home`, `C-s`, `M-1`, `F1`.
    public var description: String {
        switch self {
        case let .char(c): return c == " " ? "Space" : String(c)
        case .paste: return "Paste"
        case .up: return "Up"
        case .down: return "Down"
        case .left: return "Left"
        case .right: return "Right"
        case .pageUp: return "PgUp"
        case .pageDown: return "PgDn"
        case .home: return "Home"
        case .end: return "End"
        case .enter: return "Enter"
        case .tab: return "Tab"
        case .backTab: return "S-Tab"
        case .escape: return "Esc"
        case .backspace: return "Backspace"
        case .delete: return "Delete"
        case .insert: return "Insert"
        case let .ctrl(c): return "C-\(c)"
        case let .alt(c): return "M-\(c == " " ? "Space" : String(c))"
        case let .function(n): return "F\(n)"
        case let .resize(w, h): return "Resize(\(w)x\(h))"
        case let .mouse(x, y, a): return "Mouse(\(a.rawValue) \(x),\(y))"
        }
    }

    private static let named: [String: Key] = [
        "space": .char(" "), "up": .up, "down": .down, "left": .left, "right": .right,
        "pgup": .pageUp, "pageup": .pageUp, "pgdn": .pageDown, "pagedown": .pageDown,
        "home": .home, "end": .end, "enter": .enter, "return": .enter, "ret": .enter,
        "tab": .tab, "s-tab": .backTab, "backtab": .backTab, "shift-tab": .backTab,
        "esc": .escape, "escape": .escape, "backspace": .backspace, "bs": .backspace,
        "delete": .delete, "del": .delete, "insert": .insert, "ins": .insert,
    ]

    /// Parses a key name as `description` writes it. Also accepts `Ctrl-s`, `^S`,
    /// `Alt-1`, `PageDown`, `Escape`, `Return`. Letters after `C-` are folded to lower case.
    public init?(name raw: String) {
        let name = raw.trimmingCharacters(in: .whitespaces)
        if name.count == 1, let c = name.first {
            if c.unicodeScalars.allSatisfy({ $0.value >= 0x21 && $0.value != 0x7F }) { self = .char(c); return }
            return nil
        }
        let lower = name.lowercased()
        if let k = Key.named[lower] { self = k; return }
        for prefix in ["c-", "ctrl-", "ctrl+", "^"] where lower.hasPrefix(prefix) {
            let rest = String(name.dropFirst(prefix.count))
            guard rest.count == 1, let c = rest.lowercased().first, c.isASCII, c.isLetter else { return nil }
            self = .ctrl(c); return
        }
        for prefix in ["m-", "alt-", "alt+", "meta-"] where lower.hasPrefix(prefix) {
            let rest = String(name.dropFirst(prefix.count))
            if rest.lowercased() == "space" { self = .alt(" "); return }
            guard rest.count == 1, let c = rest.first else { return nil }
            self = .alt(c); return
        }
        if lower.hasPrefix("f"), let n = Int(lower.dropFirst()), (1...24).contains(n) { self = .function(n); return }
        return nil
    }
}
