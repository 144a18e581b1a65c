import Foundation
import PaknDemo
@testable import PaknServe
import Testing

/// `RequestFields.formDecoded` decodes a form value byte by byte; it must take and refuse
/// exactly what Foundation's "+" → space then `removingPercentEncoding` did: fixed-seed random
/// values built from the pieces that matter (percent escapes good and bad, "+", UTF-8 of one to
/// four bytes, escapes of invalid UTF-8, a stray "%" at the end).
@Suite struct FormDecodingTests {
    static let pieces = ["a", "Z", "0", "+", " ", "%20", "%2B", "%25", "%e1%BA%A1", "%C3%A0", "%F0%9F%9A%A6", "%", "%4", "%G1",
                         "%zz", "%C3", "%80", "%FF", "%ED%A0%80", "Đường", "ạ", "🚦", "%00", "%0A", "=", "&", "%E2%80%AE", "~"]

    static func reference(_ s: String) -> String? {
        s.replacingOccurrences(of: "+", with: " ").removingPercentEncoding
    }

    @Test func decodesAndRefusesAsFoundationDid() {
        var rng = SeededRandom(seed: 20261207)
        var refused = 0, decoded = 0
        for _ in 0..<20_000 {
            let n = Int(rng.next() % 7)
            let s = (0..<n).map { _ in Self.pieces[Int(rng.next() % UInt64(Self.pieces.count))] }.joined()
            let mine = RequestFields.formDecoded(Substring(s).utf8)
            #expect(mine == Self.reference(s), "\(s.debugDescription)")
            if mine == nil { refused += 1 } else { decoded += 1 }
        }
        // Both kinds were tried many times.
        #expect(refused > 1000 && decoded > 1000, "\(refused) refused, \(decoded) decoded")
        #expect(RequestFields.formDecoded(Substring("%C4%90%C3%A8n+%F0%9F%9A%A6").utf8) == "Đèn 🚦")
        #expect(RequestFields.formDecoded(Substring("50%").utf8) == nil)
    }

}
