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
        if let (separatorIndex, addressIndex) = Self.separatorBytes(value, separator: separator) {
            guard separatorIndex != value.startIndex else {
                return nil
            }
            self.type = String(value[..<separatorIndex])
            self.address = String(value[addressIndex...])
            return
        }
        guard let index = value.firstIndex(of: separator), index != value.startIndex else {
            return nil
        }
        self.type = String(value[..<index])
        self.address = String(value[value.index(after: index)...])
    }

    /// Where the first separator byte is and where the address after it starts, when that byte is certainly the first
    /// separator Character: the separator is ASCII (not CR or LF, which join each other), and every scalar before it
    /// and the one after it are below U+0300 (UTF-8 lead bytes below 0xCC), so nothing before can prepend to it and
    /// nothing after can extend it. Nil when there is no separator byte or the general path must decide.
    private static func separatorBytes(_ value: String, separator: Character) -> (String.Index, String.Index)? {
        guard let byte = separator.asciiValue, byte != 0x0A, byte != 0x0D else {
            return nil
        }
        let utf8 = value.utf8
        var index = utf8.startIndex
        while index != utf8.endIndex {
            let current = utf8[index]
            if current >= 0xCC {
                return nil
            }
            if current == byte {
                let next = utf8.index(after: index)
                guard next == utf8.endIndex || utf8[next] < 0xCC else {
                    return nil
                }
                return (index, next)
            }
            index = utf8.index(after: index)
        }
        return nil
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
        if ProxyAddress.hasType(type, "CCMAIL") {
            self.init(folded: Self.ccMailKey(address, after: "CCMAIL:"))
        } else if ProxyAddress.hasType(type, "MIGRATE") {
            if let inner = ProxyAddress(parsing: address, separator: ":"), ProxyAddress.hasType(inner.type, "CCMAIL") {
                self.init(folded: Self.ccMailKey(inner.address, after: "MIGRATE:CCMAIL:"))
            } else {
                self.init(folded: "MIGRATE:" + ASCIIFolding.lowercased(address))
            }
        } else {
            self.init(folded: ASCIIFolding.uppercased(type) + ":" + ASCIIFolding.lowercased(address))
        }
    }

    /// A key already in comparison form, composed here. Text whose scalars are all below U+0300 (ASCII, Latin-1, the
    /// other Latin letters; UTF-8 lead bytes below 0xCC) is composed already.
    init(folded text: String) {
        let composedAlready = text.utf8.withContiguousStorageIfAvailable { !$0.contains { $0 >= 0xCC } } ?? false
        var composed = composedAlready ? text : text.precomposedStringWithCanonicalMapping
        self.text = composed
        var hasher = Hasher()
        composed.withUTF8 { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
        self.hash = hasher.finalize()
    }

    /// `prefix` followed by `<name> at <po>` compared as cc:Mail compares: lower case, runs of spaces and tabs as
    /// one space, trimmed; `prefix` is ASCII.
    ///
    /// That is exactly the normalised name, ` at `, and the normalised post office, without parsing the address
    /// (which costs more than everything else a large plan does with addresses), written in one piece.
    static func ccMailKey(_ address: String, after prefix: StaticString) -> String {
        let head = UnsafeBufferPointer(start: prefix.utf8Start, count: prefix.utf8CodeUnitCount)
        var text = address
        let key = text.withUTF8 { bytes -> String? in
            // Lead bytes above 0xC3 start scalars past Latin-1, whose case the byte rule does not know.
            guard !bytes.contains(where: { $0 >= 0xC4 }) else {
                return nil
            }
            // Case mapping keeps each Latin-1 byte's length and folding only removes spaces: the key fits.
            return String(unsafeUninitializedCapacity: head.count + bytes.count) { output in
                var count = 0
                for byte in head {
                    output[count] = byte
                    count += 1
                }
                var pendingSpace = false
                var afterC3 = false
                for byte in bytes {
                    if afterC3 {
                        afterC3 = false
                        output[count] = ASCIIFolding.lowercasedAfterC3(byte)
                        count += 1
                        continue
                    }
                    if byte == 0x20 || byte == 0x09 {
                        pendingSpace = count > head.count
                        continue
                    }
                    if pendingSpace {
                        output[count] = 0x20
                        count += 1
                        pendingSpace = false
                    }
                    afterC3 = byte == 0xC3
                    output[count] = ASCIIFolding.lowercased(byte)
                    count += 1
                }
                return count
            }
        }
        return key
            ?? prefix.description
            + ASCIIFolding.lowercased(ASCIIFolding.collapsingSpaces(address) { $0 == 0x20 || $0 == 0x09 })
    }

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
