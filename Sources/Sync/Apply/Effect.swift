import LDAPModel

/// What a change does to an entry, checked against the entry as it is now.
enum Effect {
    /// Values of an entry by attribute name, as text.
    static func values(_ entry: Entry) -> [String: [String]] {
        var values: [String: [String]] = [:]
        for attribute in entry.attributes {
            values[attribute.name, default: []] += attribute.strings
        }
        return values
    }

    static func has(_ entry: Entry, _ attribute: String, _ value: String) -> Bool {
        entry.strings(attribute).contains { CaseIgnoreMatch.equal($0, value) }
    }

    /// Whether the directory already shows the change's result.
    static func holds(_ change: Plan.Change, on entry: Entry?) -> Bool {
        switch change.kind {
        case .delete:
            return entry == nil
        case .create:
            guard let entry else {
                return false
            }
            return change.attributes.allSatisfy { attribute, values in
                attribute.lowercased() == "objectclass" || values.allSatisfy { has(entry, attribute, $0) }
            }
        case .modify:
            guard let entry else {
                return false
            }
            return change.modifications.allSatisfy { modification in
                modification.values.allSatisfy { value in
                    has(entry, modification.attribute, value) == (modification.op == .add)
                }
            }
        }
    }

    /// Why the change may not run any more; nil when its preconditions hold.
    static func stale(_ change: Plan.Change, on entry: Entry?) -> String? {
        switch change.kind {
        case .create:
            return entry == nil ? nil : "an entry with this DN exists and differs from the one planned"
        case .modify, .delete:
            guard let entry else {
                return "the entry no longer exists"
            }
            for precondition in change.preconditions {
                if let missing = precondition.present.first(where: { !has(entry, precondition.attribute, $0) }) {
                    return "\(precondition.attribute) no longer holds '\(missing)'"
                }
                if let present = precondition.absent.first(where: { has(entry, precondition.attribute, $0) }) {
                    return "\(precondition.attribute) now holds '\(present)'"
                }
                if let other = others(precondition, on: entry).first {
                    return "\(precondition.attribute) now holds '\(other)'"
                }
            }
            return nil
        }
    }

    /// The values `precondition.noOthersStartingWith` rules out that the entry holds.
    static func others(_ precondition: Plan.Precondition, on entry: Entry) -> [String] {
        guard let prefix = precondition.noOthersStartingWith else {
            return []
        }
        return entry.strings(precondition.attribute).filter { value in
            CaseIgnoreMatch.hasPrefix(value, prefix)
                && !precondition.present.contains { CaseIgnoreMatch.equal($0, value) }
        }
    }

    /// Whether the server cannot check the change's preconditions with the write itself: "no other value" besides
    /// values that must be there has no filter (a filter holds when any value matches), so such a change is checked
    /// on a read just before it is sent.
    static func needsRead(_ change: Plan.Change) -> Bool {
        change.preconditions.contains { $0.noOthersStartingWith != nil && !$0.present.isEmpty }
    }

    /// The modifications still to do when part of a modify already shows; nil when nothing is left.
    static func remaining(_ change: Plan.Change, on entry: Entry?) -> [Plan.Modification]? {
        guard let entry else {
            return nil
        }
        let remaining = change.modifications.compactMap { modification -> Plan.Modification? in
            let values = modification.values.filter {
                has(entry, modification.attribute, $0) != (modification.op == .add)
            }
            return values.isEmpty
                ? nil : Plan.Modification(op: modification.op, attribute: modification.attribute, values: values)
        }
        return remaining.isEmpty ? nil : remaining
    }

    /// The preconditions as an assertion filter (RFC 4528), so the server checks them with the write.
    static func assertion(_ change: Plan.Change) -> Filter? {
        var parts: [Filter] = []
        for precondition in change.preconditions {
            parts += precondition.present.map { .equality(precondition.attribute, $0) }
            parts += precondition.absent.map { .not(.equality(precondition.attribute, $0)) }
            if let prefix = precondition.noOthersStartingWith, precondition.present.isEmpty {
                parts.append(
                    .not(
                        prefix.isEmpty
                            ? .present(precondition.attribute)
                            : .substring(precondition.attribute, initial: prefix, any: [], final: nil)))
            }
        }
        switch parts.count {
        case 0: return nil
        case 1: return parts[0]
        default: return .and(parts)
        }
    }
}
