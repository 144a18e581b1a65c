import Foundation
import Testing

/// Issue 15 at the command line: `pakn tour` only on a training database, `:goto` refusing
/// alike what does not exist and what lies outside one's units, `import` reading UTF-16
/// without a byte-order mark and taking `--delimiter`.
@Suite struct DeskViewsCLITests {
    let now = ["--now", "2026-11-23T09:00:00+07:00"]
    var clerk: [String] { now + ["--as", "vanthu.hoankiem"] }

    @Test func theTourIsRefusedOnARealDatabase() throws {
        let cli = CLI(db: CLI.tempDB("prod"))
        try cli.ok(["init"])
        for (lang, text) in [("en", "The tour runs on a training database only"), ("vi", "Chỉ chạy hướng dẫn trên CSDL tập huấn")] {
            let r = try cli.run(["--lang", lang, "tour"])
            #expect(r.status == 4, "\(r.stderr)")
            #expect(r.stderr.contains(text), "\(r.stderr)")
            #expect(r.stdout.isEmpty)
        }
    }

    @Test func gotoRefusesWhatIsOutsideOnesUnitsAsIfItDidNotExist() throws {
        let cli = try CLI.demo()
        let theirs = try #require(try cli.ok(now + ["--as", "vanthu.badinh", "list", "--json", "--limit", "1"]).json() as? [[String: Any]])
        let code = try #require(theirs.first?["code"] as? String)
        func screen(_ ref: String) throws -> String {
            let keys = CLI.tempDB("keys") + ".keys"
            try "text: :goto \(ref)\nEnter\n".write(toFile: keys, atomically: true, encoding: .utf8)
            return try cli.ok(clerk + ["--lang", "en", "desk-script", "--keys", keys, "--screen"]).stdout
        }
        let outside = try screen(code), unknown = try screen("HN-2026-999999")
        #expect(outside.contains("No case \"\(code)\"."), "\(outside)")
        #expect(unknown.contains("No case \"HN-2026-999999\"."), "\(unknown)")
        // Neither opened a one-case view.
        #expect(!outside.contains("Case \(code) · Esc") && !unknown.contains("· Esc: back"))
        // A case of one's own opens alone.
        let mine = try #require(try cli.ok(clerk + ["list", "--json", "--limit", "1"]).json() as? [[String: Any]])
        let own = try #require(mine.first?["code"] as? String)
        #expect(try screen(own).contains("Case \(own) · Esc: back"))
    }

    static let header = ["title", "body", "kind", "category", "channel", "ward"]
    static let row = ["Ống nước vỡ, nước tràn ra đường", "Ống nước vỡ trước số 9 phố Hàng Bạc", "feedback", "urban_order", "hotline", "00070"]

    @Test func importReadsUTF16WithoutAByteOrderMark() throws {
        let cli = try CLI.demo()
        let text = [Self.header, Self.row].map { $0.joined(separator: "\t") }.joined(separator: "\r\n") + "\r\n"
        let le = text.utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
        let be = text.utf16.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] }
        for (name, bytes, said) in [("le", le, "UTF-16 LE without a BOM"), ("be", be, "UTF-16 BE without a BOM")] {
            let path = CLI.tempDB(name) + ".txt"
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            let r = try cli.run(clerk + ["--lang", "en", "import", path])
            #expect(r.status == 0, "\(name): \(r.stderr)")
            #expect(r.stderr.contains("as \(said), separated by tabs."), "\(name): \(r.stderr)")
            let newest = try #require(try cli.ok(clerk + ["list", "--json", "--order", "newest", "--limit", "1"]).json() as? [[String: Any]])
            #expect(newest.first?["title"] as? String == Self.row[0], "\(name)")
        }
    }

    @Test func importTakesTheDelimiterItIsTold() throws {
        let cli = try CLI.demo()
        // Semicolons; the title holds a comma. Told commas, every row is one field short.
        let path = CLI.tempDB("semi") + ".csv"
        try ([Self.header, Self.row].map { $0.joined(separator: ";") }.joined(separator: "\r\n") + "\r\n")
            .write(toFile: path, atomically: true, encoding: .utf8)
        let wrong = try cli.run(clerk + ["--lang", "en", "import", path, "--delimiter", ","])
        #expect(wrong.status != 0)
        #expect(wrong.stderr.contains("title;body"), "\(wrong.stderr)")
        let right = try cli.run(clerk + ["--lang", "en", "import", path, "--delimiter", ";"])
        #expect(right.status == 0, "\(right.stderr)")
        #expect(right.stderr.contains("separated by semicolons"))
        let bad = try cli.run(clerk + ["--lang", "en", "import", path, "--delimiter", "x"])
        #expect(bad.status != 0 && bad.stderr.contains("--delimiter"))
    }
}
