import Foundation
import PaknTestSupport
import Testing

/// `--db` (or `PAKN_DB`) picks the engine: a path is a SQLite file; a `postgres://` or
/// `postgresql://` URL is a server (the PostgreSQL session engine). A server that cannot be
/// reached is refused in one sentence in the official's language, never showing the
/// password, with exit 5, and nothing is left behind.
@Suite struct EngineChoiceCLITests {
    static let url = "postgres://nva:s3cret-pw@db.example.vn:5432/pakn"

    /// Runs pakn with `args`, and `PAKN_DB` set to `env` when given (no `--db`).
    func pakn(_ args: [String], env: String? = nil) throws -> CLI.Result {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: CLI.binary)
        p.arguments = args
        var e = ProcessInfo.processInfo.environment
        e["LANG"] = "C.UTF-8"
        e["PAKN_DB"] = env
        p.environment = e
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        p.standardInput = FileHandle.nullDevice
        try p.run()
        let o = out.fileHandleForReading.readDataToEndOfFile()
        let x = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return CLI.Result(status: p.terminationStatus, stdout: String(decoding: o, as: UTF8.self),
                          stderr: String(decoding: x, as: UTF8.self))
    }

    func expectNoEngine(_ r: CLI.Result, _ needle: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(r.status == 5, "\(r.stderr)", sourceLocation: sourceLocation)
        #expect(r.stdout.isEmpty, sourceLocation: sourceLocation)
        #expect(r.stderr.hasPrefix("pakn: "), sourceLocation: sourceLocation)
        #expect(r.stderr.split(separator: "\n").count == 1, "one line: \(r.stderr)", sourceLocation: sourceLocation)
        #expect(r.stderr.contains(needle), "\(r.stderr)", sourceLocation: sourceLocation)
        #expect(r.stderr.contains("db.example.vn:5432"), "\(r.stderr)", sourceLocation: sourceLocation)
        #expect(!r.stderr.contains("s3cret"), "the password is never shown: \(r.stderr)", sourceLocation: sourceLocation)
    }

    @Test func aServerThatCannotBeReachedIsRefusedInBothLanguages() throws {
        expectNoEngine(try pakn(["--db", Self.url, "--lang", "vi", "list"]), "Không kết nối được máy chủ CSDL")
        expectNoEngine(try pakn(["--db", Self.url, "--lang", "en", "list"]), "Cannot reach the database server")
        // The same from PAKN_DB, with the other scheme, and for the desk.
        let other = Self.url.replacingOccurrences(of: "postgres://", with: "postgresql://")
        expectNoEngine(try pakn(["--lang", "en", "show", "HN-2026-000001"], env: other), "Cannot reach the database server")
        expectNoEngine(try pakn(["--lang", "en", "desk"], env: Self.url), "Cannot reach the database server")
    }

    @Test func fileOnlyCommandsSaySo() throws {
        for command in ["demo"] {
            let r = try pakn(["--db", Self.url, "--lang", "en", command])
            expectNoEngine(r, "\"\(command)\" works on a SQLite database file only")
        }
        let r = try pakn(["--db", Self.url, "--lang", "vi", "restore", "/nonexistent-backup.sqlite"])
        expectNoEngine(r, "chỉ làm việc với một tệp cơ sở dữ liệu SQLite")
        // Nothing was made where a file of that name would go.
        #expect(!FileManager.default.fileExists(atPath: Self.url))
        #expect(!FileManager.default.fileExists(atPath: "postgres:"))
    }

    @Test func aPathIsStillAFile() throws {
        // A file whose name starts like a scheme is a file: only "postgres://" makes a URL.
        let dir = TestScratch.folder("pakn-cli-tests").appendingPathComponent("engine-\(getpid())-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("postgres.sqlite").path
        let r = try pakn(["--db", path, "--lang", "en", "init", "--unit", "01"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(FileManager.default.fileExists(atPath: path))
    }
}
