import ArgumentParser
import Foundation
import PaknCore
import PaknStoreAPI

/// `pakn report weekly|monthly|quarterly`, `pakn report import FILE` (docs/cli.md, "Reports").
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Báo cáo định kỳ (tuần, tháng, quý) và tổng hợp báo cáo cấp dưới / Period reports (week, month, quarter) and rolling up the reports of the units below.",
        subcommands: [ReportWeeklyCommand.self, ReportMonthlyCommand.self, ReportQuarterlyCommand.self, ReportImportCommand.self])
}

extension ReportRender.Output: ExpressibleByArgument {}

/// The options of a period report.
struct ReportOptions: ParsableArguments {
    @OptionGroup var global: GlobalOptions
    @Option(help: "Đơn vị (mã; mặc định: đơn vị của bạn) / Unit code (default: your own unit).") var unit: String?
    @Option(help: "Kỳ báo cáo (mặc định: kỳ hiện tại) / The period (default: the current one): 2026-W49 | 2026-11 | 2026-Q4.")
    var period: String?
    @Option(help: "Định dạng / Format: text | json | csv | html | xlsx | exchange.") var format: ReportRender.Output = .text
    @Option(name: [.short, .long], help: "Ghi ra tệp mới (mặc định stdout) / Write to this new file (default: stdout).") var out: String?
    @Flag(help: "Ghi đè tệp --out / Overwrite the --out file.") var force = false

    func lang() -> Lang {
        global.usageLang()
    }

    /// A malformed period is a usage error, in the reader's language.
    func validate(kind: StatPeriod.Kind) throws {
        if let p = period, StatPeriod.parse(p, kind: kind) == nil {
            throw ValidationError(L10n.t("stats.period.bad", lang(), p, L10n.t("stats.period.form.\(kind.rawValue)", lang())))
        }
        if let u = unit, u.trimmingCharacters(in: .whitespaces).isEmpty {
            throw ValidationError(L10n.t("report.bad_unit", lang(), u))
        }
    }

    func run(kind: StatPeriod.Kind) throws {
        try runCommand(global) { ctx in
            let session = try ctx.open()
            let p = period.flatMap { StatPeriod.parse($0, kind: kind) } ?? StatPeriod.containing(Day(session.now), kind: kind)
            var unitId: Int64?
            if let code = unit {
                guard let u = try session.unit(code: code) else { throw Message("report.bad_unit", code) }
                unitId = u.id
            }
            if format == .xlsx, out == nil || out == "-", isatty(1) != 0 { throw Message("report.binary_tty", "xlsx") }
            let data: Data
            if format == .exchange {
                data = try session.exchangeFile(unitId: unitId, period: p).data
            } else {
                let r = try session.report(unitId: unitId, period: p, format: format.rawValue)
                data = ReportRender.render(r, as: format, lang: ctx.lang)
            }
            let sink = try OutputSink(out, force: force)
            defer { sink.discard() }
            if format == .text && sink.path == nil {
                sink.write(TerminalSafe.line(String(decoding: data, as: UTF8.self)))
            } else {
                sink.handle.write(data)
            }
            try sink.commit()
            if let path = sink.path {
                FileHandle.standardError.write(Data(("pakn: " + L10n.t("report.written", ctx.lang, p.label, path) + "\n").utf8))
            }
        }
    }
}

struct ReportWeeklyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "weekly", abstract: "Báo cáo tuần / The weekly report (--period 2026-W49).")
    @OptionGroup var options: ReportOptions
    func validate() throws { try options.validate(kind: .week) }
    func run() throws { try options.run(kind: .week) }
}

struct ReportMonthlyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "monthly", abstract: "Báo cáo tháng / The monthly report (--period 2026-11).")
    @OptionGroup var options: ReportOptions
    func validate() throws { try options.validate(kind: .month) }
    func run() throws { try options.run(kind: .month) }
}

struct ReportQuarterlyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "quarterly", abstract: "Báo cáo quý / The quarterly report (--period 2026-Q4).")
    @OptionGroup var options: ReportOptions
    func validate() throws { try options.validate(kind: .quarter) }
    func run() throws { try options.run(kind: .quarter) }
}

struct ReportImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Nhập tệp báo cáo (--format exchange) của đơn vị cấp dưới / Import a unit below's report file (--format exchange).",
        discussion: """
        Từ chối, không nhập gì: tệp không phải báo cáo, bị cắt cụt, bị sửa, của pakn mới hơn; đơn vị ngoài phạm vi hoặc \
        không trực tiếp cấp dưới; đã nhập. Cần quyền import_reports; được ghi vào nhật ký truy cập.
        Refused, nothing imported: a file that is not a report, cut off, altered, from a newer pakn; a unit outside your \
        units or not directly below yours; already imported. Needs the import_reports permission; recorded in the access log.
        """)
    @OptionGroup var global: GlobalOptions
    @Argument(help: "Tệp báo cáo / The report file.") var file: String
    @Flag(help: "Thay báo cáo đã nhập của cùng đơn vị và kỳ / Replace a report of the same unit and period.") var replace = false

    func run() throws {
        try runCommand(global) { ctx in
            let session = try ctx.open()
            let data = try InputFile.read(file, limitMB: ReportExchange.maxBytes >> 20)
            let r = try session.importReport(data, replace: replace)
            ctx.say("report.imported_ok", r.period.label, r.unit.name, r.unit.code, r.madeBy)
            if r.replaced { ctx.say("report.imported_replaced") }
            if r.notReported.isEmpty {
                ctx.say("report.none_missing", r.period.label)
            } else {
                ctx.say("report.still_missing", r.period.label, r.notReported.map { "\($0.name) (\($0.code))" }.joined(separator: ", "))
            }
        }
    }
}
