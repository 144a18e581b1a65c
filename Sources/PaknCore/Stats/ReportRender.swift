import Foundation

/// A report written out: plain text for a terminal, CSV that Excel opens with Vietnamese
/// intact (UTF-8 with a BOM, CRLF), HTML that prints on A4, JSON, an `.xlsx` workbook, or
/// the exchange file an office sends upward (`ReportExchange`).
public enum ReportRender {
    public enum Output: String, CaseIterable, Sendable {
        case text, json, csv, html, xlsx, exchange
    }

    public static func render(_ r: StatReport, as output: Output, lang: Lang) -> Data {
        switch output {
        case .text: Data(text(r, lang).utf8)
        case .json: json(r)
        case .csv: csv(r, lang)
        case .html: Data(html(r, lang).utf8)
        case .xlsx: XLSXWriter.workbook(sheets(r, lang))
        case .exchange: ReportExchange.encode(r)
        }
    }

    static func categoryNames(_ r: StatReport, _ lang: Lang) -> [String: String] {
        Dictionary(r.byCategory.map { ($0.key, $0.name(lang)) }, uniquingKeysWith: { a, _ in a })
    }

    // MARK: Text

    public static func text(_ r: StatReport, _ lang: Lang) -> String {
        var out: [String] = [L10n.t("report.title", lang), ""]
        for (k, v) in ReportFormat.heading(r, lang) { out.append("\(k): \(v)") }
        out += ["", L10n.t("report.figures", lang)]
        for l in ReportFormat.lines(r, lang) {
            let label = String(repeating: "  ", count: l.indent + 1) + l.label
            out.append(TextTable.pad(label, 50) + " " + (l.text.isEmpty ? "" : TextTable.pad(l.text, 8, right: true)))
        }
        for d in ReportFormat.dimensions {
            let rows = r.rows(d)
            guard !rows.isEmpty else { continue }
            out += ["", L10n.t("stats.dim.\(d.rawValue)", lang)]
            out += TextTable.lines(header: ReportFormat.tableHeader(d, lang, short: true), rows: rows.map { ReportFormat.tableRow($0, lang).map(\.text) },
                                   maxWidths: [10, 34])
        }
        if r.trend.contains(where: { $0.received > 0 || $0.resolved > 0 }) {
            out += ["", L10n.t("stats.fig.trend", lang)]
            for p in r.trend {
                out.append("  " + TextTable.pad(p.period.label, 10) + TextTable.pad(ReportFormat.int(p.received, lang), 8, right: true)
                           + " / " + ReportFormat.int(p.resolved, lang))
            }
        }
        if r.overdueCaseCount > 0 {
            out += ["", L10n.t("report.overdue_cases", lang) + " (\(ReportFormat.int(r.overdueCaseCount, lang)))"]
            let names = categoryNames(r, lang)
            out += TextTable.lines(header: ReportFormat.overdueHeader(lang),
                                   rows: r.overdueCases.map { ReportFormat.overdueRow($0, lang, categories: names).map(\.text) },
                                   maxWidths: [16, 40, 24], numeric: [6])
            if r.overdueCaseCount > r.overdueCases.count {
                out.append(L10n.t("report.overdue_more", lang, ReportFormat.int(r.overdueCaseCount - r.overdueCases.count, lang)))
            }
        }
        if !r.imported.isEmpty {
            out += ["", L10n.t("report.imported", lang)]
            for i in r.imported { out.append("  \(i.unit.code) \(i.unit.name) — \(i.madeBy), \(ISO8601.format(i.madeAt)), \(i.digest)") }
        }
        out += ["", L10n.t("report.not_reported", lang)]
        if r.notReported.isEmpty { out.append("  " + L10n.t("report.all_reported", lang)) }
        for u in r.notReported { out.append("  \(u.code) \(u.name)") }
        return out.joined(separator: "\n") + "\n"
    }

    // MARK: JSON

    public static func json(_ r: StatReport) -> Data {
        let e = ReportExchange.encoder()
        e.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        var d = (try? e.encode(r)) ?? Data()
        d.append(0x0A)
        return d
    }

    // MARK: CSV

    /// Sections one after the other, a blank line between: the heading, the figures, each
    /// breakdown, the overdue cases. UTF-8 with a BOM and CRLF, so Excel reads Vietnamese.
    public static func csv(_ r: StatReport, _ lang: Lang) -> Data {
        var rows: [[String]] = [[L10n.t("report.title", lang)]]
        for (k, v) in ReportFormat.heading(r, lang) { rows.append([k, v]) }
        rows.append([])
        rows.append([L10n.t("report.col.figure", lang), L10n.t("report.col.value", lang)])
        for l in ReportFormat.lines(r, lang) { rows.append([String(repeating: "  ", count: l.indent) + l.label, l.text]) }
        for d in ReportFormat.dimensions where !r.rows(d).isEmpty {
            rows.append([])
            rows.append([L10n.t("stats.dim.\(d.rawValue)", lang)])
            rows.append(ReportFormat.tableHeader(d, lang))
            for row in r.rows(d) { rows.append(ReportFormat.tableRow(row, lang).map(\.text)) }
        }
        if !r.overdueCases.isEmpty {
            rows.append([])
            rows.append([L10n.t("report.overdue_cases", lang)])
            rows.append(ReportFormat.overdueHeader(lang))
            let names = categoryNames(r, lang)
            for c in r.overdueCases { rows.append(ReportFormat.overdueRow(c, lang, categories: names).map(\.text)) }
        }
        if !r.notReported.isEmpty {
            rows.append([])
            rows.append([L10n.t("report.not_reported", lang)])
            for u in r.notReported { rows.append([u.code, u.name]) }
        }
        var text = "\u{FEFF}"
        for row in rows { text += row.map(csvField).joined(separator: ",") + "\r\n" }
        return Data(text.utf8)
    }

    static func csvField(_ s: String) -> String {
        var s = s
        // A cell beginning with = + - @ would be read by a spreadsheet as a formula.
        if let first = s.unicodeScalars.first, "=+-@".unicodeScalars.contains(first), Double(s) == nil { s = "'" + s }
        guard s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" || $0 == ";" }) else { return s }
        return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    // MARK: HTML

    static func esc(_ s: String) -> String {
        var o = ""
        for ch in s.unicodeScalars {
            switch ch {
            case "&": o += "&amp;"
            case "<": o += "&lt;"
            case ">": o += "&gt;"
            case "\"": o += "&quot;"
            case "'": o += "&#39;"
            default: o.unicodeScalars.append(ch)
            }
        }
        return o
    }

    /// One page per A4 sheet as it prints: tables that do not split a row, headers repeated
    /// on each page, no colour needed.
    public static func html(_ r: StatReport, _ lang: Lang) -> String {
        var h = """
            <!DOCTYPE html>
            <html lang="\(lang.rawValue)"><head><meta charset="utf-8">
            <title>\(esc(L10n.t("report.title", lang))) — \(esc(r.unit.name)) — \(esc(r.period.label))</title>
            <style>
            @page { size: A4 portrait; margin: 15mm 12mm; }
            body { font-family: "Times New Roman", "DejaVu Serif", serif; font-size: 10.5pt; color: #000; max-width: 186mm; margin: auto; }
            h1 { font-size: 13pt; text-align: center; margin: 0 0 4mm; }
            h2 { font-size: 11pt; margin: 5mm 0 2mm; break-after: avoid; page-break-after: avoid; }
            table { border-collapse: collapse; width: 100%; margin-bottom: 3mm; }
            thead { display: table-header-group; }
            tr { break-inside: avoid; page-break-inside: avoid; }
            th, td { border: 0.3mm solid #444; padding: 0.8mm 1.5mm; vertical-align: top; }
            th { background: #eee; text-align: left; }
            td.n { text-align: right; white-space: nowrap; }
            table.meta td { border: none; padding: 0.3mm 1mm; }
            .i1 { padding-left: 5mm; } .i2 { padding-left: 10mm; } .i3 { padding-left: 15mm; }
            .note { font-size: 9pt; }
            @media print { a { color: #000; text-decoration: none; } }
            </style></head><body>
            <h1>\(esc(L10n.t("report.title", lang)))</h1>
            <table class="meta">
            """
        for (k, v) in ReportFormat.heading(r, lang) {
            h += "<tr><td>\(esc(k)):</td><td>\(esc(v))</td></tr>\n"
        }
        h += "</table>\n<h2>\(esc(L10n.t("report.figures", lang)))</h2>\n<table>\n<thead><tr><th>\(esc(L10n.t("report.col.figure", lang)))</th><th>\(esc(L10n.t("report.col.value", lang)))</th></tr></thead><tbody>\n"
        for l in ReportFormat.lines(r, lang) {
            h += "<tr><td class=\"i\(l.indent)\">\(esc(l.label))</td><td class=\"n\">\(esc(l.text))</td></tr>\n"
        }
        h += "</tbody></table>\n"
        func table(_ header: [String], _ rows: [[ReportFormat.Cell]]) {
            h += "<table>\n<thead><tr>" + header.map { "<th>\(esc($0))</th>" }.joined() + "</tr></thead><tbody>\n"
            for row in rows {
                h += "<tr>" + row.map { c in c.number != nil ? "<td class=\"n\">\(esc(c.text))</td>" : "<td>\(esc(c.text))</td>" }.joined() + "</tr>\n"
            }
            h += "</tbody></table>\n"
        }
        for d in ReportFormat.dimensions where !r.rows(d).isEmpty {
            h += "<h2>\(esc(L10n.t("stats.dim.\(d.rawValue)", lang)))</h2>\n"
            table(ReportFormat.tableHeader(d, lang), r.rows(d).map { ReportFormat.tableRow($0, lang) })
        }
        if r.trend.contains(where: { $0.received > 0 || $0.resolved > 0 }) {
            h += "<h2>\(esc(L10n.t("stats.fig.trend", lang)))</h2>\n"
            table([L10n.t("report.period", lang), L10n.t("stats.fig.received", lang), L10n.t("stats.fig.resolved", lang)],
                  r.trend.map { [ReportFormat.Cell(text: $0.period.label, number: nil),
                                 ReportFormat.Cell(text: ReportFormat.int($0.received, lang), number: Double($0.received)),
                                 ReportFormat.Cell(text: ReportFormat.int($0.resolved, lang), number: Double($0.resolved))] })
        }
        if r.overdueCaseCount > 0 {
            h += "<h2>\(esc(L10n.t("report.overdue_cases", lang))) (\(esc(ReportFormat.int(r.overdueCaseCount, lang))))</h2>\n"
            let names = categoryNames(r, lang)
            table(ReportFormat.overdueHeader(lang), r.overdueCases.map { ReportFormat.overdueRow($0, lang, categories: names) })
            if r.overdueCaseCount > r.overdueCases.count {
                h += "<p class=\"note\">\(esc(L10n.t("report.overdue_more", lang, ReportFormat.int(r.overdueCaseCount - r.overdueCases.count, lang))))</p>\n"
            }
        }
        if !r.imported.isEmpty {
            h += "<h2>\(esc(L10n.t("report.imported", lang)))</h2>\n<ul class=\"note\">\n"
            for i in r.imported { h += "<li>\(esc(i.unit.code)) \(esc(i.unit.name)) — \(esc(i.madeBy)), \(esc(ISO8601.format(i.madeAt))), \(esc(i.digest))</li>\n" }
            h += "</ul>\n"
        }
        h += "<h2>\(esc(L10n.t("report.not_reported", lang)))</h2>\n<p class=\"note\">"
        h += r.notReported.isEmpty ? esc(L10n.t("report.all_reported", lang)) : r.notReported.map { esc("\($0.code) \($0.name)") }.joined(separator: "; ")
        h += "</p>\n</body></html>\n"
        return h
    }

    // MARK: Workbook

    /// Three sheets: the figures (with the heading), the units (and the other breakdowns
    /// below them), the overdue cases.
    static func sheets(_ r: StatReport, _ lang: Lang) -> [XLSXWriter.Sheet] {
        typealias C = XLSXWriter.Cell
        var figures: [[C]] = [[.text(L10n.t("report.title", lang), bold: true)]]
        for (k, v) in ReportFormat.heading(r, lang) { figures.append([.text(k, bold: true), .text(v)]) }
        figures.append([])
        figures.append([.text(L10n.t("report.col.figure", lang), bold: true), .text(L10n.t("report.col.value", lang), bold: true)])
        for l in ReportFormat.lines(r, lang) {
            let label = C.text(String(repeating: "    ", count: l.indent) + l.label)
            if let n = l.number { figures.append([label, l.isPercent ? .percent(n) : .number(n)]) } else { figures.append([label, .text(l.text)]) }
        }
        func cells(_ row: [ReportFormat.Cell]) -> [C] {
            row.map { c in c.number.map { c.isPercent ? C.percent($0) : C.number($0) } ?? .text(c.text) }
        }
        var units: [[C]] = []
        for d in ReportFormat.dimensions where !r.rows(d).isEmpty {
            if !units.isEmpty { units.append([]) }
            units.append([.text(L10n.t("stats.dim.\(d.rawValue)", lang), bold: true)])
            units.append(ReportFormat.tableHeader(d, lang).map { .text($0, bold: true) })
            for row in r.rows(d) { units.append(cells(ReportFormat.tableRow(row, lang))) }
        }
        var overdue: [[C]] = [ReportFormat.overdueHeader(lang).map { .text($0, bold: true) }]
        let names = categoryNames(r, lang)
        for c in r.overdueCases { overdue.append(cells(ReportFormat.overdueRow(c, lang, categories: names))) }
        return [XLSXWriter.Sheet(name: L10n.t("report.sheet.figures", lang), rows: figures, widths: [58, 40]),
                XLSXWriter.Sheet(name: L10n.t("report.sheet.units", lang), rows: units, widths: [12, 48] + Array(repeating: 12, count: 9)),
                XLSXWriter.Sheet(name: L10n.t("report.sheet.overdue", lang), rows: overdue, widths: [18, 48, 28, 18, 12, 12, 14, 14])]
    }
}

/// Fixed-width text tables for the terminal (widths in terminal columns, not bytes).
public enum TextTable {
    public static func width(_ s: String) -> Int { s.count }

    public static func pad(_ s: String, _ w: Int, right: Bool = false) -> String {
        let n = width(s)
        if n >= w { return s }
        let fill = String(repeating: " ", count: w - n)
        return right ? fill + s : s + fill
    }

    public static func cut(_ s: String, _ w: Int) -> String {
        width(s) <= w ? s : String(s.prefix(max(0, w - 1))) + "…"
    }

    /// A header and rows, columns as wide as their widest cell (text columns cut at
    /// `maxWidths`), numbers right-aligned.
    public static func lines(header: [String], rows: [[String]], maxWidths: [Int] = [], numeric: Set<Int>? = nil) -> [String] {
        let cols = header.count
        var widths = header.map(width)
        let cutRows = rows.map { row in row.enumerated().map { i, c in i < maxWidths.count ? cut(c, maxWidths[i]) : c } }
        for row in cutRows { for (i, c) in row.enumerated() where i < cols { widths[i] = max(widths[i], width(c)) } }
        for i in 0..<min(cols, maxWidths.count) { widths[i] = min(widths[i], max(maxWidths[i], width(header[i]))) }
        func isNumber(_ i: Int) -> Bool { numeric?.contains(i) ?? (i >= 2) }
        var out = ["  " + header.enumerated().map { i, h in pad(cut(h, widths[i]), widths[i], right: isNumber(i)) }.joined(separator: "  ")]
        for row in cutRows {
            out.append("  " + row.enumerated().map { i, c in pad(c, widths[i], right: isNumber(i)) }.joined(separator: "  "))
        }
        return out
    }
}
