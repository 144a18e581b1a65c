import Foundation
import PaknTestSupport
import PaknCore
import PaknPostgres
import Testing

/// `pakn attachment CODE [N]`: lists a case's attachments as `pakn show` numbers them and
/// saves one's bytes, checked against the digest recorded at intake, whole or not at all —
/// on a file and on a server, where the bytes live in the database.
@Suite struct AttachmentCLITests {
    let now = ["--now", "2026-11-23T09:00:00+07:00"]
    var handler: [String] { now + ["--as", "canbo.hoankiem.kt"] }
    static let text = "Biên bản kiểm tra hiện trường\nsố 12/BB — đã ký 🙂\n"

    func folder() -> String {
        let dir = TestScratch.folder("pakn-cli-tests").appendingPathComponent("attachment-\(UUID().uuidString)").path
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    /// A demo database with a text file attached to a case of the ward's economic office.
    func prepared() throws -> (cli: CLI, code: String, dir: String) {
        var cli = try CLI.demo()
        cli.lang = "en"
        let dir = folder()
        let file = dir + "/bien-ban.txt"
        try Data(Self.text.utf8).write(to: URL(fileURLWithPath: file))
        let code = try #require(try cli.ok(handler + ["list", "--limit", "1", "--csv", "--open"]).csvLines.dropFirst().first?
            .split(separator: ",").first.map(String.init))
        try cli.ok(handler + ["attach", code, file])
        return (cli, code, dir)
    }

    @Test func listsSavesAndRefusesToOverwrite() throws {
        let (cli, code, dir) = try prepared()
        let list = try cli.ok(handler + ["attachment", code]).stdout
        #expect(list == "1. bien-ban.txt (text/plain, \(Self.text.utf8.count) B)\n", "\(list)")
        #expect(try cli.ok(handler + ["show", code]).stdout.contains("1. bien-ban.txt (text/plain"))
        let out = dir + "/ban-sao.txt"
        let saved = try cli.ok(handler + ["attachment", code, "1", "-o", out])
        #expect(saved.stdout.contains("Saved attachment bien-ban.txt (\(Self.text.utf8.count) bytes) to \(out)"), "\(saved.stdout)")
        #expect(try String(contentsOfFile: out, encoding: .utf8) == Self.text)
        // Not over a file that is there, unless asked.
        try Data("giữ nguyên".utf8).write(to: URL(fileURLWithPath: out))
        let again = try cli.run(handler + ["attachment", code, "1", "-o", out])
        #expect(again.status == 1 && again.stderr.contains("already exists"), "\(again.stderr)")
        #expect(try String(contentsOfFile: out, encoding: .utf8) == "giữ nguyên")
        try cli.ok(handler + ["attachment", code, "1", "-o", out, "--force"])
        #expect(try String(contentsOfFile: out, encoding: .utf8) == Self.text)
        // To standard output, byte for byte.
        #expect(try cli.ok(handler + ["attachment", code, "1", "-o", "-"]).stdout == Self.text)
    }

    @Test func aWrongNumberAnOfficialOutOfScopeAndDamagedBytesWriteNothing() throws {
        let (cli, code, dir) = try prepared()
        let out = dir + "/x.txt"
        let none = try cli.run(handler + ["attachment", code, "2", "-o", out])
        #expect(none.status == 1 && none.stderr.contains("has no attachment number 2 (it has 1)"), "\(none.stderr)")
        let zero = try cli.run(handler + ["attachment", code, "0", "-o", out])
        #expect(zero.status != 0 && zero.stderr.contains("starts at 1"), "\(zero.stderr)")
        var vi = cli
        vi.lang = "vi"
        #expect(try vi.run(handler + ["attachment", code, "2"]).stderr.contains("không có tệp đính kèm số 2"))
        let outside = try cli.run(now + ["--as", "canbo.badinh.kt", "attachment", code, "1", "-o", out])
        #expect(outside.status != 0, "\(outside.stdout)")
        // The stored bytes changed behind pakn's back: refused, nothing written.
        let store = cli.db + ".attachments"
        let files = try #require(FileManager.default.enumerator(atPath: store)?.allObjects as? [String]).filter { $0.count > 3 }
        for f in files { try Data("đã bị sửa".utf8).write(to: URL(fileURLWithPath: store + "/" + f)) }
        #expect(!files.isEmpty)
        let damaged = try cli.run(handler + ["attachment", code, "1", "-o", out])
        #expect(damaged.status == 1 && damaged.stderr.contains("does not match the digest"), "\(damaged.stderr)")
        #expect(!FileManager.default.fileExists(atPath: out))
    }

    @Test func theNameACitizenGaveBecomesAFileHereAndNoWhereElse() {
        #expect(AttachmentName.safe("../../etc/passwd") == "passwd")
        #expect(AttachmentName.safe("ảnh\u{202E}gpj.exe") == "ảnhgpj.exe")
        #expect(AttachmentName.safe(".bashrc") == "bashrc")
        #expect(AttachmentName.safe("..") == "dinh-kem-1")
        #expect(AttachmentName.safe("a\\b\u{7}c.png") == "bc.png")
    }

    @Test(.enabled(if: ServerCLI.url != nil)) func onAServerTheBytesComeFromTheDatabase() async throws {
        let (cli, code, dir) = try prepared()
        let db = try await ServerCLI.freshDatabase()
        defer { Task { await ServerCLI.drop(db) } }
        let target = try ServerCLI.url(database: db)
        let moved = try cli.run(["migrate", "--from", cli.db, "--to", target])
        #expect(moved.status == 0, "\(moved.stderr)")
        func official(_ login: String) throws -> CLI {
            var c = try #require(URLComponents(string: target))
            c.user = login
            var s = CLI(db: try #require(c.string))
            s.lang = "en"
            return s
        }
        let out = dir + "/tu-may-chu.txt"
        let h = try official("canbo.hoankiem.kt")
        #expect(try h.ok(["attachment", code]).stdout.hasPrefix("1. bien-ban.txt (text/plain"))
        try h.ok(["attachment", code, "1", "-o", out])
        #expect(try String(contentsOfFile: out, encoding: .utf8) == Self.text)
        let outside = try official("canbo.badinh.kt").run(["attachment", code, "1", "-o", dir + "/khong.txt"])
        #expect(outside.status != 0)
        #expect(!FileManager.default.fileExists(atPath: dir + "/khong.txt"))
    }
}
