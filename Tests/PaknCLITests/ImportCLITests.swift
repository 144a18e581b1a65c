import Foundation
import Testing

/// `pakn import`: hostile CSV files are reported row by row with their line numbers, and
/// nothing is half-imported; good rows are taken in exactly as `pakn intake` does.
@Suite struct ImportCLITests {
    let clerk = ["--now", "2026-11-23T09:00:00+07:00", "--as", "vanthu.hoankiem"]
    static let header = "title,body,kind,category,channel,ward,received_at,reporter_name,reporter_phone"

    func file(_ bytes: [UInt8]) throws -> String {
        let path = CLI.tempDB("import") + ".csv"
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    func file(_ text: String) throws -> String { try file(Array(text.utf8)) }

    func caseCount(_ cli: CLI) throws -> Int {
        try cli.ok(["--as", "taphuan", "list", "--limit", "100000", "--csv"]).csvLines.count - 1
    }

    @Test func goodRowsAreTakenInLikeAnIntakeWithTheirEvents() throws {
        let cli = try CLI.demo()
        let before = try caseCount(cli)
        // BOM, CRLF, a quoted comma, doubled quotes, a body over two lines, both date forms.
        let text = "\u{FEFF}" + Self.header + "\r\n"
            + "Ngập nước phố Huế,\"Mưa lớn, nước ngập \"\"nửa mét\"\"\r\ntrước số 10\",feedback,urban_order,hotline,00070,2026-11-20,Nguyễn Văn An,0912345678\r\n"
            + "Rác thải ùn ứ,Rác không được thu gom ba ngày,complaint,environment,web,00070,21/11/2026,,\r\n"
            + "\r\n"
            + "Đèn đường hỏng,Cả dãy đèn tắt,feedback,urban_order,app,,,,\r\n"
        let r = try cli.ok(clerk + ["import", try file(text)])
        #expect(r.stdout.contains("Đã nhập 3 hồ sơ"), "\(r.stdout)")
        #expect(try caseCount(cli) == before + 3)
        let codes = r.stdout.split(whereSeparator: { " ()…\n".contains($0) }).filter { $0.hasPrefix("HN-") }.map(String.init)
        let first = try cli.ok(clerk + ["show", try #require(codes.first), "--json"]).object()
        #expect(first["title"] as? String == "Ngập nước phố Huế")
        #expect(first["body"] as? String == "Mưa lớn, nước ngập \"nửa mét\"\ntrước số 10")
        #expect((first["received_at"] as? String)?.hasPrefix("2026-11-20") == true)
        let history = try cli.ok(clerk + ["history", codes[0], "--json"]).stdout
        #expect(history.contains("\"intake\"") && history.contains("\"route\""), "\(history)")
        try cli.ok(["--as", "taphuan", "audit", "verify"])
        // Searchable at once, without diacritics.
        #expect(try cli.ok(clerk + ["list", "-q", "ngap nua met"]).stdout.contains(codes[0]))
    }

    /// Every kind of bad row, each on a known line.
    static let hostile: [UInt8] = {
        var b = Array((header + "\n").utf8)                                                     // line 1
        func add(_ s: String) { b += Array(s.utf8) }
        add("Tốt một,Nội dung tốt,feedback,urban_order,web,00070,,,\n")                          // 2 good
        add("Sai ngoặc,nội \"dung\" sai,feedback,urban_order,web,00070,,,\n")                     // 3 quote in field
        add("Thiếu cột,Nội dung,feedback,urban_order,web\n")                                      // 4 column count
        add("\u{FEFF}Có BOM,Nội dung,feedback,urban_order,web,00070,,,\n")                        // 5 stray BOM
        add("CR lẻ,Nội dung,feedback,urban_order,web,00070,,,\r")                                 // 6 bare CR
        add("Ngày sai,Nội dung,feedback,urban_order,web,00070,31/02/2026,,\n")                    // 7 bad date
        add("Tương lai,Nội dung,feedback,urban_order,web,00070,2027-01-01,,\n")                   // 8 future date
        add("Loại lạ,Nội dung,rumour,urban_order,web,00070,,,\n")                                 // 9 unknown kind
        add("Kênh lạ,Nội dung,feedback,urban_order,pigeon,00070,,,\n")                            // 10 unknown channel
        add("Lĩnh vực lạ,Nội dung,feedback,astrology,web,00070,,,\n")                             // 11 unknown category
        add("Phường lạ,Nội dung,feedback,urban_order,web,99999,,,\n")                             // 12 unknown ward
        add(String(repeating: "D", count: 501) + ",Nội dung,feedback,urban_order,web,00070,,,\n") // 13 title too long
        b += Array("UTF8 hỏng,Nội dung ".utf8) + [0xC3, 0x28] + Array(",feedback,urban_order,web,00070,,,\n".utf8) // 14
        add("Ngoài phạm vi,Nội dung,feedback,urban_order,web,00004,,,\n")                          // 15 out of scope
        add("\"Sau ngoặc\"x,Nội dung,feedback,urban_order,web,00070,,,\n")                         // 16 text after quote
        add("Tốt hai,\"Hai\ndòng\",feedback,urban_order,web,00070,,,\n")                          // 17-18 good
        add("Không đóng,\"mở mãi,feedback,urban_order,web,00070,,,\nx,y\n")                       // 19 unterminated
        return b
    }()
    static let badLines = [3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 19]

    @Test func byDefaultOneBadRowAndNothingIsImported() throws {
        let cli = try CLI.demo()
        let before = try cli.fingerprint()
        let r = try cli.run(clerk + ["import", try file(Self.hostile)])
        #expect(r.status == 1, "\(r.stderr)")
        for line in Self.badLines { #expect(r.stderr.contains(", dòng \(line): "), "line \(line): \(r.stderr)") }
        for good in [2, 17] { #expect(!r.stderr.contains(", dòng \(good): "), "line \(good)") }
        #expect(r.stderr.contains("Không nhập gì: 15 trong 17 dòng bị lỗi"), "\(r.stderr)")
        #expect(r.stdout.isEmpty)
        #expect(try cli.fingerprint() == before, "nothing may be imported")
    }

    @Test func skipBadImportsTheGoodRowsAndWritesEveryBadOneWithItsReason() throws {
        var cli = try CLI.demo()
        cli.lang = "en"
        let before = try caseCount(cli)
        let rejects = CLI.tempDB("rejects") + ".csv"
        let r = try cli.run(clerk + ["import", try file(Self.hostile), "--skip-bad", "--rejects", rejects, "--batch", "4"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("Imported 2 cases"), "\(r.stdout)")
        #expect(r.stderr.contains("15 bad rows were not imported"), "\(r.stderr)")
        #expect(try caseCount(cli) == before + 2)
        let text = try String(contentsOfFile: rejects, encoding: .utf8)
        #expect(text.hasPrefix("line,reason,raw\n"))
        let reasons: [Int: String] = [3: "quote inside field 2", 4: "expected 9 fields", 5: "byte-order mark", 6: "lone carriage return",
                                      7: "invalid received_at", 8: "in the future", 9: "invalid kind", 10: "invalid channel",
                                      11: "No category", 12: "No unit with code", 13: "title is too long",
                                      14: "not valid UTF-8", 15: "outside the units", 16: "after the closing quote",
                                      19: "never closed"]
        for (line, reason) in reasons {
            #expect(text.contains("\n\(line),") && text.contains(reason), "line \(line) / \(reason)\n\(text)")
        }
        #expect(!text.contains("\n2,") && !text.contains("\n17,"))
        try cli.ok(["--as", "taphuan", "audit", "verify"])
    }

    @Test func aBadHeaderImportsNothing() throws {
        let cli = try CLI.demo()
        let before = try cli.fingerprint()
        let cases: [(String, String)] = [
            ("title,body,kind,category,channel,colour\n", "cột lạ \"colour\""),
            ("title,body,kind,category\n", "thiếu cột bắt buộc: channel"),
            ("title,body,kind,category,channel,title\n", "cột title xuất hiện hai lần"),
            ("", "rỗng"),
            ("\"title,body\n", "không bao giờ được đóng"),
        ]
        for (text, message) in cases {
            let r = try cli.run(clerk + ["import", try file(text + "A,B,feedback,urban_order,web,x\n"), "--skip-bad"])
            let empty = text.isEmpty ? try cli.run(clerk + ["import", try file(""), "--skip-bad"]) : r
            #expect(empty.status == 1, "\(text): \(empty.stderr)")
            #expect(empty.stderr.contains(message), "\(text): \(empty.stderr)")
        }
        #expect(try cli.fingerprint() == before)
    }

    @Test func theActingOfficialNeedsTheIntakePermission() throws {
        let cli = try CLI.demo()
        let before = try cli.fingerprint()
        let good = try file(Self.header + "\nA,B,feedback,urban_order,web,00070,,,\n")
        let r = try cli.run(["--now", "2026-11-23T09:00:00+07:00", "--as", "xem.hanoi", "import", good])
        #expect(r.status == 4, "\(r.stderr)")
        #expect(r.stderr.contains("intake"))
        let missing = try cli.run(clerk + ["import", "/nonexistent/cases.csv"])
        #expect(missing.status == 1 && missing.stderr.contains("/nonexistent/cases.csv"), "\(missing.stderr)")
        #expect(try cli.fingerprint() == before)
    }
}
