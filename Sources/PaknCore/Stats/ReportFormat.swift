import Foundation

/// The figures of a report as labelled lines and tables, in one language: what every
/// output format (text, CSV, HTML, the workbook) and the desk's statistics view lay out.
public enum ReportFormat {
    // MARK: Numbers as people read them

    /// 1.234 in Vietnamese, 1,234 in English.
    public static func int(_ n: Int, _ lang: Lang) -> String {
        let digits = String(abs(n))
        var out = ""
        for (i, ch) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append(lang == .vi ? "." : ",") }
            out.append(ch)
        }
        return (n < 0 ? "-" : "") + out
    }

    /// One decimal: 4,2 in Vietnamese, 4.2 in English.
    public static func decimal(_ x: Double, _ lang: Lang) -> String {
        let tenths = Int((x * 10).rounded())
        let whole = int(tenths / 10, lang)
        return whole + (lang == .vi ? "," : ".") + String(abs(tenths % 10))
    }

    public static func percent(_ x: Double?, _ lang: Lang) -> String {
        guard let x else { return L10n.t("stats.none", lang) }
        return decimal(x * 100, lang) + "%"
    }

    public static func optional(_ x: Double?, _ lang: Lang) -> String {
        x.map { decimal($0, lang) } ?? L10n.t("stats.none", lang)
    }

    // MARK: The figures

    /// A figure: its label, its text, and the number itself for a spreadsheet (a share as a
    /// fraction), with how deep it is indented under the figure before it.
    public struct Line: Equatable, Sendable {
        public var label: String
        public var text: String
        public var number: Double?
        public var isPercent: Bool
        public var indent: Int
    }

    public static func lines(_ r: StatReport, _ lang: Lang) -> [Line] {
        let f = r.totals
        func l(_ key: String, _ n: Int, indent: Int = 0) -> Line {
            Line(label: L10n.t(key, lang), text: int(n, lang), number: Double(n), isPercent: false, indent: indent)
        }
        func sub(_ label: String, _ n: Int, indent: Int = 1) -> Line {
            Line(label: label, text: int(n, lang), number: Double(n), isPercent: false, indent: indent)
        }
        var out: [Line] = [l("stats.fig.received", f.received)]
        for k in CaseKind.allCases { if let n = f.receivedByKind[k.rawValue], n > 0 { out.append(sub(k.label(lang), n)) } }
        for (k, n) in f.receivedByKind.sorted(by: { $0.key < $1.key }) where CaseKind(rawValue: k) == nil && n > 0 { out.append(sub(k, n)) }
        for c in Channel.allCases {
            if let n = f.receivedByChannel[c.rawValue], n > 0 { out.append(sub(L10n.t("stats.dim.channel", lang) + ": " + c.label(lang), n)) }
        }
        out.append(l("stats.fig.resolved", f.resolved))
        out.append(l("stats.fig.on_time", f.onTime, indent: 1))
        out.append(Line(label: L10n.t("stats.fig.on_time_rate", lang), text: percent(f.onTimeRate, lang), number: f.onTimeRate,
                        isPercent: true, indent: 1))
        for (rule, v) in f.byRule.sorted(by: { $0.key < $1.key }) {
            out.append(Line(label: rule, text: "\(int(v.onTime, lang))/\(int(v.resolved, lang)) · \(percent(v.rate, lang))",
                            number: v.rate, isPercent: true, indent: 2))
        }
        out.append(Line(label: L10n.t("stats.fig.avg_days", lang), text: optional(f.averageResolveDays, lang),
                        number: f.averageResolveDays, isPercent: false, indent: 1))
        out.append(Line(label: L10n.t("stats.fig.p90_days", lang), text: f.p90ResolveDays.map { int($0, lang) } ?? L10n.t("stats.none", lang),
                        number: f.p90ResolveDays.map(Double.init), isPercent: false, indent: 1))
        out.append(l("stats.fig.rejected", f.rejected))
        if let n = r.sentUp { out.append(l("stats.fig.sent_up", n)) }
        out.append(l("stats.fig.open_now", f.openNow))
        out.append(l("stats.fig.paused_now", f.pausedNow, indent: 1))
        out.append(l("stats.fig.overdue_now", f.overdueNow, indent: 1))
        let buckets = f.overdueBuckets
        for i in 0..<4 where f.overdueNow > 0 { out.append(sub(L10n.t("stats.bucket.\(i)", lang), buckets[i], indent: 2)) }
        if let m = f.maxOverdueDays, f.overdueNow > 0 {
            out.append(Line(label: L10n.t("stats.fig.overdue_max", lang), text: L10n.t("stats.fig.days", lang, int(m, lang)),
                            number: Double(m), isPercent: false, indent: 2))
        }
        out.append(l("stats.fig.rated", f.rated))
        for s in stride(from: 5, through: 1, by: -1) where f.rated > 0 { out.append(sub("\(s)★", f.ratings[s - 1], indent: 1)) }
        out.append(Line(label: L10n.t("stats.fig.satisfied", lang), text: percent(f.satisfiedShare, lang), number: f.satisfiedShare,
                        isPercent: true, indent: 1))
        out.append(Line(label: L10n.t("stats.fig.mean_rating", lang), text: optional(f.meanRating, lang), number: f.meanRating,
                        isPercent: false, indent: 1))
        if !f.lowReasons.isEmpty {
            out.append(Line(label: L10n.t("stats.fig.low_reasons", lang), text: "", number: nil, isPercent: false, indent: 1))
            for (k, n) in f.lowReasons.sorted(by: { ($0.value, $1.key) > ($1.value, $0.key) }) {
                let label = L10n.has("reason.\(k)") ? L10n.t("reason.\(k)", lang) : k
                out.append(sub(label, n, indent: 2))
            }
        }
        out.append(l("stats.fig.reopened", f.reopenedAfterLowRating, indent: 1))
        return out
    }

    // MARK: Breakdown tables

    /// The columns of a breakdown; `short`: the narrow names of a terminal table.
    public static func tableHeader(_ d: StatRow.Dimension, _ lang: Lang, short: Bool = false) -> [String] {
        let keys = short
            ? ["stats.col.code", "stats.col.name", "stats.col.received", "stats.col.resolved", "stats.col.on_time",
               "stats.col.on_time_rate", "stats.col.overdue"] + (d == .unit ? ["stats.col.avg_days", "stats.col.p90_days",
                                                                               "stats.col.rated", "stats.col.satisfied"] : [])
            : ["stats.col.code", "stats.col.name", "stats.fig.received", "stats.fig.resolved", "stats.fig.on_time",
               "stats.fig.on_time_rate", "stats.fig.overdue_now"] + (d == .unit ? ["stats.fig.avg_days", "stats.fig.p90_days",
                                                                                  "stats.fig.rated", "stats.fig.satisfied"] : [])
        return keys.map { L10n.t($0, lang) }
    }

    /// A cell: its text and, for a spreadsheet, its number (a share as a fraction).
    public struct Cell: Equatable, Sendable {
        public var text: String
        public var number: Double?
        public var isPercent: Bool = false
    }

    public static func tableRow(_ row: StatRow, _ lang: Lang) -> [Cell] {
        let f = row.figures
        func n(_ v: Int) -> Cell { Cell(text: int(v, lang), number: Double(v)) }
        var cells = [Cell(text: row.key, number: nil), Cell(text: row.name(lang) + (row.imported ? " *" : ""), number: nil),
                     n(f.received), n(f.resolved), n(f.onTime), Cell(text: percent(f.onTimeRate, lang), number: f.onTimeRate, isPercent: true),
                     n(f.overdueNow)]
        if row.dimension == .unit {
            cells += [Cell(text: optional(f.averageResolveDays, lang), number: f.averageResolveDays),
                      Cell(text: f.p90ResolveDays.map { int($0, lang) } ?? L10n.t("stats.none", lang), number: f.p90ResolveDays.map(Double.init)),
                      n(f.rated), Cell(text: percent(f.satisfiedShare, lang), number: f.satisfiedShare, isPercent: true)]
        }
        return cells
    }

    public static func overdueHeader(_ lang: Lang) -> [String] {
        ["report.col.code", "report.col.unit", "report.col.category", "report.col.status", "report.col.received",
         "report.col.due", "report.col.over", "report.col.reported_by"].map { L10n.t($0, lang) }
    }

    public static func overdueRow(_ c: StatOverdueCase, _ lang: Lang, categories: [String: String] = [:]) -> [Cell] {
        [Cell(text: c.code, number: nil), Cell(text: c.unitLabel, number: nil),
         Cell(text: categories[c.category] ?? c.category, number: nil), Cell(text: c.status.label(lang), number: nil),
         Cell(text: c.received.vietnamese, number: nil), Cell(text: c.due.vietnamese, number: nil),
         Cell(text: int(c.workingDaysOver, lang), number: Double(c.workingDaysOver)), Cell(text: c.reportedBy ?? "", number: nil)]
    }

    /// The header lines: unit, period, who made it and when, the chain head.
    public static func heading(_ r: StatReport, _ lang: Lang) -> [(String, String)] {
        var period = r.period.title(lang)
        if r.lastDayCovered < r.period.last { period += ", " + L10n.t("stats.period.to_date", lang, r.lastDayCovered.vietnamese) }
        return [(L10n.t("report.unit", lang), "\(r.unit.name) (\(r.unit.code))"),
                (L10n.t("report.period", lang), period),
                (L10n.t("report.made_by", lang), r.madeByName.isEmpty ? r.madeBy : "\(r.madeByName) (\(r.madeBy))"),
                (L10n.t("report.made_at", lang), ISO8601.format(r.asOf)),
                (L10n.t("report.chain_head", lang), r.chainHead)]
    }

    public static let dimensions: [StatRow.Dimension] = [.unit, .category, .channel]
}
