import Foundation

/// A small `.xlsx` writer, from the format's specification (ECMA-376, SpreadsheetML, Part
/// 1 §18; the package is a ZIP file, Part 2, with the ZIP "stored" method of PKWARE's
/// APPNOTE 4.4.5): a workbook of sheets of text and numbers, a bold style for headers and
/// a percent style. Strings are written inline (`inlineStr`), so there is no shared-string
/// table. Every part is written the same way each time (fixed dates in the ZIP), so the
/// same report gives the same bytes. No library here writes xlsx; a test opens the result
/// with an independent reader (Python's `zipfile` and `xml`).
public enum XLSXWriter {
    public enum Cell: Equatable, Sendable {
        case text(String, bold: Bool = false)
        case number(Double)
        case percent(Double)
    }

    public struct Sheet: Sendable {
        public var name: String
        public var rows: [[Cell]]
        /// Column widths in characters.
        public var widths: [Int]
        public init(name: String, rows: [[Cell]], widths: [Int] = []) { self.name = name; self.rows = rows; self.widths = widths }
    }

    public static func workbook(_ sheets: [Sheet]) -> Data {
        var zip = ZipWriter()
        zip.add("[Content_Types].xml", contentTypes(sheets.count))
        zip.add("_rels/.rels", """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
            <Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>\
            </Relationships>
            """)
        zip.add("xl/workbook.xml", workbookXML(sheets))
        zip.add("xl/_rels/workbook.xml.rels", workbookRels(sheets.count))
        zip.add("xl/styles.xml", styles)
        for (i, s) in sheets.enumerated() { zip.add("xl/worksheets/sheet\(i + 1).xml", sheetXML(s)) }
        return zip.finish()
    }

    static func contentTypes(_ n: Int) -> String {
        var s = """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">\
            <Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>\
            <Default Extension="xml" ContentType="application/xml"/>\
            <Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>\
            <Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>
            """
        for i in 1...max(1, n) {
            s += "<Override PartName=\"/xl/worksheets/sheet\(i).xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/>"
        }
        return s + "</Types>"
    }

    /// A sheet name as Excel allows: at most 31 characters, none of `[]:*?/\`, unique.
    static func sheetNames(_ sheets: [Sheet]) -> [String] {
        var used = Set<String>()
        return sheets.enumerated().map { i, s in
            var n = String(s.name.filter { !"[]:*?/\\".contains($0) }.prefix(31))
            if n.isEmpty || used.contains(n.lowercased()) { n = "Sheet\(i + 1)" }
            used.insert(n.lowercased())
            return n
        }
    }

    static func workbookXML(_ sheets: [Sheet]) -> String {
        var s = """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" \
            xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>
            """
        for (i, name) in sheetNames(sheets).enumerated() {
            s += "<sheet name=\"\(xml(name))\" sheetId=\"\(i + 1)\" r:id=\"rId\(i + 1)\"/>"
        }
        return s + "</sheets></workbook>"
    }

    static func workbookRels(_ n: Int) -> String {
        var s = """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
            """
        for i in 1...max(1, n) {
            s += "<Relationship Id=\"rId\(i)\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" Target=\"worksheets/sheet\(i).xml\"/>"
        }
        s += "<Relationship Id=\"rId\(n + 1)\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles\" Target=\"styles.xml\"/>"
        return s + "</Relationships>"
    }

    /// Styles: 0 plain, 1 bold, 2 percent with one decimal, 3 a number with up to one decimal.
    static let styles = """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">\
        <numFmts count="2"><numFmt numFmtId="164" formatCode="0.0%"/><numFmt numFmtId="165" formatCode="#,##0.#"/></numFmts>\
        <fonts count="2"><font><sz val="11"/><name val="Calibri"/></font><font><b/><sz val="11"/><name val="Calibri"/></font></fonts>\
        <fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>\
        <borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>\
        <cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>\
        <cellXfs count="4"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>\
        <xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>\
        <xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>\
        <xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>\
        <cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>\
        </styleSheet>
        """

    /// A1-style column letters: 0 → A, 25 → Z, 26 → AA.
    static func column(_ i: Int) -> String {
        var n = i + 1, s = ""
        while n > 0 {
            let r = (n - 1) % 26
            s = String(UnicodeScalar(UInt8(65 + r))) + s
            n = (n - 1) / 26
        }
        return s
    }

    static func number(_ x: Double) -> String {
        if x.isNaN || x.isInfinite { return "0" }
        if x == x.rounded(), abs(x) < 1e15 { return String(Int64(x)) }
        return String(format: "%.6g", x)
    }

    static func sheetXML(_ sheet: Sheet) -> String {
        var s = """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">
            """
        if !sheet.widths.isEmpty {
            s += "<cols>"
            for (i, w) in sheet.widths.enumerated() { s += "<col min=\"\(i + 1)\" max=\"\(i + 1)\" width=\"\(w)\" customWidth=\"1\"/>" }
            s += "</cols>"
        }
        s += "<sheetData>"
        for (r, row) in sheet.rows.enumerated() {
            s += "<row r=\"\(r + 1)\">"
            for (c, cell) in row.enumerated() {
                let ref = "\(column(c))\(r + 1)"
                switch cell {
                case let .text(t, bold):
                    s += "<c r=\"\(ref)\" t=\"inlineStr\"\(bold ? " s=\"1\"" : "")><is><t xml:space=\"preserve\">\(xml(t))</t></is></c>"
                case let .number(x):
                    s += "<c r=\"\(ref)\"\(x == x.rounded() ? "" : " s=\"3\"")><v>\(number(x))</v></c>"
                case let .percent(x):
                    s += "<c r=\"\(ref)\" s=\"2\"><v>\(number(x))</v></c>"
                }
            }
            s += "</row>"
        }
        return s + "</sheetData></worksheet>"
    }

    /// Text for XML: escaped, and without the characters XML 1.0 cannot hold.
    static func xml(_ t: String) -> String {
        var o = ""
        for u in t.unicodeScalars {
            switch u {
            case "&": o += "&amp;"
            case "<": o += "&lt;"
            case ">": o += "&gt;"
            case "\"": o += "&quot;"
            case "\t", "\n", "\r": o.unicodeScalars.append(u)
            default:
                if u.value < 0x20 || (0xFFFE...0xFFFF).contains(u.value) { continue }
                o.unicodeScalars.append(u)
            }
        }
        return o
    }
}

/// A ZIP archive of stored (uncompressed) entries (APPNOTE.TXT 6.3: local headers, the
/// central directory, the end record), with CRC-32 and a fixed date, 1980-01-01.
struct ZipWriter {
    private var data = Data()
    private var central = Data()
    private var count = 0

    mutating func add(_ name: String, _ text: String) { add(name, Data(text.utf8)) }

    mutating func add(_ name: String, _ content: Data) {
        let nameBytes = Data(name.utf8)
        let crc = CRC32.checksum(content)
        let offset = UInt32(data.count)
        var local = Data()
        local.le32(0x0403_4b50); local.le16(20); local.le16(0x0800); local.le16(0)   // version, UTF-8 names, stored
        local.le16(0); local.le16(0x0021)                                              // 00:00, 1980-01-01
        local.le32(crc); local.le32(UInt32(content.count)); local.le32(UInt32(content.count))
        local.le16(UInt16(nameBytes.count)); local.le16(0)
        data.append(local); data.append(nameBytes); data.append(content)
        var c = Data()
        c.le32(0x0201_4b50); c.le16(20); c.le16(20); c.le16(0x0800); c.le16(0)
        c.le16(0); c.le16(0x0021)
        c.le32(crc); c.le32(UInt32(content.count)); c.le32(UInt32(content.count))
        c.le16(UInt16(nameBytes.count)); c.le16(0); c.le16(0); c.le16(0); c.le16(0); c.le32(0); c.le32(offset)
        central.append(c); central.append(nameBytes)
        count += 1
    }

    mutating func finish() -> Data {
        let start = UInt32(data.count)
        data.append(central)
        var end = Data()
        end.le32(0x0605_4b50); end.le16(0); end.le16(0); end.le16(UInt16(count)); end.le16(UInt16(count))
        end.le32(UInt32(central.count)); end.le32(start); end.le16(0)
        data.append(end)
        return data
    }
}

enum CRC32 {
    static let table: [UInt32] = (0..<256).map { i in
        var c = UInt32(i)
        for _ in 0..<8 { c = c & 1 != 0 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
        return c
    }

    static func checksum(_ d: Data) -> UInt32 {
        var c: UInt32 = 0xFFFF_FFFF
        for b in d { c = table[Int((c ^ UInt32(b)) & 0xFF)] ^ (c >> 8) }
        return c ^ 0xFFFF_FFFF
    }
}

extension Data {
    mutating func le16(_ v: UInt16) { append(UInt8(v & 0xFF)); append(UInt8(v >> 8)) }
    mutating func le32(_ v: UInt32) { for i in 0..<4 { append(UInt8((v >> (8 * UInt32(i))) & 0xFF)) } }
}
