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
