/// A cc:Mail directory name: the identity of a user, alias or post office.
///
/// cc:Mail keeps one entry per name in the whole directory and compares names without regard to case, so the
/// name alone (not `name at PO`) identifies a user. Two spellings that differ only in case, in spaces around the
/// name, or in runs of inner spaces are the same name: equality and hashing use `normalized`. `text` keeps the
/// spelling cc:Mail uses, because addresses written back into Exchange must spell names as cc:Mail does.
package struct CCMailName: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The name as written, without leading and trailing spaces or tabs.
    package let text: String

    /// The comparison key: lower case, trimmed, each run of spaces and tabs replaced by one space.
    package let normalized: String
    /// `normalized`'s bytes hashed once, when the name is made (`hash(into:)` hands this on, `==` compares it first).
    private let hash: Int

    /// Creates a name from text as read or typed.
    package init(_ text: String) {
        let trimmed = Self.trimmed(text)
        var normalized = Self.normalize(trimmed)
        self.text = trimmed
        self.normalized = normalized
        var hasher = Hasher()
        normalized.withUTF8 { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
        self.hash = hasher.finalize()
    }

    /// Whether the name has no characters other than spaces.
    package var isEmpty: Bool { text.isEmpty }

    /// The text before the first comma, trimmed (`Smith` in `Smith, John M.`); the whole name when it has no comma.
    ///
    /// The Exchange cc:Mail connector splits names the same way (KB Q185593): `Last, First`; a second comma
    /// belongs to the given name (`Smith, Jr., John` has the given name `Jr., John`). A name that starts with a
    /// comma has nothing to be a surname, so it is treated as having no comma.
    package var surname: String { commaSplit.surname }

    /// The text after the first comma, trimmed (`John M.`), or `nil` when there is no comma or nothing after it.
    package var givenName: String? { commaSplit.givenName }

    /// The surname and given name, both worked out in one pass (`CCMailUser` keeps them).
    var commaSplit: (surname: String, givenName: String?) {
        guard let comma = text.firstIndex(of: ",") else {
            return (text, nil)
        }
        let afterComma = text.index(after: comma)
        let surname = Self.trimmed(String(text[..<comma]))
        guard !surname.isEmpty else {
            return (text, nil)
        }
        let given = Self.trimmed(String(text[afterComma...]))
        return (surname, given.isEmpty ? nil : given)
    }

    /// The name as written.
    package var description: String { text }

    /// Equal when the normalised forms are equal, code unit by code unit.
    ///
    /// Names are compared as cc:Mail compares them: by character after case folding, without Unicode canonical
    /// equivalence (text decoded from a DOS code page is always precomposed). Comparing UTF-8 bytes keeps the
    /// merge of 100,000 accented names fast; `String`'s own comparison normalises on every call.
    package static func == (lhs: CCMailName, rhs: CCMailName) -> Bool {
        lhs.hash == rhs.hash && compareBytes(lhs.normalized, rhs.normalized) == 0
    }

    /// The stored hash of `normalized`: a name is hashed once, however many tables it is looked up in.
    package func hash(into hasher: inout Hasher) {
        hasher.combine(hash)
    }

    /// Orders by the normalised form's UTF-8 bytes, then by spelling, so sorting is deterministic and
    /// independent of locale.
    package static func < (lhs: CCMailName, rhs: CCMailName) -> Bool {
        let order = compareBytes(lhs.normalized, rhs.normalized)
        if order != 0 {
            return order < 0
        }
        return compareBytes(lhs.text, rhs.text) < 0
    }

    /// `memcmp`-style comparison of two strings' UTF-8 bytes: negative, zero or positive.
    private static func compareBytes(_ lhs: String, _ rhs: String) -> Int {
        let compared = lhs.utf8.withContiguousStorageIfAvailable { left in
            rhs.utf8.withContiguousStorageIfAvailable { right in
                compare(left, right)
            }
        }
        if let compared, let result = compared {
            return result
        }
        return Array(lhs.utf8).withUnsafeBufferPointer { left in
            Array(rhs.utf8).withUnsafeBufferPointer { right in compare(left, right) }
        }
    }

    /// `memcmp`-style comparison of two byte strings (such as normalised forms): negative, zero or positive.
    static func compare(_ left: UnsafeBufferPointer<UInt8>, _ right: UnsafeBufferPointer<UInt8>) -> Int {
        for (leftByte, rightByte) in zip(left, right) where leftByte != rightByte {
            return Int(leftByte) - Int(rightByte)
        }
        return left.count - right.count
    }

    /// `text` without leading and trailing spaces and tabs.
    static func trimmed(_ text: String) -> String {
        let utf8 = text.utf8
        guard let first = utf8.firstIndex(where: { $0 != 0x20 && $0 != 0x09 }),
            let last = utf8.lastIndex(where: { $0 != 0x20 && $0 != 0x09 })
        else {
            return ""
        }
        if first == utf8.startIndex, last == utf8.index(before: utf8.endIndex) {
            return text
        }
        return String(text[first...last])
    }

    /// Lower case with inner runs of spaces and tabs collapsed, worked out on UTF-8 bytes.
    ///
    /// Spaces and ASCII letters are single bytes in UTF-8, and the upper-case Latin-1 letters (what DOS code pages
    /// hold) lower-case by adding 0x20 to their second byte, so the usual names never go through
    /// `String.lowercased()`; a name with any other non-ASCII character does, once.
    private static func normalize(_ trimmed: String) -> String {
        var needsFullLowercasing = false
        var bytes: [UInt8] = []
        bytes.reserveCapacity(trimmed.utf8.count)
        var lastWasSpace = false
        var iterator = trimmed.utf8.makeIterator()
        while let byte = iterator.next() {
            switch byte {
            case 0x20, 0x09:
                if !lastWasSpace {
                    bytes.append(0x20)
                }
                lastWasSpace = true
                continue
            case 0x41...0x5A:
                bytes.append(byte | 0x20)
            case 0xC2, 0xC3:
                // U+00C0–U+00DE (but U+00D7, the multiplication sign) are upper case; the rest of U+0080–U+00FF
                // is lower case or caseless.
                guard let second = iterator.next() else {
                    bytes.append(byte)
                    break
                }
                let isUpper = byte == 0xC3 && second <= 0x9E && second != 0x97
                bytes.append(byte)
                bytes.append(isUpper ? second + 0x20 : second)
            case 0x80...:
                needsFullLowercasing = true
                bytes.append(byte)
            default:
                bytes.append(byte)
            }
            lastWasSpace = false
        }
        let collapsed = String(decoding: bytes, as: UTF8.self)
        return needsFullLowercasing ? collapsed.lowercased() : collapsed
    }
}
