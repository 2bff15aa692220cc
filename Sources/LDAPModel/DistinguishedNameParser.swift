/// The RFC 4514 parser behind `DistinguishedName(parsing:)` and `RelativeDistinguishedName(parsing:)`.
///
/// It works on UTF-8 bytes because escapes (`\C3\BC`) produce bytes that only become text once the whole value is
/// known, and it records where each value byte came from so that invalid UTF-8 is reported at the escape that
/// caused it. It is lenient on input (spaces around separators, `;` separators, RFC 2253 quoted values, unescaped
/// `<` and `>`) because DNs from old Exchange and cc:Mail gateways are not always canonical.
struct DistinguishedNameParser {
    private let input: String
    private let bytes: [UInt8]
    private var position = 0

    init(_ input: String) {
        self.input = input
        self.bytes = Array(input.utf8)
    }

    /// Parses a whole DN; empty (or all-space) input is the root DSE.
    mutating func parseDistinguishedName() throws(DistinguishedNameError) -> [RelativeDistinguishedName] {
        skipSpaces()
        guard !isAtEnd else { return [] }
        var rdns = [try parseRDN()]
        while let byte = current, byte == UInt8(ascii: ",") || byte == UInt8(ascii: ";") {
            position += 1
            rdns.append(try parseRDN())
        }
        return rdns
    }

    /// Parses the first RDN and says where the rest of the DN begins (just after the separator), or nil for the
    /// rest when the first RDN is all there is; nil altogether for the root DSE. What follows the separator parses
    /// on its own exactly as it would here (see `DistinguishedNameParentCache`).
    mutating func parseLeadingRDN() throws(DistinguishedNameError) -> (rdn: RelativeDistinguishedName, rest: Int?)? {
        skipSpaces()
        guard !isAtEnd else { return nil }
        let rdn = try parseRDN()
        guard let byte = current, byte == UInt8(ascii: ",") || byte == UInt8(ascii: ";") else {
            return (rdn, nil)
        }
        return (rdn, position + 1)
    }

    /// Parses exactly one RDN.
    mutating func parseSingleRDN() throws(DistinguishedNameError) -> RelativeDistinguishedName {
        let rdn = try parseRDN()
        guard isAtEnd else {
            throw error("expected a single RDN, found a separator", at: position)
        }
        return rdn
    }

    // MARK: - Grammar

    private mutating func parseRDN() throws(DistinguishedNameError) -> RelativeDistinguishedName {
        var attributes = [try parseAttributeTypeAndValue()]
        while current == UInt8(ascii: "+") {
            position += 1
            attributes.append(try parseAttributeTypeAndValue())
        }
        return RelativeDistinguishedName(attributes)
    }

    private mutating func parseAttributeTypeAndValue() throws(DistinguishedNameError) -> AttributeTypeAndValue {
        skipSpaces()
        let type = try parseAttributeType()
        skipSpaces()
        guard current == UInt8(ascii: "=") else {
            throw error("expected '=' after attribute type \"\(type)\"", at: position)
        }
        position += 1
        skipSpaces()
        let attribute: AttributeTypeAndValue
        switch current {
        case UInt8(ascii: "#"):
            attribute = AttributeTypeAndValue(type: type, berEncoding: try parseHexValue())
        case UInt8(ascii: "\""):
            attribute = AttributeTypeAndValue(type: type, value: try parseQuotedValue())
        default:
            attribute = AttributeTypeAndValue(type: type, value: try parseStringValue())
        }
        if let byte = current, !Self.isSeparator(byte) {
            throw error("expected ',', '+' or end of input after the value", at: position)
        }
        return attribute
    }

    /// A descriptor (`ALPHA *(ALPHA / DIGIT / "-")`) or a numeric OID (`number 1*("." number)`).
    private mutating func parseAttributeType() throws(DistinguishedNameError) -> String {
        let start = position
        guard let first = current else {
            throw error("expected an attribute type", at: position)
        }
        if Self.isAlpha(first) {
            while let byte = current, Self.isAlpha(byte) || Self.isDigit(byte) || byte == UInt8(ascii: "-") {
                position += 1
            }
        } else if Self.isDigit(first) {
            var components = 0
            repeat {
                guard let byte = current, Self.isDigit(byte) else {
                    throw error("expected a digit in numeric OID", at: position)
                }
                while let byte = current, Self.isDigit(byte) {
                    position += 1
                }
                components += 1
            } while consume(UInt8(ascii: "."))
            guard components >= 2 else {
                throw error("a numeric OID needs at least two components", at: start)
            }
        } else {
            throw error("expected an attribute type", at: position)
        }
        return String(decoding: bytes[start..<position], as: UTF8.self)
    }

    /// `#` followed by an even number of hex digits: the BER encoding of the value.
    private mutating func parseHexValue() throws(DistinguishedNameError) -> [UInt8] {
        let start = position
        position += 1
        var encoding: [UInt8] = []
        var high: UInt8?
        while let byte = current, let digit = Hex.value(of: byte) {
            if let pending = high {
                encoding.append(pending << 4 | digit)
                high = nil
            } else {
                high = digit
            }
            position += 1
        }
        guard high == nil else {
            throw error("odd number of hex digits in '#' value", at: start)
        }
        guard !encoding.isEmpty else {
            throw error("expected hex digits after '#'", at: start)
        }
        skipSpaces()
        return encoding
    }

    /// RFC 2253 legacy: a whole value in double quotes, in which separators need no escaping.
    private mutating func parseQuotedValue() throws(DistinguishedNameError) -> String {
        let start = position
        position += 1
        var value = ValueBytes()
        while true {
            guard let byte = current else {
                throw error("unterminated quoted value", at: start)
            }
            if byte == UInt8(ascii: "\"") {
                position += 1
                break
            }
            if byte == UInt8(ascii: "\\") {
                try parseEscape(into: &value)
            } else {
                value.append(byte, from: position)
                position += 1
            }
        }
        skipSpaces()
        return try value.decode(parser: self)
    }

    /// An RFC 4514 string value up to the next unescaped separator; unescaped trailing spaces are dropped.
    private mutating func parseStringValue() throws(DistinguishedNameError) -> String {
        var value = ValueBytes()
        var significantCount = 0
        while let byte = current, !Self.isSeparator(byte) {
            switch byte {
            case UInt8(ascii: "\\"):
                try parseEscape(into: &value)
                significantCount = value.count
            case UInt8(ascii: "\""):
                throw error("unescaped '\"' in value (write \\\" or quote the whole value)", at: position)
            case 0:
                throw error("unescaped NUL in value (write \\00)", at: position)
            case UInt8(ascii: " "):
                value.append(byte, from: position)
                position += 1
            default:
                value.append(byte, from: position)
                position += 1
                significantCount = value.count
            }
        }
        value.truncate(to: significantCount)
        return try value.decode(parser: self)
    }

    /// `\` followed by a special character or by two hex digits.
    private mutating func parseEscape(into value: inout ValueBytes) throws(DistinguishedNameError) {
        let start = position
        position += 1
        guard let byte = current else {
            throw error("'\\' at end of input", at: start)
        }
        if let high = Hex.value(of: byte) {
            guard position + 1 < bytes.count, let low = Hex.value(of: bytes[position + 1]) else {
                throw error("expected two hex digits after '\\'", at: start)
            }
            value.append(high << 4 | low, from: start)
            position += 2
        } else if Self.escapable.contains(byte) {
            value.append(byte, from: start)
            position += 1
        } else {
            let shown = String(decoding: bytes[position..<min(position + 1, bytes.count)], as: UTF8.self)
            throw error("invalid escape '\\\(shown)'", at: start)
        }
    }

    // MARK: - Helpers

    /// Value bytes plus the input offset each came from, for precise UTF-8 errors. Until an escape makes them
    /// differ, the offsets are the first one plus the index, so no list of them is kept.
    private struct ValueBytes {
        private var bytes: [UInt8] = []
        private var start = 0
        private var offsets: [Int]?

        var count: Int { bytes.count }

        mutating func append(_ byte: UInt8, from offset: Int) {
            if bytes.isEmpty {
                start = offset
            } else if offsets == nil, offset != start + bytes.count {
                offsets = Array(start..<start + bytes.count)
            }
            bytes.append(byte)
            offsets?.append(offset)
        }

        mutating func truncate(to count: Int) {
            bytes.removeSubrange(count...)
            offsets?.removeSubrange(count...)
        }

        func decode(parser: DistinguishedNameParser) throws(DistinguishedNameError) -> String {
            if let invalid = UTF8Validation.firstInvalidIndex(bytes) {
                throw parser.error("escaped bytes are not valid UTF-8", at: offsets?[invalid] ?? start + invalid)
            }
            return String(decoding: bytes, as: UTF8.self)
        }
    }

    private static let escapable: Set<UInt8> = Set("\"+,;<>\\=# ".utf8)

    private var current: UInt8? {
        position < bytes.count ? bytes[position] : nil
    }

    private var isAtEnd: Bool {
        position >= bytes.count
    }

    private mutating func consume(_ byte: UInt8) -> Bool {
        guard current == byte else { return false }
        position += 1
        return true
    }

    private mutating func skipSpaces() {
        while current == UInt8(ascii: " ") {
            position += 1
        }
    }

    private func error(_ reason: String, at offset: Int) -> DistinguishedNameError {
        DistinguishedNameError(input: input, offset: offset, reason: reason)
    }

    private static func isSeparator(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: ",") || byte == UInt8(ascii: ";") || byte == UInt8(ascii: "+")
    }

    private static func isAlpha(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
    }

    private static func isDigit(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
    }
}
