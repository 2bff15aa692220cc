/// Equality of directory string values as the servers compare the values ccdirsync reads and writes: caseIgnoreMatch
/// (RFC 4517) with RFC 4518's insignificant space handling.
///
/// Every attribute the profiles touch (proxy addresses, target address, names, marks) matches this way on Exchange,
/// Active Directory and the project's schemas, so this is the one notion of "the same value" for the planner's
/// comparisons, the applier's preconditions and the verdicts of `verify`.
package enum CaseIgnoreMatch {
    /// `value` as the rule compares it: without case, leading and trailing spaces dropped, every run of spaces
    /// inside counting as one. Space is U+0020 only, as slapd has it.
    package static func key(_ value: String) -> String {
        if let ascii = ASCIIFolding.key(value, isSpace: { $0 == 0x20 }) {
            return ascii
        }
        // Spaces are folded on the bytes and case afterwards: case mapping neither makes nor removes spaces, so the
        // order does not matter.
        return ASCIIFolding.lowercased(ASCIIFolding.collapsingSpaces(value) { $0 == 0x20 })
    }

    /// Whether the server holds `lhs` and `rhs` for one value.
    package static func equal(_ lhs: String, _ rhs: String) -> Bool {
        lhs == rhs || key(lhs) == key(rhs)
    }

    /// Whether `value` starts with `prefix` as the rule compares (a substring filter's initial part).
    package static func hasPrefix(_ value: String, _ prefix: String) -> Bool {
        key(value).hasPrefix(key(prefix))
    }
}
