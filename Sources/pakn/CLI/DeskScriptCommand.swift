import ArgumentParser
import Foundation
import PaknCore
import PaknStoreAPI
import PaknTerminal
import PaknUI

/// `pakn desk-script`: the real desk (`DeskRunner` on the database, the same store calls as
/// the terminal desk) driven by keys from a file or stdin, with no terminal at all. Every
/// workflow action it performs is printed as one line once its transaction has ended:
///
/// ```text
/// committed note HN-2026-000012 5
/// refused assign HN-2026-000013 Official … lacks the permission "assign" at …
/// ```
///
/// A `committed` line is written (unbuffered) only after the commit, so a process killed at
/// any moment never reports an action that is not in the database. For the crash tests and
/// for replaying a fuzzer's key sequence; hidden from help.
struct DeskScriptCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "desk-script", abstract: "Chạy bàn làm việc theo kịch bản phím (ẩn) / Run the desk from a key script (hidden).",
        shouldDisplay: false)
    @OptionGroup var global: GlobalOptions
    @Option(help: "Tệp kịch bản phím, - là stdin / Key script file, - for stdin (see KeyScript).") var keys: String = "-"
    @Option var width: Int = 80
    @Option var height: Int = 24
    @Flag(help: "Vẽ màn hình sau mỗi phím / Render the screen after every key.") var render = false
    @Flag(help: "In màn hình cuối / Print the last screen.") var screen = false

    func run() throws {
        try runCommand(global) { ctx in
            let session = try ctx.open()
            let text = try readText(keys)
            let script: [Key]
            do { script = try KeyScript.parse(text) } catch let bad as KeyScript.BadLine {
                throw CLIError.message(Message("desk.script.bad_line", bad.line, bad.text))
            }
            let runner = try DeskRunner(session: session, lang: ctx.lang, width: width, height: height)
            runner.onPerformed = { o in
                let line: String
                if let c = o.updated {
                    line = "committed \(o.action.rawValue) \(o.code) \(c.version)"
                } else {
                    line = "refused \(o.action.rawValue) \(o.code) \(TerminalSafe.line(o.error?.text(ctx.lang) ?? ""))"
                }
                FileHandle.standardOutput.write(Data((line + "\n").utf8))
            }
            runner.start()
            for key in script {
                if runner.shouldQuit { break }
                runner.send(key)
                if render { _ = runner.frame() }
                // As the terminal loop does when no key is waiting (DeskRunner.idle).
                if runner.idle(), render { _ = runner.frame() }
            }
            if screen { print(runner.frame().text) }
        }
    }
}

/// `pakn desk-selftest`: the terminal layer alone (every style, wide and combining text,
/// the last key read), to check a terminal by eye. Hidden from help.
struct DeskSelfTestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "desk-selftest", abstract: "Kiểm tra terminal (ẩn) / Terminal self-test (hidden).", shouldDisplay: false)
    @Option var lang: String?
    @Option var theme: String?

    func run() throws {
        let l = lang.flatMap { Lang(rawValue: $0) } ?? DeskPreferences.language(environment: ProcessInfo.processInfo.environment)
        let status = runTerminalSelfTest(themeName: theme, lang: l)
        if status != 0 { throw ExitCode(status) }
    }
}
