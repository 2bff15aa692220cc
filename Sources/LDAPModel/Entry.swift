/// A directory entry: a DN and its attributes.
///
/// Attribute order is kept as given so that LDIF output is deterministic and mirrors the input; lookups compare
/// attribute names case-insensitively because LDAP attribute descriptions are case-insensitive (`mail` is `Mail`).
package struct Entry: Sendable, Hashable {
    /// The entry's name.
    package var dn: DistinguishedName

    /// The attributes, in order.
    package var attributes: [Attribute]

    /// Creates an entry.
    package init(dn: DistinguishedName, attributes: [Attribute] = []) {
        self.dn = dn
        self.attributes = attributes
    }

    /// The first attribute whose name matches `name` case-insensitively.
    package func attribute(_ name: String) -> Attribute? {
        index(of: name).map { attributes[$0] }
    }

    /// The values of attribute `name`, or `[]` when the entry does not have it.
    package func values(_ name: String) -> [AttributeValue] {
        attribute(name)?.values ?? []
    }

    /// The UTF-8 values of attribute `name`, or `[]` when the entry does not have it.
    package func strings(_ name: String) -> [String] {
        attribute(name)?.strings ?? []
    }

    /// Adds values to attribute `name`, creating it at the end if needed.
    ///
    /// LDAP attribute values form a set, so values already present (byte for byte) are not added again; adding the
    /// same value twice would make the server reject the whole entry.
    package mutating func add(_ name: String, values: [AttributeValue]) {
        let existing = index(of: name)
        var current = existing.map { attributes[$0].values } ?? []
        for value in values where !current.contains(value) {
            current.append(value)
        }
        if let existing {
            attributes[existing].values = current
        } else {
            attributes.append(Attribute(name, values: current))
        }
    }

    /// Adds text values (as UTF-8) to attribute `name`; see ``add(_:values:)``.
    package mutating func add(_ name: String, strings: [String]) {
        add(name, values: strings.map { Array($0.utf8) })
    }

    /// Replaces all values of attribute `name` (keeping its position), or appends it when absent.
    package mutating func set(_ name: String, values: [AttributeValue]) {
        if let existing = index(of: name) {
            attributes[existing].values = values
        } else {
            attributes.append(Attribute(name, values: values))
        }
    }

    /// Removes every attribute named `name`.
    package mutating func remove(_ name: String) {
        let key = name.lowercased()
        attributes.removeAll { $0.name.lowercased() == key }
    }

    private func index(of name: String) -> Int? {
        attributes.firstIndex { Self.sameName($0.name, name) }
    }

    /// Attribute names and object class names are ASCII (RFC 4512 descriptors or OIDs): compared byte by byte
    /// without case, with no allocation — the reader looks names up ten times per entry, 100,000 entries at a time.
    package static func sameName(_ lhs: String, _ rhs: String) -> Bool {
        ASCIIFolding.equalIgnoringCase(lhs, rhs)
    }
}
