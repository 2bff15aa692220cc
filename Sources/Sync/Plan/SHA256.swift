import Crypto

/// Hex digests of swift-crypto's SHA-256: the input fingerprints in a plan and the plan hash.
extension SHA256 {
    /// The digest of `bytes` in lower-case hex.
    package static func hex(of bytes: [UInt8]) -> String {
        hexString(hash(data: bytes))
    }

    /// A digest in lower-case hex.
    package static func hexString(_ digest: SHA256.Digest) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var text: [UInt8] = []
        text.reserveCapacity(SHA256.Digest.byteCount * 2)
        for byte in digest {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: text, as: UTF8.self)
    }
}
