import CCMail
import Dispatch
import LDAPModel
import Sync

/// What the directory answered to one user's two lookups, each object as the report shows it.
struct LookupAnswers {
    /// What the lookups asserted.
    var assertions: AddressLookups.Assertions
    var migration: [Verification.Object] = []
    var migrationTruncated = false
    var address: [Verification.Object] = []
    var addressTruncated = false

    init(_ assertions: AddressLookups.Assertions) {
        self.assertions = assertions
    }
}

/// Sends the users' lookups to the directory, one search per lookup or many users' lookups per search.
///
/// With `usersPerSearch` 1, every lookup is its own search, exactly as the Migration Wizard or a mail client sends
/// it. With more, both lookups' equality assertions of that many users go out as one disjunction,
/// `(|(proxyAddresses=MIGRATE:CCMAIL:A at PO1)(proxyAddresses=CCMAIL:A at PO1)(targetAddress=CCMAIL:A at PO1)…)`:
/// the server still decides every match by the attribute's own equality rule, and each object it returns is given
/// to the lookups whose value it carries, compared as that rule (caseIgnoreMatch) compares. 200,000 separate
/// operations cost more in per-operation overhead than reading the whole address book; but a server tests each
/// candidate against the disjunction's terms one by one, so its work grows with the square of the group (the group
/// size is the measured best, docs/VERIFY.md). A group
/// whose answer reaches the size limit, or gives one user more objects than their own lookup's size limit, is asked
/// again one lookup at a time, so a grouped answer is always the one the users' own lookups get.
struct LookupRunner {
    var lookups: AddressLookups
    var usersPerSearch: Int
    /// The most objects one user's lookup returns.
    var sizeLimit: Int
    /// An answering object as the report shows it; worked out once per object returned, though a mailbox usually
    /// answers both of its user's lookups.
    var describe: (SelectedEntry) -> Verification.Object

    /// Runs the lookups of `users` and hands each group's answers over as soon as the server has answered it
    /// (`onAnswers` gets the group's positions in `users`, counted from 0, and one `LookupAnswers` per user of it),
    /// so the caller works on finished groups while the server is still answering the next ones.
    func run(
        _ users: ArraySlice<CCMailUser>, store: any LookupStore, onAnswers: (Range<Int>, [LookupAnswers]) -> Void
    ) throws(DirectoryStoreError) {
        // Spelled once per user: for the searches, for matching the answers and for the report.
        let assertions = users.map(lookups.assertions)
        guard usersPerSearch > 1 else {
            onAnswers(assertions.indices, try single(assertions[...], store: store))
            return
        }
        let groups = stride(from: 0, to: users.count, by: usersPerSearch).map { start in
            start..<min(start + usersPerSearch, users.count)
        }
        let requests = groups.map { lookups.request(assertions[$0]) }
        var truncated: [Range<Int>] = []
        // Each user's two lookups may each find `sizeLimit` objects.
        try store.lookup(requests, sizeLimit: 2 * usersPerSearch * sizeLimit) { index, answer in
            let group = groups[index]
            let answers = answer.truncated ? [] : distribute(answer.entries, users: assertions[group])
            // A user's own lookup stops at `sizeLimit` objects and says so; the group asks again rather than
            // report more than that lookup would see.
            guard !answer.truncated,
                !answers.contains(where: { $0.migration.count > sizeLimit || $0.address.count > sizeLimit })
            else {
                truncated.append(group)
                return
            }
            onAnswers(group, answers)
        }
        for group in truncated {
            onAnswers(group, try single(assertions[group], store: store))
        }
        // Freeing the users' assertions and the searches spelled from them is over a million releases at 100,000
        // users, on this thread while the other cores wait for the report: let the last reference go on another.
        let spent = (assertions, requests)
        DispatchQueue.global(qos: .utility).async { withExtendedLifetime(spent) {} }
    }

    /// Gives each returned object to the lookups of `group` whose value it carries: to a user's migration lookup
    /// when it has their MIGRATE value, to their address lookup when it has their address as a proxy or target.
    private func distribute(
        _ entries: [SelectedEntry], users group: ArraySlice<AddressLookups.Assertions>
    ) -> [LookupAnswers] {
        var result = group.map(LookupAnswers.init)
        let proxyPosition = lookups.proxyPosition
        let targetPosition = lookups.targetPosition
        // A proxy value is looked up once for both lookups that read the proxy attribute.
        var proxyClaims = Claims(capacity: 2 * group.count)
        var targetClaims = Claims(capacity: group.count)
        for (index, assertions) in group.enumerated() {
            proxyClaims.add(assertions.migrateValue, index, isMigrate: true)
            proxyClaims.add(assertions.proxyValue, index)
            targetClaims.add(assertions.targetValue, index)
        }
        for entry in entries {
            var object: Verification.Object?
            func described() -> Verification.Object {
                if let object {
                    return object
                }
                let made = describe(entry)
                object = made
                return made
            }
            var migrations: [Int] = []
            var addresses: [Int] = []
            for value in entry[proxyPosition] {
                for claim in proxyClaims.users(value) {
                    if claim.isMigrate {
                        if !migrations.contains(claim.index) {
                            migrations.append(claim.index)
                            result[claim.index].migration.append(described())
                        }
                    } else if !addresses.contains(claim.index) {
                        addresses.append(claim.index)
                        result[claim.index].address.append(described())
                    }
                }
            }
            for value in entry[targetPosition] {
                for claim in targetClaims.users(value) where !addresses.contains(claim.index) {
                    addresses.append(claim.index)
                    result[claim.index].address.append(described())
                }
            }
        }
        return result
    }

    /// One search per lookup.
    private func single(
        _ users: ArraySlice<AddressLookups.Assertions>, store: any LookupStore
    ) throws(DirectoryStoreError) -> [LookupAnswers] {
        var requests: [SearchRequest] = []
        requests.reserveCapacity(users.count * 2)
        for assertions in users {
            requests.append(lookups.migrationRequest(assertions))
            requests.append(lookups.addressRequest(assertions))
        }
        var result = users.map(LookupAnswers.init)
        try store.lookup(requests, sizeLimit: sizeLimit) { index, answer in
            if index % 2 == 0 {
                result[index / 2].migration = answer.entries.map(describe)
                result[index / 2].migrationTruncated = answer.truncated
            } else {
                result[index / 2].address = answer.entries.map(describe)
                result[index / 2].addressTruncated = answer.truncated
            }
        }
        return result
    }

}
