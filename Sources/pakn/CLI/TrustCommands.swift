import ArgumentParser
import Foundation
import PaknCore
import PaknStoreAPI

// Trust: reveal, export, data-subject requests, officials' roles, the audit trail,
// backups. The rules live in PaknStore (Trust/*), so the desk gets the same checks.

struct RevealCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reveal",
        abstract: "Xem danh tính người gửi, có ghi lý do và lưu vết / Reveal a reporter's identity, with a reason; recorded.")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "Mã hồ sơ / Case code") var code: String
    @Option(help: "Lý do xem (bắt buộc, được ghi vào lịch sử) / Why (required; written to the history)") var reason: String?
    @Flag(help: "JSON") var json = false

    func run() throws {
        try runCommand(global) { ctx in
            let session = try ctx.open()
            let r = try session.revealReporter(caseRef: code, reason: reason ?? "")
            let erased = try session.reporterErasedAt(caseRef: code)
            if json {
                try JSONOut.print(ReporterJSON(r, masked: false, erased: erased != nil))
                return
            }
            let L = ctx.lang
            if let erased {
                ctx.say("trust.cli.reveal.erased", ISO8601.format(erased))
                return
            }
            for (key, value) in [("trust.cli.field.name", r.name), ("trust.cli.field.phone", r.phone), ("trust.cli.field.email", r.email),
                                 ("trust.cli.field.address", r.address), ("trust.cli.field.national_id", r.nationalId)] {
                guard let value, !value.isEmpty else { continue }
                print(TerminalSafe.line(L10n.t(key, L).padding(toLength: 16, withPad: " ", startingAt: 0) + SafeText.clean(value, keepNewlines: false)))
            }
            FileHandle.standardError.write(Data(("pakn: " + L10n.t("trust.cli.reveal.logged", L) + "\n").utf8))
        }
    }
}

/// A reporter in JSON, with what the reader may know about how it was redacted.
struct ReporterJSON: Encodable {
    var name: String?; var phone: String?; var email: String?; var address: String?; var national_id: String?
    var anonymous: Bool; var confidential: Bool; var masked: Bool; var erased: Bool

    init(_ r: Reporter, masked: Bool, erased: Bool) {
        name = r.name; phone = r.phone; email = r.email; address = r.address; national_id = r.nationalId
        anonymous = r.anonymous; confidential = r.confidential; self.masked = masked; self.erased = erased
    }
}

/// Where a command's document goes: a file or stdout. A file is written under a temporary
/// name in the same folder (`.<name>.partial-<pid>`, owner-only) and takes its name only
/// when the document is complete (`commit`): a refused or failed export leaves an existing
/// file as it was and creates none. Without `force` an existing file is never replaced,
/// even one that appeared while the export ran.
final class OutputSink {
    let handle: FileHandle
    let path: String?
    private let temp: String?
    private let force: Bool
    private var finished = false

    init(_ path: String?, force: Bool) throws {
        self.force = force
        guard let path, path != "-" else {
            handle = .standardOutput
            self.path = nil
            temp = nil
            return
        }
        let fm = FileManager.default
        if fm.fileExists(atPath: path), !force { throw Message("trust.cli.out_exists", path) }
        let url = URL(fileURLWithPath: path)
        let tmp = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).partial-\(getpid())").path
        try? fm.removeItem(atPath: tmp)
        // Personal data: readable by the owner only.
        let fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw StoreError.unreadableFile(path: path, reason: "store.file.cannot_create") }
        handle = FileHandle(fileDescriptor: fd, closeOnDealloc: true)
        self.path = path
        temp = tmp
    }

    func write(_ s: String) { handle.write(Data(s.utf8)) }

    /// The document is complete: synced and given its name.
    func commit() throws {
        guard let path, let temp, !finished else { return }
        finished = true
        defer { unlink(temp) }
        guard fsync(handle.fileDescriptor) == 0 else { throw StoreError.unreadableFile(path: path, reason: "store.file.cannot_create") }
        try handle.close()
        if force {
            guard rename(temp, path) == 0 else { throw StoreError.unreadableFile(path: path, reason: "store.file.cannot_create") }
        } else {
            // link() refuses to replace: a file created meanwhile is kept.
            guard link(temp, path) == 0 else {
                if errno == EEXIST { throw Message("trust.cli.out_exists", path) }
                throw StoreError.unreadableFile(path: path, reason: "store.file.cannot_create")
            }
        }
    }

    /// Drops an unfinished document (the command failed or was refused).
    func discard() {
        guard let temp, !finished else { return }
        finished = true
        try? handle.close()
        unlink(temp)
    }

    deinit { discard() }
}

/// JSON text safe for a terminal (`SafeText.json`, the one escaping of every JSON output).
func safeJSON<T: Encodable>(_ value: T, pretty: Bool = false) throws -> String { try SafeText.json(value, pretty: pretty) }

struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Xuất hồ sơ (JSON/CSV), che thông tin người gửi / Export cases (JSON or CSV), reporters redacted.",
        discussion: """
        Mặc định che thông tin người gửi; --unredacted cần quyền export_unredacted và --reason. Mọi lần xuất được ghi \
        vào nhật ký truy cập (pakn audit log). Danh tính người tố cáo không bao giờ được xuất.
        Reporters are masked by default; --unredacted needs the export_unredacted permission and --reason. Every \
        export is recorded in the access log (pakn audit log). A denouncer's identity is never exported.
        """)
    @OptionGroup var global: GlobalOptions
    @Option(help: "Định dạng / Format: json | csv") var format: String = "json"
    @Option(name: [.short, .long], help: "Ghi ra tệp (mặc định stdout) / Write to this new file (default: stdout)") var out: String?
    @Flag(help: "Ghi đè tệp --out / Overwrite the --out file") var force = false
    @Flag(help: "Không che thông tin người gửi (cần quyền, ghi nhật ký) / Reporters in full (permission, logged)") var unredacted = false
    @Option(help: "Lý do (bắt buộc với --unredacted) / Why (required with --unredacted)") var reason: String?
    @Option(help: "Đơn vị và cấp dưới (mã) / Unit subtree (code)") var unit: String?
    @Option(help: "Trạng thái, phân cách dấu phẩy / Status(es), comma-separated") var status: String?
    @Option(help: "Loại / Kind") var kind: String?
    @Option(help: "Lĩnh vực / Category") var category: String?
    @Option(help: "Nhận từ ngày (ISO 8601) / Received from") var since: String?
    @Option(help: "Nhận trước ngày (ISO 8601) / Received before") var until: String?
    @Option(help: "Dấu phân cách CSV: , ; tab / CSV delimiter: , ; tab (';' for Excel's European setting)") var delimiter: String = ","

    func run() throws {
        try runCommand(global) { ctx in
            let csv = try CSVOut(delimiter)
            let session = try ctx.open()
            guard format == "json" || format == "csv" else { throw StoreError.invalidValue(field: "--format", value: format) }
            var req = ExportRequest(unredacted: unredacted, reason: reason, unitCode: unit, category: category, format: format)
            if let status { req.statuses = try parsedList(status, option: "--status") }
            if let kind { req.kind = try parsed(kind, option: "--kind") as CaseKind }
            for (opt, text, keyPath) in [("--since", since, \ExportRequest.since), ("--until", until, \ExportRequest.until)] {
                guard let text else { continue }
                guard let d = ISO8601.parse(text) else { throw StoreError.invalidValue(field: opt, value: text) }
                req[keyPath: keyPath] = d
            }
            if unredacted, (reason ?? "").trimmingCharacters(in: .whitespaces).isEmpty { throw Message("trust.reason_required") }
            let sink = try OutputSink(out, force: force)
            defer { sink.discard() }
            var first = true
            if format == "csv" { sink.write(csv.header(CaseOut.exportColumns)) } else { sink.write("[") }
            // One shape for a case (CaseOut): the deadline as `list` and `show` count it today.
            let ref = try session.reference()
            let today = Day(session.now)
            var names: [String: String] = [:]
            let summary = try session.exportCases(req) { r in
                let c = r.case
                let deadline = DeadlineStatus.of(c.deadline, status: c.status, today: today, calendar: ref.calendar,
                                                 dueSoonDays: ref.policy.dueSoonDays)
                var assignee: String?
                if let login = r.assigneeLogin {
                    if names[login] == nil { names[login] = try session.official(login: login)?.fullName ?? "" }
                    assignee = names[login].flatMap { $0.isEmpty ? nil : $0 }
                }
                let out = CaseOut(r, assigneeName: assignee, deadline: deadline,
                                  calendarWarning: CalendarWarning(dueDay: deadline.dueDay, calendar: ref.calendar))
                if format == "csv" {
                    sink.write(csv.line(CaseOut.exportColumns) { out.csv($0, lang: ctx.lang, reporterState: ExportCSV.state(r)) })
                } else {
                    sink.write((first ? "\n" : ",\n") + (try safeJSON(out)))
                    first = false
                }
            }
            if format == "json" { sink.write(first ? "]\n" : "\n]\n") }
            try sink.commit()
            if let path = sink.path { ctx.say("trust.cli.export.done", summary.count, path) }
        }
    }
}

/// The `reporter` column of an export: what the export could say about the reporter.
enum ExportCSV {
    static func state(_ r: ExportRecord) -> String {
        if r.case.anonymous { return "anonymous" }
        if r.reporterSealed { return "sealed" }
        if r.reporterErased { return "erased" }
        if r.reporter == nil { return "none" }
        return r.reporterMasked ? "masked" : "full"
    }
}

/// Selectors of a data-subject request.
struct CitizenSelector: ParsableArguments {
    @Option(help: "Số điện thoại / Phone number") var phone: String?
    @Option(help: "Họ tên (không phân biệt dấu) / Full name (diacritics ignored)") var name: String?
    @Option(help: "Số định danh / National ID") var nationalId: String?
    @Option(help: "Thư điện tử / E-mail") var email: String?
    @Option(name: .customLong("case"), help: "Chỉ trong hồ sơ này (lặp lại được) / Only in this case (repeatable)") var cases: [String] = []

    var query: CitizenQuery { CitizenQuery(phone: phone, name: name, nationalId: nationalId, email: email, cases: cases) }
}

struct CitizenCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "citizen",
        abstract: "Yêu cầu của chủ thể dữ liệu (Luật 91/2025) / Data-subject requests (Law 91/2025 on personal data).",
        subcommands: [Export.self, Erase.self])

    struct Export: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Liệt kê mọi dữ liệu về một người (JSON) / Everything held about a person (JSON).")
        @OptionGroup var global: GlobalOptions
        @OptionGroup var who: CitizenSelector
        @Option(help: "Lý do / căn cứ yêu cầu / The request this answers") var reason: String?
        @Option(name: [.short, .long], help: "Ghi ra tệp mới / Write to this new file") var out: String?

        struct Doc: Encodable {
            struct Record: Encodable {
                var reporter: ReporterJSON; var `case`: String; var title: String; var body: String; var kind: String
                var status: String; var received_at: String; var unit: String?; var ward: String?; var reply: String?
                var attachments: [String]
            }
            struct Access: Encodable { var at: String; var by: String; var action: String; var `case`: String; var reason: String? }
            var generated_at: String; var records: [Record]; var accesses: [Access]; var out_of_scope: Int
        }

        func run() throws {
            try runCommand(global) { ctx in
                let session = try ctx.open()
                let report = try session.citizenExport(who.query, reason: reason)
                let now = session.now
                let doc = Doc(
                    generated_at: ISO8601.format(now),
                    records: report.held.map { h in
                        Doc.Record(reporter: ReporterJSON(h.reporter, masked: false, erased: false), case: h.case.code,
                                   title: h.case.title, body: h.case.body, kind: h.case.kind.rawValue, status: h.case.status.rawValue,
                                   received_at: ISO8601.format(h.case.receivedAt), unit: h.unitName, ward: h.wardName,
                                   reply: h.case.reply, attachments: h.attachments.map { "\($0.name) (\($0.mediaType), \($0.size) B, sha256 \($0.sha256))" })
                    },
                    accesses: report.accesses.map { Doc.Access(at: ISO8601.format($0.at), by: $0.login, action: $0.action, case: $0.caseCode, reason: $0.note) },
                    out_of_scope: report.outOfScope)
                let sink = try OutputSink(out, force: false)
                defer { sink.discard() }
                sink.write(try safeJSON(doc, pretty: true) + "\n")
                try sink.commit()
                if report.outOfScope > 0 {
                    FileHandle.standardError.write(Data(("pakn: " + L10n.t("trust.cli.citizen.out_of_scope", ctx.lang, report.outOfScope) + "\n").utf8))
                }
                if let path = sink.path { ctx.say("trust.cli.citizen.exported", report.held.count, path) }
            }
        }
    }

    struct Erase: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Xoá dữ liệu cá nhân của một người, giữ nội dung hồ sơ / Erase a person's details; the cases' facts stay.")
        @OptionGroup var global: GlobalOptions
        @OptionGroup var who: CitizenSelector
        @Option(help: "Lý do / căn cứ (bắt buộc) / Why (required)") var reason: String?

        func run() throws {
            try runCommand(global) { ctx in
                let session = try ctx.open()
                let s = try session.citizenErase(who.query, reason: reason ?? "")
                ctx.say("trust.cli.citizen.erased", s.reporters, s.cases.joined(separator: ", "))
            }
        }
    }
}

struct OfficialsSetRole: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "set-role", abstract: "Đổi vai trò cán bộ (quản trị) / Change an official's role (admin only).")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "Tài khoản / Login") var login: String
    @Argument(help: "Vai trò / Role: clerk|handler|supervisor|admin|trainer|viewer") var role: String
    func run() throws {
        try runCommand(global) { ctx in
            let session = try ctx.open()
            guard let r = Role(rawValue: role) else { throw StoreError.invalidValue(field: "role", value: role) }
            let o = try session.setRole(login: login, role: r)
            ctx.say("trust.cli.officials.role", o.login, r.label(ctx.lang))
        }
    }
}

struct OfficialsDisable: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "disable", abstract: "Khoá tài khoản cán bộ (quản trị) / Disable an official (admin only).")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "Tài khoản / Login") var login: String
    func run() throws {
        try runCommand(global) { ctx in
            let session = try ctx.open()
            let o = try session.setActive(login: login, active: false)
            ctx.say("trust.cli.officials.disabled", o.login)
        }
    }
}

struct OfficialsEnable: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "enable", abstract: "Mở khoá tài khoản cán bộ (quản trị) / Re-enable an official (admin only).")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "Tài khoản / Login") var login: String
    func run() throws {
        try runCommand(global) { ctx in
            let session = try ctx.open()
            let o = try session.setActive(login: login, active: true)
            ctx.say("trust.cli.officials.enabled", o.login)
        }
    }
}

struct PermissionsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "permissions", abstract: "Bảng quyền theo vai trò / Which role holds which permission.")
    @OptionGroup var global: GlobalOptions
    @Flag(help: "Bảng Markdown (như trong docs/security.md) / Markdown, as in docs/security.md") var markdown = false
    @Flag(help: "JSON") var json = false
    func run() throws {
        try runCommand(global) { ctx in
            // The store's one table, as every session applies it.
            let table = try ctx.open().permissions
            if markdown { print(table.markdown()); return }
            if json {
                return try JSONOut.print(Permission.allCases.map { p in
                    PermissionJSON(permission: p.rawValue, name_vi: p.label(.vi), name_en: p.label(.en),
                                   roles: Role.allCases.filter { table.allows($0, p) }.map(\.rawValue))
                })
            }
            let roles = Role.allCases
            print(([String(repeating: " ", count: 20)] + roles.map { $0.rawValue.padding(toLength: 11, withPad: " ", startingAt: 0) }).joined())
            for p in Permission.allCases {
                let cells = roles.map { (table.allows($0, p) ? "✓" : "·").padding(toLength: 11, withPad: " ", startingAt: 0) }
                print(([p.rawValue.padding(toLength: 20, withPad: " ", startingAt: 0)] + cells).joined() + p.label(ctx.lang))
            }
        }
    }
}

struct AuditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit", abstract: "Kiểm tra lịch sử / Check the history chain.", subcommands: [Verify.self, Head.self, Log.self])

    struct Verify: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Kiểm tra chuỗi băm / Verify the hash chains.",
            discussion: """
            --against HASH: mã băm đầu chuỗi đã lưu trước đó (pakn audit head) phải có trong chuỗi — phát hiện lịch sử bị cắt bớt.
            --against HASH: a head hash kept earlier (pakn audit head) must be in the chain — catches a cut-off history.
            """)
        @OptionGroup var global: GlobalOptions
        @Option(help: "Mã băm đầu chuỗi sự kiện đã lưu / A case-event head kept earlier") var against: String?
        @Option(help: "Mã băm đầu nhật ký truy cập đã lưu / An access-log head kept earlier") var againstAccess: String?
        @Flag(help: "Kiểm tra toàn bộ: integrity_check, khoá ngoại, dựng lại mọi hồ sơ từ sự kiện, các bảng quản trị so với nhật ký truy cập / Also integrity_check, foreign keys, every case replayed, the admin tables against the access log")
        var full = false
        @Flag(help: "JSON (mã thoát như trên) / JSON (the same exit code)") var json = false
        func run() throws {
            try runCommand(global) { ctx in
                let session = try ctx.open()
                let events = try session.checkChain(against: against)
                let access = try session.checkAccessChain(against: againstAccess)
                var lines = [events.text(ctx.lang), access.text(ctx.lang)]
                var ok = events.ok && access.ok
                var out = VerifyJSON(ok: ok, events: ChainJSON(events, lang: ctx.lang), access: ChainJSON(access, lang: ctx.lang))
                if full {
                    let r = try session.checkConsistency()
                    lines += r.lines(ctx.lang, chains: false)
                    ok = ok && r.ok
                    out.ok = ok
                    out.full = .init(integrity: r.integrity, foreign_key_violations: r.foreignKeyViolations, cases: r.cases,
                                     replay_mismatches: r.replayMismatches, without_intake: r.withoutIntake)
                }
                if json { try JSONOut.print(out) } else { for l in lines { print(TerminalSafe.line(l)) } }
                if !ok { throw CLIError.exit(Exit.refused) }
            }
        }
    }

    struct Head: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "In mã băm đầu chuỗi (lưu lại để so sánh sau) / Print the chain head hash (keep it to compare later).")
        @OptionGroup var global: GlobalOptions
        @Flag(help: "Đầu chuỗi nhật ký truy cập / The access log's head") var access = false
        @Flag(help: "JSON: cả hai đầu chuỗi {events, access} / JSON: both heads {events, access}") var json = false
        func run() throws {
            try runCommand(global) { ctx in
                let session = try ctx.open()
                if json { return try JSONOut.print(["events": try session.chainHead(), "access": try session.accessHead()]) }
                print(access ? try session.accessHead() : try session.chainHead())
            }
        }
    }

    struct Log: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Nhật ký truy cập: xuất dữ liệu, yêu cầu của công dân, thay đổi cán bộ, từ chối / The access log (admin).")
        @OptionGroup var global: GlobalOptions
        @Option(name: .customLong("case"), help: "Chỉ các mục liên quan hồ sơ này / Only entries naming this case") var caseRef: String?
        @Option(help: "Số dòng tối đa / Maximum rows") var limit: Int = 50
        @Flag(help: "JSON") var json = false

        struct Out: Encodable {
            var id: Int64; var at: String; var login: String; var action: String; var target: String?; var note: String?
            var count: Int; var cases: Int; var hash: String
        }

        func run() throws {
            try runCommand(global) { ctx in
                let session = try ctx.open()
                guard (1...100_000).contains(limit) else { throw StoreError.invalidValue(field: "--limit", value: "\(limit)") }
                let entries = try session.accessLog(limit: limit, caseRef: caseRef)
                if json {
                    print(try safeJSON(entries.map {
                        Out(id: $0.id, at: ISO8601.format($0.at), login: $0.login, action: $0.action.rawValue, target: $0.target,
                            note: $0.note, count: $0.count, cases: $0.caseIds.count, hash: $0.hash)
                    }, pretty: true))
                    return
                }
                for e in entries {
                    let cols = [String(e.id), ISO8601.format(e.at), e.login, e.action.rawValue, e.target ?? "", e.note ?? "",
                                e.count > 0 ? String(e.count) : ""]
                    print(cols.map { SafeText.clean($0, keepNewlines: false) }.joined(separator: "\t"))
                }
            }
        }
    }
}

struct BackupCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup",
        abstract: "Sao lưu trực tuyến rồi kiểm tra bản sao / Online backup, then check the copy.",
        discussion: """
        Dùng API sao lưu của SQLite (không sao chép tệp đang dùng); bản sao được kiểm tra (integrity_check, chuỗi băm, \
        dựng lại hồ sơ) trước khi mang tên PATH.
        Uses SQLite's online backup API (never a copy of the live file); the copy is checked (integrity_check, hash \
        chains, every case replayed) before it gets the name PATH.
        """)
    @OptionGroup var global: GlobalOptions
    @Argument(help: "Tệp sao lưu mới / The new backup file") var path: String
    @Flag(help: "Ghi đè tệp đã có / Replace an existing file") var force = false
    func run() throws {
        try runCommand(global) { ctx in
            let session = try ctx.open()
            let r = try session.backup(to: path, force: force)
            ctx.say("trust.cli.backup.done", r.path, r.bytes, r.check.cases, r.check.events.entries, r.check.events.head)
        }
    }
}

struct RestoreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "restore",
        abstract: "Khôi phục từ bản sao lưu vào --db / Restore a backup into --db.",
        discussion: """
        Bản sao lưu được kiểm tra trước. Nếu --db đã có, cần --force và quyền quản trị trong cả hai; CSDL cũ được giữ lại \
        bên cạnh (<tệp>.before-restore-<thời điểm>).
        The backup is checked first. If --db exists, --force and admin rights in both are required; the old database \
        is kept beside it (<file>.before-restore-<time>).
        """)
    @OptionGroup var global: GlobalOptions
    @Argument(help: "Tệp sao lưu / The backup file") var backup: String
    @Flag(help: "Thay CSDL đang có / Replace the existing database") var force = false
    func run() throws {
        try runCommand(global) { ctx in
            // Restore has no database to check --now against: it takes the real time.
            if ctx.options.now != nil { throw StoreError.notTrainingDatabase(option: "--now") }
            let now = Context.wallClock()
            let path = try ctx.sqliteFile("restore")
            let r = try Engines.restoreFile(from: backup, into: path, force: force, at: now) { db in try ctx.session(db).official }
            ctx.say("trust.cli.restore.done", path, r.check.cases, r.check.events.entries)
            if let prev = r.previousCopy { ctx.say("trust.cli.restore.previous", prev) }
            if r.trainingOverProduction {
                FileHandle.standardError.write(Data(("pakn: " + L10n.t("robust.restore.training_warning", ctx.lang, path,
                                                                       r.previousCopy ?? "-") + "\n").utf8))
            }
        }
    }
}

/// `pakn stress`: random legal actions on a training database, one transaction each,
/// printed as they commit. For the concurrency and crash tests; hidden from help.
struct StressCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "stress", abstract: "Test tải (ẩn) / Load test (hidden).",
                                                    shouldDisplay: false)
    @OptionGroup var global: GlobalOptions
    @Option var actions: Int = 1000
    @Option var seed: UInt64 = 1
    @Option var hot: Int = 20
    func run() throws {
        try runCommand(global) { ctx in
            try Engines.stress(path: try ctx.sqliteFile("stress"), login: Context.osLogin, actingAs: ctx.options.actAs,
                               now: try ctx.requestedNow(), actions: actions, seed: seed, hot: hot) { o in
                // Flushed line by line: a line on stdout means the action is committed.
                FileHandle.standardOutput.write(Data((o.line + "\n").utf8))
            }
        }
    }
}
