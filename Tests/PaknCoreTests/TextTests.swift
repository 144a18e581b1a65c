import Foundation
import Testing
@testable import PaknCore

private func isNFC(_ s: String) -> Bool {
    Array(s.unicodeScalars) == Array(s.precomposedStringWithCanonicalMapping.unicodeScalars)
}

private func nfd(_ s: String) -> String { s.decomposedStringWithCanonicalMapping }

@Suite("Vietnamese folding")
struct VietnameseFoldTests {
    @Test("Folding drops tones and marks, đ becomes d", arguments: [
        ("Đường", "duong"),
        ("Hà Nội", "ha noi"),
        ("ĐƯỜNG LÁNG", "duong lang"),
        ("Phường Hoàn Kiếm", "phuong hoan kiem"),
        ("Thừa Thiên Huế", "thua thien hue"),
        ("đèn đường hỏng", "den duong hong"),
        ("Ngõ 5, số 12", "ngo 5, so 12"),
        ("khiếu nại", "khieu nai"),
        ("Ỷ Lan", "y lan"),
    ])
    func fold(text: String, folded: String) {
        #expect(VietnameseFold.fold(text) == folded)
        #expect(VietnameseFold.fold(nfd(text)) == folded, "NFD input folds the same")
    }

    @Test func foldIsPlainASCIIForVietnamese() {
        let sample = "Tiếng Việt có các chữ ă â đ ê ô ơ ư và năm dấu: à á ả ã ạ; ẰẮẲẴẶ ỪỨỬỮỰ"
        let f = VietnameseFold.fold(sample)
        #expect(f.unicodeScalars.allSatisfy { $0.isASCII }, "\(f)")
        #expect(f == f.lowercased())
    }

    @Test func foldIsIdempotent() {
        for s in ["Đường Láng", "Hà Nội", "ĐẠI CỒ VIỆT", nfd("Quảng Ngãi")] {
            let once = VietnameseFold.fold(s)
            #expect(VietnameseFold.fold(once) == once)
        }
    }

    @Test func queryAndDocumentMeet() {
        // The whole point: what people type without marks finds what was written with them.
        let doc = VietnameseFold.words("Đèn đường ở ngõ 5 Hàng Bạc, Hà Nội bị hỏng!")
        for q in ["duong", "ha noi", "hang bac", "HỎNG", "ngo 5"] {
            let words = VietnameseFold.words(q)
            #expect(!words.isEmpty)
            #expect(words.allSatisfy(doc.contains), "\(q) → \(words) not in \(doc)")
        }
    }

    @Test func wordsAreLettersAndDigits() {
        #expect(VietnameseFold.words("Phường Hoàn Kiếm – Hà Nội, 2026!") == ["phuong", "hoan", "kiem", "ha", "noi", "2026"])
        #expect(VietnameseFold.words("  ...  ") == [])
        #expect(VietnameseFold.words(nfd("Số 12/5 ngõ Huế")) == ["so", "12", "5", "ngo", "hue"])
    }
}

@Suite("Citizen text cleaning")
struct CitizenTextTests {
    @Test func nfdBecomesNFC() {
        let input = nfd("Đường Nguyễn Trãi ngập nước")
        #expect(!isNFC(input))
        let out = CitizenText.clean(input, multiline: false)
        #expect(isNFC(out))
        #expect(out == "Đường Nguyễn Trãi ngập nước")
    }

    @Test func lineEndings() {
        #expect(CitizenText.clean("dòng 1\r\ndòng 2", multiline: true) == "dòng 1\ndòng 2")
        #expect(CitizenText.clean("dòng 1\r\ndòng 2\tcột", multiline: true) == "dòng 1\ndòng 2\tcột")
        #expect(CitizenText.clean("dòng 1\r\ndòng 2\tcột", multiline: false) == "dòng 1 dòng 2 cột")
    }

    @Test func singleLineIsTrimmed() {
        #expect(CitizenText.clean("  \tNguyễn Văn An \n", multiline: false) == "Nguyễn Văn An")
        #expect(CitizenText.clean("  Nội dung  ", multiline: true) == "  Nội dung  ", "multi-line text keeps its layout")
    }

    @Test("Unsafe scalars are removed", arguments: [
        "\u{0}", "\u{7}", "\u{8}", "\u{1B}", "\u{7F}", "\u{85}", "\u{9B}",
        "\u{202A}", "\u{202B}", "\u{202C}", "\u{202D}", "\u{202E}",
        "\u{2066}", "\u{2067}", "\u{2068}", "\u{2069}", "\u{200E}", "\u{200F}", "\u{061C}",
    ])
    func unsafeRemoved(bad: String) {
        let scalar = bad.unicodeScalars.first!
        #expect(CitizenText.isUnsafe(scalar))
        for multiline in [false, true] {
            let out = CitizenText.clean("Phản\(bad)ánh", multiline: multiline)
            #expect(out == "Phảnánh")
            #expect(!out.unicodeScalars.contains(scalar))
        }
    }

    @Test func terminalEscapeIsDefused() {
        // ESC [ 2 J would clear the official's screen; without ESC it is harmless text.
        let out = CitizenText.clean("Xin chào\u{1B}[2J\u{1B}]0;pwned\u{7}", multiline: true)
        #expect(!out.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" && $0 != "\t" })
    }

    @Test("Ordinary text is kept as is", arguments: [
        "Đèn đường hỏng", "Số điện thoại: 0912 345 678", "Giá 50.000đ — “khẩn”", "😀 cảm ơn", "中文",
    ])
    func safeKept(text: String) {
        #expect(CitizenText.clean(text, multiline: false) == text)
        #expect(text.unicodeScalars.allSatisfy { !CitizenText.isUnsafe($0) })
    }

    @Test func limitsAreSane() {
        #expect(CitizenText.maxLineFieldLength > 0)
        #expect(CitizenText.maxBodyLength > CitizenText.maxLineFieldLength)
    }

    @Test(arguments: ["e\u{7}\u{301}", "a\u{200E}\u{300}", "o\u{202E}\u{31B}\u{301}"])
    func outputIsAlwaysNFC(text: String) {
        for multiline in [false, true] {
            #expect(isNFC(CitizenText.clean(text, multiline: multiline)))
        }
    }
}
