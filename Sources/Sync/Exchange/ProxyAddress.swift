import CCMail
import Foundation
import LDAPModel

/// One proxy (or target) address: a type such as `SMTP`, `X400`, `CCMAIL` or `MIGRATE`, and the address.
///
/// Exchange marks the primary address of each type by writing the type in upper case and secondary ones in
/// lower case; types and addresses compare without regard to case, as Exchange compares them.
package struct ProxyAddress: Sendable, Hashable, CustomStringConvertible {
    /// The type as written (its case says primary or secondary).
    package var type: String
    /// Everything after the separator.
    package var address: String

    package init(type: String, address: String) {
        self.type = type
        self.address = address
    }

    /// Splits `value` at the first `separator` Character; nil when there is none or the type is empty.
    package init?(parsing value: String, separator: Character) {
        guard let (typeEnd, addressStart) = Self.separatorOffsets(in: value, separator: separator) else {
            return nil
        }
        var value = value
        (type, address) = value.withUTF8 { bytes in
            (
                String(decoding: UnsafeBufferPointer(rebasing: bytes[..<typeEnd]), as: UTF8.self),
                String(decoding: UnsafeBufferPointer(rebasing: bytes[addressStart...]), as: UTF8.self)
            )
        }
    }

    /// Where `value` splits at its first `separator` Character, in UTF-8 offsets: where the type ends and where the
    /// address starts; nil when there is no separator, or nothing before it.
    package static func separatorOffsets(
        in value: String, separator: Character
    ) -> (typeEnd: Int, addressStart: Int)? {
        if let byte = separator.asciiValue, byte != 0x0A, byte != 0x0D {
            var value = value
            switch value.withUTF8({ firstSeparator(byte, in: $0) }) {
            case .absent:
                return nil
            case .at(let offset):
                return offset == 0 ? nil : (offset, offset + 1)
            case .undecided:
                break
            }
        }
        guard let index = value.firstIndex(of: separator), index != value.startIndex else {
            return nil
        }
        let utf8 = value.utf8
        return (
            utf8.distance(from: utf8.startIndex, to: index),
            utf8.distance(from: utf8.startIndex, to: value.index(after: index))
        )
    }

    private enum ByteSearch {
        /// The first separator Character is this one byte, at this offset.
        case at(Int)
        /// There is no separator byte, so no separator Character either (an ASCII Character is only itself).
        case absent
        /// Scalars around the byte might join it into a longer Character: the Character search decides.
        case undecided
    }

    /// Finds the first `separator` (ASCII, not CR or LF, which join each other) among UTF-8 bytes. The byte is
    /// certainly the first separator Character when every scalar before it and the one after it are below U+0300
    /// (UTF-8 lead bytes below 0xCC): nothing before can prepend to it and nothing after can extend it.
    private static func firstSeparator(_ separator: UInt8, in bytes: UnsafeBufferPointer<UInt8>) -> ByteSearch {
        for (offset, byte) in bytes.enumerated() {
            if byte == separator {
                return offset + 1 == bytes.count || bytes[offset + 1] < 0xCC ? .at(offset) : .undecided
            }
            if byte >= 0xCC {
                return .undecided
            }
        }
        return .absent
    }

    /// Upper-case type: the primary address of its type.
    package var isPrimary: Bool { type == ASCIIFolding.uppercased(type) && type != ASCIIFolding.lowercased(type) }

    /// The type in upper case, for comparing.
    package var normalizedType: String { ASCIIFolding.uppercased(type) }

    /// Whether a proxy type is `upper` once upper-cased (`ProxyAddress.normalizedType == upper`), without making
    /// the upper-case copy when the type is ASCII; `upper` is upper-case ASCII.
    package static func hasType(_ type: some StringProtocol, _ upper: String) -> Bool {
        var expected = upper.utf8.makeIterator()
        for byte in type.utf8 {
            guard byte < 0x80 else {
                // Outside ASCII upper-casing can change the length (`ß` → `SS`) or land in ASCII (`ı` → `I`).
                return ASCIIFolding.uppercased(String(type)) == upper
            }
            let folded = (0x61...0x7A).contains(byte) ? byte & 0xDF : byte
            guard folded == expected.next() else {
                // Everything so far is ASCII, so this is the same place in the upper-case copy, and no later
                // character can turn it into the ASCII letter wanted (composing with an ASCII letter never gives
                // ASCII).
                return false
            }
        }
        return expected.next() == nil
    }

    /// `TYPE:address` — the form Active Directory uses, and the one reports print.
    package var description: String { "\(type):\(address)" }

    /// The comparison key: type and address without case, and cc:Mail addresses in their canonical spelling, so
    /// `CCMAIL:Smith,  John AT po1` and `ccmail:smith, john at PO1` are the same address.
    package var key: AddressKey { AddressKey(type: normalizedType, address: address) }

    /// The cc:Mail address of a `CCMAIL` proxy, when it parses.
    package var ccMailAddress: CCMailAddress? {
        guard Self.hasType(type, "CCMAIL") else {
            return nil
        }
        return try? CCMailAddress(parsing: address)
    }

    /// The cc:Mail address a `MIGRATE` value names (`MIGRATE:CCMAIL:<Name> at <PO>`), when it parses.
    package var migrateTarget: CCMailAddress? {
        guard Self.hasType(type, "MIGRATE") else {
            return nil
        }
        guard let inner = ProxyAddress(parsing: address, separator: ":") else {
            return nil
        }
        return inner.ccMailAddress
    }

    /// The MIGRATE value for a cc:Mail address: `MIGRATE` + `CCMAIL:<Name> at <PO>`.
    package static func migrate(_ address: CCMailAddress) -> ProxyAddress {
        ProxyAddress(type: "MIGRATE", address: "CCMAIL:\(address)")
    }

    /// What every MIGRATE value for a cc:Mail address starts with (`MIGRATE` + `CCMAIL:`), whoever it names.
    package static let migrateCCMailPrefix = ProxyAddress(type: "MIGRATE", address: "CCMAIL:")
}

/// An address reduced to what makes two spellings the same address: see `ProxyAddress.key`.
///
/// The text is kept in Unicode's composed normal form (NFC), so two keys are equal exactly when their texts are
/// canonically equivalent (`String`'s `==`), and equality and hashing read the bytes.
package struct AddressKey: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// `TYPE:address` in comparison form, composed.
    package let text: String
    /// The text's bytes hashed once, when the key is made (`hash(into:)` hands this on, `==` compares it first).
    private let hash: Int

    /// The key of `type` + `address`; `CCMAIL` and `MIGRATE:CCMAIL` addresses are canonicalised first.
    package init(type: String, address: String) {
        var type = type
        var address = address
        self = type.withUTF8 { type in address.withUTF8 { AddressKey(type: type, address: $0) } }
    }

    /// The key of a type and an address given as their UTF-8 bytes, such as the two sides of a value as read, which
    /// need not become strings of their own first.
    init(type: UnsafeBufferPointer<UInt8>, address: UnsafeBufferPointer<UInt8>) {
        if let text = Self.latin1Key(type: type, address: address) {
            // Every scalar is below U+0300, so the text is composed already.
            self.init(composed: text)
        } else {
            self.init(
                folded: Self.comparisonForm(
                    type: String(decoding: type, as: UTF8.self), address: String(decoding: address, as: UTF8.self)))
        }
    }

    /// A key already in comparison form, composed here. Text whose scalars are all below U+0300 (ASCII, Latin-1, the
    /// other Latin letters; UTF-8 lead bytes below 0xCC) is composed already.
    init(folded text: String) {
        let composedAlready = text.utf8.withContiguousStorageIfAvailable { !$0.contains { $0 >= 0xCC } } ?? false
        self.init(composed: composedAlready ? text : text.precomposedStringWithCanonicalMapping)
    }

    private init(composed: String) {
        var composed = composed
        self.text = composed
        var hasher = Hasher()
        composed.withUTF8 { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
        self.hash = hasher.finalize()
    }

    /// The comparison form of `type` + `address`, by the rules as the standard library states them: the type in
    /// upper case, the address in lower case, and cc:Mail addresses (`CCMAIL`, `MIGRATE` + `CCMAIL:`) with runs of
    /// spaces and tabs as one space, trimmed, which is exactly the normalised name, ` at `, and the normalised post
    /// office, without parsing the address.
    static func comparisonForm(type: String, address: String) -> String {
        func ccMailFold(_ address: String) -> String {
            ASCIIFolding.lowercased(ASCIIFolding.collapsingSpaces(address) { $0 == 0x20 || $0 == 0x09 })
        }
        if ProxyAddress.hasType(type, "CCMAIL") {
            return "CCMAIL:" + ccMailFold(address)
        }
        if ProxyAddress.hasType(type, "MIGRATE") {
            if let inner = ProxyAddress(parsing: address, separator: ":"), ProxyAddress.hasType(inner.type, "CCMAIL") {
                return "MIGRATE:CCMAIL:" + ccMailFold(inner.address)
            }
            return "MIGRATE:" + ASCIIFolding.lowercased(address)
        }
        return ASCIIFolding.uppercased(type) + ":" + ASCIIFolding.lowercased(address)
    }

    /// `comparisonForm(type:address:)` written in one pass into the key's own storage, when the type is ASCII and
    /// every scalar of the address is Latin-1 (no UTF-8 lead byte above 0xC3); nil otherwise. There every step is a
    /// byte rule: ASCII's upper case for the type, `ASCIIFolding`'s Latin-1 lower case for the address, and the first
    /// colon byte is the first colon Character. Reading a directory keys millions of proxy values this way.
    private static func latin1Key(type: UnsafeBufferPointer<UInt8>, address: UnsafeBufferPointer<UInt8>) -> String? {
        guard !type.contains(where: { $0 >= 0x80 }), !address.contains(where: { $0 >= 0xC4 }) else {
            return nil
        }
        // Case mapping keeps each byte's length and folding only removes spaces: the key fits.
        return String(unsafeUninitializedCapacity: type.count + 1 + address.count) { output in
            var writer = KeyWriter(output)
            for byte in type {
                writer.append((0x61...0x7A).contains(byte) ? byte & 0xDF : byte)
            }
            writer.append(colon)
            let upperType = UnsafeBufferPointer(rebasing: output[..<type.count])
            if upperType.elementsEqual(ccMail) {
                writer.appendCCMailFold(address)
            } else if upperType.elementsEqual(migrate), let inner = innerCCMailAddress(address) {
                writer.append(contentsOf: ccMail)
                writer.append(colon)
                writer.appendCCMailFold(inner)
            } else {
                writer.appendLowercased(address)
            }
            return writer.count
        }
    }

    /// The address of an inner `CCMAIL:` value (`MIGRATE:CCMAIL:<address>`) when `bytes` is one: the type before
    /// the first colon is `CCMAIL` in any ASCII case.
    private static func innerCCMailAddress(_ bytes: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8>? {
        guard let colonIndex = bytes.firstIndex(of: colon), colonIndex == ccMail.count,
            zip(bytes[..<colonIndex], ccMail).allSatisfy({ ($0 & 0xDF) == $1 })
        else {
            return nil
        }
        return UnsafeBufferPointer(rebasing: bytes[(colonIndex + 1)...])
    }

    private static let colon = UInt8(ascii: ":")
    private static let ccMail = Array("CCMAIL".utf8)
    private static let migrate = Array("MIGRATE".utf8)

    package var description: String { text }

    package static func < (lhs: AddressKey, rhs: AddressKey) -> Bool { lhs.text < rhs.text }

    /// Byte equality of the composed texts, which is `String`'s equality of them; keys of different hashes differ.
    package static func == (lhs: AddressKey, rhs: AddressKey) -> Bool {
        lhs.hash == rhs.hash && lhs.text.isSpelledLike(rhs.text)
    }

    /// The stored hash of the text's bytes: a key is hashed once, however many tables it is looked up in.
    package func hash(into hasher: inout Hasher) {
        hasher.combine(hash)
    }
}

/// Writes a key's bytes into the storage of the string being made, which has room for them.
private struct KeyWriter {
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

    /// Latin-1 bytes lower-cased: ASCII capitals, and the capital after a 0xC3 lead.
    mutating func appendLowercased(_ bytes: UnsafeBufferPointer<UInt8>) {
        var afterC3 = false
        for byte in bytes {
            append(afterC3 ? ASCIIFolding.lowercasedAfterC3(byte) : ASCIIFolding.lowercased(byte))
            afterC3 = byte == 0xC3
        }
    }

    /// Latin-1 bytes as cc:Mail compares them: lower case, runs of spaces and tabs as one space, trimmed.
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
