import Foundation
import PaknCore
import PaknStoreAPI
import PaknTerminal
import PaknUI

/// Opens the desk in the terminal and runs it until the official quits. Returns the exit
/// status: 0 after quitting, 2 when the terminal, the locale or the theme cannot be used
/// (the reason is printed on stderr first), 128+N after signal N (SIGINT, SIGTERM, SIGHUP).
///
/// - `session`: the official's session (its clock: `--now` on a training database gives a fixed one).
/// - `themeName`: `--theme` if given; otherwise NO_COLOR, then `theme =` in the config file
///   (`$XDG_CONFIG_HOME/pakn/config.toml`), then `default`.
/// - `view`: the queue to open on (nil: the desk's choice for the official's role).
///
/// The loop: read a key (waiting at most 250 ms), hand it to the desk (`DeskRunner`, which
/// runs the reads and writes it asks for), then draw the new frame, of which only changed
/// cells reach the terminal. Work the frame did not need (reading the queue's next page
/// ahead of the selection) is done when no key is waiting, and the frame drawn again. About once a second it checks the database's data version;
/// when another clerk's process has committed, the desk reloads what it shows (keeping the
/// selection), so the screen follows within about a second — or, on a server, as soon as
/// the session's listening connection is notified (checked every 100 ms, no query sent).
/// A database that stops answering is said on the status line, and the desk reconnects
/// and reloads when it answers again. A resize is a key like any
/// other (`.resize`), answered with a new layout at once.
func runDesk(session: any StoreSession, lang: Lang, themeName: String?, view: QueueView? = nil, tour: Bool = false) throws -> Int32 {
    func complain(_ text: String) {
        FileHandle.standardError.write(Data(("pakn: " + text + "\n").utf8))
    }
    do {
        try Terminal.requireUTF8Locale()
    } catch let e as TerminalError {
        // The locale is what is wrong, so say it in both languages.
        complain(e.bilingualText)
        return 2
    }

    let loader = ThemeLoader()
    let theme: Theme
    do {
        theme = try loader.resolve(requested: themeName)
    } catch let e as ThemeError {
        complain(e.text(lang))
        return 2
    }
    let keys = DeskConfig.keys(configPath: loader.configPath)
    let prefs = DeskPreferences.load(configPath: loader.configPath)

    let terminal = Terminal()
    do {
        try terminal.start(theme: theme, mouse: prefs.mouse)
    } catch let e as TerminalError {
        complain(e == .notATTY ? e.text(lang) : e.bilingualText)
        return 2
    }
    defer { terminal.stop() }

    let runner = try DeskRunner(session: session, lang: lang, keyMap: keys.keyMap,
                                width: terminal.width, height: terminal.height, view: view)
    // Unsent drafts live on disk (docs/desk-guide.md §6); `C-e` opens one in $VISUAL/$EDITOR.
    let env = ProcessInfo.processInfo.environment
    runner.drafts = DraftStore(root: DraftStore.defaultRoot(environment: env), databasePath: session.path, login: session.official.login)
    runner.externalEditor = { text, name in
        terminal.suspend()
        defer { terminal.resume() }
        return ExternalEditor.edit(text, name: name, environment: env)
    }
    runner.clipboard = { terminal.copyToClipboard($0) }
    runner.columns = prefs.columns
    if let column = prefs.sortColumn { runner.sort = (column, prefs.sortDescending) }
    runner.start()
    // `pakn tour`: the guided tour from the first screen (the command checked the database).
    if tour { runner.startTour() }
    let warnings = keys.warnings + prefs.warnings
    if let first = warnings.first {
        // A bad [keys] entry or setting is not worth refusing to start: say it on the status line.
        let more = warnings.count > 1 ? " (+\(warnings.count - 1))" : ""
        runner.handle(.failed(Notice(vi: first.text(.vi) + more, en: first.text(.en) + more, isError: true)))
    }
    terminal.draw(runner.frame())

    var loop = DeskLoop(terminal: terminal, runner: runner)
    return loop.run()
}

/// The main loop, separate from the setup so its timing rules are in one place.
struct DeskLoop {
    let terminal: Terminal
    let runner: DeskRunner
    /// How long one wait for a key lasts; also the longest a signal goes unnoticed.
    var keyTimeoutMs = 250
    /// How often the database is asked whether someone else changed it.
    var pollInterval: TimeInterval = 1.0
    /// Keys already waiting are taken together before one redraw, for at most this long
    /// (a paste typed as keys, or a held arrow key, does not redraw per key).
    var batchBudget: TimeInterval = 0.03

    /// A frame is rendered only after a key (a resize is one) or a reload: an idle desk,
    /// left open all day, costs a data-version query a second and nothing else.
    mutating func run() -> Int32 {
        var lastPoll = ProcessInfo.processInfo.systemUptime
        // Told of commits: look for the notice every tenth of a second (no query is sent).
        let waitMs = runner.session.changeNotices == nil ? keyTimeoutMs : min(keyTimeoutMs, 100)
        // Whatever way the desk ends, drafts put off for a quiet moment reach the disk.
        defer { runner.flush() }
        while !runner.shouldQuit {
            if let sig = terminal.pendingSignal { return 128 + sig }
            var changed = false
            // Work put off for a quiet moment (the queue's next page) waits for no key: if
            // none is waiting, it is done now and the frame drawn again.
            if let key = terminal.readKey(timeoutMs: runner.hasIdleWork ? 0 : waitMs) {
                changed = true
                runner.send(key)
                let started = ProcessInfo.processInfo.systemUptime
                while !runner.shouldQuit, ProcessInfo.processInfo.systemUptime - started < batchBudget,
                      let more = terminal.readKey(timeoutMs: 0) {
                    runner.send(more)
                }
            } else if runner.idle() {
                changed = true
            }
            let t = ProcessInfo.processInfo.systemUptime
            // A server session is told of other clerks' commits (LISTEN/NOTIFY): then the
            // desk asks at once rather than at the next second.
            if t - lastPoll >= pollInterval || runner.changeNoticed {
                lastPoll = t
                if runner.pollForChanges() { changed = true }
            }
            if runner.shouldQuit { break }
            if changed { terminal.draw(runner.frame()) }
        }
        return 0
    }
}

/// The desk's part of the config file (`theme` is read by `ThemeLoader`).
enum DeskConfig {
    /// The `[keys]` table, or the standard keys when there is no config file.
    static func keys(configPath: String) -> KeyConfig.Result {
        guard let data = FileManager.default.contents(atPath: configPath),
              let text = String(data: data, encoding: .utf8) else {
            return KeyConfig.parse(toml: "")
        }
        return KeyConfig.parse(toml: text)
    }
}
