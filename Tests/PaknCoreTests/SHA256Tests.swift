import Foundation
import Testing
@testable import PaknCore

/// Expected digests come from FIPS 180-2 appendix B and from coreutils `sha256sum`
/// / Python `hashlib`, never from the code under test.
@Suite("SHA-256")
struct SHA256Tests {
    @Test("Published test vectors", arguments: [
        ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        ("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
         "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"),
        ("The quick brown fox jumps over the lazy dog",
         "d7a8fbb307d7809469ca9abcb0082e4f8d5651e46d3cdb762d02d0bf37c9e592"),
    ])
    func vectors(text: String, hex: String) {
        #expect(SHA256.hex(text) == hex)
    }

    @Test func vietnameseIsHashedAsUTF8() {
        #expect(SHA256.hex("Hà Nội") == "6ac69af836de8007fe7da283ce10821ab484ae1af98a30ae13b0b23914a0bb79")
        #expect(SHA256.hex("Đường Láng") == "92c3223aad7ba0e99f36c21832b49f2ed18014cf83d1c333e13fcbb846cc05a5")
        // NFD is different bytes, so a different digest: callers must normalize before hashing.
        let nfd = "Hà Nội".decomposedStringWithCanonicalMapping
        #expect(SHA256.hex(nfd) == "60cfd84c73f9e39258a61cb03531f49717dd201ba1c6c478f9c066b62f1988ae")
    }

    static func pattern(_ n: Int) -> [UInt8] { (0..<n).map { UInt8(($0 * 7 + 3) % 256) } }

    @Test("Lengths around the padding boundaries", arguments: [
        (55, "e7313d333c272e639f790978283f9eb392e843d0f29b7016828bb1daa4aac70b"),
        (56, "4324d65f3c103567f5589c710bc08f8523f929a9272e3af36fc968e52abc6c27"),
        (63, "81c80242132f230c3bd41b3e63bbcff16107339549214a99614ff26664625055"),
        (64, "39e3d7b6b5d075d37d053ad89b24b41bef4f3c29760c84447cab3f3be1882241"),
        (65, "aacca6ff74fdbb296d165a45cecfa04e5127bc008770fbbdd48006f2d2fae95e"),
        (119, "9ce7368e4daf32341631b492e80359dc9f594b48453cd0dd5bf0b19279cc177e"),
        (120, "7836b787757e95e58b3ca5aec90b1b004e8deba1e50e9675af9cabf1a13a04b5"),
        (127, "a8d23e75d936f303d248888d9b165ee543f4cbafcad3c9dd2a79bd84faa11d07"),
        (128, "d2742f1f4ac6bb7ca2b239ee18402ba8b3f9f8e652d2a72973c2b9ba11c08cf6"),
        (1000, "1e9bc38cbf860b9ec31918b065f9b52476c549a782e0e7990bed8ce3868d2371"),
    ])
    func boundaries(length: Int, hex: String) {
        #expect(SHA256.hex(Self.pattern(length)) == hex)
    }

    @Test func incrementalEqualsOneShot() {
        let bytes = Self.pattern(1000)
        let expected = SHA256.hex(bytes)
        for chunk in [1, 3, 55, 63, 64, 65, 999] {
            var h = SHA256()
            var i = 0
            while i < bytes.count {
                h.update(bytes[i..<min(i + chunk, bytes.count)])
                i += chunk
            }
            let hex = h.finalize().map { String(format: "%02x", $0) }.joined()
            #expect(hex == expected, "chunks of \(chunk)")
        }
        var s = SHA256()
        s.update("Hà ")
        s.update("Nội")
        #expect(s.finalize().count == 32)
        #expect(SHA256.hex("Hà Nội") == "6ac69af836de8007fe7da283ce10821ab484ae1af98a30ae13b0b23914a0bb79")
    }

    @Test func millionAs() {
        var h = SHA256()
        let block = [UInt8](repeating: UInt8(ascii: "a"), count: 1000)
        for _ in 0..<1000 { h.update(block) }
        let hex = h.finalize().map { String(format: "%02x", $0) }.joined()
        #expect(hex == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    @Test func digestAndHexAgree() {
        for n in [0, 1, 55, 64, 1000] {
            let bytes = Self.pattern(n)
            let d = SHA256.digest(bytes)
            #expect(d.count == 32)
            #expect(SHA256.toHex(d) == SHA256.hex(bytes))
        }
        #expect(SHA256.toHex([0x00, 0x0f, 0xa0, 0xff]) == "000fa0ff")
        #expect(SHA256.toHex([]) == "")
    }

    @Test func hexIsLowercaseAndPadded() {
        let hex = SHA256.hex("")
        #expect(hex.count == 64)
        #expect(hex.allSatisfy { "0123456789abcdef".contains($0) })
    }
}
