/// An LDAP distinguished name, such as `cn=Smith\, John,ou=Site,o=Org`.
///
/// DNs are the keys of the whole sync: cc:Mail names become Exchange DNs, and a DN that is escaped wrongly or
/// compared byte-for-byte turns into a duplicate mailbox or a missed delete. So the type parses and prints RFC 4514
/// strictly-correct strings (lenient on input, strict on output) and compares by ``normalized``, which folds case
/// and insignificant spaces the way directory servers do.
///
/// A DN read from a server (or from a plan, which names entries as the server did) keeps its text when that text
/// holds an escape or a quote (``spelling``), and prints it unchanged: a server may refuse another spelling of an
/// entry's name that RFC 4514 allows (Active Directory answers `invalidDNSyntax` to `CN=Eq=ual` for the entry it
/// calls `CN=Eq\3Dual`), so an entry that exists is named exactly as it was read.
package struct DistinguishedName: Sendable, Hashable, CustomStringConvertible {
    /// The RDNs, most specific (leftmost) first. Empty for the root DSE. Changing them drops ``spelling``.
    package var rdns: [RelativeDistinguishedName] {
        didSet { spelling = nil }
    }

    /// The text the DN was parsed from with `keepingSpelling`, when that text holds a backslash or a quote (the
    /// only texts our own printing might spell differently in a way a server can refuse); nil otherwise. Not part of
    /// equality.
    package private(set) var spelling: String?

    /// Creates a DN from RDNs, most specific first.
    package init(_ rdns: [RelativeDistinguishedName]) {
        self.rdns = rdns
    }

    /// Creates a DN from RDNs parsed from `text`, keeping `text` as the spelling when it needs keeping.
    package init(_ rdns: [RelativeDistinguishedName], parsedFrom text: String) {
        self.rdns = rdns
        self.spelling = Self.keepsSpelling(text) ? text : nil
    }

    /// Whether a DN's text is kept beside its RDNs: it has an escape or a quote. Checked on the UTF-8 bytes.
    static func keepsSpelling(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { bytes in bytes.contains { $0 == UInt8(ascii: "\\") || $0 == UInt8(ascii: "\"") } }
    }

    /// Parses the RFC 4514 string form. The empty string is the root DSE (no RDNs).
    ///
    /// Parsing is lenient where that cannot be ambiguous: spaces around `,`, `+` and `=` are ignored, `;` is accepted
    /// as an RDN separator and whole values may be quoted (both RFC 2253 legacy), and `<`/`>` are accepted unescaped.
    ///
    /// `keepingSpelling`: the text names an entry as a server spells it (a search result, a plan's change), and
    /// prints as it is (see ``spelling``); otherwise it prints in the strict form.
    ///
    /// - Throws: ``DistinguishedNameError`` with the offset of the first problem.
    package init(parsing string: String, keepingSpelling: Bool = false) throws(DistinguishedNameError) {
        var parser = DistinguishedNameParser(string)
        let rdns = try parser.parseDistinguishedName()
        if keepingSpelling {
            self.init(rdns, parsedFrom: string)
        } else {
            self.init(rdns)
        }
    }

    /// The root DSE: the DN with no RDNs.
    package static let root = DistinguishedName([])

    /// The text the DN was parsed from when it was kept (see ``spelling``); otherwise the RFC 4514 string form
    /// with every value escaped as required.
    package var description: String {
        if let spelling {
            return spelling
        }
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

    /// The DN of an entry directly below this one; below a DN with a ``spelling``, the child keeps that spelling
    /// after its own RDN.
    package func child(_ rdn: RelativeDistinguishedName) -> DistinguishedName {
        var child = DistinguishedName([rdn] + rdns)
        if let spelling {
            child.spelling = rdn.description + "," + spelling
        }
        return child
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
