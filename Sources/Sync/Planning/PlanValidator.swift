import LDAPModel

/// Checks a whole plan before anyone sees it: after it, no address is held by two objects and no DN is created
/// twice or on top of an existing entry.
///
/// The check replays the plan's address changes over the addresses read from the directory. Only addresses the
/// plan adds are judged: two foreign objects that already share an address are the directory's own business, but
/// ccdirsync must never be the one that makes such a pair.
struct PlanValidator {
    let profile: Profile
    let exchange: ExchangeDirectory

    /// The reasons the plan is refused; empty when it is sound.
    func problems(in changes: [Plan.Change]) -> [String] {
        problems(
            in: changes, normalizedDNs: changes.map { (try? DistinguishedName(parsing: $0.dn))?.normalized },
            objectKeys: ObjectAddressKeys(exchange))
    }

    /// The same, with each change's DN already parsed: `normalizedDNs[i]` is the normalised DN of `changes[i]`, nil
    /// when it does not parse. `PlanBuilder` has them from sorting the plan (parsing them twice cost as much as the
    /// rest of the check), and the objects' keys from planning.
    func problems(in changes: [Plan.Change], normalizedDNs: [String?], objectKeys: ObjectAddressKeys) -> [String] {
        var addresses = AddressReader(profile: profile)
        // The address keys of every change, worked out once and kept in one array: a create's keys in one span, a
        // modify's in one span per modification. Only addresses the plan adds can become shared, so only their
        // holders are looked up: the directory's hundreds of thousands of other addresses are never put in a table.
        var keys: [AddressKey] = []
        var spans: [Range<Int>] = []
        var firstSpan: [Int] = []
        firstSpan.reserveCapacity(changes.count)
        // Tables sized up front (a create adds two or three addresses, a modify one): grown step by step, each
        // rehashed every key it held at each doubling.
        var added = Set<AddressKey>(minimumCapacity: 2 * changes.count)
        for index in changes.indices {
            firstSpan.append(spans.count)
            switch changes[index].kind {
            case .create:
                let start = keys.count
                // Only the address attributes' values are read: taking every member out of the table retained the
                // values of a dozen attributes per create.
                let attributes = changes[index].attributes
                for position in attributes.indices {
                    if let kind = addresses.kind(of: attributes.keys[position]) {
                        addresses.append(kind, values: attributes.values[position], to: &keys)
                    }
                }
                spans.append(start..<keys.count)
                added.formUnion(keys[start...])
            case .modify:
                for modification in changes[index].modifications {
                    let start = keys.count
                    addresses.append(attribute: modification.attribute, values: modification.values, to: &keys)
                    spans.append(start..<keys.count)
                    if modification.op == .add {
                        added.formUnion(keys[start...])
                    }
                }
            case .delete:
                break
            }
        }
        var holders: [AddressKey: Holders] = [:]
        holders.reserveCapacity(added.count)
        /// The DNs as read of the objects that hold added addresses; a change's own spelling is looked up only
        /// when a problem is reported (see `display`).
        var display: [String: String] = [:]
        var keysByDN: [String: [AddressKey]] = [:]
        /// Notes the added addresses an object holds already (each array is walked in place: copying 100,000
        /// objects out of it costs more than the check).
        func noteHolder(_ object: ExchangeObject) {
            let dn = object.dn.normalized
            display[dn] = object.dn.description
            var held = object.proxies.map { $0.key }
            if let key = object.targetKey {
                held.append(key)
            }
            held = held.filter { added.contains($0) }
            keysByDN[dn] = held
            for key in held {
                holders[key, default: Holders()].add(dn)
            }
        }
        if !added.isEmpty {
            for index in exchange.mailboxes.indices where objectKeys.mailbox(index).contains(where: added.contains) {
                noteHolder(exchange.mailboxes[index])
            }
            for index in exchange.owned.indices where objectKeys.owned(index).contains(where: added.contains) {
                noteHolder(exchange.owned[index].object)
            }
            for index in exchange.foreign.indices where objectKeys.foreign(index).contains(where: added.contains) {
                noteHolder(exchange.foreign[index])
            }
        }
        var problems: [String] = []
        var touched: [AddressKey] = []
        var created = Set<String>(minimumCapacity: changes.count)
        var deleted = Set<String>()
        for index in changes.indices {
            guard let key = normalizedDNs[index] else {
                problems.append("change \(changes[index].id): '\(changes[index].dn)' is not a DN")
                continue
            }
            switch changes[index].kind {
            case .delete:
                deleted.insert(key)
                for address in keysByDN[key] ?? [] {
                    holders[address]?.remove(key)
                }
            case .modify:
                for offset in changes[index].modifications.indices {
                    for address in keys[spans[firstSpan[index] + offset]] where added.contains(address) {
                        switch changes[index].modifications[offset].op {
                        case .add:
                            holders[address, default: Holders()].add(key)
                            touched.append(address)
                        case .delete:
                            holders[address]?.decrement(key)
                        }
                    }
                }
            case .create:
                if !created.insert(key).inserted {
                    problems.append("\(changes[index].dn) is created twice")
                } else if exchange.knownDNs.contains(key), !deleted.contains(key) {
                    problems.append("\(changes[index].dn) is created but an entry with that DN exists")
                }
                for address in keys[spans[firstSpan[index]]] {
                    holders[address, default: Holders()].add(key)
                    touched.append(address)
                }
            }
        }
        /// How a problem names a DN: as the last change that creates it or adds an address to it spells it, else
        /// as read. Looked up only for a problem, rather than recorded for every change.
        func spelling(of key: String) -> String {
            for index in changes.indices.reversed() where normalizedDNs[index] == key {
                switch changes[index].kind {
                case .create:
                    return changes[index].dn
                case .modify:
                    let own = spans[firstSpan[index]..<firstSpan[index] + changes[index].modifications.count]
                    if own.contains(where: { keys[$0].contains(where: added.contains) }) {
                        return changes[index].dn
                    }
                case .delete:
                    continue
                }
            }
            return display[key] ?? key
        }
        var reported = Set<AddressKey>()
        for address in touched where reported.insert(address).inserted {
            let owners = (holders[address]?.dns ?? []).sorted()
            if owners.count > 1 {
                let names = owners.map { spelling(of: $0) }.joined(separator: " and ")
                problems.append("address \(address) would be held by \(names)")
            }
        }
        return problems
    }
}

/// The DNs (normalised) that hold one address, each with how many of its values hold it.
///
/// Almost every address has one holder: it is kept inline, and only further holders go into a list, so the
/// table of 100,000 addresses does not allocate a list (or a dictionary) for each.
private struct Holders {
    private var first: (dn: String, count: Int)?
    private var others: [(dn: String, count: Int)] = []

    /// The holders, in no particular order.
    var dns: [String] {
        (first.map { [$0.dn] } ?? []) + others.map(\.dn)
    }

    mutating func add(_ dn: String) {
        if let first, first.dn == dn {
            self.first = (dn: first.dn, count: first.count + 1)
        } else if let index = others.firstIndex(where: { $0.dn == dn }) {
            others[index].count += 1
        } else if first == nil {
            first = (dn, 1)
        } else {
            others.append((dn, 1))
        }
    }

    /// One value fewer; the DN stops holding the address at zero.
    mutating func decrement(_ dn: String) {
        if let first, first.dn == dn {
            self.first = first.count > 1 ? (dn: first.dn, count: first.count - 1) : nil
        } else if let index = others.firstIndex(where: { $0.dn == dn }) {
            if others[index].count > 1 {
                others[index].count -= 1
            } else {
                others.remove(at: index)
            }
        }
    }

    mutating func remove(_ dn: String) {
        if let first, first.dn == dn {
            self.first = nil
        }
        others.removeAll { $0.dn == dn }
    }
}

/// Reads the address keys out of a plan's values for the proxy and the target attribute.
private struct AddressReader {
    let profile: Profile

    init(profile: Profile) {
        self.profile = profile
    }

    /// The last address read and its key: a create's target and primary proxy are the same address spelled with
    /// two separators, so the second is usually the first again.
    private var last: (type: String, address: String, key: AddressKey)?

    /// The attributes whose values are addresses.
    enum AddressAttribute {
        case proxy, target
    }

    /// Which address attribute `attribute` is, if it is one.
    func kind(of attribute: String) -> AddressAttribute? {
        if ASCIIFolding.equalIgnoringCase(attribute, profile.proxyAttribute) {
            return .proxy
        }
        return ASCIIFolding.equalIgnoringCase(attribute, profile.targetAttribute) ? .target : nil
    }

    /// Appends the address keys among `values` when `attribute` is the proxy or target attribute.
    mutating func append(attribute: String, values: [String], to keys: inout [AddressKey]) {
        if let kind = kind(of: attribute) {
            append(kind, values: values, to: &keys)
        }
    }

    /// Appends the address keys among `values` of an address attribute.
    mutating func append(_ kind: AddressAttribute, values: [String], to keys: inout [AddressKey]) {
        switch kind {
        case .proxy:
            for value in values {
                if let proxy = profile.parseProxy(value) {
                    keys.append(key(proxy))
                }
            }
        case .target:
            for value in values {
                if let address = ProxyAddress(parsing: value, separator: ":") {
                    keys.append(key(address))
                }
            }
        }
    }

    /// `address.key`, taken from `last` when type and address are the same bytes (the key is a function of them).
    private mutating func key(_ address: ProxyAddress) -> AddressKey {
        if let last, last.address.isSpelledLike(address.address),
            last.type.isSpelledLike(address.type)
        {
            return last.key
        }
        let key = address.key
        last = (address.type, address.address, key)
        return key
    }
}
