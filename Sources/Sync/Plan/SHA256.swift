import CSHA256

/// SHA-256 (FIPS 180-4), for input fingerprints and the plan hash.
///
/// Foundation on Linux has no digest API and swift-crypto would bring BoringSSL into the build for one function;
/// this is the plain algorithm, checked against the FIPS test vectors in SyncTests. Where the processor has the
/// x86 SHA extensions, blocks are compressed with them (`CSHA256`): a tenth of the time of the rounds below, which
/// remain for every other processor.
public struct SHA256: Sendable {
    /// Whether this processor compresses with the SHA extensions; asked once.
    static let hardwareAvailable = ccdirsync_sha256_hardware_available() == 1

    fileprivate static let roundConstants: [UInt32] = [
        0x428a_2f98, 0x7137_4491, 0xb5c0_fbcf, 0xe9b5_dba5, 0x3956_c25b, 0x59f1_11f1, 0x923f_82a4, 0xab1c_5ed5,
        0xd807_aa98, 0x1283_5b01, 0x2431_85be, 0x550c_7dc3, 0x72be_5d74, 0x80de_b1fe, 0x9bdc_06a7, 0xc19b_f174,
        0xe49b_69c1, 0xefbe_4786, 0x0fc1_9dc6, 0x240c_a1cc, 0x2de9_2c6f, 0x4a74_84aa, 0x5cb0_a9dc, 0x76f9_88da,
        0x983e_5152, 0xa831_c66d, 0xb003_27c8, 0xbf59_7fc7, 0xc6e0_0bf3, 0xd5a7_9147, 0x06ca_6351, 0x1429_2967,
        0x27b7_0a85, 0x2e1b_2138, 0x4d2c_6dfc, 0x5338_0d13, 0x650a_7354, 0x766a_0abb, 0x81c2_c92e, 0x9272_2c85,
        0xa2bf_e8a1, 0xa81a_664b, 0xc24b_8b70, 0xc76c_51a3, 0xd192_e819, 0xd699_0624, 0xf40e_3585, 0x106a_a070,
        0x19a4_c116, 0x1e37_6c08, 0x2748_774c, 0x34b0_bcb5, 0x391c_0cb3, 0x4ed8_aa4a, 0x5b9c_ca4f, 0x682e_6ff3,
        0x748f_82ee, 0x78a5_636f, 0x84c8_7814, 0x8cc7_0208, 0x90be_fffa, 0xa450_6ceb, 0xbef9_a3f7, 0xc671_78f2,
    ]

    private var state = ChainingState()
    private var pending: [UInt8] = []
    private var length: UInt64 = 0
    /// Blocks go to the SHA extensions rather than the rounds below.
    private let usesHardware: Bool

    public init() {
        self.init(hardware: Self.hardwareAvailable)
    }

    /// A hasher that compresses with the SHA extensions or without them (tests compare the two); `hardware` is
    /// ignored where the processor lacks them.
    init(hardware: Bool) {
        usesHardware = hardware && Self.hardwareAvailable
        pending.reserveCapacity(64)
    }

    /// Adds bytes to the message.
    public mutating func update<Bytes: Sequence>(_ bytes: Bytes) where Bytes.Element == UInt8 {
        let handled: Void? = bytes.withContiguousStorageIfAvailable { buffer in
            update(buffer: UnsafeRawBufferPointer(buffer))
        }
        if handled == nil {
            let copy = Array(bytes)
            copy.withUnsafeBytes { update(buffer: $0) }
        }
    }

    /// Whole 64-byte blocks are compressed straight from the caller's memory; only the tail is kept.
    private mutating func update(buffer: UnsafeRawBufferPointer) {
        length &+= UInt64(buffer.count)
        var offset = 0
        if !pending.isEmpty {
            let take = min(64 - pending.count, buffer.count)
            pending.append(contentsOf: buffer[0..<take])
            offset = take
            if pending.count == 64 {
                pending.withUnsafeBytes { state.compress($0, hardware: usesHardware) }
                pending.removeAll(keepingCapacity: true)
            }
        }
        let whole = (buffer.count - offset) / 64 * 64
        if whole > 0 {
            state.compress(UnsafeRawBufferPointer(rebasing: buffer[offset..<offset + whole]), hardware: usesHardware)
            offset += whole
        }
        if offset < buffer.count {
            pending.append(contentsOf: buffer[offset...])
        }
    }

    /// The 32-byte digest of everything added.
    public func finalize() -> [UInt8] {
        var copy = state
        let bitLength = length &* 8
        var tail = pending
        tail.append(0x80)
        while tail.count % 64 != 56 {
            tail.append(0)
        }
        for shift in stride(from: 56, through: 0, by: -8) {
            tail.append(UInt8(truncatingIfNeeded: bitLength >> UInt64(shift)))
        }
        tail.withUnsafeBytes { copy.compress($0, hardware: usesHardware) }
        var digest: [UInt8] = []
        digest.reserveCapacity(32)
        for word in copy.words {
            digest.append(UInt8(truncatingIfNeeded: word >> 24))
            digest.append(UInt8(truncatingIfNeeded: word >> 16))
            digest.append(UInt8(truncatingIfNeeded: word >> 8))
            digest.append(UInt8(truncatingIfNeeded: word))
        }
        return digest
    }

    /// The digest of `bytes` in lower-case hex.
    public static func hex<Bytes: Sequence>(of bytes: Bytes) -> String where Bytes.Element == UInt8 {
        var hasher = SHA256()
        hasher.update(bytes)
        return hexString(hasher.finalize())
    }

    /// A digest in lower-case hex.
    public static func hexString(_ digest: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var text: [UInt8] = []
        text.reserveCapacity(digest.count * 2)
        for byte in digest {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: text, as: UTF8.self)
    }

    /// The eight working words between blocks, as stored properties: in an array every round's read and the
    /// final sum went through bounds and uniqueness checks.
    private struct ChainingState {
        var a: UInt32 = 0x6a09_e667
        var b: UInt32 = 0xbb67_ae85
        var c: UInt32 = 0x3c6e_f372
        var d: UInt32 = 0xa54f_f53a
        var e: UInt32 = 0x510e_527f
        var f: UInt32 = 0x9b05_688c
        var g: UInt32 = 0x1f83_d9ab
        var h: UInt32 = 0x5be0_cd19

        /// The eight words in digest order.
        var words: [UInt32] { [a, b, c, d, e, f, g, h] }

        /// Whole 64-byte blocks, with the SHA extensions when `hardware` (the caller has checked they exist), else
        /// one by one through the rounds below.
        mutating func compress(_ blocks: UnsafeRawBufferPointer, hardware: Bool) {
            let count = blocks.count / 64
            guard hardware, let start = blocks.baseAddress, count > 0 else {
                for offset in stride(from: 0, to: count * 64, by: 64) {
                    compress(UnsafeRawBufferPointer(rebasing: blocks[offset..<offset + 64]))
                }
                return
            }
            var words = (a, b, c, d, e, f, g, h)
            withUnsafeMutableBytes(of: &words) { raw in
                ccdirsync_sha256_hardware_compress(
                    raw.baseAddress?.assumingMemoryBound(to: UInt32.self), start.assumingMemoryBound(to: UInt8.self),
                    count)
            }
            (a, b, c, d, e, f, g, h) = words
        }

        /// One 64-byte block. The schedule is in a stack buffer, and the rounds are unrolled by eight with the
        /// working variables renamed from round to round (`step`'s arguments) instead of shifted through eight
        /// assignments each: about a sixth faster than the rolled loop, the plan hash being most of a large
        /// plan's hashing.
        mutating func compress(_ block: UnsafeRawBufferPointer) {
            var a = a, b = b, c = c, d = d, e = e, f = f, g = g, h = h
            withUnsafeTemporaryAllocation(of: UInt32.self, capacity: 64) { w in
                for index in 0..<16 {
                    w[index] = block.loadUnaligned(fromByteOffset: index &* 4, as: UInt32.self).bigEndian
                }
                for index in 16..<64 {
                    let w15 = w[index &- 15]
                    let w2 = w[index &- 2]
                    let s0 = rotate(w15, 7) ^ rotate(w15, 18) ^ (w15 >> 3)
                    let s1 = rotate(w2, 17) ^ rotate(w2, 19) ^ (w2 >> 10)
                    w[index] = w[index &- 16] &+ s0 &+ w[index &- 7] &+ s1
                }
                SHA256.roundConstants.withUnsafeBufferPointer { k in
                    var round = 0
                    while round < 64 {
                        step(a, b, c, &d, e, f, g, &h, k[round] &+ w[round])
                        step(h, a, b, &c, d, e, f, &g, k[round &+ 1] &+ w[round &+ 1])
                        step(g, h, a, &b, c, d, e, &f, k[round &+ 2] &+ w[round &+ 2])
                        step(f, g, h, &a, b, c, d, &e, k[round &+ 3] &+ w[round &+ 3])
                        step(e, f, g, &h, a, b, c, &d, k[round &+ 4] &+ w[round &+ 4])
                        step(d, e, f, &g, h, a, b, &c, k[round &+ 5] &+ w[round &+ 5])
                        step(c, d, e, &f, g, h, a, &b, k[round &+ 6] &+ w[round &+ 6])
                        step(b, c, d, &e, f, g, h, &a, k[round &+ 7] &+ w[round &+ 7])
                        round &+= 8
                    }
                }
            }
            self.a &+= a
            self.b &+= b
            self.c &+= c
            self.d &+= d
            self.e &+= e
            self.f &+= f
            self.g &+= g
            self.h &+= h
        }

        /// One round: `d` and `h` are the two working variables a round changes (`e` and `a` of the next).
        @inline(__always)
        private func step(
            _ a: UInt32, _ b: UInt32, _ c: UInt32, _ d: inout UInt32, _ e: UInt32, _ f: UInt32, _ g: UInt32,
            _ h: inout UInt32, _ constantPlusWord: UInt32
        ) {
            let temp1 = h &+ (rotate(e, 6) ^ rotate(e, 11) ^ rotate(e, 25)) &+ (g ^ (e & (f ^ g))) &+ constantPlusWord
            d &+= temp1
            h = temp1 &+ (rotate(a, 2) ^ rotate(a, 13) ^ rotate(a, 22)) &+ ((a & b) | (c & (a | b)))
        }

        @inline(__always)
        private func rotate(_ value: UInt32, _ count: UInt32) -> UInt32 {
            value >> count | value << (32 &- count)
        }
    }
}
