import CCMail
import LDAPModel
import Logging

/// What the engine read from Exchange: mailboxes, the custom recipients it owns, and everything else that holds
/// an alias or an address.
///
/// Ownership is decided here, once: a custom recipient is ours only when it sits in the configured container and
/// carries the mark `ccdirsync:<cc:Mail name>`. An object whose mark an administrator removed, or that somebody
/// put into the container by hand, is foreign and is never modified or deleted.
package struct ExchangeDirectory: Sendable {
    /// A custom recipient ccdirsync owns, and the cc:Mail user its mark names.
    package struct OwnedRecipient: Sendable, Hashable {
        package var object: ExchangeObject
        package var ccMailName: CCMailName

        package init(object: ExchangeObject, ccMailName: CCMailName) {
            self.object = object
            self.ccMailName = ccMailName
        }
    }

    /// Mailboxes, sorted by DN.
    package var mailboxes: [ExchangeObject]
    /// Our custom recipients, sorted by cc:Mail name then DN.
    package var owned: [OwnedRecipient]
    /// Custom recipients we do not own and other addressed objects, sorted by DN.
    package var foreign: [ExchangeObject]
    /// Every DN read (normalised), to keep a new DN from landing on an existing entry.
    package var knownDNs: Set<String>

    /// Sorts what the three searches found into mailboxes, owned and foreign; an object whose DN came earlier (in
    /// the order mailboxes, custom recipients, others) is dropped.
    package init(
        mailboxes: [ExchangeObject], customRecipients: [ExchangeObject], others: [ExchangeObject],
        container: DistinguishedName
    ) {
        // Normalised DNs are worked out once per object: computing them inside the sort comparators costs more
        // than the whole read at 100,000 recipients.
        var seen = Set<String>(minimumCapacity: mailboxes.count + customRecipients.count + others.count)
        // The mailboxes, most of what is read, are sorted where they lie: a swap moves an object, where building a
        // sorted copy retains every field of every object and then releases the unsorted array's.
        var sortedMailboxes = mailboxes
        var kept: [(key: String, index: Int)] = []
        kept.reserveCapacity(mailboxes.count)
        var dropped: [Int] = []
        for (index, object) in mailboxes.enumerated() {
            let key = object.dn.normalized
            if seen.insert(key).inserted {
                kept.append((key, index))
            } else {
                dropped.append(index)
            }
        }
        kept.sort { $0.key < $1.key }
        sortedMailboxes.reorder(by: kept.map(\.index) + dropped)
        sortedMailboxes.removeLast(dropped.count)
        self.mailboxes = sortedMailboxes

        // The rest are sorted as keys and positions, then copied once into place.
        var owned: [(name: CCMailName, key: String, index: Int)] = []
        var foreign: [(key: String, fromOthers: Bool, index: Int)] = []
        for (index, object) in customRecipients.enumerated() {
            let key = object.dn.normalized
            guard seen.insert(key).inserted else {
                continue
            }
            if object.dn.isDescendant(of: container), let name = object.markedName {
                owned.append((name, key, index))
            } else {
                foreign.append((key, false, index))
            }
        }
        for (index, object) in others.enumerated() {
            let key = object.dn.normalized
            if seen.insert(key).inserted {
                foreign.append((key, true, index))
            }
        }
        owned.sort { lhs, rhs in lhs.name != rhs.name ? lhs.name < rhs.name : lhs.key < rhs.key }
        self.owned = owned.map { OwnedRecipient(object: customRecipients[$0.index], ccMailName: $0.name) }
        foreign.sort { $0.key < $1.key }
        self.foreign = foreign.map { $0.fromOthers ? others[$0.index] : customRecipients[$0.index] }
        self.knownDNs = seen
    }

    /// Every object read, in no particular order.
    package var allObjects: [ExchangeObject] { mailboxes + owned.map(\.object) + foreign }
}

/// Reads the Exchange side through a `DirectoryStore`: one paged search per kind of object.
package struct ExchangeReader: Sendable {
    package var profile: Profile
    /// The subtree holding the recipients.
    package var baseDN: DistinguishedName
    /// The container ccdirsync creates custom recipients in.
    package var container: DistinguishedName
    /// Reports each search's kind and how many objects it found, at debug level.
    package var logger: Logger

    package init(
        profile: Profile, baseDN: DistinguishedName, container: DistinguishedName, logger: Logger = .current
    ) {
        self.profile = profile
        self.baseDN = baseDN
        self.container = container
        self.logger = logger
    }

    /// The three searches: mailboxes, custom recipients, and other addressed objects.
    package var requests: [(kind: ExchangeObject.Kind, request: SearchRequest)] {
        let attributes = profile.readAttributes
        return [
            (.mailbox, SearchRequest(base: baseDN, filter: profile.mailboxFilter, attributes: attributes)),
            (
                .customRecipient,
                SearchRequest(base: baseDN, filter: profile.customRecipientFilter, attributes: attributes)
            ),
            (.other, SearchRequest(base: baseDN, filter: profile.otherAddressedFilter, attributes: attributes)),
        ]
    }

    /// Reads everything, or the first error a search met.
    package func read(from store: any DirectoryStore) throws(DirectoryStoreError) -> ExchangeDirectory {
        var found: [[ExchangeObject]] = []
        for (kind, request) in requests {
            found.append(try objects(kind, request, from: store))
        }
        return ExchangeDirectory(
            mailboxes: found[0], customRecipients: found[1], others: found[2], container: container)
    }

    /// Reads everything as `read(from:)` does, with the mailboxes read through `store` while a second store,
    /// opened by `openStore` on a thread of its own, reads the custom recipients and the other objects.
    ///
    /// Turning entries into objects costs the client more than the server spends finding them; two connections
    /// put both processors to work. The directory is the same as `read(from:)` makes. Errors are the first
    /// search's (`DirectoryStoreError`) or what `openStore` threw.
    package func read(
        from store: any DirectoryStore, othersFrom openStore: @escaping @Sendable () throws -> any DirectoryStore
    ) throws -> ExchangeDirectory {
        let reader = self
        let others = BackgroundWork { () throws -> [[ExchangeObject]] in
            let second = try openStore()
            return try reader.requests.dropFirst().map { kind, request in
                try reader.objects(kind, request, from: second)
            }
        }
        let mailboxes: [ExchangeObject]
        do {
            // `requests` is mailboxes, custom recipients, others: the first is this thread's.
            let (kind, request) = requests[0]
            mailboxes = try objects(kind, request, from: store)
        } catch {
            _ = try? others.wait()
            throw error
        }
        let found = try others.wait()
        return ExchangeDirectory(
            mailboxes: mailboxes, customRecipients: found[0], others: found[1], container: container)
    }

    /// The objects one search finds, as `kind`.
    func objects(
        _ kind: ExchangeObject.Kind, _ request: SearchRequest, from store: any DirectoryStore
    ) throws(DirectoryStoreError) -> [ExchangeObject] {
        // Every request asks for `profile.readAttributes`, the layout's selection.
        let layout = ReadLayout(profile: profile)
        var objects: [ExchangeObject] = []
        // Entries whose values the server sent in part (AD above MaxValRange): the rest is read once the search is
        // over, with a read of each such entry.
        var partial: [SelectedEntry] = []
        try store.searchSelected(request) { page in
            for entry in page {
                if entry.unsentValues.isEmpty {
                    objects.append(ExchangeObject(selected: entry, kind: kind, layout: layout))
                } else {
                    partial.append(entry)
                }
            }
        }
        for entry in partial {
            let whole = try RemainingValues.complete(entry, of: entry.dn, selection: layout.selection) {
                name throws(DirectoryStoreError) in
                var found: Entry?
                try store.search(
                    SearchRequest(base: entry.dn, scope: .base, filter: .present("objectClass"), attributes: [name])
                ) { page in found = found ?? page.first }
                return found
            }
            objects.append(ExchangeObject(selected: whole, kind: kind, layout: layout))
        }
        logger.debug("Exchange read", metadata: ["exchange.kind": "\(kind)", "exchange.objects": "\(objects.count)"])
        return objects
    }
}
