/// Why a field value could not be turned into text, and at which byte.
///
/// The scanner adds the byte offset to the value's column, so the finding points at the very byte an
/// administrator has to fix.
package struct DecodingFailure: Error, Sendable, Hashable, CustomStringConvertible {
    /// The kind of failure.
    package enum Reason: Sendable, Hashable {
        /// The byte has no character in the code page (CP1252's 0x81, 0x8D, 0x8F, 0x90, 0x9D).
        case undefined
        /// The byte starts, or breaks, a malformed UTF-8 sequence.
        case invalidUTF8
        /// The byte decodes to a C1 control character (U+0080–U+009F), which no directory name holds.
        case controlCharacter(Unicode.Scalar)
    }

    /// The 0-based offset of the offending byte within the decoded bytes.
    package var offset: Int

    /// The offending byte.
    package var byte: UInt8

    /// What is wrong with it.
    package var reason: Reason

    /// The code page the bytes were decoded with.
    package var codePage: CodePage

    /// Creates a failure.
    package init(offset: Int, byte: UInt8, reason: Reason, codePage: CodePage) {
        self.offset = offset
        self.byte = byte
        self.reason = reason
        self.codePage = codePage
    }

    /// A message naming the byte in hex and the code page.
    package var description: String {
        let hex = "0x" + Hex.byte(byte)
        switch reason {
        case .undefined:
            return "byte \(hex) is not a character in \(codePage)"
        case .invalidUTF8:
            return "byte \(hex) is not valid UTF-8 here"
        case .controlCharacter(let scalar):
            return "byte \(hex) is the control character U+\(Hex.scalar(scalar)) in \(codePage)"
        }
    }
}

/// Upper-case hexadecimal for messages.
enum Hex {
    /// Two hex digits.
    static func byte(_ byte: UInt8) -> String {
        let digits = Array("0123456789ABCDEF")
        return String([digits[Int(byte >> 4)], digits[Int(byte & 0x0F)]])
    }

    /// At least four hex digits, as in `U+0085`.
    static func scalar(_ scalar: Unicode.Scalar) -> String {
        let hex = String(scalar.value, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, 4 - hex.count)) + hex
    }
}
