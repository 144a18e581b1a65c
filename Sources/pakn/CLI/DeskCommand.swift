import ArgumentParser
import Foundation
import PaknCore
import PaknStoreAPI

/// `pakn` and `pakn desk`: the terminal desk for the acting official.
///
/// Who acts follows `Context` (the OS account, or `--as` on a training database), and is
/// settled before the terminal is touched: an account that is no active official of this
/// database is refused on stderr, in Vietnamese and English (the refusal is about who is at
/// the keyboard, so it cannot assume their language), with exit code 4.
struct DeskCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "desk", abstract: "Mở bàn làm việc / Open the desk (the default).")
    @OptionGroup var global: GlobalOptions
    @Option(help: "Giao diện màu / Theme: default|light|high-contrast|monochrome") var theme: String?

    func run() throws {
        try runCommand(global) { ctx in
            try openDesk(ctx, theme: theme)
        }
    }
}

/// `pakn tour`: the desk in tour mode, for trainers: one case walked through intake,
/// routing, assignment, a pause, the reply, the rating and reopening, one step a screen.
/// Refused (exit 4) on a database that is not a training one.
struct TourCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tour",
        abstract: "Hướng dẫn từng bước trên CSDL tập huấn / A guided tour of the desk on a training database.")
    @OptionGroup var global: GlobalOptions
    @Option(help: "Giao diện màu / Theme: default|light|high-contrast|monochrome") var theme: String?

    func run() throws {
        try runCommand(global) { ctx in
            try openDesk(ctx, theme: theme, tour: true)
        }
    }
}

/// Opens the desk for the acting official (the tour: on a training database only, starting
/// in triage). Who is at the keyboard is settled before the terminal is touched.
private func openDesk(_ ctx: Context, theme: String?, tour: Bool = false) throws {
    let session: any StoreSession
    do {
        session = try ctx.open(for: .desk)
    } catch let e as StoreError where e.isIdentityRefusal {
        fail(e.text(.vi) + "\npakn: " + e.text(.en), code: Exit.permission)
    }
    if tour, !session.isTraining { fail(L10n.t("tour.not_training", ctx.lang), code: Exit.permission) }
    let status = try runDesk(session: session, lang: ctx.lang, themeName: theme, view: tour ? .triage : nil, tour: tour)
    if status != 0 { throw CLIError.exit(status) }
}

extension StoreError {
    /// The refusals about who is at the keyboard rather than about what they asked for.
    var isIdentityRefusal: Bool {
        switch self {
        case .noOfficialForLogin, .officialDisabled, .notTrainingDatabase: true
        default: false
        }
    }
}
