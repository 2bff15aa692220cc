/// Finds the first byte that breaks UTF-8 well-formedness.
///
/// `String(validating:as:)` only says *that* bytes are invalid; DN and LDIF errors should say *where*, so this
/// walks the sequence itself (following the Unicode "well-formed UTF-8" table, which rejects overlongs and
/// surrogates).
package enum UTF8Validation {
    /// The index of the first byte of the first ill-formed sequence, or `nil` when `bytes` is valid UTF-8.
    package static func firstInvalidIndex(_ bytes: [UInt8]) -> Int? {
        bytes.withUnsafeBufferPointer { firstInvalidIndex($0) }
    }

    /// The index of the first byte of the first ill-formed sequence, or `nil` when `bytes` is valid UTF-8.
    package static func firstInvalidIndex(_ bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        var index = 0
        while index < bytes.count {
            let lead = bytes[index]
            let length: Int
            var secondRange: ClosedRange<UInt8> = 0x80...0xBF
            switch lead {
            case 0x00...0x7F:
                index += 1
                continue
            case 0xC2...0xDF: length = 2
            case 0xE0:
                length = 3
                secondRange = 0xA0...0xBF
            case 0xE1...0xEC, 0xEE...0xEF: length = 3
            case 0xED:
                length = 3
                secondRange = 0x80...0x9F
            case 0xF0:
                length = 4
                secondRange = 0x90...0xBF
            case 0xF1...0xF3: length = 4
            case 0xF4:
                length = 4
                secondRange = 0x80...0x8F
            default: return index
            }
            guard index + length <= bytes.count, secondRange.contains(bytes[index + 1]) else { return index }
            for offset in 2..<length where !(0x80...0xBF).contains(bytes[index + offset]) {
                return index
            }
            index += length
        }
        return nil
    }

    /// `bytes` decoded as UTF-8, or `nil` when they are not valid UTF-8.
    package static func decode(_ bytes: [UInt8]) -> String? {
        bytes.withUnsafeBufferPointer { decode($0) }
    }

    /// `bytes` decoded as UTF-8, or `nil` when they are not valid UTF-8: what `String(validating:as:)` gives, which
    /// the standard library does not specialise for buffers, so that it looks up generic metadata for every value a
    /// read decodes.
    package static func decode(_ bytes: UnsafeBufferPointer<UInt8>) -> String? {
        firstInvalidIndex(bytes) == nil ? String(decoding: bytes, as: UTF8.self) : nil
    }
}
