import Foundation
import PaknCore
import Testing

extension DeskEndToEndTests {
    struct Call {
        var category: String
        var address: String
        var title: String
        var body: String
        var name: String
        var phone: String
    }

    /// Issue 15, "Intake at the desk": a hotline clerk takes three calls through the form,
    /// keyboard only; the third is the same petition as the first (same ward, the same
    /// words without accents), merged into it with `M-1` as it is taken in. At 80×24 in
    /// Vietnamese and 160×48 in English.
    @Test(arguments: [(80, 24, Lang.vi), (160, 48, Lang.en)])
    func aClerkTakesThreeCallsThroughTheFormOneADuplicate(width: Int, height: Int, lang: Lang) throws {
        let db = try Self.database()
        func t(_ key: String, _ args: CustomStringConvertible...) -> String { L10n.format(key, lang, args.map(\.description)) }
        let calls = [
            Call(category: lang == .vi ? "dien nuoc" : "electric", address: "Ngõ 12 phố Hàng Bông",
                 title: "Đèn chiếu sáng ngõ 12 Hàng Bông hỏng nhiều ngày",
                 body: "Ông Bình gọi: cả ngõ tối từ thứ Sáu, người già đi lại khó khăn.", name: "Nguyễn Văn Bình", phone: "0912 345 678"),
            Call(category: lang == .vi ? "moi truong" : "environ", address: "45 phố Huế",
                 title: "Rác thải tập kết sai nơi quy định trước số 45 phố Huế",
                 body: "Rác đổ bừa bãi trên vỉa hè, bốc mùi.", name: "Trần Thị Hà", phone: "0987654321"),
            // The same street light, typed as the caller says it, without accents.
            Call(category: lang == .vi ? "dien nuoc" : "electric", address: "Hang Bong",
                 title: "den chieu sang ngo 12 Hang Bong bi hong",
                 body: "Bà Lan gọi báo đèn ngõ 12 không sáng.", name: "Lê Thị Lan", phone: "024 3825 1234"),
        ]
        let desk = try DeskTmux(Self.desk(db, as: Self.clerk, lang: lang.rawValue), width: width, height: height)
        defer { desk.stop() }
        desk.waitFor(text: t("desk.view.triage"))
        var codes: [String] = []
        for (i, call) in calls.enumerated() {
            desk.press("N")
            desk.waitFor(text: t("desk.intake.title"))
            desk.press("Tab", "Tab")
            desk.type(call.category)
            // The ward is the clerk's own: on to the location.
            desk.press("Tab", "Tab")
            desk.type(call.address)
            desk.press("Tab")
            desk.type(call.title)
            if i == 2 {
                // The first call is offered as a possible duplicate: M-1 merges into it.
                desk.waitFor(text: "M-1 " + codes[0])
                desk.press("M-1")
                desk.waitFor(text: "◀ " + t("desk.intake.merge_mark"))
            }
            desk.press("Tab")
            desk.type(call.body)
            desk.press("Tab")
            desk.type(call.name)
            desk.press("Tab")
            desk.type(call.phone)
            desk.press("C-s")
            let taken = t("desk.intake.done", "@").components(separatedBy: "@")[0]
            // The form gone (its title and its key line: a screen caught mid-redraw can have
            // lost one and not yet the other) and the notice shown.
            let formKeys = t("desk.intake.hint", "@", "@", "@", "@", "@", "@").components(separatedBy: "@")[2]
            let done = desk.waitFor("the case taken in") {
                !$0.contains(t("desk.intake.title")) && !$0.contains(formKeys) && $0.contains(taken)
            }
            // The notice names the new case (and where it went); it may wrap.
            let lines = done.components(separatedBy: "\n")
            let at = lines.lastIndex { $0.contains(taken) } ?? 0
            let notice = lines[at...].prefix(3).joined(separator: " ")
            let code = try #require(notice.caseCodes.first { !codes.contains($0) }, "\(done)")
            codes.append(code)
            if i == 2 {
                #expect(notice.contains(codes[0]), "\(done)")
            }
        }
        desk.press("q")
        #expect(desk.exitStatus() == 0)

        // As the CLI sees them: taken in at the desk's clock, on the hotline, routed; the
        // third merged into the first.
        for (i, code) in codes.enumerated() {
            let c = try db.ok(["--as", Self.clerk, "show", code, "--json"]).object()
            #expect(c["title"] as? String == calls[i].title)
            #expect(c["channel"] as? String == "hotline")
            #expect(c["ward_code"] as? String == "00070")
            #expect((c["received_at"] as? String)?.hasPrefix("2026-11-23T09:00") == true, "\(c["received_at"] ?? "")")
            #expect((c["reporter"] as? [String: Any])?["name"] != nil)
            if i < 2 { #expect(c["status"] as? String == "routed", "\(code)") }
        }
        let third = try db.ok(["--as", Self.clerk, "show", codes[2], "--json"]).object()
        #expect(third["status"] as? String == "merged")
        #expect(third["master"] as? String == codes[0])
        let first = try db.ok(["--as", Self.clerk, "show", codes[0], "--json"]).object()
        #expect(first["duplicates"] as? [String] == [codes[2]])
        #expect(try db.ok(["--as", "taphuan", "audit", "verify"]).status == 0)
    }
}
