import CCMail
import LDAPModel
import Sync

/// What the directory answered to one user's two lookups.
struct LookupAnswers {
    var migration: [Entry] = []
    var migrationTruncated = false
    var address: [Entry] = []
    var addressTruncated = false
}

/// Sends the users' lookups to the directory, one search per lookup or many users' lookups per search.
///
/// With `usersPerSearch` 1, every lookup is its own search, exactly as the Migration Wizard or a mail client sends
/// it. With more, the equality assertions of that many users go out as one disjunction,
/// `(|(proxyAddresses=MIGRATE:CCMAIL:A at PO1)(proxyAddresses=MIGRATE:CCMAIL:B at PO2)…)`: the server still
/// decides every match by the attribute's own equality rule, and each object it returns is given to the users
/// whose address it carries, compared as that rule (caseIgnoreMatch) compares. 200,000 separate operations cost
/// more in per-operation overhead than reading the whole address book; but a server tests each candidate against
/// the disjunction's terms one by one, so its work grows with the square of the group (slapd, 100,000 users:
/// 5.3–6.0 CPU-s at 200 users per search, 3.6–4.1 at 50; docs/BENCHMARKS.md). A group whose answer reaches the
/// size limit is asked again one lookup at a time, so a truncated group never hides an answer.
struct LookupRunner {
    var lookups: AddressLookups
    var usersPerSearch: Int
    /// The most objects one user's lookup returns.
    var sizeLimit: Int

    func run(_ users: [CCMailUser], store: any LookupStore) throws(DirectoryStoreError) -> [LookupAnswers] {
        guard usersPerSearch > 1 else {
            return try single(users, store: store)
        }
        let groups = stride(from: 0, to: users.count, by: usersPerSearch).map { start in
            start..<min(start + usersPerSearch, users.count)
        }
        var requests: [SearchRequest] = []
        requests.reserveCapacity(groups.count * 2)
        for group in groups {
            requests.append(lookups.migrationRequest(users[group]))
            requests.append(lookups.addressRequest(users[group]))
        }
        var answers = [LookupResult?](repeating: nil, count: requests.count)
        try store.lookup(requests, sizeLimit: usersPerSearch * sizeLimit) { index, answer in answers[index] = answer }
        var result = [LookupAnswers](repeating: LookupAnswers(), count: users.count)
        for (index, group) in groups.enumerated() {
            guard let migration = answers[2 * index], let address = answers[2 * index + 1], !migration.truncated,
                !address.truncated
            else {
                let again = try single(Array(users[group]), store: store)
                for (offset, answer) in again.enumerated() {
                    result[group.lowerBound + offset] = answer
                }
                continue
            }
            distribute(migration.entries, address.entries, users: users, group: group, into: &result)
        }
        return result
    }

    /// The users of a group, by the values their lookups assert: spelled exactly as sent, and folded as the
    /// server's equality rule folds them.
    private struct Claims {
        var exact: [String: [Int]] = [:]
        /// The folded table, made on the first value the exact table cannot answer (most groups never need it).
        var folded: [String: [Int]]?
        /// First bytes (ASCII folded) of the values: a value starting otherwise cannot match.
        var starts = Set<UInt8>()

        init(capacity: Int) {
            exact.reserveCapacity(capacity)
        }

        mutating func add(_ value: String, _ index: Int) {
            exact[value, default: []].append(index)
            if let first = value.utf8.first(where: { $0 != 0x20 }), first < 0x80 {
                starts.insert(ASCIIFolding.lowercased(first))
            }
        }

        /// The users asserting `value`. Values ccdirsync wrote are spelled as they are asked for, so the exact
        /// table answers almost always; folding, the costly part, is left for the rest.
        mutating func users(_ value: String) -> [Int] {
            if let found = exact[value] {
                return found
            }
            guard let first = value.utf8.first(where: { $0 != 0x20 }) else {
                return []
            }
            guard first >= 0x80 || starts.contains(ASCIIFolding.lowercased(first)) else {
                return []
            }
            let table = folded ?? foldedTable()
            folded = table
            return table[LookupRunner.matchKey(value)] ?? []
        }

        private func foldedTable() -> [String: [Int]] {
            var table: [String: [Int]] = [:]
            for (value, indices) in exact {
                table[LookupRunner.matchKey(value), default: []].append(contentsOf: indices)
            }
            return table
        }
    }

    /// Gives each returned object to the users of `group` whose address it carries.
    private func distribute(
        _ migration: [Entry], _ address: [Entry], users: [CCMailUser], group: Range<Int>,
        into result: inout [LookupAnswers]
    ) {
        let profile = lookups.profile
        var migrateClaims = Claims(capacity: group.count)
        var proxyClaims = Claims(capacity: group.count)
        var targetClaims = Claims(capacity: group.count)
        for index in group {
            let user = users[index]
            migrateClaims.add(profile.proxyValue(lookups.migrateAddress(user)), index)
            let own = lookups.address(user)
            proxyClaims.add(profile.proxyValue(own), index)
            targetClaims.add(own.description, index)
        }
        for entry in migration {
            var given: [Int] = []
            for value in entry.strings(profile.proxyAttribute) {
                for index in migrateClaims.users(value) where !given.contains(index) {
                    given.append(index)
                    result[index].migration.append(entry)
                }
            }
        }
        for entry in address {
            var given: [Int] = []
            for value in entry.strings(profile.proxyAttribute) {
                for index in proxyClaims.users(value) where !given.contains(index) {
                    given.append(index)
                    result[index].address.append(entry)
                }
            }
            for value in entry.strings(profile.targetAttribute) {
                for index in targetClaims.users(value) where !given.contains(index) {
                    given.append(index)
                    result[index].address.append(entry)
                }
            }
        }
    }

    /// One search per lookup.
    private func single(_ users: [CCMailUser], store: any LookupStore) throws(DirectoryStoreError) -> [LookupAnswers] {
        var requests: [SearchRequest] = []
        requests.reserveCapacity(users.count * 2)
        for user in users {
            requests.append(lookups.migrationRequest(user))
            requests.append(lookups.addressRequest(user))
        }
        var result = [LookupAnswers](repeating: LookupAnswers(), count: users.count)
        try store.lookup(requests, sizeLimit: sizeLimit) { index, answer in
            if index % 2 == 0 {
                result[index / 2].migration = answer.entries
                result[index / 2].migrationTruncated = answer.truncated
            } else {
                result[index / 2].address = answer.entries
                result[index / 2].addressTruncated = answer.truncated
            }
        }
        return result
    }

    /// A value as caseIgnoreMatch compares it (RFC 4517, with RFC 4518's insignificant space handling): without
    /// case, leading and trailing spaces dropped, every run of spaces inside counting as one.
    static func matchKey(_ value: String) -> String {
        // Every value ccdirsync writes for an ASCII name takes this path.
        if let ascii = ASCIIFolding.key(value, isSpace: { $0 == 0x20 }) {
            return ascii
        }
        var scalars = String.UnicodeScalarView()
        var pendingSpace = false
        for scalar in value.unicodeScalars {
            if scalar == " " {
                pendingSpace = !scalars.isEmpty
                continue
            }
            if pendingSpace {
                scalars.append(" ")
                pendingSpace = false
            }
            switch scalar.value {
            case 0x41...0x5A, 0xC0...0xD6, 0xD8...0xDE:
                // ASCII and Latin-1 capitals: their small letter is 0x20 further on.
                scalars.append(Unicode.Scalar(scalar.value + 0x20) ?? scalar)
            case 0..<0x80, 0xDF...0xFF:
                scalars.append(scalar)
            default:
                scalars.append(contentsOf: String(scalar).lowercased().unicodeScalars)
            }
        }
        return String(scalars)
    }
}
