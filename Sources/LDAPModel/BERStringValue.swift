/// Decodes the BER encoding behind an RFC 4514 `#hex` attribute value when it is a plain string.
///
/// RFC 4514 lets a DN carry any value as the hex of its BER encoding (`1.3.6.1.4.1.1466.0=#04024869`). Most such
/// values in practice are primitive string types, and showing `Hi` instead of `#04024869` is what a person wants to
/// read; anything else stays as hex because we cannot know its syntax.
enum BERStringValue {
    /// The text inside `encoding` when it is a single primitive string TLV that fills all the bytes, else `nil`.
    ///
    /// Understood tags: OCTET STRING (0x04), UTF8String (0x0C), NumericString (0x12), PrintableString (0x13),
    /// IA5String (0x16) and VisibleString (0x1A) as UTF-8; UniversalString (0x1C) as UTF-32BE; BMPString (0x1E)
    /// as UTF-16BE. Lengths may use the short or the long form (up to four length octets).
    static func decode(_ encoding: [UInt8]) -> String? {
        guard let content = contents(of: encoding) else { return nil }
        switch encoding[0] {
        case 0x04, 0x0C, 0x12, 0x13, 0x16, 0x1A:
            return UTF8Validation.decode(content)
        case 0x1E:
            return decodeUTF16BigEndian(content)
        case 0x1C:
            return decodeUTF32BigEndian(content)
        default:
            return nil
        }
    }

    /// The content octets of a single definite-length TLV spanning all of `encoding`.
    private static func contents(of encoding: [UInt8]) -> [UInt8]? {
        guard encoding.count >= 2 else { return nil }
        var index = 1
        let first = encoding[index]
        index += 1
        var length = 0
        if first < 0x80 {
            length = Int(first)
        } else {
            let octets = Int(first & 0x7F)
            guard (1...4).contains(octets), encoding.count >= index + octets else { return nil }
            for octet in encoding[index..<(index + octets)] {
                length = length << 8 | Int(octet)
            }
            index += octets
        }
        guard encoding.count - index == length else { return nil }
        return Array(encoding[index...])
    }

    private static func decodeUTF16BigEndian(_ bytes: [UInt8]) -> String? {
        guard bytes.count.isMultiple(of: 2) else { return nil }
        let units = stride(from: 0, to: bytes.count, by: 2).map { UInt16(bytes[$0]) << 8 | UInt16(bytes[$0 + 1]) }
        var text = ""
        var iterator = units.makeIterator()
        var decoder = UTF16()
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let scalar): text.unicodeScalars.append(scalar)
            case .emptyInput: return text
            case .error: return nil
            }
        }
    }

    private static func decodeUTF32BigEndian(_ bytes: [UInt8]) -> String? {
        guard bytes.count.isMultiple(of: 4) else { return nil }
        var text = ""
        for start in stride(from: 0, to: bytes.count, by: 4) {
            let value = bytes[start..<(start + 4)].reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
            guard let scalar = Unicode.Scalar(value) else { return nil }
            text.unicodeScalars.append(scalar)
        }
        return text
    }
}
