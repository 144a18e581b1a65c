import Foundation
import PaknTestSupport
import Testing

/// Runs the built `pakn` binary as a user would, capturing its output.
struct CLI {
    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String

        func json() throws -> Any { try JSONSerialization.jsonObject(with: Data(stdout.utf8)) }
        /// The records of CSV output (`list --csv`, `export --format csv`): without the
        /// byte-order mark that starts it, split at its CRLF line ends.
        var csvLines: [Substring] {
            Substring(stdout.hasPrefix("\u{FEFF}") ? String(stdout.dropFirst()) : stdout).split(whereSeparator: \.isNewline)
        }
        func object() throws -> [String: Any] { try #require(try json() as? [String: Any]) }
    }

    /// `pakn` sits next to the test bundle in the build folder.
    static let binary: String = {
        var dir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = dir.appendingPathComponent("pakn").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            dir = dir.deletingLastPathComponent()
        }
        return ".build/debug/pakn"
    }()

    let db: String
    var lang = "vi"

    static func tempDB(_ name: String = "cli") -> String {
        TestScratch.path(in: "pakn-cli-tests", name)
    }

    /// `pakn migrate` runs one at a time in this process: each makes the demo officials'
    /// roles, which are the test cluster's, not one database's, inside its own transaction,
    /// and two at once raced ("role … does not exist").
    static let migrations = NSLock()

    @discardableResult
    func run(_ args: [String], stdin: String? = nil, env extra: [String: String] = [:]) throws -> Result {
        if args.contains("migrate") {
            CLI.migrations.lock()
            defer { CLI.migrations.unlock() }
            return try runAlone(args, stdin: stdin, env: extra)
        }
        return try runAlone(args, stdin: stdin, env: extra)
    }

    private func runAlone(_ args: [String], stdin: String?, env extra: [String: String]) throws -> Result {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: CLI.binary)
        p.arguments = ["--db", db, "--lang", lang] + args
        var env = ProcessInfo.processInfo.environment
        env["LANG"] = "C.UTF-8"
        env["PAKN_DB"] = nil
        for (k, v) in extra { env[k] = v }
        p.environment = env
        let out = Pipe(), err = Pipe(), inp = Pipe()
        p.standardOutput = out
        p.standardError = err
        p.standardInput = inp
        try p.run()
        if let stdin { inp.fileHandleForWriting.write(Data(stdin.utf8)) }
        try inp.fileHandleForWriting.close()
        let o = out.fileHandleForReading.readDataToEndOfFile()
        let e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return Result(status: p.terminationStatus, stdout: String(decoding: o, as: UTF8.self),
                      stderr: String(decoding: e, as: UTF8.self))
    }

    /// Runs and requires success.
    @discardableResult
    func ok(_ args: [String], stdin: String? = nil) throws -> Result {
        let r = try run(args, stdin: stdin)
        #expect(r.status == 0, "pakn \(args.joined(separator: " ")) → \(r.status): \(r.stderr)")
        return r
    }

    /// The counts that must not move when a command is refused.
    func fingerprint() throws -> String {
        let r = try run(["audit", "head"])
        let l = try run(["--as", "taphuan", "list", "--limit", "100000", "--csv"])
        return r.stdout + l.stdout
    }

    /// A small training database shared by the tests of one process: generated once, then copied.
    static let demoTemplate: String = {
        let path = tempDB("template")
        let r = try! CLI(db: path).run(["--now", "2026-11-23T09:00:00+07:00", "demo", "--cases", "120", "--seed", "3"])
        precondition(r.status == 0, r.stderr)
        return path
    }()

    static func demo() throws -> CLI {
        let path = tempDB("demo")
        try FileManager.default.copyItem(atPath: demoTemplate, toPath: path)
        if FileManager.default.fileExists(atPath: demoTemplate + "-wal") {
            try FileManager.default.copyItem(atPath: demoTemplate + "-wal", toPath: path + "-wal")
        }
        return CLI(db: path)
    }
}
