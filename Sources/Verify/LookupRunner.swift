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
/// whose address it carries, compared as that rule (caseIgnoreMatch) compares. A directory answers 200 such
/// assertions in one operation for about the cost of one; 200,000 separate operations cost more in per-operation
/// overhead than reading the whole address book (docs/BENCHMARKS.md). A group whose answer reaches the size limit
/// is asked again one lookup at a time, so a truncated group never hides an answer.
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

    /// Gives each returned object to the users of `group` whose address it carries.
    private func distribute(
        _ migration: [Entry], _ address: [Entry], users: [CCMailUser], group: Range<Int>,
        into result: inout [LookupAnswers]
    ) {
        let profile = lookups.profile
        var migrateKeys: [String: [Int]] = [:]
        var proxyKeys: [String: [Int]] = [:]
        var targetKeys: [String: [Int]] = [:]
        for index in group {
            let user = users[index]
            migrateKeys[Self.matchKey(profile.proxyValue(lookups.migrateAddress(user))), default: []].append(index)
            let own = lookups.address(user)
            proxyKeys[Self.matchKey(profile.proxyValue(own)), default: []].append(index)
            targetKeys[Self.matchKey(own.description), default: []].append(index)
        }
        // Most values an object carries (SMTP, X400…) cannot be one asked for: their first letter says so, and
        // folding them for the comparison would cost more than everything else here.
        let migrateStarts = Set(migrateKeys.keys.compactMap(\.utf8.first))
        let addressStarts = Set(proxyKeys.keys.compactMap(\.utf8.first)).union(targetKeys.keys.compactMap(\.utf8.first))
        func mayMatch(_ value: String, _ starts: Set<UInt8>) -> Bool {
            guard let first = value.utf8.first(where: { $0 != 0x20 }) else {
                return false
            }
            return first >= 0x80 || starts.contains((0x41...0x5A).contains(first) ? first | 0x20 : first)
        }
        for entry in migration {
            var given = Set<Int>()
            for value in entry.strings(profile.proxyAttribute) where mayMatch(value, migrateStarts) {
                for index in migrateKeys[Self.matchKey(value)] ?? [] where given.insert(index).inserted {
                    result[index].migration.append(entry)
                }
            }
        }
        for entry in address {
            var given = Set<Int>()
            for value in entry.strings(profile.proxyAttribute) where mayMatch(value, addressStarts) {
                for index in proxyKeys[Self.matchKey(value)] ?? [] where given.insert(index).inserted {
                    result[index].address.append(entry)
                }
            }
            for value in entry.strings(profile.targetAttribute) where mayMatch(value, addressStarts) {
                for index in targetKeys[Self.matchKey(value)] ?? [] where given.insert(index).inserted {
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
        var bytes: [UInt8] = []
        bytes.reserveCapacity(value.utf8.count)
        var pendingSpace = false
        var isASCII = true
        for byte in value.utf8 {
            if byte == 0x20 {
                pendingSpace = !bytes.isEmpty
                continue
            }
            if pendingSpace {
                bytes.append(0x20)
                pendingSpace = false
            }
            isASCII = isASCII && byte < 0x80
            bytes.append((0x41...0x5A).contains(byte) ? byte | 0x20 : byte)
        }
        let folded = String(decoding: bytes, as: UTF8.self)
        return isASCII ? folded : folded.lowercased()
    }
}
