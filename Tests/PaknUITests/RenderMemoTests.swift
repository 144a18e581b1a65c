import Foundation
import PaknCore
import Testing
@testable import PaknUI

/// Frames drawn from remembered rows and details (`RenderMemo`) must equal frames drawn
/// afresh, whatever changed between them: the selection, marks, drafts, focus, view,
/// language, size.
@Suite("Remembered frame pieces", .serialized)
struct RenderMemoTests {
    @Test func framesEqualFramesDrawnAfresh() throws {
        let db = try DemoDB.copy()
        for (login, lang) in [("lanhdao.hanoi", Lang.vi), ("vanthu.hoankiem", .en)] {
            let r = try DemoDB.runner(db, login, width: 160, height: 48, view: .all, lang: lang)
            var keys: [Key] = [.down, .down, .up, .pageDown, .pageDown, .pageUp, .char(" "), .down, .char(" "), .end, .home,
                               .char("2"), .down, .char("8"), .pageDown, .tab, .down, .tab, .char("R")]
            keys += Array("Đã tiếp nhận").map { Key.char($0) }
            keys += [.escape, .down, .up, .resize(width: 120, height: 40), .down, .resize(width: 81, height: 30), .pageDown,
                     .char("5"), .down, .char("]"), .down, .resize(width: 200, height: 60), .char("/")]
            keys += Array("nuoc").map { Key.char($0) } + [.enter, .down, .down]
            var checked = 0
            for k in keys {
                r.send(k)
                let remembered = r.frame()
                RenderMemo.shared.clear()
                let fresh = r.frame()
                #expect(remembered == fresh, "\(login) after \(k)")
                // And drawn again straight from what the fresh frame remembered.
                #expect(r.frame() == fresh, "\(login) after \(k), second time")
                checked += 1
            }
            #expect(checked == keys.count)
        }
    }
}
