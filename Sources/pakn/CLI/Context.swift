import ArgumentParser
import Foundation
import PaknCore
import PaknStoreAPI
import PaknUI

/// Options every subcommand takes.
struct GlobalOptions: ParsableArguments {
    @Option(help: "Tệp cơ sở dữ liệu hoặc URL postgres:// / Database file or postgres:// URL (default: $PAKN_DB, else $XDG_DATA_HOME/pakn/pakn.sqlite).")
    var db: String?

    @Option(help: "Ngôn ngữ / Language: vi | en (default from LANG).")
    var lang: String?

    @Option(name: .customLong("as"), help: "Thao tác với tư cách cán bộ khác (chỉ CSDL tập huấn) / Act as another official (training databases only).")
    var actAs: String?

    @Option(help: "Thời điểm hiện tại giả lập, ISO 8601 (chỉ CSDL tập huấn) / Pretend it is this time (training databases only).")
    var now: String?
}

/// Process exit codes, documented in docs/cli.md.
enum Exit {
    static let refused: Int32 = 1
    static let usage: Int32 = 2
    static let conflict: Int32 = 3
    static let permission: Int32 = 4
    static let database: Int32 = 5
}

/// What a command runs with: the language, the database, who acts and when.
struct Context {
    let lang: Lang
    /// `--db` as given (or `PAKN_DB`, or the default file): a path or a server URL.
    let dbPath: String
    /// What `dbPath` names: a SQLite file or a server (`Engines` picks the engine by it).
    let location: StoreLocation
    let options: GlobalOptions

    init(_ o: GlobalOptions) throws {
        options = o
        let env = ProcessInfo.processInfo.environment
        if let l = o.lang {
            guard let parsed = Lang(rawValue: l.lowercased()) else { throw CLIError.message(Message("cli.bad_lang", l)) }
            lang = parsed
        } else {
            lang = DeskPreferences.language(environment: env)
        }
        dbPath = Context.databasePath(option: o.db, env: env)
        location = StoreLocation(dbPath)
        // Files this process makes are for its owner (and the shared group, when one is set).
        umask(Engines.umask(near: dbPath, environment: env))
    }

    static func databasePath(option: String?, env: [String: String]) -> String {
        if let p = option, !p.isEmpty { return p }
        if let p = env["PAKN_DB"], !p.isEmpty { return p }
        let base = env["XDG_DATA_HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? ((env["HOME"] ?? NSHomeDirectory()) + "/.local/share")
        return base + "/pakn/pakn.sqlite"
    }

    /// Opens the database and the acting official's session: an OS account (or `--as`
    /// login) that is not an active official of this database is refused here, before any
    /// command shows anything. Commands work only through the session.
    func open(for use: Engines.Use = .command) throws -> any StoreSession {
        try session(try Engines.open(location, for: use))
    }

    /// The session for the OS account, or `--as` and `--now` (training databases only: the
    /// store refuses them elsewhere).
    func session(_ engine: any StoreEngine) throws -> any StoreSession {
        try engine.openSession(login: Context.osLogin, actingAs: options.actAs, now: try requestedNow())
    }

    /// The database file, for the commands that work on a SQLite file only (`init`, `demo`,
    /// `restore`, `stress`, `bench-desk`); a server URL is refused with one sentence.
    func sqliteFile(_ command: String) throws -> String { try Engines.sqliteFile(location, command: command) }

    /// `--now` as given (the store decides whether it may be used), or nil.
    func requestedNow() throws -> Date? {
        guard let text = options.now else { return nil }
        guard let d = ISO8601.parse(text) else { throw StoreError.invalidValue(field: "--now", value: text) }
        return d
    }

    /// The OS account running pakn.
    static var osLogin: String {
        if let pw = getpwuid(geteuid()), let name = pw.pointee.pw_name { return String(cString: name) }
        return ProcessInfo.processInfo.environment["USER"] ?? "unknown"
    }

    /// Now, for commands that run without a session (`restore`, `init`): the real time in
    /// whole seconds, as the store keeps times.
    static func wallClock() -> Date {
        Date(timeIntervalSince1970: Date().timeIntervalSince1970.rounded(.down))
    }

    func say(_ key: String, _ args: CustomStringConvertible...) {
        print(TerminalSafe.line(L10n.format(key, lang, args.map(\.description))))
    }
}

enum CLIError: Error {
    case message(Message)
    case exit(Int32)
}

/// Runs a command body, turning every failure into one line on stderr in the chosen
/// language and a non-zero exit.
func runCommand(_ options: GlobalOptions, _ body: (Context) throws -> Void) throws {
    let lang = options.lang.flatMap { Lang(rawValue: $0.lowercased()) } ?? DeskPreferences.language(environment: ProcessInfo.processInfo.environment)
    do {
        let ctx = try Context(options)
        try body(ctx)
    } catch let e as CLIError {
        switch e {
        case let .message(m): fail(m.text(lang), code: Exit.usage)
        case let .exit(code): throw ExitCode(code)
        }
    } catch let e as StoreError {
        let code: Int32
        switch e {
        case .conflict: code = Exit.conflict
        case .permissionDenied, .unitOutOfScope, .adminOutOfScope, .noOfficialForLogin, .officialDisabled, .notTrainingDatabase:
            code = Exit.permission
        // A case outside one's units exits like an unknown case: nothing says it exists.
        case .outOfScope, .unknownCase: code = Exit.refused
        case .databaseUnusable, .databaseMissing, .noEngine, .fileOnly, .notOnServer: code = Exit.database
        default: code = Exit.refused
        }
        fail(e.text(lang), code: code)
    } catch let e as WorkflowError {
        fail(e.text(lang), code: Exit.refused)
    } catch let e as Message {
        // A server that cannot be reached, refuses the login or holds no pakn data: exit 5.
        let database = e.key.hasPrefix("pg.connect.") || e.key.hasPrefix("pg.url.") || ["pg.server.lost", "pgs.not_pakn", "pgs.backup"].contains(e.key)
        fail(e.text(lang), code: database ? Exit.database : Exit.refused)
    } catch let e as CaseImportError {
        fail(e.text(lang), code: Exit.refused)
    } catch let e as ExitCode {
        throw e
    } catch let e as Localized {
        // Other refusals that say themselves (a change list's bad rows).
        fail(e.text(lang), code: Exit.refused)
    } catch {
        // SQLite's own failures (a damaged page met mid-read, a full disk): what to do, exit 5.
        let path = Context.databasePath(option: options.db, env: ProcessInfo.processInfo.environment)
        if let e = StoreError.database(error, path: path) { fail(e.text(lang), code: Exit.database) }
        fail(L10n.t("cli.unexpected", lang, "\(error)"), code: Exit.refused)
    }
}

func fail(_ text: String, code: Int32) -> Never {
    FileHandle.standardError.write(Data(("pakn: " + TerminalSafe.line(text) + "\n").utf8))
    exit(code)
}

/// Printing citizen text to a terminal: controls and bidi overrides shown as symbols,
/// never sent raw (the same rules as exports: `SafeText`).
enum TerminalSafe {
    static func line(_ s: String) -> String { SafeText.clean(s, keepNewlines: true) }
}

/// An option's value as one of a domain enum's codes (`--kind complaint`), or the usual
/// invalid-value refusal naming the option.
func parsed<T: RawRepresentable>(_ text: String, option: String) throws -> T where T.RawValue == String {
    guard let v = T(rawValue: text) else { throw StoreError.invalidValue(field: option, value: text) }
    return v
}

/// A comma-separated list of codes (`--status routed,assigned`).
func parsedList<T: RawRepresentable>(_ text: String, option: String) throws -> [T] where T.RawValue == String {
    try text.split(separator: ",").map { try parsed(String($0), option: option) }
}

extension GlobalOptions {
    /// The language of a usage error raised in `validate()`, before a context exists:
    /// `--lang`, else the environment's.
    func usageLang() -> Lang {
        lang.flatMap { Lang(rawValue: $0.lowercased()) } ?? Lang.from(environment: ProcessInfo.processInfo.environment)
    }
}
