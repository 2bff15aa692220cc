/// One component of a distinguished name, such as `cn=Smith\, John` or the multi-valued `ou=Sales+cn=J. Smith`.
///
/// Multi-valued RDNs are rare but legal, and Exchange and cc:Mail gateways do produce them; the AVAs keep their
/// written order for display, while equality ignores the order because RFC 4514 gives it no meaning.
package struct RelativeDistinguishedName: Sendable, Hashable, CustomStringConvertible {
    /// The type/value pairs, in written order. Never empty.
    package var attributes: [AttributeTypeAndValue]

    /// Creates an RDN from one or more pairs.
    ///
    /// - Precondition: `attributes` is not empty; an RDN without a value cannot be written down.
    package init(_ attributes: [AttributeTypeAndValue]) {
        precondition(!attributes.isEmpty, "a relative distinguished name needs at least one type=value pair")
        self.attributes = attributes
    }

    /// Creates a single-valued RDN.
    package init(type: String, value: String) {
        self.attributes = [AttributeTypeAndValue(type: type, value: value)]
    }

    /// Parses one RDN in RFC 4514 form, for example `cn=Smith\, John` or `ou=Sales+cn=J. Smith`.
    ///
    /// - Throws: ``DistinguishedNameError`` when the text is not exactly one RDN.
    package init(parsing string: String) throws(DistinguishedNameError) {
        var parser = DistinguishedNameParser(string)
        self = try parser.parseSingleRDN()
    }

    /// The RFC 4514 string form: the escaped pairs joined with `+`.
    package var description: String {
        var text = ""
        write(to: &text)
        return text
    }

    /// Appends the string form to `text`.
    func write(to text: inout String) {
        for (index, pair) in attributes.enumerated() {
            if index > 0 {
                text += "+"
            }
            pair.write(to: &text)
        }
    }

    /// The comparison key: the pairs' normalised forms, sorted, joined with `+`.
    package var normalized: String {
        if attributes.count == 1 {
            return attributes[0].normalized
        }
        return attributes.map(\.normalized).sorted().joined(separator: "+")
    }

    /// The value of the first pair; the usual way to read a single-valued RDN such as `cn=…`.
    package var value: String {
        attributes.first?.value ?? ""
    }

    package static func == (lhs: Self, rhs: Self) -> Bool {
        if lhs.attributes.count == 1 && rhs.attributes.count == 1 {
            return lhs.attributes[0] == rhs.attributes[0]
        }
        return lhs.normalized == rhs.normalized
    }

    package func hash(into hasher: inout Hasher) {
        hasher.combine(normalized)
    }
}
