/// An LDAP distinguished name, such as `cn=Smith\, John,ou=Site,o=Org`.
///
/// DNs are the keys of the whole sync: cc:Mail names become Exchange DNs, and a DN that is escaped wrongly or
/// compared byte-for-byte turns into a duplicate mailbox or a missed delete. So the type parses and prints RFC 4514
/// strictly-correct strings (lenient on input, strict on output) and compares by ``normalized``, which folds case
/// and insignificant spaces the way directory servers do.
package struct DistinguishedName: Sendable, Hashable, CustomStringConvertible {
    /// The RDNs, most specific (leftmost) first. Empty for the root DSE.
    package var rdns: [RelativeDistinguishedName]

    /// Creates a DN from RDNs, most specific first.
    package init(_ rdns: [RelativeDistinguishedName]) {
        self.rdns = rdns
    }

    /// Parses the RFC 4514 string form. The empty string is the root DSE (no RDNs).
    ///
    /// Parsing is lenient where that cannot be ambiguous: spaces around `,`, `+` and `=` are ignored, `;` is accepted
    /// as an RDN separator and whole values may be quoted (both RFC 2253 legacy), and `<`/`>` are accepted unescaped.
    ///
    /// - Throws: ``DistinguishedNameError`` with the offset of the first problem.
    package init(parsing string: String) throws(DistinguishedNameError) {
        var parser = DistinguishedNameParser(string)
        self.rdns = try parser.parseDistinguishedName()
    }

    /// The root DSE: the DN with no RDNs.
    package static let root = DistinguishedName([])

    /// The RFC 4514 string form with every value escaped as required.
    package var description: String {
        // Written into one string: reports print a DN for every object, and joining per-RDN strings allocated
        // three times per RDN.
        var text = ""
        text.reserveCapacity(64)
        for (index, rdn) in rdns.enumerated() {
            if index > 0 {
                text += ","
            }
            rdn.write(to: &text)
        }
        return text
    }

    /// The comparison key: normalised RDNs joined with `,` (see ``AttributeTypeAndValue/normalized``).
    package var normalized: String {
        rdns.map(\.normalized).joined(separator: ",")
    }

    /// The first (most specific) RDN, or `nil` for the root DSE.
    package var rdn: RelativeDistinguishedName? {
        rdns.first
    }

    /// The DN one level up, or `nil` for the root DSE. The parent of a one-RDN DN is the root DSE.
    package var parent: DistinguishedName? {
        rdns.isEmpty ? nil : DistinguishedName(Array(rdns.dropFirst()))
    }

    /// Whether this is the root DSE.
    package var isEmpty: Bool {
        rdns.isEmpty
    }

    /// The DN of an entry directly below this one.
    package func child(_ rdn: RelativeDistinguishedName) -> DistinguishedName {
        DistinguishedName([rdn] + rdns)
    }

    /// Whether this DN is strictly below `ancestor`.
    package func isDescendant(of ancestor: DistinguishedName) -> Bool {
        rdns.count > ancestor.rdns.count && isWithin(ancestor)
    }

    /// Whether this DN equals `ancestor` or is below it.
    package func isWithin(_ ancestor: DistinguishedName) -> Bool {
        guard rdns.count >= ancestor.rdns.count else { return false }
        return rdns.suffix(ancestor.rdns.count).elementsEqual(ancestor.rdns)
    }

    package static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.rdns == rhs.rdns
    }

    package func hash(into hasher: inout Hasher) {
        hasher.combine(rdns.count)
        for rdn in rdns {
            hasher.combine(rdn)
        }
    }
}
