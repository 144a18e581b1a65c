import ArgumentParser
import Foundation
import PaknCore
import PaknStoreAPI

/// `pakn calendar`: the holiday calendar the working-day deadlines count by.
struct CalendarCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "calendar",
        abstract: "Lịch ngày nghỉ lễ, ngày làm bù / The holiday calendar (holidays and swapped working days).",
        subcommands: [List.self, Add.self, Remove.self, Import.self])

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Liệt kê các ngày / List the days.")
        @OptionGroup var global: GlobalOptions
        @Option(help: "Chỉ năm này / Only this year") var year: Int?
        @Flag(help: "JSON") var json = false

        func run() throws {
            try runCommand(global) { ctx in
                let session = try ctx.open()
                let days = try session.calendarEntries(year: year)
                if json {
                    struct Out: Encodable {
                        var day: String; var weekday: Int; var kind: String; var name: String
                        var standing: String; var document: String?; var note: String?
                    }
                    return try JSONOut.print(days.map {
                        Out(day: $0.day.description, weekday: $0.day.weekday, kind: $0.kind.rawValue, name: $0.name,
                            standing: $0.standing.rawValue, document: $0.document, note: $0.note)
                    })
                }
                let L = ctx.lang
                if days.isEmpty { ctx.say("calendar.list.empty") } else { ctx.say("calendar.list.header") }
                for e in days {
                    let source = e.standing == .announced ? e.document ?? "" : e.note ?? ""
                    print(TerminalSafe.line([e.day.description, weekdayName(e.day, L), L10n.t("calendar.kind.\(e.kind.rawValue)", L),
                                             e.name, L10n.t("calendar.standing.\(e.standing.rawValue)", L), source]
                        .joined(separator: "\t")))
                }
                let cal = try session.reference().calendar
                if let h = cal.horizon {
                    ctx.say("calendar.list.horizon", cal.coveredYears.map(String.init).joined(separator: ", "), h.vietnamese)
                }
            }
        }
    }

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Thêm hoặc sửa một ngày / Add a day, or change the one the calendar has.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Ngày / Day, YYYY-MM-DD") var day: String
        @Argument(help: "holiday | workday") var kind: String
        @Argument(help: "Tên / Name, e.g. \"Tết Nguyên đán Đinh Mùi\"") var name: String
        @Option(help: "Văn bản công bố / The announcing document (the day is announced)") var announced: String?
        @Flag(help: "Dự kiến, chưa công bố / Expected, not announced yet") var expected = false
        @Option(help: "Ghi chú (căn cứ dự kiến) / Note (why it is expected); default: the reason") var note: String?
        @Option(help: "Lý do thay đổi (bắt buộc, được lưu) / Why (required, recorded)") var reason: String?

        func run() throws {
            try runCommand(global) { ctx in
                let session = try ctx.open()
                guard (announced != nil) != expected else { throw Message("calendar.err.standing_choice") }
                let input = CalendarEntryInput(day: day, kind: kind, name: name, standing: expected ? "expected" : "announced",
                                               document: announced, note: note)
                report(ctx, try session.calendarAdd(input, reason: reason))
            }
        }
    }

    struct Remove: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Xoá một ngày / Remove a day.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Ngày / Day, YYYY-MM-DD") var day: String
        @Option(help: "Lý do (bắt buộc, được lưu) / Why (required, recorded)") var reason: String?

        func run() throws {
            try runCommand(global) { ctx in
                let session = try ctx.open()
                report(ctx, try session.calendarRemove(day: day, reason: reason))
            }
        }
    }

    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Nạp tệp lịch JSON hoặc CSV (tất cả hoặc không) / Load a JSON or CSV calendar file (all or nothing).")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Tệp / File (.json like holidays.json, or .csv day,kind,name,standing,document,note)") var file: String
        @Option(help: "Lý do (bắt buộc, được lưu) / Why (required, recorded)") var reason: String?

        func run() throws {
            try runCommand(global) { ctx in
                let session = try ctx.open()
                let r = try session.calendarImport(from: URL(fileURLWithPath: file), reason: reason)
                ctx.say("calendar.imported", file, r.added, r.updated, r.unchanged)
                notes(ctx, r)
            }
        }
    }

    static func describe(_ e: CalendarException, _ lang: Lang) -> String {
        var s = "\(L10n.t("calendar.kind.\(e.kind.rawValue)", lang)) \(e.name) (\(L10n.t("calendar.standing.\(e.standing.rawValue)", lang))"
        if let d = e.document { s += ": " + d }
        return s + ")"
    }

    static func notes(_ ctx: Context, _ r: CalendarResult) {
        if r.redated > 0 { ctx.say("calendar.redated", r.redated) }
        for y in r.newYears { ctx.say("calendar.new_year", y, r.horizon?.vietnamese ?? "—") }
        for y in r.lostYears { ctx.say("calendar.year_left", y) }
    }
}

private func report(_ ctx: Context, _ r: CalendarResult) {
    for c in r.changes {
        switch (c.before, c.after) {
        case (_, _) where !c.isChange: ctx.say("calendar.unchanged", c.day.description)
        case (nil, let a?): ctx.say("calendar.added", c.day.description, CalendarCommand.describe(a, ctx.lang))
        case (_?, let a?): ctx.say("calendar.updated", c.day.description, CalendarCommand.describe(a, ctx.lang))
        case (let b?, nil): ctx.say("calendar.removed", c.day.description, CalendarCommand.describe(b, ctx.lang))
        case (nil, nil): break
        }
    }
    CalendarCommand.notes(ctx, r)
}

/// The weekday's short name: T2…T7, CN in Vietnamese; Mon…Sun in English.
func weekdayName(_ day: Day, _ lang: Lang) -> String { L10n.t("calendar.weekday.\(day.weekday)", lang) }
