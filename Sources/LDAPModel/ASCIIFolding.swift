/// Lower-casing and space folding of ASCII bytes: the fast path of the comparison keys built from directory values
/// (DN values, caseIgnoreMatch assertions, attribute names), which are almost always ASCII. Each caller keeps its
/// own Unicode path for the rest.
package enum ASCIIFolding {
    /// `byte` lower-cased when it is an ASCII capital letter.
    @inlinable
    package static func lowercased(_ byte: UInt8) -> UInt8 {
        (0x41...0x5A).contains(byte) ? byte | 0x20 : byte
    }

    /// `text` lower-cased and trimmed, each run of bytes for which `isSpace` holds written as one space; nil when
    /// `text` is not ASCII.
    package static func key(_ text: String, isSpace: (UInt8) -> Bool) -> String? {
        folded(text, isSpace: isSpace) { $0 < 0x80 ? lowercased($0) : nil }
    }

    /// `text` in lower case, exactly as `String.lowercased()` gives it, but cheaper on the text directories hold:
    /// returned as is (no allocation) when it has no capital to change, and mapped byte by byte when it is ASCII or
    /// every scalar is Latin-1 (where each capital's small letter is 0x20 further on). Anything else goes to the
    /// standard library's full case mapping.
    package static func lowercased(_ text: String) -> String {
        var text = text
        let (ascii, capitals) = text.withUTF8 { bytes in
            (!bytes.contains { $0 >= 0x80 }, bytes.contains { (0x41...0x5A).contains($0) })
        }
        guard ascii else {
            return latin1Lowercased(text) ?? text.lowercased()
        }
        guard capitals else {
            return text
        }
        return text.withUTF8 { bytes in
            String(unsafeUninitializedCapacity: bytes.count) { output in
                for (index, byte) in bytes.enumerated() {
                    output[index] = lowercased(byte)
                }
                return bytes.count
            }
        }
    }

    /// `text` lower-cased on its UTF-8 bytes when every scalar is Latin-1 (lead bytes 0xC2 and 0xC3 only; see
    /// `lowercasedAfterC3`). Nil for anything else.
    private static func latin1Lowercased(_ text: String) -> String? {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        var afterC3 = false
        for byte in text.utf8 {
            if afterC3 {
                afterC3 = false
                bytes.append(lowercasedAfterC3(byte))
                continue
            }
            switch byte {
            case 0..<0x80, 0x80...0xBF, 0xC2:
                bytes.append(lowercased(byte))
            case 0xC3:
                afterC3 = true
                bytes.append(byte)
            default:
                return nil
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// `text` in upper case, exactly as `String.uppercased()` gives it: without allocating when ASCII with nothing to
    /// change, byte by byte when ASCII, and through the standard library otherwise (`ß` becomes `SS`).
    package static func uppercased(_ text: String) -> String {
        var changes = false
        for byte in text.utf8 {
            if byte >= 0x80 {
                return text.uppercased()
            }
            if (0x61...0x7A).contains(byte) {
                changes = true
            }
        }
        return changes
            ? String(decoding: text.utf8.map { (0x61...0x7A).contains($0) ? $0 & 0xDF : $0 }, as: UTF8.self) : text
    }

    /// `lhs.lowercased() == rhs.lowercased()`, exactly, without the lower-case copies while both are ASCII.
    ///
    /// While the bytes read so far are ASCII on both sides they sit at the same places in the lower-case copies,
    /// so a pair of ASCII bytes that differ once folded (or an ASCII byte facing the end of the other string)
    /// decides: ASCII characters are starters, and nothing that follows can make two different starters
    /// canonically equivalent. Anything outside ASCII goes to the lower-case copies.
    package static func equalIgnoringCase(_ lhs: String, _ rhs: String) -> Bool {
        var left = lhs.utf8.makeIterator()
        var right = rhs.utf8.makeIterator()
        while true {
            switch (left.next(), right.next()) {
            case (nil, nil):
                return true
            case (let leftByte?, let rightByte?) where leftByte < 0x80 && rightByte < 0x80:
                if ASCIIFolding.lowercased(leftByte) != ASCIIFolding.lowercased(rightByte) {
                    return false
                }
            case (let byte?, nil) where byte < 0x80, (nil, let byte?) where byte < 0x80:
                return false
            default:
                return ASCIIFolding.lowercased(lhs) == ASCIIFolding.lowercased(rhs)
            }
        }
    }

    /// `text` trimmed of the bytes `isSpace` accepts, each run of them inside written as one space, nothing else
    /// changed. Only ASCII bytes should be spaces: they are never part of a longer UTF-8 sequence.
    package static func collapsingSpaces(_ text: String, isSpace: (UInt8) -> Bool) -> String {
        folded(text, isSpace: isSpace) { $0 } ?? text
    }

    /// The second byte of a two-byte Latin-1 letter after 0xC3, lower-cased: the capitals `À`…`Þ` but `×` are
    /// C3 80…9E, their small letters C3 A0…BE.
    @inlinable
    package static func lowercasedAfterC3(_ byte: UInt8) -> UInt8 {
        (0x80...0x9E).contains(byte) && byte != 0x97 ? byte + 0x20 : byte
    }

    /// The loop behind `key` and `collapsingSpaces`: spaces trimmed and collapsed, every other byte through
    /// `map`; nil as soon as `map` refuses a byte.
    private static func folded(
        _ text: String, isSpace: (UInt8) -> Bool, map: (UInt8) -> UInt8?
    ) -> String? {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        var pendingSpace = false
        for byte in text.utf8 {
            if isSpace(byte) {
                pendingSpace = !bytes.isEmpty
                continue
            }
            guard let mapped = map(byte) else { return nil }
            if pendingSpace {
                bytes.append(0x20)
                pendingSpace = false
            }
            bytes.append(mapped)
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
