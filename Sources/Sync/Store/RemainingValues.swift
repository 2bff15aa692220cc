import LDAPModel

/// Reads the values a server held back: Active Directory sends an attribute with more values than its
/// `MaxValRange` in parts (`proxyAddresses;range=0-1499`, see `ValueRange`), and the rest only when asked for by
/// part (`proxyAddresses;range=1500-*`). A mailbox read with its first part only would look as if it lacked
/// proxies it has, so the rest is read, or the read fails.
package enum RemainingValues {
    /// Reads one attribute of one entry for a name such as `proxyAddresses;range=1500-*`; nil when the entry is gone.
    package typealias Read = (String) throws(DirectoryStoreError) -> Entry?

    /// The values of `attribute` of `dn` from index `first` on, asked for part by part with `read`.
    ///
    /// Fails when a part does not come (the entry is gone, or the server sent no such part) or does not say the
    /// values it holds: an entry is never read with only some of its values.
    package static func read(
        _ attribute: String, of dn: DistinguishedName, from first: Int, with read: Read
    ) throws(DirectoryStoreError) -> [AttributeValue] {
        var values: [AttributeValue] = []
        var next = first
        while true {
            let asked = ValueRange.name(attribute, from: next)
            let entry = try read(asked)
            let part = entry?.attributes.lazy.compactMap { sent -> (ValueRange, Attribute)? in
                guard let range = ValueRange(name: sent.name), Entry.sameName(range.attribute, attribute),
                    range.first == next
                else {
                    return nil
                }
                return (range, sent)
            }.first
            guard let (range, sent) = part else {
                throw refusal(
                    asked, of: dn,
                    entry == nil
                        ? "the entry is gone" : "the server sent no values from \(next) on, where it said more follow")
            }
            values += sent.values
            guard let count = range.count else {
                return values
            }
            guard sent.values.count == count, count > 0 else {
                throw refusal(
                    asked, of: dn, "the server sent \(sent.values.count) values under \(sent.name)")
            }
            next += count
        }
    }

    /// `entry` with every attribute sent in parts read whole, under its name without the range option.
    package static func complete(_ entry: Entry, with read: Read) throws(DirectoryStoreError) -> Entry {
        guard entry.attributes.contains(where: { $0.name.utf8.contains(ValueRange.separator) }) else {
            return entry
        }
        var whole = Entry(dn: entry.dn)
        for attribute in entry.attributes {
            guard let range = ValueRange(name: attribute.name) else {
                whole.attributes.append(attribute)
                continue
            }
            var values = attribute.values
            if let last = range.last {
                values += try Self.read(range.attribute, of: entry.dn, from: last + 1, with: read)
            }
            if let plain = whole.attributes.firstIndex(where: { Entry.sameName($0.name, range.attribute) }) {
                whole.attributes[plain].values += values
            } else {
                whole.attributes.append(Attribute(range.attribute, values: values))
            }
        }
        return whole
    }

    /// `entry` with the values of every selected attribute sent in parts read whole.
    package static func complete(
        _ entry: SelectedEntry, of dn: DistinguishedName, selection: AttributeSelection, with read: Read
    ) throws(DirectoryStoreError) -> SelectedEntry {
        var whole = entry
        for (position, first) in entry.unsentValues.sorted(by: { $0.key < $1.key }) {
            let rest = try Self.read(selection.names[position], of: dn, from: first, with: read)
            whole.append(
                Attribute(selection.names[position], values: rest).strings,
                part: ValueRange(attribute: selection.names[position], first: first, last: nil), at: position)
        }
        return whole
    }

    private static func refusal(_ asked: String, of dn: DistinguishedName, _ reason: String) -> DirectoryStoreError {
        DirectoryStoreError(
            operation: "read \(asked) of \"\(dn)\"", resultCode: nil,
            message:
                "\(reason); the attribute has more values than the server sends at once (AD's MaxValRange), and an "
                + "entry is not read with only some of them",
            isUnavailable: false)
    }
}
