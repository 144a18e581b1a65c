import ArgumentParser
import Foundation
import PaknCore
import PaknStoreAPI
import PaknUI

@main
struct Pakn: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pakn",
        abstract: "Bàn tiếp nhận, xử lý phản ánh kiến nghị / The petition desk for officials.",
        discussion: "Không có lệnh con: mở bàn làm việc. / With no subcommand: opens the desk.",
        version: PaknVersion.summary,
        subcommands: [
            DeskCommand.self, TourCommand.self, InitCommand.self, UpgradeCommand.self, MigrateCommand.self, DemoCommand.self, IntakeCommand.self, ImportCommand.self, ListCommand.self,
            ShowCommand.self, HistoryCommand.self,
            RouteCommand.self, AssignCommand.self, StartCommand.self, WaitCommand.self, ResumeCommand.self,
            ReplyCommand.self, CloseCommand.self, RejectCommand.self, ReopenCommand.self, TransferCommand.self,
            EscalateCommand.self, ExtendCommand.self, AcceptCommand.self, ComplexCommand.self, MergeCommand.self, RateCommand.self,
            NoteCommand.self, NotifyCommand.self,
            AttachCommand.self, AttachmentCommand.self, UnitsCommand.self, OfficialsCommand.self, CategoriesCommand.self,
            TemplatesCommand.self, AuditCommand.self, RulesCommand.self, CalendarCommand.self,
            RevealCommand.self, ExportCommand.self, ReportCommand.self, CitizenCommand.self, PermissionsCommand.self, BackupCommand.self,
            RestoreCommand.self, StressCommand.self, BenchCommand.self, BenchDeskCommand.self, BenchScreenCommand.self,
            DeskScriptCommand.self, DeskSelfTestCommand.self, ManualCommand.self, ServeCommand.self, ApiKeysCommand.self,
        ],
        defaultSubcommand: DeskCommand.self
    )
}

extension Pakn {
    /// Global options may come before the subcommand (`pakn --db X list`), as the README
    /// shows; ArgumentParser wants them after it, so leading ones are moved to the end.
    static func main() {
        // A write past a file-size limit (`ulimit -f`) fails with EFBIG, which SQLite turns
        // into a rolled-back transaction and a message, instead of killing pakn mid-command.
        signal(SIGXFSZ, SIG_IGN)
        umask(0o077)
        let args = GlobalArguments.reorder(Array(CommandLine.arguments.dropFirst()))
        if PaknVersion.handle(args) { return }
        do {
            var command = try parseAsRoot(args)
            try command.run()
        } catch {
            let code = exitCode(for: error)
            if code == .success || error is ExitCode {
                exit(withError: error)
            }
            // Usage errors: the parser's own text, introduced in the reader's language.
            let lang = GlobalArguments.lang(args)
            // The error alone, without the usage screen (`pakn … --help` shows it): a command's
            // own check (`validate()`) is one sentence in the reader's language.
            var detail = message(for: error).trimmingCharacters(in: .whitespacesAndNewlines)
            if detail.hasPrefix("Error: ") { detail.removeFirst("Error: ".count) }
            FileHandle.standardError.write(Data("pakn: \(L10n.t("cli.usage", lang)) \(detail)\n".utf8))
            Foundation.exit(Exit.usage)
        }
    }
}

enum GlobalArguments {
    static let withValue: Set<String> = ["--db", "--lang", "--as", "--now"]

    /// The language asked for on the command line, else from the environment.
    static func lang(_ args: [String]) -> Lang {
        if let i = args.firstIndex(of: "--lang"), i + 1 < args.count, let l = Lang(rawValue: args[i + 1]) { return l }
        if let a = args.first(where: { $0.hasPrefix("--lang=") }), let l = Lang(rawValue: String(a.dropFirst(7))) { return l }
        return DeskPreferences.language(environment: ProcessInfo.processInfo.environment)
    }

    static func reorder(_ args: [String]) -> [String] {
        var leading: [String] = []
        var i = 0
        while i < args.count {
            let a = args[i]
            if withValue.contains(a), i + 1 < args.count {
                leading += [a, args[i + 1]]
                i += 2
            } else if let eq = a.firstIndex(of: "="), withValue.contains(String(a[..<eq])) {
                leading.append(a)
                i += 1
            } else {
                break
            }
        }
        return Array(args[i...]) + leading
    }
}
