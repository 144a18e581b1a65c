import Foundation
import Testing

/// Drives the real `pakn` desk inside a detached tmux session, as a person at a terminal
/// would: keys in with `send-keys`, the screen out with `capture-pane`. Each instance has
/// its own tmux server (socket), so tests run in parallel without seeing each other.
final class DeskTmux {
    /// Whether tmux is installed (`make deps` installs it; tests skip without it).
    static let tmuxPath: String? = {
        for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":") {
            let p = "\(dir)/tmux"
            if FileManager.default.isExecutableFile(atPath: p) { return p }
        }
        return nil
    }()

    static var available: Bool { tmuxPath != nil }

    let socket: String
    let target = "desk"
    /// A scratch HOME and XDG_CONFIG_HOME, so a developer's own config never leaks in.
    let home: String
    private(set) var width: Int
    private(set) var height: Int

    /// Starts `pakn ARGS` in a `width`×`height` terminal. `after` is shell run once pakn
    /// exits (e.g. `stty -a` to show the terminal was restored); the pane then stays open.
    init(_ args: [String], width: Int = 80, height: Int = 24, env: [String: String] = [:], after: String? = nil) throws {
        socket = "pakn-desk-\(getpid())-\(UUID().uuidString.prefix(8))"
        home = FileManager.default.temporaryDirectory.appendingPathComponent("pakn-desk-home-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: home + "/config", withIntermediateDirectories: true)
        self.width = width
        self.height = height
        var vars = ["LANG": "C.UTF-8", "LC_ALL": "C.UTF-8", "HOME": home, "XDG_CONFIG_HOME": home + "/config",
                    "PAKN_DB": "", "SWIFT_BACKTRACE": "enable=no"]
        for (k, v) in env { vars[k] = v }
        let assignments = vars.keys.sorted().map { "\($0)=\(DeskTmux.quote(vars[$0]!))" }.joined(separator: " ")
        var command = "env -u NO_COLOR \(assignments) \(([CLI.binary] + args).map(DeskTmux.quote).joined(separator: " "))"
        if let after { command = "\(command); \(after)" }
        // This starts the tmux server, which would keep an output pipe open for ever: no pipes.
        try tmux(["-f", "/dev/null", "new-session", "-d", "-s", target, "-x", String(width), "-y", String(height),
                  command, ";", "set-option", "-g", "remain-on-exit", "on"], capture: false)
    }

    deinit { stop() }

    func stop() {
        _ = try? tmux(["kill-server"], check: false)
        try? FileManager.default.removeItem(atPath: home)
    }

    // MARK: Screen

    /// The screen as text, one line per row (trailing blanks trimmed by tmux).
    func screen() -> String { (try? tmux(["capture-pane", "-p", "-t", target])) ?? "" }

    /// The screen with colours and attributes as escape sequences.
    func screenWithStyles() -> String { (try? tmux(["capture-pane", "-p", "-e", "-t", target])) ?? "" }

    func lines() -> [String] { screen().components(separatedBy: "\n") }

    /// Waits until `condition(screen)` holds, polling every 20 ms; records an issue with the
    /// last screen when it does not within `timeout` seconds. Returns the screen.
    @discardableResult
    func waitFor(_ what: String, timeout: TimeInterval = 5, sourceLocation: SourceLocation = #_sourceLocation,
                 _ condition: (String) -> Bool) -> String {
        let deadline = Date().addingTimeInterval(timeout)
        var s = screen()
        while !condition(s) {
            if Date() > deadline {
                Issue.record("timed out waiting for \(what); screen:\n\(s)", sourceLocation: sourceLocation)
                return s
            }
            usleep(20_000)
            s = screen()
        }
        return s
    }

    /// Waits until the screen contains `text`.
    @discardableResult
    func waitFor(text: String, timeout: TimeInterval = 5, sourceLocation: SourceLocation = #_sourceLocation) -> String {
        waitFor("“\(text)”", timeout: timeout, sourceLocation: sourceLocation) { $0.contains(text) }
    }

    /// Waits until the screen no longer contains `text`.
    @discardableResult
    func waitForGone(_ text: String, timeout: TimeInterval = 5, sourceLocation: SourceLocation = #_sourceLocation) -> String {
        waitFor("“\(text)” to go", timeout: timeout, sourceLocation: sourceLocation) { !$0.contains(text) }
    }

    // MARK: Keys

    /// Sends keys by tmux name (`Enter`, `Escape`, `C-s`, `M-1`, `BTab`, `j`).
    func press(_ keys: String...) { _ = try? tmux(["send-keys", "-t", target] + keys) }

    /// Types text literally (Vietnamese included).
    func type(_ text: String) { _ = try? tmux(["send-keys", "-t", target, "-l", text]) }

    /// Changes the terminal size, as dragging the window would.
    func resize(width: Int, height: Int) {
        self.width = width
        self.height = height
        _ = try? tmux(["resize-window", "-t", target, "-x", String(width), "-y", String(height)])
    }

    // MARK: The process

    /// The pid of the program in the pane (pakn while it runs).
    func panePid() -> Int32? {
        Int32((try? tmux(["display-message", "-p", "-t", target, "#{pane_pid}"]))?
            .trimmingCharacters(in: .whitespacesAndNewlines) ?? "")
    }

    /// pakn's exit status once the pane's command has ended (nil while it runs).
    func exitStatus(timeout: TimeInterval = 5) -> Int32? {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            let out = (try? tmux(["display-message", "-p", "-t", target, "#{pane_dead} #{pane_dead_status}"])) ?? ""
            let parts = out.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: " ")
            if parts.first == "1" { return parts.count > 1 ? Int32(parts[1]) : nil }
            usleep(20_000)
        }
        return nil
    }

    // MARK: Plumbing

    @discardableResult
    private func tmux(_ args: [String], check: Bool = true, capture: Bool = true) throws -> String {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: DeskTmux.tmuxPath ?? "/usr/bin/tmux")
        p.arguments = ["-L", socket] + args
        var env = ProcessInfo.processInfo.environment
        env["TMUX"] = nil
        env["LANG"] = "C.UTF-8"
        p.environment = env
        p.standardInput = FileHandle.nullDevice
        guard capture else {
            p.standardOutput = FileHandle.nullDevice
            p.standardError = FileHandle.nullDevice
            try DeskTmux.withSignalsUnblocked { try p.run() }
            p.waitUntilExit()
            if check && p.terminationStatus != 0 { throw DeskTmuxError.failed(args.joined(separator: " "), "") }
            return ""
        }
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try DeskTmux.withSignalsUnblocked { try p.run() }
        let o = out.fileHandleForReading.readDataToEndOfFile()
        let e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        if check && p.terminationStatus != 0 {
            throw DeskTmuxError.failed(args.joined(separator: " "), String(decoding: e, as: UTF8.self))
        }
        return String(decoding: o, as: UTF8.self)
    }

    /// Runs `body` (which starts a process) with no signal blocked in this thread. Test
    /// threads come from a pool that blocks SIGCHLD, SIGWINCH, SIGTERM…; a tmux server started
    /// from one would inherit that mask and never notice its panes exit, nor pass on resizes.
    static func withSignalsUnblocked<T>(_ body: () throws -> T) rethrows -> T {
        var none = sigset_t(), old = sigset_t()
        sigemptyset(&none)
        pthread_sigmask(SIG_SETMASK, &none, &old)
        defer { pthread_sigmask(SIG_SETMASK, &old, nil) }
        return try body()
    }

    static func quote(_ s: String) -> String { "'" + s.replacingOccurrences(of: "'", with: "'\\''") + "'" }
}

enum DeskTmuxError: Error { case failed(String, String) }

extension String {
    /// Case codes (HN-2026-000123) in reading order.
    var caseCodes: [String] {
        var out: [String] = []
        let re = try! NSRegularExpression(pattern: "[A-Z]{2,3}-[0-9]{4}-[0-9]{6}")
        let ns = self as NSString
        for m in re.matches(in: self, range: NSRange(location: 0, length: ns.length)) { out.append(ns.substring(with: m.range)) }
        return out
    }
}
