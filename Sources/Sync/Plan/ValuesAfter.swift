import LDAPModel

extension Plan.Change {
    /// The values of each touched attribute after a modify: `before`, minus what is deleted, plus what is added.
    ///
    /// Compared the way the applier and the directory compare (attribute names without regard to case, values by
    /// `CaseIgnoreMatch`); a `delete` without values removes the whole attribute, as it does in LDAP. The journal
    /// records it and every report shows it, so it is worked out in one place.
    package var valuesAfter: [String: [String]] {
        var values = Self.mergedByName(before)
        for modification in modifications {
            let key = values.keys.first { $0.lowercased() == modification.attribute.lowercased() }
            var current = key.flatMap { values[$0] } ?? []
            switch modification.op {
            case .delete where modification.values.isEmpty:
                current = []
            case .delete:
                current.removeAll { value in modification.values.contains { CaseIgnoreMatch.equal($0, value) } }
            case .add:
                for value in modification.values where !current.contains(where: { CaseIgnoreMatch.equal($0, value) }) {
                    current.append(value)
                }
            }
            values[key ?? modification.attribute] = current
        }
        return values
    }

    /// The values by attribute with names that differ only in case merged under the first of them in `<` order
    /// (LDAP attribute names ignore case), so look-ups by name find one key and never depend on dictionary order.
    package static func mergedByName(_ attributes: [String: [String]]) -> [String: [String]] {
        var merged: [String: [String]] = [:]
        var keys: [String: String] = [:]
        for key in attributes.keys.sorted() {
            let name = keys[key.lowercased()] ?? key
            keys[key.lowercased()] = name
            merged[name, default: []] += attributes[key] ?? []
        }
        return merged
    }
}
