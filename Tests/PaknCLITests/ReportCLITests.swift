import Foundation
import PaknTestSupport
import Testing

/// `pakn report` through the real binary: every format, bad input, and exchange files
/// between two databases.
@Suite("pakn report", .serialized)
struct ReportCLITests {
    static let now = ["--now", "2026-11-23T09:00:00+07:00"]
    static let ward = now + ["--as", "lanhdao.hoankiem"]

    static func tempFile(_ ext: String) -> String {
        TestScratch.folder("pakn-cli-tests").appendingPathComponent("report-\(UUID().uuidString).\(ext)").path
    }

    /// Runs python3 on a script with arguments; its stdout.
    static func python(_ script: String, _ args: [String]) throws -> (status: Int32, out: String, err: String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3", "-c", script] + args
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        let o = out.fileHandleForReading.readDataToEndOfFile(), e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: o, as: UTF8.self), String(decoding: e, as: UTF8.self))
    }

    /// Opens the workbook with Python's own zip and XML readers (nothing of pakn's) and
    /// prints its sheets' names, then each sheet's cells as `ref=value` lines.
    static let readXLSX = """
        import sys, zipfile, xml.etree.ElementTree as ET
        ns = {'m': 'http://schemas.openxmlformats.org/spreadsheetml/2006/main',
              'r': 'http://schemas.openxmlformats.org/officeDocument/2006/relationships'}
        z = zipfile.ZipFile(sys.argv[1])
        assert z.testzip() is None
        ET.fromstring(z.read('[Content_Types].xml'))
        ET.fromstring(z.read('xl/styles.xml'))
        wb = ET.fromstring(z.read('xl/workbook.xml'))
        rels = ET.fromstring(z.read('xl/_rels/workbook.xml.rels'))
        targets = {r.get('Id'): r.get('Target') for r in rels}
        for s in wb.find('m:sheets', ns):
            print('SHEET', s.get('name'))
            sheet = ET.fromstring(z.read('xl/' + targets[s.get('{%s}id' % ns['r'])]))
            for c in sheet.iter('{%s}c' % ns['m']):
                v = c.find('m:v', ns)
                t = c.find('m:is/m:t', ns)
                print(c.get('r') + '=' + (v.text if v is not None else (t.text or '')))
        """

    @Test func everyFormatCarriesTheSameFigures() throws {
        let cli = try CLI.demo()
        let json = try cli.ok(Self.ward + ["report", "monthly", "--period", "2026-11", "--format", "json"])
        let report = try json.object()
        let totals = try #require(report["totals"] as? [String: Any])
        let received = try #require(totals["received"] as? Int)
        let overdue = try #require(totals["overdueNow"] as? Int)
        #expect((report["unit"] as? [String: Any])?["code"] as? String == "00070")
        #expect((report["period"] as? [String: Any])?["first"] as? String == "2026-11-01")
        #expect(report["madeBy"] as? String == "lanhdao.hoankiem" && (report["chainHead"] as? String)?.count == 64)

        // Text, in Vietnamese by default and in English.
        let text = try cli.ok(Self.ward + ["report", "monthly", "--period", "2026-11"]).stdout
        #expect(text.hasPrefix("BÁO CÁO TÌNH HÌNH TIẾP NHẬN"))
        #expect(text.contains("Đơn vị: Phường Hoàn Kiếm (00070)") && text.contains("Kỳ báo cáo: Tháng 11/2026"))
        #expect(text.split(separator: "\n").contains { $0.hasPrefix("  Tiếp nhận") && $0.hasSuffix(" \(received)") })
        var en = cli
        en.lang = "en"
        let english = try en.ok(Self.ward + ["report", "monthly", "--period", "2026-11"]).stdout
        #expect(english.hasPrefix("REPORT ON PETITIONS") && english.contains("Period: Month 11/2026"))

        // CSV: UTF-8 with a BOM, CRLF, Vietnamese intact.
        let csvPath = Self.tempFile("csv")
        try cli.ok(Self.ward + ["report", "monthly", "--period", "2026-11", "--format", "csv", "--out", csvPath])
        let csv = try Data(contentsOf: URL(fileURLWithPath: csvPath))
        #expect(Array(csv.prefix(3)) == [0xEF, 0xBB, 0xBF])
        let csvText = String(decoding: csv.dropFirst(3), as: UTF8.self)
        #expect(csvText.contains("\r\n") && !csvText.replacingOccurrences(of: "\r\n", with: "").contains("\n"))
        #expect(csvText.contains("Tiếp nhận,\(received)\r\n"))

        // HTML for A4.
        let html = try cli.ok(Self.ward + ["report", "monthly", "--period", "2026-11", "--format", "html"]).stdout
        #expect(html.hasPrefix("<!DOCTYPE html>") && html.contains("@page { size: A4") && html.contains("Phường Hoàn Kiếm"))

        // The workbook, read by an independent reader.
        let xlsx = Self.tempFile("xlsx")
        try cli.ok(Self.ward + ["report", "monthly", "--period", "2026-11", "--format", "xlsx", "--out", xlsx])
        let read = try Self.python(Self.readXLSX, [xlsx])
        #expect(read.status == 0, "python3 could not read the workbook: \(read.err)")
        let lines = read.out.split(separator: "\n").map(String.init)
        #expect(lines.filter { $0.hasPrefix("SHEET ") } == ["SHEET Số liệu", "SHEET Đơn vị", "SHEET Hồ sơ quá hạn"])
        // The figures sheet: "Tiếp nhận" in A, the number in B of the same row.
        let figures = lines.prefix { $0 != "SHEET Đơn vị" }
        let row = try #require(figures.first { $0.hasSuffix("=Tiếp nhận") }.map { String($0.dropFirst().prefix { $0 != "=" }) })
        #expect(figures.contains("B\(row)=\(received)"))
        // The overdue sheet lists the overdue cases (a header row, then one row each).
        let overdueRows = Set(lines.drop { $0 != "SHEET Hồ sơ quá hạn" }.dropFirst().compactMap { $0.first == "A" ? $0 : nil })
        #expect(overdueRows.count == overdue + 1)
        // Each export is in the access log.
        let log = try cli.ok(Self.now + ["--as", "taphuan", "audit", "log", "--limit", "10"]).stdout
        #expect(log.components(separatedBy: "report_export").count - 1 == 6)
    }

    @Test func badInputIsOneSentenceANonZeroExitAndNothingDone() throws {
        let cli = try CLI.demo()
        func refused(_ args: [String], status: Int32, _ contains: String, oneLine: Bool = true) throws {
            let r = try cli.run(args)
            #expect(r.status == status, "\(args): \(r.status) \(r.stderr)")
            #expect(r.stdout.isEmpty, "\(args): printed \(r.stdout)")
            #expect(r.stderr.contains(contains), "\(args): \(r.stderr)")
            if oneLine { #expect(r.stderr.split(separator: "\n").count == 1, "\(args): \(r.stderr)") }
        }
        try refused(Self.ward + ["report", "monthly", "--period", "2026-13"], status: 2, "«2026-13»")
        try refused(Self.ward + ["report", "monthly", "--period", "2026-W49"], status: 2, "2026-11")
        try refused(Self.ward + ["report", "weekly", "--period", "2026-W54"], status: 2, "2026-W49")
        try refused(Self.ward + ["report", "quarterly", "--period", "nonsense"], status: 2, "2026-Q4")
        // An unknown format: the parser's message, with the formats there are.
        try refused(Self.ward + ["report", "monthly", "--format", "pdf"], status: 2, "xlsx", oneLine: false)
        try refused(Self.ward + ["report", "monthly", "--period", "2026-12"], status: 1, "2026-12")
        try refused(Self.ward + ["report", "monthly", "--unit", "99999"], status: 1, "99999")
        try refused(Self.ward + ["report", "monthly", "--unit", "00004"], status: 4, "00004")
        var en = cli
        en.lang = "en"
        let r = try en.run(Self.ward + ["report", "monthly", "--period", "2026-12"])
        #expect(r.status == 1 && r.stderr == "pakn: Period 2026-12 has not begun: there are no figures yet.\n")
        let log = try cli.ok(Self.now + ["--as", "taphuan", "audit", "log", "--limit", "5"]).stdout
        #expect(log.contains("report --unit 00004"))
        #expect(!log.contains("report_export"))
    }

    @Test func aWardsFileIsImportedByTheCityAndBadFilesAreRefused() throws {
        let demo = try CLI.demo()
        let file = Self.tempFile("json")
        try demo.ok(Self.ward + ["report", "monthly", "--period", "2026-11", "--format", "exchange", "--out", file])
        let city = CLI(db: CLI.tempDB("city"))
        try city.ok(["init"])
        func imported() throws -> Int {
            let r = try city.ok(["report", "monthly", "--period", "2026-11", "--format", "json"])
            return try #require(try r.object()["imported"] as? [Any]).count
        }
        // Cut off, altered, from a newer pakn, not a report: refused, nothing imported.
        let data = try Data(contentsOf: URL(fileURLWithPath: file))
        let text = String(decoding: data, as: UTF8.self)
        for (name, bytes, says) in [
            ("cut", Data(data.prefix(data.count * 2 / 3)), "cắt cụt"),
            ("altered", Data(text.replacingOccurrences(of: "\"received\":", with: "\"received\":1").utf8), "bị sửa"),
            ("newer", Data(text.replacingOccurrences(of: "\"version\":1", with: "\"version\":9").utf8), "mới hơn"),
            ("other", Data("tiêu đề,nội dung\n".utf8), "không phải"),
        ] {
            let path = Self.tempFile(name)
            try bytes.write(to: URL(fileURLWithPath: path))
            let r = try city.run(["report", "import", path])
            #expect(r.status == 1 && r.stderr.contains(says) && r.stderr.split(separator: "\n").count == 1, "\(name): \(r.stderr)")
        }
        #expect(try imported() == 0)
        let ok = try city.ok(["report", "import", file])
        #expect(ok.stdout.contains("Đã nhập báo cáo 2026-11 của Phường Hoàn Kiếm (00070)"))
        let missing = try #require(ok.stdout.split(separator: "\n").first { $0.hasPrefix("Chưa báo cáo kỳ 2026-11:") })
        #expect(missing.contains("(00004)") && !missing.contains("(00070)"))
        #expect(try imported() == 1)
        let again = try city.run(["report", "import", file])
        #expect(again.status == 1 && again.stderr.contains("đã được nhập"))
        #expect(try imported() == 1)
        // The city's report names what it synthesised and who has not reported.
        let report = try city.ok(["report", "monthly", "--period", "2026-11"]).stdout
        #expect(report.contains("00070 Phường Hoàn Kiếm — lanhdao.hoankiem"))
        #expect(report.contains("Đơn vị cấp dưới chưa báo cáo kỳ này") && report.contains("00004 Phường Ba Đình"))
        #expect(!report.contains("\n  00070 Phường Hoàn Kiếm\n"))
        #expect(try city.ok(["audit", "log", "--limit", "5"]).stdout.contains("report_import"))
    }
}
