/// RFC 4514 section 2.4 escaping of attribute values for the string form of a DN.
///
/// Printing is strict so that any DN we emit is accepted by every server and parses back to the same value:
/// the characters that RFC 4514 reserves are always escaped, a leading `#` or space and a trailing space are escaped,
/// `=` (which RFC 4514 allows unescaped, and Active Directory does not) and NUL and the other control characters
/// become hex pairs, and everything else (including non-ASCII) stays as UTF-8
/// so names such as `Müller` remain readable.
enum DistinguishedNameEscaping {
    /// `value` escaped for use after `type=` in a DN string.
    static func escape(_ value: String) -> String {
        if needsNoEscaping(value) {
            return value
        }
        let scalars = Array(value.unicodeScalars)
        var escaped = ""
        escaped.reserveCapacity(value.utf8.count)
        for (index, scalar) in scalars.enumerated() {
            let isFirst = index == 0
            let isLast = index == scalars.count - 1
            switch scalar {
            case "\"", "+", ",", ";", "<", ">", "\\":
                escaped += "\\"
                escaped.unicodeScalars.append(scalar)
            case "=":
                // RFC 4514 lets `=` stand unescaped in a value, but Active Directory refuses such a DN
                // (`invalidDNSyntax`): the hex pair is accepted everywhere.
                escaped += "\\3D"
            case "#" where isFirst, " " where isFirst || isLast:
                escaped += "\\"
                escaped.unicodeScalars.append(scalar)
            case "\u{00}"..."\u{1F}", "\u{7F}":
                escaped += "\\" + Hex.pair(UInt8(scalar.value))
            default:
                escaped.unicodeScalars.append(scalar)
            }
        }
        return escaped
    }

    /// Whether `value` prints as it is: no reserved or control character, no leading `#` or space, no trailing
    /// space. Checked on the UTF-8 bytes, since every character that needs escaping is ASCII.
    private static func needsNoEscaping(_ value: String) -> Bool {
        let utf8 = value.utf8
        guard let first = utf8.first, let last = utf8.last else { return true }
        if first == UInt8(ascii: "#") || first == UInt8(ascii: " ") || last == UInt8(ascii: " ") {
            return false
        }
        for byte in utf8 {
            switch byte {
            case UInt8(ascii: "\\"), UInt8(ascii: "\""), UInt8(ascii: "+"), UInt8(ascii: ","), UInt8(ascii: ";"),
                UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "="), 0x00...0x1F, 0x7F:
                return false
            default:
                continue
            }
        }
        return true
    }
}
