import LDAPModel

/// Comparing two strings in lower case without making the lower-case copies when both are ASCII.
enum CaseInsensitive {
    /// `lhs.lowercased() == rhs.lowercased()`, exactly, without the lower-case copies while both are ASCII.
    ///
    /// While the bytes read so far are ASCII on both sides they sit at the same places in the lower-case copies,
    /// so a pair of ASCII bytes that differ once folded (or an ASCII byte facing the end of the other string)
    /// decides: ASCII characters are starters, and nothing that follows can make two different starters
    /// canonically equivalent. Anything outside ASCII goes to the lower-case copies.
    static func equal(_ lhs: String, _ rhs: String) -> Bool {
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
}

/// Byte-for-byte equality of two strings' UTF-8, the test for "spelled the same" (`String`'s `==` is canonical
/// equivalence, which would let two spellings through).
enum SameBytes {
    static func equal(_ lhs: String, _ rhs: String) -> Bool {
        guard lhs.utf8.count == rhs.utf8.count else {
            return false
        }
        let compared = lhs.utf8.withContiguousStorageIfAvailable { left in
            rhs.utf8.withContiguousStorageIfAvailable { right in
                left.elementsEqual(right)
            }
        }
        if let compared, let result = compared {
            return result
        }
        return lhs.utf8.elementsEqual(rhs.utf8)
    }
}
