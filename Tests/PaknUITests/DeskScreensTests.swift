import Foundation
import PaknCore
@testable import PaknStore
import Testing
@testable import PaknUI

/// Text captures of the desk on a demo database, as docs/desk-guide.md shows them (its
/// ```text blocks are these files). `PAKN_WRITE_SCREENS=dir swift test --filter DeskScreens`
/// writes them to `dir` to refresh the guide; every run checks that they render and that
/// each screen shows what the guide says about it.
@Suite("Desk screens for the guide", .serialized)
struct DeskScreensTests {
    struct Screen {
        var name: String
        var login: String
        var lang: Lang
        var view: QueueView?
        var keys: [Key]
        /// Text the capture must contain.
        var shows: [String]
    }

    static func text(_ s: String) -> [Key] { s.map { Key.char($0) } }

    static let screens: [Screen] = [
        Screen(name: "queue-vi", login: "lanhdao.hoankiem", lang: .vi, view: .overdue, keys: [],
               shows: ["Quá hạn", "quá hạn", "Theo đơn vị"]),
        Screen(name: "queue-en", login: "lanhdao.hoankiem", lang: .en, view: .overdue, keys: [],
               shows: ["Overdue", "overdue", "By unit"]),
        Screen(name: "detail-vi", login: "canbo.hoankiem.kt", lang: .vi, view: .mine, keys: [.enter, .char("j"), .char("j")],
               shows: ["Chi tiết", "Căn cứ"]),
        Screen(name: "reply-vi", login: "canbo.hoankiem.kt", lang: .vi, view: .mine, keys: [.char("R"), .alt("1")],
               shows: ["Trả lời HN-", "C-s gửi"]),
        Screen(name: "reply-en", login: "canbo.hoankiem.kt", lang: .en, view: .mine, keys: [.char("R"), .alt("1")],
               shows: ["Reply to HN-", "C-s send", "ông/bà"]),
        Screen(name: "assign-vi", login: "vanthu.hoankiem", lang: .vi, view: .unassigned, keys: [.char("a")],
               shows: ["Chọn cán bộ xử lý", "Cán bộ xử lý · "]),
        Screen(name: "status-vi", login: "canbo.hoankiem.kt", lang: .vi, view: .mine, keys: [.char("s")],
               shows: ["Thao tác được phép"]),
        Screen(name: "search-vi", login: "vanthu.hoankiem", lang: .vi, view: .all, keys: [.char("/")] + text("duong"),
               shows: ["/duong"]),
        Screen(name: "rating-vi", login: "vanthu.hoankiem", lang: .vi, view: .awaitingRating,
               keys: [.char("v"), .char("2"), .char("j"), .char(" ")], shows: ["Đánh giá của công dân", "★★☆☆☆"]),
        Screen(name: "confirm-vi", login: "vanthu.hoankiem", lang: .vi, view: .triage,
               keys: [.char("x")] + text("Nội dung không thuộc thẩm quyền") + [.enter], shows: ["(y/n)"]),
        Screen(name: "route-vi", login: "vanthu.hoankiem", lang: .vi, view: .triage, keys: [.char("r")] + text("phong"),
               shows: ["Chọn đơn vị", "Phòng"]),
        Screen(name: "small", login: "vanthu.hoankiem", lang: .vi, view: .triage, keys: [.resize(width: 50, height: 12)],
               shows: ["quá nhỏ"]),
        Screen(name: "wide-vi", login: "canbo.hoankiem.kt", lang: .vi, view: .mine,
               keys: [.resize(width: 160, height: 32), .char("j"), .char("j"), .char("R")] + text("Kính gửi ông/bà,"),
               shows: ["Trả lời HN-", "Chi tiết HN-"]),
        Screen(name: "help-en", login: "vanthu.hoankiem", lang: .en, view: .triage, keys: [.char("?")],
               shows: ["Keys", "Queue"]),
    ]

    @Test func screensRenderAndShowWhatTheGuideSays() throws {
        let db = try DemoDB.copy()
        let dir = ProcessInfo.processInfo.environment["PAKN_WRITE_SCREENS"]
        for sc in Self.screens {
            let r = try DemoDB.runner(db, sc.login, width: 80, height: 24, view: sc.view, lang: sc.lang)
            r.send(sc.keys)
            // As the terminal does when no key is waiting: the list's length is counted then.
            r.idle()
            let text = Self.capture(r.frame())
            for needle in sc.shows { #expect(text.contains(needle), "\(sc.name): \(needle)\n\(text)") }
            if let dir {
                try text.write(toFile: dir + "/" + sc.name + ".txt", atomically: true, encoding: .utf8)
            }
        }
    }

    /// The grid as text, trailing spaces trimmed.
    static func capture(_ g: Grid) -> String {
        (0..<g.height).map { y in
            var l = g.line(y)
            while l.hasSuffix(" ") { l.removeLast() }
            return l
        }.joined(separator: "\n")
    }
}
