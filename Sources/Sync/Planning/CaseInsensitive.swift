import LDAPModel

/// Comparing two strings in lower case without making the lower-case copies when both are ASCII.
enum CaseInsensitive {
    /// `lhs.lowercased() == rhs.lowercased()`, exactly: when both are ASCII the bytes are folded and compared in
    /// place (lower-casing ASCII gives ASCII of the same length, and two ASCII strings are equal when their bytes
    /// are); otherwise the lower-case copies are compared as `String`s.
    static func equal(_ lhs: String, _ rhs: String) -> Bool {
        let left = lhs.utf8
        let right = rhs.utf8
        if isASCII(left), isASCII(right) {
            return left.count == right.count
                && left.elementsEqual(right) { ASCIIFolding.lowercased($0) == ASCIIFolding.lowercased($1) }
        }
        return ASCIIFolding.lowercased(lhs) == ASCIIFolding.lowercased(rhs)
    }

    static func isASCII(_ text: String.UTF8View) -> Bool {
        text.allSatisfy { $0 < 0x80 }
    }
}
