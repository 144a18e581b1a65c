import Foundation
import PaknCore

/// Unsent drafts on disk, one file per official, database and draft, so that a crash, a
/// killed terminal or a closed laptop loses nothing: the desk writes a draft as it changes
/// (`DeskEffect.saveDrafts`) and reads them back when it opens (`loadDrafts`).
///
/// Where: `$XDG_STATE_HOME/pakn/drafts/` (by default `~/.local/state/pakn/drafts/`), then a
/// folder per database (its file name and a digest of its full path, so a training copy
/// and the real database never mix) and per official login, then `<case id>-<kind>.json`.
/// Folders are created 0700 and files 0600: a draft may quote a citizen. Each file is
/// written to a temporary name and renamed over the old one, so it is whole or absent.
public final class DraftStore {
    public let directory: URL

    public init(directory: URL) { self.directory = directory }

    /// The drafts of `login` in the database at `databasePath`, under `root` (see
    /// `defaultRoot`).
    public convenience init(root: URL, databasePath: String, login: String) {
        let abs = URL(fileURLWithPath: databasePath).standardizedFileURL.path
        let digest = SHA256.hex(abs).prefix(12)
        let base = Self.safeName(URL(fileURLWithPath: abs).deletingPathExtension().lastPathComponent)
        self.init(directory: root.appendingPathComponent("\(base)-\(digest)").appendingPathComponent(Self.safeName(login)))
    }

    /// `$XDG_STATE_HOME/pakn/drafts`, else `$HOME/.local/state/pakn/drafts`.
    public static func defaultRoot(environment env: [String: String]) -> URL {
        if let state = env["XDG_STATE_HOME"], state.hasPrefix("/") {
            return URL(fileURLWithPath: state).appendingPathComponent("pakn/drafts")
        }
        let home = env["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
        return URL(fileURLWithPath: home).appendingPathComponent(".local/state/pakn/drafts")
    }

    static func safeName(_ s: String) -> String {
        let kept = s.unicodeScalars.map { c -> Character in
            CharacterSet.alphanumerics.contains(c) && c.isASCII || c == "." || c == "-" || c == "_" ? Character(c) : "_"
        }
        let name = String(kept).trimmingCharacters(in: CharacterSet(charactersIn: "."))
        return name.isEmpty ? "_" : name
    }

    func file(_ key: DraftKey) -> URL { directory.appendingPathComponent("\(key.caseId)-\(key.kind.rawValue).json") }

    /// Every draft kept; files that cannot be read are left where they are.
    public func load() -> [SavedDraft] {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory.path) else { return [] }
        let decoder = JSONDecoder()
        return names.filter { $0.hasSuffix(".json") }.sorted().compactMap { name in
            guard let data = FileManager.default.contents(atPath: directory.appendingPathComponent(name).path) else { return nil }
            return try? decoder.decode(SavedDraft.self, from: data)
        }
    }

    /// Writes drafts (0600, atomically: a temporary file renamed over the old one).
    public func save(_ drafts: [SavedDraft]) throws {
        guard !drafts.isEmpty else { return }
        try makeDirectory()
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        for d in drafts {
            let data = try encoder.encode(d)
            let dest = file(d.key)
            let tmp = dest.path + ".tmp-\(getpid())"
            unlink(tmp)
            let fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
            guard fd >= 0 else { throw Self.posixError(tmp) }
            var ok = data.withUnsafeBytes { buf -> Bool in
                var off = 0
                while off < buf.count {
                    let n = write(fd, buf.baseAddress! + off, buf.count - off)
                    if n <= 0 { return false }
                    off += n
                }
                return true
            }
            ok = ok && fsync(fd) == 0
            close(fd)
            guard ok, rename(tmp, dest.path) == 0 else {
                let e = Self.posixError(dest.path)
                unlink(tmp)
                throw e
            }
        }
    }

    public func delete(_ keys: [DraftKey]) {
        for k in keys { unlink(file(k).path) }
    }

    private func makeDirectory() throws {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o700])
        // Whatever made it before: only its owner reads it.
        chmod(directory.path, 0o700)
    }

    static func posixError(_ path: String) -> NSError {
        NSError(domain: NSPOSIXErrorDomain, code: Int(errno),
                userInfo: [NSLocalizedDescriptionKey: "\(path): \(String(cString: strerror(errno)))"])
    }
}

/// Runs `$VISUAL`, else `$EDITOR`, else `nano` or `vi`, on a temporary copy of a draft (0600,
/// removed afterwards), with the terminal handed over. The command may carry arguments
/// (`code --wait`): it is run by `/bin/sh`, with the file as its last argument.
public enum ExternalEditor {
    public static func command(environment env: [String: String]) -> String {
        for key in ["VISUAL", "EDITOR"] {
            if let v = env[key]?.trimmingCharacters(in: .whitespaces), !v.isEmpty { return v }
        }
        for candidate in ["/usr/bin/nano", "/bin/nano"] where FileManager.default.isExecutableFile(atPath: candidate) {
            return "nano"
        }
        return "vi"
    }

    /// The edited text, or why not (a notice in both languages).
    public static func edit(_ text: String, name: String, environment env: [String: String]) -> Result<String, Notice> {
        let editor = command(environment: env)
        let dir = env["TMPDIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
        var template = Array((dir + "/pakn-\(DraftStore.safeName(name))-XXXXXX.txt").utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemps($0.baseAddress!, 4) }
        guard fd >= 0 else { return .failure(.error("desk.editor.cannot_start", editor, String(cString: strerror(errno)))) }
        let path = String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        defer { unlink(path) }
        fchmod(fd, 0o600)
        let data = Array((text.isEmpty ? "" : text + "\n").utf8)
        _ = data.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        close(fd)
        // posix_spawn, not Process: the editor must stay in the terminal's foreground
        // process group (Process gives it a group of its own, where reading the terminal
        // stops it), and inherit the terminal as its standard streams.
        let args = ["/bin/sh", "-c", editor + " \"$1\"", "sh", path]
        var argv: [UnsafeMutablePointer<CChar>?] = args.map { strdup($0) } + [nil]
        defer { for a in argv { free(a) } }
        var pid = pid_t()
        let rc = posix_spawn(&pid, "/bin/sh", nil, nil, &argv, environ)
        guard rc == 0 else { return .failure(.error("desk.editor.cannot_start", editor, String(cString: strerror(rc)))) }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        // Exited normally with 0 (WIFEXITED, WEXITSTATUS).
        let exited = status & 0x7f == 0
        let code = exited ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        guard exited && code == 0 else { return .failure(.error("desk.editor.failed", editor, code)) }
        guard let back = FileManager.default.contents(atPath: path) else {
            return .failure(.error("desk.editor.cannot_start", editor, path))
        }
        return .success(String(decoding: back, as: UTF8.self))
    }
}
