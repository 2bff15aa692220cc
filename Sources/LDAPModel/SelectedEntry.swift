/// The attributes a reader asked for, in the order it asked for them, and how to find a name the server sends among
/// them.
///
/// A reader that names its attributes knows where each one is before the first entry arrives, so it does not need
/// an `Entry` that keeps every name and is searched by name once per field: `SelectedEntry` holds the values by
/// position instead.
package struct AttributeSelection: Sendable, Hashable {
    /// The attribute names, as asked for.
    package let names: [String]
    /// Each name's UTF-8 bytes in lower case, compared with the names a server sends.
    private let keys: [[UInt8]]
    /// The reader wants each entry's DN as text only (`SelectedEntry.dnText`): the DN is not parsed, and
    /// `SelectedEntry.dn` is left as the root DSE. Parsing is most of the cost of reading a small entry, and a
    /// reader that only shows DNs, or looks inside a few of them, does better without it.
    package let dnTextOnly: Bool

    package init(_ names: [String], dnTextOnly: Bool = false) {
        self.names = names
        self.keys = names.map { $0.utf8.map(ASCIIFolding.lowercased) }
        self.dnTextOnly = dnTextOnly
    }

    /// The position of the first name equal to `name` without regard to ASCII case (attribute descriptions are
    /// ASCII: RFC 4512 descriptors or OIDs), or nil when none is. A name with options (`cn;lang-de`) is a different
    /// name, as `Entry.attribute(_:)` has it.
    package func position(of name: UnsafeBufferPointer<UInt8>) -> Int? {
        for (position, key) in keys.enumerated() where key.count == name.count {
            var same = true
            for index in 0..<key.count where ASCIIFolding.lowercased(name[index]) != key[index] {
                same = false
                break
            }
            if same {
                return position
            }
        }
        return nil
    }

    /// The position of the first name equal to `name` without regard to ASCII case, or nil.
    package func position(of name: String) -> Int? {
        var name = name
        return name.withUTF8 { position(of: $0) }
    }

    /// The position of the selected attribute that `name` sends a part of (`proxyAddresses;range=0-1499`, see
    /// `ValueRange`), with the part; nil for a name without a range option, or for an attribute not selected.
    package func part(named name: String) -> (position: Int, range: ValueRange)? {
        guard let range = ValueRange(name: name), let position = position(of: range.attribute) else {
            return nil
        }
        return (position, range)
    }

    /// The selected attributes of `entry`, each as `Entry.strings(_:)` gives them: the path for entries that already
    /// exist, such as an in-memory directory's. `dnTextOnly` is honoured here too, so that a reader tested against
    /// such a directory sees what a server's answers give it.
    package func select(_ entry: Entry) -> SelectedEntry {
        var selected = SelectedEntry(
            dn: dnTextOnly ? .root : entry.dn, dnText: entry.dn.description, values: names.map { entry.strings($0) })
        for attribute in entry.attributes {
            if let (position, range) = part(named: attribute.name) {
                selected.append(attribute.strings, part: range, at: position)
            }
        }
        return selected
    }
}

/// An entry read for an `AttributeSelection`: its DN and the text values of each selected attribute, by position.
///
/// Values are the ones that are valid UTF-8, as `Attribute.strings` has them; an attribute the entry does not have
/// holds no values.
package struct SelectedEntry: Sendable, Hashable {
    package var dn: DistinguishedName
    /// The DN as the server spelled it, for reports that show it (`ldapsearch` shows the same); `dn.description`
    /// for an entry that did not come from a server. Kept because writing `dn` out again costs as much as reading
    /// the entry's values.
    package var dnText: String
    /// `values[position]`: the values of the selection's attribute at `position`.
    package var values: [[String]]
    /// The attributes the server sent a first part of only (see `ValueRange`), by position, each with the index of
    /// the first value it has not sent: their `values` are not all the entry holds until the rest is read.
    package var unsentValues: [Int: Int]

    package init(dn: DistinguishedName, values: [[String]]) {
        self.init(dn: dn, dnText: dn.description, values: values)
    }

    package init(dn: DistinguishedName, dnText: String, values: [[String]], unsentValues: [Int: Int] = [:]) {
        self.dn = dn
        self.dnText = dnText
        self.values = values
        self.unsentValues = unsentValues
    }

    /// Adds the values of a part of the attribute at `position`, and notes where the values not sent yet start.
    package mutating func append(_ part: [String], part range: ValueRange, at position: Int) {
        values[position] += part
        if let last = range.last {
            unsentValues[position] = last + 1
        } else {
            unsentValues[position] = nil
        }
    }

    /// The values of the selection's attribute at `position`; none when `position` is nil or outside the selection.
    package subscript(position: Int?) -> [String] {
        guard let position, values.indices.contains(position) else {
            return []
        }
        return values[position]
    }
}
