import ArgumentParser
import Foundation
import PaknCore
import PaknDemo
import PaknStoreAPI
import PaknPostgres

struct InitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Tạo CSDL thật mới / Create a new production database.")

    @OptionGroup var global: GlobalOptions

    @Option(help: "Mã đơn vị vận hành (tỉnh hoặc xã) / Code of the unit that runs it (province or commune).")
    var unit: String = "01"

    @Option(help: "Họ tên quản trị viên / Full name of the first admin (the current OS account).")
    var name: String?

    @Option(help: "Tiền tố mã hồ sơ / Case code prefix (default from the province, e.g. HN).")
    var prefix: String?

    func run() throws {
        try runCommand(global) { ctx in
            if case .server = ctx.location {
                try ServerInit.run(ctx, url: ctx.dbPath, unit: unit, name: name, prefix: prefix)
                return
            }
            let login = Context.osLogin
            let path = try ctx.sqliteFile("init")
            let db = try Engines.initializeFile(path, adminLogin: login, adminName: name ?? login,
                                                unitCode: unit, casePrefix: prefix)
            let counts = try ctx.session(db).unitCount()
            ctx.say("cli.init.done", path, counts[.province] ?? 0, counts[.commune] ?? 0, login)
        }
    }
}

struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Tạo CSDL tập huấn / Create a realistic training database.")

    @OptionGroup var global: GlobalOptions

    @Option(help: "Số hồ sơ / Number of cases.")
    var cases: Int = 2000

    @Option(help: "Hạt giống ngẫu nhiên / Random seed (same seed, same database).")
    var seed: UInt64 = 1

    @Flag(help: "Ghi đè nếu tệp đã có / Replace the file if it exists.")
    var force = false

    func run() throws {
        try runCommand(global) { ctx in
            guard (0...2_000_000).contains(cases) else { throw StoreError.invalidValue(field: "--cases", value: "\(cases)") }
            let path = try ctx.sqliteFile("demo")
            if force {
                // Desks open on the file would go on writing into the deleted one, and what
                // they did would be lost: they are closed first.
                let users = OpenFiles.processes(holding: path)
                guard users.isEmpty else {
                    fail(Message("cli.demo.in_use", path, users.map(String.init).joined(separator: ", ")).text(ctx.lang),
                         code: Exit.refused)
                }
                // A training database starts over: its case-code floor goes with it.
                for s in ["", "-wal", "-shm", ".codes"] { try? FileManager.default.removeItem(atPath: path + s) }
            }
            let now = try ctx.requestedNow() ?? Context.wallClock()
            let start = Date()
            let db = try DemoGenerator.create(path: path, options: DemoOptions(cases: cases, seed: seed, now: now,
                                                                                      login: Context.osLogin)) { done, total in
                Progress.show(done, total, label: L10n.t("cli.demo.progress", ctx.lang))
            }
            Progress.finish()
            _ = db   // the class's "today" is recorded by the generator (training_now)
            ctx.say("cli.demo.done", path, cases, String(format: "%.1f", Date().timeIntervalSince(start)), Context.osLogin)
        }
    }
}

/// Which processes have a file open (Linux: their `/proc/PID/fd` links), this one aside.
/// Processes of other accounts that cannot be looked into are not seen.
enum OpenFiles {
    static func processes(holding path: String) -> [Int32] {
        let target = URL(fileURLWithPath: path).resolvingSymlinksInPath().path
        var st = stat()
        guard stat(target, &st) == 0 else { return [] }
        let me = getpid()
        let fm = FileManager.default
        var out: [Int32] = []
        for name in (try? fm.contentsOfDirectory(atPath: "/proc")) ?? [] {
            guard let pid = Int32(name), pid != me,
                  let fds = try? fm.contentsOfDirectory(atPath: "/proc/\(name)/fd") else { continue }
            for fd in fds {
                var s = stat()
                // The link's target, compared by device and inode (a path may be spelt otherwise).
                if stat("/proc/\(name)/fd/\(fd)", &s) == 0, s.st_dev == st.st_dev, s.st_ino == st.st_ino {
                    out.append(pid)
                    break
                }
            }
        }
        return out.sorted()
    }
}

/// A one-line progress bar on stderr, only when stderr is a terminal.
enum Progress {
    nonisolated(unsafe) static var drawn = false

    static func show(_ done: Int, _ total: Int, label: String) {
        guard isatty(2) != 0, total > 0 else { return }
        let width = 30
        let filled = width * done / total
        let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
        FileHandle.standardError.write(Data("\r\(label) \(bar) \(done)/\(total)".utf8))
        drawn = true
    }

    static func finish() {
        if drawn { FileHandle.standardError.write(Data("\n".utf8)); drawn = false }
    }
}

struct UnitsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "units",
        abstract: "Đơn vị hành chính / Administrative units.",
        subcommands: [List.self, Import.self, UnitsHistory.self, UnitsRemote.self])

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Liệt kê, tìm đơn vị / List or search units.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Tìm theo tên hoặc mã (không dấu cũng được) / Search by name or code.") var query: String = ""
        @Option(help: "Chỉ trong đơn vị này (mã) / Only under this unit (code).") var within: String?
        @Option(help: "Số dòng tối đa / Maximum rows.") var limit: Int = 50
        @Flag(help: "JSON") var json = false

        func run() throws {
            try runCommand(global) { ctx in
                let session = try ctx.open()
                var ancestor: Int64?
                if let w = within {
                    guard let u = try session.unit(code: w) else { throw StoreError.unknownUnit(w) }
                    ancestor = u.id
                }
                let units = try session.units(matching: query, within: ancestor, limit: limit)
                if json {
                    try JSONOut.print(units.map { ["code": $0.code, "name": $0.name, "label": $0.label, "level": $0.level.rawValue,
                                                   "type": $0.divisionType] })
                } else {
                    for u in units { print(TerminalSafe.line("\(u.code)\t\(u.label)\t\(L10n.t("level.\(u.level.rawValue)", ctx.lang))")) }
                }
            }
        }
    }

    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Nạp lại đơn vị, hoặc danh sách thay đổi chính thức / Reload units (TSV or the statistics office JSON), or load an official change list.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Tệp / File") var file: String
        @Option(help: "Văn bản của danh sách thay đổi, nếu tệp không ghi / The change list's document, when the file does not say.")
        var document: String?
        @Option(help: "Ngày hiệu lực YYYY-MM-DD, nếu tệp không ghi / Effective date, when the file does not say.")
        var effective: String?
        @Option(name: .customLong("date-basis"), help: "Độ chắc của ngày: on|by|stated / How sure the date is.")
        var dateBasis: String?

        func run() throws {
            try runCommand(global) { ctx in
                let session = try ctx.open()
                switch try session.importUnitFile(URL(fileURLWithPath: file), document: document,
                                             effective: effective, dateBasis: dateBasis) {
                case let .units(s): ctx.say("cli.units.imported", s.added, s.updated, s.departments)
                case let .changes(s): ctx.say("cli.units.changes", s.codes, s.types, s.provinceTypes, s.alreadyInForce, s.departmentsRenamed)
                }
            }
        }
    }
}

struct RulesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rules",
        abstract: "Quy định thời hạn / Deadline rules.",
        subcommands: [List.self, Import.self])

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Liệt kê quy định / List the rules.")
        @OptionGroup var global: GlobalOptions
        @Flag(help: "JSON (như tệp của rules import) / JSON (as rules import takes it)") var json = false
        func run() throws {
            try runCommand(global) { ctx in
                let ref = try ctx.open().reference()
                let rules = ref.rulebook.rules.sorted(by: { ($0.kind.rawValue, $0.effectiveFrom) < ($1.kind.rawValue, $1.effectiveFrom) })
                if json { return try JSONOut.print(rules) }
                for r in rules {
                    print(TerminalSafe.line("\(r.id)\t\(r.kind.label(ctx.lang))\t\(r.effectiveFrom)…\(r.effectiveTo?.description ?? "")\t\(r.days) (\(r.counting.rawValue))\t\(r.basis)"))
                }
            }
        }
    }

    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Thêm/thay quy định từ tệp JSON / Add or replace rules from a JSON file.")
        @OptionGroup var global: GlobalOptions
        @Argument var file: String
        func run() throws {
            try runCommand(global) { ctx in
                let session = try ctx.open()
                ctx.say("cli.rules.imported", try session.importRules(from: URL(fileURLWithPath: file)))
            }
        }
    }
}

struct CategoriesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "categories", abstract: "Lĩnh vực / Categories.")
    @OptionGroup var global: GlobalOptions
    @Flag(help: "JSON") var json = false
    func run() throws {
        try runCommand(global) { ctx in
            let categories = try ctx.open().categories()
            if json { return try JSONOut.print(categories.map(CategoryJSON.init)) }
            for c in categories { print(TerminalSafe.line("\(c.code)\t\(c.name(ctx.lang))")) }
        }
    }
}

struct TemplatesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "templates",
        abstract: "Mẫu văn bản gửi công dân: mã, ngôn ngữ, mục đích, lĩnh vực, tiêu đề / Templates of text sent to citizens: id, language, purpose, category, title.")
    @OptionGroup var global: GlobalOptions
    @Option(help: "Lĩnh vực / Category code.") var category: String?
    @Option(help: "Chỉ mẫu dùng được với thao tác / Only templates an action may use: reply | wait | notify | reject | transfer")
    var `for`: String?
    @Flag(help: "JSON (cả nội dung mẫu) / JSON (with the templates' text)") var json = false
    func run() throws {
        try runCommand(global) { ctx in
            var action: ActionName?
            if let f = `for` {
                guard let a = f == "notify" ? ActionName.notice : ActionName(rawValue: f),
                      !TemplatePurpose.purposes(for: a).isEmpty else {
                    throw StoreError.invalidValue(field: "--for", value: f)
                }
                action = a
            }
            let templates = try ctx.open().allTemplates(category: category).filter { t in action.map(t.fits) ?? true }
            if json { return try JSONOut.print(templates.map(TemplateJSON.init)) }
            for t in templates {
                print(TerminalSafe.line("\(t.id)\t\(t.lang.rawValue)\t\(t.purpose.rawValue)\t\(t.category ?? "*")\t\(t.title)"))
            }
        }
    }
}

struct OfficialsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "officials", abstract: "Cán bộ / Officials.",
        subcommands: [List.self, Add.self, OfficialsSetRole.self, OfficialsDisable.self, OfficialsEnable.self])

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Liệt kê cán bộ (quản trị, trong đơn vị mình) / List officials (admin only, within one's units).")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Tìm theo tên / Search by name or login.") var query: String = ""
        @Option(help: "Chỉ trong đơn vị (mã) / Only under this unit (code).") var within: String?
        @Flag(help: "JSON") var json = false
        func run() throws {
            try runCommand(global) { ctx in
                let session = try ctx.open()
                // Who works where is for those who manage officials, and only in their units.
                var target: Int64?
                if let w = within {
                    guard let u = try session.unit(code: w) else { throw StoreError.unknownUnit(w) }
                    target = u.id
                }
                let list = try session.listOfficials(matching: query, within: target)
                if json {
                    try JSONOut.print(try list.map { o in
                        ["login": o.login, "name": o.fullName, "role": o.role.rawValue, "unit": try session.unit(id: o.unitId)?.code ?? ""]
                    })
                } else {
                    for o in list {
                        print(TerminalSafe.line("\(o.login)\t\(o.fullName)\t\(o.role.label(ctx.lang))\t\(try session.unit(id: o.unitId)?.name ?? "")"))
                    }
                }
            }
        }
    }

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Thêm cán bộ (quản trị) / Add an official (admin only).")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Tài khoản hệ điều hành / OS login") var login: String
        @Option(help: "Họ tên / Full name") var name: String
        @Option(help: "Mã đơn vị / Unit code") var unit: String
        @Option(help: "Vai trò / Role: clerk|handler|supervisor|admin|trainer|viewer") var role: String
        func run() throws {
            try runCommand(global) { ctx in
                let session = try ctx.open()
                guard let r = Role(rawValue: role) else { throw StoreError.invalidValue(field: "--role", value: role) }
                let o = try session.addOfficial(login: login, fullName: name, unitCode: unit, role: r)
                ctx.say("cli.officials.added", o.login, o.fullName, r.label(ctx.lang))
            }
        }
    }
}

/// `pakn upgrade`: brings a database to this pakn's schema. A server's officials may not
/// change its schema, and a session refuses a database whose migrations lag behind this
/// pakn: its owner runs this (docs/deployment.md §0). A SQLite file is brought up to date
/// whenever this pakn opens it for writing; here that is done at once, and said.
struct UpgradeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "upgrade",
        abstract: "Nâng CSDL lên lược đồ của phiên bản này / Bring a database to this version's schema.",
        discussion: """
            Trên máy chủ PostgreSQL: chạy với vai trò chủ sở hữu CSDL. / On a PostgreSQL server: run as the database's owner.
            """)

    @OptionGroup var global: GlobalOptions

    func run() throws {
        try runCommand(global) { ctx in
            let applied: [String]
            switch ctx.location {
            case .server:
                applied = try ServerUpgrade.run(ctx, url: ctx.dbPath)
            case let .file(path):
                applied = try Engines.pendingFileMigrations(path)
                _ = try Engines.open(ctx.location)
            }
            if applied.isEmpty {
                ctx.say("cli.upgrade.current", ctx.location.display)
            } else {
                ctx.say("cli.upgrade.done", ctx.location.display, applied.joined(separator: ", "))
            }
        }
    }
}
