import LDAPModel

/// Who holds each user's target address in the Exchange directory: objects ccdirsync does not own (mailboxes
/// included), and its own custom recipients.
///
/// The planner asks before it creates a recipient or moves one to a new target (an address held elsewhere blocks
/// both), and reports an address held by two or more objects. Only the users' target addresses go into the tables,
/// so the directory's other addresses (several per mailbox) never do.
struct AddressHolders {
    /// Users' target addresses held by objects ccdirsync does not own (mailboxes included), to who holds them.
    let foreign: [AddressKey: [DistinguishedName]]
    /// Users' target addresses held by ccdirsync's own recipients, to who holds them.
    let owned: [AddressKey: [DistinguishedName]]

    /// `objectKeys`: every object's address keys; `targets`: the target address of every user.
    init(exchange: ExchangeDirectory, objectKeys: ObjectAddressKeys, targets: Set<AddressKey>) {
        // `mail` holds an object's SMTP address even where no proxy repeats it (a contact made by hand): it counts
        // when some user's target is an SMTP address (a gateway in `smtp` mode).
        let smtpTargets = targets.contains { $0.text.hasPrefix(Self.smtpKeyPrefix) }
        func note(
            _ object: ExchangeObject, keys: ArraySlice<AddressKey>, in held: inout [AddressKey: [DistinguishedName]]
        ) {
            var found = keys.filter { targets.contains($0) }
            if smtpTargets {
                for mail in object.mail {
                    let key = AddressKey(type: "SMTP", address: mail)
                    if targets.contains(key), !found.contains(key) {
                        found.append(key)
                    }
                }
            }
            for key in found {
                held[key, default: []].append(object.dn)
            }
        }
        var held: [AddressKey: [DistinguishedName]] = [:]
        for index in exchange.mailboxes.indices {
            note(exchange.mailboxes[index], keys: objectKeys.mailbox(index), in: &held)
        }
        for index in exchange.foreign.indices {
            note(exchange.foreign[index], keys: objectKeys.foreign(index), in: &held)
        }
        foreign = held
        var ours: [AddressKey: [DistinguishedName]] = [:]
        for index in exchange.owned.indices {
            note(exchange.owned[index].object, keys: objectKeys.owned(index), in: &ours)
        }
        owned = ours
    }

    private static let smtpKeyPrefix = AddressKey(type: "SMTP", address: "").text

    /// The objects holding `targetKey` apart from `joined` (the user's own mailbox, which may carry the address as
    /// a secondary while our recipient is kept), each once, in the order found; nil unless there are two or more.
    func shared(_ targetKey: AddressKey, besides joined: DistinguishedName?) -> [DistinguishedName]? {
        let foreign = foreign[targetKey] ?? []
        let owned = owned[targetKey] ?? []
        guard foreign.count + owned.count > 1 else {
            return nil
        }
        var holders: [DistinguishedName] = []
        for dn in foreign + owned where dn != joined && !holders.contains(dn) {
            holders.append(dn)
        }
        return holders.count > 1 ? holders : nil
    }
}
