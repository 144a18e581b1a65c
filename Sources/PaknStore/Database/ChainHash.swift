import CPaknHash
import PaknCore

/// SHA-256 for the hash chains (events, access log): the CPU's SHA instructions where it
/// has them (x86 SHA-NI: ~0.35 µs for an event's 360 bytes against ~2 µs), else the
/// portable `PaknCore.SHA256`. The same digest either way (`ChainHashTests`).
enum ChainHash {
    static let hardware = pakn_sha256_hw_available() != 0

    static func digest(_ bytes: [UInt8]) -> [UInt8] {
        guard hardware, !bytes.isEmpty else { return SHA256.digest(bytes) }
        var out = [UInt8](repeating: 0, count: 32)
        let done = bytes.withUnsafeBufferPointer { b in
            out.withUnsafeMutableBufferPointer { o in pakn_sha256_hw(b.baseAddress, b.count, o.baseAddress) }
        }
        return done != 0 ? out : SHA256.digest(bytes)
    }
}
