import CSHA256

/// SHA-256 (FIPS 180-4), for input fingerprints and the plan hash.
///
/// Foundation on Linux has no digest API and swift-crypto would bring BoringSSL into the build for one function;
/// this is the plain algorithm, checked against the FIPS test vectors in SyncTests. Where the processor has the
/// x86 SHA extensions, blocks are compressed with them (`CSHA256`): about a fifth of the time of the rounds below,
/// which remain for every other processor.
public struct SHA256: Sendable {
    /// Whether this processor compresses with the SHA extensions; asked once.
    static let hardwareAvailable = ccdirsync_sha256_hardware_available() == 1

    /// FIPS 180-4's 64 round constants, from the C target's table (one copy for both ways of compressing); constant
    /// memory, never written.
    nonisolated(unsafe) fileprivate static let roundConstants = UnsafeBufferPointer(
        start: ccdirsync_sha256_round_constants(), count: 64)

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
                let k = SHA256.roundConstants
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
