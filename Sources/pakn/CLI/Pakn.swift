import ArgumentParser
import Foundation
import PaknCore
import PaknStore

@main
struct Pakn: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pakn",
        abstract: "Bàn tiếp nhận, xử lý phản ánh kiến nghị / The petition desk for officials.",
        discussion: "Không có lệnh con: mở bàn làm việc. / With no subcommand: opens the desk.",
        subcommands: [
            DeskCommand.self, InitCommand.self, DemoCommand.self, IntakeCommand.self, ListCommand.self,
            ShowCommand.self, HistoryCommand.self,
            RouteCommand.self, AssignCommand.self, StartCommand.self, WaitCommand.self, ResumeCommand.self,
            ReplyCommand.self, CloseCommand.self, RejectCommand.self, ReopenCommand.self, TransferCommand.self,
            EscalateCommand.self, ExtendCommand.self, MergeCommand.self, RateCommand.self, NoteCommand.self,
            AttachCommand.self, UnitsCommand.self, OfficialsCommand.self, CategoriesCommand.self,
            TemplatesCommand.self, AuditCommand.self, RulesCommand.self,
        ],
        defaultSubcommand: DeskCommand.self
    )
}

extension Pakn {
    /// Global options may come before the subcommand (`pakn --db X list`), as the README
    /// shows; ArgumentParser wants them after it, so leading ones are moved to the end.
    static func main() {
        main(GlobalArguments.reorder(Array(CommandLine.arguments.dropFirst())))
    }
}

enum GlobalArguments {
    static let withValue: Set<String> = ["--db", "--lang", "--as", "--now"]

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
