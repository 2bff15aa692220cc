import LDAPModel

/// The address keys of every object read, each object's in one span of one array.
///
/// The planner (who holds a user's target address?) and the validator (who holds an address the plan adds?) both
/// walk every object's addresses; the keys are gathered once for both.
struct ObjectAddressKeys {
    /// The keys of the mailboxes, then the owned recipients, then the foreign objects, each object's together.
    private let keys: [AddressKey]
    /// Where each object's keys start in `keys`, in the same order, and one past the end.
    private let starts: [Int]
    private let ownedStart: Int
    private let foreignStart: Int

    init(_ exchange: ExchangeDirectory) {
        var keys: [AddressKey] = []
        var starts: [Int] = []
        starts.reserveCapacity(exchange.mailboxes.count + exchange.owned.count + exchange.foreign.count + 1)
        for index in exchange.mailboxes.indices {
            starts.append(keys.count)
            for key in exchange.mailboxes[index].addressKeys {
                keys.append(key)
            }
        }
        ownedStart = starts.count
        for index in exchange.owned.indices {
            starts.append(keys.count)
            for key in exchange.owned[index].object.addressKeys {
                keys.append(key)
            }
        }
        foreignStart = starts.count
        for index in exchange.foreign.indices {
            starts.append(keys.count)
            for key in exchange.foreign[index].addressKeys {
                keys.append(key)
            }
        }
        starts.append(keys.count)
        self.keys = keys
        self.starts = starts
    }

    /// The keys of `exchange.mailboxes[index]`.
    func mailbox(_ index: Int) -> ArraySlice<AddressKey> {
        keys[starts[index]..<starts[index + 1]]
    }

    /// The keys of `exchange.owned[index].object`.
    func owned(_ index: Int) -> ArraySlice<AddressKey> {
        keys[starts[ownedStart + index]..<starts[ownedStart + index + 1]]
    }

    /// The keys of `exchange.foreign[index]`.
    func foreign(_ index: Int) -> ArraySlice<AddressKey> {
        keys[starts[foreignStart + index]..<starts[foreignStart + index + 1]]
    }
}

/// Writes DNs as `DistinguishedName.description` does, the shared part of DNs under one parent once.
///
/// Changes name mailboxes and recipients that nearly all sit in one or two containers; escaping and joining the
/// container's RDNs again for each of them was most of writing a DN.
struct DNSpeller {
    /// The last few parents and their text (a plan alternates between the mailboxes' and our container).
    private var parents: [(rdns: ArraySlice<RelativeDistinguishedName>, text: String)] = []
    private static let remembered = 4

    mutating func describe(_ dn: DistinguishedName) -> String {
        // A DN read from the server with escapes is named as the server spelled it.
        if let spelling = dn.spelling {
            return spelling
        }
        guard let first = dn.rdns.first, dn.rdns.count > 1 else {
            return dn.description
        }
        let rest = dn.rdns.dropFirst()
        let parentText: String
        // By position: `first(where:)` copied each remembered parent out (retaining its RDNs and text) to test it.
        if let known = parents.indices.first(where: { Self.sameSpelling(rest, parents[$0].rdns) }) {
            parentText = parents[known].text
        } else {
            parentText = DistinguishedName(Array(rest)).description
            if parents.count == Self.remembered {
                parents.removeFirst()
            }
            parents.append((rest, parentText))
        }
        // A one-pair RDN's text is its pair's text; joining a one-element list would allocate for nothing.
        let head = first.attributes.count == 1 ? first.attributes[0].description : first.description
        var text = ""
        text.reserveCapacity(head.utf8.count + 1 + parentText.utf8.count)
        text += head
        text += ","
        text += parentText
        return text
    }

    /// Whether two runs of RDNs are written the same: types, values and encodings byte for byte (what the text is
    /// made of; equality of RDNs ignores case).
    private static func sameSpelling(
        _ lhs: ArraySlice<RelativeDistinguishedName>, _ rhs: ArraySlice<RelativeDistinguishedName>
    ) -> Bool {
        lhs.elementsEqual(rhs) { left, right in
            left.attributes.elementsEqual(right.attributes) { a, b in
                a.value.isSpelledLike(b.value) && a.type.isSpelledLike(b.type)
                    && a.berEncoding == b.berEncoding
            }
        }
    }
}
