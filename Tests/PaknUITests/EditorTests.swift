import Foundation
import PaknCore
import Testing
@testable import PaknUI

@Suite("Text editor and wrapping")
struct EditorTests {
    @Test func nfdInputComposesIntoNFC() {
        var ed = TextEditor()
        // "Đường" typed as NFD, one scalar per key as a terminal delivers it.
        for scalar in "Đường".decomposedStringWithCanonicalMapping.unicodeScalars {
            ed.insert(String(scalar))
        }
        #expect(ed.text == "Đường")
        #expect(Array(ed.text.unicodeScalars) == Array("Đường".precomposedStringWithCanonicalMapping.unicodeScalars))
        #expect(ed.currentLine.count == 5)
        #expect(ed.col == 5)
        // Backspace removes whole characters: "g", "n", then "ờ" with both its marks.
        ed.backspace(); ed.backspace(); ed.backspace()
        #expect(ed.text == "Đư")
    }

    @Test func stackedMarksComposeStepByStep() {
        var ed = TextEditor()
        ed.insert("e"); ed.insert("\u{0302}"); ed.insert("\u{0301}")
        #expect(ed.text == "ế")
        #expect(ed.text.unicodeScalars.count == 1)
    }

    @Test func editingInTheMiddleAndAcrossLines() {
        var ed = TextEditor("Kính gửi\nUBND phường")
        #expect(ed.row == 1 && ed.col == 11)
        ed.lineStart()
        ed.backspace() // joins the lines
        #expect(ed.lines.count == 1)
        #expect(ed.text == "Kính gửiUBND phường")
        ed.insert(" ")
        #expect(ed.text == "Kính gửi UBND phường")
        ed.newline()
        #expect(ed.text == "Kính gửi \nUBND phường")
        ed.documentStart()
        ed.deleteForward()
        #expect(ed.text.hasPrefix("ính"))
        ed.killToEnd()
        #expect(ed.lines[0].isEmpty)
    }

    @Test func pasteWithNewlinesAndControls() {
        var ed = TextEditor()
        ed.insert("Dòng 1\r\nDòng\u{1B}[31m 2\tcuối")
        #expect(ed.lines.count == 2)
        #expect(ed.text == "Dòng 1\nDòng[31m 2 cuối")
        #expect(!ed.text.unicodeScalars.contains { $0.value == 0x1B })
        var one = TextEditor("", multiline: false)
        one.insert("a\nb")
        #expect(one.text == "a b")
        one.newline()
        #expect(one.lines.count == 1)
    }

    @Test func deleteWordBackward() {
        var ed = TextEditor("xử lý dứt điểm  ")
        ed.deleteWordBackward()
        #expect(ed.text == "xử lý dứt ")
    }

    @Test func wrapsByDisplayWidthWithWideCharacters() {
        // 路灯坏了 is 4 characters but 8 columns.
        let rows = Wrap.lines("Đèn 路灯坏了 hỏng", width: 8)
        for r in rows { #expect(TerminalText.width(r) <= 8, "\(r)") }
        #expect(rows.joined(separator: " ").replacingOccurrences(of: "  ", with: " ") == "Đèn 路灯坏了 hỏng")
        #expect(Wrap.lines("", width: 5) == [""])
        #expect(Wrap.lines("a\n\nb", width: 5) == ["a", "", "b"])
    }

    @Test func segmentsCoverEveryCharacterOnce() {
        let chars = Array("Người dân phản ánh 🎤🎶 tiếng ồn 路灯 ban đêm rất nhiều lần")
        for w in [1, 2, 3, 7, 10, 80] {
            let segs = Wrap.segments(chars, width: w)
            #expect(segs.first?.lowerBound == 0)
            #expect(segs.last?.upperBound == chars.count)
            for (a, b) in zip(segs, segs.dropFirst()) { #expect(a.upperBound == b.lowerBound) }
            if w >= 2 {
                for s in segs {
                    let visible = String(chars[s]).trimmingCharacters(in: .whitespaces)
                    #expect(TerminalText.width(visible) <= w, "width \(w): \(visible)")
                }
            }
        }
    }

    @Test func verticalMovesFollowWrappedRowsAndKeepTheColumn() {
        var ed = TextEditor("một hai ba bốn năm sáu bảy tám")
        // At width 10: "một hai ", "ba bốn ", "năm sáu ", "bảy tám"
        let rows = ed.visualRows(width: 10)
        #expect(rows.count == 4)
        #expect(ed.cursorPosition(width: 10).row == 3)
        ed.moveVertically(by: -1, width: 10)
        #expect(ed.cursorPosition(width: 10).row == 2)
        ed.moveVertically(by: -5, width: 10)
        #expect(ed.cursorPosition(width: 10).row == 0)
        ed.lineStart()
        ed.right(); ed.right()
        ed.moveVertically(by: 1, width: 10)
        let (row, x) = ed.cursorPosition(width: 10)
        #expect(row == 1 && x == 2)
    }

    @Test func cursorColumnCountsWideCharactersTwice() {
        var ed = TextEditor("路灯a")
        ed.lineStart(); ed.right(); ed.right()
        #expect(ed.cursorPosition(width: 40).x == 4)
    }
}

@Suite("Styled wrapping")
struct StyledWrapTests {
    @Test func indentedContinuationLinesStayWithinTheWidth() {
        let spans = [Span("Căn cứ: ", .detailLabel), Span("Quy chế địa phương về tiếp nhận, xử lý phản ánh, kiến nghị 路灯坏了 🎤 của tỉnh", .detailValue)]
        for w in [10, 20, 33, 41, 80] {
            let lines = StyledText.wrap(spans, width: w, indent: 2)
            for l in lines { #expect(StyledText.width(l) <= w, "width \(w): \(l.map(\.text).joined())") }
            // Nothing is lost: the words come back in order.
            let joined = lines.map { $0.map(\.text).joined() }.joined(separator: " ")
            #expect(joined.split(separator: " ").joined(separator: " ")
                    == (spans.map(\.text).joined()).split(separator: " ").joined(separator: " "))
        }
        // Roles survive wrapping: the label stays a label.
        let first = StyledText.wrap(spans, width: 30, indent: 2)[0]
        #expect(first.first == Span("Căn cứ: ", .detailLabel))
    }

    @Test func newlinesInSpansStartNewLines() {
        let lines = StyledText.wrap([Span("một\nhai\n\nba")], width: 20)
        #expect(lines.map { $0.map(\.text).joined() } == ["một", "hai", "", "ba"])
    }
}
