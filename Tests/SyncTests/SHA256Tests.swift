import Testing

@testable import Sync

@Suite("SHA-256")
struct SHA256Tests {
    @Test(
        "FIPS 180-4 test vectors",
        arguments: [
            ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
            ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
            (
                "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
                "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"
            ),
        ])
    func vectors(input: String, expected: String) {
        #expect(SHA256.hex(of: Array(input.utf8)) == expected)
    }

    @Test("a million a's, fed in uneven pieces")
    func million() {
        var hasher = SHA256()
        var remaining = 1_000_000
        var piece = 1
        while remaining > 0 {
            let count = min(piece, remaining)
            hasher.update([UInt8](repeating: 0x61, count: count))
            remaining -= count
            piece = piece * 3 % 1000 + 1
        }
        let hex = hasher.finalize().map { String($0, radix: 16) }.map { $0.count == 1 ? "0" + $0 : $0 }.joined()
        #expect(hex == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    /// Lengths around the padding's block boundaries, over bytes that are not one repeated value (so a word loaded
    /// in the wrong byte order or a schedule word off by one shows); the digests are Python's `hashlib.sha256`.
    @Test(
        "lengths around block boundaries match hashlib",
        arguments: [
            (55, "e7313d333c272e639f790978283f9eb392e843d0f29b7016828bb1daa4aac70b"),
            (56, "4324d65f3c103567f5589c710bc08f8523f929a9272e3af36fc968e52abc6c27"),
            (63, "81c80242132f230c3bd41b3e63bbcff16107339549214a99614ff26664625055"),
            (64, "39e3d7b6b5d075d37d053ad89b24b41bef4f3c29760c84447cab3f3be1882241"),
            (65, "aacca6ff74fdbb296d165a45cecfa04e5127bc008770fbbdd48006f2d2fae95e"),
            (119, "9ce7368e4daf32341631b492e80359dc9f594b48453cd0dd5bf0b19279cc177e"),
            (120, "7836b787757e95e58b3ca5aec90b1b004e8deba1e50e9675af9cabf1a13a04b5"),
            (127, "a8d23e75d936f303d248888d9b165ee543f4cbafcad3c9dd2a79bd84faa11d07"),
            (128, "d2742f1f4ac6bb7ca2b239ee18402ba8b3f9f8e652d2a72973c2b9ba11c08cf6"),
            (129, "307f8fc2c1622b92762e818d39a185d4d667ad49a4b07ceae1f4afa008a93ec4"),
            (1000, "1e9bc38cbf860b9ec31918b065f9b52476c549a782e0e7990bed8ce3868d2371"),
        ])
    func boundaries(length: Int, expected: String) {
        let bytes = (0..<length).map { UInt8(truncatingIfNeeded: $0 * 7 + 3) }
        #expect(SHA256.hex(of: bytes) == expected)
        // The same bytes fed one at a time go through the pending tail rather than straight from the caller.
        var hasher = SHA256()
        for byte in bytes {
            hasher.update([byte])
        }
        #expect(SHA256.hexString(hasher.finalize()) == expected)
    }

    /// Where the processor has the SHA extensions, both ways of compressing run here; elsewhere the second hasher
    /// also takes the rounds, and the test says so rather than passing for a comparison it did not make.
    @Test("the SHA extensions and the portable rounds give the same digests")
    func hardwareMatchesPortable() {
        var generator = SystemRandomNumberGenerator()
        let random = (0..<40).map { _ in Int.random(in: 0..<20_000, using: &generator) }
        for length in [0, 1, 55, 56, 63, 64, 65, 127, 128, 129, 640, 4_096, 100_003] + random {
            let bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
            var portable = SHA256(hardware: false)
            var hardware = SHA256(hardware: true)
            // Uneven pieces: whole blocks straight from the caller, and blocks completed from the pending tail.
            var offset = 0
            var piece = 1
            while offset < bytes.count {
                let end = min(bytes.count, offset + piece)
                portable.update(bytes[offset..<end])
                hardware.update(bytes[offset..<end])
                offset = end
                piece = piece * 5 % 997 + 1
            }
            #expect(portable.finalize() == hardware.finalize(), "\(length) bytes")
        }
        print("SHA-256: SHA extensions \(SHA256.hardwareAvailable ? "used" : "absent; both hashers took the rounds")")
    }
}
