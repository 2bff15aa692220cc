/// One part of an attribute's values, as Active Directory sends an attribute that holds more values than its
/// `MaxValRange` (1,500 by default): the name carries the option `range=<first>-<last>`, `*` for the last part
/// (`proxyAddresses;range=0-1499`), and the plain name is then absent. The values from `last + 1` on are asked for
/// with another read of the entry, for `proxyAddresses;range=1500-*`.
package struct ValueRange: Sendable, Hashable {
    /// The attribute's name without the range option.
    package var attribute: String
    /// The index of the first value of this part.
    package var first: Int
    /// The index of the last value of this part; nil (`*`) when the part ends with the attribute's last value.
    package var last: Int?

    package init(attribute: String, first: Int, last: Int?) {
        self.attribute = attribute
        self.first = first
        self.last = last
    }

    /// Reads the range option of an attribute name such as `proxyAddresses;range=0-1499`; nil for a name without
    /// one, or with one that does not say a range (`range=x`, a last index before the first).
    package init?(name: String) {
        guard name.utf8.contains(Self.separator) else {
            return nil
        }
        var parts = name.split(separator: ";", omittingEmptySubsequences: false)
        guard
            let index = parts.indices.dropFirst().first(where: {
                ASCIIFolding.lowercased(String(parts[$0])).hasPrefix(Self.option)
            })
        else {
            return nil
        }
        let bounds = parts[index].dropFirst(Self.option.count).split(
            separator: "-", maxSplits: 1, omittingEmptySubsequences: false)
        guard bounds.count == 2, let first = Int(bounds[0]), first >= 0 else {
            return nil
        }
        var last: Int?
        if bounds[1] != "*" {
            guard let value = Int(bounds[1]), value >= first else {
                return nil
            }
            last = value
        }
        parts.remove(at: index)
        self.init(attribute: parts.joined(separator: ";"), first: first, last: last)
    }

    /// The name that asks for the values of `attribute` from index `first` to the last: `proxyAddresses;range=1500-*`.
    package static func name(_ attribute: String, from first: Int) -> String {
        "\(attribute);\(option)\(first)-*"
    }

    /// The name a server sends this part under: `proxyAddresses;range=0-1499`.
    package var name: String {
        "\(attribute);\(Self.option)\(first)-\(last.map(String.init) ?? "*")"
    }

    /// How many values this part holds, when it is not the last one.
    package var count: Int? {
        last.map { $0 - first + 1 }
    }

    private static let option = "range="
    /// What separates options from an attribute's name: `;`, as a byte.
    package static let separator = UInt8(ascii: ";")
}
