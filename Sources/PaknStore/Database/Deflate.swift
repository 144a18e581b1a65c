/// A raw deflate encoder (RFC 1951) for short texts against a preset dictionary: one block
/// with the fixed Huffman codes, LZ77 matches found through hash chains over the dictionary
/// (built once) and over the text itself.
///
/// Why not zlib's `deflate`: zlib has no prepared dictionary. Each value would need
/// `deflateSetDictionary`, which hashes the whole 21 KB dictionary again — about 25 µs per
/// value on the benchmark machine, more than a whole case's bulk write. The dictionary's
/// chains here are built once per process, and a 250-byte event costs a few µs. The output
/// is plain raw deflate, read back by zlib's `inflate` (`PackedText`); every value is read
/// back and compared before it is stored, so a fault here stores plain text, never bytes
/// that do not give the text back. For values this short zlib itself chooses the fixed
/// codes (the tests compare sizes with zlib's level 9).
final class DeflateDictionary: @unchecked Sendable {
    static let hashBits = 15
    /// The bytes, and per position the previous position with the same 4-byte hash
    /// (chains run from the end, the nearest, to the start). Never freed: one per process.
    let bytes: UnsafeMutableBufferPointer<UInt8>
    let head: UnsafeMutableBufferPointer<Int32>
    let prev: UnsafeMutableBufferPointer<Int32>

    /// At most 32,506 bytes: deflate's window less its look-ahead.
    init?(_ b: [UInt8]) {
        guard !b.isEmpty, b.count <= 32768 - 262 else { return nil }
        bytes = .allocate(capacity: b.count)
        _ = bytes.initialize(from: b)
        head = .allocate(capacity: 1 << Self.hashBits)
        head.initialize(repeating: -1)
        prev = .allocate(capacity: b.count)
        prev.initialize(repeating: -1)
        if b.count >= 4 {
            for p in 0...(b.count - 4) {
                let h = DeflateEncoder.hash(UnsafePointer(bytes.baseAddress! + p), bits: Self.hashBits)
                prev[p] = head[h]
                head[h] = Int32(p)
            }
        }
    }

    var count: Int { bytes.count }
}

struct DeflateEncoder {
    /// How hard a match is looked for: candidates tried per position, in the text and in
    /// the dictionary; a match this long is taken at once; a match shorter than `lazyBelow`
    /// is kept only if the next position has no longer one (zlib's lazy matching).
    static let maxChainSelf = 8
    static let maxChainDict = 8
    static let niceLength = 64
    static let lazyBelow = 8

    @inline(__always)
    static func hash(_ p: UnsafePointer<UInt8>, bits: Int) -> Int {
        let v = UInt32(littleEndian: UnsafeRawPointer(p).loadUnaligned(as: UInt32.self))
        return Int((v &* 2_654_435_761) >> UInt32(32 - bits))
    }

    /// The fixed literal/length codes (RFC 1951 §3.2.6), bit-reversed for the LSB-first
    /// stream: the code in the low 16 bits, its length above.
    static let literalCodes: [UInt32] = (0..<288).map { s in
        let (c, n): (UInt32, UInt32)
        switch s {
        case 0...143: (c, n) = (UInt32(0x30 + s), 8)
        case 144...255: (c, n) = (UInt32(0x190 + s - 144), 9)
        case 256...279: (c, n) = (UInt32(s - 256), 7)
        default: (c, n) = (UInt32(0xC0 + s - 280), 8)
        }
        return reversed(c, n) | n << 16
    }
    static let distanceCodes: [UInt32] = (0..<30).map { reversed(UInt32($0), 5) }
    static let lengthBase = [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258]
    static let lengthExtra: [UInt32] = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0]
    static let distanceBase = [1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073,
                               4097, 6145, 8193, 12289, 16385, 24577]
    static let distanceExtra: [UInt32] = [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13]
    /// Match length (3…258) → its length code (0…28, symbol 257 + code).
    static let lengthCode: [UInt8] = {
        var t = [UInt8](repeating: 0, count: 259)
        for i in 0..<28 { for l in lengthBase[i]..<lengthBase[i + 1] { t[l] = UInt8(i) } }
        t[258] = 28
        return t
    }()

    static func reversed(_ c: UInt32, _ n: UInt32) -> UInt32 {
        var r: UInt32 = 0
        for i in 0..<n where c & (1 << i) != 0 { r |= 1 << (n - 1 - i) }
        return r
    }

    /// The distance code (0…29) of a distance (1…32768).
    @inline(__always)
    static func distanceCode(_ d: Int) -> Int {
        if d <= 4 { return d - 1 }
        let b = Int.bitWidth - 1 - (d - 1).leadingZeroBitCount   // ⌊log2(d − 1)⌋
        return 2 * b + ((d - 1) >> (b - 1) & 1)
    }

    /// Room `encode` needs for `n` input bytes: every byte a 9-bit literal, the block's
    /// header and end, and 4 spare bytes for the 32-bit stores.
    static func capacity(for n: Int) -> Int { n + n / 8 + 16 }

    /// Writes the raw deflate stream of `input` read against `dict` to `out` (at least
    /// `capacity(for: input.count)` bytes); returns its length.
    static func encode(_ input: UnsafeBufferPointer<UInt8>, dict: DeflateDictionary, into out: UnsafeMutablePointer<UInt8>) -> Int {
        let n = input.count
        guard let x = input.baseAddress, n > 0 else {   // an empty fixed block
            out[0] = 0x03
            out[1] = 0x00
            return 2
        }
        let selfBits = n < 512 ? 9 : (n < 4096 ? 12 : 15)
        return withUnsafeTemporaryAllocation(of: Int32.self, capacity: (1 << selfBits) + n) { chains in
            let selfHead = chains.baseAddress!
            selfHead.initialize(repeating: -1, count: 1 << selfBits)
            return literalCodes.withUnsafeBufferPointer { lit in
                var e = DeflateEncoder(x: x, n: n, d: UnsafePointer(dict.bytes.baseAddress!), dLen: dict.count,
                                       dHead: UnsafePointer(dict.head.baseAddress!), dPrev: UnsafePointer(dict.prev.baseAddress!),
                                       selfBits: selfBits, selfHead: selfHead, selfPrev: selfHead + (1 << selfBits), out: out,
                                       lit: lit.baseAddress!)
                return e.run()
            }
        }
    }

    /// The raw deflate stream of `input` read against `dict`.
    static func encode(_ input: UnsafeBufferPointer<UInt8>, dict: DeflateDictionary) -> [UInt8] {
        [UInt8](unsafeUninitializedCapacity: capacity(for: input.count)) { buffer, count in
            count = encode(input, dict: dict, into: buffer.baseAddress!)
        }
    }

    let x: UnsafePointer<UInt8>
    let n: Int
    let d: UnsafePointer<UInt8>
    let dLen: Int
    let dHead: UnsafePointer<Int32>
    let dPrev: UnsafePointer<Int32>
    let selfBits: Int
    let selfHead: UnsafeMutablePointer<Int32>
    let selfPrev: UnsafeMutablePointer<Int32>
    let out: UnsafeMutablePointer<UInt8>
    let lit: UnsafePointer<UInt32>
    var written = 0
    var bits: UInt64 = 0
    var bitCount: UInt64 = 0
    /// Positions below this are in the text's hash chains.
    var inserted = 0

    @inline(__always)
    mutating func put(_ value: UInt32, _ count: UInt32) {
        bits |= UInt64(value) << bitCount
        bitCount += UInt64(count)
        if bitCount >= 32 {
            UnsafeMutableRawPointer(out + written).storeBytes(of: UInt32(truncatingIfNeeded: bits).littleEndian, as: UInt32.self)
            written += 4
            bits >>= 32
            bitCount -= 32
        }
    }

    @inline(__always)
    mutating func insert(upTo end: Int) {
        let last = min(end, n - 3)
        while inserted < last {
            let h = Self.hash(x + inserted, bits: selfBits)
            selfPrev[inserted] = selfHead[h]
            selfHead[h] = Int32(inserted)
            inserted += 1
        }
        if inserted < end { inserted = end }
    }

    /// The longest match (of at least 4 bytes) for position `i`: in the text before it
    /// (nearer, so cheaper), then in the dictionary; (0, 0) when there is none.
    @inline(__always)
    func longest(_ i: Int) -> (length: Int, distance: Int) {
        guard i + 4 <= n else { return (0, 0) }
        let maxLength = min(258, n - i)
        let here = x + i
        var best = 3, bestDistance = 0
        var q = Int(selfHead[Self.hash(here, bits: selfBits)])
        var chain = 0
        while q >= 0 && chain < Self.maxChainSelf && best < maxLength {
            let distance = i - q
            if distance > 32768 { break }
            if x[q + best] == here[best] {
                let l = Self.commonLength(x + q, here, maxLength)
                if l > best {
                    best = l
                    bestDistance = distance
                    if l >= Self.niceLength { return (best, bestDistance) }
                }
            }
            q = Int(selfPrev[q])
            chain += 1
        }
        var p = Int(dHead[Self.hash(here, bits: DeflateDictionary.hashBits)])
        chain = 0
        while p >= 0 && chain < Self.maxChainDict {
            let distance = dLen - p + i
            if distance > 32768 { break }
            let room = min(maxLength, dLen - p)
            if room > best && d[p + best] == here[best] {
                let l = Self.commonLength(d + p, here, room)
                if l > best {
                    best = l
                    bestDistance = distance
                    if l >= Self.niceLength { break }
                }
            }
            p = Int(dPrev[p])
            chain += 1
        }
        return best >= 4 ? (best, bestDistance) : (0, 0)
    }

    /// How many bytes `a` and `b` have in common, up to `limit`: eight at a time.
    @inline(__always)
    static func commonLength(_ a: UnsafePointer<UInt8>, _ b: UnsafePointer<UInt8>, _ limit: Int) -> Int {
        var l = 0
        while l + 8 <= limit {
            let diff = UInt64(littleEndian: UnsafeRawPointer(a + l).loadUnaligned(as: UInt64.self))
                ^ UInt64(littleEndian: UnsafeRawPointer(b + l).loadUnaligned(as: UInt64.self))
            if diff != 0 { return l + diff.trailingZeroBitCount >> 3 }
            l += 8
        }
        while l < limit && a[l] == b[l] { l += 1 }
        return l
    }

    @inline(__always)
    mutating func literal(_ b: UInt8) {
        let c = lit[Int(b)]
        put(c & 0xFFFF, c >> 16)
    }

    @inline(__always)
    mutating func match(_ length: Int, _ distance: Int) {
        let lc = Int(Self.lengthCode[length])
        let c = lit[257 + lc]
        put(c & 0xFFFF, c >> 16)
        if Self.lengthExtra[lc] > 0 { put(UInt32(length - Self.lengthBase[lc]), Self.lengthExtra[lc]) }
        let dc = Self.distanceCode(distance)
        put(Self.distanceCodes[dc], 5)
        if Self.distanceExtra[dc] > 0 { put(UInt32(distance - Self.distanceBase[dc]), Self.distanceExtra[dc]) }
    }

    mutating func run() -> Int {
        put(3, 3)   // BFINAL = 1, BTYPE = 01: the last block, fixed codes
        var i = 0
        var next: (length: Int, distance: Int)?
        while i < n {
            insert(upTo: i)
            let m = next ?? longest(i)
            next = nil
            if m.length == 0 {
                literal(x[i])
                i += 1
                continue
            }
            if m.length < Self.lazyBelow && i + 1 < n {
                insert(upTo: i + 1)
                let later = longest(i + 1)
                if later.length > m.length {
                    literal(x[i])
                    i += 1
                    next = later
                    continue
                }
            }
            match(m.length, m.distance)
            i += m.length
        }
        put(0, 7)   // end of block (256)
        while bitCount > 0 {
            out[written] = UInt8(truncatingIfNeeded: bits)
            written += 1
            bits >>= 8
            bitCount = bitCount >= 8 ? bitCount - 8 : 0
        }
        return written
    }
}

/// Reads back what `DeflateEncoder` writes: raw deflate whose blocks all use the fixed
/// Huffman codes, against the dictionary, in place (zlib's `inflateSetDictionary` copies
/// the 21 KB dictionary into its window for every value, which costs more than inflating a
/// title). Any other block type (a stream zlib wrote with dynamic codes, say) is left to
/// zlib: `decode` returns nil. Damaged data is `.invalid`, never a crash. The tests compare
/// it with zlib on every kind of input.
enum FixedInflater {
    enum Failure: Error { case invalid, tooSmall }

    /// The next 9 bits of the stream (LSB first) → the fixed literal/length symbol they
    /// start with, and its code's length.
    static let table: [UInt16] = {
        var t = [UInt16](repeating: 0, count: 512)
        for s in 0..<288 {
            let c = DeflateEncoder.literalCodes[s]
            let code = Int(c & 0xFFFF), bits = Int(c >> 16)
            for fill in 0..<(1 << (9 - bits)) { t[code | fill << bits] = UInt16(s) | UInt16(bits) << 12 }
        }
        return t
    }()

    /// The distance code's 5 bits as read from the stream (LSB first) → the code.
    static let distances: [UInt8] = {
        var t = [UInt8](repeating: 0, count: 32)
        for c in 0..<32 { t[Int(DeflateEncoder.reversed(UInt32(c), 5))] = UInt8(c) }
        return t
    }()

    /// Inflates `z` into `out` (room for `capacity` bytes); returns the length, or nil when
    /// a block is not of the fixed kind (let zlib read it).
    static func decode(_ z: UnsafeBufferPointer<UInt8>, dict: DeflateDictionary, into out: UnsafeMutablePointer<UInt8>,
                       capacity: Int) throws(Failure) -> Int? {
        let n = z.count
        guard let input = z.baseAddress, n > 0 else { throw .invalid }
        let d = UnsafePointer(dict.bytes.baseAddress!)
        let dLen = dict.count
        var pos = 0
        var bits: UInt64 = 0
        var count: UInt64 = 0
        var written = 0
        // Refill to at least 32 bits while input lasts; past the end, zero bits (checked at the end).
        @inline(__always) func need(_ k: UInt64) {
            while count < k {
                if pos < n { bits |= UInt64(input[pos]) << count }
                pos += 1
                count += 8
            }
        }
        @inline(__always) func take(_ k: UInt64) -> UInt32 {
            need(k)
            let v = UInt32(truncatingIfNeeded: bits & ((1 << k) - 1))
            bits >>= k
            count -= k
            return v
        }
        return try table.withUnsafeBufferPointer { table throws(Failure) -> Int? in
            var last = false
            while !last {
                last = take(1) == 1
                guard take(2) == 1 else { return nil }   // not a fixed-code block: zlib's job
                while true {
                    need(9)
                    let entry = table[Int(bits & 511)]
                    let symbol = Int(entry & 0x1FF), length = UInt64(entry >> 12)
                    bits >>= length
                    count -= length
                    if symbol < 256 {
                        guard written < capacity else { throw .tooSmall }
                        out[written] = UInt8(symbol)
                        written += 1
                        continue
                    }
                    if symbol == 256 { break }
                    let lc = symbol - 257
                    guard lc < 29 else { throw .invalid }
                    var matchLength = DeflateEncoder.lengthBase[lc]
                    let le = DeflateEncoder.lengthExtra[lc]
                    if le > 0 { matchLength += Int(take(UInt64(le))) }
                    let dc = Int(distances[Int(take(5))])
                    guard dc < 30 else { throw .invalid }
                    var distance = DeflateEncoder.distanceBase[dc]
                    let de = DeflateEncoder.distanceExtra[dc]
                    if de > 0 { distance += Int(take(UInt64(de))) }
                    guard distance <= written + dLen, distance <= 32768 else { throw .invalid }
                    guard written + matchLength <= capacity else { throw .tooSmall }
                    var from = written - distance   // negative: in the dictionary
                    for _ in 0..<matchLength {
                        out[written] = from < 0 ? d[dLen + from] : out[from]
                        written += 1
                        from += 1
                    }
                }
            }
            // Every byte read, none past the end (a cut stream reads zeros there), nothing
            // after the last block but the padding of its last byte.
            let consumed = pos * 8 - Int(count)
            guard consumed <= n * 8, (consumed + 7) / 8 == n else { throw .invalid }
            return written
        }
    }
}
