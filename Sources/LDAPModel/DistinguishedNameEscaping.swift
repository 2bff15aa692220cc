/// RFC 4514 section 2.4 escaping of attribute values for the string form of a DN.
///
/// Printing is strict so that any DN we emit is accepted by every server and parses back to the same value:
/// the characters that RFC 4514 reserves are always escaped, a leading `#` or space and a trailing space are escaped,
/// NUL and the other control characters become hex pairs, and everything else (including non-ASCII) stays as UTF-8
/// so names such as `Müller` remain readable.
enum DistinguishedNameEscaping {
    /// `value` escaped for use after `type=` in a DN string.
    static func escape(_ value: String) -> String {
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
}
