import Foundation
import PaknTestSupport
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
    /// exits (e.g. `stty -a` to show the terminal was restored); its output stays on screen.
    init(_ args: [String], width: Int = 80, height: Int = 24, env: [String: String] = [:], after: String? = nil) throws {
        socket = "pakn-desk-\(getpid())-\(UUID().uuidString.prefix(8))"
        home = TestScratch.folder("pakn-cli-tests").appendingPathComponent("desk-home-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: home + "/config", withIntermediateDirectories: true)
        self.width = width
        self.height = height
        var vars = ["LANG": "C.UTF-8", "LC_ALL": "C.UTF-8", "HOME": home, "XDG_CONFIG_HOME": home + "/config",
                    "XDG_STATE_HOME": home + "/state",
                    "PAKN_DB": "", "SWIFT_BACKTRACE": "enable=no"]
        for (k, v) in env { vars[k] = v }
        let assignments = vars.keys.sorted().map { "\($0)=\(DeskTmux.quote(vars[$0]!))" }.joined(separator: " ")
        var command = "env -u NO_COLOR \(assignments) \(([CLI.binary] + args).map(DeskTmux.quote).joined(separator: " "))"
        // The shell stays a while after `after`: tmux 3.3 shows a blank screen once the pane
        // has died, so what `after` printed must be read while it still lives.
        if let after { command = "\(command); \(after); sleep 60" }
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
        var out = ""
        let pid = panePid()
        defer {
            if Date() >= deadline {
                let proc = pid.flatMap { try? String(contentsOfFile: "/proc/\($0)/status", encoding: .utf8) } ?? "gone"
                let server = (try? tmux(["display-message", "-p", "#{pid}"]))?.trimmingCharacters(in: .whitespacesAndNewlines) ?? "?"
                let sproc = (try? String(contentsOfFile: "/proc/\(server)/status", encoding: .utf8)) ?? "?"
                Issue.record("pakn did not exit within \(timeout) s: “\(out)” pid \(pid ?? -1): \(proc.prefix(900))\nserver \(server): \(sproc)\n\(screen())")
            }
        }
        while Date() < deadline {
            do {
                out = try tmux(["display-message", "-p", "-t", target, "#{pane_dead}:#{pane_dead_status}:#{pane_dead_signal}"])
            } catch {
                out = "\(error)"
            }
            let parts = out.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: ":", omittingEmptySubsequences: false)
            // tmux marks the pane dead when the terminal closes, and learns the status a little
            // later (when it reaps the process): wait for the status too.
            if parts.first == "1" {
                // Killed by a signal: 128 + N, as a shell would say.
                if parts.count > 2, let sig = Int32(parts[2]) { return 128 + sig }
                if parts.count > 1, let status = Int32(parts[1]) { return status }
                // Under load, tmux 3.3 sometimes leaves the exited process unreaped (a zombie)
                // for seconds; the kernel already knows how it ended.
                if let pid, let status = DeskTmux.zombieExitStatus(pid) { return status }
            }
            usleep(20_000)
        }
        return nil
    }

    /// How process `pid` ended, when it is a zombie: /proc/PID/stat field 52 (`exit_code`,
    /// as waitpid reports it), as a shell would say it (128 + N after signal N).
    static func zombieExitStatus(_ pid: Int32) -> Int32? {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let paren = stat.lastIndex(of: ")") else { return nil }
        let fields = stat[stat.index(after: paren)...].split(separator: " ")
        // fields[0] is field 3 (the state); field 52 is fields[49].
        guard fields.first == "Z", fields.count > 49, let raw = Int32(fields[49].trimmingCharacters(in: .whitespacesAndNewlines)) else {
            return nil
        }
        return (raw & 0x7f) == 0 ? (raw >> 8) & 0xff : 128 + (raw & 0x7f)
    }

    // MARK: Plumbing

    @discardableResult
    private func tmux(_ args: [String], check: Bool = true, capture: Bool = true) throws -> String {
        var env = ProcessInfo.processInfo.environment
        env["TMUX"] = nil
        env["LANG"] = "C.UTF-8"
        let r = try Spawn.run(DeskTmux.tmuxPath ?? "/usr/bin/tmux", ["-L", socket] + args, env: env, capture: capture)
        if check && r.status != 0 { throw DeskTmuxError.failed(args.joined(separator: " "), r.stderr) }
        return r.stdout
    }

    static func quote(_ s: String) -> String { "'" + s.replacingOccurrences(of: "'", with: "'\\''") + "'" }
}

enum DeskTmuxError: Error { case failed(String, String) }

/// Starts a program with posix_spawn and waits for it with waitpid, without Foundation's
/// `Process`: that one learns of a child's exit through SIGCHLD, which the test runner's
/// threads block, so `waitUntilExit` could wait for ever on a `tmux` client that had long
/// exited (seen: two zombie clients, a test run stuck for ten minutes). The child gets no
/// blocked signal and default handlers, and so does the tmux server it starts (it must see
/// its panes exit and pass resizes on).
enum Spawn {
    struct Result { var status: Int32; var stdout: String; var stderr: String }

    static func run(_ path: String, _ args: [String], env: [String: String], capture: Bool,
                    stdinPath: String = "/dev/null") throws -> Result {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        var outPipe: [Int32] = [-1, -1], errPipe: [Int32] = [-1, -1]
        posix_spawn_file_actions_addopen(&actions, 0, stdinPath, O_RDONLY, 0)
        if capture {
            guard pipe(&outPipe) == 0, pipe(&errPipe) == 0 else { throw DeskTmuxError.failed("pipe", String(cString: strerror(errno))) }
            posix_spawn_file_actions_adddup2(&actions, outPipe[1], 1)
            posix_spawn_file_actions_adddup2(&actions, errPipe[1], 2)
            for fd in outPipe + errPipe { posix_spawn_file_actions_addclose(&actions, fd) }
        } else {
            // A daemon (the tmux server) would keep a pipe open for ever: no pipes at all.
            posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
            posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        }
        var attr = posix_spawnattr_t()
        posix_spawnattr_init(&attr)
        defer { posix_spawnattr_destroy(&attr) }
        var none = sigset_t(), all = sigset_t()
        sigemptyset(&none)
        sigfillset(&all)
        sigdelset(&all, SIGKILL)
        sigdelset(&all, SIGSTOP)
        posix_spawnattr_setsigmask(&attr, &none)
        posix_spawnattr_setsigdefault(&attr, &all)
        posix_spawnattr_setflags(&attr, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

        let argv: [UnsafeMutablePointer<CChar>?] = ([path] + args).map { strdup($0) } + [nil]
        let envp: [UnsafeMutablePointer<CChar>?] = env.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { for p in argv + envp { free(p) } }
        var pid: pid_t = 0
        let rc = posix_spawn(&pid, path, &actions, &attr, argv, envp)
        if capture { close(outPipe[1]); close(errPipe[1]) }
        guard rc == 0 else {
            if capture { close(outPipe[0]); close(errPipe[0]) }
            throw DeskTmuxError.failed(path, String(cString: strerror(rc)))
        }
        var out = Data(), err = Data()
        if capture {
            out = readAll(outPipe[0])
            err = readAll(errPipe[0])
        }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 {
            if errno == EINTR { continue }
            status = 0   // reaped elsewhere (ECHILD): the exit status is lost, not the output
            break
        }
        let code: Int32 = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        return Result(status: code, stdout: String(decoding: out, as: UTF8.self), stderr: String(decoding: err, as: UTF8.self))
    }

    /// Starts a program in the background, stdout and stderr to files; `wait` collects it.
    static func start(_ path: String, _ args: [String], env: [String: String], stdout: String, stderr: String) throws -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, stdout, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_addopen(&actions, 2, stderr, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        var attr = posix_spawnattr_t()
        posix_spawnattr_init(&attr)
        defer { posix_spawnattr_destroy(&attr) }
        var none = sigset_t()
        sigemptyset(&none)
        posix_spawnattr_setsigmask(&attr, &none)
        posix_spawnattr_setflags(&attr, Int16(POSIX_SPAWN_SETSIGMASK))
        let argv: [UnsafeMutablePointer<CChar>?] = ([path] + args).map { strdup($0) } + [nil]
        let envp: [UnsafeMutablePointer<CChar>?] = env.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { for p in argv + envp { free(p) } }
        var pid: pid_t = 0
        let rc = posix_spawn(&pid, path, &actions, &attr, argv, envp)
        guard rc == 0 else { throw DeskTmuxError.failed(path, String(cString: strerror(rc))) }
        return pid
    }

    /// Waits for `pid`: its exit status, or 128 + N after signal N.
    static func wait(_ pid: pid_t) -> Int32 {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 {
            if errno == EINTR { continue }
            return -1
        }
        return (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
    }

    private static func readAll(_ fd: Int32) -> Data {
        defer { close(fd) }
        var data = Data()
        var buf = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = read(fd, &buf, buf.count)
            if n > 0 { data.append(buf, count: n) } else if n < 0 && errno == EINTR { continue } else { break }
        }
        return data
    }
}


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
