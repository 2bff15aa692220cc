import CCMail
import LDAPModel
import Sync

/// The two lookups that must work for every cc:Mail user, built as the clients that depend on them build them:
/// an LDAP equality search for the exact address string over the whole base DN.
///
/// - The Migration Wizard looks for the mailbox whose proxy address is `MIGRATE:CCMAIL:<Name> at <PO>`.
/// - An address lookup (a client resolving a cc:Mail address, the connector routing mail) looks for the one
///   recipient that has the user's address as a proxy address or as its target address.
///
/// Values go into the filter through `Filter.equality`, which escapes every RFC 4515 special character, so a
/// user called `*` or `Smith*, John` is looked up literally and matches nobody else.
public struct AddressLookups: Sendable {
    public var profile: Profile
    public var baseDN: DistinguishedName

    public init(profile: Profile, baseDN: DistinguishedName) {
        self.profile = profile
        self.baseDN = baseDN
    }

    /// The attributes each lookup asks for: enough to tell a mailbox from a custom recipient, and ours from not.
    public var attributes: [String] {
        ["objectClass", profile.markAttribute] + (profile.mailboxRequiredAttribute.map { [$0] } ?? [])
    }

    /// `MIGRATE:CCMAIL:<Name> at <home PO>`: the value `sync` puts on the user's mailbox.
    public func migrateAddress(_ user: CCMailUser) -> ProxyAddress {
        ProxyAddress.migrate(CCMailAddress(name: user.name, postOffice: user.homePostOffice))
    }

    /// The user's own address, as a custom recipient's target: `CCMAIL:<Name> at <PO>` (or the gateway form).
    public func address(_ user: CCMailUser) -> ProxyAddress {
        switch user.address {
        case .ccMail(let address): ProxyAddress(type: "CCMAIL", address: address.description)
        case .smtp(let address): ProxyAddress(type: "SMTP", address: address)
        }
    }

    /// The Wizard's search: the MIGRATE value as a proxy address, spelled for the flavour.
    public func migrationRequest(_ user: CCMailUser) -> SearchRequest {
        SearchRequest(base: baseDN, filter: migrationFilter(user), attributes: attributes)
    }

    /// The Wizard's filter: `(proxy=MIGRATE:CCMAIL:<Name> at <PO>)`.
    public func migrationFilter(_ user: CCMailUser) -> Filter {
        .equality(profile.proxyAttribute, profile.proxyValue(migrateAddress(user)))
    }

    /// Both lookups of several users as one search: every user's MIGRATE value and address, any of them.
    ///
    /// The objects come back once each, with their address values, so each can be given to the lookups whose value
    /// it carries: a mailbox answering a user's MIGRATE value and their address is sent once, not twice.
    public func request(_ users: ArraySlice<CCMailUser>) -> SearchRequest {
        var terms: [Filter] = []
        terms.reserveCapacity(users.count * 3)
        for user in users {
            terms.append(migrationFilter(user))
            terms.append(contentsOf: addressTerms(user))
        }
        return SearchRequest(
            base: baseDN, filter: .or(terms),
            attributes: attributes + [profile.proxyAttribute, profile.targetAttribute])
    }

    /// The address lookup: the address as a proxy address (flavour spelling) or as a target address (`TYPE:`).
    public func addressRequest(_ user: CCMailUser) -> SearchRequest {
        SearchRequest(base: baseDN, filter: addressFilter(user), attributes: attributes)
    }

    /// The address lookup's filter: `(|(proxy=CCMAIL:<Name> at <PO>)(target=CCMAIL:<Name> at <PO>))`.
    public func addressFilter(_ user: CCMailUser) -> Filter {
        .or(addressTerms(user))
    }

    /// The address as a proxy address and as a target address: the two halves of the address lookup.
    private func addressTerms(_ user: CCMailUser) -> [Filter] {
        let address = address(user)
        return [
            .equality(profile.proxyAttribute, profile.proxyValue(address)),
            .equality(profile.targetAttribute, address.description),
        ]
    }
}
