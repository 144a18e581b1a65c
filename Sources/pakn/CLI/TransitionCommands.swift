import ArgumentParser
import Foundation
import PaknCore
import PaknStoreAPI

/// Options every transition takes.
struct TransitionOptions: ParsableArguments {
    @Argument(help: "Mã hồ sơ / Case code") var code: String
    @Option(help: "Phiên bản đang xem; từ chối nếu hồ sơ đã bị người khác sửa / The version you looked at; refused if the case changed since.")
    var expectVersion: Int?
    @Flag(help: "In hồ sơ dạng JSON / Print the case as JSON") var json = false
}

/// Runs one workflow action from the CLI, then reports the new state.
func transition(_ global: GlobalOptions, _ t: TransitionOptions, _ make: (any StoreSession, Context) throws -> Action) throws {
    try runCommand(global) { ctx in
        let session = try ctx.open()
        let action = try make(session, ctx)
        let before = try session.resolveCase(t.code)
        let c = try session.perform(action, on: t.code, expectedVersion: t.expectVersion)
        if t.json { return try printCase(session, c.code, history: true) }
        ctx.say("cli.transition.done", c.code, action.name.label(ctx.lang), before.status.label(ctx.lang), c.status.label(ctx.lang))
    }
}

func unitId(_ session: any StoreSession, _ code: String) throws -> Int64 {
    guard let u = try session.unit(code: code) else { throw StoreError.unknownUnit(code) }
    return u.id
}

struct RouteCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "route", abstract: "Chuyển hồ sơ đến đơn vị / Route a case to a unit.")
    @OptionGroup var global: GlobalOptions
    @OptionGroup var t: TransitionOptions
    @Argument(help: "Mã đơn vị / Unit code") var unit: String
    func run() throws { try transition(global, t) { session, _ in .route(unitId: try unitId(session, unit)) } }
}

struct AssignCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "assign", abstract: "Giao cán bộ xử lý / Assign to an official.")
    @OptionGroup var global: GlobalOptions
    @OptionGroup var t: TransitionOptions
    @Argument(help: "Tài khoản cán bộ / Official's login") var login: String
    func run() throws {
        try transition(global, t) { session, _ in
            guard let o = try session.official(login: login) else { throw StoreError.unknownOfficial(login) }
            return .assign(officialId: o.id)
        }
    }
}

struct StartCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "start", abstract: "Bắt đầu xử lý / Start work.")
    @OptionGroup var global: GlobalOptions
    @OptionGroup var t: TransitionOptions
    func run() throws { try transition(global, t) { _, _ in .start } }
}

struct WaitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "wait", abstract: "Yêu cầu bổ sung thông tin, tạm dừng thời hạn / Ask for information; the clock pauses.")
    @OptionGroup var global: GlobalOptions
    @OptionGroup var t: TransitionOptions
    @Option(name: [.short, .customLong("message")], help: "Nội dung yêu cầu / What is requested") var message: String = ""
    @OptionGroup var letter: CitizenTextOptions
    @Option(help: "Số quyết định tạm đình chỉ (quy định chỉ cho tạm dừng bằng quyết định) / Suspension decision number (rules that pause only by a decision)")
    var decision: String?
    @Option(help: "Căn cứ tạm đình chỉ, mã trong quy định (pakn rules list --json) / Suspension ground, a code of the rule's")
    var ground: String?

    func validate() throws {
        if (decision == nil) != (ground == nil) {
            throw ValidationError("--decision và --ground đi cùng nhau / --decision and --ground go together")
        }
    }

    func run() throws {
        try transition(global, t) { session, _ in
            .wait(request: try letter.text(session, t.code, .wait, extra: message).text,
                  suspension: decision.map { Suspension(decision: $0, ground: ground ?? "") })
        }
    }
}

struct ResumeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "resume", abstract: "Tiếp tục xử lý / Resume; the clock restarts.")
    @OptionGroup var global: GlobalOptions
    @OptionGroup var t: TransitionOptions
    @Option(name: [.short, .customLong("message")], help: "Ghi chú / Note") var message: String?
    func run() throws { try transition(global, t) { _, _ in .resume(note: message) } }
}

struct ReplyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "reply", abstract: "Trả lời công dân, hồ sơ thành đã trả lời / Reply to the citizen; resolves the case.")
    @OptionGroup var global: GlobalOptions
    @OptionGroup var t: TransitionOptions
    @Option(name: [.short, .customLong("message")], help: "Nội dung trả lời / Reply text") var message: String?
    @Option(help: "Đọc nội dung từ tệp (- là stdin) / Read it from a file (- for stdin)") var file: String?
    @OptionGroup var letter: CitizenTextOptions
    func run() throws {
        try transition(global, t) { session, _ in
            var text = message ?? ""
            if let file { text = try readText(file) }
            return .reply(text: CitizenText.clean(try letter.text(session, t.code, .reply, extra: text).text, multiline: true))
        }
    }
}

struct NotifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "notify",
        abstract: "Gửi thông báo cho công dân (tiếp nhận, thụ lý); hồ sơ giữ nguyên trạng thái / Send the citizen a notice (receipt, acceptance); the case keeps its status.")
    @OptionGroup var global: GlobalOptions
    @OptionGroup var t: TransitionOptions
    @Option(name: [.short, .customLong("message")], help: "Nội dung thông báo / Notice text") var message: String = ""
    @Option(help: "Mục đích khi không dùng mẫu / Purpose without a template: \(TemplatePurpose.purposes(for: .notice).map(\.rawValue).joined(separator: " | "))")
    var purpose: String = TemplatePurpose.acknowledgement.rawValue
    @OptionGroup var letter: CitizenTextOptions
    func run() throws {
        try transition(global, t) { session, _ in
            let allowed = TemplatePurpose.purposes(for: .notice)
            guard let p = TemplatePurpose(rawValue: purpose), allowed.contains(p) else {
                throw Message("tpl.bad_purpose", purpose, allowed.map(\.rawValue).joined(separator: ", "))
            }
            let made = try letter.text(session, t.code, .notice, extra: message)
            return .notify(text: made.text, purpose: made.purpose ?? p)
        }
    }
}

/// Text sent to the citizen from a template: in Vietnamese unless `--citizen-lang` says
/// otherwise, whatever the language of pakn's own messages (`--lang`, LANG).
struct CitizenTextOptions: ParsableArguments {
    @Option(help: "Dùng mẫu (xem: pakn templates) / Use a template (see: pakn templates)") var template: String?
    @Option(help: "Ngôn ngữ văn bản gửi công dân / Language of the text sent to the citizen: vi | en") var citizenLang: String = "vi"
    @Option(help: "Cơ quan có thẩm quyền, cho mẫu nêu cơ quan đó / The competent authority, for a template that names it") var authority: String?

    func lang() throws -> Lang {
        guard let l = Lang(rawValue: citizenLang.lowercased()) else { throw Message("tpl.bad_lang", citizenLang) }
        return l
    }

    /// The template filled for the case (with `extra` after it), or `extra` alone. A
    /// template with `{reason}` takes `extra` as its reason instead.
    func text(_ session: any StoreSession, _ code: String, _ action: ActionName, extra: String,
              targetUnitId: Int64? = nil) throws -> (text: String, purpose: TemplatePurpose?) {
        let lang = try lang()
        guard let template else { return (extra, nil) }
        let l = try session.letter(template: template, caseRef: code, action: action, citizenLang: lang,
                              authority: authority, reason: extra, targetUnitId: targetUnitId)
        let usedAsReason = try session.templateNeedsReason(template, lang: lang)
        let more = extra.trimmingCharacters(in: .whitespacesAndNewlines)
        return (more.isEmpty || usedAsReason ? l.text : l.text + "\n\n" + more, l.purpose)
    }
}

struct CloseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "close", abstract: "Đóng hồ sơ / Close the case.")
    @OptionGroup var global: GlobalOptions
    @OptionGroup var t: TransitionOptions
    func run() throws { try transition(global, t) { _, _ in .close } }
}

struct RejectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "reject", abstract: "Từ chối, kèm lý do / Reject, with a reason.")
    @OptionGroup var global: GlobalOptions
    @OptionGroup var t: TransitionOptions
    @Option(help: "Lý do / Reason") var reason: String = ""
    @OptionGroup var letter: CitizenTextOptions
    func run() throws {
        try transition(global, t) { session, _ in .reject(reason: try letter.text(session, t.code, .reject, extra: reason).text) }
    }
}

struct ReopenCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "reopen", abstract: "Mở lại hồ sơ / Reopen the case.")
    @OptionGroup var global: GlobalOptions
    @OptionGroup var t: TransitionOptions
    @Option(help: "Lý do / Reason") var reason: String = ""
    func run() throws { try transition(global, t) { _, _ in .reopen(reason: reason) } }
}

struct TransferCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "transfer", abstract: "Chuyển sang đơn vị khác / Transfer to another unit.")
    @OptionGroup var global: GlobalOptions
    @OptionGroup var t: TransitionOptions
    @Argument(help: "Mã đơn vị / Unit code") var unit: String
    @Option(help: "Lý do / Reason") var reason: String = ""
    @OptionGroup var letter: CitizenTextOptions
    func run() throws {
        try transition(global, t) { session, _ in
            let target = try unitId(session, unit)
            return .transfer(unitId: target, reason: try letter.text(session, t.code, .transfer, extra: reason, targetUnitId: target).text)
        }
    }
}

struct EscalateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "escalate", abstract: "Chuyển lên cấp trên / Escalate to the parent unit.")
    @OptionGroup var global: GlobalOptions
    @OptionGroup var t: TransitionOptions
    @Option(help: "Lý do / Reason") var reason: String = ""
    func run() throws { try transition(global, t) { _, _ in .escalate(parentUnitId: 0, reason: reason) } }
}

struct ExtendCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "extend", abstract: "Gia hạn giải quyết / Extend the deadline.")
    @OptionGroup var global: GlobalOptions
    @OptionGroup var t: TransitionOptions
    @Option(help: "Lý do / Reason") var reason: String = ""
    @Flag(help: "Ghi gia hạn quyết định sau khi đã quá hạn (lãnh đạo) / Record an extension decided after the time limit (supervisors)")
    var late = false
    func run() throws { try transition(global, t) { _, _ in .extend(reason: reason, late: late) } }
}

struct AcceptCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "accept", abstract: "Thụ lý hồ sơ; thời hạn giải quyết bắt đầu từ hôm nay / Accept the case; the resolution clock starts today.")
    @OptionGroup var global: GlobalOptions
    @OptionGroup var t: TransitionOptions
    @Option(name: [.short, .customLong("message")], help: "Ghi chú (số thông báo thụ lý…) / Note (the acceptance notice's number…)") var message: String?
    @OptionGroup var letter: CitizenTextOptions
    func run() throws {
        try transition(global, t) { session, _ in
            // The notice of acceptance sent to the citizen (a template of purpose acceptance), recorded with the step.
            let text = try letter.text(session, t.code, .accept, extra: message ?? "").text
            return .accept(note: text.isEmpty ? nil : text)
        }
    }
}

struct ComplexCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "complex", abstract: "Xác định vụ việc phức tạp: thời hạn dài hơn theo luật / Mark the case complex: the law's longer limit applies.")
    @OptionGroup var global: GlobalOptions
    @OptionGroup var t: TransitionOptions
    @Option(help: "0 bình thường, 1 phức tạp, 2 đặc biệt phức tạp / 0 ordinary, 1 complex, 2 especially complex")
    var level: Int = 1
    @Option(help: "Lý do / Reason") var reason: String = ""

    func validate() throws {
        guard (0...2).contains(level) else { throw ValidationError("--level: 0, 1, 2") }
    }

    func run() throws { try transition(global, t) { _, _ in .markComplex(level: level, reason: reason) } }
}

struct MergeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "merge", abstract: "Gộp hồ sơ trùng vào hồ sơ chính / Merge a duplicate into a master case.")
    @OptionGroup var global: GlobalOptions
    @OptionGroup var t: TransitionOptions
    @Option(help: "Mã hồ sơ chính / Master case code") var into: String
    func run() throws {
        try transition(global, t) { session, ctx in
            // A master outside one's units answers exactly as a code that does not exist.
            .merge(masterId: try session.resolveCase(into).id)
        }
    }
}

struct RateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "rate", abstract: "Ghi đánh giá của công dân (1–5) / Record the citizen's rating (1–5).")
    @OptionGroup var global: GlobalOptions
    @OptionGroup var t: TransitionOptions
    @Argument(help: "Điểm 1–5 / Score 1–5") var score: Int
    @Option(help: "Lý do, phân cách dấu phẩy / Reason codes, comma-separated: \(RatingReason.allCases.map(\.rawValue).joined(separator: ","))")
    var reasons: String?
    @Option(help: "Ý kiến / Comment") var comment: String?
    func run() throws {
        try transition(global, t) { _, _ in
            let rs = try (reasons ?? "").split(separator: ",").map {
                guard let r = RatingReason(rawValue: String($0)) else { throw StoreError.invalidValue(field: "--reasons", value: String($0)) }
                return r
            }
            return .rate(Rating(score: score, reasons: rs, comment: comment.map { CitizenText.clean($0, multiline: true) }))
        }
    }
}

struct NoteCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "note", abstract: "Ghi chú nội bộ / Add an internal note.")
    @OptionGroup var global: GlobalOptions
    @OptionGroup var t: TransitionOptions
    @Argument(help: "Nội dung / Text") var text: String
    func run() throws { try transition(global, t) { _, _ in .note(text: CitizenText.clean(text, multiline: true)) } }
}
