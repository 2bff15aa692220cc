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
        // Only addresses the plan adds can become shared, so only their holders are looked up: the directory's
        // hundreds of thousands of other addresses are never put in a table.
        var added = Set<AddressKey>()
        for change in changes {
            switch change.kind {
            case .create:
                for (attribute, values) in change.attributes {
                    added.formUnion(addresses(attribute: attribute, values: values))
                }
            case .modify:
                for modification in change.modifications where modification.op == .add {
                    added.formUnion(addresses(attribute: modification.attribute, values: modification.values))
                }
            case .delete:
                break
            }
        }
        var holders: [AddressKey: [String: Int]] = [:]
        var display: [String: String] = [:]
        var keysByDN: [String: [AddressKey]] = [:]
        if !added.isEmpty {
            for object in exchange.allObjects where !object.addressKeys.isDisjoint(with: added) {
                let dn = object.dn.normalized
                display[dn] = object.dn.description
                var keys = object.proxies.map(\.key)
                if let key = object.targetKey {
                    keys.append(key)
                }
                keys = keys.filter { added.contains($0) }
                keysByDN[dn] = keys
                for key in keys {
                    holders[key, default: [:]][dn, default: 0] += 1
                }
            }
        }
        var problems: [String] = []
        var touched: [AddressKey] = []
        var created = Set<String>()
        var deleted = Set<String>()
        for change in changes {
            guard let dn = try? DistinguishedName(parsing: change.dn) else {
                problems.append("change \(change.id): '\(change.dn)' is not a DN")
                continue
            }
            let key = dn.normalized
            switch change.kind {
            case .delete:
                deleted.insert(key)
                for address in keysByDN[key] ?? [] {
                    holders[address]?[key] = nil
                }
            case .modify:
                for modification in change.modifications {
                    for address in addresses(attribute: modification.attribute, values: modification.values)
                    where added.contains(address) {
                        display[key] = change.dn
                        switch modification.op {
                        case .add:
                            holders[address, default: [:]][key, default: 0] += 1
                            touched.append(address)
                        case .delete:
                            if let count = holders[address]?[key] {
                                holders[address]?[key] = count > 1 ? count - 1 : nil
                            }
                        }
                    }
                }
            case .create:
                if !created.insert(key).inserted {
                    problems.append("\(change.dn) is created twice")
                } else if exchange.knownDNs.contains(key), !deleted.contains(key) {
                    problems.append("\(change.dn) is created but an entry with that DN exists")
                }
                display[key] = change.dn
                for (attribute, values) in change.attributes {
                    for address in addresses(attribute: attribute, values: values) {
                        holders[address, default: [:]][key, default: 0] += 1
                        touched.append(address)
                    }
                }
            }
        }
        var reported = Set<AddressKey>()
        for address in touched where reported.insert(address).inserted {
            let owners = (holders[address] ?? [:]).keys.sorted()
            if owners.count > 1 {
                let names = owners.map { display[$0] ?? $0 }.joined(separator: " and ")
                problems.append("address \(address) would be held by \(names)")
            }
        }
        return problems
    }

    /// The address keys among `values` when `attribute` is the proxy or target attribute.
    private func addresses(attribute: String, values: [String]) -> [AddressKey] {
        if attribute.lowercased() == profile.proxyAttribute.lowercased() {
            return values.compactMap { profile.parseProxy($0)?.key }
        }
        if attribute.lowercased() == profile.targetAttribute.lowercased() {
            return values.compactMap { ProxyAddress(parsing: $0, separator: ":")?.key }
        }
        return []
    }
}
