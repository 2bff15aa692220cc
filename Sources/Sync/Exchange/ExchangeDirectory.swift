import CCMail
import LDAPModel

/// What the engine read from Exchange: mailboxes, the custom recipients it owns, and everything else that holds
/// an alias or an address.
///
/// Ownership is decided here, once: a custom recipient is ours only when it sits in the configured container and
/// carries the mark `ccdirsync:<cc:Mail name>`. An object whose mark an administrator removed, or that somebody
/// put into the container by hand, is foreign and is never modified or deleted.
public struct ExchangeDirectory: Sendable {
    /// A custom recipient ccdirsync owns, and the cc:Mail user its mark names.
    public struct OwnedRecipient: Sendable, Hashable {
        public var object: ExchangeObject
        public var ccMailName: CCMailName

        public init(object: ExchangeObject, ccMailName: CCMailName) {
            self.object = object
            self.ccMailName = ccMailName
        }
    }

    /// Mailboxes, sorted by DN.
    public var mailboxes: [ExchangeObject]
    /// Our custom recipients, sorted by cc:Mail name then DN.
    public var owned: [OwnedRecipient]
    /// Custom recipients we do not own and other addressed objects, sorted by DN.
    public var foreign: [ExchangeObject]
    /// Every DN read (normalised), to keep a new DN from landing on an existing entry.
    public var knownDNs: Set<String>

    /// Sorts the objects into mailboxes, owned and foreign; duplicates (same DN) are kept once.
    public init(objects: [ExchangeObject], container: DistinguishedName) {
        // Normalised DNs are worked out once per object: computing them inside the sort comparators costs more
        // than the whole read at 100,000 recipients.
        // Sorting moves keys and positions, not the objects: an object is a large value, and moving it costs a
        // retain and a release of every field it holds.
        var seen = Set<String>()
        var mailboxes: [(key: String, index: Int)] = []
        var owned: [(name: CCMailName, key: String, index: Int)] = []
        var foreign: [(key: String, index: Int)] = []
        for (index, object) in objects.enumerated() {
            let key = object.dn.normalized
            guard seen.insert(key).inserted else {
                continue
            }
            switch object.kind {
            case .mailbox:
                mailboxes.append((key, index))
            case .customRecipient:
                if object.dn.isDescendant(of: container), let name = object.markedName {
                    owned.append((name, key, index))
                } else {
                    foreign.append((key, index))
                }
            case .other:
                foreign.append((key, index))
            }
        }
        self.mailboxes = mailboxes.sorted { $0.key < $1.key }.map { objects[$0.index] }
        self.owned = owned.sorted { lhs, rhs in lhs.name != rhs.name ? lhs.name < rhs.name : lhs.key < rhs.key }
            .map { OwnedRecipient(object: objects[$0.index], ccMailName: $0.name) }
        self.foreign = foreign.sorted { $0.key < $1.key }.map { objects[$0.index] }
        self.knownDNs = seen
    }

    /// Every object read, in no particular order.
    public var allObjects: [ExchangeObject] { mailboxes + owned.map(\.object) + foreign }
}

/// Reads the Exchange side through a `DirectoryStore`: one paged search per kind of object.
public struct ExchangeReader: Sendable {
    public var profile: Profile
    /// The subtree holding the recipients.
    public var baseDN: DistinguishedName
    /// The container ccdirsync creates custom recipients in.
    public var container: DistinguishedName

    public init(profile: Profile, baseDN: DistinguishedName, container: DistinguishedName) {
        self.profile = profile
        self.baseDN = baseDN
        self.container = container
    }

    /// The three searches: mailboxes, custom recipients, and other addressed objects.
    public var requests: [(kind: ExchangeObject.Kind, request: SearchRequest)] {
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
    public func read(from store: any DirectoryStore) throws(DirectoryStoreError) -> ExchangeDirectory {
        var objects: [ExchangeObject] = []
        for (kind, request) in requests {
            objects.append(contentsOf: try self.objects(kind, request, from: store))
        }
        return ExchangeDirectory(objects: objects, container: container)
    }

    /// Reads everything as `read(from:)` does, with the mailboxes read through `store` while a second store,
    /// opened by `openStore` on a thread of its own, reads the custom recipients and the other objects.
    ///
    /// Turning entries into objects costs the client more than the server spends finding them; two connections
    /// put both processors to work. The directory is the same as `read(from:)` makes. Errors are the first
    /// search's (`DirectoryStoreError`) or what `openStore` threw.
    public func read(
        from store: any DirectoryStore, othersFrom openStore: @escaping @Sendable () throws -> any DirectoryStore
    ) throws -> ExchangeDirectory {
        let reader = self
        let others = BackgroundWork { () throws -> [ExchangeObject] in
            let second = try openStore()
            var objects: [ExchangeObject] = []
            for (kind, request) in reader.requests.dropFirst() {
                objects.append(contentsOf: try reader.objects(kind, request, from: second))
            }
            return objects
        }
        var objects: [ExchangeObject]
        do {
            // `requests` is mailboxes, custom recipients, others: the first is this thread's.
            let (kind, request) = requests[0]
            objects = try self.objects(kind, request, from: store)
        } catch {
            _ = try? others.wait()
            throw error
        }
        objects.append(contentsOf: try others.wait())
        return ExchangeDirectory(objects: objects, container: container)
    }

    /// The objects one search finds, as `kind`.
    func objects(
        _ kind: ExchangeObject.Kind, _ request: SearchRequest, from store: any DirectoryStore
    ) throws(DirectoryStoreError) -> [ExchangeObject] {
        // Every request asks for `profile.readAttributes`, the layout's selection.
        let layout = ReadLayout(profile: profile)
        var objects: [ExchangeObject] = []
        try store.searchSelected(request) { page in
            for entry in page {
                objects.append(ExchangeObject(selected: entry, kind: kind, layout: layout))
            }
        }
        return objects
    }
}
