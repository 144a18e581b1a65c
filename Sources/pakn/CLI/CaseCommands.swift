import ArgumentParser
import Foundation
import PaknCore
import PaknStoreAPI
import PaknUI

struct IntakeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "intake", abstract: "Tiếp nhận hồ sơ mới, in mã hồ sơ / Take in a new case; prints its code.")

    @OptionGroup var global: GlobalOptions
    @Option(help: "Tiêu đề / Title") var title: String?
    @Option(help: "Nội dung / Body text") var body: String?
    @Option(help: "Đọc nội dung từ tệp (- là stdin) / Read the body from a file (- for stdin).") var bodyFile: String?
    @Option(help: "Loại / Kind: feedback|complaint|complaint2|denunciation|voter_petition") var kind: String = "feedback"
    @Option(help: "Lĩnh vực / Category code (see: pakn categories)") var category: String?
    @Option(help: "Kênh / Channel: hotline|web|app|walk_in|letter|voter_meeting|email|social") var channel: String = "walk_in"
    @Option(help: "Mã xã/phường / Ward code") var ward: String?
    @Option(help: "Địa chỉ sự việc / Address of the matter") var address: String?
    @Option(help: "Vĩ độ / Latitude") var lat: Double?
    @Option(help: "Kinh độ / Longitude") var lon: Double?
    @Option(help: "Họ tên người gửi / Reporter's name") var reporterName: String?
    @Option(help: "Điện thoại / Reporter's phone") var reporterPhone: String?
    @Option(help: "Thư điện tử / Reporter's email") var reporterEmail: String?
    @Option(help: "Địa chỉ người gửi / Reporter's address") var reporterAddress: String?
    @Option(help: "Số định danh / Reporter's national ID") var reporterId: String?
    @Flag(help: "Ẩn danh / Anonymous") var anonymous = false
    @Flag(help: "Giữ bí mật người gửi / Keep the reporter confidential") var confidential = false
    @Flag(help: "Vụ việc phức tạp / Complex matter (longer deadline)") var complex = false
    @Option(help: "Thời điểm nhận (ISO 8601) / When it was received") var receivedAt: String?
    @Option(help: "Chuyển: auto | none | mã đơn vị / Route: auto | none | a unit code") var route: String = "auto"
    @Option(help: "Tệp đính kèm (lặp lại được) / Attachment (repeatable)") var attach: [String] = []
    @Option(help: "Gộp vào hồ sơ trùng đang mở (mã) / Merge into the open case this duplicates (its code), in the same transaction.")
    var duplicateOf: String?
    @Flag(help: "JSON") var json = false

    func run() throws {
        try runCommand(global) { ctx in
            let session = try ctx.open()
            guard let title, !title.isEmpty else { throw StoreError.missingField("--title") }
            var text = body
            if let f = bodyFile { text = try readText(f) }
            guard let text, !text.isEmpty else { throw StoreError.missingField("--body") }
            let k: CaseKind = try parsed(kind, option: "--kind")
            let ch: Channel = try parsed(channel, option: "--channel")
            guard let category else { throw StoreError.missingField("--category") }
            var received: Date?
            if let r = receivedAt {
                guard let d = ISO8601.parse(r) else { throw StoreError.invalidValue(field: "--received-at", value: r) }
                received = d
            }
            let routing: IntakeDraft.Routing = route == "auto" ? .auto : route == "none" ? .none : .unit(route)
            let draft = IntakeDraft(
                title: title, body: text, kind: k, category: category, channel: ch, wardCode: ward, address: address,
                latitude: lat, longitude: lon,
                reporter: Reporter(name: reporterName, phone: reporterPhone, email: reporterEmail, address: reporterAddress,
                                   nationalId: reporterId, anonymous: anonymous, confidential: confidential),
                complex: complex, receivedAt: received, attachments: attach.map { URL(fileURLWithPath: $0) }, routing: routing,
                duplicateOf: duplicateOf)
            let c = try session.intake(draft)
            if json { try printCase(session, c.code, history: true) } else { print(c.code) }
        }
    }
}

/// Reads a whole text file (or stdin for "-"), refusing invalid UTF-8.
func readText(_ path: String) throws -> String {
    let data: Data
    if path == "-" {
        data = FileHandle.standardInput.readDataToEndOfFile()
    } else {
        // A regular file of at most 4 MiB (a body is at most 20,000 characters), checked
        // before reading (`InputFile`): never /dev/zero or a FIFO.
        data = try InputFile.read(path, limitMB: 4)
    }
    guard let s = String(data: data, encoding: .utf8) else {
        throw StoreError.unreadableFile(path: path, reason: "store.file.not_utf8")
    }
    return s
}

func printCase(_ session: any StoreSession, _ ref: String, history: Bool) throws {
    let d = try session.detail(caseRef: ref)
    let erased = d.reporter != nil && d.case.reporterId != nil ? try session.reporterErasedAt(caseRef: String(d.case.id)) != nil : false
    try JSONOut.print(CaseOut(d, logins: try actorLogins(session, d.history), names: try ChangeNames(session, d.history),
                              erased: erased, withHistory: history))
}

struct ListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "Liệt kê hồ sơ / List cases.")

    @OptionGroup var global: GlobalOptions
    @Option(help: "Trạng thái (phân cách bằng dấu phẩy) / Status(es), comma-separated") var status: String?
    @Option(help: "Loại / Kind") var kind: String?
    @Option(help: "Lĩnh vực / Category") var category: String?
    @Option(help: "Đơn vị phụ trách và cấp dưới (mã) / Responsible unit subtree (code)") var unit: String?
    @Option(help: "Xã/phường nơi xảy ra và cấp dưới (mã) / Ward subtree (code)") var ward: String?
    @Option(help: "Cán bộ xử lý (tài khoản) / Assignee login") var assignee: String?
    @Flag(help: "Chỉ hồ sơ chưa xong / Open cases only") var open = false
    @Flag(help: "Quá hạn / Overdue") var overdue = false
    @Option(help: "Đến hạn trong N ngày làm việc / Due within N working days") var dueWithin: Int?
    @Option(name: [.short, .long], help: "Tìm kiếm (không dấu được) / Text search (diacritics optional)") var query: String?
    @Option(help: "Thứ tự / Order: urgency|newest|oldest|code") var order: String = "urgency"
    @Option(help: "Số dòng tối đa / Maximum rows") var limit: Int = 50
    @Flag(help: "JSON") var json = false
    @Flag(help: "CSV cho Excel (UTF-8 có BOM, CRLF) / CSV for Excel (UTF-8 with BOM, CRLF)") var csv = false
    @Option(help: "Dấu phân cách CSV: , ; tab / CSV delimiter: , ; tab (';' for Excel's European setting)") var delimiter: String = ","

    func run() throws {
        try runCommand(global) { ctx in
            let out = try CSVOut(delimiter)
            let session = try ctx.open()
            // The session holds the list to the official's units (a --unit outside them is refused).
            var f = QueueFilter(openOnly: open, overdue: overdue, dueWithinDays: dueWithin, text: query)
            if let status { f.statuses = try parsedList(status, option: "--status") }
            if let kind { f.kind = try parsed(kind, option: "--kind") as CaseKind }
            f.category = category
            if let unit {
                guard let u = try session.unit(code: unit) else { throw StoreError.unknownUnit(unit) }
                f.unitSubtree = u.id
            }
            if let ward {
                guard let u = try session.unit(code: ward) else { throw StoreError.unknownUnit(ward) }
                f.wardSubtree = u.id
            }
            if let assignee {
                guard let o = try session.official(login: assignee) else { throw StoreError.unknownOfficial(assignee) }
                f.assigneeId = o.id
            }
            guard let o = QueueOrder(rawValue: order) else { throw StoreError.invalidValue(field: "--order", value: order) }
            guard (1...100_000).contains(limit) else { throw StoreError.invalidValue(field: "--limit", value: "\(limit)") }
            let rows = try session.queue(QueueQuery(filter: f, order: o, limit: limit))
            if json || csv {
                // One shape for a case (CaseOut): the row's names, and the keys beside them.
                let keys = try session.caseKeys(ids: rows.map(\.id))
                let cases = rows.map { CaseOut($0, keys: keys[$0.id]) }
                if json {
                    try JSONOut.print(cases)
                } else {
                    print(out.header(CaseOut.listColumns), terminator: "")
                    for c in cases { print(out.line(CaseOut.listColumns) { c.csv($0, lang: ctx.lang) }, terminator: "") }
                }
            } else {
                for r in rows {
                    let due = r.deadline.shortText(ctx.lang) + (r.calendarWarning == nil ? "" : " " + CalendarWarning.marker)
                    let cols = [r.code, pad(due, 24), pad(r.status.label(ctx.lang), 22),
                                pad(r.wardName ?? r.unitName ?? "", 20), pad(r.assigneeName ?? "—", 22), TerminalSafe.line(r.title)]
                    print(TerminalSafe.line(cols.joined(separator: "  ")))
                }
            }
        }
    }

    /// Pads by display width, so Vietnamese, CJK and emoji keep the columns straight.
    func pad(_ s: String, _ n: Int) -> String { TerminalText.pad(s, to: n) }
}

struct ShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "Xem hồ sơ và lịch sử / Show a case with its history.")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "Mã hồ sơ / Case code") var code: String
    @Flag(help: "JSON") var json = false

    func run() throws {
        try runCommand(global) { ctx in
            let session = try ctx.open()
            if json { return try printCase(session, code, history: true) }
            let d = try session.detail(caseRef: code)
            let c = d.case
            let L = ctx.lang
            func row(_ key: String, _ value: String?) {
                guard let value, !value.isEmpty else { return }
                print(TerminalSafe.line(L10n.t(key, L).padding(toLength: 16, withPad: " ", startingAt: 0) + value))
            }
            print(TerminalSafe.line("\(c.code)  \(c.title)"))
            row("cli.show.status", c.status.label(L))
            row("cli.show.kind", "\(c.kind.label(L)) · \(try session.reference().category(c.category)?.name(L) ?? c.category) · \(c.channel.label(L))")
            row("cli.show.deadline", "\(d.deadline.dueDay.vietnamese) (\(deadlineText(d.deadline, L))) — \(d.rule?.basis ?? c.deadline.ruleId)")
            row("cli.show.acceptance", c.deadline.acceptanceText(L))
            if c.complexity > 0 { row("cli.show.complexity", L10n.t("complexity.\(c.complexity)", L)) }
            row("calendar.warning.label", d.calendarWarning.map { CalendarWarning.marker + " " + $0.text(L) })
            row("cli.show.ward", d.ward?.name)
            row("cli.show.address", c.address)
            row("cli.show.unit", d.unit?.name)
            row("cli.show.assignee", d.assignee.map { "\($0.fullName) (\($0.login))" })
            if let r = d.reporter {
                let who = r.anonymous ? L10n.t("cli.show.anonymous", L)
                    : r.confidential ? L10n.t("cli.show.sealed", L)
                    : [r.name, r.phone, r.email, r.address].compactMap { $0 }.joined(separator: " · ")
                row("cli.show.reporter", who)
            }
            row("cli.show.rating", c.rating.map { "\($0)/5 " + c.ratingReasons.map { $0.label(L) }.joined(separator: ", ") })
            row("cli.show.master", d.master?.code)
            row("cli.show.duplicates", d.duplicates.map(\.code).joined(separator: ", "))
            for (i, a) in d.attachments.enumerated() { row("cli.show.attachment", AttachmentCommand.line(i + 1, a)) }
            print("")
            print(TerminalSafe.line(c.body))
            if let reply = c.reply {
                print("")
                print(L10n.t("cli.show.reply", L))
                print(TerminalSafe.line(reply))
            }
            print("")
            printHistory(d.history, L)
        }
    }
}

func printHistory(_ history: [HistoryEntry], _ lang: Lang) {
    for h in history {
        let e = h.event
        var line = "\(ISO8601.format(e.at))  \(h.actorName)  \(h.headline(lang))"
        if let f = e.fromStatus, let t = e.toStatus, f != t { line += "  \(f.label(lang)) → \(t.label(lang))" }
        if let s = e.summary(lang) { line += "  \(s)" }
        if let n = e.note { line += "  — \(n)" }
        print(TerminalSafe.line(line))
    }
}

struct HistoryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "history", abstract: "Lịch sử hồ sơ / A case's history.")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "Mã hồ sơ / Case code") var code: String
    @Flag(help: "JSON") var json = false

    func run() throws {
        try runCommand(global) { ctx in
            let session = try ctx.open()
            // The one case shape, as `show --json` prints it, with its events.
            if json { return try printCase(session, code, history: true) }
            printHistory(try session.history(caseRef: code), ctx.lang)
        }
    }
}

struct AttachCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "attach", abstract: "Đính kèm tệp / Attach a file to a case.")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "Mã hồ sơ / Case code") var code: String
    @Argument(help: "Tệp / File") var file: String

    func run() throws {
        try runCommand(global) { ctx in
            let session = try ctx.open()
            let a = try session.attach(URL(fileURLWithPath: file), to: code)
            ctx.say("cli.attached", a.name, a.mediaType, a.size)
        }
    }
}

/// Saves an attachment's bytes to a file: the only way to read one from a server, where
/// the bytes live in the database (`attachment_blob`). The attachments are numbered as
/// `pakn show` lists them; the bytes are checked against the digest recorded at intake and
/// written whole or not at all.
struct AttachmentCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "attachment",
        abstract: "Lưu tệp đính kèm ra tệp / Save an attachment to a file.",
        discussion: """
        Không có số: liệt kê các tệp đính kèm như pakn show. Tệp đã có chỉ bị ghi đè khi có --force; \
        -o - ghi ra đầu ra chuẩn.
        Without a number: lists the attachments as pakn show does. An existing file is overwritten \
        only with --force; -o - writes to standard output.
        """)
    @OptionGroup var global: GlobalOptions
    @Argument(help: "Mã hồ sơ / Case code") var code: String
    @Argument(help: "Số thứ tự tệp (như pakn show) / The attachment's number (as pakn show lists them)") var number: Int?
    @Option(name: [.short, .long], help: "Tệp ghi ra (mặc định: tên tệp đính kèm) / File to write (default: the attachment's name)")
    var output: String?
    @Flag(help: "Ghi đè tệp đã có / Overwrite an existing file") var force = false

    func validate() throws {
        if let number, number < 1 { throw ValidationError(L10n.t("cli.attachment.bad_number", global.usageLang(), number)) }
    }

    func run() throws {
        try runCommand(global) { ctx in
            let session = try ctx.open()
            let list = try session.detail(caseRef: code).attachments
            guard let number else {
                for (i, a) in list.enumerated() { print(TerminalSafe.line(Self.line(i + 1, a))) }
                if list.isEmpty { ctx.say("cli.attachment.empty", code.uppercased()) }
                return
            }
            guard number <= list.count else { throw Message("cli.attachment.none", code.uppercased(), number, list.count) }
            let a = list[number - 1]
            let data = try session.attachmentData(caseRef: code, attachmentId: a.id)
            guard SHA256.hex([UInt8](data)) == a.sha256 else { throw Message("cli.attachment.damaged", a.name, a.sha256) }
            if output == "-" {
                FileHandle.standardOutput.write(data)
                return
            }
            let path = output ?? AttachmentName.safe(a.name, number: number)
            if FileManager.default.fileExists(atPath: path), !force { throw Message("cli.attachment.exists", path) }
            do { try data.write(to: URL(fileURLWithPath: path), options: .atomic) } catch {
                throw Message("cli.attachment.unwritable", path, error.localizedDescription)
            }
            ctx.say("cli.attachment.saved", a.name, data.count, path)
        }
    }

    static func line(_ n: Int, _ a: Attachment) -> String { "\(n). \(a.name) (\(a.mediaType), \(a.size) B)" }
}
