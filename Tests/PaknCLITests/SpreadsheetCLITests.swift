import Foundation
import Testing

/// CSV for Excel (issue 15): `list --csv` and `export --format csv` are UTF-8 with a BOM
/// and CRLF, `--delimiter ';'` for Excel's European setting; `import` reads what Excel saves
/// (UTF-8 with a BOM, UTF-16 "Unicode text", semicolons) and says which it read; an export
/// imports again.
@Suite struct SpreadsheetCLITests {
    let now = ["--now", "2026-11-23T09:00:00+07:00"]
    var clerk: [String] { now + ["--as", "vanthu.hoankiem"] }
    var supervisor: [String] { now + ["--as", "lanhdao.hoankiem"] }

    static func temp(_ name: String) -> String { CLI.tempDB(name) }

    /// A CSV file's records, parsed (quotes, CRLF, the delimiter) as Excel would.
    static func records(_ text: String, delimiter: Character = ",") -> [[String]] {
        var rows: [[String]] = [], row: [String] = [], field = "", quoted = false, afterQuote = false
        let scalars = Array((text.hasPrefix("\u{FEFF}") ? String(text.dropFirst()) : text).unicodeScalars)
        var i = 0
        while i < scalars.count {
            let c = Character(scalars[i])
            i += 1
            if quoted {
                if c == "\"" { if i < scalars.count, scalars[i] == "\"" { field.append("\""); i += 1 } else { quoted = false; afterQuote = true } }
                else { field.unicodeScalars.append(scalars[i - 1]) }
                continue
            }
            if c == "\"", field.isEmpty, !afterQuote { quoted = true; continue }
            if c == delimiter { row.append(field); field = ""; afterQuote = false; continue }
            if scalars[i - 1] == "\r", i < scalars.count, scalars[i] == "\n" {
                i += 1
                row.append(field); rows.append(row); row = []; field = ""; afterQuote = false
                continue
            }
            field.unicodeScalars.append(scalars[i - 1])
        }
        if !field.isEmpty || !row.isEmpty { row.append(field); rows.append(row) }
        return rows
    }

    @Test func listAndExportOpenInExcelWithVietnameseIntact() throws {
        let cli = try CLI.demo()
        let c = try cli.ok(clerk + ["intake", "--title", "Ngập; nước \"sâu\" ở Đê La Thành", "--body", "Dòng một\ndòng hai",
                                    "--category", "urban_order", "--ward", "00070"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        for args in [["list", "--csv", "--limit", "1000"], ["export", "--format", "csv"]] {
            let r = try cli.ok(clerk + args)
            let bytes = Array(r.stdout.utf8)
            #expect(Array(bytes.prefix(3)) == [0xEF, 0xBB, 0xBF], "\(args): a UTF-8 byte-order mark first")
            // Every record ends in CRLF; a line break inside a quoted field stays LF.
            #expect(r.stdout.hasSuffix("\r\n"))
            let records = Self.records(r.stdout)
            let header = try #require(records.first)
            #expect(records.dropFirst().allSatisfy { $0.count == header.count }, "\(args)")
            let mine = try #require(records.first { $0.first == c })
            let row = Dictionary(uniqueKeysWithValues: zip(header, mine))
            #expect(row["title"] == "Ngập; nước \"sâu\" ở Đê La Thành", "\(args)")
            #expect(row["ward"] == "Phường Hoàn Kiếm" && row["ward_code"] == "00070")
            #expect(row["channel"] == "walk_in" && row["version"].flatMap(Int.init) != nil)
            // The same bytes as the text: NFC Vietnamese, not a code page.
            #expect(r.stdout.contains("Ngập; nước"))
        }
        // Semicolons for Excel's European setting: a field holding one is quoted.
        let semi = try cli.ok(clerk + ["list", "--csv", "--delimiter", ";", "--limit", "1000"]).stdout
        #expect(semi.hasPrefix("\u{FEFF}code;status;kind;category;unit;ward;"))
        #expect(semi.contains("\"Ngập; nước \"\"sâu\"\" ở Đê La Thành\""))
        let rows = Self.records(semi, delimiter: ";")
        #expect(rows.dropFirst().allSatisfy { $0.count == rows[0].count })
        let tab = try cli.ok(clerk + ["export", "--format", "csv", "--delimiter", "tab"]).stdout
        #expect(tab.hasPrefix("\u{FEFF}code\tversion\tstatus\t"))
        #expect(try cli.run(clerk + ["list", "--csv", "--delimiter", "|"]).status == 1)
    }

    /// The fields a re-import must keep, for one exported record.
    static let kept = ["title", "body", "kind", "category", "channel", "ward_code", "address", "latitude", "longitude", "received_at",
                       "reporter", "reporter_name", "reporter_phone", "reporter_email", "reporter_address", "reporter_national_id",
                       "anonymous", "confidential", "complex"]

    static func keptRows(_ csv: String, except codes: Set<String> = []) -> [[String]] {
        let records = Self.records(csv)
        guard let header = records.first else { return [] }
        let code = header.firstIndex(of: "code")!
        return records.dropFirst().filter { !codes.contains($0[code]) }.map { r in
            Self.kept.map { k in header.firstIndex(of: k).map { r[$0] } ?? "" }
        }
    }

    @Test func anExportImportsAgainWithTheSameFacts() throws {
        let cli = try CLI.demo()
        // Texts a spreadsheet would run as formulas come back as they were.
        try cli.ok(clerk + ["intake", "--title", "=SUM(1;2) đèn hỏng", "--body=-5 độ, @trưởng thôn, +84 912",
                            "--category", "urban_order", "--ward", "00070", "--reporter-name", "Lê Thị Hoa",
                            "--reporter-phone", "0987654321", "--address", "Số 3, phố Hàng Bạc", "--lat", "21.0345", "--lon", "105.852"])
        try cli.ok(clerk + ["intake", "--title", "Tố cáo", "--body", "Nội dung", "--kind", "denunciation", "--category", "land",
                            "--ward", "00070", "--reporter-name", "Người Tố Cáo", "--reporter-phone", "0911111111"])
        let file = Self.temp("export") + ".csv"
        try cli.ok(supervisor + ["export", "--format", "csv", "--unredacted", "--reason", "Chuyển hệ thống", "--out", file,
                                 "--since", "2026-08-01"])
        let original = try String(contentsOfFile: file, encoding: .utf8)
        let before = Set(Self.records(original).dropFirst().map { $0[0] })
        #expect(before.count > 5)
        let imp = try cli.run(clerk + ["--lang", "en", "import", file])
        #expect(imp.status == 0, "\(imp.stderr)")
        #expect(imp.stdout.contains("Imported \(before.count) cases"), "\(imp.stdout)")
        #expect(imp.stderr.contains("UTF-8 with a BOM, separated by commas"), "\(imp.stderr)")
        // Exported again: the new cases hold the same facts, row for row.
        let again = try cli.ok(supervisor + ["export", "--format", "csv", "--unredacted", "--reason", "Đối chiếu",
                                             "--since", "2026-08-01"]).stdout
        let copies = Self.keptRows(again, except: before)
        #expect(copies.count == before.count)
        #expect(copies.sorted { $0.joined(separator: "\u{1}") < $1.joined(separator: "\u{1}") }
                == Self.keptRows(original).sorted { $0.joined(separator: "\u{1}") < $1.joined(separator: "\u{1}") })
        // In the file, guarded once (not twice: the import took the guard off).
        #expect(copies.contains { $0[0] == "'=SUM(1;2) đèn hỏng" && $0[1] == "'-5 độ, @trưởng thôn, +84 912" && $0[11] == "Lê Thị Hoa" })
        // A redacted export imports without the masked details: they are not the person's.
        let masked = Self.temp("masked") + ".csv"
        try cli.ok(clerk + ["export", "--format", "csv", "--out", masked, "--since", "2026-11-20"])
        #expect(try String(contentsOfFile: masked, encoding: .utf8).contains(",masked,"))
        let m = try cli.run(clerk + ["import", masked])
        #expect(m.status == 0, "\(m.stderr)")
        let json = try #require(try cli.ok(clerk + ["list", "--json", "--order", "newest", "--limit", "1"]).json() as? [[String: Any]])
        let shown = try cli.ok(clerk + ["show", try #require(json.first?["code"] as? String), "--json"]).object()
        let reporter = shown["reporter"] as? [String: Any]
        #expect(reporter?["name"] == nil || (reporter?["name"] as? String)?.contains("*") == false)
    }

    @Test func importReadsWhatExcelSavesAndSaysWhich() throws {
        let cli = try CLI.demo()
        let rows = [["title", "body", "kind", "category", "channel", "ward"],
                    ["Rác thải; bốc mùi", "Bãi rác ở ngõ 12 \"Hàng Bè\"\nhôi thối 🌧️", "feedback", "environment", "hotline", "00070"],
                    ["Đèn đường hỏng", "Tối om cả dãy", "complaint", "urban_order", "web", "00070"]]
        func text(_ d: String) -> String {
            rows.map { r in
                r.map { f in f.contains(where: { $0 == "\"" || $0 == "\n" || String($0) == d }) ? "\"" + f.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : f }
                    .joined(separator: d)
            }.joined(separator: "\r\n") + "\r\n"
        }
        func utf16LE(_ s: String) -> [UInt8] { [0xFF, 0xFE] + s.utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] } }
        let files: [(String, [UInt8], String)] = [
            ("unicode.txt", utf16LE(text("\t")), "UTF-16 LE (Excel's \"Unicode text\"), separated by tabs"),
            ("europe.csv", [0xEF, 0xBB, 0xBF] + Array(text(";").utf8), "UTF-8 with a BOM, separated by semicolons"),
            ("plain.csv", Array(text(",").utf8), "UTF-8, separated by commas"),
        ]
        for (name, bytes, said) in files {
            let path = Self.temp(name) + "-" + name
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            let r = try cli.run(clerk + ["--lang", "en", "import", path])
            #expect(r.status == 0, "\(name): \(r.stderr)")
            #expect(r.stderr.contains("as \(said)."), "\(name): \(r.stderr)")
            let newest = try #require(try cli.ok(clerk + ["list", "--json", "--order", "newest", "--limit", "2"]).json() as? [[String: Any]])
            let titles = Set(newest.compactMap { $0["title"] as? String })
            #expect(titles == ["Rác thải; bốc mùi", "Đèn đường hỏng"], "\(name)")
            let code = try #require(newest.first { $0["title"] as? String == "Rác thải; bốc mùi" }?["code"] as? String)
            #expect(try cli.ok(clerk + ["show", code, "--json"]).object()["body"] as? String == "Bãi rác ở ngõ 12 \"Hàng Bè\"\nhôi thối 🌧️")
        }
        let vi = try cli.run(clerk + ["--lang", "vi", "import", Self.temp("u") + ".txt"])
        #expect(vi.status == 1)
        let viPath = Self.temp("vi") + ".txt"
        try Data(utf16LE(text("\t"))).write(to: URL(fileURLWithPath: viPath))
        #expect(try cli.ok(clerk + ["--lang", "vi", "import", viPath]).stderr.contains("UTF-16 LE («Unicode text» của Excel), phân cách bằng dấu tab"))
    }
}
