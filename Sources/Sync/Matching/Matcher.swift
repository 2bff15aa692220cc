import CCMail
import LDAPModel

/// Joins cc:Mail users to mailboxes by the four rules of DESIGN.md, in order; the first rule that finds
/// anything decides.
///
/// 1. the mailbox carries the user's MIGRATE value (any post office);
/// 2. the mapping file names the mailbox (by DN, alias or SMTP address);
/// 3. the mailbox carries a secondary `ccmail` proxy equal to the user's cc:Mail address;
/// 4. surname and given name match (a suggestion unless `match.byName: apply`).
///
/// Two or more candidates at the deciding rule is a dispute; so is one mailbox claimed by two users. A user whose
/// deciding rule found a mailbox that already carries another cc:Mail user's MIGRATE value is a conflict. The
/// matcher is pure: directory snapshots in, joins out.
package struct Matcher: Sendable {
    package var settings: MatchSettings

    package init(settings: MatchSettings) {
        self.settings = settings
    }

    /// Joins every user of `users` against `mailboxes`.
    package func match(users: [CCMailUser], mailboxes: [ExchangeObject], mapping: MappingFile?) -> MatchResult {
        match(users: users, index: index(mailboxes, mapping: mapping), keys: UserKeys(users), mapping: mapping)
    }

    /// The index the rules look mailboxes up in; the planner reads the MIGRATE values from it too.
    func index(_ mailboxes: [ExchangeObject], mapping: MappingFile?) -> MailboxIndex {
        MailboxIndex(
            mailboxes: mailboxes, ignoreDiacritics: settings.ignoreDiacritics,
            mappingLookups: !(mapping?.rows.isEmpty ?? true))
    }

    /// Joins every user of `users` against the index's mailboxes; `keys` are the users' target keys, which
    /// the planner needs as well and so are worked out once.
    func match(users: [CCMailUser], index: MailboxIndex, keys: UserKeys, mapping: MappingFile?) -> MatchResult {
        let mailboxes = index.mailboxes
        let userNames = mapping?.rows.isEmpty ?? true ? [] : Set(users.map(\.name))
        var mappingFindings: [Plan.Finding] = []
        var mappingRows: [CCMailName: [MappingFile.Row]] = [:]
        for row in mapping?.rows ?? [] {
            let name = CCMailName(row.ccmailName)
            guard userNames.contains(name) else {
                mappingFindings.append(
                    Plan.Finding(
                        ccmailName: row.ccmailName, situation: .mappingError,
                        detail:
                            "\(mapping?.file ?? "mapping"):\(row.line): no cc:Mail user is called '\(row.ccmailName)'"
                    ))
                continue
            }
            mappingRows[name, default: []].append(row)
        }

        // By position: users are unique by name (the merge keeps one per name), so a table by name would hold the
        // same joins after hashing every name twice more.
        var joins: [Join] = []
        joins.reserveCapacity(users.count)
        var joinedUsers: [(mailbox: Int, user: Int, rule: Plan.Rule)] = []
        var claimCount = [Int](repeating: 0, count: mailboxes.count)
        // Through a buffer pointer, as the planner reads them: the array's subscript copied each user out.
        users.withUnsafeBufferPointer { users in
            for position in users.indices {
                let join = decide(
                    users: users, position: position, targetKey: keys.targets[position],
                    index: index, mappingRows: mappingRows.isEmpty ? [] : mappingRows[users[position].name] ?? [],
                    file: mapping?.file)
                joins.append(join)
                if case .joined(let mailbox, let rule) = join {
                    joinedUsers.append((mailbox, position, rule))
                    claimCount[mailbox] += 1
                }
            }
        }
        // Only a mailbox claimed twice or carrying MIGRATE values can change a join below: the others are left out
        // of the table, which would otherwise hold one list per joined user.
        var claims: [Int: [(user: Int, rule: Plan.Rule)]] = [:]
        for claim in joinedUsers where claimCount[claim.mailbox] > 1 || index.migrateNames[claim.mailbox] != nil {
            claims[claim.mailbox, default: []].append((claim.user, claim.rule))
        }

        // A mailbox that carries a MIGRATE value for somebody else is not free for a user found by another rule.
        for (mailbox, claimants) in claims {
            let migrateNames = index.migrateNames[mailbox] ?? []
            var remaining: [(user: Int, rule: Plan.Rule)] = []
            for claimant in claimants {
                let others = migrateNames.filter { $0 != users[claimant.user].name }
                if claimant.rule != .migrateValue, !others.isEmpty {
                    joins[claimant.user] = .conflict(
                        mailbox: mailbox, rule: claimant.rule, otherUsers: others.map(\.text).sorted())
                } else {
                    remaining.append(claimant)
                }
            }
            if remaining.count > 1 {
                let names = remaining.map { users[$0.user].name.text }.sorted()
                for claimant in remaining {
                    joins[claimant.user] = .disputed(
                        rule: claimant.rule, candidates: [mailboxes[mailbox].dn],
                        reason:
                            "the mailbox is claimed by \(names.count) cc:Mail users: \(names.joined(separator: "; "))")
                }
            }
        }
        return MatchResult(joins: joins, mappingFindings: mappingFindings)
    }

    /// The join of `users[position]`. The user is read where it is, member by member: passed as a value it was
    /// copied (every string of it retained) for each of 100,000 users, to read two or three of its members.
    private func decide(
        users: UnsafeBufferPointer<CCMailUser>, position: Int, targetKey: AddressKey, index: MailboxIndex,
        mappingRows: [MappingFile.Row], file: String?
    ) -> Join {
        if let join = verdict(
            index.byMigrateName[users[position].name] ?? [], rule: .migrateValue, index: index,
            what: "carry a MIGRATE value for the user")
        {
            return join
        }
        if !mappingRows.isEmpty {
            var found = Set<Int>()
            for row in mappingRows {
                let matches = index.resolve(mappingKey: row.mailbox)
                if matches.isEmpty {
                    return .held(
                        reason: "\(file ?? "mapping"):\(row.line): '\(row.mailbox)' is no mailbox (not a mailbox DN, "
                            + "alias or SMTP address)")
                }
                found.formUnion(matches)
            }
            if let join = verdict(Array(found).sorted(), rule: .mapping, index: index, what: "are named by the mapping")
            {
                return join
            }
        }
        if case .ccMail = users[position].address {
            // `targetKey` is the key of `CCMAIL:<address>`.
            if let join = verdict(
                index.bySecondaryCCMail[targetKey] ?? [], rule: .ccMailProxy, index: index,
                what: "carry the secondary address ccmail:\(users[position].address)")
            {
                return join
            }
        }
        guard settings.byName != .off,
            let key = NameKey.make(
                surname: users[position].surname, givenName: users[position].givenName,
                ignoreDiacritics: settings.ignoreDiacritics)
        else {
            return .unjoined(suggestion: nil)
        }
        guard let byName = index.byName[key], let only = byName.first else {
            return .unjoined(suggestion: nil)
        }
        if byName.count > 1 {
            return verdict(byName, rule: .name, index: index, what: "match the name") ?? .unjoined(suggestion: nil)
        }
        return settings.byName == .apply ? .joined(mailbox: only, rule: .name) : .unjoined(suggestion: only)
    }

    /// nil when the rule found nothing; joined for one mailbox; disputed for more.
    ///
    /// `what` is only worded for a dispute (rule 3 names the address, and most users get that far).
    private func verdict(
        _ mailboxes: [Int], rule: Plan.Rule, index: MailboxIndex, what: @autoclosure () -> String
    ) -> Join? {
        switch mailboxes.count {
        case 0:
            return nil
        case 1:
            return .joined(mailbox: mailboxes[0], rule: rule)
        default:
            return .disputed(
                rule: rule, candidates: mailboxes.map { index.mailboxes[$0].dn },
                reason: "\(mailboxes.count) mailboxes \(what())")
        }
    }
}

/// Lookups from what each rule knows to mailbox indexes.
struct MailboxIndex {
    let mailboxes: [ExchangeObject]
    /// Each mailbox's MIGRATE values, as `ExchangeObject.migrateValues` gives them: read once, for the matcher and
    /// the planner.
    private(set) var migrateValues: [[(value: String, address: CCMailAddress)]] = []
    /// Rule 1: the user a MIGRATE value names → mailboxes carrying it.
    var byMigrateName: [CCMailName: [Int]] = [:]
    /// The users each mailbox's MIGRATE values name.
    var migrateNames: [Int: [CCMailName]] = [:]
    /// Rule 3: secondary ccmail proxy → mailboxes.
    var bySecondaryCCMail: [AddressKey: [Int]] = [:]
    /// Rule 4: name key → mailboxes.
    var byName: [String: [Int]] = [:]
    /// Rule 2 lookups, filled only when there is a mapping file with rows (nothing else looks in them).
    var byDN: [String: Int] = [:]
    var byAlias: [String: [Int]] = [:]
    var bySMTP: [String: [Int]] = [:]

    init(mailboxes: [ExchangeObject], ignoreDiacritics: Bool, mappingLookups: Bool = true) {
        self.mailboxes = mailboxes
        // Room up front: grown step by step, each table rehashed every key it held at each doubling.
        migrateValues.reserveCapacity(mailboxes.count)
        byName.reserveCapacity(mailboxes.count)
        byMigrateName.reserveCapacity(mailboxes.count)
        migrateNames.reserveCapacity(mailboxes.count)
        bySecondaryCCMail.reserveCapacity(mailboxes.count)
        for index in mailboxes.indices {
            var values: [(value: String, address: CCMailAddress)] = []
            var names: [CCMailName] = []
            // A list, not a set: a mailbox has a secondary ccmail address or two, and a set allocated a table each.
            var secondaryKeys: [AddressKey] = []
            var smtp = Set<String>()
            if mappingLookups {
                smtp = Set(mailboxes[index].mail.map { ASCIIFolding.lowercased($0) })
            }
            // Each proxy is read where it is (copying it out retains its strings) and split once.
            let proxies = mailboxes[index].proxies
            for position in proxies.indices {
                let parts = proxies[position].address
                let type = parts.type
                if ProxyAddress.hasType(type, "MIGRATE") {
                    if let address = parts.migrateTarget {
                        values.append((proxies[position].value, address))
                        if !names.contains(address.name) {
                            names.append(address.name)
                            byMigrateName[address.name, default: []].append(index)
                        }
                    }
                } else if ProxyAddress.hasType(type, "CCMAIL") {
                    if !parts.isPrimary {
                        let key = proxies[position].key
                        if !secondaryKeys.contains(key) {
                            secondaryKeys.append(key)
                        }
                    }
                } else if mappingLookups, ProxyAddress.hasType(type, "SMTP") {
                    smtp.insert(ASCIIFolding.lowercased(parts.address))
                }
            }
            migrateValues.append(values)
            if !names.isEmpty {
                migrateNames[index] = names
            }
            for key in secondaryKeys {
                bySecondaryCCMail[key, default: []].append(index)
            }
            if let surname = mailboxes[index].surnames.first,
                let key = NameKey.make(
                    surname: surname, givenName: mailboxes[index].givenNames.first, ignoreDiacritics: ignoreDiacritics)
            {
                byName[key, default: []].append(index)
            }
            guard mappingLookups else {
                continue
            }
            for address in smtp {
                bySMTP[address, default: []].append(index)
            }
            byDN[mailboxes[index].dn.normalized] = index
            if let alias = mailboxes[index].alias {
                byAlias[ASCIIFolding.lowercased(alias), default: []].append(index)
            }
        }
    }

    /// Rule 2: a mapping value is a DN, else an alias, else an SMTP address.
    func resolve(mappingKey: String) -> [Int] {
        if mappingKey.contains("="), let dn = try? DistinguishedName(parsing: mappingKey) {
            return byDN[dn.normalized].map { [$0] } ?? []
        }
        let lowered = mappingKey.lowercased()
        if let aliases = byAlias[lowered] {
            return aliases
        }
        return bySMTP[lowered] ?? []
    }
}
