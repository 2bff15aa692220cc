import CCMail
import LDAPModel
import Sync

/// Why `verify` could not give a verdict.
package enum VerificationError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The exports have errors: a user missing from them would be reported wrongly, so nothing is verified.
    case unreadableExports([String])
    /// `--user` names nobody the exports hold as a verifiable user.
    case unknownUser(String, reason: String)
    /// The directory could not answer.
    case directory(DirectoryStoreError)

    package var description: String {
        switch self {
        case .unreadableExports(let errors):
            "the cc:Mail exports have errors; nothing is verified until they are fixed:\n"
                + errors.map { "  \($0)" }.joined(separator: "\n")
        case .unknownUser(let name, let reason): "--user \"\(name)\": \(reason)"
        case .directory(let error): "\(error)"
        }
    }
}

/// Proves, against the live directory, that every cc:Mail user can be found by the clients that need to find
/// them: see `AddressLookups` for the searches and `Verification.Status` for the verdicts.
///
/// Nothing here reuses the engine's in-memory join. The verdict for a user comes from what the server answers to
/// the exact searches a client would send; only stale and orphaned values, which no exact search can see, come
/// from reading the values themselves (`AddressScan`).
package struct Verifier: Sendable {
    package var profile: Profile
    package var baseDN: DistinguishedName
    /// The container of ccdirsync's custom recipients: answering objects inside it with the mark are "ours".
    package var container: DistinguishedName
    /// The most objects one lookup returns; two already make it ambiguous.
    package var sizeLimit = 10
    /// Users whose lookups share one search (see `LookupRunner`); 1 sends every lookup as its own search, as
    /// `--user` always does.
    package var usersPerSearch = 25
    /// The fewest users whose lookups get a connection of their own when `lookUp` is given several stores.
    package var smallestPart = 2_000

    package init(profile: Profile, baseDN: DistinguishedName, container: DistinguishedName) {
        self.profile = profile
        self.baseDN = baseDN
        self.container = container
    }

    /// What the scan of address values found: stale values by user index, and MIGRATE values naming nobody.
    package struct ScanFindings: Sendable {
        package var stale: [Int: [Verification.Value]]
        package var orphans: [Verification.Value]
    }

    /// Verifies every user of `directory`, or only the one called `only`: the scan of address values first, then
    /// the lookups.
    package func verify(
        directory: Directory, only: CCMailName? = nil, lookups: any LookupStore, scan: any DirectoryStore
    ) throws(VerificationError) -> Verification {
        try checkInputs(directory, only: only)
        let findings = try self.scan(directory: directory, only: only, store: scan)
        let users = try lookUp(directory: directory, only: only, store: lookups)
        return verification(directory: directory, only: only, users: users, findings: findings)
    }

    /// Reads the address values below the base and sorts out the stale ones and the orphans.
    ///
    /// Independent of the lookups, so it may run at the same time on a connection of its own (`verify` runs it
    /// first; the command runs the two side by side).
    package func scan(
        directory: Directory, only: CCMailName? = nil, store: any DirectoryStore
    ) throws(VerificationError) -> ScanFindings {
        let users = try selectUsers(directory, only: only)
        let found = try readAddressValues(only: only == nil ? nil : users.first, store: store)
        return findings(found, directory: directory, users: users, only: only != nil)
    }

    /// The scan's read: every MIGRATE value and cc:Mail target below the base, or only those that begin with the
    /// name of `only`.
    ///
    /// The whole scan needs nothing from the exports, so the command starts it before they are read.
    package func readAddressValues(
        only: CCMailUser? = nil, store: any DirectoryStore
    ) throws(VerificationError) -> [AddressScan.Found] {
        let scan = AddressScan(profile: profile, baseDN: baseDN)
        let request: SearchRequest
        if let user = only {
            let targetName: CCMailName? =
                if case .ccMail(let address) = user.address { address.name } else { nil }
            request = scan.request(migrateName: user.name, targetName: targetName ?? user.name)
        } else {
            request = scan.request()
        }
        do {
            return try scan.read(request, from: store)
        } catch {
            throw .directory(error)
        }
    }

    /// The stale values (by index in `directory.users`) and the orphans among the values the scan read.
    package func findings(_ found: [AddressScan.Found], directory: Directory) -> ScanFindings {
        findings(found, directory: directory, users: directory.users, only: false)
    }

    /// Sends every user's lookups and gives each user the verdict the answers make, before stale values are known.
    package func lookUp(
        directory: Directory, only: CCMailName? = nil, store: any LookupStore
    ) throws(VerificationError) -> [Verification.User] {
        try lookUp(directory: directory, only: only, stores: [store])
    }

    /// As `lookUp(directory:only:store:)`, with the users split into consecutive parts, each of at least
    /// `smallestPart` users, one per store at most; each part's lookups go over its own store from a thread of its
    /// own (the first part on this thread), and the verdicts come back in the users' order.
    ///
    /// A server writes one connection's answers one at a time: slapd's worker threads queue on the connection to
    /// send each entry. At 100,000 users, over one connection, that queueing (futex calls, 265,000 of them, and the
    /// thread switches they cause) cost slapd 0.55–0.9 s of system time; over three connections 0.45–0.57 s, and
    /// verify took 2.53 s rather than 2.74 (medians of 4; docs/VERIFY.md).
    package func lookUp(
        directory: Directory, only: CCMailName? = nil, stores: [any LookupStore]
    ) throws(VerificationError) -> [Verification.User] {
        let users = try selectUsers(directory, only: only)
        guard let first = stores.first else {
            preconditionFailure("lookUp needs a store")
        }
        let parts = self.parts(users: users.count, stores: stores.count)
        let bounds = (0...parts).map { users.count * $0 / parts }
        let others = (1..<parts).map { part in
            let store = OneThreadStore(stores[part])
            let range = bounds[part]..<bounds[part + 1]
            return BackgroundWork { () throws(VerificationError) -> [Verification.User] in
                try self.lookUp(users[range], only: only, store: store.store)
            }
        }
        // Every part is waited for, so no thread outlives a failed run; the first failure is the one reported.
        var verified: [Verification.User] = []
        var failure: VerificationError?
        do {
            verified = try lookUp(users[bounds[0]..<bounds[1]], only: only, store: first)
        } catch {
            failure = error
        }
        for other in others {
            do {
                verified += try other.wait()
            } catch {
                failure = failure ?? error
            }
        }
        if let failure {
            throw failure
        }
        return verified
    }

    /// How many parts `lookUp(directory:only:stores:)` splits `users` into with `stores` stores: one per
    /// `smallestPart` users, at least one, at most one per store. A caller opening connections asks this first, so
    /// it opens no more than are used.
    package func parts(users: Int, stores: Int) -> Int {
        min(max(stores, 1), max(users / max(smallestPart, 1), 1))
    }

    /// A store handed to the one thread that uses it.
    private final class OneThreadStore: @unchecked Sendable {
        let store: any LookupStore

        init(_ store: any LookupStore) {
            self.store = store
        }
    }

    /// The lookups of `users`, in order.
    private func lookUp(
        _ users: ArraySlice<CCMailUser>, only: CCMailName?, store: any LookupStore
    ) throws(VerificationError) -> [Verification.User] {
        let builder = AddressLookups(profile: profile, baseDN: baseDN)
        let container = ContainerTest(container)
        let runner = LookupRunner(
            lookups: builder, usersPerSearch: only == nil ? usersPerSearch : 1, sizeLimit: sizeLimit,
            describe: { object($0, container: container) })
        var verified = [Verification.User?](repeating: nil, count: users.count)
        do {
            try runner.run(users, store: store) { group, answers in
                for (index, answer) in zip(group, answers) {
                    let assertions = answer.assertions
                    let migration = lookup(
                        assertions.migrate.description, builder.migrationFilterText(assertions), answer.migration,
                        truncated: answer.migrationTruncated)
                    // `targetValue` is the address spelled as the report shows it (`TYPE:address`).
                    let address = lookup(
                        assertions.targetValue, builder.addressFilterText(assertions), answer.address,
                        truncated: answer.addressTruncated)
                    verified[index] = Verification.User(
                        // Read in place: a copy of the whole user retained each of its dozen strings.
                        name: users[users.startIndex + index].name.text,
                        postOffice: users[users.startIndex + index].homePostOffice.text,
                        status: Self.status(migration: migration, address: address, stale: []),
                        migration: migration, address: address, stale: [])
                }
            }
        } catch {
            throw .directory(error)
        }
        // Moved out rather than copied: copying 100,000 users and freeing the originals costs a core 0.03 s.
        var answered: [Verification.User] = []
        answered.reserveCapacity(users.count)
        for index in verified.indices {
            if let user = verified[index].take() {
                answered.append(user)
            }
        }
        guard answered.count == users.count else {
            // Every lookup is answered or the run throws; a user without a verdict must never pass unnoticed.
            throw .directory(
                DirectoryStoreError(
                    operation: "lookup", resultCode: nil,
                    message: "\(users.count - answered.count) users' lookups got no answer", isUnavailable: false))
        }
        return answered
    }

    /// The verification: the lookups' users (in the order of `lookUp`) with the scan's stale values put in, and
    /// the verdict of each user who has some worked out again.
    package func verification(
        directory: Directory, only: CCMailName? = nil, users: [Verification.User], findings: ScanFindings
    ) -> Verification {
        var users = users
        for (index, values) in findings.stale where users.indices.contains(index) {
            users[index].stale = values
            users[index].status = Self.status(
                migration: users[index].migration, address: users[index].address, stale: values)
        }
        let skipped =
            only == nil ? directory.conflicts.count + directory.exclusions.filter { $0.subject == .user }.count : 0
        return Verification(
            profile: profile.name.rawValue, baseDN: baseDN.description, onlyUser: only?.text, users: users,
            orphans: findings.orphans, skipped: skipped)
    }

    /// Refuses exports with errors (other than conflicts, which only leave their users out) and a `--user` who
    /// is not there, before anything is asked of the directory.
    package func checkInputs(_ directory: Directory, only: CCMailName? = nil) throws(VerificationError) {
        let blocking = directory.errors.filter { $0.category != .conflict }
        guard blocking.isEmpty else {
            throw .unreadableExports(blocking.map(\.description))
        }
        _ = try selectUsers(directory, only: only)
    }

    /// The verdict, in the precedence `Verification.Status` documents.
    static func status(
        migration: Verification.Lookup, address: Verification.Lookup, stale: [Verification.Value]
    ) -> Verification.Status {
        if migration.objects.count > 1 || address.objects.count > 1 || migration.truncated || address.truncated {
            return .ambiguous
        }
        if !stale.isEmpty {
            return .stale
        }
        if migration.objects.count == 1 && migration.objects[0].kind == ExchangeObject.Kind.mailbox.rawValue {
            return .migrationReady
        }
        if address.objects.count == 1 {
            return .addressable
        }
        return .unresolved
    }

    private func selectUsers(_ directory: Directory, only: CCMailName?) throws(VerificationError) -> [CCMailUser] {
        guard let only else {
            return directory.users
        }
        if let user = directory.user(named: only) {
            return [user]
        }
        if directory.conflicts.contains(where: { $0.name == only }) {
            throw .unknownUser(only.text, reason: "the exports disagree about this user (see `ccdirsync plan`)")
        }
        if let exclusion = directory.exclusions.first(where: { $0.name == only && $0.subject == .user }) {
            throw .unknownUser(only.text, reason: "excluded: \(exclusion.reason)")
        }
        throw .unknownUser(only.text, reason: "no such user in the cc:Mail exports")
    }

    /// Sorts the values read into stale ones (by user index) and orphans.
    private func findings(
        _ found: [AddressScan.Found], directory: Directory, users: [CCMailUser], only: Bool
    ) -> ScanFindings {
        // Names are compared as the engine compares them (`CCMailName`: their normalised bytes), and hashed so,
        // without the Unicode normalisation a `String` key costs.
        var byName: [CCMailName: Int] = [:]
        var byTargetName: [CCMailName: Int] = [:]
        byName.reserveCapacity(users.count)
        byTargetName.reserveCapacity(users.count)
        for index in users.indices {
            byName[users[index].name] = index
            if case .ccMail(let address) = users[index].address {
                byTargetName[address.name] = index
            }
        }
        var known = Set(directory.conflicts.map(\.name))
        for exclusion in directory.exclusions where exclusion.subject == .user {
            known.insert(exclusion.name)
        }
        var stale: [Int: [Verification.Value]] = [:]
        var orphans: [Verification.Value] = []
        /// Few values are stale or orphaned: the report's spelling of one is made only for those.
        func value(_ found: AddressScan.Found) -> Verification.Value {
            Verification.Value(
                dn: found.dn, attribute: found.attribute, value: found.value,
                postOffice: found.address.postOffice.text)
        }
        for found in found {
            if found.isMigrate {
                if let index = byName[found.address.name] {
                    if found.address.postOffice != users[index].homePostOffice {
                        stale[index, default: []].append(value(found))
                    }
                } else if !only && !known.contains(found.address.name) {
                    orphans.append(value(found))
                }
            } else if let index = byTargetName[found.address.name],
                case .ccMail(let address) = users[index].address, found.address.postOffice != address.postOffice
            {
                stale[index, default: []].append(value(found))
            }
        }
        for index in stale.keys {
            stale[index]?.sort { ($0.dn, $0.value) < ($1.dn, $1.value) }
        }
        orphans.sort { ($0.dn, $0.value) < ($1.dn, $1.value) }
        return ScanFindings(stale: stale, orphans: orphans)
    }

    /// What one lookup found, as the report shows it.
    private func lookup(
        _ address: String, _ filter: String, _ objects: [Verification.Object], truncated: Bool
    ) -> Verification.Lookup {
        Verification.Lookup(
            address: address, filter: filter, objects: objects.sorted { $0.dn < $1.dn }, truncated: truncated)
    }

    /// An object that answered a lookup, as the report shows it: its DN, what it is, and whether it is ours.
    private func object(_ entry: SelectedEntry, container: ContainerTest) -> Verification.Object {
        let kind = profile.kind(
            objectClasses: entry[AddressLookups.Position.objectClass],
            hasRequiredAttribute: profile.mailboxRequiredAttribute == nil
                || !entry[AddressLookups.Position.required].isEmpty)
        let marked = entry[AddressLookups.Position.mark].contains { mark in
            mark.count > OwnershipMark.prefix.count && ASCIIFolding.lowercased(mark).hasPrefix(OwnershipMark.prefix)
        }
        return Verification.Object(
            dn: entry.dnText, kind: kind.rawValue,
            owned: kind == .customRecipient && marked && container.holds(entry.dnText))
    }

    /// Whether a DN, as the server spelled it, is below ccdirsync's container: the lookups read DNs as text, and
    /// only the custom recipients with the mark need this, so only theirs are parsed (each parent once).
    final class ContainerTest {
        private let container: DistinguishedName
        private var parents = DistinguishedNameParentCache()

        init(_ container: DistinguishedName) {
            self.container = container
        }

        /// False for text that does not parse as a DN: such an object cannot be shown to be ccdirsync's.
        func holds(_ dnText: String) -> Bool {
            (try? parents.parse(dnText))?.isDescendant(of: container) ?? false
        }
    }
}
