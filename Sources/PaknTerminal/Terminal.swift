import CNcursesw
import Foundation
import PaknCore
import PaknUI

/// Why the terminal could not be set up. Shown before anything is drawn.
public enum TerminalError: Error, Equatable, Localized {
    /// The C locale is not UTF-8 after `setlocale(LC_ALL, "")`.
    case notUTF8(codeset: String)
    /// Standard input or output is not a terminal.
    case notATTY
    /// ncurses could not open the terminal named by TERM.
    case initFailed(term: String)
    /// The terminal cannot move the cursor (TERM=dumb…): no screen could be drawn.
    case cannotAddressCursor(term: String)

    public func text(_ lang: Lang) -> String {
        switch self {
        case let .notUTF8(codeset): return L10n.t("terminal.not_utf8", lang, codeset)
        case .notATTY: return L10n.t("terminal.not_a_tty", lang)
        case let .initFailed(term): return L10n.t("terminal.init_failed", lang, term)
        case let .cannotAddressCursor(term): return L10n.t("terminal.no_cursor_addressing", lang, term)
        }
    }

    /// Vietnamese, then English: used when the locale itself is the problem, so the
    /// reader's language cannot be trusted.
    public var bilingualText: String { text(.vi) + "\n" + text(.en) }
}

/// The ncurses backend of the desk: sets the terminal up and always restores it, draws
/// `Grid`s (only the cells that changed), and reads keys as `Key`s.
///
/// One per process, used from one thread. `start` → (`readKey`, `draw`)* → `stop`.
/// The terminal is restored by `stop()`, and also on exit, on SIGINT/SIGTERM/SIGHUP (a
/// pending signal is reported by `pendingSignal` so the caller can leave its loop; a second
/// one exits at once) and on crashes (SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT, SIGTRAP, after
/// which the previous handler, e.g. Swift's backtracer, still runs).
public final class Terminal {
    /// Columns and rows of the terminal (0×0 before `start`).
    public private(set) var width = 0
    public private(set) var height = 0
    /// The theme as this terminal shows it (colours reduced, or monochrome).
    public private(set) var theme: Theme = .monochrome
    /// Colours in use: 0 (monochrome), 8, 16 or 256.
    public private(set) var colors = 0
    /// Cells written to ncurses by the last `draw` (for tests and the self-test screen).
    public private(set) var lastDrawnCells = 0

    private var screen: OpaquePointer?
    private var previous: Grid?
    private var looks: [StyleRole: (attr: attr_t, pair: Int32)] = [:]
    private var pasteEnabled = false

    public init() {}

    public var size: (width: Int, height: Int) { (width, height) }

    /// A signal (SIGINT, SIGTERM, SIGHUP) received since `start`: leave the loop and stop.
    public var pendingSignal: Int32? {
        let s = paknPendingSignal
        return s == 0 ? nil : s
    }

    /// Sets the C locale from the environment and checks that it is UTF-8.
    public static func requireUTF8Locale() throws {
        setlocale(LC_ALL, "")
        if isUTF8(currentCodeset()) { return }
        // The environment asks for UTF-8 (LANG=vi_VN.UTF-8) but that locale is not generated
        // on this machine, so the C library fell back to ASCII. ncursesw needs only the
        // character type, which C.UTF-8 (always present with glibc) gives.
        if asksForUTF8(ProcessInfo.processInfo.environment), setlocale(LC_CTYPE, "C.UTF-8") != nil,
           isUTF8(currentCodeset()) {
            return
        }
        let codeset = currentCodeset()
        throw TerminalError.notUTF8(codeset: codeset.isEmpty ? "?" : codeset)
    }

    private static func currentCodeset() -> String { pakn_codeset().map { String(cString: $0) } ?? "" }

    static func isUTF8(_ codeset: String) -> Bool {
        codeset.uppercased().replacingOccurrences(of: "-", with: "") == "UTF8"
    }

    /// Whether the locale variables, in the C library's order of precedence, name UTF-8.
    static func asksForUTF8(_ env: [String: String]) -> Bool {
        let name = ["LC_ALL", "LC_CTYPE", "LANG"].lazy.compactMap { env[$0] }.first { !$0.isEmpty } ?? ""
        guard let dot = name.firstIndex(of: ".") else { return false }
        let codeset = name[name.index(after: dot)...].prefix { $0 != "@" }
        return isUTF8(String(codeset))
    }

    // MARK: - Start and stop

    /// Takes over the terminal: UTF-8 check, ncurses in raw mode without echo, keypad keys,
    /// Esc after 25 ms, hidden cursor, colours for `theme` (reduced to what the terminal
    /// has; monochrome without colours), bracketed paste, and the restoring handlers.
    public func start(theme requested: Theme, mouse: Bool = false) throws {
        guard screen == nil else { return }
        try Terminal.requireUTF8Locale()
        guard isatty(STDIN_FILENO) == 1, isatty(STDOUT_FILENO) == 1 else { throw TerminalError.notATTY }
        pakn_unblock_signals()
        // Esc alone must answer at once; ncurses waits this long for the rest of a sequence.
        setenv("ESCDELAY", "25", 0)
        let term = ProcessInfo.processInfo.environment["TERM"] ?? ""
        guard let s = pakn_newterm() else { throw TerminalError.initFailed(term: term) }
        set_term(s)
        // Without cursor addressing (TERM=dumb, or a terminfo entry that lacks it) ncurses
        // starts but can draw nothing but the last line: say so instead of showing a blank.
        guard pakn_tigetstr("cup") != nil else {
            endwin()
            delscreen(s)
            throw TerminalError.cannotAddressCursor(term: term)
        }
        screen = s
        paknCursesActive = 1
        installRestoringHandlers()

        raw()
        noecho()
        nonl()
        let win = pakn_stdscr()
        keypad(win, true)
        intrflush(win, false)
        meta(win, true)
        set_escdelay(25)
        curs_set(0)
        leaveok(win, true)

        applyTheme(requested)
        if mouse { pakn_mouse_on() }

        if let be = pakn_tigetstr("BE") {
            pakn_write_cap(be)
            pasteEnabled = true
        }
        updateSize()
        previous = nil
        werase(win)
        wnoutrefresh(win)
        doupdate()
    }

    /// Gives the terminal back as it was. Safe to call more than once.
    public func stop() {
        guard screen != nil else { return }
        Terminal.restore()
        if let s = screen { delscreen(s) }
        screen = nil
        previous = nil
        paknPendingSignal = 0
    }

    deinit { stop() }

    /// Puts `text` on the clipboard of the terminal (OSC 52), which it may ignore; false
    /// where no terminal that could take it is known (the Linux console, `dumb`).
    public func copyToClipboard(_ text: String) -> Bool {
        guard screen != nil else { return false }
        let term = ProcessInfo.processInfo.environment["TERM"] ?? ""
        guard !term.isEmpty, term != "linux", term != "dumb" else { return false }
        let seq = "\u{1B}]52;c;" + Data(text.utf8).base64EncodedString() + "\u{07}"
        seq.withCString { pakn_write_cap($0) }
        return true
    }

    /// Hands the terminal to another program (the official's editor): the screen as it was
    /// before pakn, the cursor shown, bracketed paste off. `resume()` takes it back.
    public func suspend() {
        guard screen != nil else { return }
        def_prog_mode()
        Terminal.restore()
    }

    /// Takes the terminal back after `suspend()` and repaints every cell at the next `draw`.
    public func resume() {
        guard screen != nil else { return }
        reset_prog_mode()
        paknCursesActive = 1
        // A Ctrl-C typed into the editor was the editor's.
        if paknPendingSignal == SIGINT { paknPendingSignal = 0 }
        if pasteEnabled, let be = pakn_tigetstr("BE") { pakn_write_cap(be) }
        curs_set(0)
        let win = pakn_stdscr()
        clearok(win, true)
        previous = nil
        wrefresh(win)
    }

    /// Leaves curses mode: bracketed paste off, cursor shown, `endwin`. Also used from the
    /// signal handlers and at exit, so it does only what they may do.
    static func restore() {
        guard paknCursesActive != 0 else { return }
        paknCursesActive = 0
        curs_set(1)
        endwin()
        pakn_flush_stdout()
        if let bd = pakn_tigetstr("BD") { pakn_write_cap(bd) }
    }

    private func applyTheme(_ requested: Theme) {
        looks = [:]
        var t = requested
        if requested.isMonochrome || !has_colors() {
            t = requested.isMonochrome ? requested : Theme.monochrome
            colors = 0
        } else {
            start_color()
            let defaultsOK = use_default_colors() == OK
            colors = Int(pakn_colors()) >= 256 ? 256 : (Int(pakn_colors()) >= 16 ? 16 : (Int(pakn_colors()) >= 8 ? 8 : 0))
            t = requested.adapted(toColors: colors)
            if !defaultsOK {
                // No "default" colour: use white on black (or black on white) instead.
                for (role, style) in t.styles {
                    var s = style
                    if s.fg == .terminalDefault { s.fg = .indexed(t.background == .dark ? 7 : 0) }
                    if s.bg == .terminalDefault { s.bg = .indexed(t.background == .dark ? 0 : 7) }
                    t.styles[role] = s
                }
            }
        }
        theme = t
        var pairs: [ColorKey: Int32] = [:]
        let maxPairs = Int32(max(0, pakn_color_pairs() - 1))
        for role in StyleRole.allCases {
            let style = t.style(role)
            var attr = pakn_a_normal()
            if style.attributes.contains(.bold) { attr |= pakn_a_bold() }
            if style.attributes.contains(.dim) { attr |= pakn_a_dim() }
            if style.attributes.contains(.underline) { attr |= pakn_a_underline() }
            if style.attributes.contains(.reverse) { attr |= pakn_a_reverse() }
            if style.attributes.contains(.italic) { attr |= pakn_a_italic() }
            var pair: Int32 = 0
            if colors > 0 {
                let key = ColorKey(fg: style.fg.index ?? -1, bg: style.bg.index ?? -1)
                if key.fg == -1 && key.bg == -1 {
                    pair = 0
                } else if let p = pairs[key] {
                    pair = p
                } else if Int32(pairs.count) < maxPairs {
                    pair = Int32(pairs.count + 1)
                    init_pair(Int16(pair), Int16(key.fg), Int16(key.bg))
                    pairs[key] = pair
                }
            }
            looks[role] = (attr, pair)
        }
    }

    private struct ColorKey: Hashable { var fg: Int; var bg: Int }

    private func updateSize() {
        width = Int(max(0, pakn_cols()))
        height = Int(max(0, pakn_lines()))
    }

    // MARK: - Drawing

    /// Forgets what is on screen, so the next `draw` repaints every cell (after a resize,
    /// or when something else may have written to the terminal).
    public func invalidate() { previous = nil }

    /// Shows `grid`: only cells that differ from the last frame are handed to ncurses, which
    /// in turn sends only what changed. A grapheme cluster (base and combining marks) is one
    /// cell; the right half of a wide character (`continuation`) is left to its left half.
    public func draw(_ grid: Grid) {
        guard screen != nil else { return }
        let win = pakn_stdscr()
        let rows = min(grid.height, height), cols = min(grid.width, width)
        var full = false
        if let p = previous, p.width == grid.width, p.height == grid.height {
            full = false
        } else {
            full = true
            werase(win)
            clearok(win, true)
        }
        let old = full ? nil : previous
        var written = 0
        for y in 0..<rows {
            var x = 0
            while x < cols {
                let cell = grid[x, y]
                var dirty = old == nil || old![x, y] != cell
                // A change in a wide character's right half means its left half is redrawn.
                if !dirty, x + 1 < cols, grid[x + 1, y].continuation, old![x + 1, y] != grid[x + 1, y] { dirty = true }
                if !dirty { x += 1; continue }
                written += 1
                x += put(cell, grid: grid, x: x, y: y, cols: cols, rows: rows)
            }
        }
        lastDrawnCells = written
        previous = grid
        wnoutrefresh(win)
        doupdate()
    }

    /// Writes the cell at (x, y); returns how many columns it covered (1 or 2).
    private func put(_ cell: Cell, grid: Grid, x: Int, y: Int, cols: Int, rows: Int) -> Int {
        let look = looks[cell.role] ?? (pakn_a_normal(), 0)
        let wideInGrid = x + 1 < cols && grid[x + 1, y].continuation
        if cell.continuation {
            // Right half without a left half (a view wrote over it): a blank keeps columns.
            write([0x20], look: look, x: x, y: y, cols: cols, rows: rows)
            return 1
        }
        var chars = Terminal.cellChars(cell.text)
        let w = chars.isEmpty ? 1 : Int(pakn_wcwidth(chars[0]))
        if wideInGrid {
            if w == 2 {
                write(chars, look: look, x: x, y: y, cols: cols, rows: rows)
                return 2
            }
            // ncurses (the C library) thinks this is narrow: draw it narrow plus a blank.
            if w != 1 { chars = [0xFFFD] }
            chars = Array(chars.prefix { $0 != 0xFE0F })
            write(chars, look: look, x: x, y: y, cols: cols, rows: rows)
            write([0x20], look: look, x: x + 1, y: y, cols: cols, rows: rows)
            return 2
        }
        if chars.isEmpty { chars = [0x20] }
        else if w != 1 { chars = [0xFFFD] }   // would not fit one column
        write(chars, look: look, x: x, y: y, cols: cols, rows: rows)
        return 1
    }

    /// The wide characters ncurses gets for one cell's text: the base character and the
    /// combining marks that follow it (at most CCHARW_MAX). Joined emoji sequences keep
    /// their first emoji; control characters become U+FFFD (never sent raw).
    static func cellChars(_ text: String) -> [UInt32] {
        var out: [UInt32] = []
        let limit = Int(pakn_ccharw_max())
        for u in text.unicodeScalars {
            let v = u.value
            if out.isEmpty {
                if v < 0x20 || (0x7F..<0xA0).contains(v) { return [0xFFFD] }
                if v == 0x20 && text.unicodeScalars.count == 1 { return [0x20] }
                out.append(v)
                continue
            }
            if v == 0x200D { break }                       // ZWJ: keep the first emoji only
            guard out.count < limit else { break }
            switch u.properties.generalCategory {
            case .nonspacingMark, .enclosingMark, .spacingMark:
                if pakn_wcwidth(v) == 0 { out.append(v) }
            default:
                if v == 0xFE0F || v == 0xFE0E { out.append(v) }   // variation selectors
            }
        }
        if let first = out.first, Int(pakn_wcwidth(first)) < 0 { return [0xFFFD] }
        return out
    }

    private func write(_ chars: [UInt32], look: (attr: attr_t, pair: Int32), x: Int, y: Int, cols: Int, rows: Int) {
        var wch = chars.map { wchar_t(bitPattern: $0) } + [0]
        var cc = cchar_t()
        if pakn_setcchar(&cc, &wch, look.attr, look.pair) == ERR {
            var fallback: [wchar_t] = [0xFFFD, 0]
            _ = pakn_setcchar(&cc, &fallback, look.attr, look.pair)
        }
        let win = pakn_stdscr()
        if x == cols - 1 && y == rows - 1 {
            // The bottom-right cell: inserting does not move the cursor, so nothing scrolls.
            mvwins_wch(win, Int32(y), Int32(x), &cc)
        } else {
            mvwadd_wch(win, Int32(y), Int32(x), &cc)
        }
    }

    // MARK: - Keys

    /// Waits up to `timeoutMs` (negative: forever) for a key. Nil on timeout, on a signal,
    /// and for keys pakn does not use. A resize comes back as `.resize`, after which the
    /// next `draw` repaints everything.
    public func readKey(timeoutMs: Int) -> Key? {
        guard screen != nil else { return nil }
        let win = pakn_stdscr()
        wtimeout(win, Int32(timeoutMs))
        var ch: wint_t = 0
        let r = wget_wch(win, &ch)
        if r == ERR { return nil }
        if r == KEY_CODE_YES { return functionKey(Int32(bitPattern: ch)) }
        return character(UInt32(ch))
    }

    private func functionKey(_ code: Int32) -> Key? {
        switch code {
        case KEY_UP: return .up
        case KEY_DOWN: return .down
        case KEY_LEFT: return .left
        case KEY_RIGHT: return .right
        case KEY_PPAGE: return .pageUp
        case KEY_NPAGE: return .pageDown
        case KEY_HOME, KEY_A1, KEY_FIND: return .home
        case KEY_END, KEY_C1, KEY_SELECT, KEY_LL: return .end
        case KEY_ENTER: return .enter
        case KEY_BACKSPACE: return .backspace
        case KEY_DC: return .delete
        case KEY_IC: return .insert
        case KEY_BTAB: return .backTab
        case KEY_RESIZE:
            updateSize()
            previous = nil
            return .resize(width: width, height: height)
        case KEY_MOUSE:
            var x: Int32 = 0, y: Int32 = 0
            switch pakn_mouse_event(&x, &y) {
            case 1: return .mouse(x: Int(x), y: Int(y), .click)
            case 4: return .mouse(x: Int(x), y: Int(y), .wheelUp)
            case 5: return .mouse(x: Int(x), y: Int(y), .wheelDown)
            default: return nil
            }
        default:
            let f0 = pakn_key_f(0)
            if code > f0 && code <= f0 + 24 { return .function(Int(code - f0)) }
            return nil
        }
    }

    private func character(_ c: UInt32) -> Key? {
        switch c {
        case 0x1B: return escape()
        case 0x09: return .tab
        case 0x0A, 0x0D: return .enter
        case 0x08, 0x7F: return .backspace
        case 0x01...0x1A: return .ctrl(Character(Unicode.Scalar(c + 0x60)!))
        case 0x00, 0x1C...0x1F, 0x80...0x9F: return nil
        default:
            guard let u = Unicode.Scalar(c) else { return nil }
            return .char(Character(u))
        }
    }

    /// After ESC: alone → `.escape`; followed at once by a character → `.alt`; by an
    /// unknown escape sequence → swallowed; by `[200~` → a bracketed paste.
    private func escape() -> Key? {
        guard let next = nextNow() else { return .escape }
        guard case let .char(c) = next else {
            unget(next)
            return .escape
        }
        if c == 0x5B || c == 0x4F {   // "[" or "O": a sequence ncurses did not recognise
            var body: [UInt32] = []
            while body.count < 32, let n = nextNow(wait: 5), case let .char(b) = n {
                body.append(b)
                if (0x40...0x7E).contains(b) { break }
            }
            if c == 0x5B && body == [0x32, 0x30, 0x30, 0x7E] { return readPaste() }
            return nil
        }
        if c == 0x1B { unget(next); return .escape }
        if c < 0x20 || c == 0x7F { unget(next); return .escape }
        guard let u = Unicode.Scalar(c) else { return .escape }
        return .alt(Character(u))
    }

    private enum Raw { case char(UInt32), code(Int32) }

    /// The next input if it is already there (or arrives within `wait` ms).
    private func nextNow(wait: Int32 = 0) -> Raw? {
        let win = pakn_stdscr()
        wtimeout(win, wait)
        var ch: wint_t = 0
        let r = wget_wch(win, &ch)
        if r == ERR { return nil }
        if r == KEY_CODE_YES { return .code(Int32(bitPattern: ch)) }
        return .char(UInt32(ch))
    }

    private func unget(_ raw: Raw) {
        switch raw {
        case let .char(c): unget_wch(wchar_t(bitPattern: c))
        case let .code(k): ungetch(k)
        }
    }

    /// Reads pasted text up to ESC [ 2 0 1 ~ (or until input pauses for 200 ms).
    private func readPaste() -> Key? {
        var scalars: [UInt32] = []
        let end: [UInt32] = [0x1B, 0x5B, 0x32, 0x30, 0x31, 0x7E]
        while scalars.count < 1_000_000, let n = nextNow(wait: 200) {
            guard case let .char(c) = n else { continue }
            scalars.append(c)
            if scalars.count >= end.count, Array(scalars.suffix(end.count)) == end {
                scalars.removeLast(end.count)
                break
            }
        }
        var s = String.UnicodeScalarView()
        for v in scalars {
            if v == 0x0D { s.append("\n"); continue }
            if let u = Unicode.Scalar(v) { s.append(u) }
        }
        let text = String(s)
        return text.isEmpty ? nil : .paste(text)
    }
}

// MARK: - Restoring the terminal on signals and at exit

/// Set while ncurses owns the terminal (read by signal handlers).
nonisolated(unsafe) var paknCursesActive: sig_atomic_t = 0
/// The first SIGINT/SIGTERM/SIGHUP received; the loop polls it.
nonisolated(unsafe) var paknPendingSignal: sig_atomic_t = 0
nonisolated(unsafe) private var paknSavedActions: [sigaction] = []
nonisolated(unsafe) private var paknHandlersInstalled = false

private let gracefulSignals: [Int32] = [SIGINT, SIGTERM, SIGHUP]
private let fatalSignals: [Int32] = [SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT, SIGTRAP]

private func installRestoringHandlers() {
    guard !paknHandlersInstalled else { return }
    paknHandlersInstalled = true
    paknSavedActions = Array(repeating: sigaction(), count: 65)
    atexit { Terminal.restore() }
    for sig in gracefulSignals + fatalSignals {
        var action = sigaction()
        sigemptyset(&action.sa_mask)
        action.sa_flags = 0
        if gracefulSignals.contains(sig) {
            action.__sigaction_handler.sa_handler = { sig in
                if paknPendingSignal != 0 {
                    // Asked twice: leave now, terminal first.
                    Terminal.restore()
                    _exit(128 + sig)
                }
                paknPendingSignal = sig
            }
        } else {
            action.sa_flags = SA_SIGINFO
            action.__sigaction_handler.sa_sigaction = { sig, info, context in
                Terminal.restore()
                // Then whoever had the signal before (Swift's backtracer, or the default).
                if sig >= 0 && Int(sig) < paknSavedActions.count {
                    paknSavedActions.withUnsafeBufferPointer { saved in
                        pakn_chain_fatal_signal(sig, info, context, saved.baseAddress! + Int(sig))
                    }
                } else {
                    pakn_chain_fatal_signal(sig, info, context, nil)
                }
            }
        }
        var old = sigaction()
        sigaction(sig, &action, &old)
        paknSavedActions[Int(sig)] = old
    }
}
