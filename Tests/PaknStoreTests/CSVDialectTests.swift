import Foundation
import PaknTestSupport
import PaknCore
import Testing
@testable import PaknStore
import PaknStoreAPI

/// What Excel saves, read by `pakn import` (`CSVReader(detect: true)`): UTF-8 with a BOM,
/// semicolons, and "Unicode text" (UTF-16 LE with a BOM, tab-separated); UTF-16 BE too.
@Suite struct CSVDialectTests {
    static let rows = [["title", "body", "kind"],
                       ["Ngập nước đường Đê La Thành", "Nước ngập 40 cm; xe chết máy\n(ảnh 🌧️🇻🇳)", "feedback"],
                       ["Đèn \"hỏng\"", "Tắt cả dãy, tối om", "complaint"]]

    static func text(_ rows: [[String]], delimiter: String, eol: String = "\r\n") -> String {
        rows.map { r in
            r.map { f in
                f.contains(where: { $0 == "\"" || $0 == "\n" || $0 == "\r\n" || String($0) == delimiter })
                    ? "\"" + f.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : f
            }.joined(separator: delimiter)
        }.joined(separator: eol) + eol
    }

    static func utf16(_ s: String, littleEndian: Bool) -> [UInt8] {
        var out: [UInt8] = littleEndian ? [0xFF, 0xFE] : [0xFE, 0xFF]
        for u in s.utf16 { out += littleEndian ? [UInt8(u & 0xFF), UInt8(u >> 8)] : [UInt8(u >> 8), UInt8(u & 0xFF)] }
        return out
    }

    static func read(_ reader: inout CSVReader) -> [CSVRecord] {
        var out: [CSVRecord] = []
        while let r = reader.next() { out.append(r) }
        return out
    }

    @Test func excelsUnicodeTextIsUTF16LittleEndianWithTabs() {
        let bytes = Self.utf16(Self.text(Self.rows, delimiter: "\t"), littleEndian: true)
        var reader = CSVReader(bytes: bytes, detect: true)
        let records = Self.read(&reader)
        #expect(reader.dialect == CSVDialect(encoding: .utf16LE, delimiter: 0x09))
        #expect(records.map(\.fields) == Self.rows)
        #expect(records.allSatisfy { $0.problem == nil })
        #expect(records.map(\.line) == [1, 2, 4])
        #expect(reader.bytesRead == bytes.count)
    }

    @Test func bigEndianWithSemicolons() {
        var reader = CSVReader(bytes: Self.utf16(Self.text(Self.rows, delimiter: ";"), littleEndian: false), detect: true)
        #expect(Self.read(&reader).map(\.fields) == Self.rows)
        #expect(reader.dialect == CSVDialect(encoding: .utf16BE, delimiter: 0x3B))
    }

    @Test func utf8WithABOMAndSemicolonsAsExcelSavesThemInEurope() {
        var reader = CSVReader(bytes: [0xEF, 0xBB, 0xBF] + Array(Self.text(Self.rows, delimiter: ";").utf8), detect: true)
        #expect(Self.read(&reader).map(\.fields) == Self.rows)
        #expect(reader.dialect == CSVDialect(encoding: .utf8BOM, delimiter: 0x3B))
    }

    @Test func commasWinATieAndPlainUTF8StaysAsItWas() {
        // The header has one comma and one semicolon: commas.
        var tie = CSVReader(bytes: Array("a,b;c\n1,2;3\n".utf8), detect: true)
        #expect(Self.read(&tie).map(\.fields) == [["a", "b;c"], ["1", "2;3"]])
        #expect(tie.dialect == CSVDialect.standard)
        // Without detection (the calendar's CSV, the fuzzers) nothing changes.
        var plain = CSVReader(bytes: Array("a;b\n1;2\n".utf8))
        #expect(Self.read(&plain).map(\.fields) == [["a;b"], ["1;2"]])
        var bom16 = CSVReader(bytes: Self.utf16("a\n", littleEndian: true))
        #expect(Self.read(&bom16).first?.problem != nil, "UTF-16 is not read as such without detection")
    }

    @Test func aLoneSurrogateOrAnOddByteIsRefusedNotGuessed() {
        // "ok<TAB>x" then a high surrogate with no low one, in the second field.
        var bytes = Self.utf16("a\tb\nok\tx", littleEndian: true)
        bytes += [0x3D, 0xD8]            // U+D83D alone
        bytes += [0x0A, 0x00]            // LF
        bytes += Self.utf16("fine\tz\n", littleEndian: true).dropFirst(2)
        bytes += [0x41]                  // an odd byte at the end
        var reader = CSVReader(bytes: bytes, detect: true)
        let records = Self.read(&reader)
        #expect(records.count == 4)
        #expect(records[1].problem == .invalidUTF8(column: 2))
        #expect(records[2].fields == ["fine", "z"] && records[2].problem == nil)
        #expect(records[3].problem == .invalidUTF8(column: 1))
    }

    @Test func aSurrogatePairAcrossTheReadersChunksComesBackWhole() throws {
        // The reader reads 1 MiB at a time: put an emoji's two halves on either side.
        let chunk = 1 << 20
        let header = "title\tbody\n"
        let row = "x\t" + String(repeating: "a", count: 45) + "\n"          // 48 code units
        // Code units between the header and the emoji, so that its first half ends the chunk.
        let before = (chunk - 2 - 2) / 2 - header.utf16.count - 2
        let last = "x\t" + String(repeating: "a", count: before % row.utf16.count) + "🇻🇳\n"
        let text = header + String(repeating: row, count: before / row.utf16.count) + last
        let bytes = Self.utf16(text, littleEndian: true)
        let emojiAt = 2 + (text.utf16.count - 5) * 2                      // 🇻🇳 is four code units, then LF
        #expect(emojiAt == chunk - 2, "the high surrogate ends the first chunk")
        let url = TestScratch.folder("pakn-tests").appendingPathComponent("utf16-\(UUID().uuidString).txt")
        try Data(bytes).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        var reader = try CSVReader(url: url, detect: true)
        let records = Self.read(&reader)
        #expect(records.count == 2 + before / row.utf16.count)
        #expect(records.allSatisfy { $0.problem == nil })
        #expect(records.last?.fields.last?.hasSuffix("a🇻🇳") == true)
        #expect(reader.bytesRead == bytes.count)
    }

    @Test func anExportHeaderImportsWithItsStateColumnsReadPast() throws {
        let header = ["code", "version", "status", "kind", "category", "channel", "ward_code", "ward", "unit_code", "unit",
                      "received_at", "title", "body", "reporter", "reporter_name", "reporter_phone", "anonymous", "confidential"]
        let rows = try CaseImportRows(header: header, now: Date(timeIntervalSince1970: 1_790_000_000))
        func draft(_ values: [String: String]) throws -> IntakeDraft {
            try rows.draft(header.map { values[$0] ?? "" })
        }
        let base = ["code": "HN-2026-000001", "version": "7", "status": "closed", "kind": "feedback", "category": "traffic",
                    "channel": "web", "ward_code": "00070", "ward": "Phường Hoàn Kiếm", "unit": "Phòng Kinh tế, Hạ tầng và Đô thị",
                    "received_at": "2026-09-01T08:00:00+07:00", "title": "'=Ngập", "body": "'-5 độ", "reporter": "full",
                    "reporter_name": "Nguyễn Văn An", "reporter_phone": "0912345678", "anonymous": "0", "confidential": "0"]
        let full = try draft(base)
        #expect(full.wardCode == "00070")
        #expect(full.title == "=Ngập" && full.body == "-5 độ", "the formula guard comes off")
        #expect(full.reporter.name == "Nguyễn Văn An" && full.reporter.phone == "0912345678")
        var masked = base
        masked["reporter"] = "masked"
        masked["reporter_name"] = "N. V. A*"
        let m = try draft(masked)
        #expect(m.reporter.name == nil && m.reporter.phone == nil, "a masked reporter is not the person")
        var sealed = base
        sealed["reporter"] = "sealed"
        #expect(try draft(sealed).reporter.confidential)
        // A ward column alone is still the code, as import files always had it.
        let old = try CaseImportRows(header: ["title", "body", "kind", "category", "channel", "ward"], now: Date())
        #expect(try old.draft(["T", "B", "feedback", "traffic", "web", "00070"]).wardCode == "00070")
    }
}
