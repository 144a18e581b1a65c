import Foundation
import Testing
@testable import PaknCore

/// The fast paths of folding and cleaning (taken for nearly every case of a bulk load) give
/// exactly what the general rules give.
@Suite struct FastTextTests {
    /// Every scalar the fast paths handle, plus neighbours they hand to the general rule.
    static let scalars: [Unicode.Scalar] = (Array(0x00...0x2FF) + Array(0x300...0x36F) + Array(0x1E00...0x1EFF) + Array(0x1F00...0x2100)
        + [0x2126, 0x212B, 0xAC00, 0x1100, 0x1161, 0xF900, 0x0958, 0xFB1D, 0x2ADC, 0x10FFFF, 0xFEFF, 0x202E])
        .compactMap { Unicode.Scalar(UInt32($0)) }

    @Test func foldingScalarByScalarIsTheGeneralRule() {
        for s in Self.scalars {
            #expect(VietnameseFold.fold(String(s)) == VietnameseFold.reference(String(s)), "U+\(String(s.value, radix: 16))")
        }
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<3000 {
            let text = String(String.UnicodeScalarView((0..<Int.random(in: 0...12, using: &rng)).map { _ in Self.scalars.randomElement(using: &rng)! }))
            #expect(VietnameseFold.fold(text) == VietnameseFold.reference(text), "\(text.unicodeScalars.map { $0.value })")
        }
        #expect(VietnameseFold.fold("Đường Hà Nội ĐỒNG") == "duong ha noi dong")
        #expect(VietnameseFold.fold("Đu\u{031B}\u{0300}o\u{031B}ng") == "duong")
    }

    @Test func foldingIntoABufferAppendsTheFolding() {
        for text in ["Đường Hà Nội", "", "ASCII only 123", "😀 Ωμέγα ß 路灯 e\u{0301}", "Ngập-nước “phố”…"] {
            var out = Array("x ".utf8)
            VietnameseFold.fold(text, into: &out)
            #expect(String(decoding: out, as: UTF8.self) == "x " + VietnameseFold.reference(text), "\(text)")
        }
    }

    @Test func foldingUTF8BytesIsFoldingTheString() {
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<2000 {
            let text = String(String.UnicodeScalarView((0..<Int.random(in: 0...12, using: &rng)).map { _ in Self.scalars.randomElement(using: &rng)! }))
            var out: [UInt8] = []
            let ok = Array(text.utf8).withUnsafeBufferPointer { VietnameseFold.fold(utf8: $0, into: &out) }
            #expect(ok && String(decoding: out, as: UTF8.self) == VietnameseFold.fold(text))
        }
        // Not UTF-8: a lone continuation byte, a cut sequence, an overlong form, a surrogate, beyond U+10FFFF.
        for bad: [UInt8] in [[0x80], [0x61, 0xC3], [0xE1, 0x80], [0xC0, 0x80], [0xE0, 0x80, 0x80], [0xED, 0xA0, 0x80],
                             [0xF4, 0x90, 0x80, 0x80], [0xFF], [0xC3, 0x41]] {
            var out: [UInt8] = []
            #expect(!bad.withUnsafeBufferPointer { VietnameseFold.fold(utf8: $0, into: &out) }, "\(bad)")
        }
    }

    @Test func cleaningPlainTextIsTheGeneralRule() {
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<3000 {
            let text = String(String.UnicodeScalarView((0..<Int.random(in: 0...12, using: &rng)).map { _ in Self.scalars.randomElement(using: &rng)! }))
            for multiline in [true, false] {
                #expect(CitizenText.clean(text, multiline: multiline) == CitizenText.reference(text, multiline: multiline),
                        "\(text.unicodeScalars.map { $0.value }) \(multiline)")
            }
        }
        for s in Self.scalars {
            for multiline in [true, false] {
                #expect(CitizenText.clean(String(s), multiline: multiline) == CitizenText.reference(String(s), multiline: multiline))
            }
        }
        #expect(CitizenText.isPlain("Ngập nước phố Huế, số 10", multiline: false))
        #expect(!CitizenText.isPlain("e\u{0301}", multiline: true))
    }
}
