import CCMail
import Config
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
public struct Matcher: Sendable {
    public var settings: MatchSettings

    public init(settings: MatchSettings) {
        self.settings = settings
    }

    /// Joins every user of `users` against `mailboxes`.
    public func match(users: [CCMailUser], mailboxes: [ExchangeObject], mapping: MappingFile?) -> MatchResult {
        let index = MailboxIndex(mailboxes: mailboxes, ignoreDiacritics: settings.ignoreDiacritics)
        let userNames = Set(users.map(\.name))
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

        var joins: [CCMailName: Join] = [:]
        var claims: [Int: [(user: CCMailName, rule: Plan.Rule)]] = [:]
        for user in users {
            let join = decide(user: user, index: index, mappingRows: mappingRows[user.name] ?? [], file: mapping?.file)
            joins[user.name] = join
            if case .joined(let mailbox, let rule) = join {
                claims[mailbox, default: []].append((user.name, rule))
            }
        }

        // A mailbox that carries a MIGRATE value for somebody else is not free for a user found by another rule.
        for (mailbox, claimants) in claims {
            let migrateNames = index.migrateNames[mailbox] ?? []
            var remaining: [(user: CCMailName, rule: Plan.Rule)] = []
            for claimant in claimants {
                let others = migrateNames.filter { $0 != claimant.user }
                if claimant.rule != .migrateValue, !others.isEmpty {
                    joins[claimant.user] = .conflict(
                        mailbox: mailbox, rule: claimant.rule, otherUsers: others.map(\.text).sorted())
                } else {
                    remaining.append(claimant)
                }
            }
            if remaining.count > 1 {
                let names = remaining.map(\.user.text).sorted()
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

    private func decide(user: CCMailUser, index: MailboxIndex, mappingRows: [MappingFile.Row], file: String?) -> Join {
        let byMigrate = index.byMigrateName[user.name] ?? []
        if let join = verdict(byMigrate, rule: .migrateValue, index: index, what: "carry a MIGRATE value for the user")
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
        if case .ccMail(let address) = user.address {
            let key = AddressKey(type: "CCMAIL", address: address.description)
            if let join = verdict(
                index.bySecondaryCCMail[key] ?? [], rule: .ccMailProxy, index: index,
                what: "carry the secondary address ccmail:\(address)")
            {
                return join
            }
        }
        guard settings.byName != .off,
            let key = NameKey.make(
                surname: user.surname, givenName: user.givenName, ignoreDiacritics: settings.ignoreDiacritics)
        else {
            return .unjoined(suggestion: nil)
        }
        let byName = index.byName[key] ?? []
        if byName.count > 1 {
            return verdict(byName, rule: .name, index: index, what: "match the name") ?? .unjoined(suggestion: nil)
        }
        guard let only = byName.first else {
            return .unjoined(suggestion: nil)
        }
        return settings.byName == .apply ? .joined(mailbox: only, rule: .name) : .unjoined(suggestion: only)
    }

    /// nil when the rule found nothing; joined for one mailbox; disputed for more.
    private func verdict(_ mailboxes: [Int], rule: Plan.Rule, index: MailboxIndex, what: String) -> Join? {
        switch mailboxes.count {
        case 0:
            return nil
        case 1:
            return .joined(mailbox: mailboxes[0], rule: rule)
        default:
            return .disputed(
                rule: rule, candidates: mailboxes.map { index.mailboxes[$0].dn },
                reason: "\(mailboxes.count) mailboxes \(what)")
        }
    }
}

/// Lookups from what each rule knows to mailbox indexes.
struct MailboxIndex {
    let mailboxes: [ExchangeObject]
    /// Rule 1: the user a MIGRATE value names → mailboxes carrying it.
    var byMigrateName: [CCMailName: [Int]] = [:]
    /// The users each mailbox's MIGRATE values name.
    var migrateNames: [Int: [CCMailName]] = [:]
    /// Rule 3: secondary ccmail proxy → mailboxes.
    var bySecondaryCCMail: [AddressKey: [Int]] = [:]
    /// Rule 4: name key → mailboxes.
    var byName: [String: [Int]] = [:]
    /// Rule 2 lookups.
    var byDN: [String: Int] = [:]
    var byAlias: [String: [Int]] = [:]
    var bySMTP: [String: [Int]] = [:]

    init(mailboxes: [ExchangeObject], ignoreDiacritics: Bool) {
        self.mailboxes = mailboxes
        for (index, mailbox) in mailboxes.enumerated() {
            var names: [CCMailName] = []
            for (_, address) in mailbox.migrateValues where !names.contains(address.name) {
                names.append(address.name)
                byMigrateName[address.name, default: []].append(index)
            }
            if !names.isEmpty {
                migrateNames[index] = names
            }
            var secondaryKeys = Set<AddressKey>()
            var smtp = Set(mailbox.mail.map { $0.lowercased() })
            for proxy in mailbox.proxies {
                let type = proxy.address.normalizedType
                if type == "CCMAIL", !proxy.address.isPrimary {
                    secondaryKeys.insert(proxy.key)
                } else if type == "SMTP" {
                    smtp.insert(proxy.address.address.lowercased())
                }
            }
            for key in secondaryKeys {
                bySecondaryCCMail[key, default: []].append(index)
            }
            for address in smtp {
                bySMTP[address, default: []].append(index)
            }
            byDN[mailbox.dn.normalized] = index
            if let alias = mailbox.alias {
                byAlias[alias.lowercased(), default: []].append(index)
            }
            if let surname = mailbox.surnames.first,
                let key = NameKey.make(
                    surname: surname, givenName: mailbox.givenNames.first, ignoreDiacritics: ignoreDiacritics)
            {
                byName[key, default: []].append(index)
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
