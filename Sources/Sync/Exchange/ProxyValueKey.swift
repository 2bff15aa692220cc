import LDAPModel

/// The comparison key of a proxy or target value as read, worked out in one pass over its UTF-8 bytes.
///
/// Reading a directory splits and keys every proxy value of every object: millions of values. The general path
/// (`ProxyAddress(parsing:separator:)`, then `key`) walks the value by Character, makes the type and the address
/// as strings of their own, then an upper-case type, a lower-case address and their concatenation. This path writes
/// the key straight into its string instead, and gives the same key, because it only takes values where every
/// step is a byte rule:
/// - every scalar is Latin-1 (UTF-8 lead bytes 0xC2 and 0xC3 only), so each Character is one scalar (no combining
///   marks, nothing that joins a separator to its neighbour) and the first separator byte is the first separator
///   Character;
/// - the type is ASCII, so its upper case is ASCII's;
/// - lower-casing the address and cc:Mail's folding are the byte rules `ASCIIFolding` and `AddressKey.ccMailKey`
///   use on Latin-1.
///
/// Anything else is `.general`, and the caller takes the general path.
enum ProxyValueKey {
    enum Outcome: Equatable {
        /// No separator, or nothing before it: not a proxy value (`ProxyAddress(parsing:)` gives nil).
        case unparsable
        /// The key, and where the separator is (UTF-8 bytes from the start).
        case keyed(AddressKey, separatorOffset: Int)
        /// The value needs the general path.
        case general
    }

    /// The key of `value` and where its separator is, by this path or the general one; nil when it is not a proxy
    /// value (no separator, or nothing before it).
    static func split(_ value: String, separator: Character) -> (key: AddressKey, separatorOffset: Int)? {
        switch key(of: value, separator: separator) {
        case .unparsable:
            return nil
        case .keyed(let key, let separatorOffset):
            return (key, separatorOffset)
        case .general:
            guard let address = ProxyAddress(parsing: value, separator: separator) else {
                return nil
            }
            return (address.key, address.type.utf8.count)
        }
    }

    static func key(of value: String, separator: Character) -> Outcome {
        guard let separator = separator.asciiValue else {
            return .general
        }
        var value = value
        return value.withUTF8 { key(of: $0, separator: separator) }
    }

    private static let colon = UInt8(ascii: ":")
    private static let ccMail = Array("CCMAIL".utf8)

    private static func key(of bytes: UnsafeBufferPointer<UInt8>, separator: UInt8) -> Outcome {
        var separatorOffset: Int?
        for (offset, byte) in bytes.enumerated() {
            if byte == separator && separatorOffset == nil {
                separatorOffset = offset
            }
            // Continuation bytes (0x80…0xBF) follow their lead in valid UTF-8; leads above 0xC3 are past Latin-1.
            if byte >= 0xC4 || byte == 0xC0 || byte == 0xC1 {
                return .general
            }
            if byte >= 0x80 && separatorOffset == nil {
                return .general  // a type outside ASCII: its upper case is the standard library's
            }
        }
        guard let separatorOffset, separatorOffset > 0 else {
            return .unparsable
        }
        let type = UnsafeBufferPointer(rebasing: bytes[..<separatorOffset])
        let address = UnsafeBufferPointer(rebasing: bytes[(separatorOffset + 1)...])
        let text = String(unsafeUninitializedCapacity: bytes.count) { output in
            var writer = KeyWriter(output)
            for byte in type {
                writer.append((0x61...0x7A).contains(byte) ? byte & 0xDF : byte)
            }
            writer.append(colon)
            let upperType = UnsafeBufferPointer(rebasing: output[..<separatorOffset])
            if upperType.elementsEqual("CCMAIL".utf8) {
                writer.appendCCMailFold(address)
            } else if upperType.elementsEqual("MIGRATE".utf8), let inner = ccMailAddress(in: address) {
                writer.append(contentsOf: ccMail)
                writer.append(colon)
                writer.appendCCMailFold(inner)
            } else {
                writer.appendLowercased(address)
            }
            return writer.count
        }
        return .keyed(AddressKey(folded: text), separatorOffset: separatorOffset)
    }

    /// The address of an inner `CCMAIL:` value (`MIGRATE:CCMAIL:<address>`), when `bytes` is one: split at its first
    /// colon, the type non-empty and `CCMAIL` without regard to case.
    private static func ccMailAddress(in bytes: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8>? {
        guard let colonIndex = bytes.firstIndex(of: colon), colonIndex == ccMail.count,
            zip(bytes[..<colonIndex], ccMail).allSatisfy({ ($0 & 0xDF) == $1 })
        else {
            return nil
        }
        return UnsafeBufferPointer(rebasing: bytes[(colonIndex + 1)...])
    }
}

/// Writes a key's bytes into the storage of the string being made; the capacity is the value's length, which no
/// key of it exceeds (case mapping keeps each Latin-1 byte's length, and folding only removes spaces).
struct KeyWriter {
    private let output: UnsafeMutableBufferPointer<UInt8>
    private(set) var count = 0

    init(_ output: UnsafeMutableBufferPointer<UInt8>) {
        self.output = output
    }

    mutating func append(_ byte: UInt8) {
        output[count] = byte
        count += 1
    }

    mutating func append(contentsOf bytes: [UInt8]) {
        for byte in bytes {
            append(byte)
        }
    }

    /// `ASCIIFolding.lowercased` on Latin-1 bytes: ASCII capitals, and the capital after a 0xC3 lead.
    mutating func appendLowercased(_ bytes: UnsafeBufferPointer<UInt8>) {
        var afterC3 = false
        for byte in bytes {
            append(afterC3 ? ASCIIFolding.lowercasedAfterC3(byte) : ASCIIFolding.lowercased(byte))
            afterC3 = byte == 0xC3
        }
    }

    /// `AddressKey.ccMailKey` on Latin-1 bytes: lower case, runs of spaces and tabs as one space, trimmed.
    mutating func appendCCMailFold(_ bytes: UnsafeBufferPointer<UInt8>) {
        var pendingSpace = false
        var wroteAny = false
        var afterC3 = false
        for byte in bytes {
            if afterC3 {
                afterC3 = false
                append(ASCIIFolding.lowercasedAfterC3(byte))
                continue
            }
            if byte == 0x20 || byte == 0x09 {
                pendingSpace = wroteAny
                continue
            }
            if pendingSpace {
                append(0x20)
                pendingSpace = false
            }
            afterC3 = byte == 0xC3
            append(ASCIIFolding.lowercased(byte))
            wroteAny = true
        }
    }
}
